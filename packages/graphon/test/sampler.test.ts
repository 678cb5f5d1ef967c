import { createRng, edgeCount, type Graph } from '@graphpe/spectral';
import { describe, expect, it } from 'vitest';
import {
  CHAN_AIROLDI,
  cosGraphon,
  customGraphon,
  edgeDensity,
  type Graphon,
  latentPositions,
  plantedPartition,
  sampleGraph,
  sbmGraphon,
  scaleGraphon,
  xyGraphon,
} from '../src/index.js';

/** Symmetric CSR, sorted unique columns, no self-loops (one assertion, not one per entry). */
function checkSimple(g: Graph): void {
  const bad: string[] = [];
  for (let i = 0; i < g.n && bad.length < 3; i++) {
    for (let p = g.indptr[i]; p < g.indptr[i + 1]; p++) {
      const j = g.indices[p];
      if (j === i) bad.push(`loop at ${i}`);
      if (p > g.indptr[i] && j <= g.indices[p - 1]) bad.push(`row ${i} unsorted`);
      let lo = g.indptr[j];
      let hi = g.indptr[j + 1];
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (g.indices[mid] < i) lo = mid + 1;
        else hi = mid;
      }
      if (g.indices[lo] !== i || lo >= g.indptr[j + 1]) bad.push(`(${i}, ${j}) has no reverse entry`);
    }
  }
  expect(bad).toEqual([]);
}

/** |edges − E| ≤ 3σ, with E and σ from the pair-wise Bernoulli model given the latent positions. */
function expectWithin3Sigma(W: Graphon, rho: number, x: Float64Array, edges: number): void {
  let mean = 0;
  let variance = 0;
  for (let i = 0; i < x.length; i++) {
    for (let j = i + 1; j < x.length; j++) {
      const p = rho * W.value(x[i], x[j]);
      mean += p;
      variance += p * (1 - p);
    }
  }
  expect(Math.abs(edges - mean)).toBeLessThanOrEqual(3 * Math.sqrt(variance));
}

