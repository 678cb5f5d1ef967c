/**
 * G(n, W) sampling (Lovász 2012 §10.1; Ruiz, Chamon & Ribeiro 2020): latent x_i, then
 * A_ij ~ Bernoulli(ρ W(x_i, x_j)) for i < j, symmetrized, no loops. Step graphons use exact
 * block-wise geometric skipping; other graphons use exact thinning over a fine cell grid when W
 * has a cell bound, else the fine block (step) approximation, whose error is reported.
 */
import { checkOption, createRng, type Graph, GraphpeError, type Rng } from '@graphpe/spectral';
import type { Graphon } from '../graphon/types.js';
import { checkInt, checkSeed } from '../util/check.js';
import { EdgeBuffer, edgesToGraph } from './edges.js';
import { DEFAULT_MAX_EDGES, estimateSample, formatBytes, MAX_SAMPLE_EDGES } from './estimate.js';
import { type LatentMode, latentPositions, lowerBound } from './latent.js';
import { type Accept, skipBlock } from './skip.js';

/**
 * How edges are drawn:
 * - `auto`: `blocks-exact` for step graphons, `thinning` when W has `cellMax`, else `step`.
 * - `blocks-exact`: geometric skipping per SBM block pair, exact, O(n + K² + m).
 * - `thinning`: candidates at rate ρ·max_cell W by skipping, kept with probability W/max; exact, O(n + cells² + candidates).
 * - `step`: W replaced by its value at cell centres (a `cells`-step graphon), then skipping; approximate, O(n + cells² + m).
 * - `pairs`: one Bernoulli per pair, exact, O(n²) (reference; n(n−1)/2 ≤ 5·10⁷).
 */
export type SampleMethod = 'auto' | 'blocks-exact' | 'thinning' | 'step' | 'pairs';

/** Options of {@link sampleGraph}; defaults in brackets. */
export interface SampleGraphOptions {
  /** Seed of every random choice [0]. */
  seed?: number;
  /** Latent positions: i.i.d. uniform or the grid (i+½)/n ['uniform']. */
  latent?: LatentMode;
  /** Sparsity factor ρ ∈ (0, 1]: edge probability ρW [1]. */
  rho?: number;
  /** `bernoulli` (0/1 edges) or `weighted` (complete graph with weights ρW(x_i,x_j), O(n²)) ['bernoulli']. */
  mode?: 'bernoulli' | 'weighted';
  /** Edge generation method ['auto']. */
  method?: SampleMethod;
  /** Cells per side of the grid for `thinning`/`step` [clamp(⌈n/64⌉, 16, 1024)]. */
  cells?: number;
  /** Node order: by increasing latent position, or a seeded random permutation ['sorted']. */
  order?: 'sorted' | 'random';
  /**
   * Refuse (`E_TOO_LARGE`) a sample whose expected edge count, or whose actual count while sampling,
   * exceeds this; at most 2³⁰ − 1 (the Int32 CSR limit) [5·10⁸ ≈ 24 GB].
   */
  maxEdges?: number;
}

/** Error of the `step` approximation, estimated from W at the 4 corners of every cell. */
export interface StepApproximationError {
  /** Cells per side. */
  readonly cells: number;
  /** max over cells and corners of |W − W_step| (≤ L/cells for W L-Lipschitz in ℓ1). */
  readonly linf: number;
  /** Mean over cells of the mean corner deviation: an estimate of ‖W − W_step‖₁ ≥ δ_□(W, W_step). */
  readonly l1: number;
}

/** A sampled graph with its latent positions. */
export interface SampledGraph {
  readonly graph: Graph;
  /** Latent position of each node (ascending when order = 'sorted'). */
  readonly latent: Float64Array;
  /** Method actually used. */
  readonly method: Exclude<SampleMethod, 'auto'> | 'weighted';
  /** Undirected edges. */
  readonly edges: number;
  /** Candidate pairs drawn (thinning: ≥ edges; others: = edges). */
  readonly candidates: number;
  /** Present for `step`: the approximation error (the graph is an exact sample of G(n, ρ·W_step)). */
  readonly approximation?: StepApproximationError;
}

const WHERE = 'graphon.sampleGraph';
const MAX_PAIRS = 5e7;

