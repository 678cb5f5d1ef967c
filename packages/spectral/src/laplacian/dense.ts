import type { Graph, LaplacianKind } from '../graph/types.js';
import { degrees, invSqrtDegrees } from './degree.js';

/**
 * Dense Laplacian as a row-major n×n Float64Array (self-loops ignored, as PyG `get_laplacian`):
 * `comb` D − A; `sym` I − D^{-1/2}AD^{-1/2}; `rw` I − D^{-1}A (not symmetric).
 * Isolated nodes: d^{-1/2} := 0, so their `sym`/`rw` row is the identity row.
 * `out` (length ≥ n²) is reused when given, for batched work.
 */
export function laplacianDense(g: Graph, kind: LaplacianKind = 'sym', out?: Float64Array): Float64Array {
  const { n, indptr, indices, weights } = g;
  const L = out ?? new Float64Array(n * n);
  L.fill(0, 0, n * n);
  const deg = degrees(g);
  if (kind === 'comb') {
    for (let i = 0; i < n; i++) {
      L[i * n + i] = deg[i];
      for (let p = indptr[i]; p < indptr[i + 1]; p++) {
        const j = indices[p];
        if (j !== i) L[i * n + j] -= weights[p];
      }
    }
    return L;
  }
  const s = kind === 'sym' ? invSqrtDegrees(deg) : deg.map((d) => (d > 0 ? 1 / d : 0));
  for (let i = 0; i < n; i++) {
    L[i * n + i] = 1;
    const si = s[i];
    for (let p = indptr[i]; p < indptr[i + 1]; p++) {
      const j = indices[p];
      if (j === i) continue;
      L[i * n + j] -= kind === 'sym' ? si * weights[p] * s[j] : si * weights[p];
    }
  }
  return L;
}
