import {
  batchItem,
  createEighPool,
  createRng,
  EighWorkspace,
  eigh,
  fromCoo,
  type Graph,
  GraphpeError,
  type LaplacianKind,
  laplacianDense,
  laplacianEighBatch,
  laplacianEighBatchParallel,
} from '@graphpe/spectral';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { setInverseIterationThreshold } from '../src/eig/dense/eigh.js';
import { resolveWorkerUrl } from '../src/eig/dense/parallel.js';
import { solveTwinLeafReduced } from '../src/eig/dense/twins.js';
import { cycle, edges, path, quality, randomGraph, star } from './dense-helpers.js';

const TOL = 1e-10;

const complete = (n: number) => {
  const l: [number, number][] = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) l.push([i, j]);
  return edges(n, l);
};

function expectSpectrum(values: Float64Array, expected: number[]) {
  const e = [...expected].sort((x, y) => x - y);
  expect(values.length).toBe(e.length);
  for (let j = 0; j < e.length; j++) expect(Math.abs(values[j] - e[j])).toBeLessThan(TOL);
}

describe('eigh: closed-form Laplacian spectra', () => {
  const cases: [string, Graph, number[], LaplacianKind][] = [
    ['path P9', path(9), Array.from({ length: 9 }, (_, j) => 1 - Math.cos((Math.PI * j) / 8)), 'sym'],
    [
      'cycle C10',
      cycle(10),
      Array.from({ length: 10 }, (_, j) => 1 - Math.cos((2 * Math.PI * j) / 10)),
      'sym',
    ],
    ['complete K7', complete(7), [0, ...Array(6).fill(7 / 6)], 'sym'],
    ['star S8', star(8), [0, ...Array(6).fill(1), 2], 'sym'],
    [
      'two triangles',
      edges(6, [
        [0, 1],
        [1, 2],
        [2, 0],
        [3, 4],
        [4, 5],
        [5, 3],
      ]),
      [0, 0, 1.5, 1.5, 1.5, 1.5],
      'sym',
    ],
    [
      'comb path P8',
      path(8),
      Array.from({ length: 8 }, (_, j) => 2 - 2 * Math.cos((Math.PI * j) / 8)),
      'comb',
    ],
  ];
  for (const [name, g, expected, kind] of cases) {
    it(`${name}: eigh and laplacianEighBatch give the closed form`, () => {
      const L = laplacianDense(g, kind);
      const r = eigh(L, g.n);
      expectSpectrum(r.values, expected);
      const q = quality(L, g.n, r.values, r.vectors);
      expect(q.res).toBeLessThan(TOL);
      expect(q.orth).toBeLessThan(TOL);
      const b = batchItem(laplacianEighBatch([g], { laplacian: kind }), 0);
      expectSpectrum(b.values, expected);
      const qb = quality(L, g.n, b.values, b.vectors);
      expect(qb.res).toBeLessThan(TOL);
      expect(qb.orth).toBeLessThan(TOL);
    });
  }
});

