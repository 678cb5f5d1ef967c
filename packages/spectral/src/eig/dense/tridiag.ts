/**
 * Householder reduction of a real symmetric matrix to tridiagonal form, A = Q T Qᵀ
 * (EISPACK tred2 as in JAMA; Golub & Van Loan §8.3.1), run on the transposed layout so that
 * every inner loop walks a contiguous row of the row-major work matrix.
 *
 * On entry `w[0..n²)` holds A; only its upper triangle (`w[i*n+j]`, j ≥ i) is read.
 * On exit `d` is the diagonal of T and `e[i]` (1 ≤ i < n) the subdiagonal T[i][i−1], `e[0] = 0`.
 * With `accumulate`, row j of `w` holds column j of Q. Otherwise row i of `w` keeps, left of the
 * diagonal, the Householder vector u_i of H_i = I − u_i u_iᵀ / h_i (Q = H_{n−1}⋯H_1), with h_i
 * written to `hOut[i]` when given (h_i = 0: H_i = I); see {@link applyReflectors}.
 * Cost: 4n³/3 flops, plus 4n³/3 to accumulate Q.
 */
export function tridiagonalize(
  w: Float64Array,
  n: number,
  d: Float64Array,
  e: Float64Array,
  accumulate: boolean,
  hOut: Float64Array | null = null,
): void {
  if (n === 0) return;
  const last = n - 1;
  for (let j = 0; j < n; j++) d[j] = w[j * n + last];
  for (let i = last; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    const ri = i * n;
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = w[j * n + i - 1];
        w[j * n + i] = 0;
        w[ri + j] = 0;
      }
    } else {
      // Householder vector u = x/scale − g e_{i−1}, stored in row i (left of the diagonal).
      const inv = 1 / scale;
      for (let k = 0; k < i; k++) {
        const x = d[k] * inv;
        d[k] = x;
        h += x * x;
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      // p = A u (symmetric: row j of the upper triangle gives A[j][k] = A[k][j]), two rows per pass.
      // Four rows per pass first: the same sums in the same order as two pairs in sequence.
      let j = 0;
      for (; j + 3 < i; j += 4) {
        const rj = j * n;
        const rj1 = rj + n;
        const rj2 = rj1 + n;
        const rj3 = rj2 + n;
        const f0 = d[j];
        const f1 = d[j + 1];
        const f2 = d[j + 2];
        const f3 = d[j + 3];
        w[ri + j] = f0;
        w[ri + j + 1] = f1;
        w[ri + j + 2] = f2;
        w[ri + j + 3] = f3;
        const a01 = w[rj + j + 1];
        let g0 = e[j] + w[rj + j] * f0 + a01 * f1;
        let g1 = e[j + 1] + a01 * f0 + w[rj1 + j + 1] * f1;
        for (let k = j + 2; k < j + 4; k++) {
          const a0 = w[rj + k];
          const a1 = w[rj1 + k];
          const dk = d[k];
          g0 += a0 * dk;
          g1 += a1 * dk;
          e[k] += a0 * f0 + a1 * f1;
        }
        const a23 = w[rj2 + j + 3];
        let g2 = e[j + 2] + w[rj2 + j + 2] * f2 + a23 * f3;
        let g3 = e[j + 3] + a23 * f2 + w[rj3 + j + 3] * f3;
        for (let k = j + 4; k < i; k++) {
          const a0 = w[rj + k];
          const a1 = w[rj1 + k];
          const a2 = w[rj2 + k];
          const a3 = w[rj3 + k];
          const dk = d[k];
          g0 += a0 * dk;
          g1 += a1 * dk;
          g2 += a2 * dk;
          g3 += a3 * dk;
          e[k] = e[k] + (a0 * f0 + a1 * f1) + (a2 * f2 + a3 * f3);
        }
        e[j] = g0;
        e[j + 1] = g1;
        e[j + 2] = g2;
        e[j + 3] = g3;
      }
      for (; j + 1 < i; j += 2) {
        const rj = j * n;
        const rj1 = rj + n;
        const f0 = d[j];
        const f1 = d[j + 1];
        w[ri + j] = f0;
        w[ri + j + 1] = f1;
        const a01 = w[rj + j + 1];
        let g0 = e[j] + w[rj + j] * f0 + a01 * f1;
        let g1 = e[j + 1] + a01 * f0 + w[rj1 + j + 1] * f1;
        for (let k = j + 2; k < i; k++) {
          const a0 = w[rj + k];
          const a1 = w[rj1 + k];
          const dk = d[k];
          g0 += a0 * dk;
          g1 += a1 * dk;
          e[k] += a0 * f0 + a1 * f1;
        }
        e[j] = g0;
        e[j + 1] = g1;
      }
      if (j < i) {
        f = d[j];
        w[ri + j] = f;
        e[j] += w[j * n + j] * f;
      }
      // q = p/h − (uᵀp / 2h²) u
      f = 0;
      const invh = 1 / h;
      for (let j = 0; j < i; j++) {
        const x = e[j] * invh;
        e[j] = x;
        f += x * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      // A ← A − u qᵀ − q uᵀ on the upper triangle of the leading i×i block, four (then two) rows
      // per pass; each entry gets the same w −= f_j e_k + g_j d_k in every variant.
      for (j = 0; j + 3 < i; j += 4) {
        const rj = j * n;
        const rj1 = rj + n;
        const rj2 = rj1 + n;
        const rj3 = rj2 + n;
        const f0 = d[j];
        const g0 = e[j];
        const f1 = d[j + 1];
        const g1 = e[j + 1];
        const f2 = d[j + 2];
        const g2 = e[j + 2];
        const f3 = d[j + 3];
        const g3 = e[j + 3];
        for (let k = j; k < j + 3; k++) {
          const ek = e[k];
          const dk = d[k];
          w[rj + k] -= f0 * ek + g0 * dk;
          if (k > j) w[rj1 + k] -= f1 * ek + g1 * dk;
          if (k > j + 1) w[rj2 + k] -= f2 * ek + g2 * dk;
        }
        for (let k = j + 3; k < i; k++) {
          const ek = e[k];
          const dk = d[k];
          w[rj + k] -= f0 * ek + g0 * dk;
          w[rj1 + k] -= f1 * ek + g1 * dk;
          w[rj2 + k] -= f2 * ek + g2 * dk;
          w[rj3 + k] -= f3 * ek + g3 * dk;
        }
        d[j] = w[rj + i - 1];
        d[j + 1] = w[rj1 + i - 1];
        d[j + 2] = w[rj2 + i - 1];
        d[j + 3] = w[rj3 + i - 1];
        w[rj + i] = 0;
        w[rj1 + i] = 0;
        w[rj2 + i] = 0;
        w[rj3 + i] = 0;
      }
      for (; j + 1 < i; j += 2) {
        const rj = j * n;
        const rj1 = rj + n;
        const f0 = d[j];
        const g0 = e[j];
        const f1 = d[j + 1];
        const g1 = e[j + 1];
        w[rj + j] -= f0 * e[j] + g0 * d[j];
        for (let k = j + 1; k < i; k++) {
          const ek = e[k];
          const dk = d[k];
          w[rj + k] -= f0 * ek + g0 * dk;
          w[rj1 + k] -= f1 * ek + g1 * dk;
        }
        d[j] = w[rj + i - 1];
        d[j + 1] = w[rj1 + i - 1];
        w[rj + i] = 0;
        w[rj1 + i] = 0;
      }
      if (j < i) {
        const rj = j * n;
        w[rj + j] -= 2 * d[j] * e[j];
        d[j] = w[rj + i - 1];
        w[rj + i] = 0;
      }
    }
    d[i] = h;
    if (hOut !== null) hOut[i] = h;
  }
  if (!accumulate) {
    for (let j = 0; j < n; j++) d[j] = w[j * n + j];
    e[0] = 0;
    return;
  }
  // Q = H_{n−1} ⋯ H_1, built up block by block (four rows of w per pass); rows of w are columns of Q.
  for (let i = 0; i < last; i++) {
    const ri = i * n;
    w[ri + last] = w[ri + i];
    w[ri + i] = 1;
    const h = d[i + 1];
    const ru = ri + n;
    if (h !== 0) {
      const invh = 1 / h;
      for (let k = 0; k <= i; k++) d[k] = w[ru + k] * invh;
      let j = 0;
      for (; j + 3 <= i; j += 4) {
        const rj = j * n;
        const rj1 = rj + n;
        const rj2 = rj1 + n;
        const rj3 = rj2 + n;
        let g0 = 0;
        let g1 = 0;
        let g2 = 0;
        let g3 = 0;
        for (let k = 0; k <= i; k++) {
          const uk = w[ru + k];
          g0 += uk * w[rj + k];
          g1 += uk * w[rj1 + k];
          g2 += uk * w[rj2 + k];
          g3 += uk * w[rj3 + k];
        }
        for (let k = 0; k <= i; k++) {
          const dk = d[k];
          w[rj + k] -= g0 * dk;
          w[rj1 + k] -= g1 * dk;
          w[rj2 + k] -= g2 * dk;
          w[rj3 + k] -= g3 * dk;
        }
      }
      for (; j < i; j += 2) {
        const rj = j * n;
        const rj1 = rj + n;
        let g0 = 0;
        let g1 = 0;
        for (let k = 0; k <= i; k++) {
          const uk = w[ru + k];
          g0 += uk * w[rj + k];
          g1 += uk * w[rj1 + k];
        }
        for (let k = 0; k <= i; k++) {
          const dk = d[k];
          w[rj + k] -= g0 * dk;
          w[rj1 + k] -= g1 * dk;
        }
      }
      if (j === i) {
        const rj = j * n;
        let g = 0;
        for (let k = 0; k <= i; k++) g += w[ru + k] * w[rj + k];
        for (let k = 0; k <= i; k++) w[rj + k] -= g * d[k];
      }
    }
    for (let k = 0; k <= i; k++) w[ru + k] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = w[j * n + last];
    w[j * n + last] = 0;
  }
  w[last * n + last] = 1;
  e[0] = 0;
}
