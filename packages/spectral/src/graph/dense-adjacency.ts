/**
 * Graph from a dense symmetric adjacency matrix (row-major flat array or array of rows):
 * zeros are non-edges, off-diagonal entries are edge weights, diagonal entries self-loops.
 */
import { GraphpeError } from '../errors.js';
import type { SelfLoopPolicy } from './coo.js';
import type { Graph } from './types.js';
import { markValidated } from './validate.js';

/** Options of {@link fromDenseAdjacency}. */
export interface DenseAdjacencyOptions {
  /** Number of nodes; default √length for a flat array, the row count for an array of rows. */
  n?: number;
  /** Keep diagonal entries as self-loops (default) or drop them. */
  selfLoops?: SelfLoopPolicy;
  /** Symmetry tolerance relative to max|a|: |a_ij − a_ji| ≤ rtol·max|a| (default 1e-12). */
  rtol?: number;
}

const WHERE = 'spectral.fromDenseAdjacency';

/**
 * Build a {@link Graph} from a dense n×n adjacency matrix `a` (row-major `Float64Array`/array, or
 * `number[][]`); `options` may be just `n`. Errors name the entry: `E_SHAPE` (not square),
 * `E_NAN` (NaN), `E_WEIGHT` (negative, infinite or not a number), `E_ASYMMETRIC` (both values, when
 * |a_ij − a_ji| > rtol·max|a|). Entries equal within the tolerance are averaged. O(n²).
 */
export function fromDenseAdjacency(
  a: Float64Array | ArrayLike<number> | readonly (readonly number[])[],
  options: number | DenseAdjacencyOptions = {},
): Graph {
  const opts: DenseAdjacencyOptions = typeof options === 'number' ? { n: options } : options;
  const rtol = opts.rtol ?? 1e-12;
  if (!(rtol >= 0 && rtol < Infinity)) {
    throw new GraphpeError('E_OPTION', `${WHERE}: rtol must be finite and >= 0 (got ${rtol})`, {
      value: rtol,
    });
  }
  if (opts.selfLoops !== undefined && opts.selfLoops !== 'keep' && opts.selfLoops !== 'drop') {
    throw new GraphpeError(
      'E_OPTION',
      `${WHERE}: selfLoops must be 'keep' or 'drop' (got ${opts.selfLoops})`,
      {
        value: opts.selfLoops,
      },
    );
  }
  const keepLoops = opts.selfLoops !== 'drop';
  const { n, A } = toSquare(a, opts.n);

  // Values: finite and >= 0, first offender in row-major order.
  let maxAbs = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const x = A[i * n + j];
      if (typeof x === 'number' && x >= 0 && x < Infinity) {
        if (x > maxAbs) maxAbs = x;
        continue;
      }
      if (typeof x !== 'number') {
        throw new GraphpeError('E_WEIGHT', `${WHERE}: entry (${i}, ${j}) = ${String(x)} is not a number`, {
          i,
          j,
          value: x,
        });
      }
      if (Number.isNaN(x)) {
        throw new GraphpeError('E_NAN', `${WHERE}: entry (${i}, ${j}) is NaN`, { i, j, value: x });
      }
      const why = x < 0 ? 'is negative' : 'is not finite';
      throw new GraphpeError(
        'E_WEIGHT',
        `${WHERE}: entry (${i}, ${j}) = ${x} ${why} (weights must be finite and >= 0)`,
        {
          i,
          j,
          value: x,
        },
      );
    }
  }
  // Symmetry, first offender (i < j) in row-major order.
  const tol = rtol * maxAbs;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const x = A[i * n + j];
      const y = A[j * n + i];
      if (Math.abs(x - y) > tol) {
        throw new GraphpeError(
          'E_ASYMMETRIC',
          `${WHERE}: entry (${i}, ${j}) = ${x} differs from (${j}, ${i}) = ${y} (tolerance ${tol}); symmetrize the matrix first`,
          { i, j, value: x, transposed: y, tolerance: tol },
        );
      }
    }
  }
  // Two passes over the matrix: row counts, then column indices and weights (already sorted).
  const indptr = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    let c = 0;
    for (let j = 0; j < n; j++) if (weightAt(A, n, i, j, keepLoops) !== 0) c++;
    indptr[i + 1] = indptr[i] + c;
  }
  const nnz = indptr[n];
  const indices = new Int32Array(nnz);
  const weights = new Float64Array(nnz);
  let p = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const w = weightAt(A, n, i, j, keepLoops);
      if (w === 0) continue;
      indices[p] = j;
      weights[p] = w;
      p++;
    }
  }
  return markValidated({ n, indptr, indices, weights });
}

/** Symmetric edge weight of (i, j): the mean of a_ij and a_ji (exactly a_ij when they are equal). */
function weightAt(A: ArrayLike<number>, n: number, i: number, j: number, keepLoops: boolean): number {
  if (i === j) return keepLoops ? A[i * n + i] : 0;
  const x = A[i * n + j];
  const y = A[j * n + i];
  return x === y ? x : 0.5 * (x + y);
}

/** Validate the shape and return the matrix as a flat row-major array. */
function toSquare(
  a: Float64Array | ArrayLike<number> | readonly (readonly number[])[],
  nOpt: number | undefined,
): { n: number; A: ArrayLike<number> } {
  if (a === null || typeof a !== 'object' || typeof (a as ArrayLike<unknown>).length !== 'number') {
    throw new GraphpeError(
      'E_SHAPE',
      `${WHERE}: expected a row-major array or an array of rows (got ${typeof a})`,
    );
  }
  if (nOpt !== undefined && !(Number.isInteger(nOpt) && nOpt >= 0)) {
    throw new GraphpeError('E_OPTION', `${WHERE}: n must be a non-negative integer (got ${nOpt})`, {
      value: nOpt,
    });
  }
  const rows = a as ArrayLike<unknown>;
  if (Array.isArray(rows) && rows.length > 0 && typeof rows[0] === 'object' && rows[0] !== null) {
    const n = rows.length;
    if (nOpt !== undefined && nOpt !== n) {
      throw new GraphpeError('E_SHAPE', `${WHERE}: got ${n} rows but n = ${nOpt}`, { rows: n, n: nOpt });
    }
    const A = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      const row = rows[i] as ArrayLike<unknown>;
      if (row === null || typeof row !== 'object' || row.length !== n) {
        const got = row !== null && typeof row === 'object' ? `length ${row.length}` : typeof row;
        throw new GraphpeError(
          'E_SHAPE',
          `${WHERE}: row ${i} must have ${n} entries (got ${got}); not square`,
          {
            row: i,
          },
        );
      }
      for (let j = 0; j < n; j++) {
        const x = row[j];
        if (typeof x !== 'number') {
          throw new GraphpeError('E_WEIGHT', `${WHERE}: entry (${i}, ${j}) = ${String(x)} is not a number`, {
            i,
            j,
            value: x,
          });
        }
        A[i * n + j] = x;
      }
    }
    return { n, A };
  }
  const len = rows.length;
  const n = nOpt ?? Math.round(Math.sqrt(len));
  if (n * n !== len) {
    throw new GraphpeError(
      'E_SHAPE',
      `${WHERE}: a flat matrix of length ${len} is not n×n (n = ${n}); not square`,
      {
        length: len,
        n,
      },
    );
  }
  return { n, A: a as ArrayLike<number> };
}
