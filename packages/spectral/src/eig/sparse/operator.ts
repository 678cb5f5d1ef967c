/**
 * Block operators for the sparse eigensolvers: Y = A X on n×b row-major blocks. A sparse matrix
 * applied to b vectors at once reads each row once (SpMM), which is what makes block methods cheap.
 */
import type { LinearOperator } from '../../graph/types.js';
import { getColumn, setColumn } from './block.js';

/** A symmetric operator applied to b vectors at once (row-major n×b blocks; X and Y must not alias). */
export interface BlockOperator {
  readonly n: number;
  apply(X: Float64Array, Y: Float64Array, b: number): void;
}

/** Symmetric sparse matrix in CSR with the diagonal kept apart (off-diagonal entries only in `values`). */
export interface SymCsr {
  readonly n: number;
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly values: Float64Array;
  readonly diag: Float64Array;
}

/** Y = A X for a {@link SymCsr}, O(nnz · b). */
export function spmm(A: SymCsr, X: Float64Array, Y: Float64Array, b: number): void {
  const { n, indptr, indices, values, diag } = A;
  if (b === 1) {
    for (let i = 0; i < n; i++) {
      let acc = diag[i] * X[i];
      const end = indptr[i + 1];
      for (let p = indptr[i]; p < end; p++) acc += values[p] * X[indices[p]];
      Y[i] = acc;
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const o = i * b;
    const d = diag[i];
    for (let c = 0; c < b; c++) Y[o + c] = d * X[o + c];
    const end = indptr[i + 1];
    for (let p = indptr[i]; p < end; p++) {
      const v = values[p];
      const jo = indices[p] * b;
      for (let c = 0; c < b; c++) Y[o + c] += v * X[jo + c];
    }
  }
}

/** {@link BlockOperator} of a {@link SymCsr}. */
export function csrBlockOperator(A: SymCsr): BlockOperator {
  return { n: A.n, apply: (X, Y, b) => spmm(A, X, Y, b) };
}

/** {@link BlockOperator} from a single-vector {@link LinearOperator} (one matvec per column). */
export function blockOperatorFrom(op: LinearOperator): BlockOperator {
  const n = op.n;
  let x = new Float64Array(n);
  let y = new Float64Array(n);
  return {
    n,
    apply(X, Y, b) {
      if (b === 1) {
        op.matvec(X.subarray(0, n), Y.subarray(0, n));
        return;
      }
      if (x.length !== n) {
        x = new Float64Array(n);
        y = new Float64Array(n);
      }
      for (let c = 0; c < b; c++) {
        getColumn(X, b, c, n, x);
        op.matvec(x, y);
        setColumn(Y, b, c, n, y);
      }
    },
  };
}
