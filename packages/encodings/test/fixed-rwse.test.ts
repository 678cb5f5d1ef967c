import { createRng, fromEdgeList, type Graph, GraphpeError } from '@graphpe/spectral';
import { describe, expect, it } from 'vitest';
import {
  closedWalkLengths,
  compose,
  PeContext,
  randomWalkDiag,
  rwse,
  spectralQualifies,
} from '../src/index.js';
import { permuteGraph, randomPerm } from './fixed-helpers.js';

/** Random graph: a random forest plus extra edges, optional self-loops, weights and isolated nodes. */
function randomGraph(seed: number, opts: { maxN?: number; loops?: boolean; weighted?: boolean } = {}): Graph {
  const rng = createRng(seed);
  const n = 1 + rng.int(opts.maxN ?? 16);
  const src: number[] = [];
  const dst: number[] = [];
  const weight: number[] = [];
  const push = (u: number, v: number): void => {
    src.push(u);
    dst.push(v);
    weight.push(opts.weighted ? 0.25 + 2 * rng.next() : 1);
  };
  for (let i = 1; i < n; i++) if (rng.next() < 0.85) push(i, rng.int(i));
  const extra = rng.int(n + 1);
  for (let e = 0; e < extra; e++) {
    const u = rng.int(n);
    const v = rng.int(n);
    if (u !== v || opts.loops) push(u, v);
  }
  return fromEdgeList({ src, dst, weight }, { n, duplicates: 'sum' });
}

/** Independent reference: dense P = w_ij / max(1, Σ_j w_ij) and its plain powers. */
function referenceRwse(g: Graph, steps: number): Float64Array {
  const { n, indptr, indices, weights } = g;
  const P = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    let d = 0;
    for (let p = indptr[i]; p < indptr[i + 1]; p++) d += weights[p];
    for (let p = indptr[i]; p < indptr[i + 1]; p++) P[i * n + indices[p]] = weights[p] / Math.max(1, d);
  }
  const out = new Float64Array(n * steps);
  let M = P.slice();
  for (let t = 0; t < steps; t++) {
    for (let i = 0; i < n; i++) out[i * steps + t] = M[i * n + i];
    const next = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let c = 0; c < n; c++) {
        const a = M[i * n + c];
        if (a !== 0) for (let j = 0; j < n; j++) next[i * n + j] += a * P[c * n + j];
      }
    M = next;
  }
  return out;
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

const METHODS = ['dense', 'sparse'] as const;

