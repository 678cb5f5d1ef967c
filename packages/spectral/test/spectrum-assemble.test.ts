import { applySignConvention, assembleSpectrum, eigenGroups } from '@graphpe/spectral';
import { describe, expect, it } from 'vitest';

// C6 sym Laplacian spectrum: 1 - cos(2πj/6) sorted = 0, .5, .5, 1.5, 1.5, 2.
const c6 = [0, 0.5, 0.5, 1.5, 1.5, 2];

describe('eigenGroups', () => {
  it('groups C6 into singletons and pairs, complete when k cuts between groups', () => {
    const g = eigenGroups(c6, 6);
    expect(g.map((x) => [x.start, x.size, x.multiplicity, x.status])).toEqual([
      [0, 1, 1, 'complete'],
      [1, 2, 2, 'complete'],
      [3, 2, 2, 'complete'],
      [5, 1, 1, 'complete'],
    ]);
    expect(eigenGroups(c6, 3).every((x) => x.status === 'complete')).toBe(true);
  });
  it('reports partial when k = 2 cuts the λ = 0.5 pair of C6', () => {
    const g = eigenGroups(c6, 2);
    expect(g).toHaveLength(2);
    expect(g[1]).toMatchObject({ start: 1, size: 1, multiplicity: 2, status: 'partial', value: 0.5 });
  });
  it('uses a relative tolerance, never exact equality', () => {
    const vals = [0, 1e-13, 1, 1 + 5e-7, 1000, 1000 + 5e-4, 1000 + 2e-3];
    const g = eigenGroups(vals, vals.length);
    expect(g.map((x) => x.multiplicity)).toEqual([2, 2, 2, 1]);
    expect(eigenGroups(vals, 7, { tol: 1e-9 }).map((x) => x.multiplicity)).toEqual([2, 1, 1, 1, 1, 1]);
  });
  it('flags a group reaching the end of a partial (sparse) solve as partial with a lower-bound multiplicity', () => {
    const g = eigenGroups([0, 0.2, 0.2], 2, { complete: false });
    expect(g[1]).toMatchObject({
      size: 1,
      multiplicity: 2,
      multiplicityIsLowerBound: true,
      status: 'partial',
    });
    const h = eigenGroups([0, 0.2, 0.3], 2, { complete: false });
    expect(h[1]).toMatchObject({ multiplicityIsLowerBound: false, status: 'complete' });
  });
});

describe('applySignConvention', () => {
  it('makes the largest-magnitude entry positive and is idempotent', () => {
    const v = Float64Array.from([0.1, 0.6, -0.8, 0.3, 0.2, -0.7]); // 3×2
    applySignConvention(v, 3, 2, 'max-abs-positive');
    expect(Array.from(v)).toEqual([-0.1, -0.6, 0.8, -0.3, -0.2, 0.7]);
    const again = v.slice();
    applySignConvention(again, 3, 2, 'max-abs-positive');
    expect(again).toEqual(v);
  });
  it('breaks exact magnitude ties by the first index and gives the same output for v and −v', () => {
    const a = Float64Array.from([-1, 1, 0, 0].map((x) => x / Math.SQRT2));
    const b = a.map((x) => -x);
    applySignConvention(a, 4, 1, 'max-abs-positive');
    applySignConvention(b, 4, 1, 'max-abs-positive');
    expect(a).toEqual(b);
    expect(a[0]).toBeGreaterThan(0);
  });
});

describe('assembleSpectrum', () => {
  const raw = {
    n: 2,
    values: [0, 2],
    vectors: Float64Array.from([Math.SQRT1_2, Math.SQRT1_2, Math.SQRT1_2, -Math.SQRT1_2]),
    residuals: [1e-16, 2e-16],
    complete: true,
  };
  const base = { laplacian: 'sym' as const, sign: 'none' as const, solver: 'dense' as const };
  it('zero-pads n < k with a mask and leaves real columns untouched', () => {
    const s = assembleSpectrum(raw, { ...base, k: 4, pad: 'zero' });
    expect(s.k).toBe(4);
    expect(Array.from(s.values)).toEqual([0, 2, 0, 0]);
    expect(Array.from(s.mask)).toEqual([1, 1, 0, 0]);
    expect(Array.from(s.vectors)).toEqual([
      Math.SQRT1_2,
      Math.SQRT1_2,
      0,
      0,
      Math.SQRT1_2,
      -Math.SQRT1_2,
      0,
      0,
    ]);
    expect(Number.isNaN(s.residuals[3])).toBe(true);
  });
  it('NaN-pads (GraphGPS) and returns min(n, k) columns with pad none', () => {
    const s = assembleSpectrum(raw, { ...base, k: 3, pad: 'nan' });
    expect(Number.isNaN(s.values[2]) && Number.isNaN(s.vectors[2]) && Number.isNaN(s.vectors[5])).toBe(true);
    const t = assembleSpectrum(raw, { ...base, k: 3, pad: 'none' });
    expect(t.k).toBe(2);
    expect(t.vectors).toHaveLength(4);
  });
  it('truncates to k and computes groups before truncation', () => {
    const s = assembleSpectrum(
      { n: 1, values: c6, vectors: new Float64Array(6), complete: true },
      { ...base, k: 2, pad: 'zero' },
    );
    expect(s.groups[1].status).toBe('partial');
  });
});
