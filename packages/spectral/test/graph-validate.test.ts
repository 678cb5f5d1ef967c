import {
  connectedComponents,
  createRng,
  degrees,
  edgeCount,
  fromCoo,
  type Graph,
  GraphpeError,
  type GraphpeErrorCode,
  laplacianCsr,
  laplacianDense,
  laplacianEighBatch,
  laplacianEighBatchParallel,
  laplacianEigsh,
  laplacianOperator,
  largestComponent,
  type Rng,
  spectrum,
  validateGraph,
} from '@graphpe/spectral';
import { UndirectedGraph } from 'graphology';
import { describe, expect, it } from 'vitest';

/** A random valid graph (self-loops and isolated nodes possible), as a fresh object never validated. */
function randomGraph(rng: Rng): Graph {
  const n = 2 + rng.int(12);
  const m = 1 + rng.int(2 * n);
  const src: number[] = [];
  const dst: number[] = [];
  const w: number[] = [];
  for (let e = 0; e < m; e++) {
    const u = rng.int(n);
    const v = rng.next() < 0.1 ? u : rng.int(n);
    src.push(u);
    dst.push(v);
    w.push(0.25 + 2 * rng.next());
  }
  // Make sure there is one off-diagonal edge.
  src.push(0);
  dst.push(1);
  w.push(1);
  return copy(fromCoo(src, dst, w, { n }));
}

function copy(g: Graph): Graph {
  return {
    n: g.n,
    indptr: g.indptr.slice(),
    indices: g.indices.slice(),
    weights: g.weights.slice(),
  };
}

type Corruption = {
  name: string;
  codes: GraphpeErrorCode[];
  apply(g: Graph, rng: Rng): Graph | null;
};

/** Positions p of off-diagonal entries, and rows with at least two entries. */
function offDiagonal(g: Graph): number[] {
  const out: number[] = [];
  for (let i = 0; i < g.n; i++)
    for (let p = g.indptr[i]; p < g.indptr[i + 1]; p++) if (g.indices[p] !== i) out.push(p);
  return out;
}
function rowsWithTwo(g: Graph): number[] {
  const out: number[] = [];
  for (let i = 0; i < g.n; i++) if (g.indptr[i + 1] - g.indptr[i] >= 2) out.push(i);
  return out;
}
function mirror(g: Graph, p: number): number {
  const j = g.indices[p];
  let i = 0;
  while (g.indptr[i + 1] <= p) i++;
  for (let q = g.indptr[j]; q < g.indptr[j + 1]; q++) if (g.indices[q] === i) return q;
  throw new Error('no mirror');
}
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[rng.int(xs.length)];

const badWeight = (value: number, code: GraphpeErrorCode): Corruption => ({
  name: `weight ${value}`,
  codes: [code],
  apply(g, rng) {
    const p = pick(rng, offDiagonal(g));
    g.weights[p] = value;
    g.weights[mirror(g, p)] = value;
    return g;
  },
});

const CORRUPTIONS: Corruption[] = [
  {
    name: 'asymmetric weight',
    codes: ['E_ASYMMETRIC'],
    apply(g, rng) {
      g.weights[pick(rng, offDiagonal(g))] *= 1.5;
      return g;
    },
  },
  {
    name: 'missing mirror entry',
    codes: ['E_ASYMMETRIC'],
    apply(g, rng) {
      // Drop one off-diagonal entry of a row (its mirror stays).
      const p = pick(rng, offDiagonal(g));
      const indices = Int32Array.from([...g.indices.subarray(0, p), ...g.indices.subarray(p + 1)]);
      const weights = Float64Array.from([...g.weights.subarray(0, p), ...g.weights.subarray(p + 1)]);
      const indptr = g.indptr.map((x) => (x > p ? x - 1 : x));
      return { n: g.n, indptr, indices, weights };
    },
  },
  {
    name: 'out-of-range index',
    codes: ['E_NODE_ID'],
    apply(g, rng) {
      g.indices[rng.int(g.indices.length)] = rng.next() < 0.5 ? -1 - rng.int(3) : g.n + rng.int(3);
      return g;
    },
  },
  {
    name: 'unsorted row',
    codes: ['E_SHAPE'],
    apply(g, rng) {
      const rows = rowsWithTwo(g);
      if (rows.length === 0) return null;
      const p = g.indptr[pick(rng, rows)];
      const [a, b] = [g.indices[p], g.indices[p + 1]];
      g.indices[p] = b;
      g.indices[p + 1] = a;
      return g;
    },
  },
  {
    name: 'duplicate column',
    codes: ['E_DUPLICATE_EDGE'],
    apply(g, rng) {
      const rows = rowsWithTwo(g);
      if (rows.length === 0) return null;
      const p = g.indptr[pick(rng, rows)];
      g.indices[p + 1] = g.indices[p];
      return g;
    },
  },
  badWeight(-1, 'E_WEIGHT'),
  badWeight(0, 'E_WEIGHT'),
  badWeight(Number.NaN, 'E_NAN'),
  badWeight(Number.POSITIVE_INFINITY, 'E_WEIGHT'),
  {
    name: 'wrong indptr length',
    codes: ['E_SHAPE'],
    apply(g, rng) {
      const indptr =
        rng.next() < 0.5 ? g.indptr.slice(0, g.n) : Int32Array.from([...g.indptr, g.indptr[g.n]]);
      return { ...g, indptr };
    },
  },
  {
    name: 'decreasing indptr',
    codes: ['E_SHAPE'],
    apply(g, rng) {
      const i = 1 + rng.int(g.n - 1);
      g.indptr[i] = g.indptr[i - 1] - 1 - rng.int(2);
      return g;
    },
  },
  {
    name: 'indptr[n] ≠ nnz',
    codes: ['E_SHAPE'],
    apply(g, rng) {
      if (rng.next() < 0.5) {
        g.indptr[g.n] += rng.next() < 0.5 ? 1 : -1;
        return g;
      }
      const nnz = g.indices.length + 1;
      return {
        ...g,
        indices: Int32Array.from([...g.indices, 0]),
        weights: Float64Array.from([...g.weights, 1]).subarray(0, nnz),
      };
    },
  },
];

