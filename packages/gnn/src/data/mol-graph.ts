/**
 * `MolGraph`: a featurized molecule. Heavy atoms are nodes; each undirected bond is stored as two directed
 * edges in CSR order (rows sorted by source atom, columns ascending), exactly the adjacency of the
 * {@link Graph} handed to the spectral/PE code (weights 1), so per-edge arrays line up with `graph.indices`.
 */
import type { Graph } from '@graphpe/spectral';

export interface MolGraph {
  /** Number of atoms (nodes). */
  readonly n: number;
  /** Number of undirected bonds (the graph has 2·numBonds directed edges). */
  readonly numBonds: number;
  /** Integer features per atom. */
  readonly atomDim: number;
  /** Integer features per directed edge. */
  readonly bondDim: number;
  /** n × atomDim, row-major. */
  readonly atomFeatures: Int32Array;
  /** (2·numBonds) × bondDim, row-major, in CSR edge order (edge p goes from its row to `graph.indices[p]`). */
  readonly bondFeatures: Int32Array;
  /** For each CSR edge, the index of its bond in RDKit's bond order. */
  readonly edgeBond: Int32Array;
  /** The adjacency as a graphpe {@link Graph} (unit weights). */
  readonly graph: Graph;
}

/**
 * CSR of an undirected simple graph from its bond list: `indptr`, `indices` (sorted per row) and, per CSR
 * entry, the bond it came from.
 */
export function bondsToCsr(
  n: number,
  begin: Int32Array,
  end: Int32Array,
): { indptr: Int32Array; indices: Int32Array; edgeBond: Int32Array } {
  const m = begin.length;
  const indptr = new Int32Array(n + 1);
  for (let e = 0; e < m; e++) {
    indptr[begin[e] + 1]++;
    indptr[end[e] + 1]++;
  }
  for (let i = 0; i < n; i++) indptr[i + 1] += indptr[i];
  const fill = indptr.slice(0, n);
  const indices = new Int32Array(2 * m);
  const edgeBond = new Int32Array(2 * m);
  for (let e = 0; e < m; e++) {
    const a = begin[e];
    const b = end[e];
    let p = fill[a]++;
    indices[p] = b;
    edgeBond[p] = e;
    p = fill[b]++;
    indices[p] = a;
    edgeBond[p] = e;
  }
  // Insertion sort per row (atom degrees are tiny).
  for (let i = 0; i < n; i++) {
    for (let p = indptr[i] + 1; p < indptr[i + 1]; p++) {
      const c = indices[p];
      const eb = edgeBond[p];
      let q = p - 1;
      while (q >= indptr[i] && indices[q] > c) {
        indices[q + 1] = indices[q];
        edgeBond[q + 1] = edgeBond[q];
        q--;
      }
      indices[q + 1] = c;
      edgeBond[q + 1] = eb;
    }
  }
  return { indptr, indices, edgeBond };
}

/** A unit-weight {@link Graph} on a CSR adjacency. */
export function unitGraph(n: number, indptr: Int32Array, indices: Int32Array): Graph {
  return { n, indptr, indices, weights: new Float64Array(indices.length).fill(1) };
}

/**
 * Ring bonds of a graph: a bond is in a ring iff it is not a bridge (Tarjan 1974, iterative low-link DFS).
 * An atom is in a ring iff one of its bonds is, which is RDKit's `IsInRing()` (every cycle atom lies on some
 * SSSR ring).
 */
export function ringBonds(
  n: number,
  indptr: Int32Array,
  indices: Int32Array,
  edgeBond: Int32Array,
  numBonds: number,
): Uint8Array {
  const inRing = new Uint8Array(numBonds).fill(1);
  const disc = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const parentBond = new Int32Array(n).fill(-1);
  const iter = new Int32Array(n);
  const stack = new Int32Array(n);
  let time = 0;
  for (let root = 0; root < n; root++) {
    if (disc[root] >= 0) continue;
    let top = 0;
    stack[0] = root;
    disc[root] = low[root] = time++;
    iter[root] = indptr[root];
    while (top >= 0) {
      const u = stack[top];
      if (iter[u] < indptr[u + 1]) {
        const p = iter[u]++;
        const v = indices[p];
        if (edgeBond[p] === parentBond[u]) continue;
        if (disc[v] < 0) {
          disc[v] = low[v] = time++;
          parentBond[v] = edgeBond[p];
          iter[v] = indptr[v];
          stack[++top] = v;
        } else if (disc[v] < low[u]) low[u] = disc[v];
      } else {
        top--;
        if (top >= 0) {
          const w = stack[top];
          if (low[u] < low[w]) low[w] = low[u];
          if (low[u] > disc[w]) inRing[parentBond[u]] = 0;
        }
      }
    }
  }
  return inRing;
}
