/**
 * General CSR matrices (diagonal stored inline) for building multigrid hierarchies: transpose and
 * sparse–sparse product (Gustavson 1978, dense accumulator per row), and conversion to {@link SymCsr}.
 */
import type { SymCsr } from './operator.js';

/** Rectangular CSR matrix (rows × cols), column indices unsorted, no duplicates within a row. */
export interface Csr {
  readonly rows: number;
  readonly cols: number;
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly values: Float64Array;
}

/** Transpose in O(nnz) (counting sort by column). */
export function transpose(A: Csr): Csr {
  const { rows, cols, indptr, indices, values } = A;
  const ptr = new Int32Array(cols + 1);
  const nnz = indptr[rows];
  for (let p = 0; p < nnz; p++) ptr[indices[p] + 1]++;
  for (let j = 0; j < cols; j++) ptr[j + 1] += ptr[j];
  const fill = ptr.slice(0, cols);
  const idx = new Int32Array(nnz);
  const val = new Float64Array(nnz);
  for (let i = 0; i < rows; i++) {
    for (let p = indptr[i]; p < indptr[i + 1]; p++) {
      const q = fill[indices[p]]++;
      idx[q] = i;
      val[q] = values[p];
    }
  }
  return { rows: cols, cols: rows, indptr: ptr, indices: idx, values: val };
}

/** C = A B by Gustavson's row-by-row algorithm with a dense accumulator; O(flops + rows). */
export function spgemm(A: Csr, B: Csr): Csr {
  const rows = A.rows;
  const cols = B.cols;
  const mark = new Int32Array(cols).fill(-1);
  const acc = new Float64Array(cols);
  const ptr = new Int32Array(rows + 1);
  let cap = Math.max(16, A.indptr[rows] * 2);
  let idx = new Int32Array(cap);
  let val = new Float64Array(cap);
  let nnz = 0;
  for (let i = 0; i < rows; i++) {
    const start = nnz;
    for (let p = A.indptr[i]; p < A.indptr[i + 1]; p++) {
      const a = A.values[p];
      const k = A.indices[p];
      for (let q = B.indptr[k]; q < B.indptr[k + 1]; q++) {
        const j = B.indices[q];
        if (mark[j] < start) {
          mark[j] = nnz;
          if (nnz === cap) {
            cap *= 2;
            const i2 = new Int32Array(cap);
            i2.set(idx);
            idx = i2;
            const v2 = new Float64Array(cap);
            v2.set(val);
            val = v2;
          }
          idx[nnz++] = j;
          acc[j] = a * B.values[q];
        } else {
          acc[j] += a * B.values[q];
        }
      }
    }
    for (let p = start; p < nnz; p++) val[p] = acc[idx[p]];
    ptr[i + 1] = nnz;
  }
  return { rows, cols, indptr: ptr, indices: idx.slice(0, nnz), values: val.slice(0, nnz) };
}

/** A {@link SymCsr} as a general {@link Csr} (diagonal entries inserted, zeros included). */
export function fromSym(A: SymCsr): Csr {
  const { n, indptr, indices, values, diag } = A;
  const ptr = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) ptr[i + 1] = ptr[i] + (indptr[i + 1] - indptr[i]) + 1;
  const idx = new Int32Array(ptr[n]);
  const val = new Float64Array(ptr[n]);
  for (let i = 0; i < n; i++) {
    let q = ptr[i];
    idx[q] = i;
    val[q++] = diag[i];
    for (let p = indptr[i]; p < indptr[i + 1]; p++) {
      idx[q] = indices[p];
      val[q++] = values[p];
    }
  }
  return { rows: n, cols: n, indptr: ptr, indices: idx, values: val };
}

/**
 * Square {@link Csr} to {@link SymCsr}: diagonal split off, and the result symmetrized as (A + Aᵀ)/2
 * is NOT done — callers pass Galerkin products that are symmetric up to rounding. Entries with
 * |a| ≤ `dropTol`·max|a| are dropped.
 */
export function toSym(A: Csr, dropTol = 0): SymCsr {
  const n = A.rows;
  const diag = new Float64Array(n);
  let amax = 0;
  for (let p = 0; p < A.indptr[n]; p++) amax = Math.max(amax, Math.abs(A.values[p]));
  const cut = dropTol * amax;
  const ptr = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    let c = 0;
    for (let p = A.indptr[i]; p < A.indptr[i + 1]; p++) {
      if (A.indices[p] !== i && Math.abs(A.values[p]) > cut) c++;
    }
    ptr[i + 1] = ptr[i] + c;
  }
  const idx = new Int32Array(ptr[n]);
  const val = new Float64Array(ptr[n]);
  for (let i = 0; i < n; i++) {
    let q = ptr[i];
    for (let p = A.indptr[i]; p < A.indptr[i + 1]; p++) {
      const j = A.indices[p];
      if (j === i) diag[i] += A.values[p];
      else if (Math.abs(A.values[p]) > cut) {
        idx[q] = j;
        val[q++] = A.values[p];
      }
    }
  }
  return { n, indptr: ptr, indices: idx, values: val, diag };
}
