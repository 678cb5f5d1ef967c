/** Growable undirected edge buffer and its conversion to a symmetric CSR {@link Graph} in O(n + m). */
import { type Graph, GraphpeError } from '@graphpe/spectral';
import { MAX_SAMPLE_EDGES } from './estimate.js';

/**
 * Edges (u, v), u ≠ v, each listed once, with optional weights; grows by doubling up to `limit` edges,
 * past which `push` throws `E_TOO_LARGE` (details: `limit`).
 */
export class EdgeBuffer {
  src: Int32Array;
  dst: Int32Array;
  weight: Float64Array | null;
  length = 0;
  readonly limit: number;
  constructor(capacity = 1024, weighted = false, limit = MAX_SAMPLE_EDGES) {
    this.limit = Math.min(limit, MAX_SAMPLE_EDGES);
    const cap = Math.min(capacity, this.limit);
    this.src = new Int32Array(cap);
    this.dst = new Int32Array(cap);
    this.weight = weighted ? new Float64Array(cap) : null;
  }
  push(u: number, v: number, w = 1): void {
    if (this.length === this.src.length) this.grow();
    this.src[this.length] = u;
    this.dst[this.length] = v;
    if (this.weight) this.weight[this.length] = w;
    this.length++;
  }
  private grow(): void {
    if (this.length >= this.limit) {
      throw new GraphpeError(
        'E_TOO_LARGE',
        `graphon.EdgeBuffer: more than ${this.limit} edges (the limit of this sample)`,
        { edges: this.length, limit: this.limit },
      );
    }
    const cap = Math.min(Math.max(1024, this.src.length * 2), this.limit);
    const s = new Int32Array(cap);
    s.set(this.src);
    this.src = s;
    const d = new Int32Array(cap);
    d.set(this.dst);
    this.dst = d;
    if (this.weight) {
      const w = new Float64Array(cap);
      w.set(this.weight);
      this.weight = w;
    }
  }
}

/**
 * Symmetric CSR from distinct undirected edges without self-loops, columns sorted by a two-pass
 * bucket sort (bucket by column, then scatter by row in column order). `relabel[i]` renames nodes.
 */
export function edgesToGraph(buf: EdgeBuffer, n: number, relabel?: Int32Array): Graph {
  const m = buf.length;
  const { src, dst, weight } = buf;
  const map = (v: number) => (relabel ? relabel[v] : v);
  // Pass 1: directed entries (both directions) bucketed by column.
  const colPtr = new Int32Array(n + 1);
  for (let e = 0; e < m; e++) {
    colPtr[map(src[e]) + 1]++;
    colPtr[map(dst[e]) + 1]++;
  }
  for (let i = 0; i < n; i++) colPtr[i + 1] += colPtr[i];
  const indptr = colPtr.slice();
  const fill = colPtr.slice(0, n);
  const rowOf = new Int32Array(2 * m);
  const wOf = weight ? new Float64Array(2 * m) : null;
  for (let e = 0; e < m; e++) {
    const u = map(src[e]);
    const v = map(dst[e]);
    let p = fill[v]++;
    rowOf[p] = u;
    if (wOf) wOf[p] = weight![e];
    p = fill[u]++;
    rowOf[p] = v;
    if (wOf) wOf[p] = weight![e];
  }
  // Pass 2: scatter to rows, visiting columns in increasing order, so each row comes out sorted.
  // The matrix is symmetric, so row counts equal column counts: indptr = colPtr.
  const indices = new Int32Array(2 * m);
  const weights = new Float64Array(2 * m);
  const pos = indptr.slice(0, n);
  for (let j = 0; j < n; j++) {
    for (let p = colPtr[j]; p < colPtr[j + 1]; p++) {
      const q = pos[rowOf[p]]++;
      indices[q] = j;
      weights[q] = wOf ? wOf[p] : 1;
    }
  }
  return { n, indptr, indices, weights };
}