/** Every public entry point that takes a Graph, run on `g` (synchronous ones). */
const ENTRY_POINTS: [string, (g: Graph) => unknown][] = [
  ['spectrum', (g) => spectrum(g, { k: 3 })],
  ['spectrum sparse', (g) => spectrum(g, { k: 1, solver: 'sparse' })],
  ['laplacianEigsh', (g) => laplacianEigsh(g, { k: 1 })],
  ['laplacianEighBatch', (g) => laplacianEighBatch([g])],
  ['laplacianCsr', (g) => laplacianCsr(g, 'sym')],
  ['laplacianDense', (g) => laplacianDense(g, 'rw')],
  ['laplacianOperator', (g) => laplacianOperator(g, 'comb')],
  ['connectedComponents', (g) => connectedComponents(g)],
  ['degrees', (g) => degrees(g)],
  ['largestComponent', (g) => largestComponent(g)],
  ['edgeCount', (g) => edgeCount(g)],
  ['validateGraph', (g) => validateGraph(g, 'test')],
];

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return undefined;
}

describe('validateGraph at the public entry points', () => {
  it('every entry point rejects a randomly corrupted graph with a GraphpeError of the right code (400 seeded trials)', () => {
    const rng = createRng(20251);
    let trials = 0;
    for (let t = 0; trials < 400; t++) {
      const c = CORRUPTIONS[t % CORRUPTIONS.length];
      const bad = c.apply(randomGraph(rng), rng);
      if (bad === null) continue;
      trials++;
      for (const [name, run] of ENTRY_POINTS) {
        // A fresh copy each time: a graph found invalid is never cached as valid, but be strict.
        const g = { ...bad };
        const err = caught(() => run(g));
        expect(err, `${c.name} → ${name}`).toBeInstanceOf(GraphpeError);
        expect(c.codes, `${c.name} → ${name}: ${(err as Error).message}`).toContain(
          (err as GraphpeError).code,
        );
      }
    }
  });

  it('valid hand-built graphs pass every entry point unchanged', () => {
    const rng = createRng(7);
    for (let t = 0; t < 40; t++) {
      const g = randomGraph(rng);
      for (const [name, run] of ENTRY_POINTS)
        expect(
          caught(() => run(copy(g))),
          name,
        ).toBeUndefined();
    }
  });

  it('names the row, column and value: asymmetric weight, out-of-range index, negative weight', () => {
    const p3 = (): Graph => ({
      n: 3,
      indptr: Int32Array.from([0, 1, 3, 4]),
      indices: Int32Array.from([1, 0, 2, 1]),
      weights: Float64Array.from([1, 1, 1, 1]),
    });
    const asym = p3();
    asym.weights[0] = 3;
    const e1 = caught(() => spectrum(asym, { k: 3 })) as GraphpeError;
    expect(e1.code).toBe('E_ASYMMETRIC');
    expect(e1.message).toContain('spectral.spectrum');
    expect(e1.message).toContain('entry (0, 1) has weight 3');
    expect(e1.message).toContain('(1, 0) has weight 1');
    const oob = p3();
    oob.indices[3] = 7;
    const e2 = caught(() => laplacianCsr(oob)) as GraphpeError;
    expect(e2.code).toBe('E_NODE_ID');
    expect(e2.message).toMatch(/spectral\.laplacianCsr: graph row 2 has column index 7 .*n = 3/);
    const neg = p3();
    neg.weights[0] = -1;
    neg.weights[1] = -1;
    const e3 = caught(() => laplacianEigsh(neg, { k: 2 })) as GraphpeError;
    expect(e3.code).toBe('E_WEIGHT');
    expect(e3.message).toContain('spectral.laplacianEigsh: graph has weight -1 at row 0, column 1');
  });

  it('batched solvers name the index of the bad graph', async () => {
    const good = fromCoo([0, 1], [1, 2], undefined);
    const bad = copy(good);
    bad.weights[0] = 2;
    const e = caught(() => laplacianEighBatch([good, good, bad])) as GraphpeError;
    expect(e.code).toBe('E_ASYMMETRIC');
    expect(e.message).toContain('spectral.laplacianEighBatch: graph 2 entry (0, 1) has weight 2');
    expect(e.details.graph).toBe(2);
    let err: unknown;
    try {
      await laplacianEighBatchParallel([good, bad], { workers: 1 });
    } catch (x) {
      err = x;
    }
    expect(err).toBeInstanceOf(GraphpeError);
    expect((err as GraphpeError).message).toContain('spectral.laplacianEighBatchParallel: graph 1 entry');
    expect((err as GraphpeError).details.graph).toBe(1);
  });

  it('rejects a non-object and wrongly typed arrays with E_SHAPE', () => {
    expect((caught(() => spectrum(null as unknown as Graph)) as GraphpeError).code).toBe('E_SHAPE');
    expect((caught(() => laplacianDense(undefined as unknown as Graph)) as GraphpeError).code).toBe(
      'E_SHAPE',
    );
    const g = {
      n: 2,
      indptr: [0, 1, 2],
      indices: Int32Array.from([1, 0]),
      weights: Float64Array.from([1, 1]),
    };
    const e = caught(() => laplacianCsr(g as unknown as Graph)) as GraphpeError;
    expect(e.code).toBe('E_SHAPE');
    expect(e.message).toContain("graph's indptr must be an Int32Array (got Array)");
  });

  it('every entry point rejects values that are not Graphs at all, saying what was passed (seeded)', () => {
    const g = fromCoo([0, 1], [1, 2], undefined);
    const G = new UndirectedGraph();
    G.mergeEdge('a', 'b');
    // [value, what the message must say it got]
    const fixed: [unknown, string][] = [
      [null, '(got null)'],
      [undefined, '(got undefined)'],
      [0, '(got number 0)'],
      [true, '(got boolean true)'],
      ['edges.txt', "(got the string 'edges.txt')"],
      [[], '(got an array of length 0)'],
      [[g, g], '(got an array of length 2); pass one Graph, not a list'],
      [{}, '(got an empty object)'],
      [
        { graph: g, nodes: ['a', 'b', 'c'] },
        "(got an object with keys graph, nodes); it has a 'graph' field: pass its .graph instead",
      ],
      [{ graph: g, nodes: new Int32Array(3) }, 'pass its .graph instead'],
      [G, '(got a UndirectedGraph); convert a graphology graph with fromGraphology(graph)'],
      [new Map([['n', 3]]), '(got a Map)'],
      [() => g, '(got a function)'],
    ];
    // Random plain objects whose keys are none of n, indptr, indices, weights, and random arrays.
    const rng = createRng(31);
    const keys = ['graph', 'nodes', 'edges', 'N', 'size', 'order', 'data', 'x', 'adj'];
    const random: [unknown, string][] = [];
    for (let t = 0; t < 40; t++) {
      if (t % 4 === 3) {
        const len = rng.int(5);
        random.push([Array.from({ length: len }, () => rng.int(9)), `(got an array of length ${len})`]);
        continue;
      }
      const o: Record<string, unknown> = {};
      const count = 1 + rng.int(4);
      for (let j = 0; j < count; j++) o[pick(rng, keys)] = rng.next() < 0.5 ? g : rng.int(9);
      const hint =
        'graph' in o ? 'pass its .graph instead' : `(got an object with keys ${Object.keys(o).join(', ')})`;
      random.push([o, hint]);
    }
    for (const [value, says] of [...fixed, ...random]) {
      for (const [name, run] of ENTRY_POINTS) {
        const err = caught(() => run(value as Graph));
        expect(err, `${name}(${String(says)})`).toBeInstanceOf(GraphpeError);
        const e = err as GraphpeError;
        expect(e.code, `${name}: ${e.message}`).toBe('E_SHAPE');
        expect(e.message, name).toContain('is not a CSR Graph { n, indptr, indices, weights }');
        expect(e.message, name).toContain(says);
      }
    }
  });

  it('names the entry point that was given a { graph, nodes } result', () => {
    const wrapped = { graph: fromCoo([0], [1], undefined), nodes: ['a', 'b'] } as unknown as Graph;
    for (const [where, run] of [
      ['spectral.spectrum:', () => spectrum(wrapped, { k: 2 })],
      ['spectral.laplacianEigsh:', () => laplacianEigsh(wrapped, { k: 1 })],
      ['spectral.edgeCount:', () => edgeCount(wrapped)],
      ['spectral.laplacianEighBatch: graph 0 is not', () => laplacianEighBatch([wrapped])],
    ] as const) {
      expect((caught(run) as Error).message).toContain(where);
    }
  });
});
