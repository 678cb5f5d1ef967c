/**
 * Induced subgraph G[S] (docs/graphon.md, "Reconstruction"), optionally without the nodes it leaves isolated.
 */
import type { Graph } from '@graphpe/spectral';
import { checkGraph, checkNodeSet } from '../util/check.js';

/** An induced subgraph and its node map. */
export interface InducedSubgraph {
  readonly graph: Graph;
  /** Original id of each subgraph node (ascending). */
  readonly nodes: Int32Array;
  /** Nodes of S dropped because they had no neighbour in G[S] (only with removeIsolated). */
  readonly removed: Int32Array;
}

/**
 * G[S] with nodes relabelled 0..|S|−1 in ascending original id; edge weights and self-loops kept.
 * `removeIsolated` drops nodes without a non-loop edge in G[S] and lists them in `removed`.
 */
export function inducedSubgraph(
  g: Graph,
  S: ArrayLike<number>,
  options: { removeIsolated?: boolean } = {},
): InducedSubgraph {
  const where = 'graphon.inducedSubgraph';
  checkGraph(g, where);
  const sorted = checkNodeSet(S, g.n, where, 'S').sort();
  const { indptr, indices, weights } = g;
  const map = new Int32Array(g.n).fill(-1);
  let keep = sorted;
  const removed: number[] = [];
  if (options.removeIsolated) {
    for (const v of sorted) map[v] = 1;
    const kept: number[] = [];
    for (const v of sorted) {
      let has = false;
      for (let p = indptr[v]; p < indptr[v + 1] && !has; p++) has = indices[p] !== v && map[indices[p]] >= 0;
      if (has) kept.push(v);
      else removed.push(v);
    }
    map.fill(-1);
    keep = Int32Array.from(kept);
  }
  for (let t = 0; t < keep.length; t++) map[keep[t]] = t;
  const m = keep.length;
  const ptr = new Int32Array(m + 1);
  for (let t = 0; t < m; t++) {
    const v = keep[t];
    let c = 0;
    for (let p = indptr[v]; p < indptr[v + 1]; p++) if (map[indices[p]] >= 0) c++;
    ptr[t + 1] = ptr[t] + c;
  }
  const idx = new Int32Array(ptr[m]);
  const w = new Float64Array(ptr[m]);
  for (let t = 0; t < m; t++) {
    const v = keep[t];
    let q = ptr[t];
    // Original columns are sorted and the relabelling is monotone, so rows stay sorted.
    for (let p = indptr[v]; p < indptr[v + 1]; p++) {
      const u = map[indices[p]];
      if (u >= 0) {
        idx[q] = u;
        w[q] = weights[p];
        q++;
      }
    }
  }
  return {
    graph: { n: m, indptr: ptr, indices: idx, weights: w },
    nodes: keep,
    removed: Int32Array.from(removed),
  };
}
