/**
 * The paper's practical interval algorithm (Le, Ruiz & Jegelka, ICLR 2024, §6; docs/graphon.md, "Sampling-set
 * selection methods") with the reference code's defects fixed: inclusive block ends, the Anis greedy on the
 * coarse Laplacian by exact dense eigensolves (no Nelder–Mead), a stopping rule that uses λ when given, no
 * isolated-node infinities, and uniform (optionally label-stratified) draws instead of the all-ones
 * "clustering".
 */
import { checkOption, createRng, type Graph, GraphpeError } from '@graphpe/spectral';
import { checkGraph, checkInt, checkReal, checkSeed } from '../util/check.js';
import { type CoarseGraph, coarseGraph } from './coarse.js';
import { proxyGreedyDense } from './proxy-dense.js';
import type { SamplingSet } from './types.js';

/** Options of {@link intervalSelect}; defaults (the paper's citation runs) in brackets. */
export interface IntervalOptions {
  /** Number of intervals q (`m` in the code) [20]. */
  q?: number;
  /** Intervals selected p (`m2`) [10]. */
  p?: number;
  /** Nodes drawn per selected interval r (`m3`) [20]. */
  r?: number;
  /** Spectral-proxy order k [5]. */
  order?: number;
  /** Node order standing for the latent labels (e.g. sorted latents, or {@link degreeOrder}) [0..n−1]. */
  nodeOrder?: ArrayLike<number>;
  /** Bandwidth λ: stop choosing intervals once Ω_k(S) > λ on the coarse graph (the reference ignored λ). */
  lambda?: number;
  /** Per-node labels (e.g. communities): draw ⌊r/c⌋ nodes per label among the c labels of an interval. */
  labels?: ArrayLike<number>;
  /** Seed of the draws [0]. */
  seed?: number;
}

/** The selected intervals, their nodes, and the coarse graph they were chosen on. */
export interface IntervalSet extends SamplingSet {
  readonly method: 'intervals';
  /** Selected interval indices in selection order. */
  readonly intervals: Int32Array;
  /** Ω_k of the selected intervals on L_C after each addition. */
  readonly omega: Float64Array;
  /** True when the interval loop stopped because Ω_k > λ. */
  readonly reachedLambda: boolean;
  readonly coarse: CoarseGraph;
}

const WHERE = 'graphon.intervalSelect';

/** Equipartition → coarse graph → greedy on intervals → r nodes per interval (see the module header). */
export function intervalSelect(g: Graph, options: IntervalOptions = {}): IntervalSet {
  checkGraph(g, WHERE);
  const q = checkInt(options.q ?? 20, WHERE, 'q', 1, g.n);
  const p = checkInt(options.p ?? 10, WHERE, 'p', 1, q);
  const r = checkInt(options.r ?? 20, WHERE, 'r', 1);
  const order = checkInt(options.order ?? 5, WHERE, 'order', 1, 64);
  if (options.lambda !== undefined) checkReal(options.lambda, WHERE, 'lambda', 0);
  const rng = createRng(checkSeed(options.seed ?? 0, WHERE));
  const coarse = coarseGraph(g, q, options.nodeOrder);
  const trace = proxyGreedyDense(coarse.laplacian, q, { order, budget: p, lambda: options.lambda });
  const labels = options.labels;
  if (labels) checkOption(labels.length === g.n, WHERE, `labels must have length n = ${g.n}`, labels.length);
  const chosen: number[] = [];
  for (const a of trace.nodes) {
    const members = coarse.order.slice(coarse.starts[a], coarse.starts[a + 1]);
    if (!labels) {
      drawInto(chosen, members, r, rng);
      continue;
    }
    const groups = new Map<number, number[]>();
    for (const v of members) {
      const l = labels[v];
      if (!Number.isInteger(l)) {
        throw new GraphpeError('E_OPTION', `${WHERE}: labels[${v}] = ${l} is not an integer`, {
          position: v,
          value: l,
        });
      }
      const list = groups.get(l);
      if (list) list.push(v);
      else groups.set(l, [v]);
    }
    const per = Math.floor(r / groups.size);
    for (const key of [...groups.keys()].sort((x, y) => x - y))
      drawInto(chosen, Int32Array.from(groups.get(key)!), per, rng);
  }
  return {
    method: 'intervals',
    nodes: Int32Array.from(chosen).sort(),
    intervals: trace.nodes,
    omega: trace.omega,
    reachedLambda: trace.reachedLambda,
    coarse,
  };
}

/** Append min(r, |pool|) nodes of `pool` drawn uniformly without replacement (partial Fisher–Yates, in place). */
function drawInto(out: number[], pool: Int32Array, r: number, rng: { int(n: number): number }): void {
  const m = Math.min(r, pool.length);
  for (let t = 0; t < m; t++) {
    const j = t + rng.int(pool.length - t);
    const v = pool[j];
    pool[j] = pool[t];
    pool[t] = v;
    out.push(v);
  }
}
