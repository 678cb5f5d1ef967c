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
      expect(s.values.length).toBe(K);
      expect(s.values[0]).toBeCloseTo(0, 12);
      for (let j = 1; j < K; j++) expect(s.values[j]).toBeCloseTo((K * q) / (p + (K - 1) * q), 12);
    }
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
    expect(() => graphonSpectrum(xyGraphon(), { operator: 'x' as never })).toThrow(/operator/);
    expect(() => sbmGraphon([1, 1], [0.5, 0.1, 0.2, 0.5])).toThrow(/probs\[0\]\[1\]/);
    expect(() => sbmGraphon([1, -1], [0.5, 0.1, 0.1, 0.5])).toThrow(/size 1/);
    expect(() => sbmGraphon([1], [1.5])).toThrow(/\[0, 1\]/);
  });
});
