import { batchItem, laplacianEighBatch } from '../eig/dense/batch.js';
import {
  checkIterativeOptions,
  type LaplacianEigshProgress,
  laplacianEigenpairs,
} from '../eig/sparse/laplacian-eigsh.js';
import { checkOption, GraphpeError } from '../errors.js';
import type { Graph, LaplacianKind } from '../graph/types.js';
import { validateGraph } from '../graph/validate.js';
import { laplacianCsr } from '../laplacian/operator.js';
import { laplacianResiduals } from '../laplacian/residuals.js';
import { assembleSpectrum, type RawEigenpairs } from './assemble.js';
import { DEFAULT_GROUP_TOL } from './groups.js';
import { checkMemory, denseSolveBytes, maxBytesOption } from './memory.js';
import type { PadMode, SignConvention, Spectrum } from './types.js';

/** Options of {@link spectrum}; defaults in brackets. */
export interface SpectrumOptions {
  /** Number of eigenpairs to keep, smallest first, trivial one included [16]. */
  k?: number;
  /** Laplacian kind ['sym']. */
  laplacian?: LaplacianKind;
  /** Padding when n < k ['zero']. */
  pad?: PadMode;
  /** Deterministic sign convention (reproducibility, not invariance) ['none']. */
  sign?: SignConvention;
  /** Relative tolerance for equal eigenvalues, finite and > 0 (see `eigenGroups`) [1e-6]. */
  groupTol?: number;
  /**
   * `dense` (all n pairs), `sparse` (component by component: each connected component's k + guard
   * smallest pairs, small components densely, large ones by LOBPCG), or `auto` [auto: dense when
   * n ≤ denseThreshold or k + guard ≥ n, else sparse].
   */
  solver?: 'auto' | 'dense' | 'sparse';
  /** Largest n solved densely by `auto` [2000]. */
  denseThreshold?: number;
  /** Extra pairs each partially solved component computes past k to tell whether k cuts an eigenspace [4]. */
  guard?: number;
  /** Sparse solver residual tolerance [1e-8]. */
  tol?: number;
  /** Sparse solver iteration cap. */
  maxIter?: number;
  /** Seed of the sparse solver's start vectors [0]. */
  seed?: number;
  /** Sparse solver progress: one report per LOBPCG iteration of each component solved iteratively. */
  onProgress?: (info: LaplacianEigshProgress) => void;
  /** Precondition the sparse solver with smoothed-aggregation AMG [true]. */
  precondition?: boolean;
  /**
   * Cap on the Float64 buffers of the solve (dense n×n vectors and workspace, sparse n×k blocks),
   * checked before allocating: a larger request throws `E_TOO_LARGE` [8 GiB].
   */
  maxBytes?: number;
}

/**
 * Smallest-k eigenpairs of a graph Laplacian as a {@link Spectrum}: dense (Householder + QL) for small
 * graphs, component by component for large ones (each connected component solved on its own, densely
 * when small, by AMG-preconditioned LOBPCG when large, then merged exactly); groups are computed before
 * truncation — across components, so equal eigenvalues of different components form one eigenspace —
 * padding carries a mask, and residuals ‖Lv − λv‖ are measured on the returned vectors. The null space
 * is exact (one exact zero per component) and its multiplicity is always exact.
 */
