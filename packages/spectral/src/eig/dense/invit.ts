import { GraphpeError } from '../../errors.js';
import { tridiagQL } from './ql.js';

/** Inverse-iteration limits of LAPACK dstein: 5 solves at most, 2 extra after the growth test passes. */
const MAX_ITS = 5;
const EXTRA = 2;
const EPS = 2 ** -52;

/**
 * Eigenpairs of a symmetric tridiagonal matrix by implicit QL eigenvalues (no vectors, O(n²)) and
 * inverse iteration for the eigenvectors (LAPACK dstein: dlagtf/dlagts LU with partial pivoting,
 * Golub & Van Loan §8.2.2 / §8.4). The matrix is first split where |e_i| ≤ ε‖T‖; in each block,
 * vectors whose eigenvalues are within 10⁻³‖T_block‖₁ of an earlier one are re-orthogonalized
 * against it (modified Gram–Schmidt over that window), so clusters stay orthogonal.
 *
 * `d`, `e` as left by `tridiagonalize` (e[i] = T[i][i−1]), not modified. On exit `lam[j]` is an
 * eigenvalue and row j of `z` (n×n) its unit eigenvector, zero outside its block; `blockStart[j]`
 * is the first row of that block (used to skip work in the back-transformation).
 * Cost O(n²) plus the reorthogonalization (O(n·k²) for a window of k close eigenvalues).
 */
export function tridiagEigInverseIteration(
  d: Float64Array,
  e: Float64Array,
  n: number,
  lam: Float64Array,
  z: Float64Array,
  blockStart: Int32Array,
  piv: Int32Array,
  scratch: Float64Array[],
): void {
  const [dd, ee, la, lb, lc, ld, x, qd, qe, cs] = scratch;
  splitTridiagEigenvalues(d, e, n, dd, ee, qd, qe, cs);
  z.fill(0, 0, n * n);
  let seed = 0x2545f491;
  let b0 = 0;
  while (b0 < n) {
    let b1 = b0 + 1;
    while (b1 < n && ee[b1 - 1] !== 0) b1++;
    const bs = b1 - b0;
    // Ascending eigenvalues of this block (insertion sort; blocks are visited in order).
    for (let i = b0 + 1; i < b1; i++) {
      const v = qd[i];
      let k = i - 1;
      while (k >= b0 && qd[k] > v) {
        qd[k + 1] = qd[k];
        k--;
      }
      qd[k + 1] = v;
    }
    if (bs === 1) {
      lam[b0] = qd[b0];
      z[b0 * n + b0] = 1;
      blockStart[b0] = b0;
      b0 = b1;
      continue;
    }
    let onenrm = 0;
    for (let i = b0; i < b1; i++) {
      const t = Math.abs(dd[i]) + (i > b0 ? Math.abs(ee[i - 1]) : 0) + (i + 1 < b1 ? Math.abs(ee[i]) : 0);
      if (t > onenrm) onenrm = t;
    }
    const ortol = 1e-3 * onenrm;
    const dtpcrt = Math.sqrt(0.1 / bs);
    let xjm = 0;
    for (let j = b0; j < b1; j++) {
      let xj = qd[j];
      if (j > b0) {
        const pertol = 10 * Math.abs(EPS * xj);
        if (xj - xjm < pertol) xj = xjm + pertol;
      }
      // LU of T_block − xj I with partial pivoting (dlagtf): la = diag of U, lb/ld = superdiagonals,
      // lc = multipliers, piv[k] = 1 where rows k, k+1 were interchanged.
      lufactor(dd, ee, b0, bs, xj, la, lb, lc, ld, piv);
      for (let k = 0; k < bs; k++) {
        seed ^= seed << 13;
        seed ^= seed >>> 17;
        seed ^= seed << 5;
        x[k] = (seed >>> 0) / 2147483648 - 1;
      }
      let tol = Math.abs(la[0]);
      if (bs > 1) tol = Math.max(tol, Math.abs(la[1]), Math.abs(lb[0]));
      for (let k = 2; k < bs; k++)
        tol = Math.max(tol, Math.abs(la[k]), Math.abs(lb[k - 1]), Math.abs(ld[k - 2]));
      tol *= EPS;
      if (tol === 0) tol = EPS;
      let its = 0;
      let nrmchk = 0;
      for (;;) {
        if (++its > MAX_ITS) {
          throw new GraphpeError(
            'E_NOT_CONVERGED',
            `spectral.eigh: inverse iteration did not converge for eigenvalue ${xj} (block of ${bs})`,
            { value: xj, block: bs },
          );
        }
        let asum = 0;
        for (let k = 0; k < bs; k++) asum += Math.abs(x[k]);
        const scl = (bs * onenrm * Math.max(EPS, Math.abs(la[bs - 1]))) / asum;
        for (let k = 0; k < bs; k++) x[k] *= scl;
        lusolve(bs, la, lb, lc, ld, piv, x, tol);
        // Re-orthogonalize against earlier vectors of this block with eigenvalues within ortol.
        for (let p = j - 1; p >= b0 && xj - lam[p] <= ortol; p--) {
          const rp = p * n + b0;
          let s = 0;
          for (let k = 0; k < bs; k++) s += x[k] * z[rp + k];
          for (let k = 0; k < bs; k++) x[k] -= s * z[rp + k];
        }
        let nrm = 0;
        for (let k = 0; k < bs; k++) {
          const a = Math.abs(x[k]);
          if (a > nrm) nrm = a;
        }
        if (nrm < dtpcrt) continue;
        if (++nrmchk < EXTRA + 1) continue;
        break;
      }
      let ss = 0;
      let jmax = 0;
      let amax = -1;
      for (let k = 0; k < bs; k++) {
        ss += x[k] * x[k];
        const a = Math.abs(x[k]);
        if (a > amax) {
          amax = a;
          jmax = k;
        }
      }
      let scl = 1 / Math.sqrt(ss);
      if (x[jmax] < 0) scl = -scl;
      const rj = j * n + b0;
      for (let k = 0; k < bs; k++) z[rj + k] = x[k] * scl;
      lam[j] = qd[j];
      blockStart[j] = b0;
      xjm = xj;
    }
    b0 = b1;
  }
}

