import {
  createRng,
  fromEdgeList,
  type Graph,
  GraphpeError,
  type Spectrum,
  spectrum,
} from '@graphpe/spectral';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { CANON_STATUS_CODES, compose, eigenspaceProjectors, lapPE, PeContext, rwse } from '../src/index.js';
import { permuteGraph, randomPerm } from './fixed-helpers.js';

/** Random graph: random forest + extra edges; sometimes isolated nodes, weights, several components. */
function randomGraph(seed: number, maxN = 24): Graph {
  const rng = createRng(seed);
  const n = 1 + rng.int(maxN);
  const weighted = rng.next() < 0.3;
  const src: number[] = [];
  const dst: number[] = [];
  const weight: number[] = [];
  for (let i = 1; i < n; i++) {
    if (rng.next() < 0.9) {
      src.push(i);
      dst.push(rng.int(i));
      weight.push(weighted ? 0.5 + rng.next() : 1);
    }
  }
  const extra = rng.int(n);
  for (let e = 0; e < extra; e++) {
    const u = rng.int(n);
    const v = rng.int(n);
    if (u === v && rng.next() < 0.7) continue;
    src.push(u);
    dst.push(v);
    weight.push(weighted ? 0.5 + rng.next() : 1);
  }
  return fromEdgeList({ src, dst, weight }, { n, duplicates: 'sum' });
}

/**
 * PyG AddLaplacianEigenvectorPE reference (is_undirected): dense L_sym (self-loops removed,
 * deg^{-1/2} := 0 when isolated), dense symmetric eig (ml-matrix), ascending, columns 1..k.
 */
function pygReference(
  g: Graph,
  k: number,
): { values: number[]; vectors: number[][]; all: number[]; U: Matrix } {
  const { n, indptr, indices, weights } = g;
  const deg = new Float64Array(n);
  for (let i = 0; i < n; i++)
    for (let p = indptr[i]; p < indptr[i + 1]; p++) if (indices[p] !== i) deg[i] += weights[p];
  const L = Matrix.zeros(n, n);
  for (let i = 0; i < n; i++) {
    L.set(i, i, 1);
    for (let p = indptr[i]; p < indptr[i + 1]; p++) {
      const j = indices[p];
      if (j === i) continue;
      const s = deg[i] > 0 && deg[j] > 0 ? 1 / Math.sqrt(deg[i] * deg[j]) : 0;
      L.set(i, j, L.get(i, j) - weights[p] * s);
    }
  }
  const eig = new EigenvalueDecomposition(L, { assumeSymmetric: true });
  const order = eig.realEigenvalues.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const U = eig.eigenvectorMatrix;
  const sorted = new Matrix(n, n);
  order.forEach(([, src], j) => {
    for (let i = 0; i < n; i++) sorted.set(i, j, U.get(i, src));
  });
  const kk = Math.min(k, n - 1);
  const values = order.slice(1, 1 + kk).map(([v]) => v);
  const vectors = Array.from({ length: kk }, (_, j) =>
    Array.from({ length: n }, (_, i) => sorted.get(i, j + 1)),
  );
  return { values, vectors, all: order.map(([v]) => v), U: sorted };
}

/** Copy of a full spectrum with V_g → V_g Q_g in every group, Q_g random in O(d) (reflections included). */
function rotateInGroups(s: Spectrum, rng: ReturnType<typeof createRng>): Spectrum {
  const { n, k } = s;
  const vectors = s.vectors.slice();
  for (const grp of s.groups) {
    const d = grp.size;
    const Q = new Float64Array(d * d);
    for (let c = 0; c < d; c++) {
      for (;;) {
        const v = Array.from({ length: d }, () => rng.normal());
        for (let b = 0; b < c; b++) {
          let t = 0;
          for (let r = 0; r < d; r++) t += v[r] * Q[r * d + b];
          for (let r = 0; r < d; r++) v[r] -= t * Q[r * d + b];
        }
        const norm = Math.hypot(...v);
        if (norm < 1e-6) continue;
        for (let r = 0; r < d; r++) Q[r * d + c] = v[r] / norm;
        break;
      }
    }
    if (rng.next() < 0.5) for (let r = 0; r < d; r++) Q[r * d] = -Q[r * d];
    for (let i = 0; i < n; i++)
      for (let c = 0; c < d; c++) {
        let acc = 0;
        for (let r = 0; r < d; r++) acc += s.vectors[i * k + grp.start + r] * Q[r * d + c];
        vectors[i * k + grp.start + c] = acc;
      }
  }
  return { ...s, vectors };
}

