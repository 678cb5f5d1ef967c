import { GraphpeError } from '../errors.js';
import type { Graph } from './types.js';
import { MAX_GRAPH_SIZE, markValidated } from './validate.js';

/** How repeated edges are treated: summed into one edge (default), or an error. */
export type DuplicatePolicy = 'sum' | 'error';
/** Whether self-loops are kept in the graph (RWSE counts them) or dropped (Laplacians ignore them anyway). */
export type SelfLoopPolicy = 'keep' | 'drop';

export interface CooOptions {
  /** Number of nodes; default max id + 1. Ids must be < n. */
  n?: number;
  duplicates?: DuplicatePolicy;
  selfLoops?: SelfLoopPolicy;
  /** Module name used as the error prefix. */
  where?: string;
  /** Optional 1-based source line per edge, used to name positions in errors. */
  lines?: Int32Array;
}

/**
 * Build a symmetric CSR {@link Graph} from undirected edges in COO form (each edge listed once
 * in either direction). Validates ids and weights, and names the offending edge on error.
 * Complexity O(n + m) plus a per-row sort.
 */
export function fromCoo(
  src: ArrayLike<number>,
  dst: ArrayLike<number>,
  weight: ArrayLike<number> | undefined,
  options: CooOptions = {},
): Graph {
  const where = options.where ?? 'spectral.fromCoo';
  const m = src.length;
  const at = (e: number): string => (options.lines ? `line ${options.lines[e]}` : `edge ${e}`);
  if (dst.length !== m || (weight && weight.length !== m)) {
    throw new GraphpeError(
      'E_SHAPE',
      `${where}: src, dst and weight must have the same length (got ${m}, ${dst.length}, ${weight?.length ?? m})`,
    );
  }
  let maxId = -1;
  let loops = 0;
  for (let e = 0; e < m; e++) {
    if (src[e] === dst[e]) loops++;
    for (const v of [src[e], dst[e]]) {
      if (!Number.isInteger(v) || v < 0) {
        throw new GraphpeError(
          'E_NODE_ID',
          `${where}: node id ${v} at ${at(e)} is not a non-negative integer`,
          {
            edge: e,
            line: options.lines?.[e],
            value: v,
          },
        );
      }
      if (v >= MAX_GRAPH_SIZE) {
        throw new GraphpeError(
          'E_TOO_LARGE',
          `${where}: node id ${v} at ${at(e)} exceeds the largest supported id ${MAX_GRAPH_SIZE - 1} (n ≤ 2^31 − 1: int32 indices)`,
          { edge: e, line: options.lines?.[e], value: v },
        );
      }
      if (v > maxId) maxId = v;
    }
    if (weight) {
      const w = weight[e];
      if (!Number.isFinite(w) || w <= 0) {
        throw new GraphpeError(
          Number.isNaN(w) ? 'E_NAN' : 'E_WEIGHT',
          `${where}: weight ${w} at ${at(e)} must be finite and > 0`,
          { edge: e, line: options.lines?.[e], value: w },
        );
      }
    }
  }
  const n = options.n ?? maxId + 1;
  if (!Number.isInteger(n) || n < 0)
    throw new GraphpeError('E_OPTION', `${where}: n must be a non-negative integer (got ${n})`, { value: n });
  if (n > MAX_GRAPH_SIZE) {
    throw new GraphpeError(
      'E_TOO_LARGE',
      `${where}: n = ${n} exceeds the largest supported graph size ${MAX_GRAPH_SIZE} (2^31 − 1: int32 indices)`,
      { value: n },
    );
  }
  const duplicates = options.duplicates ?? 'sum';
  if (duplicates !== 'sum' && duplicates !== 'error') {
    throw new GraphpeError(
      'E_OPTION',
      `${where}: duplicates must be 'sum' or 'error' (got ${String(duplicates)})`,
      {
        value: duplicates,
      },
    );
  }
  const selfLoops = options.selfLoops ?? 'keep';
  if (selfLoops !== 'keep' && selfLoops !== 'drop') {
    throw new GraphpeError(
      'E_OPTION',
      `${where}: selfLoops must be 'keep' or 'drop' (got ${String(selfLoops)})`,
      {
        value: selfLoops,
      },
    );
  }
  const entries = 2 * (m - loops) + (selfLoops === 'keep' ? loops : 0);
  if (entries > MAX_GRAPH_SIZE) {
    throw new GraphpeError(
      'E_TOO_LARGE',
      `${where}: ${m} edges make ${entries} CSR entries, more than the largest supported nnz ${MAX_GRAPH_SIZE} (2^31 − 1: int32 row pointers)`,
      { value: entries },
    );
  }
  if (maxId >= n) {
    let e = 0;
    while (src[e] < n && dst[e] < n) e++;
    throw new GraphpeError(
      'E_NODE_ID',
      `${where}: node id ${Math.max(src[e], dst[e])} at ${at(e)} is out of range for n = ${n}`,
      { edge: e, line: options.lines?.[e], value: Math.max(src[e], dst[e]) },
    );
  }
  const keepLoops = selfLoops === 'keep';
  const dupError = duplicates === 'error';
  // Count entries per row (both directions; self-loops once).
  const count = new Int32Array(n + 1);
  for (let e = 0; e < m; e++) {
    const u = src[e];
    const v = dst[e];
    if (u === v) {
      if (keepLoops) count[u + 1]++;
    } else {
      count[u + 1]++;
      count[v + 1]++;
    }
  }
  for (let i = 0; i < n; i++) count[i + 1] += count[i];
  const nnzRaw = count[n];
  const cols = new Int32Array(nnzRaw);
  const vals = new Float64Array(nnzRaw);
  const edgeOf = new Int32Array(nnzRaw);
  const fill = count.slice(0, n);
  for (let e = 0; e < m; e++) {
    const u = src[e];
    const v = dst[e];
    const w = weight ? weight[e] : 1;
    if (u === v) {
      if (!keepLoops) continue;
      const p = fill[u]++;
      cols[p] = v;
      vals[p] = w;
      edgeOf[p] = e;
    } else {
      let p = fill[u]++;
      cols[p] = v;
      vals[p] = w;
      edgeOf[p] = e;
      p = fill[v]++;
      cols[p] = u;
      vals[p] = w;
      edgeOf[p] = e;
    }
  }
  // Sort each row by column and merge duplicates.
  const indptr = new Int32Array(n + 1);
  const outCols = new Int32Array(nnzRaw);
  const outVals = new Float64Array(nnzRaw);
  let out = 0;
  let order = new Int32Array(16);
  for (let i = 0; i < n; i++) {
    const a = count[i];
    const b = count[i + 1];
    const len = b - a;
    if (order.length < len) order = new Int32Array(len * 2);
    for (let t = 0; t < len; t++) order[t] = a + t;
    const view = order.subarray(0, len);
    view.sort((x, y) => cols[x] - cols[y] || edgeOf[x] - edgeOf[y]);
    let last = -1;
    for (let t = 0; t < len; t++) {
      const p = view[t];
      const c = cols[p];
      if (c === last) {
        if (dupError) {
          const e = edgeOf[p];
          throw new GraphpeError(
            'E_DUPLICATE_EDGE',
            `${where}: duplicate edge (${src[e]}, ${dst[e]}) at ${at(e)} (first seen at ${at(edgeOf[view[t - 1]])}); pass duplicates: 'sum' to merge`,
            { edge: e, line: options.lines?.[e], u: src[e], v: dst[e] },
          );
        }
        outVals[out - 1] += vals[p];
      } else {
        outCols[out] = c;
        outVals[out] = vals[p];
        out++;
        last = c;
      }
    }
    indptr[i + 1] = out;
  }
  return markValidated({ n, indptr, indices: outCols.slice(0, out), weights: outVals.slice(0, out) });
}
