import type { Components } from './components.js';
import type { Graph } from './types.js';
import { markValidated } from './validate.js';

/**
 * The nodes of a graph grouped by connected component: component c holds the global nodes
 * `nodes[offsets[c] … offsets[c+1])` in ascending order, and `local[u]` is u's position inside
 * its component (a component's induced subgraph numbers its nodes that way).
 */
export interface ComponentPartition {
  readonly count: number;
  readonly labels: Int32Array;
  readonly nodes: Int32Array;
  readonly offsets: Int32Array;
  readonly local: Int32Array;
}

/** Group nodes by component label with one counting sort, O(n). */
export function partitionComponents(comps: Components): ComponentPartition {
  const { count, labels } = comps;
  const n = labels.length;
  const offsets = new Int32Array(count + 1);
  for (let u = 0; u < n; u++) offsets[labels[u] + 1]++;
  for (let c = 0; c < count; c++) offsets[c + 1] += offsets[c];
  const fill = offsets.slice(0, count);
  const nodes = new Int32Array(n);
  const local = new Int32Array(n);
  for (let u = 0; u < n; u++) {
    const c = labels[u];
    local[u] = fill[c] - offsets[c];
    nodes[fill[c]++] = u;
  }
  return { count, labels, nodes, offsets, local };
}

/**
 * The subgraph induced by component c, nodes renumbered by {@link ComponentPartition.local}.
 * A component is closed under edges, so every row is copied whole; ascending global columns stay
 * ascending locally, so the result is a valid CSR `Graph` (self-loops kept, as in `g`).
 */
export function componentSubgraph(g: Graph, part: ComponentPartition, c: number): Graph {
  const o = part.offsets[c];
  const m = part.offsets[c + 1] - o;
  const indptr = new Int32Array(m + 1);
  for (let a = 0; a < m; a++) {
    const u = part.nodes[o + a];
    indptr[a + 1] = indptr[a] + (g.indptr[u + 1] - g.indptr[u]);
  }
  const indices = new Int32Array(indptr[m]);
  const weights = new Float64Array(indptr[m]);
  for (let a = 0; a < m; a++) {
    const u = part.nodes[o + a];
    let q = indptr[a];
    for (let p = g.indptr[u]; p < g.indptr[u + 1]; p++, q++) {
      indices[q] = part.local[g.indices[p]];
      weights[q] = g.weights[p];
    }
  }
  return markValidated({ n: m, indptr, indices, weights });
}
