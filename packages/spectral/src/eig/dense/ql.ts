import { GraphpeError } from '../../errors.js';

/** Iteration limit per eigenvalue before the QL iteration gives up (LAPACK dsteqr uses 30). */
export const MAX_QL_ITER = 60;

/** √(a² + b²) without Math.hypot in the common range, guarded against under/overflow. */
function pythag(a: number, b: number): number {
  const s = a * a + b * b;
  return s > 1e-290 && s < 1e290 ? Math.sqrt(s) : Math.hypot(a, b);
}

/**
 * Eigenvalues (and optionally eigenvectors) of a symmetric tridiagonal matrix by the implicit QL
 * iteration with Wilkinson shifts (EISPACK tql2 as in JAMA; Golub & Van Loan §8.3.5).
 *
 * On entry `d` is the diagonal and `e[i]` (1 ≤ i < n) the subdiagonal T[i][i−1], as left by
 * {@link tridiagonalize}. On exit `d` holds the eigenvalues, unsorted, and `e` is destroyed.
 * When `z` is given, its rows are rotated along (row j ends as the eigenvector of `d[j]`): the
 * Givens rotations of one sweep are stored in `cs`/`sn` and applied afterwards, each to two
 * contiguous rows. Throws `E_NOT_CONVERGED` after {@link MAX_QL_ITER} sweeps on one eigenvalue.
 */
export function tridiagQL(
  d: Float64Array,
  e: Float64Array,
  n: number,
  z: Float64Array | null,
  cs: Float64Array,
  sn: Float64Array,
): void {
  if (n === 0) return;
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  const eps = 2 ** -52;
  let f = 0;
  let tst1 = 0;
  for (let l = 0; l < n; l++) {
    const t = Math.abs(d[l]) + Math.abs(e[l]);
    if (t > tst1) tst1 = t;
    let m = l;
    while (m < n) {
      if (Math.abs(e[m]) <= eps * tst1) break;
      m++;
    }
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > MAX_QL_ITER) {
          throw new GraphpeError(
            'E_NOT_CONVERGED',
            `spectral.eigh: implicit QL did not converge for eigenvalue ${l} of ${n} after ${MAX_QL_ITER} sweeps`,
            { index: l, n, iterations: MAX_QL_ITER },
          );
        }
        // Wilkinson shift from the leading 2×2 block.
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = pythag(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        // Implicit QL sweep from m−1 up to l.
        p = d[m];
        let c = 1;
        let c2 = 1;
        let c3 = 1;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          const ei = e[i];
          g = c * ei;
          h = c * p;
          r = pythag(p, ei);
          e[i + 1] = s * r;
          const ir = 1 / r;
          s = ei * ir;
          c = p * ir;
          const di = d[i];
          p = c * di - s * g;
          d[i + 1] = h + s * (c * g + s * di);
          cs[i] = c;
          sn[i] = s;
        }
        if (z !== null) rotateRows(z, n, l, m, cs, sn);
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > eps * tst1);
    }
    d[l] += f;
    e[l] = 0;
  }
}

/**
 * Apply the sweep's rotations i = m−1 … l to row pairs (i, i+1) of `z` (row length n):
 * z_{i+1} ← s z_i + c z_{i+1}, z_i ← c z_i − s z_{i+1}. Two rotations share one pass over
 * three rows (three share a pass over four), so each row is loaded and stored once per pass.
 */
function rotateRows(
  z: Float64Array,
  n: number,
  l: number,
  m: number,
  cs: Float64Array,
  sn: Float64Array,
): void {
  let i = m - 1;
  for (; i - 3 >= l; i -= 4) {
    const c0 = cs[i];
    const s0 = sn[i];
    const c1 = cs[i - 1];
    const s1 = sn[i - 1];
    const c2 = cs[i - 2];
    const s2 = sn[i - 2];
    const c3 = cs[i - 3];
    const s3 = sn[i - 3];
    const ra = (i - 3) * n;
    const rb = ra + n;
    const rc = rb + n;
    const rd = rc + n;
    const re = rd + n;
    for (let k = 0; k < n; k++) {
      const ze = z[re + k];
      const zd = z[rd + k];
      z[re + k] = s0 * zd + c0 * ze;
      const t = c0 * zd - s0 * ze;
      const zc = z[rc + k];
      z[rd + k] = s1 * zc + c1 * t;
      const u = c1 * zc - s1 * t;
      const zb = z[rb + k];
      z[rc + k] = s2 * zb + c2 * u;
      const v = c2 * zb - s2 * u;
      const za = z[ra + k];
      z[rb + k] = s3 * za + c3 * v;
      z[ra + k] = c3 * za - s3 * v;
    }
  }
  for (; i - 2 >= l; i -= 3) {
    const c0 = cs[i];
    const s0 = sn[i];
    const c1 = cs[i - 1];
    const s1 = sn[i - 1];
    const c2 = cs[i - 2];
    const s2 = sn[i - 2];
    const ra = (i - 2) * n;
    const rb = ra + n;
    const rc = rb + n;
    const rd = rc + n;
    for (let k = 0; k < n; k++) {
      const zd = z[rd + k];
      const zc = z[rc + k];
      const zb = z[rb + k];
      const za = z[ra + k];
      z[rd + k] = s0 * zc + c0 * zd;
      const t = c0 * zc - s0 * zd;
      z[rc + k] = s1 * zb + c1 * t;
      const u = c1 * zb - s1 * t;
      z[rb + k] = s2 * za + c2 * u;
      z[ra + k] = c2 * za - s2 * u;
    }
  }
  for (; i - 1 >= l; i -= 2) {
    const c0 = cs[i];
    const s0 = sn[i];
    const c1 = cs[i - 1];
    const s1 = sn[i - 1];
    const ra = (i - 1) * n;
    const rb = ra + n;
    const rc = rb + n;
    for (let k = 0; k < n; k++) {
      const zc = z[rc + k];
      const zb = z[rb + k];
      const za = z[ra + k];
      z[rc + k] = s0 * zb + c0 * zc;
      const t = c0 * zb - s0 * zc;
      z[rb + k] = s1 * za + c1 * t;
      z[ra + k] = c1 * za - s1 * t;
    }
  }
  if (i === l) {
    const c0 = cs[i];
    const s0 = sn[i];
    const ra = i * n;
    const rb = ra + n;
    for (let k = 0; k < n; k++) {
      const zb = z[rb + k];
      const za = z[ra + k];
      z[rb + k] = s0 * za + c0 * zb;
      z[ra + k] = c0 * za - s0 * zb;
    }
  }
}
