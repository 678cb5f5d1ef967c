/**
 * Binary edge list for handing a graph to another process (e.g. the numpy/scipy benchmark side):
 * little-endian Int32 pairs (u, v) with u < v, one per undirected edge (self-loops as (u, u)),
 * in CSR order; no header — pass n alongside. `numpy.fromfile(path, np.int32).reshape(-1, 2)` reads it.
 */
import { writeFile } from 'node:fs/promises';
import type { Graph } from '../graph/types.js';

/** Encode the undirected edges of `g` as Int32 pairs (u ≤ v), CSR order. */
export function edgeListInt32(g: Graph): Int32Array {
  const { n, indptr, indices } = g;
  let m = 0;
  for (let u = 0; u < n; u++) for (let p = indptr[u]; p < indptr[u + 1]; p++) if (indices[p] >= u) m++;
  const out = new Int32Array(2 * m);
  let q = 0;
  for (let u = 0; u < n; u++) {
    for (let p = indptr[u]; p < indptr[u + 1]; p++) {
      const v = indices[p];
      if (v >= u) {
        out[q++] = u;
        out[q++] = v;
      }
    }
  }
  return out;
}

/** Write {@link edgeListInt32} of `g` to `path` (little-endian hosts, as Node on x86/ARM). */
export async function writeEdgeListBinary(path: string, g: Graph): Promise<void> {
  const a = edgeListInt32(g);
  await writeFile(path, new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
}
