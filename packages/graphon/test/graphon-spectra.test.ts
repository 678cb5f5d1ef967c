import { spectrum } from '@graphpe/spectral';
import { describe, expect, it } from 'vitest';
import {
  blockAverage,
  CHAN_AIROLDI,
  cosGraphon,
  edgeDensity,
  expAbsGraphon,
  gaussLegendre,
  graphonSpectrum,
  minGraphon,
  plantedPartition,
  sampleGraph,
  sbmGraphon,
  xyGraphon,
} from '../src/index.js';

/** Positive roots of tan ω = 2ω/(ω²−1), i.e. of (ω²−1) sin ω − 2ω cos ω, by bisection. */
function expAbsRoots(count: number): number[] {
  const f = (w: number) => (w * w - 1) * Math.sin(w) - 2 * w * Math.cos(w);
  const roots: number[] = [];
  for (let a = 1e-3; roots.length < count; a += 1e-2) {
    const b = a + 1e-2;
    if (f(a) * f(b) < 0) {
      let lo = a;
      let hi = b;
      for (let it = 0; it < 80; it++) {
        const mid = (lo + hi) / 2;
        if (f(lo) * f(mid) <= 0) hi = mid;
        else lo = mid;
      }
      roots.push((lo + hi) / 2);
    }
  }
  return roots;
}

