import { fromEdgeList } from '@graphpe/spectral';
import {
  datasetStats,
  multiplicitySvg,
  sizeHistogramSvg,
  sizeSummary,
  statsMarkdown,
} from '@graphpe/studies';
import { describe, expect, it } from 'vitest';

const cycle = (n: number) =>
  fromEdgeList(Array.from({ length: n }, (_, i) => [i, (i + 1) % n] as [number, number]));
const path = (n: number) =>
  fromEdgeList(Array.from({ length: n - 1 }, (_, i) => [i, i + 1] as [number, number]));

describe('datasetStats', () => {
  it('C6 has a repeated eigenvalue, a path does not (hand-checked)', () => {
    const c6 = datasetStats([cycle(6)]);
    // L_sym(C6) = I − A/2: eigenvalues 0, .5, .5, 1.5, 1.5, 2
    expect(c6.sym.graphsWithRepeated).toBe(1);
    expect(c6.sym.graphsWithMultiplicity[2]).toBe(1);
    expect(c6.sym.eigenspaces).toBe(2);
    expect(c6.sym.simple).toBe(2);
    // C6 is vertex-transitive: no basis rule canonizes its 2-dim eigenspaces; λ = 2 (alternating ±) is sign-non-canonizable
    expect(c6.sym.basisCanonizable).toEqual({ map: 0, oap: 0, oapDiag: 0 });
    expect(c6.sym.signNoncanonizable).toBe(1);
    expect(c6.comb.graphsWithRepeated).toBe(1);
    const p5 = datasetStats([path(5)]);
    expect(p5.sym.graphsWithRepeated).toBe(0);
    expect(p5.sym.simple).toBe(5);
    expect(p5.sym.eigenspaces).toBe(0);
    expect(p5.comb.graphsWithRepeated).toBe(0);
    // P5 (normalized adjacency eigenvalues ±1, ±.7071, 0): ±.7071 are flagged (docs/canonization.md, "Sign canonization")
    expect(p5.sym.signNoncanonizable).toBe(2);
    const both = datasetStats([cycle(6), path(5), path(4)]);
    expect(both.graphs).toBe(3);
    expect(both.sym.graphsWithRepeatedShare).toBeCloseTo(1 / 3, 12);
  });

  it('size summary: quantiles and a histogram over every value from min to max', () => {
    const s = sizeSummary([3, 5, 5, 9]);
    expect(s).toMatchObject({ count: 4, min: 3, max: 9, median: 5, mean: 5.5 });
    expect(s.histogram).toEqual([
      [3, 1],
      [4, 0],
      [5, 2],
      [6, 0],
      [7, 0],
      [8, 0],
      [9, 1],
    ]);
    const d = datasetStats([cycle(6), path(5), path(4)]);
    expect(d.nodes.min).toBe(4);
    expect(d.edges.max).toBe(6);
  });

  it('writes Markdown with the published figures and well-formed SVGs', () => {
    const d = datasetStats([cycle(6), path(5), path(7)]);
    const md = statsMarkdown(d, 'toy');
    expect(md).toMatch(/10\.93%/);
    expect(md).toMatch(/59\.3%/);
    expect(md).toMatch(/>90%/);
    // the published figures are ZINC's: labelled so, whatever the dataset
    expect(md).toMatch(/\| published for ZINC \(Hordan et al\.\) \|/);
    expect(multiplicitySvg(d, 'toy')).toMatch(/Hordan et al\. \(ZINC\)/);
    expect(md).toMatch(/\| L_sym = I − D\^-1\/2 A D\^-1\/2, 1e-6 \| 33\.33% \|/);
    for (const svg of [sizeHistogramSvg(d, 'toy'), multiplicitySvg(d, 'toy')]) {
      expect(svg.startsWith('<svg')).toBe(true);
      expect(svg.trim().endsWith('</svg>')).toBe(true);
    }
  });
});
