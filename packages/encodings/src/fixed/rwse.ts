/**
 * RWSE: random-walk structural encoding diag((D⁻¹A)^t), t = 1..T (Dwivedi et al., "Graph Neural
 * Networks with Learnable Structural and Positional Representations", ICLR 2022), with PyTorch
 * Geometric `AddRandomWalkPE` semantics (torch_geometric/transforms/add_positional_encoding.py):
 * P_ij = w_ij / max(1, Σ_j w_ij), self-loops part of A and of the degree, isolated nodes all zeros.
 */
import { checkOption, type Graph, GraphpeError } from '@graphpe/spectral';
import { type PeContext, PeContext as PeContextClass } from './context.js';
import { castDtype, checkCommon, checkKeys, type PeDtype, type PeOutput, type PeTransform } from './types.js';

/** Options of {@link rwse} and {@link randomWalkDiag}; defaults in brackets. */
export interface RwseOptions {
  /** Walk lengths 1..steps (PyG `walk_length`) [20]. */
  steps?: number;
  /**
   * `dense` (dense work vectors), `sparse` (frontier-limited vectors with a work cap), `spectral` (from the
   * full sym-Laplacian spectrum, shared with LapPE through the {@link PeContext}; graphs without self-loops
   * whose degrees are 0 or ≥ 1), `auto` [auto: dense up to `denseThreshold` nodes, else sparse]. On ZINC
   * molecules `spectral` (~60 µs per graph incl. the structural-zero pattern) measured at parity with the
   * dense chain (~70 µs), so `auto` keeps the exact chain.
   */
  method?: 'auto' | 'dense' | 'sparse' | 'spectral';
  /** Largest n that `auto` sends to the dense path (PyG's threshold) [2000]. */
  denseThreshold?: number;
  /**
   * Sparse path only: cap on multiply-adds. A sampled estimate over 64 evenly spaced nodes rejects the
   * graph up front, and the run itself stops past the cap, both with `E_TOO_LARGE` [5e9].
   */
  maxWork?: number;
  /** Output name ['rwse']. */
  name?: string;
  /** Output element type ['float64']. */
  dtype?: PeDtype;
}

const WHERE = 'encodings.rwse';
const KEYS = ['steps', 'method', 'denseThreshold', 'maxWork', 'name', 'dtype'] as const;
const SAMPLE = 64;

/** RWSE transform: `<name>` `[n, steps]`, row i = [P_ii, (P²)_ii, …, (P^steps)_ii]; no spectrum needed. */
export function rwse(options: RwseOptions = {}): PeTransform {
  checkKeys(WHERE, options, KEYS);
  const name = options.name ?? 'rwse';
  const dtype = options.dtype ?? 'float64';
  checkCommon(WHERE, name, dtype);
  const { steps } = validate(options);
  const method = options.method ?? 'auto';
  return (g: Graph, ctx?: PeContext): PeOutput => {
    if (ctx) ctx.check(g, WHERE);
    let data: Float64Array | undefined;
    if (method === 'spectral') {
      if (!spectralQualifies(g)) {
        throw new GraphpeError(
          'E_OPTION',
          `${WHERE}: method 'spectral' needs a graph without self-loops whose degrees are 0 or ≥ 1 (PyG's max(1, deg) then equals the Laplacian's degree)`,
        );
      }
      const full = (ctx ?? new PeContextClass(g)).spectrum('sym', g.n);
      data = spectralWalkDiag(full.values, full.vectors, g.n, steps, g);
    }
    data ??= randomWalkDiag(g, options);
    return { [name]: { data: castDtype(data, dtype), shape: [g.n, steps] } };
  };
}

function validate(options: RwseOptions): {
  steps: number;
  method: string;
  threshold: number;
  maxWork: number;
} {
  const steps = options.steps ?? 20;
  const method = options.method ?? 'auto';
  const threshold = options.denseThreshold ?? 2000;
  const maxWork = options.maxWork ?? 5e9;
  checkOption(Number.isInteger(steps) && steps >= 1, WHERE, 'steps must be an integer ≥ 1', steps);
  checkOption(
    ['auto', 'dense', 'sparse', 'spectral'].includes(method),
    WHERE,
    "method must be 'auto', 'dense', 'sparse' or 'spectral'",
    method,
  );
  checkOption(
    Number.isInteger(threshold) && threshold >= 0,
    WHERE,
    'denseThreshold must be an integer ≥ 0',
    threshold,
  );
  checkOption(typeof maxWork === 'number' && maxWork > 0, WHERE, 'maxWork must be a number > 0', maxWork);
  return { steps, method, threshold, maxWork };
}

