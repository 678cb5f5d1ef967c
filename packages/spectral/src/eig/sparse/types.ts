/** Options and results shared by the sparse partial eigensolvers. */

/** Progress report, sent once per outer iteration. */
export interface EigshProgress {
  /** Outer iteration (1-based). */
  readonly iteration: number;
  /** Wanted pairs whose residual is ≤ tol. */
  readonly converged: number;
  /** Number of wanted pairs (k). */
  readonly wanted: number;
  /** Largest residual ‖Av − λv‖ among the wanted pairs. */
  readonly maxResidual: number;
  /** Operator applications so far (one per vector). */
  readonly matvecs: number;
}

/** k smallest eigenpairs of a symmetric operator, every one converged to the requested tolerance. */
export interface EigshResult {
  /** k eigenvalues, ascending. */
  readonly values: Float64Array;
  /** Unit eigenvectors, n × k row-major (column j belongs to values[j]). */
  readonly vectors: Float64Array;
  /** ‖A v_j − λ_j v_j‖₂ for each returned pair. */
  readonly residuals: Float64Array;
  /** Outer iterations performed. */
  readonly iterations: number;
  /** Operator applications (one per vector; block products count their width). */
  readonly matvecs: number;
  /** Always true: non-convergence throws `E_NOT_CONVERGED` instead of returning. */
  readonly converged: true;
}
