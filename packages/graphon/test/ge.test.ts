import { createRng, fromCoo, type Graph, GraphpeError } from '@graphpe/spectral';
import { describe, expect, it } from 'vitest';
import {
  bandlimitedBasis,
  bandlimitedSignal,
  basisRows,
  conditionNumber,
  cosGraphon,
  geSelect,
  plantedPartition,
  qrSelect,
  randomSelect,
  reconstruct,
  relativeError,
  restrictSignal,
  sampleGraph,
} from '../src/index.js';
import { disjointUnion, erGraph, scaled } from './helpers.js';

/** Block of each node for a sorted-latent sample of an equal K-block SBM. */
const blockOf = (latent: Float64Array, K: number) => (i: number) =>
  Math.min(K - 1, Math.floor(latent[i] * K));

describe('GE selection: uniqueness and exact recovery (docs/graphon.md, "Sampling-set selection methods")', () => {
  const graphs: Array<[string, Graph, number]> = [
    ['ER', erGraph(300, 0.05, 1), 12],
    ['SBM', sampleGraph(plantedPartition(4, 0.4, 0.05), 400, { seed: 2 }).graph, 4],
    ['cos graphon', sampleGraph(cosGraphon(), 300, { seed: 3 }).graph, 3],
    ['sparse ER (sparse solver)', erGraph(2500, 0.004, 4), 16],
  ];
  for (const [name, g, K] of graphs) {
    it(`${name}: rank K, cond < 1e6, recovery error < 1e-8 (GE and QR)`, () => {
      const basis = bandlimitedBasis(g, { k: K });
      for (const sel of [geSelect(basis), qrSelect(basis)]) {
        expect(sel.nodes.length).toBe(K);
        expect(new Set(sel.nodes).size).toBe(K);
        expect(sel.condition).toBeLessThan(1e6);
        const rng = createRng(7);
        for (let t = 0; t < 3; t++) {
          const x = bandlimitedSignal(basis, rng);
          const rec = reconstruct(basis, sel.nodes, restrictSignal(x, sel.nodes));
          expect(rec.rank).toBe(K);
          expect(relativeError(rec.signal, x)).toBeLessThan(1e-8);
        }
      }
    });
  }

  it('K from a bandwidth λ: K = #{λ_i ≤ λ}', () => {
    const g = sampleGraph(plantedPartition(3, 0.5, 0.1), 300, { seed: 5 }).graph;
    const b = bandlimitedBasis(g, { lambda: 0.6 });
    expect(b.K).toBe(3);
    expect(b.lambda).toBe(0.6);
    const all = bandlimitedBasis(g, { k: 4 });
    expect(all.values[3]).toBeGreaterThan(0.6);
    expect(geSelect(b).nodes.length).toBe(3);
  });

  it('throws a rank-deficient error, never a silent wrong set', () => {
    // Two identical rows at most: a basis supported on 2 nodes cannot give K = 3 pivots.
    const vectors = new Float64Array(5 * 3);
    vectors[0] = 1;
    vectors[1 * 3 + 1] = 1;
    const basis = { n: 5, K: 3, values: new Float64Array(3), vectors, lambda: 0, partial: false };
    let err: unknown;
    try {
      geSelect(basis);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(GraphpeError);
    expect((err as GraphpeError).details.reason).toBe('rank-deficient');
    expect(() => qrSelect(basis)).toThrow(/rank-deficient/);
    expect(() => bandlimitedBasis(erGraph(10, 0.5, 1), { k: 11 })).toThrow(
      /k must be an integer in \[1, 10\]/,
    );
    expect(() => bandlimitedBasis(erGraph(10, 0.5, 1), {})).toThrow(/exactly one of k and lambda/);
  });
});

describe('random contrast on a 3-block SBM', () => {
  it('3 random nodes are rank-deficient with probability ≈ 7/9; GE never is', () => {
    // Expected-adjacency (weighted, grid latents): U_3 is exactly block-constant.
    const n = 300;
    const s = sampleGraph(plantedPartition(3, 0.5, 0.1), n, { mode: 'weighted', latent: 'grid' });
    const basis = bandlimitedBasis(s.graph, { k: 3 });
    const ge = geSelect(basis);
    expect(new Set(Array.from(ge.nodes, blockOf(s.latent, 3))).size).toBe(3);
    expect(ge.condition).toBeLessThan(10);
    const draws = 1500;
    let deficient = 0;
    for (let t = 0; t < draws; t++) {
      const S = randomSelect(n, 3, { seed: t }).nodes;
      const rec = reconstruct(basis, S, new Float64Array(3), { rcond: 1e-8 });
      const distinctBlocks = new Set(Array.from(S, blockOf(s.latent, 3))).size;
      expect(rec.rank < 3).toBe(distinctBlocks < 3);
      if (rec.rank < 3) deficient++;
    }
    const p = 1 - (6 * 100 ** 3) / (300 * 299 * 298); // exact for draws without replacement, ≈ 7/9
    expect(Math.abs(p - 7 / 9)).toBeLessThan(0.003);
    expect(Math.abs(deficient / draws - p)).toBeLessThan(3 * Math.sqrt((p * (1 - p)) / draws));
  });

  it('sampled SBM (K=3, n=150, p=.5, q=.1): GE picks one node per block in 10 of 10 draws', () => {
    for (let seed = 0; seed < 10; seed++) {
      const s = sampleGraph(plantedPartition(3, 0.5, 0.1), 150, { seed });
      const ge = geSelect(bandlimitedBasis(s.graph, { k: 3 }));
      expect(new Set(Array.from(ge.nodes, blockOf(s.latent, 3))).size).toBe(3);
    }
  });
});

describe('consistency of GE as n grows (docs/graphon.md, "The Le–Ruiz–Jegelka setting")', () => {
  it('SBM: the rate of "exactly one node per block" rises to 1', () => {
    const K = 3;
    const W = plantedPartition(K, 0.08, 0.04);
    const rates: number[] = [];
    for (const n of [200, 800, 3200]) {
      let ok = 0;
      const draws = n === 3200 ? 2 : n === 800 ? 6 : 8;
      for (let seed = 0; seed < draws; seed++) {
        const s = sampleGraph(W, n, { seed: 100 + seed });
        const ge = geSelect(bandlimitedBasis(s.graph, { k: K }));
        if (new Set(Array.from(ge.nodes, blockOf(s.latent, K))).size === K) ok++;
      }
      rates.push(ok / draws);
    }
    expect(rates[0]).toBeLessThan(1);
    expect(rates[2]).toBe(1);
    expect(rates[2]).toBeGreaterThanOrEqual(rates[1]);
    expect(rates[1]).toBeGreaterThanOrEqual(rates[0]);
  });

  it('cos graphon: cond(√(n/K)·U_K[S,:]) stays bounded', () => {
    const K = 3;
    for (const n of [200, 400, 800, 1200]) {
      const g = sampleGraph(cosGraphon(), n, { seed: n }).graph;
      const basis = bandlimitedBasis(g, { k: K, solver: n > 400 ? 'sparse' : 'auto' });
      const ge = geSelect(basis);
      const rows = basisRows(basis, ge.nodes).map((v) => v * Math.sqrt(n / K));
      const cond = conditionNumber(rows, K, K);
      expect(cond).toBeCloseTo(ge.condition, 8); // scale-free
      expect(cond).toBeLessThan(6);
    }
  });
});

describe('GE invariants', () => {
  it('same seed → same set; weights scaled by c → same set', () => {
    const a = sampleGraph(plantedPartition(4, 0.3, 0.05), 500, { seed: 11 });
    const b = sampleGraph(plantedPartition(4, 0.3, 0.05), 500, { seed: 11 });
    const sa = geSelect(bandlimitedBasis(a.graph, { k: 4 }));
    expect(geSelect(bandlimitedBasis(b.graph, { k: 4 })).nodes).toEqual(sa.nodes);
    expect(geSelect(bandlimitedBasis(scaled(a.graph, 37.5), { k: 4 })).nodes).toEqual(sa.nodes);
    expect(qrSelect(bandlimitedBasis(scaled(a.graph, 1e-3), { k: 4 })).nodes).toEqual(
      qrSelect(bandlimitedBasis(a.graph, { k: 4 })).nodes,
    );
  });

  it('isolated nodes: no NaN; their λ = 1 vectors are e_i', () => {
    const g = disjointUnion([erGraph(60, 0.2, 3), erGraph(1, 0, 0), erGraph(1, 0, 0)]);
    const basis = bandlimitedBasis(g, { k: 10 });
    expect(basis.vectors.every(Number.isFinite)).toBe(true);
    const ge = geSelect(basis);
    expect(ge.condition).toBeLessThan(1e6);
  });

  it('repeated zero eigenvalues (c components): GE picks one node per component, dense and sparse', () => {
    for (const [sizes, solver] of [
      [[80, 90, 100, 110], 'dense'],
      [[600, 650, 700, 750], 'sparse'],
    ] as const) {
      const parts = sizes.map((n, t) => sampleGraph(plantedPartition(2, 0.2, 0.05), n, { seed: t }).graph);
      const g = disjointUnion(parts);
      const basis = bandlimitedBasis(g, { k: 4, solver });
      for (let j = 0; j < 4; j++) expect(Math.abs(basis.values[j])).toBeLessThan(1e-8);
      const ge = geSelect(basis);
      const comp = (i: number) => {
        let off = 0;
        for (let c = 0; c < sizes.length; c++) {
          if (i < off + sizes[c]) return c;
          off += sizes[c];
        }
        return -1;
      };
      expect(new Set(Array.from(ge.nodes, comp)).size).toBe(4);
      const x = bandlimitedSignal(basis, createRng(1));
      expect(relativeError(reconstruct(basis, ge.nodes, restrictSignal(x, ge.nodes)).signal, x)).toBeLessThan(
        1e-8,
      );
    }
  });
});

describe('selection on a disconnected graph: the sparse basis has the true λ_K', () => {
  // A 600-node ER component (solved by LOBPCG) and 40 small ER components whose eigenvalues fall
  // between its own: one start block for the whole graph used to miss some of them.
  const parts = [erGraph(600, 0.012, 11)];
  for (let t = 0; t < 40; t++) parts.push(erGraph(8 + (t % 9), 0.5, 100 + t));
  const g = disjointUnion(parts);
  const dense = bandlimitedBasis(g, { k: g.n, solver: 'dense' });
  for (const K of [30, 60, 90]) {
    it(`K = ${K}: λ_K and the values equal the dense path, and a bandlimited signal is recovered`, () => {
      const basis = bandlimitedBasis(g, { k: K, solver: 'sparse' });
      expect(Math.abs(basis.lambda - dense.values[K - 1])).toBeLessThanOrEqual(1e-8);
      for (let j = 0; j < K; j++)
        expect(Math.abs(basis.values[j] - dense.values[j])).toBeLessThanOrEqual(1e-8);
      const sel = geSelect(basis);
      const x = bandlimitedSignal(basis, createRng(3));
      const rec = reconstruct(basis, sel.nodes, restrictSignal(x, sel.nodes));
      expect(relativeError(rec.signal, x)).toBeLessThan(1e-8);
    });
  }
});

describe('the null space as a bandlimited basis', () => {
  it('K = number of components is complete even when the next eigenvalue is below 1e-6', () => {
    // Two 30-node ER components joined by a 1e-9 edge (λ₂ ≈ 1e-10) and two more components: 3 zeros.
    const a = erGraph(30, 0.3, 1);
    const b = erGraph(30, 0.3, 2);
    const g = disjointUnion([a, b, erGraph(12, 0.5, 3), erGraph(9, 0.5, 4)]);
    const src: number[] = [];
    const dst: number[] = [];
    const w: number[] = [];
    for (let i = 0; i < g.n; i++) {
      for (let p = g.indptr[i]; p < g.indptr[i + 1]; p++) {
        if (g.indices[p] > i) {
          src.push(i);
          dst.push(g.indices[p]);
          w.push(g.weights[p]);
        }
      }
    }
    src.push(0);
    dst.push(30);
    w.push(1e-9);
    const joined = fromCoo(src, dst, w, { n: g.n });
    for (const solver of ['dense', 'sparse'] as const) {
      const basis = bandlimitedBasis(joined, { k: 3, solver });
      expect(Array.from(basis.values)).toEqual([0, 0, 0]);
      expect(basis.partial, solver).toBe(false);
      expect(bandlimitedBasis(joined, { k: 2, solver }).partial, solver).toBe(true);
    }
  });
});
