/**
 * Graph from a graphology graph (any object implementing the graphology API; graphology itself is
 * not a dependency). Arcs are gathered into typed arrays once, bucketed by two stable counting
 * sorts, parallel arcs merged by the `duplicates` policy, then reciprocal arcs combined by max.
 * References: graphology (graphology/graphology, `src/metrics/centrality/eigenvector.js`) for the
 * typed neighbourhood index; PyG `to_undirected` for the contrast in symmetrization noted below.
 */
import type { AbstractGraph, Attributes } from 'graphology-types';
import { GraphpeError } from '../errors.js';
import type { DuplicatePolicy, SelfLoopPolicy } from './coo.js';
import type { Graph } from './types.js';

/** The part of the graphology API that {@link fromGraphology} uses. */
export type GraphologyLike = Pick<AbstractGraph, 'type' | 'order' | 'size' | 'nodes' | 'forEachEdge'>;

/** Options of {@link fromGraphology}. */
export interface FromGraphologyOptions {
  /** Accept directed arcs and merge them into undirected edges (default false: directed → `E_DIRECTED`). */
  symmetrize?: boolean;
  /** Edge attribute holding the weight (default 'weight'; missing → 1); null ignores weights (all 1). */
  weightAttribute?: string | null;
  /** Node keys in index order, a permutation of the graph's nodes (default `graph.nodes()` order). */
  nodeOrder?: readonly string[];
  /** Parallel edges of a multi-graph: summed (default) or an error. */
  duplicates?: DuplicatePolicy;
  /** Self-loops kept (default) or dropped. */
  selfLoops?: SelfLoopPolicy;
}

const WHERE = 'spectral.fromGraphology';

/**
 * Convert a graphology graph into a {@link Graph}, like every other builder. Node i is
 * `options.nodeOrder[i]` when given, else `graph.nodes()[i]`; {@link graphologyNodes} returns that
 * key list (checked the same way) for mapping indices back to node keys. Undirected edges are taken as they are. Directed edges (a `directed` graph, or a `mixed` one with
 * directed edges) throw `E_DIRECTED` unless `symmetrize: true`; then each arc becomes an undirected
 * edge and reciprocal arcs u→v, v→u merge into one edge of weight **max(w_uv, w_vu)** (an undirected
 * edge counts as both arcs). Max keeps a graph that already lists every edge both ways unchanged and
 * gives the boolean OR of A and Aᵀ for unweighted graphs, unlike PyG `to_undirected`'s default
 * reduce='add', which doubles such weights. Parallel edges (multi-graphs) are merged first, by
 * `duplicates`. Weights must be finite numbers > 0 (`E_WEIGHT`/`E_NAN` name the edge key).
 */