/** Draw G(n, ρW) with latent positions (see {@link SampleGraphOptions} for methods and costs). */
export function sampleGraph(W: Graphon, n: number, options: SampleGraphOptions = {}): SampledGraph {
  checkOption(
    W !== null && typeof W === 'object' && typeof W.value === 'function',
    WHERE,
    'W must be a Graphon',
    W,
  );
  checkInt(n, WHERE, 'n', 1, 2 ** 31 - 1);
  const seed = checkSeed(options.seed ?? 0, WHERE);
  const latentMode = options.latent ?? 'uniform';
  checkOption(
    latentMode === 'uniform' || latentMode === 'grid',
    WHERE,
    "latent must be 'uniform' or 'grid'",
    latentMode,
  );
  const rho = options.rho ?? 1;
  checkOption(Number.isFinite(rho) && rho > 0 && rho <= 1, WHERE, 'rho must be in (0, 1]', rho);
  const mode = options.mode ?? 'bernoulli';
  checkOption(
    mode === 'bernoulli' || mode === 'weighted',
    WHERE,
    "mode must be 'bernoulli' or 'weighted'",
    mode,
  );
  const order = options.order ?? 'sorted';
  checkOption(order === 'sorted' || order === 'random', WHERE, "order must be 'sorted' or 'random'", order);
  let method = options.method ?? 'auto';
  checkOption(
    ['auto', 'blocks-exact', 'thinning', 'step', 'pairs'].includes(method),
    WHERE,
    "method must be 'auto', 'blocks-exact', 'thinning', 'step' or 'pairs'",
    method,
  );
  const cells = options.cells ?? Math.min(1024, Math.max(16, Math.ceil(n / 64)));
  checkInt(cells, WHERE, 'cells', 1, 65536);
  if (method === 'auto') method = W.blocks ? 'blocks-exact' : W.cellMax ? 'thinning' : 'step';
  checkOption(
    method !== 'blocks-exact' || !!W.blocks,
    WHERE,
    `method 'blocks-exact' needs a step graphon (${W.name})`,
    method,
  );
  checkOption(
    method !== 'thinning' || !!W.cellMax,
    WHERE,
    `method 'thinning' needs W.cellMax (${W.name})`,
    method,
  );

  const maxEdges = checkInt(options.maxEdges ?? DEFAULT_MAX_EDGES, WHERE, 'maxEdges', 0, MAX_SAMPLE_EDGES);
  checkExpectedEdges(W, n, rho, maxEdges);

  const rng = createRng(seed);
  const x = latentPositions(n, latentMode, rng);
  const value = checkedValue(W, rho);
  let buf: EdgeBuffer;
  let candidates: number;
  let approximation: StepApproximationError | undefined;
  let used: SampledGraph['method'] = method;
  try {
    if (mode === 'weighted') {
      checkPairs(n);
      buf = new EdgeBuffer(1024, true, maxEdges);
      for (let i = 0; i < n; i++) {
        for (let j = i + 1; j < n; j++) {
          const w = value(x[i], x[j]);
          if (w > 0) buf.push(i, j, w);
        }
      }
      candidates = buf.length;
      used = 'weighted';
    } else {
      buf = new EdgeBuffer(Math.max(1024, Math.min(2 ** 26, 4 * n)), false, maxEdges);
      if (method === 'pairs') {
        checkPairs(n);
        for (let i = 0; i < n; i++)
          for (let j = i + 1; j < n; j++) if (rng.next() < value(x[i], x[j])) buf.push(i, j);
        candidates = buf.length;
      } else if (method === 'blocks-exact') {
        candidates = sampleBlocks(buf, rng, x, W.blocks!.bounds, W.blocks!.probs, rho);
      } else {
        const r = sampleCells(buf, rng, x, W, rho, cells, method === 'thinning', value);
        candidates = r.candidates;
        approximation = r.approximation;
      }
    }
  } catch (err) {
    if (err instanceof GraphpeError && err.code === 'E_TOO_LARGE' && err.details.limit === maxEdges) {
      throw new GraphpeError(
        'E_TOO_LARGE',
        `${WHERE}: the sample of ${W.name} (n = ${n}, ρ = ${rho}) passed maxEdges = ${maxEdges} edges while sampling; raise maxEdges (at most ${MAX_SAMPLE_EDGES}) or lower n or ρ`,
        { n, rho, maxEdges, option: 'maxEdges' },
      );
    }
    throw err;
  }
  let relabel: Int32Array | undefined;
  let latent = x;
  if (order === 'random') {
    relabel = new Int32Array(n);
    for (let i = 0; i < n; i++) relabel[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      const t = relabel[i];
      relabel[i] = relabel[j];
      relabel[j] = t;
    }
    latent = new Float64Array(n);
    for (let i = 0; i < n; i++) latent[relabel[i]] = x[i];
  }
  const graph = edgesToGraph(buf, n, relabel);
  return {
    graph,
    latent,
    method: used,
    edges: buf.length,
    candidates,
    ...(approximation ? { approximation } : {}),
  };
}

