import {
  createRng,
  fromEdgeList,
  type Graph,
  GraphpeError,
  laplacianDense,
  spectrum,
} from '@graphpe/spectral';
import { describe, expect, it } from 'vitest';

const cycle = (n: number): Graph =>
  fromEdgeList(Array.from({ length: n }, (_, i) => [i, (i + 1) % n] as const));
const path = (n: number): Graph => fromEdgeList(Array.from({ length: n - 1 }, (_, i) => [i, i + 1] as const));

function randomGraph(n: number, m: number, seed: number): Graph {
  const rng = createRng(seed);
  const src: number[] = [];
  const dst: number[] = [];
  for (let i = 1; i < n; i++) {
    src.push(i);
    dst.push(rng.int(i));
  }
  while (src.length < m) {
    const u = rng.int(n);
    const v = rng.int(n);
    if (u !== v) {
      src.push(u);
      dst.push(v);
    }
  }
  return fromEdgeList({ src, dst });
}

/** max |Lv − λv| over real columns, with L from laplacianDense (independent of the solver). */
function maxResidual(g: Graph, s: ReturnType<typeof spectrum>): number {
  const L = laplacianDense(g, s.laplacian);
  const { n, k } = s;
  let r = 0;
  for (let j = 0; j < k; j++) {
    if (!s.mask[j]) continue;
    for (let i = 0; i < n; i++) {
      let acc = -s.values[j] * s.vectors[i * k + j];
      for (let c = 0; c < n; c++) acc += L[i * n + c] * s.vectors[c * k + j];
      r = Math.max(r, Math.abs(acc));
    }
  }
  return r;
}