export function fromGraphology(graph: GraphologyLike, options: FromGraphologyOptions = {}): Graph {
  const symmetrize = options.symmetrize ?? false;
  const attr = options.weightAttribute === undefined ? 'weight' : options.weightAttribute;
  const dupError = checkEnum(options.duplicates, 'duplicates', ['sum', 'error']) === 'error';
  const keepLoops = checkEnum(options.selfLoops, 'selfLoops', ['keep', 'drop']) !== 'drop';
  if (attr !== null && typeof attr !== 'string') {
    throw new GraphpeError(
      'E_OPTION',
      `${WHERE}: weightAttribute must be a string or null (got ${String(attr)})`,
    );
  }
  checkGraphology(graph, WHERE);
  const nodes = nodeKeys(graph, options.nodeOrder, WHERE);
  const n = nodes.length;
  const index = new Map<string, number>();
  for (let i = 0; i < n; i++) index.set(nodes[i], i);

  // Gather arcs: an undirected edge u–v gives u→v and v→u, a self-loop one arc.
  const cap = 2 * graph.size;
  const rows = new Int32Array(cap);
  const cols = new Int32Array(cap);
  const vals = new Float64Array(cap);
  const edgeOf = new Int32Array(cap);
  const keys: string[] = [];
  const undirectedFlags: boolean[] = [];
  const ends: string[] = [];
  let m = 0;
  graph.forEachEdge((key, attributes: Attributes, source, target, _sa, _ta, undirected) => {
    const e = keys.length;
    keys.push(key);
    undirectedFlags.push(undirected);
    ends.push(source, target);
    if (!undirected && !symmetrize) {
      throw new GraphpeError(
        'E_DIRECTED',
        `${WHERE}: edge '${key}' ('${source}' → '${target}') is directed (graph type '${graph.type}'); pass symmetrize: true to merge arcs into undirected edges (weight = max of both directions)`,
        { edge: key, source, target, type: graph.type },
      );
    }
    const w = attr === null ? 1 : edgeWeight(attributes[attr], key, source, target, undirected);
    const u = index.get(source)!;
    const v = index.get(target)!;
    if (u === v && !keepLoops) return;
    rows[m] = u;
    cols[m] = v;
    vals[m] = w;
    edgeOf[m] = e;
    m++;
    if (undirected && u !== v) {
      rows[m] = v;
      cols[m] = u;
      vals[m] = w;
      edgeOf[m] = e;
      m++;
    }
  });
  const name = (e: number): string => {
    const arrow = undirectedFlags[e] ? '–' : '→';
    return `'${keys[e]}' ('${ends[2 * e]}' ${arrow} '${ends[2 * e + 1]}')`;
  };

  // Merge parallel arcs (same ordered pair), in edge-iteration order.
  let order = sortByRowCol(n, rows, cols, m);
  const r1 = new Int32Array(m);
  const c1 = new Int32Array(m);
  const a1 = new Float64Array(m);
  let m1 = 0;
  for (let t = 0; t < m; t++) {
    const k = order[t];
    if (m1 > 0 && r1[m1 - 1] === rows[k] && c1[m1 - 1] === cols[k]) {
      if (dupError) {
        const e = edgeOf[k];
        const first = edgeOf[order[t - 1]];
        throw new GraphpeError(
          'E_DUPLICATE_EDGE',
          `${WHERE}: edge ${name(e)} duplicates edge ${name(first)}; pass duplicates: 'sum' to merge`,
          { edge: keys[e], first: keys[first] },
        );
      }
      a1[m1 - 1] += vals[k];
    } else {
      r1[m1] = rows[k];
      c1[m1] = cols[k];
      a1[m1] = vals[k];
      m1++;
    }
  }

  // Symmetrize: W = max(A, Aᵀ), written straight into CSR.
  const rows2 = new Int32Array(2 * m1);
  const cols2 = new Int32Array(2 * m1);
  const vals2 = new Float64Array(2 * m1);
  let m2 = 0;
  for (let t = 0; t < m1; t++) {
    const u = r1[t];
    const v = c1[t];
    rows2[m2] = u;
    cols2[m2] = v;
    vals2[m2] = a1[t];
    m2++;
    if (u !== v) {
      rows2[m2] = v;
      cols2[m2] = u;
      vals2[m2] = a1[t];
      m2++;
    }
  }
  order = sortByRowCol(n, rows2, cols2, m2);
  const indptr = new Int32Array(n + 1);
  const indices = new Int32Array(m2);
  const weights = new Float64Array(m2);
  let nnz = 0;
  let prevRow = -1;
  for (let t = 0; t < m2; t++) {
    const k = order[t];
    const u = rows2[k];
    if (u === prevRow && indices[nnz - 1] === cols2[k]) {
      if (vals2[k] > weights[nnz - 1]) weights[nnz - 1] = vals2[k];
    } else {
      indices[nnz] = cols2[k];
      weights[nnz] = vals2[k];
      nnz++;
      indptr[u + 1] = nnz;
      prevRow = u;
    }
  }
  for (let i = 0; i < n; i++) if (indptr[i + 1] < indptr[i]) indptr[i + 1] = indptr[i];
  return { n, indptr, indices: indices.slice(0, nnz), weights: weights.slice(0, nnz) };
}

/**
 * Node key of each index of `fromGraphology(graph, options)`: `options.nodeOrder` (checked to be a
 * permutation of the graph's nodes, `E_OPTION` otherwise) or `graph.nodes()`.
 */
export function graphologyNodes(
  graph: GraphologyLike,
  options: Pick<FromGraphologyOptions, 'nodeOrder'> = {},
): string[] {
  const where = 'spectral.graphologyNodes';
  checkGraphology(graph, where);
  return nodeKeys(graph, options.nodeOrder, where);
}