/**
 * Symmetric form S = D'^{-1/2} A D'^{-1/2} with D' = max(1, deg) (self-loops included) in CSR:
 * P = D'^{-1} A = D'^{-1/2} S D'^{1/2}, so diag(P^t) = diag(S^t). All entries are ≥ 0.
 */
function symmetricWalk(g: Graph): Float64Array {
  const { n, indptr, indices, weights } = g;
  const s = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let d = 0;
    for (let p = indptr[i]; p < indptr[i + 1]; p++) d += weights[p];
    s[i] = 1 / Math.sqrt(Math.max(1, d));
  }
  const vals = new Float64Array(indices.length);
  for (let i = 0; i < n; i++) {
    for (let p = indptr[i]; p < indptr[i + 1]; p++) vals[p] = s[i] * weights[p] * s[indices[p]];
  }
  return vals;
}

/**
 * diag(P^t) for t = 1..steps as an n×steps row-major Float64Array. For each node i the chain
 * x_m = S^m e_i (S symmetric, see above) runs to m = ⌈steps/2⌉, and diag(S^{2m}) = ‖x_m‖²,
 * diag(S^{2m+1}) = x_m·x_{m+1}: half the products of a plain power chain, and no cancellation (all
 * terms ≥ 0, so zeros stay exact zeros). Dense path: all chains at once as X = S^m (two n×n buffers),
 * O(⌈steps/2⌉·n·(nnz + 2n)). Sparse path: one chain at a time in O(n) memory, each vector limited to
 * the walk's reach (the m-hop ball), cost Σ_i Σ_m edges(ball_m(i)),
 * capped by `maxWork` (`E_TOO_LARGE`; e.g. expander-like graphs with long walks). Exact, no estimator.
 */
export function randomWalkDiag(g: Graph, options: RwseOptions = {}): Float64Array {
  const { steps, method, threshold, maxWork } = validate(options);
  if (method === 'spectral') {
    if (!spectralQualifies(g)) {
      throw new GraphpeError(
        'E_OPTION',
        `${WHERE}: method 'spectral' needs a graph without self-loops whose degrees are 0 or ≥ 1`,
      );
    }
    const full = new PeContextClass(g).spectrum('sym', g.n);
    return spectralWalkDiag(full.values, full.vectors, g.n, steps, g);
  }
  const vals = symmetricWalk(g);
  const dense = method === 'dense' || (method === 'auto' && g.n <= threshold);
  const out = new Float64Array(g.n * steps);
  if (dense) denseDiag(g, vals, steps, out);
  else sparseDiag(g, vals, steps, maxWork, out);
  return out;
}

/** Whether diag(P^t) can be read off L_sym's spectrum: no self-loops and every degree 0 or ≥ 1. */
export function spectralQualifies(g: Graph): boolean {
  const { n, indptr, indices, weights } = g;
  for (let i = 0; i < n; i++) {
    let d = 0;
    for (let p = indptr[i]; p < indptr[i + 1]; p++) {
      if (indices[p] === i) return false;
      d += weights[p];
    }
    if (d > 0 && d < 1) return false;
  }
  return true;
}

/**
 * diag(P^t) from the full spectrum (λ_j, φ_j) of L_sym = I − S: P = D⁻¹A is similar to S through a
 * diagonal matrix, so diag(P^t) = diag(S^t) = Σ_j (1 − λ_j)^t φ_j(i)², O(n²·steps) instead of the chain's
 * O(n³·steps/2) (the route GraphGPS's `posenc_stats` also takes for its kernels). Isolated nodes (λ = 1,
 * one-hot φ) give zeros as in PyG. Entries with no closed walk of that length (odd steps on bipartite
 * graphs, t = 1 without self-loops, …) are set to exact 0 from a boolean walk-reachability pattern of `g`
 * (bitsets, O(steps·n²·⌈n/32⌉) word operations), as the chain and PyG's matrix powers give; elsewhere the
 * sum carries round-off of ~1e-16 absolute, and negative round-off is clamped to 0 (S ≥ 0 entrywise).
 */