const col = (data: ArrayLike<number>, n: number, k: number, j: number): number[] =>
  Array.from({ length: n }, (_, i) => data[i * k + j]);
const dot = (a: number[], b: number[]): number => a.reduce((s, x, i) => s + x * b[i], 0);

describe('lapPE', () => {
  it('pyg preset equals the PyG reference up to column signs on 300 random graphs (incl. n ≤ k)', () => {
    let simple = 0;
    let repeated = 0;
    for (let trial = 0; trial < 300; trial++) {
      const g = randomGraph(100 + trial);
      const k = 1 + (trial % 12);
      const { n } = g;
      const out = lapPE.pyg(k)(g).lap_vec;
      expect(out.shape).toEqual([n, k]);
      const ref = pygReference(g, k);
      const real = ref.vectors.length;
      expect(Array.from(out.mask!)).toEqual(Array.from({ length: k }, (_, j) => (j < real ? 1 : 0)));
      for (let j = real; j < k; j++) expect(col(out.data, n, k, j).every((x) => x === 0)).toBe(true);
      const tol = 1e-6;
      for (let j = 0; j < real; j++) {
        const lam = ref.values[j];
        // The full eigenspace of lam in the reference spectrum (index into the sorted list).
        const members: number[] = [];
        ref.all.forEach((v, i) => {
          if (Math.abs(v - lam) <= tol * Math.max(1, Math.abs(lam))) members.push(i);
        });
        const v = col(out.data, n, k, j);
        if (members.length === 1) {
          // Simple eigenvalue: v = ±v_ref, compared through |v| and v·v_ref = ±1.
          simple++;
          const r = ref.vectors[j];
          expect(Math.abs(Math.abs(dot(v, r)) - 1)).toBeLessThan(1e-8);
          for (let i = 0; i < n; i++) expect(Math.abs(Math.abs(v[i]) - Math.abs(r[i]))).toBeLessThan(1e-7);
        } else {
          // Repeated eigenvalue: v lies in the reference eigenspace (projector P v = v).
          repeated++;
          const proj = members.map((m) => col(ref.U.to1DArray(), n, n, m));
          const pv = new Array(n).fill(0);
          for (const u of proj) {
            const c = dot(u, v);
            for (let i = 0; i < n; i++) pv[i] += c * u[i];
          }
          for (let i = 0; i < n; i++) expect(Math.abs(pv[i] - v[i])).toBeLessThan(1e-7);
        }
      }
      // Orthonormal columns.
      for (let a = 0; a < real; a++)
        for (let b = a; b < real; b++)
          expect(
            Math.abs(dot(col(out.data, n, k, a), col(out.data, n, k, b)) - (a === b ? 1 : 0)),
          ).toBeLessThan(1e-9);
    }
    expect(simple).toBeGreaterThan(500);
    expect(repeated).toBeGreaterThan(20);
  });

  it('PyG fixture: two disjoint triangles, k = 1 keeps the second zero mode — constant per triangle, different across', () => {
    const g = fromEdgeList([
      [0, 1],
      [1, 4],
      [0, 4],
      [2, 3],
      [3, 5],
      [2, 5],
    ]);
    const out = lapPE.pyg(1)(g).lap_vec.data;
    expect(out[1]).toBeCloseTo(out[0], 12);
    expect(out[4]).toBeCloseTo(out[0], 12);
    expect(out[3]).toBeCloseTo(out[2], 12);
    expect(out[5]).toBeCloseTo(out[2], 12);
    expect(Math.abs(out[0] - out[2])).toBeGreaterThan(0.1);
    expect(lapPE.pyg(3)(g).lap_vec.shape).toEqual([6, 3]);
  });

  it('padding never changes a graph’s values: k > n pads (zero / NaN) and keeps the real columns bitwise', () => {
    for (let trial = 0; trial < 100; trial++) {
      const g = randomGraph(700 + trial, 12);
      const { n } = g;
      const small = lapPE({ k: n })(g);
      for (const [pad, fill] of [
        ['zero', 0],
        ['nan', Number.NaN],
      ] as const) {
        const K = n + 1 + (trial % 5);
        const big = lapPE({ k: K, pad })(g);
        expect(big.lap_vec.shape).toEqual([n, K]);
        expect(big.lap_val.shape).toEqual([K]);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) expect(big.lap_vec.data[i * K + j]).toBe(small.lap_vec.data[i * n + j]);
          for (let j = n; j < K; j++) expect(big.lap_vec.data[i * K + j]).toBe(fill);
        }
        for (let j = 0; j < K; j++) {
          expect(big.lap_vec.mask![j]).toBe(j < n ? 1 : 0);
          expect(big.lap_val.data[j]).toBe(j < n ? small.lap_val.data[j] : fill);
        }
      }
    }
  });

  it('batching never changes a graph’s values: alone vs inside a compose with other PEs', () => {
    for (let trial = 0; trial < 50; trial++) {
      const g = randomGraph(900 + trial);
      const alone = lapPE({ k: 8 })(g);
      const pyg = lapPE.pyg(8)(g);
      const both = compose(
        rwse({ steps: 4 }),
        eigenspaceProjectors({ k: 8 }),
        lapPE.pyg(8, { name: 'pyg' }),
        lapPE({ k: 8 }),
      )(g);
      expect(both.lap_vec.data).toEqual(alone.lap_vec.data);
      expect(both.lap_val.data).toEqual(alone.lap_val.data);
      expect(both.pyg_vec.data).toEqual(pyg.lap_vec.data);
    }
  });

  it('matches spectrum() column for column (dense), and Lv = λv on the sym Laplacian', () => {
    for (let trial = 0; trial < 50; trial++) {
      const g = randomGraph(1300 + trial);
      const k = 1 + (trial % 10);
      const s = spectrum(g, { k });
      const out = lapPE({ k })(g);
      expect(out.lap_vec.data).toEqual(s.vectors);
      expect(out.lap_val.data).toEqual(s.values);
      expect(Array.from(out.lap_vec.mask!)).toEqual(Array.from(s.mask));
    }
  });

  it('sign random: same seed → same output, different seeds differ, always ± the unsigned columns', () => {
    const g = randomGraph(5, 30);
    const { n } = g;
    const k = 12;
    const base = lapPE({ k })(g).lap_vec.data;
    const a = lapPE({ k, sign: 'random', seed: 1 })(g).lap_vec.data;
    const b = lapPE({ k, sign: 'random', seed: 1 })(g).lap_vec.data;
    expect(a).toEqual(b);
    const patterns = new Set<string>();
    for (let seed = 0; seed < 200; seed++) {
      const r = lapPE({ k, sign: 'random', seed })(g).lap_vec.data;
      let pattern = '';
      for (let j = 0; j < Math.min(n, k); j++) {
        const sgn = Math.sign(dot(col(r, n, k, j), col(base, n, k, j)));
        pattern += sgn > 0 ? '+' : '-';
        for (let i = 0; i < n; i++) expect(r[i * k + j]).toBe(sgn * base[i * k + j]);
      }
      patterns.add(pattern);
    }
    expect(patterns.size).toBeGreaterThan(190);
    // Padding stays zero (never −0 noise) under random signs.
    const tiny = fromEdgeList([[0, 1]]);
    const padded = lapPE({ k: 4, sign: 'random', seed: 3 })(tiny).lap_vec.data;
    for (let i = 0; i < 2; i++)
      for (let j = 2; j < 4; j++) expect(Object.is(padded[i * 4 + j], 0)).toBe(true);
  });

  it('isolated nodes: one-hot eigenvector with λ = 1 (sym); disconnected graphs keep every zero mode but the first', () => {
    // Triangle 0-1-2 (λ = 0, 1.5, 1.5) plus isolated node 3 (λ = 1, simple).
    const g = fromEdgeList(
      [
        [0, 1],
        [1, 2],
        [0, 2],
      ],
      { n: 4 },
    );
    const out = lapPE({ k: 4 })(g);
    const vals = Array.from(out.lap_val.data);
    expect(vals[0]).toBeCloseTo(0, 12);
    expect(vals[1]).toBeCloseTo(1, 12);
    expect(vals[2]).toBeCloseTo(1.5, 12);
    const v = col(out.lap_vec.data, 4, 4, 1);
    expect(v.map((x) => Math.abs(x))).toEqual([0, 0, 0, 1]);
    for (const j of [0, 2, 3]) expect(out.lap_vec.data[3 * 4 + j]).toBe(0);
    // Two components → two zero modes; pyg drops only the first.
    const two = fromEdgeList([
      [0, 1],
      [2, 3],
    ]);
    const pyg = lapPE.pyg(3, { eigenvalues: true })(two);
    expect(pyg.lap_val.data[0]).toBeCloseTo(0, 12);
    expect(pyg.lap_val.data[1]).toBeCloseTo(2, 12);
  });

  it('graphgps preset: trivial kept, NaN padding, λ ≥ 0, eigenvalues per node; comb option', () => {
    const g = fromEdgeList([
      [0, 1],
      [1, 2],
    ]);
    const out = lapPE.graphgps(5)(g);
    expect(out.lap_vec.shape).toEqual([3, 5]);
    expect(out.lap_val.shape).toEqual([3, 5]);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 5; j++) {
        const v = out.lap_val.data[i * 5 + j];
        if (j < 3) expect(v).toBeGreaterThanOrEqual(0);
        else {
          expect(v).toBeNaN();
          expect(out.lap_vec.data[i * 5 + j]).toBeNaN();
        }
      }
    }
    expect(out.lap_val.data[0]).toBe(0);
    expect(out.lap_val.data[2]).toBeCloseTo(2, 12);
    const comb = lapPE.graphgps(5, { laplacian: 'comb' })(g);
    expect(comb.lap_val.data[2]).toBeCloseTo(3, 12);
    const spe = lapPE.spe(5)(g);
    expect(spe.lap_val.shape).toEqual([5]);
    expect(spe.lap_vec.data[4]).toBe(0);
    const f32 = lapPE.spe(5, { dtype: 'float32' })(g);
    expect(f32.lap_vec.data).toBeInstanceOf(Float32Array);
  });

  it('one eigendecomposition per Laplacian kind per graph inside a context', () => {
    const g = randomGraph(42, 30);
    const ctx = new PeContext(g);
    const pe = compose(lapPE({ k: 16 }), lapPE.pyg(4, { name: 'p' }), eigenspaceProjectors({ k: 6 }));
    pe(g, ctx);
    expect(ctx.solves).toBe(1);
    lapPE({ k: 3, laplacian: 'comb', name: 'c' })(g, ctx);
    expect(ctx.solves).toBe(2);
  });

  it('sparse context: agrees with the dense solve up to sign on simple eigenvalues', () => {
    const n = 300;
    const g = fromEdgeList(Array.from({ length: n - 1 }, (_, i) => [i, i + 1] as const));
    const k = 5;
    const dense = lapPE({ k })(g).lap_vec.data;
    const ctx = new PeContext(g, { solver: 'sparse' });
    const sparse = lapPE({ k })(g, ctx).lap_vec.data;
    for (let j = 0; j < k; j++)
      expect(Math.abs(Math.abs(dot(col(dense, n, k, j), col(sparse, n, k, j))) - 1)).toBeLessThan(1e-6);
  });

  it('sparse context on a disconnected graph: eigenvalues, statuses and canonized columns equal the dense solve', () => {
    // A random connected 1,500-node graph (solved by LOBPCG) and 150 small cycles and paths whose
    // eigenvalues fall between its own.
    const rng = createRng(5);
    const edges: [number, number][] = [];
    for (let i = 1; i < 1500; i++) edges.push([i, rng.int(i)]);
    for (let t = 0; t < 3000; t++) {
      const u = rng.int(1500);
      const v = rng.int(1500);
      if (u !== v) edges.push([u, v]);
    }
    let o = 1500;
    for (let t = 0; t < 150; t++) {
      const m = 3 + (t % 7);
      for (let i = 0; i < m - 1; i++) edges.push([o + i, o + i + 1]);
      if (t % 2) edges.push([o + m - 1, o]);
      o += m;
    }
    const g = fromEdgeList(edges, { n: o, duplicates: 'sum' });
    const dense = new PeContext(g, { solver: 'dense' });
    for (const k of [160, 200]) {
      const pe = lapPE({ k, sign: 'canonical' });
      const a = pe(g, dense);
      const b = pe(g, new PeContext(g, { solver: 'sparse' }));
      for (let j = 0; j < k; j++) expect(Math.abs(a.lap_val.data[j] - b.lap_val.data[j])).toBeLessThan(1e-9);
      expect(Array.from(b.lap_canon.data)).toEqual(Array.from(a.lap_canon.data));
      for (let j = 0; j < k; j++) {
        if (a.lap_canon.data[j] !== CANON_STATUS_CODES.canonized) continue;
        for (let i = 0; i < g.n; i++)
          expect(Math.abs(a.lap_vec.data[i * k + j] - b.lap_vec.data[i * k + j])).toBeLessThan(1e-6);
      }
    }
  });

  it('sign canonical: canonized columns ignore the solver’s signs and bases (random O(d) per eigenspace), 300 trials', () => {
    const rng = createRng(21);
    const counts = new Map<number, number>();
    for (let trial = 0; trial < 300; trial++) {
      const g = randomGraph(3000 + trial, 16);
      const k = 1 + (trial % 10);
      const pe = trial % 2 ? lapPE.pyg(k, { sign: 'canonical' }) : lapPE({ k, sign: 'canonical' });
      const full = new PeContext(g).spectrum('sym', g.n);
      const a = pe(g);
      const ctx = new PeContext(g);
      ctx.provide(rotateInGroups(full, rng));
      const b = pe(g, ctx);
      const st = a.lap_canon.data;
      expect(Array.from(b.lap_canon.data)).toEqual(Array.from(st));
      const { n } = g;
      for (let j = 0; j < k; j++) {
        counts.set(st[j], (counts.get(st[j]) ?? 0) + 1);
        if (st[j] !== CANON_STATUS_CODES.canonized) continue;
        for (let i = 0; i < n; i++)
          expect(Math.abs(a.lap_vec.data[i * k + j] - b.lap_vec.data[i * k + j])).toBeLessThan(1e-9);
      }
    }
    // The trials exercise canonized, sign-non-canonizable and padding columns.
    expect(counts.get(CANON_STATUS_CODES.canonized)).toBeGreaterThan(300);
    expect(counts.get(CANON_STATUS_CODES.sign_noncanonizable)).toBeGreaterThan(5);
    expect(counts.get(CANON_STATUS_CODES.padding)).toBeGreaterThan(5);
  });

  it('sign canonical: permutation-equivariant on canonized columns, 200 trials; spans the same eigenspaces', () => {
    for (let trial = 0; trial < 200; trial++) {
      const g = randomGraph(4000 + trial, 16);
      const k = 1 + (trial % 8);
      const perm = randomPerm(g.n, 5000 + trial);
      const a = lapPE({ k, sign: 'canonical' })(g);
      const b = lapPE({ k, sign: 'canonical' })(permuteGraph(g, perm));
      const base = lapPE({ k })(g);
      const { n } = g;
      for (let j = 0; j < k; j++) {
        const sa = a.lap_canon.data[j];
        expect(b.lap_canon.data[j]).toBe(sa);
        if (sa === CANON_STATUS_CODES.canonized) {
          for (let i = 0; i < n; i++)
            expect(Math.abs(b.lap_vec.data[perm[i] * k + j] - a.lap_vec.data[i * k + j])).toBeLessThan(1e-9);
        }
        if (a.lap_vec.mask![j]) expect(a.lap_val.data[j]).toBe(base.lap_val.data[j]);
      }
    }
  });

  it('sign canonical with dropTrivial on a disconnected graph: the rest of the zero eigenspace is partial', () => {
    const g = fromEdgeList([
      [0, 1],
      [1, 2],
      [3, 4],
      [4, 5],
      [5, 3],
    ]);
    const out = lapPE.pyg(4, { sign: 'canonical', eigenvalues: true })(g);
    expect(out.lap_val.data[0]).toBeCloseTo(0, 12);
    expect(out.lap_canon.data[0]).toBe(CANON_STATUS_CODES.partial);
    expect(out.lap_canon.mask![0]).toBe(0);
    const keep = lapPE({ k: 4, sign: 'canonical' })(g);
    expect(Array.from(keep.lap_canon.data.slice(0, 2))).not.toContain(CANON_STATUS_CODES.partial);
  });

  it('rejects bad options with E_OPTION', () => {
    const bad: object[] = [
      { k: 0 },
      { k: 2.5 },
      { laplacian: 'norm' },
      { pad: 'none' },
      { sign: 'flip' },
      { sign: 'random' },
      { sign: 'random', seed: 0.5 },
      { seed: 3 },
      { eigenvalues: 'yes' },
      { dropTrivial: 1 },
      { clampEigenvalues: 'no' },
      { name: 'bad name' },
      { dtype: 'float16' },
      { normalization: 'sym' },
      { canon: { basis: 'map' } },
    ];
    for (const o of bad) {
      let err: unknown;
      try {
        lapPE(o as never);
      } catch (e) {
        err = e;
      }
      expect(err, JSON.stringify(o)).toBeInstanceOf(GraphpeError);
      expect((err as GraphpeError).code, JSON.stringify(o)).toBe('E_OPTION');
    }
    expect(() => lapPE({ sign: 'canonical', canon: { basis: 'qr' as never } })).toThrowError(
      expect.objectContaining({ code: 'E_OPTION' }),
    );
    const g = randomGraph(1);
    expect(() => compose(lapPE(), lapPE())(g)).toThrowError(/lap_vec/);
  });
});
