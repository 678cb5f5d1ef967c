/**
 * Per-graph cache of Laplacian eigendecompositions shared by the spectral PEs, so that
 * `compose(lapPE(...), eigenspaceProjectors(...), heatKernelDiag(...))` solves each Laplacian once.
 */
import {
  assembleSpectrum,
  checkOption,
  type Graph,
  type LaplacianKind,
  type Spectrum,
  type SpectrumOptions,
  spectrum,
  validateGraph,
} from '@graphpe/spectral';

/** Solver settings of a {@link PeContext}; they are forwarded to `spectrum()`. */
export interface PeContextOptions {
  /** `dense` (all n pairs), `sparse` (k smallest) or `auto` [auto: dense when n ≤ denseThreshold or k + 4 ≥ n]. */
  solver?: 'auto' | 'dense' | 'sparse';
  /** Largest n solved densely by `auto` [2000]. */
  denseThreshold?: number;
  /** Relative tolerance for equal eigenvalues [spectral's 1e-6]. */
  groupTol?: number;
  /** Seed of the sparse solver's start vectors [0]. */
  seed?: number;
  /** Sparse solver residual tolerance [1e-8]. */
  tol?: number;
  /** Sparse solver iteration cap. */
  maxIter?: number;
}

const WHERE = 'encodings.PeContext';
/** spectrum()'s default sparse guard: a dense solve is used when k + GUARD ≥ n. */
const GUARD = 4;

/**
 * Cache of spectra for one graph, keyed by Laplacian kind and k. Dense solves compute all n pairs
 * anyway, so one full eigendecomposition per Laplacian kind serves every k (truncated with groups found
 * on the whole spectrum, exactly as `spectrum()` does); sparse solves are cached per (kind, k).
 * Returned spectra are unpadded (`pad: 'none'`) and unsigned; each PE pads and signs its own copy.
 */
export class PeContext {
  readonly graph: Graph;
  readonly options: Readonly<PeContextOptions>;
  /** Number of eigendecompositions this context has run (for tests and profiling). */
  solves = 0;
  private readonly full = new Map<LaplacianKind, Spectrum>();
  private readonly cache = new Map<string, Spectrum>();

  constructor(graph: Graph, options: PeContextOptions = {}) {
    validateGraph(graph, WHERE);
    this.graph = graph;
    this.options = { ...options };
  }

  /** Throw `E_OPTION` when a transform is handed a context made for another graph. */
  check(g: Graph, where: string): void {
    checkOption(this.graph === g, where, 'the PeContext was made for another graph');
  }

  /** Whether a request for k pairs is answered by a dense (full) solve. */
  isDense(k: number): boolean {
    const { n } = this.graph;
    const solver = this.options.solver ?? 'auto';
    return (
      solver === 'dense' ||
      (solver === 'auto' && (n <= (this.options.denseThreshold ?? 2000) || k + GUARD >= n))
    );
  }

  /**
   * Smallest min(k, n) eigenpairs of the given Laplacian, unpadded, groups found before truncation.
   * The result is shared: callers must not modify it.
   */
  spectrum(laplacian: LaplacianKind, k: number): Spectrum {
    const { n } = this.graph;
    const key = `${laplacian}:${Math.min(k, n)}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    let s: Spectrum;
    if (this.isDense(k)) {
      let full = this.full.get(laplacian);
      if (!full) {
        full = spectrum(this.graph, { ...this.base(), k: n, laplacian, pad: 'none', solver: 'dense' });
        this.solves++;
        this.full.set(laplacian, full);
        this.cache.set(`${laplacian}:${n}`, full);
      }
      s =
        k >= n
          ? full
          : assembleSpectrum(
              {
                n,
                values: full.values,
                vectors: full.vectors,
                residuals: full.residuals,
                complete: true,
                exactZeros: true,
              },
              {
                k,
                laplacian,
                pad: 'none',
                groupTol: this.options.groupTol,
                sign: 'none',
                solver: 'dense',
              },
            );
    } else {
      s = spectrum(this.graph, { ...this.base(), k, laplacian, pad: 'none', solver: 'sparse' });
      this.solves++;
    }
    this.cache.set(key, s);
    return s;
  }

  /**
   * Seed the cache with a spectrum computed elsewhere (e.g. a batched dense solve). A full,
   * unpadded spectrum (k = n) serves every later request for its Laplacian kind.
   */
  provide(s: Spectrum): void {
    checkOption(s.n === this.graph.n, WHERE, `spectrum has n = ${s.n}, graph has n = ${this.graph.n}`);
    let real = 0;
    for (let j = 0; j < s.k; j++) real += s.mask[j];
    checkOption(real === s.k, WHERE, 'provided spectra must be unpadded (pad: "none")');
    checkOption(s.signConvention === 'none', WHERE, 'provided spectra must be unsigned (sign: "none")');
    if (s.k === s.n) this.full.set(s.laplacian, s);
    this.cache.set(`${s.laplacian}:${s.k}`, s);
  }

  /** The full (k = n) spectrum of a Laplacian kind if this context already holds one; never solves. */
  fullSpectrum(laplacian: LaplacianKind): Spectrum | undefined {
    return this.full.get(laplacian);
  }

  private base(): SpectrumOptions {
    const o = this.options;
    return { groupTol: o.groupTol, seed: o.seed, tol: o.tol, maxIter: o.maxIter };
  }
}