describe('eigh: accuracy on random graphs', () => {
  for (const n of [5, 23, 60, 200]) {
    it(`n = ${n}: residual and orthogonality ≤ 1e-10, eigenvalues agree with ml-matrix`, () => {
      const g = randomGraph(n, 3, 100 + n, n === 60);
      for (const kind of ['sym', 'comb'] as const) {
        const L = laplacianDense(g, kind);
        const copy = L.slice();
        const r = eigh(L, n);
        expect(L).toEqual(copy); // input untouched
        const q = quality(L, n, r.values, r.vectors);
        expect(q.res).toBeLessThan(TOL);
        expect(q.orth).toBeLessThan(TOL);
        for (let j = 1; j < n; j++) expect(r.values[j]).toBeGreaterThanOrEqual(r.values[j - 1]);
        const rows = Array.from({ length: n }, (_, i) => Array.from(L.subarray(i * n, i * n + n)));
        const ref = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true }).realEigenvalues;
        for (let j = 0; j < n; j++) expect(Math.abs(r.values[j] - ref[j])).toBeLessThan(TOL);
        const b = batchItem(laplacianEighBatch([g], { laplacian: kind }), 0);
        const qb = quality(L, n, b.values, b.vectors);
        expect(qb.res).toBeLessThan(TOL);
        expect(qb.orth).toBeLessThan(TOL);
        for (let j = 0; j < n; j++) expect(Math.abs(b.values[j] - ref[j])).toBeLessThan(TOL);
      }
    });
  }

  it('inverse-iteration path keeps repeated eigenvalues orthogonal (no component splitting)', () => {
    const twice = (g: Graph): Graph => {
      const src: number[] = [];
      const dst: number[] = [];
      for (let u = 0; u < g.n; u++) {
        for (let p = g.indptr[u]; p < g.indptr[u + 1]; p++) {
          const v = g.indices[p];
          if (u < v) src.push(u, u + g.n);
          if (u < v) dst.push(v, v + g.n);
        }
      }
      return fromCoo(src, dst, undefined, { n: 2 * g.n });
    };
    const cases: [Graph, number[] | null][] = [
      [star(100), [0, ...Array(98).fill(1), 2]],
      [complete(80), [0, ...Array(79).fill(80 / 79)]],
      [cycle(120), Array.from({ length: 120 }, (_, j) => 1 - Math.cos((2 * Math.PI * j) / 120))],
      [twice(randomGraph(50, 3, 8)), null],
    ];
    for (const [g, expected] of cases) {
      const L = laplacianDense(g, 'sym');
      const r = eigh(L, g.n);
      if (expected) expectSpectrum(r.values, expected);
      const q = quality(L, g.n, r.values, r.vectors);
      expect(q.res).toBeLessThan(TOL);
      expect(q.orth).toBeLessThan(TOL);
    }
  });

  it('both eigenvector paths (tql2 and inverse iteration) agree on small matrices', () => {
    const g = randomGraph(30, 3, 21);
    const L = laplacianDense(g, 'sym');
    const ql = eigh(L, 30);
    setInverseIterationThreshold(2);
    try {
      const inv = eigh(L, 30);
      const vals = eigh(L, 30, { vectors: false });
      expect(vals.values).toEqual(inv.values);
      const q = quality(L, 30, inv.values, inv.vectors);
      expect(q.res).toBeLessThan(TOL);
      expect(q.orth).toBeLessThan(TOL);
      for (let j = 0; j < 30; j++) expect(Math.abs(inv.values[j] - ql.values[j])).toBeLessThan(TOL);
      const b = batchItem(laplacianEighBatch([g, star(9)]), 0);
      expect(quality(L, 30, b.values, b.vectors).orth).toBeLessThan(TOL);
    } finally {
      setInverseIterationThreshold(64);
    }
  });

  it('a general symmetric matrix (not a Laplacian) reads only the upper triangle', () => {
    const n = 30;
    const rng = createRng(9);
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = i; j < n; j++) {
        const x = rng.normal() * 1e3;
        a[i * n + j] = x;
        a[j * n + i] = x;
      }
    }
    const r = eigh(a, n);
    const q = quality(a, n, r.values, r.vectors);
    expect(q.res).toBeLessThan(TOL);
    expect(q.orth).toBeLessThan(TOL);
    const upper = a.slice();
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) upper[i * n + j] = 12345;
    expect(eigh(upper, n)).toEqual(r);
  });

  it('n = 0 and n = 1, values-only mode, out arrays and workspace reuse', () => {
    expect(eigh(new Float64Array(0), 0).values.length).toBe(0);
    const one = eigh(Float64Array.of(3.5), 1);
    expect(Array.from(one.values)).toEqual([3.5]);
    expect(Array.from(one.vectors)).toEqual([1]);
    const ws = new EighWorkspace(4);
    const L = laplacianDense(randomGraph(40, 3, 5), 'sym');
    const full = eigh(L, 40, { workspace: ws });
    const vals = eigh(L, 40, { workspace: ws, vectors: false });
    expect(vals.vectors.length).toBe(0);
    expect(vals.values).toEqual(full.values);
    const out = { values: new Float64Array(40), vectors: new Float64Array(1600) };
    const r = eigh(L, 40, { workspace: ws, out });
    expect(r.values).toBe(out.values);
    expect(r).toEqual(full);
  });

  it('NaN / Infinity input throws E_NAN naming the first bad entry', () => {
    const L = laplacianDense(path(5), 'sym');
    L[2 * 5 + 1] = Number.NaN;
    L[3 * 5 + 4] = Number.POSITIVE_INFINITY;
    try {
      eigh(L, 5);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(GraphpeError);
      expect((err as GraphpeError).code).toBe('E_NAN');
      expect((err as GraphpeError).details).toMatchObject({ i: 2, j: 1 });
      expect((err as GraphpeError).message).toContain('(2, 1)');
    }
    const g = fromCoo([0, 1], [1, 2], undefined);
    (g.weights as Float64Array)[1] = Number.NaN;
    expect(() => laplacianEighBatch([path(3), g])).toThrow(/graph 1/);
  });

  it('same input → same output, bit for bit', () => {
    const g = randomGraph(80, 3, 77);
    const L = laplacianDense(g, 'sym');
    expect(eigh(L, 80)).toEqual(eigh(L, 80));
    expect(laplacianEighBatch([g, g])).toEqual(laplacianEighBatch([g, g]));
  });
});

