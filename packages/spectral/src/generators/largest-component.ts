/**
 * Largest connected component as a graph of its own (nodes renumbered in increasing order), so that
 * benchmarks on random geometric graphs, which shed small fragments, measure the solver and not the
 * trivially deflated null space.
 */
import { connectedComponents } from '../graph/components.js';
import type { Graph } from '../graph/types.js';
import { markValidated, validateGraph } from '../graph/validate.js';

/** The largest connected component of `g` (ties: the one with the smallest node) and the original id of each node. */
export function largestComponent(g: Graph): { graph: Graph; nodes: Int32Array } {
  validateGraph(g, 'spectral.largestComponent');
  const { labels, sizes } = connectedComponents(g);
  let best = 0;
  for (let c = 1; c < sizes.length; c++) if (sizes[c] > sizes[best]) best = c;
  const n = g.n;
  const map = new Int32Array(n).fill(-1);
  const nodes = new Int32Array(sizes.length ? sizes[best] : 0);
  let t = 0;
  for (let i = 0; i < n; i++) {
    if (labels[i] === best) {
      map[i] = t;
      nodes[t++] = i;
    }
  }
  const indptr = new Int32Array(t + 1);
  for (let s = 0; s < t; s++) indptr[s + 1] = indptr[s] + (g.indptr[nodes[s] + 1] - g.indptr[nodes[s]]);
  const indices = new Int32Array(indptr[t]);
  const weights = new Float64Array(indptr[t]);
  for (let s = 0; s < t; s++) {
    let q = indptr[s];
    for (let p = g.indptr[nodes[s]]; p < g.indptr[nodes[s] + 1]; p++) {
      indices[q] = map[g.indices[p]];
      weights[q++] = g.weights[p];
    }
  }
  return { graph: markValidated({ n: t, indptr, indices, weights }), nodes };
}
