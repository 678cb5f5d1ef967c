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
  // `qe` is free after the eigenvalues: it holds the reciprocal pivots 1/u_kk of each factorization.
  const ainv = qe;
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
      // lc = multipliers, piv[k] = 1 where rows k, k+1 were interchanged; `tol` = ε·max|U|.
      let tol = lufactor(dd, ee, b0, bs, xj, la, lb, lc, ld, piv, ainv) * EPS;
      if (tol === 0) tol = EPS;
      let asum = 0;
      for (let k = 0; k < bs; k++) {
        seed ^= seed << 13;
        seed ^= seed >>> 17;
        seed ^= seed << 5;
        const r = (seed >>> 0) / 2147483648 - 1;
        x[k] = r;
        asum += Math.abs(r);
      }
      // Windows of earlier vectors to re-orthogonalize against (eigenvalues within ortol).
      let p0 = j;
      while (p0 > b0 && xj - lam[p0 - 1] <= ortol) p0--;
      const sclBase = bs * onenrm * Math.max(EPS, Math.abs(la[bs - 1]));
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
        const scl = sclBase / asum;
        let nrm = lusolve(bs, la, lb, lc, ld, piv, ainv, x, tol, scl);
        asum = solveAsum;
        if (p0 < j) {
          // Re-orthogonalize against earlier vectors of this block with eigenvalues within ortol.
          for (let p = j - 1; p >= p0; p--) {
            const rp = p * n + b0;
            let s = 0;
            for (let k = 0; k < bs; k++) s += x[k] * z[rp + k];
            for (let k = 0; k < bs; k++) x[k] -= s * z[rp + k];
          }
          nrm = 0;
          asum = 0;
          for (let k = 0; k < bs; k++) {
            const a = Math.abs(x[k]);
            asum += a;
            if (a > nrm) nrm = a;
          }
        }
        if (nrm >= dtpcrt && ++nrmchk >= EXTRA + 1) break;
      }
      let ss = 0;
      let jmax = 0;
      let amax = -1;
      for (let k = 0; k < bs; k++) {
        const xk = x[k];
        ss += xk * xk;
        const a = Math.abs(xk);
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

/**
 * dlagtf: LU with partial pivoting of the tridiagonal block (d[b0…], sub/super e[b0…]) − λI.
 * Also writes the reciprocal pivots `ainv[k] = 1/a[k]` for {@link lusolve}, pads the factors so
 * that the back substitution needs no end cases (b[bs−1] = d2[bs−2] = d2[bs−1] = 0), and returns
 * max|U| (dstein's tolerance scale).
 */
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
  ainv: Float64Array,
): number {
  // Row k of the active 2-row window: ak (diagonal), bk (superdiagonal); the next row starts as
  // (ck = e_k, a_{k+1} = d_{k+1} − λ, b_{k+1} = e_{k+1}).
  let ak = dd[b0] - lambda;
  let bk = bs > 1 ? ee[b0] : 0;
  let scale1 = Math.abs(ak) + Math.abs(bk);
  let mx = 0;
  for (let k = 0; k + 1 < bs; k++) {
    const ck = ee[b0 + k];
    let an = dd[b0 + k + 1] - lambda;
    let bn = k < bs - 2 ? ee[b0 + k + 1] : 0;
    const scale2 = Math.abs(ck) + Math.abs(an) + Math.abs(bn);
    // No interchange when |c|/scale2 ≤ |a|/scale1 (dlagtf's piv2 ≤ piv1, cross-multiplied).
    if (ck === 0 || (ak !== 0 && Math.abs(ck) * scale1 <= Math.abs(ak) * scale2)) {
      piv[k] = 0;
      scale1 = scale2;
      const ia = 1 / ak;
      if (ck !== 0) {
        const m = ck * ia;
        c[k] = m;
        an -= m * bk;
      } else c[k] = 0;
      a[k] = ak;
      ainv[k] = ia;
      b[k] = bk;
      d2[k] = 0;
      const t = Math.max(Math.abs(ak), Math.abs(bk));
      if (t > mx) mx = t;
    } else {
      piv[k] = 1;
      const ia = 1 / ck;
      const mult = ak * ia;
      a[k] = ck;
      ainv[k] = ia;
      b[k] = an;
      d2[k] = bn;
      c[k] = mult;
      const t = Math.max(Math.abs(ck), Math.abs(an), Math.abs(bn));
      if (t > mx) mx = t;
      an = bk - mult * an;
      bn = -mult * bn;
    }
    ak = an;
    bk = bn;
  }
  a[bs - 1] = ak;
  ainv[bs - 1] = 1 / ak;
  b[bs - 1] = 0;
  d2[bs - 1] = 0;
  if (bs > 1) d2[bs - 2] = 0;
  if (Math.abs(ak) > mx) mx = Math.abs(ak);
  return mx;
}

/** Σ|x_k| of the last {@link lusolve} result (the next iteration's scaling). */
let solveAsum = 0;

/**
 * dlagts (job −1): solve (T − λI) x = s·y in place (the scaling folded into the forward pass),
 * nudging tiny pivots by ±tol (doubling) to avoid overflow; returns max|x|. The pivots are used as
 * reciprocals; an element whose quotient would exceed 1e290 (or whose pivot is 0) takes the
 * nudging path, exactly the condition of dlagts. Σ|x| is left in `solveAsum`.
 */
function lusolve(
  bs: number,
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  d2: Float64Array,
  piv: Int32Array,
  ainv: Float64Array,
  y: Float64Array,
  tol: number,
  s: number,
): number {
  let prev = y[0] * s;
  y[0] = prev;
  for (let k = 1; k < bs; k++) {
    const yk = y[k] * s;
    if (piv[k - 1] === 0) {
      prev = yk - c[k - 1] * prev;
      y[k] = prev;
    } else {
      y[k - 1] = yk;
      prev = prev - c[k - 1] * yk;
      y[k] = prev;
    }
  }
  y[bs] = 0;
  y[bs + 1] = 0;
  let y1 = 0;
  let y2 = 0;
  let nrm = 0;
  let asum = 0;
  for (let k = bs - 1; k >= 0; k--) {
    const temp = y[k] - (b[k] * y1 + d2[k] * y2);
    let q = temp * ainv[k];
    if (!(Math.abs(q) <= 1e290)) {
      let ak = a[k];
      let pert = ak >= 0 ? tol : -tol;
      while (ak === 0 || Math.abs(temp) > Math.abs(ak) * 1e290) {
        ak += pert;
        pert *= 2;
      }
      q = temp / ak;
    }
    y[k] = q;
    y2 = y1;
    y1 = q;
    const aq = Math.abs(q);
    asum += aq;
    if (aq > nrm) nrm = aq;
  }
  solveAsum = asum;
  return nrm;
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
