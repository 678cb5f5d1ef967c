import { GraphpeError } from '../errors.js';
import type { Graph, LaplacianKind, LinearOperator } from '../graph/types.js';
import { validateGraph } from '../graph/validate.js';
import { degrees, invSqrtDegrees } from './degree.js';
import { checkKind } from './dense.js';

/** Laplacian in CSR form (self-loops removed, diagonal stored explicitly), plus its degrees. */
export interface LaplacianCsr {
  readonly n: number;
  readonly kind: LaplacianKind;
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  /** Off-diagonal values. */
  readonly values: Float64Array;
  /** Diagonal values. */
  readonly diag: Float64Array;
  /** Weighted degrees (self-loops excluded). */
  readonly degree: Float64Array;
}

/** Build the CSR Laplacian of the given kind (see {@link laplacianDense} for the conventions). */
export function laplacianCsr(g: Graph, kind: LaplacianKind = 'sym'): LaplacianCsr {
  validateGraph(g, 'spectral.laplacianCsr');
  checkKind(kind, 'spectral.laplacianCsr');
  const { n, indptr, indices, weights } = g;
  const deg = degrees(g);
  const s =
    kind === 'sym' ? invSqrtDegrees(deg) : kind === 'rw' ? deg.map((d) => (d > 0 ? 1 / d : 0)) : undefined;
  const outPtr = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    let c = 0;
    for (let p = indptr[i]; p < indptr[i + 1]; p++) if (indices[p] !== i) c++;
    outPtr[i + 1] = outPtr[i] + c;
  }
  const outIdx = new Int32Array(outPtr[n]);
  const vals = new Float64Array(outPtr[n]);
  const diag = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let q = outPtr[i];
    diag[i] = kind === 'comb' ? deg[i] : 1;
    for (let p = indptr[i]; p < indptr[i + 1]; p++) {
      const j = indices[p];
      if (j === i) continue;
      outIdx[q] = j;
      vals[q] =
        kind === 'comb' ? -weights[p] : kind === 'sym' ? -s![i] * weights[p] * s![j] : -s![i] * weights[p];
      q++;
    }
  }
  return { n, kind, indptr: outPtr, indices: outIdx, values: vals, diag, degree: deg };
}

/**
 * Matrix-free Laplacian operator y = L x for sparse eigensolvers (O(nnz) per product).
 * `rw` is not symmetric; symmetric solvers should use `sym` and map vectors with D^{-1/2}.
 * `matvec` throws `E_SHAPE` unless x and y are Float64Arrays of length ≥ n.
 */
export function laplacianOperator(g: Graph | LaplacianCsr, kind: LaplacianKind = 'sym'): LinearOperator {
  const where = 'spectral.laplacianOperator';
  checkKind(kind, where);
  const L = g !== null && typeof g === 'object' && 'diag' in g ? g : laplacianCsr(g, kind);
  const { n, indptr, indices, values, diag } = L;
  return {
    n,
    matvec(x: Float64Array, y: Float64Array): void {
      if (!(x instanceof Float64Array && y instanceof Float64Array && x.length >= n && y.length >= n)) {
        const len = (v: unknown) => (v instanceof Float64Array ? `length ${v.length}` : String(v));
        throw new GraphpeError(
          'E_SHAPE',
          `${where}: matvec needs Float64Arrays x and y of length ≥ n = ${n} (got x ${len(x)}, y ${len(y)})`,
          { n },
        );
      }
      for (let i = 0; i < n; i++) {
        let acc = diag[i] * x[i];
        const end = indptr[i + 1];
        for (let p = indptr[i]; p < end; p++) acc += values[p] * x[indices[p]];
        y[i] = acc;
      }
    },
  };
}
