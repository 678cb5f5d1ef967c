/**
 * Small dense symmetric kernels for the Rayleigh–Ritz steps of the sparse solvers (sizes ≲ 300):
 * cyclic Jacobi eigendecomposition (Golub & Van Loan §8.5, threshold strategy) for tiny matrices,
 * the dense package's Householder + implicit QL `eigh` above {@link JACOBI_MAX} (Jacobi's O(m³) per
 * sweep × ~8 sweeps costs 9 ms at m = 54 and 345 ms at m = 200, against 1.1 and 13 ms), and Cholesky.
 */
import { eigh } from '../dense/eigh.js';

/** Largest order solved by Jacobi; larger ones go to tridiagonal QL (equal speed near m = 20). */
export const JACOBI_MAX = 20;

/** Eigen-decomposition of a symmetric m×m row-major matrix: ascending values, vectors as columns of V (m×m row-major). */
export interface SmallEig {
  readonly values: Float64Array;
  readonly vectors: Float64Array;
}

/** Ascending eigenpairs of a symmetric m×m matrix (Jacobi up to {@link JACOBI_MAX}, tridiagonal QL above). `a` is not modified. */
export function symEigSmall(a: Float64Array, m: number): SmallEig {
  if (m > JACOBI_MAX) {
    // eigh reads the upper triangle only: symmetrize first so both solvers see (A + Aᵀ)/2.
    const S = Float64Array.from(a.subarray(0, m * m));
    for (let i = 0; i < m; i++) {
      for (let j = i + 1; j < m; j++) S[i * m + j] = 0.5 * (S[i * m + j] + S[j * m + i]);
    }
    return eigh(S, m, { check: false });
  }
  return symEigJacobi(a, m);
}

/** Cyclic Jacobi with threshold (Golub & Van Loan §8.5.3): accurate, simple, O(m³) per sweep. `a` is not modified. */
export function symEigJacobi(a: Float64Array, m: number): SmallEig {
  const A = Float64Array.from(a.subarray(0, m * m));
  const V = new Float64Array(m * m);
  for (let i = 0; i < m; i++) V[i * m + i] = 1;
  let diagNorm = 0;
  for (let i = 0; i < m; i++) diagNorm += A[i * m + i] * A[i * m + i];
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) off += A[i * m + j] * A[i * m + j];
    if (off <= 1e-30 * (diagNorm + 2 * off) || off === 0) break;
    const thresh = sweep < 3 ? (0.2 * Math.sqrt(off)) / (m * m) : 0;
    for (let p = 0; p < m - 1; p++) {
      for (let q = p + 1; q < m; q++) {
        const apq = A[p * m + q];
        if (Math.abs(apq) <= thresh || apq === 0) continue;
        const app = A[p * m + p];
        const aqq = A[q * m + q];
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        // A ← Jᵀ A J on rows/cols p, q.
        for (let r = 0; r < m; r++) {
          const arp = A[r * m + p];
          const arq = A[r * m + q];
          A[r * m + p] = c * arp - s * arq;
          A[r * m + q] = s * arp + c * arq;
        }
        for (let r = 0; r < m; r++) {
          const apr = A[p * m + r];
          const aqr = A[q * m + r];
          A[p * m + r] = c * apr - s * aqr;
          A[q * m + r] = s * apr + c * aqr;
        }
        A[p * m + q] = 0;
        A[q * m + p] = 0;
        for (let r = 0; r < m; r++) {
          const vrp = V[r * m + p];
          const vrq = V[r * m + q];
          V[r * m + p] = c * vrp - s * vrq;
          V[r * m + q] = s * vrp + c * vrq;
        }
      }
    }
  }
  const order = Array.from({ length: m }, (_, i) => i).sort((x, y) => A[x * m + x] - A[y * m + y]);
  const values = new Float64Array(m);
  const vectors = new Float64Array(m * m);
  for (let j = 0; j < m; j++) {
    const src = order[j];
    values[j] = A[src * m + src];
    for (let r = 0; r < m; r++) vectors[r * m + j] = V[r * m + src];
  }
  return { values, vectors };
}

/** In-place lower Cholesky factor of a symmetric positive definite m×m matrix; false if not (numerically) PD. */
export function choleskyInPlace(a: Float64Array, m: number): boolean {
  for (let j = 0; j < m; j++) {
    let d = a[j * m + j];
    for (let p = 0; p < j; p++) d -= a[j * m + p] * a[j * m + p];
    if (!(d > 0)) return false;
    const ljj = Math.sqrt(d);
    a[j * m + j] = ljj;
    for (let i = j + 1; i < m; i++) {
      let s = a[i * m + j];
      for (let p = 0; p < j; p++) s -= a[i * m + p] * a[j * m + p];
      a[i * m + j] = s / ljj;
    }
    for (let p = j + 1; p < m; p++) a[j * m + p] = 0;
  }
  return true;
}
