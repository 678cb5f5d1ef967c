import type { LaplacianKind } from '../graph/types.js';

/** Whether a kept eigenspace is whole (`complete`) or cut by the truncation to k columns (`partial`). */
export type GroupStatus = 'complete' | 'partial';

/** One eigenspace (a run of equal eigenvalues, up to a relative tolerance) among the kept columns. */
export interface EigenGroup {
  /** First kept column of the group. */
  readonly start: number;
  /** Number of kept columns in the group. */
  readonly size: number;
  /** Mean eigenvalue of the group. */
  readonly value: number;
  /** Multiplicity in the spectrum computed before truncation (all n values for dense solves). */
  readonly multiplicity: number;
  /** True when the group reached the last computed eigenvalue of a partial (sparse) solve, so more equal values may exist. */
  readonly multiplicityIsLowerBound: boolean;
  /** `partial` when k cuts through the group: basis-invariant methods cannot be exact on it. */
  readonly status: GroupStatus;
}

/** Padding for n < k: `zero` (SPE), `nan` (GraphGPS), or `none` (return min(n, k) columns). */
export type PadMode = 'zero' | 'nan' | 'none';

/**
 * Deterministic sign convention for reproducible outputs: `max-abs-positive` makes the entry of largest
 * magnitude (first such index) positive. It is a convention for reproducibility, NOT an invariance:
 * it breaks under node permutations and is ill-defined inside repeated eigenspaces.
 */
export type SignConvention = 'none' | 'max-abs-positive';

/** Eigenpairs of a graph Laplacian, truncated/padded to k columns, with eigenspace groups and status. */
export interface Spectrum {
  /** Number of nodes. */
  readonly n: number;
  /** Number of columns (k after padding, min(n, k) with pad 'none'). */
  readonly k: number;
  readonly laplacian: LaplacianKind;
  /** Eigenvalues, ascending, length k (padding: 0 or NaN). */
  readonly values: Float64Array;
  /** Eigenvectors, n×k row-major: column j is the unit eigenvector of values[j] (padding columns 0 or NaN). */
  readonly vectors: Float64Array;
  /** 1 for real eigenpairs, 0 for padding columns. */
  readonly mask: Uint8Array;
  /** Eigenspace groups among the real columns, found before truncation. */
  readonly groups: readonly EigenGroup[];
  /** ‖Lv − λv‖ per column (NaN for padding). */
  readonly residuals: Float64Array;
  readonly solver: 'dense' | 'sparse';
  readonly signConvention: SignConvention;
}
