/**
 * Validation of a CSR {@link Graph} given to a public entry point: the invariants every kernel relies
 * on, checked in O(n + nnz) without allocating per call. A graph object found valid once is
 * remembered (a WeakSet of graph objects), and graphpe's own builders mark their results, so hot
 * paths pay the check at most once per graph.
 */
import { GraphpeError } from '../errors.js';
import type { Graph } from './types.js';

/** Largest node count and entry count of a {@link Graph} (int32 indices and row pointers). */
export const MAX_GRAPH_SIZE = 2 ** 31 - 1;

const validated = new WeakSet<object>();

/** Per-row cursor of the symmetry check, reused across calls. */
let cursor = new Int32Array(64);

/**
 * Record that `g` satisfies the {@link Graph} invariants (graphpe's builders call this on their
 * results); returns `g`.
 */
export function markValidated<G extends Graph>(g: G): G {
  validated.add(g);
  return g;
}

/**
 * Throw a {@link GraphpeError} naming `where`, the row, column and value unless `g` is a valid CSR
 * {@link Graph}: n a non-negative integer; `indptr` an Int32Array of length n + 1 starting at 0,
 * non-decreasing, ending at nnz = `indices.length` = `weights.length`; indices in [0, n), strictly
 * increasing within a row; weights finite and > 0; every entry (i, j) matched by (j, i) with the
 * same weight. Codes: `E_SHAPE` (not a Graph at all — the message says what it is and, for a
 * `{ graph, … }` result, a list or a graphology graph, what to pass instead — or types, lengths, row
 * pointers, order), `E_NODE_ID` (index out of range), `E_DUPLICATE_EDGE`, `E_NAN`, `E_WEIGHT`,
 * `E_ASYMMETRIC`. Each graph object is checked once.
 */
export function validateGraph(g: Graph, where: string): void {
  validateGraphAs(g, where, 'graph');
}

/**
 * {@link validateGraph} with the graph named `subject` in messages (`graph 5` in a batch) and
 * `details.graph = index` when given.
 */
export function validateGraphAs(g: Graph, where: string, subject: string, index?: number): void {
  if (g !== null && typeof g === 'object' && validated.has(g)) return;
  try {
    checkGraph(g, where, subject);
  } catch (err) {
    if (index !== undefined && err instanceof GraphpeError) {
      throw new GraphpeError(err.code, err.message, { ...err.details, graph: index });
    }
    throw err;
  }
  validated.add(g);
}

function checkGraph(g: Graph, where: string, subject: string): void {
  if (
    g === null ||
    typeof g !== 'object' ||
    Array.isArray(g) ||
    !('n' in g || 'indptr' in g || 'indices' in g || 'weights' in g)
  ) {
    throw notAGraph(g, where, subject);
  }
  const { n, indptr, indices, weights } = g;
  if (!(Number.isInteger(n) && n >= 0 && n <= MAX_GRAPH_SIZE)) {
    throw new GraphpeError(
      'E_SHAPE',
      `${where}: ${subject} has n = ${String(n)}; n must be an integer in [0, ${MAX_GRAPH_SIZE}]`,
      { value: n },
    );
  }
  if (
    !(indptr instanceof Int32Array) ||
    !(indices instanceof Int32Array) ||
    !(weights instanceof Float64Array)
  ) {
    const bad = !(indptr instanceof Int32Array)
      ? 'indptr'
      : !(indices instanceof Int32Array)
        ? 'indices'
        : 'weights';
    const want = bad === 'weights' ? 'Float64Array' : 'Int32Array';
    const got = (g as unknown as Record<string, unknown>)[bad];
    throw new GraphpeError(
      'E_SHAPE',
      `${where}: ${subject}'s ${bad} must be ${want === 'Int32Array' ? 'an' : 'a'} ${want} (got ${got === null || got === undefined ? String(got) : (got.constructor?.name ?? typeof got)})`,
      { field: bad },
    );
  }
  const nnz = indices.length;
  if (indptr.length !== n + 1) {
    throw new GraphpeError(
      'E_SHAPE',
      `${where}: ${subject}'s indptr has length ${indptr.length}, expected n + 1 = ${n + 1}`,
      { value: indptr.length },
    );
  }
  if (weights.length !== nnz) {
    throw new GraphpeError(
      'E_SHAPE',
      `${where}: ${subject} has ${weights.length} weights but ${nnz} column indices`,
      { value: weights.length },
    );
  }
  if (indptr[0] !== 0) {
    throw new GraphpeError('E_SHAPE', `${where}: ${subject}'s indptr[0] is ${indptr[0]}, expected 0`, {
      value: indptr[0],
    });
  }
  if (indptr[n] !== nnz) {
    throw new GraphpeError(
      'E_SHAPE',
      `${where}: ${subject}'s indptr[n] = indptr[${n}] is ${indptr[n]}, expected nnz = indices.length = ${nnz}`,
      { value: indptr[n] },
    );
  }
  // Rows: pointers non-decreasing, columns in range and strictly increasing, weights finite > 0.
  for (let i = 0; i < n; i++) {
    const a = indptr[i];
    const b = indptr[i + 1];
    if (b < a) {
      throw new GraphpeError(
        'E_SHAPE',
        `${where}: ${subject}'s indptr decreases at row ${i} (indptr[${i}] = ${a}, indptr[${i + 1}] = ${b})`,
        { row: i, value: b },
      );
    }
    let last = -1;
    for (let p = a; p < b; p++) {
      const j = indices[p];
      if (j < 0 || j >= n) {
        throw new GraphpeError(
          'E_NODE_ID',
          `${where}: ${subject} row ${i} has column index ${j} (position ${p}), out of range for n = ${n}`,
          { row: i, col: j, value: j },
        );
      }
      if (j <= last) {
        const dup = j === last;
        throw new GraphpeError(
          dup ? 'E_DUPLICATE_EDGE' : 'E_SHAPE',
          `${where}: ${subject} row ${i} ${dup ? `lists column ${j} twice` : `is not sorted (column ${j} after ${last})`} (position ${p}); columns must be strictly increasing within a row`,
          { row: i, col: j, value: j },
        );
      }
      last = j;
      const w = weights[p];
      if (!(w > 0 && w < Infinity)) {
        throw new GraphpeError(
          Number.isNaN(w) ? 'E_NAN' : 'E_WEIGHT',
          `${where}: ${subject} has weight ${w} at row ${i}, column ${j}; weights must be finite and > 0`,
          { row: i, col: j, value: w },
        );
      }
    }
  }
  checkSymmetric(g, where, subject);
}