describe('sampleGraph: G(n, W)', () => {
  const sbm3 = sbmGraphon(
    [0.2, 0.3, 0.5],
    [
      [0.6, 0.1, 0.2],
      [0.1, 0.5, 0.05],
      [0.2, 0.05, 0.4],
    ],
  );

  it('edge count within 3σ of the conditional mean for every method, symmetric without loops', () => {
    const cases: Array<[Graphon, Parameters<typeof sampleGraph>[2]]> = [
      [sbm3, { method: 'blocks-exact' }],
      [sbm3, { method: 'thinning', cells: 7 }],
      [cosGraphon(), { method: 'thinning' }],
      [CHAN_AIROLDI.logistic(), { method: 'thinning', rho: 0.3 }],
      [xyGraphon(), { method: 'pairs' }],
      [CHAN_AIROLDI['abs-diff'](), { latent: 'grid' }],
    ];
    for (const [W, opts] of cases) {
      const s = sampleGraph(W, 800, { seed: 3, ...opts });
      checkSimple(s.graph);
      expect(edgeCount(s.graph)).toBe(s.edges);
      expect(s.candidates).toBeGreaterThanOrEqual(s.edges);
      expectWithin3Sigma(W, opts?.rho ?? 1, s.latent, s.edges);
    }
  });

  it('edge density within 3σ of ∫∫W over 20 seeds (unconditional)', () => {
    const n = 400;
    for (const W of [plantedPartition(3, 0.5, 0.1), cosGraphon(), CHAN_AIROLDI['exp-pow']()]) {
      const pairs = (n * (n - 1)) / 2;
      const rho = W.name === 'cos' ? 1 : 0.8;
      const target = rho * edgeDensity(W);
      let mean = 0;
      const draws = 20;
      for (let s = 0; s < draws; s++) mean += sampleGraph(W, n, { seed: s, rho }).edges / pairs / draws;
      // The density of one draw has variance ≤ p(1−p)/pairs + Var(latent) = O(1/n); over 20 draws
      // a generous bound is 3·sqrt(1/(n·draws)) (the latent term dominates: ~ Var(d(x))/n).
      expect(Math.abs(mean - target)).toBeLessThan(3 / Math.sqrt(n * draws));
    }
  });

  it('Bernoulli and weighted modes agree in expectation', () => {
    const W = CHAN_AIROLDI.mean();
    const n = 300;
    const weighted = sampleGraph(W, n, { seed: 1, mode: 'weighted', latent: 'grid' });
    let total = 0;
    for (let p = 0; p < weighted.graph.weights.length; p++) total += weighted.graph.weights[p];
    total /= 2;
    let bern = 0;
    for (let s = 0; s < 10; s++) bern += sampleGraph(W, n, { seed: s, latent: 'grid' }).edges / 10;
    const sigma = Math.sqrt(total / 10);
    expect(Math.abs(bern - total)).toBeLessThan(3 * sigma);
    expect(weighted.method).toBe('weighted');
  });

  it('the step approximation reports an error consistent with the Lipschitz bound', () => {
    const W = customGraphon((x, y) => Math.exp(-3 * Math.abs(x - y)));
    const s = sampleGraph(W, 2000, { seed: 2, cells: 50 });
    expect(s.method).toBe('step');
    const a = s.approximation!;
    expect(a.cells).toBe(50);
    expect(a.linf).toBeGreaterThan(0);
    expect(a.linf).toBeLessThanOrEqual(3 / 50 + 1e-12); // L = 3 in ℓ1, half-widths 1/(2·50) each
    expect(a.l1).toBeLessThan(a.linf);
    // A declared Lipschitz constant enables exact thinning instead.
    const exact = sampleGraph(
      customGraphon((x, y) => Math.exp(-3 * Math.abs(x - y)), { lipschitz: 3 }),
      2000,
      { seed: 2 },
    );
    expect(exact.method).toBe('thinning');
  });

  it('same seed → same graph; different seeds differ; random order relabels consistently', () => {
    const a = sampleGraph(cosGraphon(), 500, { seed: 9 });
    const b = sampleGraph(cosGraphon(), 500, { seed: 9 });
    expect(b.graph.indices).toEqual(a.graph.indices);
    expect(b.latent).toEqual(a.latent);
    expect(sampleGraph(cosGraphon(), 500, { seed: 10 }).graph.indices).not.toEqual(a.graph.indices);
    for (let i = 1; i < 500; i++) expect(a.latent[i]).toBeGreaterThanOrEqual(a.latent[i - 1]);
    const r = sampleGraph(cosGraphon(), 500, { seed: 9, order: 'random' });
    expect(r.edges).toBe(a.edges);
    // Same multiset of latent positions, now permuted; an edge's endpoints keep their positions.
    expect(Float64Array.from(r.latent).sort()).toEqual(a.latent);
    const pos = new Map<number, number>();
    a.latent.forEach((x, i) => {
      pos.set(x, i);
    });
    const g = r.graph;
    for (let i = 0; i < 500; i += 17) {
      for (let p = g.indptr[i]; p < g.indptr[i + 1]; p++) {
        const u = pos.get(r.latent[i])!;
        const v = pos.get(r.latent[g.indices[p]])!;
        expect(Array.from(a.graph.indices.subarray(a.graph.indptr[u], a.graph.indptr[u + 1]))).toContain(v);
      }
    }
  });

  it('latent positions: sorted uniforms with the right mean; grid (i+½)/n', () => {
    const x = latentPositions(20000, 'uniform', createRng(4));
    let m = 0;
    for (const v of x) m += v / x.length;
    expect(Math.abs(m - 0.5)).toBeLessThan(3 * Math.sqrt(1 / 12 / x.length));
    expect(x[0]).toBeGreaterThan(0);
    expect(x[x.length - 1]).toBeLessThan(1);
    expect(Array.from(latentPositions(4, 'grid', createRng(0)))).toEqual([0.125, 0.375, 0.625, 0.875]);
  });

  it('sparsity ρ scales the density; p = 1 blocks are complete', () => {
    const s = sampleGraph(scaleGraphon(plantedPartition(2, 1, 0), 1), 40, { latent: 'grid' });
    expect(s.edges).toBe(2 * ((20 * 19) / 2));
    const sp = sampleGraph(plantedPartition(2, 1, 0), 2000, { rho: 0.01, latent: 'grid', seed: 1 });
    const mean = 0.01 * 2 * ((1000 * 999) / 2);
    expect(Math.abs(sp.edges - mean)).toBeLessThan(3 * Math.sqrt(mean));
  });

  it('errors name the offending value', () => {
    expect(() => sampleGraph(xyGraphon(), 0)).toThrow(/n must be an integer/);
    expect(() => sampleGraph(xyGraphon(), 10, { rho: 2 })).toThrow(/rho must be in \(0, 1\] \(got 2\)/);
    expect(() => sampleGraph(xyGraphon(), 10, { latent: 'x' as never })).toThrow(/latent/);
    expect(() => sampleGraph(xyGraphon(), 20000, { method: 'pairs' })).toThrow(/pairs/);
    expect(() =>
      sampleGraph(
        customGraphon(() => 1.5, { monotone: true }),
        10,
      ),
    ).toThrow(/= 1.5 is not in \[0, 1\]/);
    const lying: Graphon = { name: 'liar', value: () => 0.5, cellMax: () => 0.1 };
    expect(() => sampleGraph(lying, 100)).toThrow(/exceeds its cellMax/);
    expect(() => sampleGraph(xyGraphon(), 10, { method: 'blocks-exact' })).toThrow(/step graphon/);
  });
});