export function spectrum(g: Graph, options: SpectrumOptions = {}): Spectrum {
  const where = 'spectral.spectrum';
  validateGraph(g, where);
  checkOption(options !== null && typeof options === 'object', where, 'options must be an object', options);
  const k = options.k ?? 16;
  const laplacian = options.laplacian ?? 'sym';
  const pad = options.pad ?? 'zero';
  const sign = options.sign ?? 'none';
  const guard = options.guard ?? 4;
  checkOption(Number.isInteger(k) && k >= 1, where, 'k must be an integer ≥ 1', k);
  checkOption(
    ['sym', 'rw', 'comb'].includes(laplacian),
    where,
    "laplacian must be 'sym', 'rw' or 'comb'",
    laplacian,
  );
  checkOption(['zero', 'nan', 'none'].includes(pad), where, "pad must be 'zero', 'nan' or 'none'", pad);
  checkOption(
    ['none', 'max-abs-positive'].includes(sign),
    where,
    "sign must be 'none' or 'max-abs-positive'",
    sign,
  );
  checkOption(Number.isInteger(guard) && guard >= 0, where, 'guard must be an integer ≥ 0', guard);
  const groupTol = options.groupTol ?? DEFAULT_GROUP_TOL;
  checkOption(
    typeof groupTol === 'number' && groupTol > 0 && groupTol < Infinity,
    where,
    'groupTol must be finite and > 0',
    groupTol,
  );
  const denseThreshold = options.denseThreshold ?? 2000;
  checkOption(
    Number.isInteger(denseThreshold) && denseThreshold >= 0,
    where,
    'denseThreshold must be an integer ≥ 0',
    denseThreshold,
  );
  checkIterativeOptions(options, where);
  const maxBytes = maxBytesOption(options.maxBytes, where);
  if (g.n === 0) throw new GraphpeError('E_EMPTY', `${where}: the graph has no nodes`);
  const solver = options.solver ?? 'auto';
  checkOption(
    ['auto', 'dense', 'sparse'].includes(solver),
    where,
    "solver must be 'auto', 'dense' or 'sparse'",
    solver,
  );
  const useDense = solver === 'dense' || (solver === 'auto' && (g.n <= denseThreshold || k + guard >= g.n));
  let raw: RawEigenpairs;
  if (useDense) {
    checkMemory(
      denseSolveBytes(g.n) + 8 * g.n * k,
      maxBytes,
      where,
      `the dense solve of all ${g.n} eigenpairs (n×n eigenvectors and workspace${solver === 'auto' ? `, chosen because ${g.n <= denseThreshold ? `n ≤ denseThreshold = ${denseThreshold}` : `k + guard = ${k + guard} ≥ n`}` : ''})`,
      solver === 'auto' && g.n > denseThreshold
        ? `ask for fewer pairs (k well below n = ${g.n}) so that the sparse solver runs`
        : "use solver 'sparse' with a small k",
    );
    // The batch path splits components, deflates each null vector exactly and maps rw vectors.
    const { values, vectors } = batchItem(laplacianEighBatch([g], { laplacian }), 0);
    raw = { n: g.n, values, vectors, complete: true, exactZeros: true };
  } else {
    const kk = Math.min(g.n, k);
    const res = laplacianEigenpairs(g, {
      k: kk,
      want: Math.min(g.n, k + guard),
      laplacian,
      tol: options.tol,
      maxIter: options.maxIter,
      seed: options.seed,
      onProgress: options.onProgress,
      precondition: options.precondition,
      maxBytes,
    });
    raw = {
      n: g.n,
      values: res.values,
      columns: res.columns,
      vectors: res.vectors,
      residuals: res.residuals,
      complete: res.complete,
      exactZeros: true,
    };
  }
  const s = assembleSpectrum(raw, {
    k,
    laplacian,
    pad,
    groupTol,
    sign,
    solver: useDense ? 'dense' : 'sparse',
  });
  // The sparse path measured its residuals on the returned vectors already (L_rw for rw).
  if (useDense) measureResiduals(g, s);
  return s;
}

/** Fill `s.residuals` with ‖Lv − λv‖₂ for each real column, using the CSR Laplacian (O(nnz·k)). */
function measureResiduals(g: Graph, s: Spectrum): void {
  const r = laplacianResiduals(laplacianCsr(g, s.laplacian), s.vectors, s.values, s.k);
  for (let j = 0; j < s.k; j++) s.residuals[j] = s.mask[j] ? r[j] : Number.NaN;
}
