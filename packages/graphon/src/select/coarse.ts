/**
 * The coarse graph of an equipartition (Le, Ruiz & Jegelka 2024, practical algorithm, first two steps;
 * docs/graphon.md, "Sampling-set selection methods", Intervals): q consecutive blocks of ⌊n/q⌋ ordered nodes
 * (the last takes the remainder, ends inclusive — the reference's `[i*s:-1]` dropped a node), block sums
 * B[a,b] = Σ_{i∈I_a, j∈I_b} A_ij with the diagonal kept, and L_C = I − D^{-1/2} B D^{-1/2}, which is exactly
 * the graphon Laplacian of the induced step graphon averaged on the blocks (the interval measures |I_a|/n
 * cancel).
 */
import { checkOption, type Graph, GraphpeError, validateGraph } from '@graphpe/spectral';
import { checkGraph, checkInt } from '../util/check.js';

/** A q-block equipartition of ordered nodes and its coarse graph. */
export interface CoarseGraph {
  readonly q: number;
  /** Node ids in order (position t holds node order[t]). */
  readonly order: Int32Array;
  /** q + 1 block boundaries in positions: block a = order[starts[a] .. starts[a+1]). */
  readonly starts: Int32Array;
  /** Block of each node. */
  readonly blockOf: Int32Array;
  /** q×q block sums B[a,b] (symmetric, self-loops counted once). */
  readonly sums: Float64Array;
  /** q×q block averages B[a,b]/(|I_a||I_b|): → the q-step average W_q of ρW as n → ∞ (sorted latents). */
  readonly average: Float64Array;
  /** q×q normalized Laplacian of B (d^{-1/2} := 0 for an empty coarse node). */
  readonly laplacian: Float64Array;
}

/** Node ids sorted by ascending weighted degree, ties by id (the reference's order for citation graphs). */
export function degreeOrder(g: Graph): Int32Array {
  validateGraph(g, 'graphon.degreeOrder');
  const d = new Float64Array(g.n);
  for (let i = 0; i < g.n; i++) for (let p = g.indptr[i]; p < g.indptr[i + 1]; p++) d[i] += g.weights[p];
  const ids = Array.from({ length: g.n }, (_, i) => i);
  ids.sort((a, b) => d[a] - d[b] || a - b);
  return Int32Array.from(ids);
}

/** Equipartition + coarse graph (see the module header). `order` defaults to 0..n−1 (e.g. sorted latents). */
export function coarseGraph(g: Graph, q: number, order?: ArrayLike<number>): CoarseGraph {
  const where = 'graphon.coarseGraph';
  checkGraph(g, where);
  const n = g.n;
  checkInt(q, where, 'q', 1, n);
  const ord = new Int32Array(n);
  if (order) {
    checkOption(order.length === n, where, `order must be a permutation of 0..${n - 1}`, order.length);
    const seen = new Uint8Array(n);
    for (let t = 0; t < n; t++) {
      const v = order[t];
      if (!Number.isInteger(v) || v < 0 || v >= n || seen[v]) {
        throw new GraphpeError('E_NODE_ID', `${where}: order[${t}] = ${v} is out of range or repeated`, {
          position: t,
          value: v,
        });
      }
      seen[v] = 1;
      ord[t] = v;
    }
  } else {
    for (let t = 0; t < n; t++) ord[t] = t;
  }
  const s = Math.floor(n / q);
  const starts = new Int32Array(q + 1);
  for (let a = 0; a < q; a++) starts[a] = a * s;
  starts[q] = n;
  const blockOf = new Int32Array(n);
  for (let a = 0; a < q; a++) for (let t = starts[a]; t < starts[a + 1]; t++) blockOf[ord[t]] = a;
  const sums = new Float64Array(q * q);
  const { indptr, indices, weights } = g;
  for (let i = 0; i < n; i++) {
    const a = blockOf[i] * q;
    for (let p = indptr[i]; p < indptr[i + 1]; p++) sums[a + blockOf[indices[p]]] += weights[p];
  }
  const average = new Float64Array(q * q);
  const deg = new Float64Array(q);
  for (let a = 0; a < q; a++) {
    const na = starts[a + 1] - starts[a];
    for (let b = 0; b < q; b++) {
      average[a * q + b] = sums[a * q + b] / (na * (starts[b + 1] - starts[b]));
      deg[a] += sums[a * q + b];
    }
  }
  return { q, order: ord, starts, blockOf, sums, average, laplacian: normalizedLaplacian(sums, q, deg) };
}

/** I − D^{-1/2} B D^{-1/2} for a dense symmetric B (diagonal kept), d^{-1/2} := 0 where d = 0. */
export function normalizedLaplacian(B: Float64Array, q: number, deg?: Float64Array): Float64Array {
  const d = deg ?? new Float64Array(q);
  if (!deg) for (let a = 0; a < q; a++) for (let b = 0; b < q; b++) d[a] += B[a * q + b];
  const s = d.map((v) => (v > 0 ? 1 / Math.sqrt(v) : 0));
  const L = new Float64Array(q * q);
  for (let a = 0; a < q; a++) {
    for (let b = 0; b < q; b++) L[a * q + b] = (a === b ? 1 : 0) - s[a] * B[a * q + b] * s[b];
  }
  return L;
}
