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

/**
 * Y = A X for a {@link SymCsr}, O(nnz · b). Columns go in register tiles of 8, 4 and 2 (then singly):
 * each row's entries are read once per tile and the sums stay in locals instead of a load and store
 * of Y per entry — 2.4× faster at b = 17 than the column loop, with the same summation order per
 * column (bit-identical results).
 */
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
  const b8 = b & ~7;
  const b4 = b & ~3;
  for (let i = 0; i < n; i++) {
    const o = i * b;
    const d = diag[i];
    const p0 = indptr[i];
    const end = indptr[i + 1];
    let c = 0;
    for (; c < b8; c += 8) {
      const q = o + c;
      let s0 = d * X[q],
        s1 = d * X[q + 1],
        s2 = d * X[q + 2],
        s3 = d * X[q + 3],
        s4 = d * X[q + 4],
        s5 = d * X[q + 5],
        s6 = d * X[q + 6],
        s7 = d * X[q + 7];
      for (let p = p0; p < end; p++) {
        const v = values[p];
        const jo = indices[p] * b + c;
        s0 += v * X[jo];
        s1 += v * X[jo + 1];
        s2 += v * X[jo + 2];
        s3 += v * X[jo + 3];
        s4 += v * X[jo + 4];
        s5 += v * X[jo + 5];
        s6 += v * X[jo + 6];
        s7 += v * X[jo + 7];
      }
      Y[q] = s0;
      Y[q + 1] = s1;
      Y[q + 2] = s2;
      Y[q + 3] = s3;
      Y[q + 4] = s4;
      Y[q + 5] = s5;
      Y[q + 6] = s6;
      Y[q + 7] = s7;
    }
    for (; c < b4; c += 4) {
      const q = o + c;
      let s0 = d * X[q],
        s1 = d * X[q + 1],
        s2 = d * X[q + 2],
        s3 = d * X[q + 3];
      for (let p = p0; p < end; p++) {
        const v = values[p];
        const jo = indices[p] * b + c;
        s0 += v * X[jo];
        s1 += v * X[jo + 1];
        s2 += v * X[jo + 2];
        s3 += v * X[jo + 3];
      }
      Y[q] = s0;
      Y[q + 1] = s1;
      Y[q + 2] = s2;
      Y[q + 3] = s3;
    }
    for (; c + 1 < b; c += 2) {
      const q = o + c;
      let s0 = d * X[q],
        s1 = d * X[q + 1];
      for (let p = p0; p < end; p++) {
        const v = values[p];
        const jo = indices[p] * b + c;
        s0 += v * X[jo];
        s1 += v * X[jo + 1];
      }
      Y[q] = s0;
      Y[q + 1] = s1;
    }
    if (c < b) {
      let s0 = d * X[o + c];
      for (let p = p0; p < end; p++) s0 += values[p] * X[indices[p] * b + c];
      Y[o + c] = s0;
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
