/**
 * Map eigenvectors u of L_sym to eigenvectors of L_rw = I − D^{-1}A in place: v = T u / ‖T u‖ with
 * T = diag(d^{-1/2}) and t_i = 1 for isolated nodes (whose rows are identity rows in both), since
 * L_rw = T L_sym T^{-1}. The resulting vectors are unit-norm but not mutually orthogonal.
 * `vectors` is n×m row-major (column j = one eigenvector).
 */
export function symToRwVectors(vectors: Float64Array, n: number, m: number, degree: Float64Array): void {
  const norms = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    const t = degree[i] > 0 ? 1 / Math.sqrt(degree[i]) : 1;
    const row = i * m;
    for (let j = 0; j < m; j++) {
      const v = vectors[row + j] * t;
      vectors[row + j] = v;
      norms[j] += v * v;
    }
  }
  for (let j = 0; j < m; j++) norms[j] = norms[j] > 0 ? 1 / Math.sqrt(norms[j]) : 0;
  for (let i = 0; i < n; i++) {
    const row = i * m;
    for (let j = 0; j < m; j++) vectors[row + j] *= norms[j];
  }
}