describe('graphon spectra (closed forms, docs/graphon.md, "Graphons")', () => {
  it('xy: one eigenvalue 1/3 with eigenfunction √3·x, the rest 0', () => {
    const s = graphonSpectrum(xyGraphon(), { operator: 'adjacency', k: 3, N: 200 });
    expect(s.values[0]).toBeCloseTo(1 / 3, 5);
    expect(Math.abs(s.values[1])).toBeLessThan(1e-12);
    const sign = Math.sign(s.functions[199 * 3]);
    for (let i = 0; i < 200; i += 37)
      expect(sign * s.functions[i * 3]).toBeCloseTo(Math.sqrt(3) * s.points[i], 4);
  });

  it('min(x, y): eigenvalues 1/((k−½)π)², eigenfunctions √2 sin((k−½)πx)', () => {
    const s = graphonSpectrum(minGraphon(), { operator: 'adjacency', k: 4, N: 200 });
    for (let k = 1; k <= 4; k++) expect(s.values[k - 1]).toBeCloseTo(1 / ((k - 0.5) * Math.PI) ** 2, 5);
    const f = (x: number) => Math.SQRT2 * Math.sin(0.5 * Math.PI * x);
    const sign = Math.sign(s.functions[199 * 4]);
    for (let i = 0; i < 200; i += 41) expect(sign * s.functions[i * 4]).toBeCloseTo(f(s.points[i]), 3);
  });

  it('exp(−|x−y|): eigenvalues 2/(1+ω²) with tan ω = 2ω/(ω²−1)', () => {
    const s = graphonSpectrum(expAbsGraphon(), { operator: 'adjacency', k: 4, N: 400 });
    const roots = expAbsRoots(4);
    for (let k = 0; k < 4; k++) expect(s.values[k]).toBeCloseTo(2 / (1 + roots[k] ** 2), 5);
  });

  it('(1+cos2π(x−y))/2: adjacency ½, ¼, ¼; Laplacian 0, ½, ½, then the essential 1', () => {
    const a = graphonSpectrum(cosGraphon(), { operator: 'adjacency', k: 4, N: 200 });
    expect(Array.from(a.values.slice(0, 3)).map((v) => +v.toFixed(8))).toEqual([0.5, 0.25, 0.25]);
    expect(Math.abs(a.values[3])).toBeLessThan(1e-12);
    const l = graphonSpectrum(cosGraphon(), { k: 4, N: 200 });
    expect(l.values[0]).toBeCloseTo(0, 10);
    expect(l.values[1]).toBeCloseTo(0.5, 10);
    expect(l.values[2]).toBeCloseTo(0.5, 10);
    expect(l.values[3]).toBeCloseTo(1, 10);
    expect(l.essential).toBe(1);
  });

  it('equal K-block SBM: Laplacian {0, Kq/(p+(K−1)q) ×(K−1)} exactly by block reduction', () => {
    for (const [K, p, q] of [
      [3, 0.5, 0.1],
      [5, 0.3, 0.05],
    ]) {
      const s = graphonSpectrum(plantedPartition(K, p, q), { k: 10 });
      expect(s.method).toBe('blocks');
      // k = 10 values: the K discrete ones, then the essential 1 (infinite multiplicity) with mask 0.
      expect(s.values.length).toBe(10);
      expect(s.values[0]).toBeCloseTo(0, 12);
      for (let j = 1; j < K; j++) expect(s.values[j]).toBeCloseTo((K * q) / (p + (K - 1) * q), 12);
      expect(Array.from(s.values.subarray(K))).toEqual(new Array(10 - K).fill(1));
      expect(Array.from(s.mask)).toEqual([...new Array(K).fill(1), ...new Array(10 - K).fill(0)]);
    }
  });

  it('step graphons return exactly k values: the discrete eigenvalues, then the essential value, masked', () => {
    // plantedPartition(3, .5, .1): μ = (⅓, ⅓, ⅓), P = .4·I + .1·J. T_W on block-step functions is
    // P·diag(μ) = P/3 (symmetrised: √μ P √μ, the same eigenvalues): P has 0.4 + 3·0.1 = 0.7 (on 1)
    // and 0.4 (twice), so T_W has 7/30, 2/15, 2/15 and then 0 with infinite multiplicity (rank 3).
    const W3 = plantedPartition(3, 0.5, 0.1);
    const a = graphonSpectrum(W3, { operator: 'adjacency', k: 4 });
    expect(a.values.length).toBe(4);
    for (const [j, v] of [7 / 30, 2 / 15, 2 / 15].entries()) expect(a.values[j]).toBeCloseTo(v, 14);
    expect(a.values[3]).toBe(0);
    expect(Array.from(a.mask)).toEqual([1, 1, 1, 0]);
    expect(a.essential).toBe(0);
    // The essential column has no sampled eigenfunction; the discrete ones are L²-normalized.
    for (let i = 0; i < 3; i++) expect(a.functions[i * 4 + 3]).toBe(0);
    const norm = (s: typeof a, c: number) => {
      let t = 0;
      for (let i = 0; i < 3; i++) t += s.functions[i * s.values.length + c] ** 2 / 3;
      return t;
    };
    for (let c = 0; c < 3; c++) expect(norm(a, c)).toBeCloseTo(1, 12);
    // Degree d = 0.7/3 everywhere, so T_W̄ = T_W/d has 1, 4/7, 4/7 and 𝓛 = I − T_W̄ has 0, 3/7, 3/7,
    // then the essential 1.
    const l = graphonSpectrum(W3, { k: 4 });
    for (const [j, v] of [0, 3 / 7, 3 / 7].entries()) expect(l.values[j]).toBeCloseTo(v, 14);
    expect(l.values[3]).toBe(1);
    expect(Array.from(l.mask)).toEqual([1, 1, 1, 0]);
    // k ≤ K: no essential columns.
    expect(Array.from(graphonSpectrum(W3, { k: 2 }).mask)).toEqual([1, 1]);
  });

  it('step graphons, unequal blocks: hand-derived eigenpairs of P·diag(μ)', () => {
    // μ = (¼, ¾), P = [[.8, .2], [.2, .4]]: P·diag(μ) = [[.2, .15], [.05, .3]], trace .5, det .0525,
    // eigenvalues (.5 ± √(.25 − .21))/2 = .35, .15. Row sums are .35: constant degree, eigenfunction 1.
    // For .15: .05·f₁ + .15·f₂ = 0, f = (−√3, 1/√3) up to sign (¼·3 + ¾·⅓ = 1).
    const W = sbmGraphon(
      [0.25, 0.75],
      [
        [0.8, 0.2],
        [0.2, 0.4],
      ],
    );
    const a = graphonSpectrum(W, { operator: 'adjacency', k: 3 });
    expect(a.values[0]).toBeCloseTo(0.35, 14);
    expect(a.values[1]).toBeCloseTo(0.15, 14);
    expect(a.values[2]).toBe(0);
    expect(Array.from(a.mask)).toEqual([1, 1, 0]);
    const s0 = Math.sign(a.functions[0]);
    expect(s0 * a.functions[0]).toBeCloseTo(1, 12);
    expect(s0 * a.functions[3]).toBeCloseTo(1, 12);
    const s1 = Math.sign(a.functions[1 * 3 + 1]);
    expect(s1 * a.functions[0 * 3 + 1]).toBeCloseTo(-Math.sqrt(3), 12);
    expect(s1 * a.functions[1 * 3 + 1]).toBeCloseTo(1 / Math.sqrt(3), 12);
    // Laplacian, P = [[.8, .2], [.2, .6]]: d = (.2 + .15, .05 + .45) = (.35, .5); diag(1/d)·P·diag(μ)
    // has eigenvalue 1 (constants) and trace − 1 = .2/.35 + .45/.5 − 1 = 33/70, so 𝓛 has 0, 37/70, then 1.
    const V = sbmGraphon(
      [0.25, 0.75],
      [
        [0.8, 0.2],
        [0.2, 0.6],
      ],
    );
    const l = graphonSpectrum(V, { k: 3 });
    expect(l.values[0]).toBeCloseTo(0, 14);
    expect(l.values[1]).toBeCloseTo(37 / 70, 14);
    expect(l.values[2]).toBe(1);
    expect(Array.from(l.mask)).toEqual([1, 1, 0]);
  });

  it('negative eigenvalues of T_W (𝓛 above 1) lie past the essential spectrum and are not among the k', () => {
    // μ = (½, ½), P = [[.1, .9], [.9, .1]]: √μ P √μ = P/2 has .5 and −.4. T_W's largest: .5, then 0
    // (infinitely many) — −.4 is never reached. d = .5, T_W̄ = 2·T_W: 1, −.8; 𝓛: 0, then the essential
    // 1 — its eigenvalue 1.8 lies above all of them.
    const W = sbmGraphon(
      [0.5, 0.5],
      [
        [0.1, 0.9],
        [0.9, 0.1],
      ],
    );
    const a = graphonSpectrum(W, { operator: 'adjacency', k: 3 });
    expect(a.values[0]).toBeCloseTo(0.5, 14);
    expect(Array.from(a.values.subarray(1))).toEqual([0, 0]);
    expect(Array.from(a.mask)).toEqual([1, 0, 0]);
    const l = graphonSpectrum(W, { k: 2 });
    expect(l.values[0]).toBeCloseTo(0, 14);
    expect(l.values[1]).toBe(1);
    expect(Array.from(l.mask)).toEqual([1, 0]);
    // The Nyström grid on the same function agrees (its discretization has N − 2 zeros of T_W).
    const ny = graphonSpectrum(
      { name: 'sbm-as-function', value: W.value },
      { operator: 'adjacency', k: 3, N: 100 },
    );
    expect(ny.values[0]).toBeCloseTo(0.5, 10);
    expect(Math.abs(ny.values[1])).toBeLessThan(1e-12);
    expect(Math.abs(ny.values[2])).toBeLessThan(1e-12);
    expect(Array.from(ny.mask)).toEqual([1, 1, 1]);
  });

  it('Nyström on a step graphon agrees with the block reduction', () => {
    const W = sbmGraphon(
      [0.2, 0.3, 0.5],
      [
        [0.6, 0.1, 0.2],
        [0.1, 0.5, 0.05],
        [0.2, 0.05, 0.4],
      ],
    );
    const exact = graphonSpectrum(W, { k: 3 });
    const ny = graphonSpectrum({ name: 'sbm-as-function', value: W.value }, { k: 3, N: 500 });
    for (let j = 0; j < 3; j++) expect(ny.values[j]).toBeCloseTo(exact.values[j], 6);
  });

  it('sampled K-block SBM graphs: λ₂..λ_K near Kq/(p+(K−1)q) within ~1/√d̄', () => {
    const K = 3;
    const [p, q] = [0.5, 0.1];
    const target = (K * q) / (p + (K - 1) * q);
    for (const n of [150, 600]) {
      const { graph } = sampleGraph(plantedPartition(K, p, q), n, { seed: n });
      const s = spectrum(graph, { k: K + 1 });
      const dbar = (n * (p + (K - 1) * q)) / K;
      expect(s.values[0]).toBeCloseTo(0, 8);
      for (let j = 1; j < K; j++) expect(Math.abs(s.values[j] - target)).toBeLessThan(1 / Math.sqrt(dbar));
      // The bulk starts near 1 − 2/√d̄.
      expect(s.values[K]).toBeGreaterThan(1 - 2.5 / Math.sqrt(dbar));
    }
  });

  it('Gauss–Legendre integrates polynomials of degree 2m−1 exactly; block averages and densities', () => {
    const { nodes, weights } = gaussLegendre(5);
    let s = 0;
    for (let i = 0; i < 5; i++) s += weights[i] * nodes[i] ** 9;
    expect(s).toBeCloseTo(0.1, 14);
    expect(edgeDensity(xyGraphon())).toBeCloseTo(0.25, 12);
    expect(edgeDensity(CHAN_AIROLDI.mean())).toBeCloseTo(0.5, 12);
    expect(edgeDensity(plantedPartition(3, 0.5, 0.1))).toBeCloseTo(0.7 / 3, 14);
    const Wq = blockAverage(xyGraphon(), 4);
    expect(Wq[1 * 4 + 2]).toBeCloseTo(((1.5 / 4) * 2.5) / 4, 12);
  });

  it('rejects bad options with a named value', () => {
    expect(() => graphonSpectrum(xyGraphon(), { N: 1 })).toThrow(/N must be/);
    // The Nyström grid has N eigenpairs: more is an error, never fewer values than asked.
    expect(() => graphonSpectrum(xyGraphon(), { k: 11, N: 10 })).toThrow(
      /graphon\.graphonSpectrum: k must be ≤ N = 10: the Nyström grid has N eigenpairs; raise N or lower k \(got 11\)/,
    );
    expect(graphonSpectrum(xyGraphon(), { k: 10, N: 10 }).values.length).toBe(10);
    expect(() => graphonSpectrum(xyGraphon(), { operator: 'x' as never })).toThrow(/operator/);
    expect(() => sbmGraphon([1, 1], [0.5, 0.1, 0.2, 0.5])).toThrow(/probs\[0\]\[1\]/);
    expect(() => sbmGraphon([1, -1], [0.5, 0.1, 0.1, 0.5])).toThrow(/size 1/);
    expect(() => sbmGraphon([1], [1.5])).toThrow(/\[0, 1\]/);
  });
});
