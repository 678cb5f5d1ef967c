/** Boundary validation shared by the graphon modules: every error names the module and the value. */
import { checkOption, type Graph, GraphpeError, validateGraph } from '@graphpe/spectral';

/** Throw `E_OPTION` unless `v` is an integer in [lo, hi]. */
export function checkInt(
  v: unknown,
  where: string,
  name: string,
  lo: number,
  hi = Number.MAX_SAFE_INTEGER,
): number {
  checkOption(
    typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi,
    where,
    `${name} must be an integer in [${lo}, ${hi === Number.MAX_SAFE_INTEGER ? '∞' : hi}]`,
    v,
  );
  return v as number;
}

/** Throw `E_OPTION` unless `v` is a finite number in the interval (lo, hi] (or [lo, hi] when `closedLo`). */
export function checkReal(
  v: unknown,
  where: string,
  name: string,
  lo = Number.NEGATIVE_INFINITY,
  hi = Number.POSITIVE_INFINITY,
  closedLo = true,
): number {
  checkOption(
    typeof v === 'number' && Number.isFinite(v) && (closedLo ? v >= lo : v > lo) && v <= hi,
    where,
    `${name} must be a finite number in ${closedLo ? '[' : '('}${lo}, ${hi}]`,
    v,
  );
  return v as number;
}

/** A seed for {@link createRng}: an integer (taken modulo 2³²). */
export function checkSeed(v: unknown, where: string): number {
  checkOption(typeof v === 'number' && Number.isInteger(v), where, 'seed must be an integer', v);
  return v as number;
}

/**
 * Validate a node set against n: integers in [0, n), no repeats. Returns it as an Int32Array
 * (a copy; the caller's order is kept).
 */
export function checkNodeSet(nodes: ArrayLike<number>, n: number, where: string, name = 'nodes'): Int32Array {
  const out = new Int32Array(nodes.length);
  const seen = new Uint8Array(n);
  for (let t = 0; t < nodes.length; t++) {
    const v = nodes[t];
    if (!Number.isInteger(v) || v < 0 || v >= n) {
      throw new GraphpeError('E_NODE_ID', `${where}: ${name}[${t}] = ${v} is not a node id in [0, ${n})`, {
        position: t,
        value: v,
      });
    }
    if (seen[v]) {
      throw new GraphpeError('E_DUPLICATE_EDGE', `${where}: ${name}[${t}] = ${v} is repeated`, {
        position: t,
        value: v,
      });
    }
    seen[v] = 1;
    out[t] = v;
  }
  return out;
}

/** Throw `E_SHAPE` for a value that is not a Graph (saying what it is), `E_EMPTY` for a graph without nodes. */
export function checkGraph(g: Graph, where: string): void {
  if (!g || !Number.isInteger(g.n) || !(g.indptr instanceof Int32Array)) {
    // validateGraph names what was passed (a { graph, … } result, a list, …) and what to pass instead.
    validateGraph(g, where);
    throw new GraphpeError('E_SHAPE', `${where}: expected a Graph (CSR with n, indptr, indices, weights)`);
  }
  if (g.n === 0) throw new GraphpeError('E_EMPTY', `${where}: the graph has no nodes`);
}

/** Complement of a node set in [0, n), ascending. */
export function complement(nodes: ArrayLike<number>, n: number): Int32Array {
  const mark = new Uint8Array(n);
  for (let t = 0; t < nodes.length; t++) mark[nodes[t]] = 1;
  const out = new Int32Array(n - nodes.length);
  let c = 0;
  for (let i = 0; i < n; i++) if (!mark[i]) out[c++] = i;
  return out;
}