describe('spectrum', () => {
  it('C6 with k = 2 reports the λ = 0.5 pair as partial, k = 3 as complete', () => {
    const s2 = spectrum(cycle(6), { k: 2 });
    expect(s2.values[0]).toBeCloseTo(0, 12);
    expect(s2.values[1]).toBeCloseTo(0.5, 12);
    expect(s2.groups[1]).toMatchObject({ size: 1, multiplicity: 2, status: 'partial' });
    const s3 = spectrum(cycle(6), { k: 3 });
    expect(s3.groups.map((g) => g.status)).toEqual(['complete', 'complete']);
  });

  it('cycle spectra are 1 − cos(2πj/n), with residuals ≤ 1e-10 for every solver', () => {
    const n = 40;
    const want = Array.from({ length: n }, (_, j) => 1 - Math.cos((2 * Math.PI * j) / n)).sort(
      (a, b) => a - b,
    );
    for (const solver of ['dense', 'sparse'] as const) {
      const s = spectrum(cycle(n), { k: 9, solver, tol: 1e-10 });
      for (let j = 0; j < 9; j++) expect(s.values[j]).toBeCloseTo(want[j], 9);
      expect(maxResidual(cycle(n), s)).toBeLessThan(1e-9);
      expect(s.groups.map((g) => g.multiplicity)).toEqual([1, 2, 2, 2, 2]);
    }
  });

  it('c components give c zero eigenvalues in one group, and isolated nodes λ = 1 (sym)', () => {
    // Two triangles, one path P3 and two isolated nodes (ids 9 and 10).
    const g = fromEdgeList(
      [
        [0, 1],
        [1, 2],
        [2, 0],
        [3, 4],
        [4, 5],
        [5, 3],
        [6, 7],
        [7, 8],
      ],
      { n: 11 },
    );
    const s = spectrum(g, { k: 11 });
    expect(s.groups[0]).toMatchObject({ start: 0, multiplicity: 3 });
    for (let j = 0; j < 3; j++) expect(Math.abs(s.values[j])).toBeLessThan(1e-12);
    const ones = s.groups.find((x) => Math.abs(x.value - 1) < 1e-9);
    expect(ones?.multiplicity).toBe(3); // P3's middle eigenvalue and the two isolated nodes
    const comb = spectrum(g, { k: 11, laplacian: 'comb' });
    expect(comb.groups[0].multiplicity).toBe(5); // isolated nodes are zero modes of D − A
  });

  it('pads n < k with zeros (default) or NaN and a mask; the real columns do not depend on k', () => {
    const g = path(5);
    const a = spectrum(g, { k: 5 });
    const b = spectrum(g, { k: 8 });
    const c = spectrum(g, { k: 8, pad: 'nan' });
    expect(Array.from(b.mask)).toEqual([1, 1, 1, 1, 1, 0, 0, 0]);
    for (let i = 0; i < 5; i++) {
      for (let j = 0; j < 5; j++) expect(b.vectors[i * 8 + j]).toBe(a.vectors[i * 5 + j]);
      expect(b.vectors[i * 8 + 6]).toBe(0);
      expect(Number.isNaN(c.vectors[i * 8 + 6])).toBe(true);
    }
    expect(spectrum(g, { k: 8, pad: 'none' }).k).toBe(5);
  });

  it('rw vectors satisfy L_rw v = λv and have unit norm', () => {
    const g = randomGraph(30, 50, 3);
    const s = spectrum(g, { k: 30, laplacian: 'rw' });
    expect(maxResidual(g, s)).toBeLessThan(1e-10);
    for (let j = 0; j < 30; j++) {
      let norm = 0;
      for (let i = 0; i < 30; i++) norm += s.vectors[i * 30 + j] ** 2;
      expect(norm).toBeCloseTo(1, 12);
    }
  });

  it('sparse agrees with dense on random graphs up to n = 500 (values, and projectors on complete groups)', () => {
    for (const [n, seed] of [
      [120, 1],
      [500, 2],
    ]) {
      const g = randomGraph(n, 2 * n, seed);
      const d = spectrum(g, { k: 10, solver: 'dense' });
      const s = spectrum(g, { k: 10, solver: 'sparse', tol: 1e-10 });
      expect(s.solver).toBe('sparse');
      for (let j = 0; j < 10; j++) expect(s.values[j]).toBeCloseTo(d.values[j], 9);
      for (const grp of d.groups) {
        if (grp.status !== 'complete') continue;
        // Compare projectors Σ v vᵀ over the group (basis- and sign-free) on a few entries.
        for (const [a, b] of [
          [0, 0],
          [1, 7],
          [n - 1, 3],
        ]) {
          let pd = 0;
          let ps = 0;
          for (let j = grp.start; j < grp.start + grp.size; j++) {
            pd += d.vectors[a * 10 + j] * d.vectors[b * 10 + j];
            ps += s.vectors[a * 10 + j] * s.vectors[b * 10 + j];
          }
          expect(ps).toBeCloseTo(pd, 7);
        }
      }
    }
  });

  it('the sign convention is deterministic and makes each column’s largest-magnitude entry positive', () => {
    const g = randomGraph(25, 40, 9);
    const a = spectrum(g, { k: 8, sign: 'max-abs-positive' });
    const b = spectrum(g, { k: 8, sign: 'max-abs-positive' });
    expect(a.vectors).toEqual(b.vectors);
    for (let j = 0; j < 8; j++) {
      let best = 0;
      for (let i = 0; i < 25; i++)
        if (Math.abs(a.vectors[i * 8 + j]) > Math.abs(a.vectors[best * 8 + j]) + 1e-12) best = i;
      expect(a.vectors[best * 8 + j]).toBeGreaterThan(0);
    }
  });

  it('same seed → identical sparse output', () => {
    const g = randomGraph(300, 700, 4);
    const a = spectrum(g, { k: 6, solver: 'sparse', seed: 7 });
    const b = spectrum(g, { k: 6, solver: 'sparse', seed: 7 });
    expect(a.values).toEqual(b.values);
    expect(a.vectors).toEqual(b.vectors);
  });

  it('rejects bad options and empty graphs with clear errors', () => {
    const g = path(4);
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(GraphpeError);
        return (e as GraphpeError).code;
      }
      throw new Error('expected an error');
    };
    expect(code(() => spectrum(g, { k: 0 }))).toBe('E_OPTION');
    expect(code(() => spectrum(g, { k: 2.5 }))).toBe('E_OPTION');
    expect(code(() => spectrum(g, { laplacian: 'foo' as 'sym' }))).toBe('E_OPTION');
    expect(code(() => spectrum(g, { pad: 'x' as 'zero' }))).toBe('E_OPTION');
    expect(code(() => spectrum(fromEdgeList([], { n: 0 })))).toBe('E_EMPTY');
  });
});
