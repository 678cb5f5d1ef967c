import { checkOption } from '../errors.js';
import type { Graph } from '../graph/types.js';
import { validateGraph } from '../graph/validate.js';

/** Weighted degree of every node, self-loops excluded (PyG `get_laplacian` removes them first). */
export function degrees(g: Graph, out?: Float64Array): Float64Array {
  validateGraph(g, 'spectral.degrees');
  const { n, indptr, indices, weights } = g;
  checkOption(
    out === undefined || (out instanceof Float64Array && out.length >= n),
    'spectral.degrees',
    `out must be a Float64Array of length ≥ n = ${n}`,
    out instanceof Float64Array ? `length ${out.length}` : out,
  );
  out ??= new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let d = 0;
    for (let p = indptr[i]; p < indptr[i + 1]; p++) if (indices[p] !== i) d += weights[p];
    out[i] = d;
  }
  return out;
}

/** d^{-1/2} with the PyG convention 0^{-1/2} := 0 for isolated nodes. */
export function invSqrtDegrees(deg: Float64Array, out = new Float64Array(deg.length)): Float64Array {
  checkOption(
    out instanceof Float64Array && out.length >= deg.length,
    'spectral.invSqrtDegrees',
    `out must be a Float64Array of length ≥ deg.length = ${deg.length}`,
    out instanceof Float64Array ? `length ${out.length}` : out,
  );
  for (let i = 0; i < deg.length; i++) out[i] = deg[i] > 0 ? 1 / Math.sqrt(deg[i]) : 0;
  return out;
}