/** dlagtf: LU with partial pivoting of the tridiagonal block (d[b0…], sub/super e[b0…]) − λI. */
function lufactor(
  dd: Float64Array,
  ee: Float64Array,
  b0: number,
  bs: number,
  lambda: number,
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  d2: Float64Array,
  piv: Int32Array,
): void {
  for (let k = 0; k < bs; k++) a[k] = dd[b0 + k] - lambda;
  for (let k = 0; k + 1 < bs; k++) {
    b[k] = ee[b0 + k];
    c[k] = ee[b0 + k];
  }
  let scale1 = Math.abs(a[0]) + Math.abs(b[0]);
  for (let k = 0; k + 1 < bs; k++) {
    let scale2 = Math.abs(c[k]) + Math.abs(a[k + 1]);
    if (k < bs - 2) scale2 += Math.abs(b[k + 1]);
    const piv1 = a[k] === 0 ? 0 : Math.abs(a[k]) / scale1;
    if (c[k] === 0) {
      piv[k] = 0;
      scale1 = scale2;
      if (k < bs - 2) d2[k] = 0;
    } else {
      const piv2 = Math.abs(c[k]) / scale2;
      if (piv2 <= piv1) {
        piv[k] = 0;
        scale1 = scale2;
        c[k] /= a[k];
        a[k + 1] -= c[k] * b[k];
        if (k < bs - 2) d2[k] = 0;
      } else {
        piv[k] = 1;
        const mult = a[k] / c[k];
        a[k] = c[k];
        const temp = a[k + 1];
        a[k + 1] = b[k] - mult * temp;
        if (k < bs - 2) {
          d2[k] = b[k + 1];
          b[k + 1] = -mult * d2[k];
        }
        b[k] = temp;
        c[k] = mult;
      }
    }
  }
}

/** dlagts (job −1): solve (T − λI) x = y in place, nudging tiny pivots by ±tol (doubling) to avoid overflow. */
function lusolve(
  bs: number,
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  d2: Float64Array,
  piv: Int32Array,
  y: Float64Array,
  tol: number,
): void {
  for (let k = 1; k < bs; k++) {
    if (piv[k - 1] === 0) {
      y[k] -= c[k - 1] * y[k - 1];
    } else {
      const t = y[k - 1];
      y[k - 1] = y[k];
      y[k] = t - c[k - 1] * y[k];
    }
  }
  for (let k = bs - 1; k >= 0; k--) {
    let temp = y[k];
    if (k <= bs - 3) temp -= b[k] * y[k + 1] + d2[k] * y[k + 2];
    else if (k === bs - 2) temp -= b[k] * y[k + 1];
    let ak = a[k];
    let pert = ak >= 0 ? tol : -tol;
    while (ak === 0 || Math.abs(temp) > Math.abs(ak) * 1e290) {
      ak += pert;
      pert *= 2;
    }
    y[k] = temp / ak;
  }
}

/**
 * Eigenvalues of the tridiagonal (d, e[i] = T[i][i−1]) split where |e_i| ≤ ε‖T‖: `dd`/`ee` get the
 * split matrix (ee[i] = T[i+1][i]), `qd` its eigenvalues, each inside its block's index range
 * (implicit QL, EISPACK tql1). Shared by the values-only and the inverse-iteration paths so both
 * return identical eigenvalues.
 */
export function splitTridiagEigenvalues(
  d: Float64Array,
  e: Float64Array,
  n: number,
  dd: Float64Array,
  ee: Float64Array,
  qd: Float64Array,
  qe: Float64Array,
  cs: Float64Array,
): void {
  let tnorm = 0;
  for (let i = 0; i < n; i++) {
    const t = Math.abs(d[i]) + (i > 0 ? Math.abs(e[i]) : 0) + (i + 1 < n ? Math.abs(e[i + 1]) : 0);
    if (t > tnorm) tnorm = t;
  }
  for (let i = 0; i < n; i++) dd[i] = d[i];
  for (let i = 0; i + 1 < n; i++) ee[i] = Math.abs(e[i + 1]) <= EPS * tnorm ? 0 : e[i + 1];
  for (let i = 0; i < n; i++) qd[i] = dd[i];
  qe[0] = 0;
  for (let i = 1; i < n; i++) qe[i] = ee[i - 1];
  tridiagQL(qd, qe, n, null, cs, cs);
}
