/**
 * eigshSmallest: the k smallest eigenpairs of a symmetric matrix-free operator, by block LOBPCG
 * (Knyazev 2001; see lobpcg.ts), with deflation of known eigenvectors and an error, never a wrong
 * answer, when the residuals do not reach the tolerance.
 */
import { checkOption } from '../../errors.js';
import type { LinearOperator } from '../../graph/types.js';
import { createRng } from '../../util/rng.js';
import { denseDeflation } from './deflation.js';
import { denseSmallest } from './dense-fallback.js';
import { lobpcg } from './lobpcg.js';
import { type BlockOperator, blockOperatorFrom } from './operator.js';
import type { EigshProgress, EigshResult } from './types.js';

export interface EigshOptions {
  /** Number of smallest eigenpairs wanted (1 ≤ k ≤ n − deflated). */
  k: number;
  /**
   * Convergence tolerance on the residual ‖Av − λv‖₂ of each unit eigenvector (default 1e-8).
   * Absolute: for normalized Laplacians (‖L_sym‖ ≤ 2) it is also relative to ‖A‖ within a factor 2;
   * scale it by ‖A‖ for other operators.
   */
  tol?: number;
  /** Maximum outer iterations before `E_NOT_CONVERGED` (default 2000). */
  maxIter?: number;
  /** Seed of the random start block (default 0); same seed and input → identical output. */
  seed?: number;
  /** Block (subspace) size m ≥ k (default min(dim, max(k + 8, ⌈1.5k⌉))): guard vectors make the last wanted pairs converge faster and carry repeated eigenvalues of multiplicity up to m. */
  ncv?: number;
  /** Starting vector (length n), used as the first column of the start block. */
  v0?: Float64Array;
  /** Called once per outer iteration. */
  onProgress?: (info: EigshProgress) => void;
  /** n × c row-major block of orthonormal eigenvectors of A kept out of the search (e.g. known null vectors). */
  deflate?: Float64Array;
  /** Preconditioner T ≈ A⁻¹ on the deflated complement (symmetric positive definite there), applied to blocks. */
  preconditioner?: BlockOperator;
}

const WHERE = 'spectral.eigshSmallest';

/** Default block size for k wanted pairs in a space of dimension dim. */
export function defaultBlockSize(k: number, dim: number): number {
  return Math.min(dim, Math.max(k + 8, Math.ceil(1.5 * k)));
}

/**
 * k smallest eigenpairs of the symmetric operator `op` by block LOBPCG (Knyazev 2001); throws
 * `E_NOT_CONVERGED` (residuals reached in `details.residuals`) instead of returning unconverged pairs.
 */
export function eigshSmallest(op: LinearOperator | BlockOperator, options: EigshOptions): EigshResult {
  const n = op.n;
  const { k } = options;
  const tol = options.tol ?? 1e-8;
  const maxIter = options.maxIter ?? 2000;
  const seed = options.seed ?? 0;
  checkOption(Number.isInteger(n) && n >= 1, WHERE, 'operator dimension must be ≥ 1', n);
  checkOption(tol > 0 && Number.isFinite(tol), WHERE, 'tol must be finite and > 0', tol);
  checkOption(
    Number.isInteger(maxIter) && maxIter >= 0,
    WHERE,
    'maxIter must be a non-negative integer',
    maxIter,
  );
  let c = 0;
  if (options.deflate) {
    checkOption(
      options.deflate.length % n === 0,
      WHERE,
      'deflate must be an n × c block',
      options.deflate.length,
    );
    c = options.deflate.length / n;
  }
  const dim = n - c;
  checkOption(Number.isInteger(k) && k >= 1 && k <= dim, WHERE, `k must be an integer in [1, ${dim}]`, k);
  const m = options.ncv ?? defaultBlockSize(k, dim);
  checkOption(Number.isInteger(m) && m >= k && m <= dim, WHERE, `ncv must be an integer in [k, ${dim}]`, m);
  if (options.v0) checkOption(options.v0.length === n, WHERE, 'v0 must have length n', options.v0.length);
  const A: BlockOperator = 'apply' in op ? op : blockOperatorFrom(op);
  const deflation = c > 0 ? denseDeflation(options.deflate!, n, c) : undefined;
  if (dim <= 3 * m || n <= 64) return denseSmallest(A, k, tol, deflation, WHERE);
  return lobpcg(A, {
    k,
    blockSize: m,
    tol,
    maxIter,
    rng: createRng(seed),
    X0: options.v0,
    x0Cols: options.v0 ? 1 : 0,
    precond: options.preconditioner,
    deflation,
    onProgress: options.onProgress,
    where: WHERE,
  });
}
