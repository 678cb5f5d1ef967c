/** Householder QR with column pivoting (Businger & Golub 1965) and the basic least-squares solution. */

/** Result of {@link lstsqPivoted}. */
export interface LstsqResult {
  /** Minimizer of ‖A c − b‖ (basic solution: coefficients of dropped columns are 0 when rank < n). */
  readonly x: Float64Array;
  /** Numerical rank: #{j : |R_jj| > rcond·|R_00|}. */
  readonly rank: number;
  /** ‖A x − b‖₂. */
  readonly residual: number;
}

/** min ‖A x − b‖₂ for a row-major m×n matrix A by pivoted Householder QR; `rcond` sets the rank cut. */
export function lstsqPivoted(
  a: Float64Array,
  m: number,
  n: number,
  b: Float64Array,
  rcond = 1e-12,
): LstsqResult {
  const r = a.slice(0, m * n);
  const y = b.slice(0, m);
  const perm = new Int32Array(n);
  for (let j = 0; j < n; j++) perm[j] = j;
  const steps = Math.min(m, n);
  const colNorm2 = new Float64Array(n);
  const v = new Float64Array(m);
  let rank = steps;
  let r00 = 0;
  for (let k = 0; k < steps; k++) {
    // Pivot: the remaining column of largest norm below row k (recomputed: O(mn) per step, stable).
    let best = k;
    let bestNorm = -1;
    for (let j = k; j < n; j++) {
      let s = 0;
      for (let i = k; i < m; i++) s += r[i * n + j] ** 2;
      colNorm2[j] = s;
      if (s > bestNorm) {
        bestNorm = s;
        best = j;
      }
    }
    if (best !== k) {
      for (let i = 0; i < m; i++) {
        const t = r[i * n + k];
        r[i * n + k] = r[i * n + best];
        r[i * n + best] = t;
      }
      const t = perm[k];
      perm[k] = perm[best];
      perm[best] = t;
    }
    const norm = Math.sqrt(bestNorm);
    if (k === 0) r00 = norm;
    if (norm === 0 || norm <= rcond * r00) {
      rank = k;
      break;
    }
    // Householder vector for column k, rows k..m-1.
    const alpha = r[k * n + k] >= 0 ? -norm : norm;
    for (let i = k; i < m; i++) v[i] = r[i * n + k];
    v[k] -= alpha;
    let vn = 0;
    for (let i = k; i < m; i++) vn += v[i] * v[i];
    if (vn > 0) {
      for (let j = k; j < n; j++) {
        let s = 0;
        for (let i = k; i < m; i++) s += v[i] * r[i * n + j];
        const f = (2 * s) / vn;
        for (let i = k; i < m; i++) r[i * n + j] -= f * v[i];
      }
      let s = 0;
      for (let i = k; i < m; i++) s += v[i] * y[i];
      const f = (2 * s) / vn;
      for (let i = k; i < m; i++) y[i] -= f * v[i];
    }
  }
  // Back substitution on the leading rank×rank block.
  const z = new Float64Array(n);
  for (let k = rank - 1; k >= 0; k--) {
    let s = y[k];
    for (let j = k + 1; j < rank; j++) s -= r[k * n + j] * z[j];
    z[k] = s / r[k * n + k];
  }
  const x = new Float64Array(n);
  for (let k = 0; k < n; k++) x[perm[k]] = z[k];
  let res = 0;
  for (let i = rank; i < m; i++) res += y[i] * y[i];
  return { x, rank, residual: Math.sqrt(res) };
}