export function spectralWalkDiag(
  values: Float64Array,
  vectors: Float64Array,
  n: number,
  steps: number,
  g?: Graph,
): Float64Array {
  const walks = g ? closedWalkPattern(g, steps) : null;
  const out = new Float64Array(n * steps);
  const mu = new Float64Array(n);
  const pw = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    mu[j] = 1 - (values[j] as number);
    pw[j] = 1;
  }
  const sq = new Float64Array(n * n);
  for (let q = 0; q < n * n; q++) sq[q] = (vectors[q] as number) * (vectors[q] as number);
  for (let t = 0; t < steps; t++) {
    for (let j = 0; j < n; j++) pw[j] = (pw[j] as number) * (mu[j] as number);
    for (let i = 0; i < n; i++) {
      const row = i * n;
      let acc = 0;
      for (let j = 0; j < n; j++) acc += (sq[row + j] as number) * (pw[j] as number);
      out[i * steps + t] = walks && walks[i * steps + t] === 0 ? 0 : Math.max(acc, 0);
    }
  }
  return out;
}

/** 1 where node i has a closed walk of length t + 1 (n×steps, row-major): boolean powers of A on bitsets. */
function closedWalkPattern(g: Graph, steps: number): Uint8Array {
  const { n, indptr, indices, weights } = g;
  const W = (n + 31) >>> 5;
  const adj = new Uint32Array(n * W);
  for (let i = 0; i < n; i++)
    for (let p = indptr[i] as number; p < (indptr[i + 1] as number); p++) {
      if ((weights[p] as number) === 0) continue;
      const j = indices[p] as number;
      adj[i * W + (j >>> 5)] = (adj[i * W + (j >>> 5)] as number) | (1 << (j & 31));
    }
  const out = new Uint8Array(n * steps);
  if (W === 1) {
    // n ≤ 32 (molecules): one int32 mask per node.
    const a = new Int32Array(n);
    for (let i = 0; i < n; i++) a[i] = adj[i] as number;
    let c = new Int32Array(n);
    let d = new Int32Array(n);
    for (let i = 0; i < n; i++) c[i] = 1 << i;
    for (let t = 0; t < steps; t++) {
      for (let i = 0; i < n; i++) {
        let b = c[i] as number;
        let acc = 0;
        while (b !== 0) {
          acc |= a[31 - Math.clz32(b & -b)] as number;
          b &= b - 1;
        }
        d[i] = acc;
        out[i * steps + t] = (acc >>> i) & 1;
      }
      const tmp = c;
      c = d;
      d = tmp;
    }
    return out;
  }
  let cur = new Uint32Array(n * W);
  let next = new Uint32Array(n * W);
  for (let i = 0; i < n; i++) cur[i * W + (i >>> 5)] = 1 << (i & 31);
  for (let t = 0; t < steps; t++) {
    next.fill(0);
    for (let i = 0; i < n; i++) {
      const ci = i * W;
      for (let w = 0; w < W; w++) {
        let bits = cur[ci + w] as number;
        while (bits !== 0) {
          const low = bits & -bits;
          const j = (w << 5) + (31 - Math.clz32(low));
          bits ^= low;
          const aj = j * W;
          for (let q = 0; q < W; q++) next[ci + q] = (next[ci + q] as number) | (adj[aj + q] as number);
        }
      }
      out[i * steps + t] = ((next[ci + (i >>> 5)] as number) >>> (i & 31)) & 1;
    }
    const tmp = cur;
    cur = next;
    next = tmp;
  }
  return out;
}