/** Throw `E_OPTION` unless `graph` has the graphology methods used here. */
function checkGraphology(graph: GraphologyLike, where: string): void {
  if (
    graph === null ||
    typeof graph !== 'object' ||
    typeof graph.forEachEdge !== 'function' ||
    typeof graph.nodes !== 'function'
  ) {
    throw new GraphpeError(
      'E_OPTION',
      `${where}: expected a graphology graph (got ${graph === null ? 'null' : typeof graph})`,
    );
  }
}

/** Validated edge weight: missing → 1; anything else must be a finite number > 0. */
function edgeWeight(x: unknown, key: string, source: string, target: string, undirected: boolean): number {
  if (x === undefined) return 1;
  if (typeof x === 'number' && x > 0 && x < Infinity) return x;
  const at = `edge '${key}' ('${source}' ${undirected ? '–' : '→'} '${target}')`;
  if (typeof x === 'number' && Number.isNaN(x)) {
    throw new GraphpeError('E_NAN', `${WHERE}: weight NaN at ${at}`, { edge: key, value: x });
  }
  const why = typeof x !== 'number' ? 'is not a number' : 'must be finite and > 0';
  throw new GraphpeError('E_WEIGHT', `${WHERE}: weight ${String(x)} at ${at} ${why}`, {
    edge: key,
    value: x,
  });
}

/** Node keys in index order: `nodeOrder` checked to be a permutation of the graph's nodes, or `graph.nodes()`. */
function nodeKeys(graph: GraphologyLike, nodeOrder: readonly string[] | undefined, where: string): string[] {
  const all = graph.nodes();
  if (nodeOrder === undefined) return all;
  if (!Array.isArray(nodeOrder)) {
    throw new GraphpeError('E_OPTION', `${where}: nodeOrder must be an array of node keys`);
  }
  const known = new Set(all);
  const seen = new Map<string, number>();
  const keys: string[] = new Array(nodeOrder.length);
  for (let i = 0; i < nodeOrder.length; i++) {
    const key = String(nodeOrder[i]);
    if (!known.has(key)) {
      throw new GraphpeError('E_OPTION', `${where}: nodeOrder[${i}] = '${key}' is not a node of the graph`, {
        index: i,
        value: key,
      });
    }
    const prev = seen.get(key);
    if (prev !== undefined) {
      throw new GraphpeError('E_OPTION', `${where}: nodeOrder[${i}] = '${key}' repeats nodeOrder[${prev}]`, {
        index: i,
        value: key,
      });
    }
    seen.set(key, i);
    keys[i] = key;
  }
  if (keys.length !== all.length) {
    const missing = all.find((k) => !seen.has(k));
    throw new GraphpeError(
      'E_OPTION',
      `${where}: nodeOrder lists ${keys.length} of ${all.length} nodes (missing '${missing}')`,
      { missing },
    );
  }
  return keys;
}

/** Permutation sorting (rows[k], cols[k]) pairs lexicographically, stable: two counting sorts, O(n + m). */
function sortByRowCol(n: number, rows: Int32Array, cols: Int32Array, m: number): Int32Array {
  const count = new Int32Array(n + 1);
  const byCol = new Int32Array(m);
  for (let k = 0; k < m; k++) count[cols[k] + 1]++;
  for (let i = 0; i < n; i++) count[i + 1] += count[i];
  for (let k = 0; k < m; k++) byCol[count[cols[k]]++] = k;
  count.fill(0);
  for (let k = 0; k < m; k++) count[rows[k] + 1]++;
  for (let i = 0; i < n; i++) count[i + 1] += count[i];
  const out = new Int32Array(m);
  for (let t = 0; t < m; t++) {
    const k = byCol[t];
    out[count[rows[k]]++] = k;
  }
  return out;
}

function checkEnum<T extends string>(
  value: T | undefined,
  name: string,
  allowed: readonly T[],
): T | undefined {
  if (value !== undefined && !allowed.includes(value)) {
    throw new GraphpeError(
      'E_OPTION',
      `${WHERE}: ${name} must be ${allowed.map((a) => `'${a}'`).join(' or ')} (got ${String(value)})`,
      { value },
    );
  }
  return value;
}
