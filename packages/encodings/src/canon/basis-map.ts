/**
 * MAP basis canonization for an eigenspace of dimension d ≥ 2 (Ma et al. 2023, "Laplacian
 * Canonization", arXiv 2310.18716; reference `LaplacianCanonization/data/map.py::unique_basis`).
 *
 * With P = UUᵀ (independent of the basis U), the node keys √P_ii = ‖P e_i‖ split the nodes into classes;
 * the d classes with the largest keys, in descending order, give x_j = 1_{G_j} + 10·1, and v_j is the part
 * of P·x_j orthogonal to v_1..v_{j−1}, normalized. The output [v_1 … v_d] is orthonormal, spans span(U),
 * is invariant to U ↦ UQ for every Q ∈ O(d) and equivariant to node permutations.
 *
 * Fixed defects of the reference: keys are grouped with a tolerance instead of rounding to 14 decimals;
 * assumption 2 (v_j ≠ 0) is tested relative to ‖x_j‖ (the reference tests `norm != 0` exactly and then
 * normalizes floating-point noise, e.g. a residual of 8.8e-16, which makes its output depend on the input
 * rotation); and a failure returns status `basis_noncanonizable` instead of the silent
 * `except AssertionError: continue` that keeps the raw, non-invariant basis.
 */
import {
  type BasisResult,
  checkBasisInput,
  classCoefficients,
  columnSums,
  keyClasses,
  multiplyBasis,
  orthogonalize,
  resolveBasisOptions,
} from './basis-common.js';
import { type BasisOptions, REFERENCE_OFFSET } from './types.js';

/**
 * Canonical basis of the eigenspace spanned by the orthonormal columns of U (n×d row-major) by the MAP
 * rule; `basis_noncanonizable` (with a copy of U) when there are fewer than d key classes or a projection
 * adds no new direction.
 */
export function mapBasis(U: Float64Array, n: number, d: number, options: BasisOptions = {}): BasisResult {
  const where = 'encodings.mapBasis';
  const opts = resolveBasisOptions(options, where);
  checkBasisInput(U, n, d, where);
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let a = 0; a < d; a++) s += U[i * d + a] * U[i * d + a];
    keys[i] = Math.sqrt(s);
  }
  const order = new Int32Array(n);
  const starts = new Int32Array(n + 1);
  const classes = keyClasses(keys, n, opts.keyTol, order, starts);
  const fail = (reason: BasisResult['reason']): BasisResult => ({
    basis: U.slice(0, n * d),
    status: 'basis_noncanonizable',
    reason,
    classes,
  });
  if (classes < d) return fail('too-few-key-classes');
  const sums = columnSums(U, n, d);
  const Q = new Float64Array(d * d);
  const c = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    const xNorm = classCoefficients(U, n, d, order, starts, j, REFERENCE_OFFSET, sums, c);
    const r = orthogonalize(c, Q, j, d);
    if (r <= opts.tol * xNorm) return fail('rank-deficient');
    for (let a = 0; a < d; a++) Q[a * d + j] = c[a] / r;
  }
  return { basis: multiplyBasis(U, n, d, Q), status: 'canonized', classes };
}