/** `E_TOO_LARGE` before any allocation when ρ·∫∫W·n(n−1)/2 exceeds `maxEdges` (no quadrature for small n). */
function checkExpectedEdges(W: Graphon, n: number, rho: number, maxEdges: number): void {
  if (rho * ((n * (n - 1)) / 2) <= maxEdges) return;
  const { edges, bytes } = estimateSample(W, n, rho);
  if (edges <= maxEdges) return;
  throw new GraphpeError(
    'E_TOO_LARGE',
    `${WHERE}: G(n = ${n}, ρW) for ${W.name}, ρ = ${rho} has ≈ ${edges.toExponential(2)} expected edges (≈ ${formatBytes(bytes)} to sample), over maxEdges = ${maxEdges}; lower n or ρ, or raise maxEdges (at most ${MAX_SAMPLE_EDGES}, the Int32 CSR limit)`,
    { n, rho, expectedEdges: edges, bytes, maxEdges, option: 'maxEdges' },
  );
}

function checkPairs(n: number): void {
  if ((n * (n - 1)) / 2 > MAX_PAIRS) {
    throw new GraphpeError(
      'E_TOO_LARGE',
      `${WHERE}: n = ${n} gives ${(n * (n - 1)) / 2} pairs; the O(n²) modes allow ${MAX_PAIRS} (use bernoulli with a skipping method)`,
      { value: n },
    );
  }
}

/** ρ·W(x, y), throwing E_OPTION when W(x, y) is not in [0, 1]. */
function checkedValue(W: Graphon, rho: number): (x: number, y: number) => number {
  return (x, y) => {
    const w = W.value(x, y);
    if (!(w >= 0 && w <= 1)) {
      throw new GraphpeError('E_OPTION', `${WHERE}: W(${x}, ${y}) = ${w} is not in [0, 1] (${W.name})`, {
        x,
        y,
        value: w,
      });
    }
    return rho * w;
  };
}

/** Exact SBM sampling: one geometric-skipping pass per block pair a ≤ b. */
function sampleBlocks(
  buf: EdgeBuffer,
  rng: Rng,
  x: Float64Array,
  bounds: Float64Array,
  probs: Float64Array,
  rho: number,
): number {
  const K = bounds.length - 1;
  const start = new Int32Array(K + 1);
  for (let a = 0; a < K; a++) start[a] = lowerBound(x, bounds[a]);
  start[K] = x.length;
  let c = 0;
  for (let a = 0; a < K; a++) {
    for (let b = a; b < K; b++) {
      c += skipBlock(
        buf,
        rng,
        start[a],
        start[a + 1],
        start[b],
        start[b + 1],
        a === b,
        rho * probs[a * K + b],
        null,
      );
    }
  }
  return c;
}

/** Cell-grid sampling: exact thinning with cellMax bounds, or the step approximation at cell centres. */
function sampleCells(
  buf: EdgeBuffer,
  rng: Rng,
  x: Float64Array,
  W: Graphon,
  rho: number,
  m: number,
  thinning: boolean,
  value: (x: number, y: number) => number,
): { candidates: number; approximation?: StepApproximationError } {
  const start = new Int32Array(m + 1);
  for (let a = 0; a < m; a++) start[a] = lowerBound(x, a / m);
  start[m] = x.length;
  let candidates = 0;
  let linf = 0;
  let l1 = 0;
  let bound = 0;
  const accept: Accept | null = thinning
    ? (i, j) => {
        const w = value(x[i], x[j]);
        if (w > bound * (1 + 1e-12)) {
          throw new GraphpeError(
            'E_OPTION',
            `${WHERE}: W(${x[i]}, ${x[j]}) = ${w / rho} exceeds its cellMax ${bound / rho} (${W.name}); the bound is wrong`,
            { x: x[i], y: x[j], value: w / rho, bound: bound / rho },
          );
        }
        return rng.next() * bound < w;
      }
    : null;
  for (let a = 0; a < m; a++) {
    for (let b = a; b < m; b++) {
      let p: number;
      if (thinning) {
        p = rho * W.cellMax!(a / m, (a + 1) / m, b / m, (b + 1) / m);
        if (!(p >= 0)) {
          throw new GraphpeError(
            'E_OPTION',
            `${WHERE}: cellMax = ${p / rho} on cell (${a}, ${b}) is not ≥ 0`,
            {
              value: p / rho,
            },
          );
        }
        p = Math.min(1, p);
        bound = p;
      } else {
        p = value((a + 0.5) / m, (b + 0.5) / m);
        let dev = 0;
        for (const [u, v] of CORNERS) {
          const d = Math.abs(value((a + u) / m, (b + v) / m) - p) / rho;
          dev += d / 4;
          if (d > linf) linf = d;
        }
        l1 += (a === b ? 1 : 2) * dev;
      }
      candidates += skipBlock(buf, rng, start[a], start[a + 1], start[b], start[b + 1], a === b, p, accept);
    }
  }
  return thinning ? { candidates } : { candidates, approximation: { cells: m, linf, l1: l1 / (m * m) } };
}

const CORNERS: ReadonlyArray<readonly [number, number]> = [
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
];
