import type { Graph } from '../../graph/types.js';

/**
 * Graphs `[b0, b1)` packed into two flat typed arrays for a worker (sent by transfer, never as
 * per-graph structured clones). `ints` = [count, n_0 … n_{count−1}, edge offsets (count+1),
 * concatenated indptr (Σ (n_b + 1)), concatenated indices]; `weights` = concatenated weights.
 */
export interface PackedGraphs {
  ints: Int32Array;
  weights: Float64Array;
}

export function packGraphs(graphs: readonly Graph[], b0: number, b1: number): PackedGraphs {
  const count = b1 - b0;
  let nodes = 0;
  let nnz = 0;
  for (let b = b0; b < b1; b++) {
    nodes += graphs[b].n + 1;
    nnz += graphs[b].indptr[graphs[b].n];
  }
  const ints = new Int32Array(1 + count + count + 1 + nodes + nnz);
  const weights = new Float64Array(nnz);
  ints[0] = count;
  const eo = 1 + count;
  let pp = eo + count + 1;
  let pi = pp + nodes;
  let e = 0;
  for (let b = b0; b < b1; b++) {
    const g = graphs[b];
    const m = g.indptr[g.n];
    ints[1 + b - b0] = g.n;
    ints[eo + b - b0] = e;
    ints.set(g.indptr.subarray(0, g.n + 1), pp);
    pp += g.n + 1;
    ints.set(g.indices.subarray(0, m), pi);
    pi += m;
    weights.set(g.weights.subarray(0, m), e);
    e += m;
  }
  ints[eo + count] = e;
  return { ints, weights };
}

/** Views (no copies) of the graphs in a {@link PackedGraphs}. */
export function unpackGraphs(p: PackedGraphs): Graph[] {
  const { ints, weights } = p;
  const count = ints[0];
  const eo = 1 + count;
  let pp = eo + count + 1;
  let nodes = 0;
  for (let b = 0; b < count; b++) nodes += ints[1 + b] + 1;
  const base = pp + nodes;
  const out: Graph[] = new Array(count);
  for (let b = 0; b < count; b++) {
    const n = ints[1 + b];
    const e0 = ints[eo + b];
    const e1 = ints[eo + b + 1];
    out[b] = {
      n,
      indptr: ints.subarray(pp, pp + n + 1),
      indices: ints.subarray(base + e0, base + e1),
      weights: weights.subarray(e0, e1),
    };
    pp += n + 1;
  }
  return out;
}
