/**
 * Building blocks shared by the MAP and OAP basis rules: input checks, node-key classes, class indicator
 * projections and Gram–Schmidt, all in the d-dimensional coefficient space of the eigenspace basis U
 * (for orthonormal U, P·x = U·(Uᵀx) and inner products of vectors in span(U) are those of their
 * coefficients), so a class costs O(n·d) and the orthogonalization O(d²).
 *
 * References: Ma et al. 2023 (MAP), arXiv 2310.18716; Ma et al. 2024 (OAP), arXiv 2405.18378.
 */
import { checkOption, GraphpeError } from '@graphpe/spectral';
import { type BasisOptions, DEFAULT_BASIS_TOL, DEFAULT_KEY_TOL } from './types.js';

/** Basis options with defaults filled in. */
export interface ResolvedBasisOptions {
  readonly keyTol: number;
  readonly tol: number;
}

export function resolveBasisOptions(options: BasisOptions = {}, where: string): ResolvedBasisOptions {
  const keyTol = options.keyTol ?? DEFAULT_KEY_TOL;
  const tol = options.tol ?? DEFAULT_BASIS_TOL;
  checkOption(Number.isFinite(keyTol) && keyTol > 0 && keyTol < 1, where, 'keyTol must be in (0, 1)', keyTol);
  checkOption(Number.isFinite(tol) && tol > 0 && tol < 1, where, 'tol must be in (0, 1)', tol);
  return { keyTol, tol };
}

/** Result of a basis rule ({@link mapBasis}, {@link oapBasis}). */
export interface BasisResult {
  /** n×d row-major: the canonical orthonormal basis, or a copy of U when not canonized. */
  readonly basis: Float64Array;
  readonly status: 'canonized' | 'basis_noncanonizable';
  /** Why the rule failed (absent when canonized). */
  readonly reason?: 'too-few-key-classes' | 'rank-deficient';
  /** Number of node-key classes found. */
  readonly classes: number;
}

/**
 * Check the n×d block: finite, n ≥ d ≥ 1 and orthonormal columns (‖UᵀU − I‖_max ≤ 1e-6), which the
 * projector P = UUᵀ needs. Eigenvectors of the `rw` Laplacian are not orthonormal: canonize the `sym`
 * ones instead and map them with D^{-1/2}.
 */
export function checkBasisInput(U: Float64Array, n: number, d: number, where: string): void {
  checkOption(
    Number.isInteger(n) && Number.isInteger(d) && d >= 1 && n >= d,
    where,
    'need n ≥ d ≥ 1',
    `${n}×${d}`,
  );
  if (U.length < n * d) {
    throw new GraphpeError('E_SHAPE', `${where}: U has ${U.length} entries, expected n·d = ${n * d}`, {
      length: U.length,
      n,
      d,
    });
  }
  for (let p = 0; p < n * d; p++) {
    const x = U[p];
    if (x - x !== 0) {
      throw new GraphpeError('E_NAN', `${where}: U[${Math.floor(p / d)}, ${p % d}] is ${x}`, { value: x });
    }
  }
  let worst = 0;
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += U[i * d + a] * U[i * d + b];
      worst = Math.max(worst, Math.abs(s - (a === b ? 1 : 0)));
    }
  }
  checkOption(
    worst <= 1e-6,
    where,
    `the columns of U must be orthonormal (max |UᵀU − I| = ${worst.toExponential(2)}); rw-Laplacian eigenvectors are not — canonize the sym ones`,
  );
}

/**
 * Sort nodes by key, descending, into `order`, and split them into classes wherever two consecutive keys
 * differ by more than keyTol·max(1, |key|) (a chained tolerance: it depends only on the multiset of keys,
 * so it is permutation-equivariant and has no rounding boundaries). Class c is
 * order[starts[c] .. starts[c+1]). Returns the number of classes.
 */
export function keyClasses(
  keys: Float64Array,
  n: number,
  keyTol: number,
  order: Int32Array,
  starts: Int32Array,
): number {
  for (let i = 0; i < n; i++) order[i] = i;
  order.subarray(0, n).sort((a, b) => keys[b] - keys[a]);
  let m = 0;
  starts[m++] = 0;
  for (let p = 1; p < n; p++) {
    const a = keys[order[p - 1]];
    const b = keys[order[p]];
    if (a - b > keyTol * Math.max(1, Math.abs(a), Math.abs(b))) starts[m++] = p;
  }
  starts[m] = n;
  return m;
}

/** Column sums of U (Uᵀ1), length d. */
export function columnSums(U: Float64Array, n: number, d: number): Float64Array {
  const s = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let a = 0; a < d; a++) s[a] += U[i * d + a];
  return s;
}

/**
 * Coefficients c = Uᵀx of the projection P·x for x = 1_G + offset·1 (G = class `cls`), written to `out`;
 * returns ‖x‖₂.
 */
export function classCoefficients(
  U: Float64Array,
  n: number,
  d: number,
  order: Int32Array,
  starts: Int32Array,
  cls: number,
  offset: number,
  sums: Float64Array,
  out: Float64Array,
): number {
  for (let a = 0; a < d; a++) out[a] = offset * sums[a];
  const lo = starts[cls];
  const hi = starts[cls + 1];
  for (let p = lo; p < hi; p++) {
    const row = order[p] * d;
    for (let a = 0; a < d; a++) out[a] += U[row + a];
  }
  const g = hi - lo;
  return Math.sqrt(g * (1 + offset) * (1 + offset) + (n - g) * offset * offset);
}

/**
 * Remove from c (length d) its components along the m orthonormal coefficient vectors stored as columns
 * of Q (d×d row-major, columns 0..m−1), twice (classical Gram–Schmidt with re-orthogonalization); returns
 * the norm of what is left.
 */
export function orthogonalize(c: Float64Array, Q: Float64Array, m: number, d: number): number {
  for (let pass = 0; pass < 2; pass++) {
    for (let j = 0; j < m; j++) {
      let dot = 0;
      for (let a = 0; a < d; a++) dot += Q[a * d + j] * c[a];
      for (let a = 0; a < d; a++) c[a] -= dot * Q[a * d + j];
    }
  }
  let s = 0;
  for (let a = 0; a < d; a++) s += c[a] * c[a];
  return Math.sqrt(s);
}

/** V = U·Q (n×d times d×d, both row-major). */
export function multiplyBasis(U: Float64Array, n: number, d: number, Q: Float64Array): Float64Array {
  const V = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) {
      const u = U[i * d + a];
      if (u === 0) continue;
      for (let b = 0; b < d; b++) V[i * d + b] += u * Q[a * d + b];
    }
  }
  return V;
}
