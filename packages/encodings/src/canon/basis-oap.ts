/**
 * OAP ("orthogonalized axis projection") basis canonization for an eigenspace of dimension d ≥ 2
 * (Ma et al. 2024, "A Canonicalization Perspective on Invariant and Equivariant Learning", arXiv
 * 2405.18378; reference `canonicalization/data/oap.py::oap_basis`, variant `data/fa_lap.py::fa_basis`).
 *
 * With P = UUᵀ, node i gets the key h_i = Σ_j P_ji³ + P_ii (`key: 'oap'`; finer than MAP's √P_ii, still
 * permutation-equivariant) or P_ii (`key: 'diag'`, the `fa_basis` variant). Classes of equal keys are
 * visited in descending key order; for each, w = P·(1_G + 10·1) is kept when it adds a new direction to
 * those selected (greedy over all classes, where MAP stops at the first d), until d are selected; the
 * selection is orthonormalized in order (QR with a positive diagonal of R, i.e. Gram–Schmidt). The output
 * is invariant to U ↦ UQ (Q ∈ O(d), reflections included) and equivariant to node permutations.
 *
 * Fixed defects of the reference: keys are grouped with a relative tolerance instead of `'%.5g'` rounding;
 * a projection is skipped when ‖w‖ ≤ tol·‖x‖ (the reference normalizes first, so only ‖w‖ < ~1e-20 is
 * skipped), and the rank test uses the same explicit tolerance; failures return `basis_noncanonizable`.
 */

import { checkOption } from '@graphpe/spectral';
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

/** Options of {@link oapBasis}: the node key (`oap`: Σ_j P_ji³ + P_ii, `diag`: P_ii) [oap]. */
export interface OapOptions extends BasisOptions {
  key?: 'oap' | 'diag';
}

/**
 * Canonical basis of the eigenspace spanned by the orthonormal columns of U (n×d row-major) by the OAP
 * rule; `basis_noncanonizable` (with a copy of U) when there are fewer than d key classes (all keys tie,
 * e.g. vertex-transitive graphs) or the class projections span fewer than d dimensions. O(n²d) for the keys.
 */
export function oapBasis(U: Float64Array, n: number, d: number, options: OapOptions = {}): BasisResult {
  const where = 'encodings.oapBasis';
  const opts = resolveBasisOptions(options, where);
  const key = options.key ?? 'oap';
  checkOption(key === 'oap' || key === 'diag', where, "key must be 'oap' or 'diag'", key);
  checkBasisInput(U, n, d, where);
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const ri = i * d;
    let pii = 0;
    for (let a = 0; a < d; a++) pii += U[ri + a] * U[ri + a];
    if (key === 'diag') {
      keys[i] = pii;
      continue;
    }
    let cubes = 0;
    for (let j = 0; j < n; j++) {
      const rj = j * d;
      let p = 0;
      for (let a = 0; a < d; a++) p += U[ri + a] * U[rj + a];
      cubes += p * p * p;
    }
    keys[i] = cubes + pii;
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
  let rank = 0;
  for (let j = 0; j < classes && rank < d; j++) {
    const xNorm = classCoefficients(U, n, d, order, starts, j, REFERENCE_OFFSET, sums, c);
    let w = 0;
    for (let a = 0; a < d; a++) w += c[a] * c[a];
    w = Math.sqrt(w);
    if (w <= opts.tol * xNorm) continue;
    const r = orthogonalize(c, Q, rank, d);
    if (r <= opts.tol * xNorm || r <= opts.tol * w) continue;
    for (let a = 0; a < d; a++) Q[a * d + rank] = c[a] / r;
    rank++;
  }
  if (rank < d) return fail('rank-deficient');
  return { basis: multiplyBasis(U, n, d, Q), status: 'canonized', classes };
}
