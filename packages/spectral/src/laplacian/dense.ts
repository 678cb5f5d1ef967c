import { checkOption, GraphpeError } from '../errors.js';
import type { Graph, LaplacianKind } from '../graph/types.js';
import { validateGraph } from '../graph/validate.js';
import { degrees, invSqrtDegrees } from './degree.js';

/**
 * Dense Laplacian as a row-major n×n Float64Array (self-loops ignored, as PyG `get_laplacian`):
 * `comb` D − A; `sym` I − D^{-1/2}AD^{-1/2}; `rw` I − D^{-1}A (not symmetric).
 * Isolated nodes: d^{-1/2} := 0, so their `sym`/`rw` row is the identity row.
 * `out` (length ≥ n²) is reused when given, for batched work.
 */
export function laplacianDense(g: Graph, kind: LaplacianKind = 'sym', out?: Float64Array): Float64Array {
  const where = 'spectral.laplacianDense';
  validateGraph(g, where);
  checkKind(kind, where);
  const { n, indptr, indices, weights } = g;
  if (out !== undefined && !(out instanceof Float64Array && out.length >= n * n)) {
    throw new GraphpeError(
      'E_SHAPE',
      `${where}: out must be a Float64Array of length ≥ n² = ${n * n} (got ${out instanceof Float64Array ? `length ${out.length}` : String(out)})`,
      { value: out instanceof Float64Array ? out.length : out },
    );
  }
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

/** Throw `E_OPTION` unless `kind` is a {@link LaplacianKind}. */
export function checkKind(kind: unknown, where: string): asserts kind is LaplacianKind {
  checkOption(
    kind === 'sym' || kind === 'rw' || kind === 'comb',
    where,
    "laplacian kind must be 'sym', 'rw' or 'comb'",
    kind,
  );
}
