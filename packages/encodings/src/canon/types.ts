/**
 * Shared types and defaults of the canonization module (sign and basis canonization of Laplacian
 * eigenvectors, after Ma et al. 2023 "Laplacian Canonization" (MAP, arXiv 2310.18716) and Ma et al. 2024
 * "A Canonicalization Perspective on Invariant and Equivariant Learning" (OAP, arXiv 2405.18378)).
 */

/**
 * Outcome for one eigenvector column or one eigenspace:
 * - `canonized`: the output does not depend on the sign (simple eigenvalue) or the orthonormal basis
 *   (repeated eigenvalue) the solver returned, and is permutation-equivariant;
 * - `sign_noncanonizable`: simple eigenvector u with {u_i} = {−u_i} as multisets; no equivariant sign
 *   rule exists for it, so it is returned unchanged (sign frames average over it);
 * - `basis_noncanonizable`: an eigenspace of dimension ≥ 2 the basis rule cannot fix; returned unchanged;
 * - `partial`: the k-column truncation cuts the eigenspace (or its multiplicity is only a lower bound),
 *   so no invariant output exists from the kept columns; returned unchanged;
 * - `padding`: a padding column (mask 0) — not an eigenvector; returned unchanged.
 */
export type CanonStatus =
  | 'canonized'
  | 'sign_noncanonizable'
  | 'basis_noncanonizable'
  | 'partial'
  | 'padding';

/**
 * Why a column or eigenspace was not canonized:
 * - `symmetric-magnitudes`: every magnitude class of u has zero signed sum (sort(u) ≈ sort(−u));
 * - `too-few-key-classes`: fewer node-key classes than the eigenspace dimension (MAP assumption 1;
 *   OAP's first failure mode, e.g. vertex-transitive graphs);
 * - `rank-deficient`: the class projections span fewer than d dimensions (MAP assumption 2, tested with a
 *   relative tolerance; OAP's second failure mode, e.g. the star's λ_Â = 0 eigenspace);
 * - `cut-by-k`: the truncation to k columns splits the eigenspace;
 * - `multiplicity-unknown`: a sparse solve reached this eigenvalue last, so more equal values may follow;
 * - `basis-disabled`: `basis: 'none'` was asked for and the eigenspace has dimension ≥ 2.
 */
export type CanonReason =
  | 'symmetric-magnitudes'
  | 'too-few-key-classes'
  | 'rank-deficient'
  | 'cut-by-k'
  | 'multiplicity-unknown'
  | 'basis-disabled';

/**
 * Order in which the sign rule visits the magnitude classes of u:
 * - `reference`: ascending |u_i| with x = 1_G + 10·1, as the authors' code (`unique_sign`);
 * - `descending`: descending |u_i| with x = 1_G (the paper's "axis with the maximal projection").
 * Both are complete (they canonize every canonizable vector) and give different, equally valid outputs.
 */
export type SignMode = 'reference' | 'descending';

/**
 * Basis rule for eigenspaces of dimension ≥ 2: `oap` (Ma et al. 2024, key Σ_j P_ji³ + P_ii, greedy over all
 * classes), `oap-diag` (the `fa_basis` variant: OAP's greedy selection with key P_ii), `map` (Ma et al. 2023,
 * key √P_ii, first d classes only) or `none` (leave eigenspaces as returned, status `basis_noncanonizable`).
 */
export type BasisMethod = 'oap' | 'oap-diag' | 'map' | 'none';

/** Options of the sign rule; defaults in brackets. */
export interface SignOptions {
  /** Class order [reference]. */
  mode?: SignMode;
  /**
   * Weight c of the all-ones vector in x = 1_G + c·1 [10 in `reference` mode, 0 in `descending` mode].
   * Any c gives a complete rule (docs/canonization.md, "Sign canonization"); the defaults reproduce the
   * spec's fixtures.
   */
  offset?: number;
  /**
   * Relative tolerance [1e-6]: magnitudes closer than tol·‖u‖₂ (chained, after sorting) form one class,
   * and |u·x| ≤ tol·‖u‖₂ counts as zero.
   */
  tol?: number;
}

/** Options of the basis rules; defaults in brackets. */
export interface BasisOptions {
  /** Node keys closer than keyTol·max(1, |key|) (chained, after sorting) form one class [1e-6]. */
  keyTol?: number;
  /**
   * A class projection counts as zero, or as adding no new direction, when its component outside the
   * span already selected is ≤ tol·‖x‖₂ (relative to the class indicator x) [1e-8].
   */
  tol?: number;
}

export const DEFAULT_SIGN_TOL = 1e-6;
export const DEFAULT_KEY_TOL = 1e-6;
export const DEFAULT_BASIS_TOL = 1e-8;
/** c in x = 1_G + c·1 of the reference code (both MAP's and OAP's sign and basis steps). */
export const REFERENCE_OFFSET = 10;