/**
 * `E_SHAPE` for a value that is not a Graph at all, saying what it is and, for the usual mix-ups (a
 * `{ graph, … }` result, a list of graphs, a graphology graph), what to pass instead.
 */
function notAGraph(g: unknown, where: string, subject: string): GraphpeError {
  const got = describeValue(g);
  let hint = '';
  if (Array.isArray(g)) {
    hint = '; pass one Graph, not a list';
  } else if (g !== null && typeof g === 'object') {
    const o = g as Record<string, unknown>;
    if (typeof o.forEachEdge === 'function') {
      hint = '; convert a graphology graph with fromGraphology(graph)';
    } else if ('graph' in o) {
      hint = "; it has a 'graph' field: pass its .graph instead";
    }
  }
  return new GraphpeError(
    'E_SHAPE',
    `${where}: ${subject} is not a CSR Graph { n, indptr, indices, weights } (got ${got})${hint}`,
    { value: g, got },
  );
}

/** Short description of a value for error messages: its type, and its keys for plain objects. */
function describeValue(x: unknown): string {
  if (x === null || x === undefined) return String(x);
  if (Array.isArray(x)) return `an array of length ${x.length}`;
  if (typeof x === 'string') return `the string '${x.length > 40 ? `${x.slice(0, 40)}…` : x}'`;
  if (typeof x === 'function') return 'a function';
  if (typeof x !== 'object') return `${typeof x} ${String(x)}`;
  const proto = Object.getPrototypeOf(x);
  if (proto !== null && proto !== Object.prototype) return `a ${proto.constructor?.name ?? 'object'}`;
  const keys = Object.keys(x);
  if (keys.length === 0) return 'an empty object';
  const shown = keys.slice(0, 6).join(', ');
  return `an object with keys ${shown}${keys.length > 6 ? ', …' : ''}`;
}

/**
 * Every off-diagonal (i, j, w) has its mirror (j, i, w). Rows are sorted, so visiting rows in order,
 * the entries (j, i) with i < j of row j are met in order: `cursor[j]` walks row j's lower part as
 * rows i < j claim them, and must have consumed all of it when row j itself is reached.
 */
function checkSymmetric(g: Graph, where: string, subject: string): void {
  const { n, indptr, indices, weights } = g;
  if (cursor.length < n) cursor = new Int32Array(Math.max(n, 2 * cursor.length));
  const cur = cursor;
  for (let i = 0; i < n; i++) cur[i] = indptr[i];
  for (let i = 0; i < n; i++) {
    const end = indptr[i + 1];
    let p = cur[i];
    if (p < end && indices[p] < i) {
      const j = indices[p];
      throw asymmetric(where, subject, i, j, weights[p], undefined);
    }
    for (; p < end; p++) {
      const j = indices[p];
      if (j === i) continue;
      const q = cur[j];
      if (q < indptr[j + 1] && indices[q] < i) {
        // Row j holds (j, c) with c < i, which row c did not claim: (c, j) is missing.
        throw asymmetric(where, subject, j, indices[q], weights[q], undefined);
      }
      if (q >= indptr[j + 1] || indices[q] !== i)
        throw asymmetric(where, subject, i, j, weights[p], undefined);
      if (weights[q] !== weights[p]) throw asymmetric(where, subject, i, j, weights[p], weights[q]);
      cur[j] = q + 1;
    }
  }
}

function asymmetric(
  where: string,
  subject: string,
  i: number,
  j: number,
  w: number,
  mirror: number | undefined,
): GraphpeError {
  const tail =
    mirror === undefined
      ? `but entry (${j}, ${i}) is missing`
      : `but entry (${j}, ${i}) has weight ${mirror}`;
  return new GraphpeError(
    'E_ASYMMETRIC',
    `${where}: ${subject} entry (${i}, ${j}) has weight ${w} ${tail}; a Graph stores each undirected edge in both rows with the same weight`,
    { row: i, col: j, value: w, mirror },
  );
}
