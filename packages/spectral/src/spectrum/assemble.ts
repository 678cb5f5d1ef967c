import { checkOption } from '../errors.js';
import type { LaplacianKind } from '../graph/types.js';
import { eigenGroups } from './groups.js';
import { applySignConvention } from './sign.js';
import type { PadMode, SignConvention, Spectrum } from './types.js';

/**
 * Raw eigenpairs from a solver: m ascending values (all the solver knows, with multiplicity) and an
 * n×c row-major block of vectors for the first c = `columns` of them.
 */
export interface RawEigenpairs {
  readonly n: number;
  readonly values: ArrayLike<number>;
  /** Number of vector columns c ≤ values.length [values.length]. */
  readonly columns?: number;
  /** n×c row-major, column j = eigenvector of values[j]. */
  readonly vectors: Float64Array;
  /** Optional residual per computed pair. */
  readonly residuals?: ArrayLike<number>;
  /** True when `values` is the whole spectrum (dense solve). */
  readonly complete: boolean;
  /** Exact zeros in `values` are the whole null space, as graphpe's solvers return it [false]. */
  readonly exactZeros?: boolean;
}

export interface AssembleOptions {
  k: number;
  laplacian: LaplacianKind;
  pad: PadMode;
  groupTol?: number;
  sign: SignConvention;
  solver: 'dense' | 'sparse';
}

/**
 * Truncate raw eigenpairs to k columns, group eigenspaces on the untruncated list (so a cut through
 * a repeated eigenvalue is reported as `partial`), pad n < k with zeros or NaN plus a mask, and
 * optionally apply the deterministic sign convention.
 */
export function assembleSpectrum(raw: RawEigenpairs, options: AssembleOptions): Spectrum {
  const where = 'spectral.assembleSpectrum';
  const { n } = raw;
  const m = raw.columns ?? raw.values.length;
  checkOption(Number.isInteger(options.k) && options.k >= 1, where, 'k must be an integer ≥ 1', options.k);
  checkOption(
    ['zero', 'nan', 'none'].includes(options.pad),
    where,
    "pad must be 'zero', 'nan' or 'none'",
    options.pad,
  );
  checkOption(
    Number.isInteger(n) && n >= 0 && Number.isInteger(m) && m >= 0 && m <= raw.values.length,
    where,
    `columns must be an integer in [0, values.length = ${raw.values.length}]`,
    m,
  );
  checkOption(
    raw.vectors instanceof Float64Array && raw.vectors.length >= n * m,
    where,
    `vectors must be a Float64Array of length ≥ n·columns = ${n * m}`,
    raw.vectors?.length,
  );
  const kReal = Math.min(options.k, m);
  const k = options.pad === 'none' ? kReal : options.k;
  const fill = options.pad === 'nan' ? Number.NaN : 0;
  const values = new Float64Array(k).fill(fill);
  const residuals = new Float64Array(k).fill(Number.NaN);
  const mask = new Uint8Array(k);
  const vectors = new Float64Array(n * k);
  if (kReal < k) vectors.fill(fill);
  for (let j = 0; j < kReal; j++) {
    values[j] = raw.values[j];
    mask[j] = 1;
    if (raw.residuals) residuals[j] = raw.residuals[j];
  }
  for (let i = 0; i < n; i++) {
    const src = i * m;
    const dst = i * k;
    for (let j = 0; j < kReal; j++) vectors[dst + j] = raw.vectors[src + j];
  }
  applySignConvention(vectors, n, k, options.sign);
  return {
    n,
    k,
    laplacian: options.laplacian,
    values,
    vectors,
    mask,
    groups: eigenGroups(raw.values, kReal, {
      tol: options.groupTol,
      complete: raw.complete,
      exactZeros: raw.exactZeros ?? false,
    }),
    residuals,
    solver: options.solver,
    signConvention: options.sign,
  };
}
