import { GraphpeError } from '../../errors.js';
import type { Graph } from '../../graph/types.js';

/**
 * Weighted degrees (self-loops excluded, as `degrees`) into `deg`, and the connected components
 * laid out for per-component work: `order` lists the nodes component by component (increasing
 * node id inside each), `start[c]` is where component c begins in `order`, `local[u]` is u's rank
 * inside its component. Returns the number of components. O(n + nnz), no allocation.
 * Throws `E_NAN` on a non-finite weight (graph index `b` in the message).
 */
export function componentLayout(
  g: Graph,
  b: number,
  deg: Float64Array,
  label: Int32Array,
  order: Int32Array,
  start: Int32Array,
  local: Int32Array,
): number {
  const { n, indptr, indices, weights } = g;
  for (let u = 0; u < n; u++) {
    let s = 0;
    for (let p = indptr[u]; p < indptr[u + 1]; p++) {
      const wt = weights[p];
      if (wt - wt !== 0) {
        throw new GraphpeError(
          'E_NAN',
          `spectral.laplacianEighBatch: graph ${b} has weight ${wt} on edge (${u}, ${indices[p]})`,
          { graph: b, i: u, j: indices[p], value: wt },
        );
      }
      if (indices[p] !== u) s += wt;
    }
    deg[u] = s;
    label[u] = -1;
  }
  // BFS labelling (order is used as the queue, then rewritten sorted by component).
  let count = 0;
  for (let s = 0; s < n; s++) {
    if (label[s] !== -1) continue;
    let head = 0;
    let tail = 0;
    order[tail++] = s;
    label[s] = count;
    while (head < tail) {
      const u = order[head++];
      for (let p = indptr[u]; p < indptr[u + 1]; p++) {
        const v = indices[p];
        if (label[v] === -1) {
          label[v] = count;
          order[tail++] = v;
        }
      }
    }
    count++;
  }
  // Counting sort by label (stable in node id).
  start.fill(0, 0, count + 1);
  for (let u = 0; u < n; u++) start[label[u] + 1]++;
  for (let c = 0; c < count; c++) start[c + 1] += start[c];
  for (let u = 0; u < n; u++) {
    const c = label[u];
    const pos = start[c];
    order[pos] = u;
    local[u] = pos;
    start[c] = pos + 1;
  }
  for (let c = count; c > 0; c--) start[c] = start[c - 1];
  start[0] = 0;
  for (let u = 0; u < n; u++) local[u] -= start[label[u]];
  return count;
}

/**
 * Dense m×m Laplacian (`sym` I − D^{-1/2}AD^{-1/2} or `comb` D − A, self-loops ignored) of the
 * component whose nodes are `order[o..o+m)`, written row-major at `out[xo…]` (full matrix).
 * `isd[u]` must hold d_u^{-1/2} for `sym`. Entries match `laplacianDense` restricted to the component.
 */
export function componentLaplacian(
  g: Graph,
  sym: boolean,
  deg: Float64Array,
  isd: Float64Array,
  order: Int32Array,
  o: number,
  m: number,
  local: Int32Array,
  out: Float64Array,
  xo: number,
): void {
  const { indptr, indices, weights } = g;
  out.fill(0, xo, xo + m * m);
  for (let a = 0; a < m; a++) {
    const u = order[o + a];
    const ra = xo + a * m;
    out[ra + a] = sym ? 1 : deg[u];
    const su = isd[u];
    for (let p = indptr[u]; p < indptr[u + 1]; p++) {
      const v = indices[p];
      if (v === u) continue;
      out[ra + local[v]] -= sym ? su * weights[p] * isd[v] : weights[p];
    }
  }
}