describe('laplacianEighBatch', () => {
  const graphs: Graph[] = [
    path(7),
    cycle(6),
    star(5),
    edges(1, []),
    edges(0, []),
    // isolated nodes, a self-loop, two components
    fromCoo([0, 1, 3, 5], [1, 2, 4, 5], [1, 2, 0.5, 3], { n: 8 }),
    randomGraph(30, 2.2, 3, true),
    randomGraph(45, 1.2, 4),
  ];

  it('matches the dense Laplacian for every kind, with sizes and offsets', () => {
    for (const kind of ['sym', 'comb', 'rw'] as const) {
      const batch = laplacianEighBatch(graphs, { laplacian: kind });
      expect(batch.count).toBe(graphs.length);
      expect(Array.from(batch.sizes)).toEqual(graphs.map((g) => g.n));
      expect(batch.valueOffsets.length).toBe(graphs.length + 1);
      expect(batch.vectorOffsets.length).toBe(graphs.length + 1);
      graphs.forEach((g, b) => {
        const { n, values, vectors } = batchItem(batch, b);
        expect(n).toBe(g.n);
        const L = laplacianDense(g, kind);
        const ref = eigh(kind === 'rw' ? laplacianDense(g, 'sym') : L, n).values;
        for (let j = 0; j < n; j++) expect(Math.abs(values[j] - ref[j])).toBeLessThan(TOL);
        const q = quality(L, n, values, vectors);
        expect(q.res).toBeLessThan(TOL);
        if (kind !== 'rw') expect(q.orth).toBeLessThan(TOL);
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let i = 0; i < n; i++) s += vectors[i * n + j] ** 2;
          expect(Math.abs(s - 1)).toBeLessThan(TOL); // rw vectors: unit 2-norm, L_rw v = λ v
        }
      });
    }
  });

  it('batched == per-graph, bit for bit; values-only mode', () => {
    const batch = laplacianEighBatch(graphs);
    graphs.forEach((g, b) => {
      const single = batchItem(laplacianEighBatch([g]), 0);
      const item = batchItem(batch, b);
      expect(item.values).toEqual(single.values);
      expect(item.vectors).toEqual(single.vectors);
    });
    const vals = laplacianEighBatch(graphs, { vectors: false });
    expect(vals.vectors.length).toBe(0);
    expect(vals.values).toEqual(batch.values);
  });

  it('disconnected graphs: one exact zero per component', () => {
    const b = batchItem(laplacianEighBatch([graphs[5]]), 0);
    // components {0,1,2}, {3,4}, {5} (self-loop only → isolated), {6}, {7}: sym gives 1 for isolated nodes
    expect(Array.from(b.values.subarray(0, 2))).toEqual([0, 0]);
    expect(b.values[2]).toBeGreaterThan(0.1);
    const c = batchItem(laplacianEighBatch([graphs[5]], { laplacian: 'comb' }), 0);
    expect(Array.from(c.values.subarray(0, 5))).toEqual([0, 0, 0, 0, 0]);
  });

  it('rejects bad options', () => {
    expect(() => laplacianEighBatch(graphs, { laplacian: 'foo' as LaplacianKind })).toThrow(GraphpeError);
    expect(() => batchItem(laplacianEighBatch(graphs), graphs.length)).toThrow(GraphpeError);
  });
});

