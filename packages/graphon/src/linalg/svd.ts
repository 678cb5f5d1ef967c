/** Singular values by one-sided Jacobi (Hestenes 1958; Demmel & Veselić 1992: high relative accuracy). */

/** Singular values of a row-major m×n matrix, descending (min(m, n) of them). */
export function singularValues(a: Float64Array, m: number, n: number): Float64Array {
  // Work on the columns of the tall orientation: G is cols×rows column-major = rows of Aᵀ or A.
  const tall = m >= n;
  const rows = tall ? m : n;
  const cols = tall ? n : m;
  // g[c*rows + r] = column c of the tall matrix.
  const g = new Float64Array(rows * cols);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      if (tall) g[j * rows + i] = a[i * n + j];
      else g[i * rows + j] = a[i * n + j];
    }
  }
  const eps = 2.220446049250313e-16;
  for (let sweep = 0; sweep < 60; sweep++) {
    let rotated = false;
    for (let p = 0; p < cols - 1; p++) {
      const op = p * rows;
      for (let q = p + 1; q < cols; q++) {
        const oq = q * rows;
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let r = 0; r < rows; r++) {
          const x = g[op + r];
          const y = g[oq + r];
          alpha += x * x;
          beta += y * y;
          gamma += x * y;
        }
        if (gamma === 0 || Math.abs(gamma) <= eps * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (let r = 0; r < rows; r++) {
          const x = g[op + r];
          const y = g[oq + r];
          g[op + r] = c * x - s * y;
          g[oq + r] = s * x + c * y;
        }
      }
    }
    if (!rotated) break;
  }
  const sv = new Float64Array(cols);
  for (let c = 0; c < cols; c++) {
    let s = 0;
    for (let r = 0; r < rows; r++) s += g[c * rows + r] ** 2;
    sv[c] = Math.sqrt(s);
  }
  return sv.sort().reverse();
}

/** 2-norm condition number σ_max/σ_min of a row-major m×n matrix (Infinity when m < n or σ_min = 0). */
export function conditionNumber(a: Float64Array, m: number, n: number): number {
  if (m < n) return Number.POSITIVE_INFINITY;
  const sv = singularValues(a, m, n);
  const smin = sv[sv.length - 1];
  return smin > 0 ? sv[0] / smin : Number.POSITIVE_INFINITY;
}
