/**
 * Graph from an in-memory edge list: `[u, v]` / `[u, v, w]` tuples or parallel `src`/`dst`/`weight`
 * arrays. Validation of ids and weights, duplicate and self-loop handling are {@link fromCoo}'s.
 */
import { GraphpeError } from '../errors.js';
import { type CooOptions, fromCoo } from './coo.js';
import type { Graph } from './types.js';

/** Options shared by the graph constructors: `n` (default max id + 1), `duplicates` ('sum'), `selfLoops` ('keep'). */
export type EdgeListOptions = Pick<CooOptions, 'n' | 'duplicates' | 'selfLoops'>;

/** One undirected edge `[u, v]` (weight 1) or `[u, v, w]`. */
export type EdgeTuple = readonly [number, number] | readonly [number, number, number];

/** Undirected edges as parallel arrays (each edge listed once, in either direction). */
export interface EdgeArrays {
  readonly src: ArrayLike<number>;
  readonly dst: ArrayLike<number>;
  /** Edge weights (finite, > 0); default 1. */
  readonly weight?: ArrayLike<number>;
}

const WHERE = 'spectral.fromEdgeList';

/**
 * Build a {@link Graph} from undirected edges given as tuples (`[u, v]` weight 1, `[u, v, w]`; the two
 * may be mixed) or as `{ src, dst, weight? }` arrays. A tuple of the wrong arity throws `E_SHAPE`
 * naming its index; ids and weights are checked as in {@link fromCoo}. An empty list gives an
 * edgeless graph with `n` nodes (0 when `n` is not given).
 */
export function fromEdgeList(edges: readonly EdgeTuple[] | EdgeArrays, options: EdgeListOptions = {}): Graph {
  const coo: CooOptions = {
    n: options.n,
    duplicates: options.duplicates,
    selfLoops: options.selfLoops,
    where: WHERE,
  };
  if (!Array.isArray(edges)) {
    const arrays = edges as EdgeArrays;
    if (
      arrays === null ||
      typeof arrays !== 'object' ||
      arrays.src === undefined ||
      arrays.dst === undefined
    ) {
      throw new GraphpeError(
        'E_SHAPE',
        `${WHERE}: expected an array of [u, v(, w)] tuples or { src, dst, weight? }`,
      );
    }
    return fromCoo(arrays.src, arrays.dst, arrays.weight, coo);
  }
  const tuples = edges as readonly EdgeTuple[];
  const m = tuples.length;
  const src = new Float64Array(m);
  const dst = new Float64Array(m);
  let weight: Float64Array | undefined;
  for (let e = 0; e < m; e++) {
    const t = tuples[e] as readonly unknown[];
    if (!Array.isArray(t) || (t.length !== 2 && t.length !== 3)) {
      const got = Array.isArray(t) ? `${t.length} entries` : typeof t;
      throw new GraphpeError('E_SHAPE', `${WHERE}: edge ${e} must be [u, v] or [u, v, w] (got ${got})`, {
        edge: e,
        value: t,
      });
    }
    const u = t[0];
    const v = t[1];
    if (typeof u !== 'number' || typeof v !== 'number') {
      const bad = typeof u !== 'number' ? u : v;
      throw new GraphpeError('E_NODE_ID', `${WHERE}: node id ${String(bad)} at edge ${e} is not a number`, {
        edge: e,
        value: bad,
      });
    }
    src[e] = u;
    dst[e] = v;
    if (t.length === 3) {
      const w = t[2];
      if (typeof w !== 'number') {
        throw new GraphpeError('E_WEIGHT', `${WHERE}: weight ${String(w)} at edge ${e} is not a number`, {
          edge: e,
          value: w,
        });
      }
      if (weight === undefined) weight = new Float64Array(m).fill(1);
      weight[e] = w;
    }
  }
  return fromCoo(src, dst, weight, coo);
}
