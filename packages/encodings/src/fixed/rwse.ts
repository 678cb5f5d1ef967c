/**
 * RWSE: random-walk structural encoding diag((D⁻¹A)^t), t = 1..T (Dwivedi et al., "Graph Neural
 * Networks with Learnable Structural and Positional Representations", ICLR 2022), with PyTorch
 * Geometric `AddRandomWalkPE` semantics (torch_geometric/transforms/add_positional_encoding.py):
 * P_ij = w_ij / max(1, Σ_j w_ij), self-loops part of A and of the degree, isolated nodes all zeros.
 */
import { checkOption, type Graph, GraphpeError, spectralDiagonals, validateGraph } from '@graphpe/spectral';
import { newF64 } from './arena.js';
import { type PeContext, PeContext as PeContextClass } from './context.js';
import { castDtype, checkCommon, checkKeys, type PeDtype, type PeOutput, type PeTransform } from './types.js';

/** Options of {@link rwse} and {@link randomWalkDiag}; defaults in brackets. */
export interface RwseOptions {
  /** Walk lengths 1..steps (PyG `walk_length`) [20]. */
  steps?: number;
  /**
   * `dense` (dense work vectors), `sparse` (frontier-limited vectors with a work cap), `spectral` (from the
   * full sym-Laplacian spectrum, shared with LapPE through the {@link PeContext}; graphs without self-loops
   * whose degrees are 0 or ≥ 1), `auto` [auto: `spectral` when the context already holds the full sym
   * spectrum — a sym LapPE/projector computed it densely, or the batch runner provided it — and the graph
   * qualifies; else dense up to `denseThreshold` nodes, else sparse]. On ZINC molecules the spectral path
   * costs ~0.55× the dense chain once the spectrum exists (values equal to ~1e-13, structural zeros exact);
   * without a spectrum the chain is cheaper than an eigendecomposition plus the spectral sum.
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
/** Largest walk length: far past where P^t reaches its limit on any graph, and it bounds n·steps buffers. */
const MAX_STEPS = 65536;
/** Largest n·steps output, in entries (8 GiB of float64). */
const MAX_OUTPUT = 2 ** 30;

/** RWSE transform: `<name>` `[n, steps]`, row i = [P_ii, (P²)_ii, …, (P^steps)_ii]; no spectrum needed. */
export function rwse(options: RwseOptions = {}): PeTransform {
  checkKeys(WHERE, options, KEYS);
  const name = options.name ?? 'rwse';
  const dtype = options.dtype ?? 'float64';
  checkCommon(WHERE, name, dtype);
  const { steps, threshold } = validate(options);
  const method = options.method ?? 'auto';
  return (g: Graph, ctx?: PeContext): PeOutput => {
    validateGraph(g, WHERE);
    checkOutputSize(g, steps);
    if (ctx) ctx.check(g, WHERE);
    let data: Float64Array | undefined;
    const reuse =
      method === 'auto' &&
      ctx !== undefined &&
      g.n <= threshold &&
      ctx.fullSpectrum('sym') !== undefined &&
      spectralQualifies(g);
    if (reuse) {
      const full = (ctx as PeContext).fullSpectrum('sym') as NonNullable<
        ReturnType<PeContext['fullSpectrum']>
      >;
      data = spectralWalkDiag(full.values, full.vectors, g.n, steps, g);
    } else if (method === 'spectral') {
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
  checkOption(
    Number.isInteger(steps) && steps >= 1 && steps <= MAX_STEPS,
    WHERE,
    `steps must be an integer in [1, ${MAX_STEPS}]`,
    steps,
  );
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

/** Refuse an n×steps output past {@link MAX_OUTPUT} entries before allocating it. */
function checkOutputSize(g: Graph, steps: number): void {
  if (g.n * steps <= MAX_OUTPUT) return;
  throw new GraphpeError(
    'E_TOO_LARGE',
    `${WHERE}: the n×steps output (n = ${g.n}, steps = ${steps}) has ${g.n * steps} entries, more than ${MAX_OUTPUT}; lower steps`,
    { n: g.n, steps },
  );
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
  validateGraph(g, WHERE);
  checkOutputSize(g, steps);
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
  const out = newF64(g.n * steps);
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
 * Scratch of the spectral path (powers; column list, walk lengths, bit sets), reused across calls: small
 * typed arrays are allocated off the V8 heap and cost more than the arithmetic. Calls are synchronous.
 */
let scratch = new Float64Array(0);
let scratchInt = new Int32Array(0);

/**
 * diag(P^t) from the full spectrum (λ_j, φ_j) of L_sym = I − S: P = D⁻¹A is similar to S through a
 * diagonal matrix, so diag(P^t) = diag(S^t) = Σ_j (1 − λ_j)^t φ_j(i)², O(n²·steps) instead of the chain's
 * O(n³·steps/2) (the route GraphGPS's `posenc_stats` also takes for its kernels): one product of the
 * n×n matrix [φ_j(i)²] with the n×steps matrix [(1 − λ_j)^t]. Isolated nodes (λ = 1, one-hot φ) give
 * zeros as in PyG. Entries with no closed walk of that length (odd steps on bipartite graphs, t = 1
 * without self-loops, …) are set to exact 0 from {@link closedWalkLengths} of `g`, as the chain and PyG's
 * matrix powers give; elsewhere the sum carries round-off of ~1e-16 absolute, and negative round-off is
 * clamped to 0 (S ≥ 0 entrywise).
 */
export function spectralWalkDiag(
  values: Float64Array,
  vectors: Float64Array,
  n: number,
  steps: number,
  g?: Graph,
): Float64Array {
  // powers[t·c + a] = (1 − λ_j)^(t+1) for the c columns j whose 1 − λ_j is not 0 (λ = 1 exactly is
  // common in molecules: twin leaves), flushed to 0 below 1e-200 ((±1e-16)^t would reach subnormal
  // numbers, ~100× slower on x86, far below the sum's round-off).
  if (scratch.length < n * steps) scratch = new Float64Array(2 * n * steps);
  if (scratchInt.length < 5 * n) scratchInt = new Int32Array(10 * n);
  const cols = scratchInt.subarray(0, n);
  let c = 0;
  for (let j = 0; j < n; j++) if (1 - (values[j] as number) !== 0) cols[c++] = j;
  const powers = scratch.subarray(0, c * steps);
  for (let a = 0; a < c; a++) {
    const mu = 1 - (values[cols[a] as number] as number);
    let x = 1;
    for (let t = 0; t < steps; t++) {
      x *= mu;
      if (Math.abs(x) < 1e-200) x = 0;
      powers[t * c + a] = x;
    }
  }
  // out[i·steps + t] = Σ_a φ_{cols[a]}(i)² · powers[t·c + a] (squares below 1e-100 count as 0).
  const out = newF64(n * steps);
  spectralDiagonals(vectors, n, n, cols, c, powers, steps, out);
  if (g) {
    const even = scratchInt.subarray(0, n);
    const odd = scratchInt.subarray(n, 2 * n);
    closedWalkLengthsInto(g, steps, even, odd);
    for (let i = 0; i < n; i++) {
      // Entry t holds walks of length t + 1: odd lengths at even t, even lengths at odd t.
      const o = i * steps;
      const d = odd[i] as number;
      for (let t = 0; t < steps; t += 2) {
        const v = out[o + t] as number;
        out[o + t] = t + 1 >= d ? Math.max(v, 0) : 0;
      }
      const e = even[i] as number;
      for (let t = 1; t < steps; t += 2) {
        const v = out[o + t] as number;
        out[o + t] = t + 1 >= e ? Math.max(v, 0) : 0;
      }
    }
  } else for (let q = 0; q < n * steps; q++) out[q] = Math.max(out[q] as number, 0);
  return out;
}

/**
 * Shortest closed-walk lengths through each node, even and odd (0x7fffffff: none), over the edges of
 * positive weight: a closed walk of length L through i extends to every L + 2 (one edge back and forth),
 * so node i has a closed walk of length t iff t ≥ even[i] (t even) or t ≥ odd[i] (t odd). even[i] is 2
 * when i has an edge (a self-loop included), else none. odd[i] = 2ℓ + 1 for the lowest breadth-first
 * level ℓ from i holding an edge between two nodes of that level (a self-loop counts): every odd closed
 * walk through i crosses such an edge at some level ℓ' and needs ℓ' steps to reach it and back.
 * Bipartite components (one two-colouring each) have no odd closed walk; in the others the searches
 * from 32 sources run at once as bit sets (one Int32 per node: bit s = "in source s's frontier"), level
 * by level up to ℓ = (maxLength − 1)/2: O(⌈n/32⌉·levels·(n + nnz)) word operations.
 */
export function closedWalkLengths(g: Graph, maxLength: number): { even: Int32Array; odd: Int32Array } {
  const even = new Int32Array(g.n);
  const odd = new Int32Array(g.n);
  closedWalkLengthsInto(g, maxLength, even, odd);
  return { even, odd };
}

/** {@link closedWalkLengths} into `even`/`odd` (length ≥ n), with module scratch for the searches. */
function closedWalkLengthsInto(g: Graph, maxLength: number, even: Int32Array, odd: Int32Array): void {
  const { n, indptr, indices, weights } = g;
  const NONE = 0x7fffffff;
  const TODO = -1;
  even.fill(NONE, 0, n);
  odd.fill(NONE, 0, n);
  if (scratchInt.length < 5 * n) scratchInt = new Int32Array(10 * n);
  // Bit sets per node over the block's sources: frontier (level ℓ), next frontier, visited.
  const front = scratchInt.subarray(2 * n, 3 * n);
  const next = scratchInt.subarray(3 * n, 4 * n);
  const seen = scratchInt.subarray(4 * n, 5 * n);
  for (let i = 0; i < n; i++) {
    for (let p = indptr[i] as number; p < (indptr[i + 1] as number); p++)
      if ((weights[p] as number) > 0) {
        even[i] = 2;
        break;
      }
  }
  // Two-colouring per component (front: colour + 1, next: queue): a bipartite component has no odd
  // closed walk at all; the nodes of the others, with an edge, are marked TODO for the searches.
  front.fill(0);
  let todo = 0;
  for (let r = 0; r < n; r++) {
    if (front[r] !== 0) continue;
    let head = 0;
    let tail = 0;
    next[tail++] = r;
    front[r] = 1;
    let bipartite = true;
    while (head < tail) {
      const u = next[head++] as number;
      const cu = front[u] as number;
      for (let p = indptr[u] as number; p < (indptr[u + 1] as number); p++) {
        if (!((weights[p] as number) > 0)) continue;
        const w = indices[p] as number;
        const cw = front[w] as number;
        if (cw === 0) {
          front[w] = 3 - cu;
          next[tail++] = w;
        } else if (cw === cu) bipartite = false;
      }
    }
    if (!bipartite)
      for (let q = 0; q < tail; q++) {
        const u = next[q] as number;
        if (even[u] !== NONE) {
          odd[u] = TODO;
          todo++;
        }
      }
  }
  if (todo === 0) return;
  for (let base = 0; base < n; base += 32) {
    const width = Math.min(32, n - base);
    let pending = 0;
    for (let s = 0; s < width; s++) if (odd[base + s] === TODO) pending |= 1 << s;
    if (pending === 0) continue;
    front.fill(0);
    seen.fill(0);
    for (let s = 0; s < width; s++) {
      front[base + s] = 1 << s;
      seen[base + s] = 1 << s;
    }
    for (let l = 0; pending !== 0 && 2 * l + 1 <= maxLength; l++) {
      // Edges inside level ℓ: both ends in the same source's frontier.
      let hit = 0;
      let any = 0;
      next.fill(0);
      for (let u = 0; u < n; u++) {
        const fu = front[u] as number;
        if (fu === 0) continue;
        for (let p = indptr[u] as number; p < (indptr[u + 1] as number); p++) {
          if (!((weights[p] as number) > 0)) continue;
          const w = indices[p] as number;
          hit |= fu & (front[w] as number);
          next[w] = (next[w] as number) | fu;
        }
      }
      hit &= pending;
      pending &= ~hit;
      while (hit !== 0) {
        const low = hit & -hit;
        odd[base + 31 - Math.clz32(low)] = 2 * l + 1;
        hit ^= low;
      }
      for (let w = 0; w < n; w++) {
        const fresh = (next[w] as number) & ~(seen[w] as number) & pending;
        front[w] = fresh;
        seen[w] = (seen[w] as number) | fresh;
        any |= fresh;
      }
      if (any === 0) break;
    }
    // Sources whose shortest odd closed walk is longer than maxLength.
    while (pending !== 0) {
      const low = pending & -pending;
      odd[base + 31 - Math.clz32(low)] = NONE;
      pending ^= low;
    }
  }
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
