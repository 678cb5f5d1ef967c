import { createRng } from '@graphpe/spectral';
import { describe, expect, it } from 'vitest';
import {
  bandlimitedBasis,
  bandlimitedSignal,
  conditionNumber,
  geSelect,
  reconstruct,
  relativeError,
  restrictSignal,
  singularValues,
} from '../src/index.js';
import { erGraph } from './helpers.js';

describe('reconstruction (docs/graphon.md, "Reconstruction")', () => {
  const g = erGraph(200, 0.05, 3);
  const basis = bandlimitedBasis(g, { k: 8 });

  it('oversampled sets recover exactly; noisy samples give the least-squares fit', () => {
    const S = Int32Array.from({ length: 40 }, (_, t) => 5 * t);
    const x = bandlimitedSignal(basis, createRng(1));
    const rec = reconstruct(basis, S, restrictSignal(x, S));
    expect(rec.rank).toBe(8);
    expect(rec.residual).toBeLessThan(1e-10);
    expect(relativeError(rec.signal, x)).toBeLessThan(1e-10);
    const noisy = restrictSignal(x, S).map((v, t) => v + (t % 2 ? 1e-3 : -1e-3));
    const r2 = reconstruct(basis, S, noisy);
    expect(r2.residual).toBeGreaterThan(0);
    expect(relativeError(r2.signal, x)).toBeLessThan(0.1);
  });

  it('too few samples: rank < K and infinite condition, not an exception', () => {
    const ge = geSelect(basis);
    const rec = reconstruct(basis, ge.nodes.subarray(0, 5), new Float64Array(5));
    expect(rec.rank).toBe(5);
    expect(rec.condition).toBe(Number.POSITIVE_INFINITY);
  });

  it('singular values and condition numbers match closed forms', () => {
    const a = Float64Array.from([3, 0, 0, 0, 2, 0]); // 2×3
    expect(Array.from(singularValues(a, 2, 3))).toEqual([3, 2]);
    expect(conditionNumber(Float64Array.from([1, 1, 0, 1]), 2, 2)).toBeCloseTo((3 + Math.sqrt(5)) / 2, 12);
  });

  it('errors name the bad sample', () => {
    expect(() => reconstruct(basis, [1, 2], [0, Number.NaN])).toThrow(/sample 1 \(node 2\) is NaN/);
    expect(() => reconstruct(basis, [1, 2], [0])).toThrow(/length \|S\| = 2/);
    expect(() => reconstruct(basis, [1, 200], [0, 0])).toThrow(/nodes\[1\] = 200/);
  });
});
