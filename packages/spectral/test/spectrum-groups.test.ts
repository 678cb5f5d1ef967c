import { createRng, eigenGroups, fromEdgeList, spectrum } from '@graphpe/spectral';
import { describe, expect, it } from 'vitest';

const mult = (gs: readonly { multiplicity: number }[]): number[] => gs.map((g) => g.multiplicity);

describe('eigenGroups: tolerance relative to the spectral scale, no chaining', () => {
  it('tiny well-separated eigenvalues near 0 are not one eigenspace', () => {
    expect(mult(eigenGroups([0, 4.7e-7, 1.45e-6], 3))).toEqual([1, 1, 1]);
  });

  it('a weighted path with eigenvalues {0, 4.7e-7, 1.45e-6} has three simple eigenvalues', () => {
    // comb Laplacian of a 3-node path with weights a, b: λ = a + b ± √(a² − ab + b²).
    const g = fromEdgeList([
      [0, 1, 5.369e-7],
      [1, 2, 4.231e-7],
    ]);
    const s = spectrum(g, { k: 3, laplacian: 'comb' });
    expect(s.values[1]).toBeCloseTo(4.7e-7, 8);
    expect(s.values[2]).toBeCloseTo(1.45e-6, 8);
    expect(mult(s.groups)).toEqual([1, 1, 1]);
    expect(s.groups.every((x) => x.status === 'complete')).toBe(true);
  });

  it('close but distinct pairs of a partial spectrum (2.352e-6 / 2.361e-6) stay apart', () => {
    const values = [0];
    for (let t = 0; t < 7; t++) {
      const x = 2.352e-6 + 1e-6 * t;
      values.push(x, x * (2.361 / 2.352));
    }
    values.push(1.2e-5);
    const gs = eigenGroups(values, 15, { complete: false, exactZeros: true });
    expect(mult(gs)).toEqual(Array(15).fill(1));
  });

  it('still groups equal values up to round-off, and exact zeros apart', () => {
    expect(mult(eigenGroups([0, 1, 1 + 1e-9, 2], 4))).toEqual([1, 2, 1]);
    expect(mult(eigenGroups([0, 0, 1e-9, 1, 2], 5, { exactZeros: true }))).toEqual([2, 1, 1, 1]);
    expect(
      mult(
        spectrum(
          fromEdgeList([
            [0, 1],
            [1, 2],
            [2, 3],
            [3, 0],
          ]),
        ).groups,
      ),
    ).toEqual([1, 2, 1]);
  });

  it('a run wider than the tolerance is split at its widest gap', () => {
    // t ≈ 1e-6 near 1: all gaps ≤ t, spread 1.3e-6 > t; the widest gap is the middle one.
    const v = [1, 1 + 0.4e-6, 1 + 0.9e-6, 1 + 1.3e-6, 2];
    expect(mult(eigenGroups(v, 5))).toEqual([2, 2, 1]);
    // Equal gaps (exactly: multiples of 2^-22 ≈ 2.4e-7): the first one.
    const h = 3 * 2 ** -22;
    expect(mult(eigenGroups([1, 1 + h, 1 + 2 * h, 2], 4))).toEqual([1, 2, 1]);
  });

  it('property: every group spans at most max(tol·|λ|, 1e-12·scale), and no gap larger than that is inside one', () => {
    const rng = createRng(11);
    for (let trial = 0; trial < 300; trial++) {
      const m = 2 + rng.int(40);
      const scale = 10 ** (rng.int(12) - 8);
      const tol = 10 ** -(3 + rng.int(5));
      const vals: number[] = [];
      let x = rng.next() < 0.3 ? 0 : scale * (0.5 + rng.next());
      for (let i = 0; i < m; i++) {
        vals.push(x);
        x += tol * scale * rng.next() * (rng.next() < 0.7 ? 1 : 50);
      }
      const top = Math.max(...vals.map(Math.abs));
      const t = (v: number) => Math.max(tol * Math.abs(v), 1e-12 * top);
      const gs = eigenGroups(vals, m, { tol, exactZeros: rng.next() < 0.5 });
      expect(gs.reduce((a, g) => a + g.multiplicity, 0)).toBe(m);
      for (const g of gs) {
        const lo = vals[g.start];
        const hi = vals[g.start + g.multiplicity - 1];
        expect(hi - lo).toBeLessThanOrEqual(t(hi));
      }
      for (let i = 1; i < m; i++) {
        if (vals[i] - vals[i - 1] <= t(vals[i])) continue;
        expect(gs.some((g) => g.start === i)).toBe(true);
      }
    }
  });
});
