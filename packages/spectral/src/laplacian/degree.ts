import type { Graph } from '../graph/types.js';

/** Weighted degree of every node, self-loops excluded (PyG `get_laplacian` removes them first). */
export function degrees(g: Graph, out = new Float64Array(g.n)): Float64Array {
  const { n, indptr, indices, weights } = g;
  for (let i = 0; i < n; i++) {
    let d = 0;
    for (let p = indptr[i]; p < indptr[i + 1]; p++) if (indices[p] !== i) d += weights[p];
    out[i] = d;
  }
  return out;
}

/** d^{-1/2} with the PyG convention 0^{-1/2} := 0 for isolated nodes. */
export function invSqrtDegrees(deg: Float64Array, out = new Float64Array(deg.length)): Float64Array {
  for (let i = 0; i < deg.length; i++) out[i] = deg[i] > 0 ? 1 / Math.sqrt(deg[i]) : 0;
  return out;
}
