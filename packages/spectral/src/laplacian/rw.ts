import { checkOption } from '../errors.js';

const WHERE = 'spectral.symToRwVectors';

/**
 * Map eigenvectors u of L_sym to eigenvectors of L_rw = I − D^{-1}A in place: v = T u / ‖T u‖ with
 * T = diag(d^{-1/2}) and t_i = 1 for isolated nodes (whose rows are identity rows in both), since
 * L_rw = T L_sym T^{-1}. The resulting vectors are unit-norm but not mutually orthogonal.
 * `vectors[offset…]` is an n×m row-major block (column j = one eigenvector); `norms` (length ≥ m) is
 * optional scratch so batched callers allocate nothing.
 */
export function symToRwVectors(
  vectors: Float64Array,
  n: number,
  m: number,
  degree: Float64Array,
  offset = 0,
  norms: Float64Array = new Float64Array(m),
): void {
  if (
    !(
      Number.isInteger(n) &&
      n >= 0 &&
      Number.isInteger(m) &&
      m >= 0 &&
      Number.isInteger(offset) &&
      offset >= 0
    )
  )
    checkOption(
      false,
      WHERE,
      'n, m and offset must be non-negative integers',
      `n = ${n}, m = ${m}, offset = ${offset}`,
    );
  if (!(vectors.length >= offset + n * m && degree.length >= n && norms.length >= m)) {
    checkOption(
      false,
      WHERE,
      `needs vectors of length ≥ offset + n·m = ${offset + n * m}, degree ≥ n = ${n}, norms ≥ m = ${m}`,
      `vectors ${vectors.length}, degree ${degree.length}, norms ${norms.length}`,
    );
  }
  norms.fill(0, 0, m);
  for (let i = 0; i < n; i++) {
    const t = degree[i] > 0 ? 1 / Math.sqrt(degree[i]) : 1;
    const row = offset + i * m;
    for (let j = 0; j < m; j++) {
      const v = vectors[row + j] * t;
      vectors[row + j] = v;
      norms[j] += v * v;
    }
  }
  for (let j = 0; j < m; j++) norms[j] = norms[j] > 0 ? 1 / Math.sqrt(norms[j]) : 0;
  for (let i = 0; i < n; i++) {
    const row = offset + i * m;
    for (let j = 0; j < m; j++) vectors[row + j] *= norms[j];
  }
}