describe('rwse', () => {
  for (const method of METHODS) {
    it(`reproduces PyG's golden table (${method} path)`, () => {
      // PyG's own AddRandomWalkPE test graph: edges 0-1, 0-4, 1-4, 2-3, 3-5, walk length 3.
      const g = fromEdgeList([
        [0, 1],
        [0, 4],
        [1, 4],
        [2, 3],
        [3, 5],
      ]);
      const out = rwse({ steps: 3, method })(g).rwse;
      expect(out.shape).toEqual([6, 3]);
      const golden = [
        [0, 0.5, 0.25],
        [0, 0.5, 0.25],
        [0, 0.5, 0],
        [0, 1, 0],
        [0, 0.5, 0.25],
        [0, 0.5, 0],
      ];
      expect(maxDiff(out.data, golden.flat())).toBeLessThan(1e-15);
    });

    it(`self-loops count toward the degree and isolated nodes get zeros (${method} path)`, () => {
      // PyG test: self-loops on nodes 0–2, node 3 isolated → [1, 1, 1] and [0, 0, 0].
      const g = fromEdgeList(
        [
          [0, 0],
          [1, 1],
          [2, 2],
        ],
        { n: 4 },
      );
      const out = rwse({ steps: 3, method })(g).rwse;
      expect(Array.from(out.data)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0]);
      // A self-loop next to an edge: deg = 2 (loop + edge), P_00 = 1/2.
      const h = fromEdgeList([
        [0, 0],
        [0, 1],
      ]);
      const r = randomWalkDiag(h, { steps: 2, method });
      // P = [[1/2, 1/2], [1, 0]]: P² = [[3/4, 1/4], [1/2, 1/2]].
      expect(maxDiff(r, [0.5, 0.75, 0, 0.5])).toBeLessThan(1e-15);
    });
  }

  it('both paths equal dense matrix powers on 300 random graphs (self-loops, weights < 1, isolated nodes)', () => {
    for (let trial = 0; trial < 300; trial++) {
      const g = randomGraph(1000 + trial, { loops: trial % 2 === 0, weighted: trial % 3 !== 0 });
      const steps = 1 + (trial % 9);
      const ref = referenceRwse(g, steps);
      for (const method of METHODS) {
        expect(maxDiff(randomWalkDiag(g, { steps, method }), ref)).toBeLessThan(1e-12);
      }
    }
  });

  it('is permutation-equivariant: RWSE(PAPᵀ) = P·RWSE(A), 300 seeded trials', () => {
    for (let trial = 0; trial < 300; trial++) {
      const g = randomGraph(5000 + trial, { maxN: 24, loops: trial % 4 === 0, weighted: trial % 2 === 0 });
      const perm = randomPerm(g.n, 9000 + trial);
      const steps = 8;
      const a = randomWalkDiag(g, { steps });
      const b = randomWalkDiag(permuteGraph(g, perm), { steps, method: trial % 2 ? 'sparse' : 'dense' });
      for (let i = 0; i < g.n; i++)
        for (let t = 0; t < steps; t++)
          expect(Math.abs(b[perm[i] * steps + t] - a[i * steps + t])).toBeLessThan(1e-13);
    }
  });

  it('sparse and dense paths agree on a 2500-node graph; auto picks sparse there', () => {
    const rng = createRng(7);
    const n = 2500;
    const src: number[] = [];
    const dst: number[] = [];
    for (let i = 1; i < n; i++) {
      src.push(i);
      dst.push(Math.max(0, i - 1 - rng.int(3)));
    }
    const g = fromEdgeList({ src, dst });
    const steps = 6;
    const sparse = randomWalkDiag(g, { steps });
    const dense = randomWalkDiag(g, { steps, method: 'dense' });
    expect(maxDiff(sparse, dense)).toBeLessThan(1e-13);
  });

  it('past maxWork the sparse path throws E_TOO_LARGE (sampled estimate or during the run)', () => {
    const g = randomGraph(3, { maxN: 16 });
    const big = fromEdgeList(
      Array.from({ length: 3000 }, (_, i) => [i, (i + 1) % 3000] as const),
      {},
    );
    expect(() => randomWalkDiag(big, { steps: 20, maxWork: 1e4 })).toThrowError(
      expect.objectContaining({ code: 'E_TOO_LARGE' }),
    );
    expect(() => randomWalkDiag(g, { steps: 20, method: 'sparse', maxWork: 10 })).toThrowError(
      expect.objectContaining({ code: 'E_TOO_LARGE' }),
    );
  });

  it('the spectral path (Σ_j (1−λ_j)^t φ_j²) equals dense matrix powers on 300 random graphs without self-loops', () => {
    let used = 0;
    for (let trial = 0; trial < 300; trial++) {
      const g = randomGraph(5000 + trial, { weighted: trial % 3 === 0 });
      const steps = 1 + (trial % 20);
      const ref = referenceRwse(g, steps);
      if (!spectralQualifies(g)) {
        expect(() => randomWalkDiag(g, { steps, method: 'spectral' })).toThrow(/spectral/);
        continue;
      }
      used++;
      const r = randomWalkDiag(g, { steps, method: 'spectral' });
      expect(maxDiff(r, ref)).toBeLessThan(1e-12);
      for (const x of r) expect(x).toBeGreaterThanOrEqual(0);
      // No closed walk of that length: exactly 0, as the matrix powers give.
      ref.forEach((x, q) => {
        if (x === 0) expect(r[q]).toBe(0);
      });
    }
    expect(used).toBeGreaterThan(200);
  });

  it('closedWalkLengths: t ≥ even/odd length ⇔ a closed walk of length t exists (boolean powers, loops too)', () => {
    for (let trial = 0; trial < 200; trial++) {
      // Every 8th graph has up to 70 nodes: the searches run 32 sources at a time as bit sets.
      const g = randomGraph(9000 + trial, {
        loops: trial % 2 === 0,
        weighted: trial % 3 === 0,
        maxN: trial % 8 === 0 ? 70 : 16,
      });
      const steps = 12;
      const { even, odd } = closedWalkLengths(g, steps);
      const { n, indptr, indices, weights } = g;
      // reach[i][j] = 1 when a walk of the current length goes from i to j.
      let reach: number[][] = Array.from({ length: n }, (_, i) =>
        Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)),
      );
      for (let len = 1; len <= steps; len++) {
        const next = reach.map(() => new Array<number>(n).fill(0));
        for (let i = 0; i < n; i++)
          for (let u = 0; u < n; u++) {
            if (!reach[i]![u]) continue;
            for (let p = indptr[u]!; p < indptr[u + 1]!; p++) if (weights[p]! > 0) next[i]![indices[p]!] = 1;
          }
        reach = next;
        for (let i = 0; i < n; i++) {
          const bound = len % 2 === 0 ? even[i]! : odd[i]!;
          expect(len >= bound, `graph ${trial}, node ${i}, length ${len}`).toBe(reach[i]![i] === 1);
        }
      }
    }
  });

  it('method spectral reuses the context spectrum and matches the chain', () => {
    const g = randomGraph(77, { maxN: 30 });
    const ctx = new PeContext(g);
    expect(ctx.fullSpectrum('sym')).toBeUndefined();
    const chain = rwse({ steps: 20 })(g, ctx).rwse.data as Float64Array; // no spectrum yet: the chain
    ctx.spectrum('sym', g.n);
    const spectral = rwse({ steps: 20, method: 'spectral' })(g, ctx).rwse.data as Float64Array;
    expect(ctx.solves).toBe(1);
    expect(maxDiff(spectral, chain)).toBeLessThan(1e-13);
    // auto reads the spectrum the context now holds: the spectral values, bit for bit, no new solve.
    expect(rwse({ steps: 20 })(g, ctx).rwse.data).toEqual(spectral);
    expect(ctx.solves).toBe(1);
    expect(() =>
      rwse({ steps: 3, method: 'spectral' })(fromEdgeList({ src: [0, 0], dst: [0, 1] }, { n: 2 })),
    ).toThrow(/self-loops/);
  });

  it('is unchanged inside a compose, with float32 output on request', () => {
    const g = randomGraph(11, { loops: true });
    const alone = rwse({ steps: 5 })(g).rwse;
    const both = compose(rwse({ steps: 5 }), rwse({ steps: 3, name: 'rw3', dtype: 'float32' }))(g);
    expect(both.rwse.data).toEqual(alone.data);
    expect(both.rw3.data).toBeInstanceOf(Float32Array);
    expect(both.rw3.shape).toEqual([g.n, 3]);
  });

  it('rejects bad options with E_OPTION', () => {
    const bad: object[] = [
      { steps: 0 },
      { steps: 2.5 },
      { method: 'eig' },
      { denseThreshold: -1 },
      { maxWork: 0 },
      { name: '1x' },
      { dtype: 'int8' },
      { walkLength: 3 },
    ];
    for (const o of bad) {
      let err: unknown;
      try {
        rwse(o as never);
      } catch (e) {
        err = e;
      }
      expect(err, JSON.stringify(o)).toBeInstanceOf(GraphpeError);
      expect((err as GraphpeError).code).toBe('E_OPTION');
    }
    const g = randomGraph(1);
    expect(() => rwse()(g, new PeContext(randomGraph(2)))).toThrowError(/another graph/);
  });
});