/** Tree with `groups` hubs each carrying `t` pendant twins (weight `w`), hubs joined in a chain with random weights. */
function twinTree(
  groups: number,
  t: number,
  seed: number,
  w = 1,
  extra: [number, number, number][] = [],
): Graph {
  const rng = createRng(seed);
  const src: number[] = [];
  const dst: number[] = [];
  const wt: number[] = [];
  let n = groups;
  for (let h = 0; h < groups; h++) {
    if (h > 0) {
      src.push(rng.int(h));
      dst.push(h);
      wt.push(0.5 + rng.next());
    }
    for (let k = 0; k < t + (h % 2); k++) {
      src.push(h);
      dst.push(n++);
      wt.push(w);
    }
  }
  for (const [u, v, x] of extra) {
    src.push(u);
    dst.push(v);
    wt.push(x);
  }
  return fromCoo(src, dst, wt, { n });
}

/** max over eigenvalue clusters (gap > 1e-8) of max |P_a − P_b|, P = Σ v vᵀ over the cluster. */
function projectorGap(n: number, va: Float64Array, xa: Float64Array, xb: Float64Array): number {
  let worst = 0;
  let j0 = 0;
  while (j0 < n) {
    let j1 = j0 + 1;
    while (j1 < n && va[j1] - va[j1 - 1] < 1e-8) j1++;
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < n; k++) {
        let pa = 0;
        let pb = 0;
        for (let j = j0; j < j1; j++) {
          pa += xa[i * n + j] * xa[k * n + j];
          pb += xb[i * n + j] * xb[k * n + j];
        }
        worst = Math.max(worst, Math.abs(pa - pb));
      }
    }
    j0 = j1;
  }
  return worst;
}

describe('laplacianEighBatch: twin-leaf reduction', () => {
  const graphs: Graph[] = [
    star(6),
    twinTree(4, 2, 1),
    twinTree(6, 3, 2, 0.7),
    // leaves on hub 0 with unequal weights are not twins; hub 1's are
    fromCoo([0, 0, 0, 1, 1, 1], [1, 2, 3, 4, 5, 6], [1, 2, 1.5, 0.3, 0.3, 0.3], { n: 7 }),
    // twins plus a second component and an isolated node
    fromCoo([0, 0, 0, 4, 4, 5], [1, 2, 3, 5, 6, 6], [1, 1, 1, 1, 1, 1], { n: 8 }),
    // large enough that the quotient takes the inverse-iteration path (n − 1 ≥ 64)
    twinTree(30, 2, 3, 1, [
      [0, 29, 0.8],
      [5, 17, 1.1],
    ]),
  ];

  it('takes the reduction and matches the unreduced dense solve (values 1e-12, projectors, residuals)', () => {
    const ws = new EighWorkspace(8);
    const L6 = laplacianDense(star(6), 'sym');
    const x = new Float64Array(6).fill(1 / Math.sqrt(10));
    x[0] = Math.sqrt(5 / 10);
    const id = Int32Array.from({ length: 6 }, (_, i) => i);
    expect(solveTwinLeafReduced(star(6), id, 0, id, L6, 0, 6, x, true, ws, new Float64Array(6), 0)).toBe(
      true,
    );
    const P = laplacianDense(path(5), 'sym');
    expect(solveTwinLeafReduced(path(5), id, 0, id, P, 0, 5, x, true, ws, new Float64Array(5), 0)).toBe(
      false,
    );
    for (const kind of ['sym', 'comb', 'rw'] as const) {
      const batch = laplacianEighBatch(graphs, { laplacian: kind });
      graphs.forEach((g, b) => {
        const { n, values, vectors } = batchItem(batch, b);
        const L = laplacianDense(g, kind);
        const ref = eigh(kind === 'rw' ? laplacianDense(g, 'sym') : L, n);
        for (let j = 0; j < n; j++) expect(Math.abs(values[j] - ref.values[j])).toBeLessThan(1e-12);
        const q = quality(L, n, values, vectors);
        expect(q.res).toBeLessThan(TOL);
        if (kind !== 'rw') {
          expect(q.orth).toBeLessThan(TOL);
          expect(projectorGap(n, ref.values, vectors, ref.vectors)).toBeLessThan(1e-9);
        }
      });
    }
  });

  it('batched == per-graph == values-only, bit for bit', () => {
    const batch = laplacianEighBatch(graphs);
    graphs.forEach((g, b) => {
      const single = batchItem(laplacianEighBatch([g]), 0);
      expect(batchItem(batch, b).values).toEqual(single.values);
      expect(batchItem(batch, b).vectors).toEqual(single.vectors);
    });
    expect(laplacianEighBatch(graphs, { vectors: false }).values).toEqual(batch.values);
  });
});

