/** Dense symmetric eigensolver used by the graphon package (Householder + QL from @graphpe/spectral). */
import { eigh } from '@graphpe/spectral';

/** Eigenpairs of a symmetric n×n row-major matrix: values ascending, column j of `vectors` = eigenvector j. */
export function symEig(a: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const { values, vectors } = eigh(a, n);
  return { values, vectors };
}

/** C = A·B for row-major A (m×k) and B (k×n). */
export function matmul(a: Float64Array, b: Float64Array, m: number, k: number, n: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    const ci = i * n;
    for (let t = 0; t < k; t++) {
      const v = a[i * k + t];
      if (v === 0) continue;
      const bt = t * n;
      for (let j = 0; j < n; j++) c[ci + j] += v * b[bt + j];
    }
  }
  return c;
}

/** M^p for a symmetric n×n matrix by repeated squaring (p ≥ 1). */
export function matPow(m: Float64Array, n: number, p: number): Float64Array {
  let result: Float64Array | null = null;
  let base = m;
  let e = p;
  while (e > 0) {
    if (e & 1) result = result ? matmul(result, base, n, n, n) : base.slice();
    e >>= 1;
    if (e > 0) base = matmul(base, base, n, n, n);
  }
  return result ?? identity(n);
}

/** n×n identity. */
export function identity(n: number): Float64Array {
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) a[i * n + i] = 1;
  return a;
}

/** Rows `rows` and columns `cols` of a row-major matrix with `stride` columns. */
export function submatrix(
  a: Float64Array,
  stride: number,
  rows: ArrayLike<number>,
  cols: ArrayLike<number>,
): Float64Array {
  const out = new Float64Array(rows.length * cols.length);
  for (let r = 0; r < rows.length; r++) {
    const o = rows[r] * stride;
    for (let c = 0; c < cols.length; c++) out[r * cols.length + c] = a[o + cols[c]];
  }
  return out;
}