function denseDiag(g: Graph, vals: Float64Array, steps: number, out: Float64Array): void {
  const { n, indptr, indices } = g;
  const half = Math.ceil(steps / 2);
  // X = S^m (row i = x_m of node i; S^m is symmetric), Y = S X row by row: Y[r,:] = Σ_p S_rp X[c_p,:].
  let X = new Float64Array(n * n);
  let Y = new Float64Array(n * n);
  for (let i = 0; i < n; i++) X[i * n + i] = 1;
  for (let m = 0; m < half; m++) {
    Y.fill(0);
    if (m === 0) {
      // Y = S · I = S.
      for (let r = 0; r < n; r++)
        for (let p = indptr[r]; p < indptr[r + 1]; p++) Y[r * n + indices[p]] = vals[p];
    } else
      for (let r = 0; r < n; r++) {
        const yr = r * n;
        for (let p = indptr[r]; p < indptr[r + 1]; p++) {
          const w = vals[p];
          const xc = indices[p] * n;
          for (let j = 0; j < n; j++) Y[yr + j] += w * X[xc + j];
        }
      }
    const odd = 2 * m + 1 < steps;
    for (let i = 0; i < n; i++) {
      const row = i * n;
      let xy = 0;
      let yy = 0;
      for (let j = 0; j < n; j++) {
        const y = Y[row + j];
        xy += X[row + j] * y;
        yy += y * y;
      }
      out[i * steps + 2 * m] = xy;
      if (odd) out[i * steps + 2 * m + 1] = yy;
    }
    const t = X;
    X = Y;
    Y = t;
  }
}

function sparseDiag(g: Graph, vals: Float64Array, steps: number, maxWork: number, out: Float64Array): void {
  const { n, indptr, indices } = g;
  const half = Math.ceil(steps / 2);
  let x = new Float64Array(n);
  let y = new Float64Array(n);
  let xs = new Int32Array(n);
  let ys = new Int32Array(n);
  const seen = new Int32Array(n).fill(-1);
  let stamp = 0;
  let work = 0;
  /** Run node i's chain; returns its work (multiply-adds and support visits). */
  const chain = (i: number): number => {
    let w = 0;
    x[i] = 1;
    xs[0] = i;
    let xn = 1;
    const row = i * steps;
    for (let m = 0; m < half; m++) {
      stamp++;
      if (stamp === 0x7fffffff) {
        seen.fill(-1);
        stamp = 0;
      }
      let yn = 0;
      for (let a = 0; a < xn; a++) {
        const c = xs[a];
        const xc = x[c];
        const end = indptr[c + 1];
        for (let p = indptr[c]; p < end; p++) {
          const r = indices[p];
          if (seen[r] !== stamp) {
            seen[r] = stamp;
            ys[yn++] = r;
          }
          y[r] += vals[p] * xc;
        }
        w += end - indptr[c];
      }
      let xy = 0;
      for (let a = 0; a < xn; a++) xy += x[xs[a]] * y[xs[a]];
      let yy = 0;
      for (let a = 0; a < yn; a++) yy += y[ys[a]] * y[ys[a]];
      out[row + 2 * m] = xy;
      if (2 * m + 1 < steps) out[row + 2 * m + 1] = yy;
      for (let a = 0; a < xn; a++) x[xs[a]] = 0;
      w += xn + yn;
      const tv = x;
      x = y;
      y = tv;
      const ts = xs;
      xs = ys;
      ys = ts;
      xn = yn;
    }
    for (let a = 0; a < xn; a++) x[xs[a]] = 0;
    return w;
  };
  const sample = Math.min(n, SAMPLE);
  if (sample < n) {
    let sampled = 0;
    for (let j = 0; j < sample; j++) sampled += chain(Math.floor((j * n) / sample));
    const estimate = (sampled / sample) * n;
    if (estimate > maxWork) tooLarge(g, steps, estimate, maxWork, 'estimated from 64 sampled nodes');
  }
  for (let i = 0; i < n; i++) {
    work += chain(i);
    if (work > maxWork) tooLarge(g, steps, work, maxWork, `reached at node ${i} of ${n}`);
  }
}

function tooLarge(g: Graph, steps: number, work: number, maxWork: number, how: string): never {
  throw new GraphpeError(
    'E_TOO_LARGE',
    `${WHERE}: exact diag(P^t) for t ≤ ${steps} on n = ${g.n} needs more than maxWork = ${maxWork.toExponential(2)} ` +
      `multiply-adds (${work.toExponential(2)}, ${how}); lower steps or raise maxWork`,
    { n: g.n, steps, work, maxWork },
  );
}
