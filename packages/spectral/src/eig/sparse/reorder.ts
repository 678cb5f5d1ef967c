/**
 * Bandwidth-reducing node order for cache locality of sparse products: breadth-first search from a
 * pseudo-peripheral node per component (Cuthill & McKee 1969, without the degree sort; George & Liu
 * 1979 for the peripheral-node heuristic). O(nnz).
 */
import type { SymCsr } from './operator.js';

/** perm[new] = old: BFS order of every component, each started at the far end of a BFS from its first node. */
export function bfsOrder(A: SymCsr): Int32Array {
  const { n, indptr, indices } = A;
  const perm = new Int32Array(n);
  const seen = new Uint8Array(n);
  const tmpSeen = new Int32Array(n).fill(-1);
  const queue = new Int32Array(n);
  let out = 0;
  for (let s = 0; s < n; s++) {
    if (seen[s]) continue;
    // Two BFS sweeps to find a far node (pseudo-peripheral), then the ordering sweep.
    let start = s;
    for (let sweep = 0; sweep < 2; sweep++) {
      let head = 0;
      let tail = 0;
      queue[tail++] = start;
      tmpSeen[start] = s * 2 + sweep;
      while (head < tail) {
        const u = queue[head++];
        for (let p = indptr[u]; p < indptr[u + 1]; p++) {
          const v = indices[p];
          if (tmpSeen[v] !== s * 2 + sweep) {
            tmpSeen[v] = s * 2 + sweep;
            queue[tail++] = v;
          }
        }
      }
      start = queue[tail - 1];
    }
    let head = out;
    perm[out++] = start;
    seen[start] = 1;
    while (head < out) {
      const u = perm[head++];
      for (let p = indptr[u]; p < indptr[u + 1]; p++) {
        const v = indices[p];
        if (!seen[v]) {
          seen[v] = 1;
          perm[out++] = v;
        }
      }
    }
  }
  return perm;
}

/** B = Pᵀ A P for perm[new] = old (rows and columns renumbered). */
export function permuteSym(A: SymCsr, perm: Int32Array): SymCsr {
  const { n, indptr, indices, values, diag } = A;
  const inv = new Int32Array(n);
  for (let t = 0; t < n; t++) inv[perm[t]] = t;
  const ptr = new Int32Array(n + 1);
  for (let t = 0; t < n; t++) ptr[t + 1] = ptr[t] + (indptr[perm[t] + 1] - indptr[perm[t]]);
  const idx = new Int32Array(ptr[n]);
  const val = new Float64Array(ptr[n]);
  const d = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    const i = perm[t];
    d[t] = diag[i];
    let q = ptr[t];
    for (let p = indptr[i]; p < indptr[i + 1]; p++) {
      idx[q] = inv[indices[p]];
      val[q++] = values[p];
    }
  }
  return { n, indptr: ptr, indices: idx, values: val, diag: d };
}
