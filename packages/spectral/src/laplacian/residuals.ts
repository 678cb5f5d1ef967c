import type { LaplacianCsr } from './operator.js';

/**
 * ‖L v_j − λ_j v_j‖₂ for the k columns of an n×k row-major block, one row of L at a time (O(nnz·k), no
 * n×k scratch). Works for any CSR Laplacian, `rw` included.
 */
export function laplacianResiduals(
  L: LaplacianCsr,
  V: Float64Array,
  values: ArrayLike<number>,
  k: number,
  out: Float64Array = new Float64Array(k),
): Float64Array {
  const row = new Float64Array(k);
  out.fill(0, 0, k);
  for (let i = 0; i < L.n; i++) {
    const o = i * k;
    for (let j = 0; j < k; j++) row[j] = (L.diag[i] - values[j]) * V[o + j];
    for (let p = L.indptr[i]; p < L.indptr[i + 1]; p++) {
      const w = L.values[p];
      const b = L.indices[p] * k;
      for (let j = 0; j < k; j++) row[j] += w * V[b + j];
    }
    for (let j = 0; j < k; j++) out[j] += row[j] * row[j];
  }
  for (let j = 0; j < k; j++) out[j] = Math.sqrt(out[j]);
  return out;
}
