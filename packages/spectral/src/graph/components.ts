import type { Graph } from './types.js';
import { validateGraph } from './validate.js';

/** Connected components (self-loops and weights ignored), labelled 0..count-1 in order of their smallest node. */
export interface Components {
  readonly count: number;
  /** Component label per node. */
  readonly labels: Int32Array;
  /** Size of each component. */
  readonly sizes: Int32Array;
}

/** Connected components by iterative BFS on the CSR structure, O(n + nnz). */
export function connectedComponents(g: Graph): Components {
  validateGraph(g, 'spectral.connectedComponents');
  const { n, indptr, indices } = g;
  const labels = new Int32Array(n).fill(-1);
  const queue = new Int32Array(n);
  const sizes: number[] = [];
  let count = 0;
  for (let s = 0; s < n; s++) {
    if (labels[s] !== -1) continue;
    let head = 0;
    let tail = 0;
    queue[tail++] = s;
    labels[s] = count;
    while (head < tail) {
      const u = queue[head++];
      for (let p = indptr[u]; p < indptr[u + 1]; p++) {
        const v = indices[p];
        if (labels[v] === -1) {
          labels[v] = count;
          queue[tail++] = v;
        }
      }
    }
    sizes.push(tail);
    count++;
  }
  return { count, labels, sizes: Int32Array.from(sizes) };
}