describe('laplacianEighBatchParallel', () => {
  const many: Graph[] = [];
  for (let b = 0; b < 60; b++) many.push(randomGraph(8 + (b % 25), 2.2, 1000 + b, b % 3 === 0));
  many.push(edges(0, []), edges(1, []));

  it('resolves the compiled worker from sources and from dist', () => {
    const fromSrc = resolveWorkerUrl(new URL('../src/eig/dense/parallel.ts', import.meta.url).href);
    expect(fromSrc.pathname.endsWith('/dist/eig/dense/worker.js')).toBe(true);
    const fromDist = resolveWorkerUrl(fromSrc.href.replace(/worker\.js$/, 'parallel.js'));
    expect(fromDist.href).toBe(fromSrc.href);
    expect(() => resolveWorkerUrl('file:///nonexistent/dir/parallel.ts')).toThrow(/npx tsc -b/);
  });

  it('equals the single-thread batch bit for bit (temporary pool and reusable pool)', async () => {
    for (const laplacian of ['sym', 'rw'] as const) {
      const ref = laplacianEighBatch(many, { laplacian });
      const par = await laplacianEighBatchParallel(many, { workers: 2, chunkSize: 7, laplacian });
      expect(par.values).toEqual(ref.values);
      expect(par.vectors).toEqual(ref.vectors);
      expect(Array.from(par.vectorOffsets)).toEqual(Array.from(ref.vectorOffsets));
    }
    const pool = createEighPool({ workers: 2 });
    try {
      const ref = laplacianEighBatch(many, { vectors: false });
      const a = await pool.run(many, { vectors: false });
      expect(a.values).toEqual(ref.values);
      const b = await laplacianEighBatchParallel(many, { pool });
      expect(b.vectors).toEqual(laplacianEighBatch(many).vectors);
      const bad = fromCoo([0, 1], [1, 2], undefined);
      (bad.weights as Float64Array)[0] = Number.NaN;
      await expect(pool.run([...many, bad], { chunkSize: 10 })).rejects.toMatchObject({
        code: 'E_NAN',
        details: { graph: many.length },
      });
    } finally {
      await pool.close();
    }
  });

  it('a failed run settles all its chunks first: the error is the first in graph order and nothing is left running', async () => {
    const nan = () => {
      const g = fromCoo([0, 1], [1, 2], undefined);
      (g.weights as Float64Array)[0] = Number.NaN;
      return g;
    };
    const heavy = (seed: number) => randomGraph(260, 4, seed);
    const pool = createEighPool({ workers: 2 });
    try {
      // Chunk 1 (graph 2) fails at once on one worker; chunk 0 fails at graph 1, after solving graph 0.
      await expect(pool.run([heavy(1), nan(), nan(), heavy(2)], { chunkSize: 2 })).rejects.toMatchObject({
        code: 'E_NAN',
        details: { graph: 1 },
      });
      expect(pool.pending).toBe(0);
      // A failing first chunk in front of slow ones: the call waits for them (close() would otherwise
      // terminate threads with results on the way, which piscina reports as an uncaught error).
      const input = [nan(), ...Array.from({ length: 6 }, (_, i) => heavy(10 + i))];
      await expect(pool.run(input, { chunkSize: 1 })).rejects.toMatchObject({ details: { graph: 0 } });
      expect(pool.pending).toBe(0);
      // A run left going when close() is called finishes rather than being cut off.
      const running = pool.run(input.slice(1), { chunkSize: 1 });
      expect(pool.pending).toBe(6);
      await pool.close();
      expect(pool.pending).toBe(0);
      const done = await running;
      expect(done.values).toEqual(laplacianEighBatch(input.slice(1)).values);
    } finally {
      await pool.close();
    }
  });
});
