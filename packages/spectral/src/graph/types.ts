import { validateGraph } from './validate.js';

/**
 * The graph every graphpe package consumes: an undirected, weighted graph in CSR form.
 * Each undirected edge {u, v} (u ≠ v) is stored twice (u→v and v→u) with the same weight;
 * a self-loop (u, u) is stored once. Column indices are sorted and unique within each row.
 */
export interface Graph {
  /** Number of nodes. */
  readonly n: number;
  /** Row pointers, length n + 1. */
  readonly indptr: Int32Array;
  /** Column indices, length nnz = indptr[n]. */
  readonly indices: Int32Array;
  /** Edge weights (finite, > 0), length nnz. */
  readonly weights: Float64Array;
}

/** A symmetric linear operator y = A x on Float64Array vectors of length n (matrix-free). */
export interface LinearOperator {
  readonly n: number;
  /** Writes A·x into y (x and y must not alias). */
  matvec(x: Float64Array, y: Float64Array): void;
}

/** Which Laplacian: `sym` = I − D^{-1/2}AD^{-1/2}, `rw` = I − D^{-1}A, `comb` = D − A. */
export type LaplacianKind = 'sym' | 'rw' | 'comb';

/** Number of undirected edges, counting a self-loop once (`g` is validated as in {@link validateGraph}). */
export function edgeCount(g: Graph): number {
  validateGraph(g, 'spectral.edgeCount');
  let selfLoops = 0;
  for (let i = 0; i < g.n; i++) {
    for (let p = g.indptr[i]; p < g.indptr[i + 1]; p++) if (g.indices[p] === i) selfLoops++;
  }
  return (g.indices.length - selfLoops) / 2 + selfLoops;
}
