/**
 * Seeded structural perturbations of a graph for the PE stability audit (`graphpe stability`):
 * delete or add e undirected edges (optionally keeping the graph connected), and relabel nodes.
 * Weights are dropped (unit edges), self-loops are never created, duplicates never arise.
 */
import { checkOption, createRng, fromEdgeList, type Graph, GraphpeError, type Rng } from '@graphpe/spectral';

/**
 * Which edits {@link perturbEdges} makes: delete existing edges, add non-edges, or `reweight` existing edges
 * (weight × `factor`: a small, continuous perturbation — factor 0 would be a deletion).
 */
export type EditKind = 'delete' | 'add' | 'reweight';

/** Options of {@link perturbEdges}; defaults in brackets. */
export interface PerturbOptions {
  /** Number of edges to delete or add (≥ 0). */
  edits: number;
  /** Delete existing edges, add non-edges, or reweight existing edges. */
  kind: EditKind;
  /** `reweight`: the new weight is the old one times this (> 0, ≠ 1) [0.9]. */
  factor?: number;
  /**
   * Deletions never increase the number of connected components [true] (a deletion that would
   * disconnect is skipped and another edge tried). Additions never disconnect anyway.
   */
  keepConnected?: boolean;
  /** Seed of a fresh generator [0]; ignored when `rng` is given. */
  seed?: number;
  /** A generator to draw from (shared across calls for a stream of perturbations). */
  rng?: Rng;
}

/** A perturbed graph and the undirected edges (u < v) removed (or reweighted) or added. */
export interface Perturbation {
  readonly graph: Graph;
  readonly removed: readonly (readonly [number, number])[];
  readonly added: readonly (readonly [number, number])[];
}

const WHERE = 'studies.perturbEdges';

/** Undirected edges u < v of a graph (self-loops dropped), in CSR order. */
export function undirectedEdges(g: Graph): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < g.n; i++) {
    for (let p = g.indptr[i] as number; p < (g.indptr[i + 1] as number); p++) {
      const j = g.indices[p] as number;
      if (j > i) out.push([i, j]);
    }
  }
  return out;
}

/** Number of connected components of n nodes with these undirected edges (union–find). */
export function componentCount(n: number, edges: readonly (readonly [number, number])[]): number {
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x] as number] as number;
      x = parent[x] as number;
    }
    return x;
  };
  let count = n;
  for (const [u, v] of edges) {
    const a = find(u);
    const b = find(v);
    if (a !== b) {
      parent[a] = b;
      count--;
    }
  }
  return count;
}

function shuffle<T>(a: T[], rng: Rng): T[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = a[i] as T;
    a[i] = a[j] as T;
    a[j] = t;
  }
  return a;
}

/**
 * Delete, add or reweight `edits` undirected edges chosen uniformly at random (seeded). Returns `null` when
 * it cannot be done: fewer deletable edges (non-bridges, with `keepConnected`), non-edges or edges than
 * asked. The result has the same n; its edge count is m − e (delete), m + e (add) or m (reweight: the
 * reweighted edges are listed in `removed`).
 */
export function perturbEdges(g: Graph, options: PerturbOptions): Perturbation | null {
  const e = options.edits;
  checkOption(Number.isInteger(e) && e >= 0, WHERE, 'edits must be an integer ≥ 0', e);
  checkOption(
    options.kind === 'delete' || options.kind === 'add' || options.kind === 'reweight',
    WHERE,
    "kind must be 'delete', 'add' or 'reweight'",
    options.kind,
  );
  const factor = options.factor ?? 0.9;
  checkOption(
    factor > 0 && Number.isFinite(factor) && factor !== 1,
    WHERE,
    'factor must be > 0 and ≠ 1',
    factor,
  );
  const rng = options.rng ?? createRng(options.seed ?? 0);
  const keep = options.keepConnected ?? true;
  const n = g.n;
  const edges = undirectedEdges(g);
  const removed: [number, number][] = [];
  const added: [number, number][] = [];
  let current = edges;
  if (options.kind === 'reweight') {
    if (e > edges.length) return null;
    const weighted: [number, number, number][] = [];
    for (let i = 0; i < n; i++) {
      for (let p = g.indptr[i] as number; p < (g.indptr[i + 1] as number); p++) {
        const j = g.indices[p] as number;
        if (j > i) weighted.push([i, j, g.weights[p] as number]);
      }
    }
    const order = shuffle(
      Array.from({ length: weighted.length }, (_, i) => i),
      rng,
    ).slice(0, e);
    for (const idx of order) {
      const w = weighted[idx] as [number, number, number];
      w[2] *= factor;
      removed.push([w[0], w[1]]);
    }
    return { graph: fromEdgeList(weighted, { n }), removed, added };
  }
  if (options.kind === 'delete') {
    if (e > edges.length) return null;
    const target = keep ? componentCount(n, edges) : Number.POSITIVE_INFINITY;
    for (let step = 0; step < e; step++) {
      const order = shuffle(
        Array.from({ length: current.length }, (_, i) => i),
        rng,
      );
      let done = false;
      for (const idx of order) {
        const rest = current.filter((_, i) => i !== idx);
        if (keep && componentCount(n, rest) > target) continue;
        removed.push(current[idx] as [number, number]);
        current = rest;
        done = true;
        break;
      }
      if (!done) return null;
    }
  } else {
    const has = new Set(edges.map(([u, v]) => u * n + v));
    const free = (n * (n - 1)) / 2 - edges.length;
    if (e > free) return null;
    while (added.length < e) {
      const u = rng.int(n);
      const v = rng.int(n);
      if (u === v) continue;
      const a = Math.min(u, v);
      const b = Math.max(u, v);
      if (has.has(a * n + b)) continue;
      has.add(a * n + b);
      added.push([a, b]);
    }
    current = edges.concat(added);
  }
  return { graph: fromEdgeList(current as [number, number][], { n }), removed, added };
}

/** The graph PG: node i becomes perm[i] (weights kept). */
export function relabelGraph(g: Graph, perm: Int32Array): Graph {
  if (perm.length !== g.n) {
    throw new GraphpeError(
      'E_SHAPE',
      `studies.relabelGraph: permutation of length ${perm.length} for ${g.n} nodes`,
    );
  }
  const edges: [number, number, number][] = [];
  for (let i = 0; i < g.n; i++) {
    for (let p = g.indptr[i] as number; p < (g.indptr[i + 1] as number); p++) {
      const j = g.indices[p] as number;
      if (j >= i) edges.push([perm[i] as number, perm[j] as number, g.weights[p] as number]);
    }
  }
  return fromEdgeList(edges, { n: g.n });
}

/** P·X for an n×c row-major matrix X: row i moves to row perm[i]. */
export function permuteRows(x: Float64Array, n: number, c: number, perm: Int32Array): Float64Array {
  const out = new Float64Array(n * c);
  for (let i = 0; i < n; i++) out.set(x.subarray(i * c, (i + 1) * c), (perm[i] as number) * c);
  return out;
}
