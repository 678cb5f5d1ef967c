import { createRng, fromEdgeList, spectrum } from '@graphpe/spectral';
import {
  basisAlignedDistance,
  frobeniusDistance,
  groupsShifted,
  mergeBlocks,
  procrustes,
  signAlignedDistance,
  spectralGaps,
} from '@graphpe/studies';
import { describe, expect, it } from 'vitest';

/** Y = X·Q with Q block-diagonal: a random rotation/reflection on each block. */
function rotateBlocks(
  x: Float64Array,
  n: number,
  k: number,
  blocks: [number, number][],
  seed: number,
): Float64Array {
  const rng = createRng(seed);
  const y = new Float64Array(n * k);
  for (const [a, b] of blocks) {
    const d = b - a;
    // random orthogonal d×d by Gram–Schmidt of a Gaussian matrix
    const q = new Float64Array(d * d);
    for (let c = 0; c < d; c++) {
      const v = Array.from({ length: d }, () => rng.normal());
      for (let p = 0; p < c; p++) {
        let dot = 0;
        for (let r = 0; r < d; r++) dot += v[r]! * q[r * d + p]!;
        for (let r = 0; r < d; r++) v[r]! -= dot * q[r * d + p]!;
      }
      const nrm = Math.hypot(...v);
      for (let r = 0; r < d; r++) q[r * d + c] = v[r]! / nrm;
    }
    for (let i = 0; i < n; i++)
      for (let c = 0; c < d; c++) {
        let s = 0;
        for (let r = 0; r < d; r++) s += x[i * k + a + r]! * q[r * d + c]!;
        y[i * k + a + c] = s;
      }
  }
  return y;
}

const cycle = (n: number) =>
  fromEdgeList(Array.from({ length: n }, (_, i) => [i, (i + 1) % n] as [number, number]));

describe('alignment', () => {
  it('sign-aligned distance is 0 for a sign-flipped copy, raw is not', () => {
    const s = spectrum(
      fromEdgeList([
        [0, 1],
        [1, 2],
        [2, 3],
        [3, 4],
        [1, 5],
      ]),
      { k: 6 },
    );
    const flips = [1, -1, -1, 1, -1, 1];
    const y = s.vectors.map((v, idx) => v * flips[idx % 6]!);
    expect(signAlignedDistance(s.vectors, y, 6, 6)).toBeLessThan(1e-12);
    expect(frobeniusDistance(s.vectors, y)).toBeGreaterThan(1);
    expect(basisAlignedDistance(s.vectors, y, 6, 6, mergeBlocks(6, s.groups))).toBeLessThan(1e-12);
  });

  it('basis-aligned distance is 0 for a copy rotated inside eigenspaces; sign alignment is not enough', () => {
    for (const n of [6, 8, 10]) {
      const s = spectrum(cycle(n), { k: n }); // C_n: eigenvalues of multiplicity 2
      const blocks = mergeBlocks(n, s.groups);
      expect(blocks.some(([a, b]) => b - a === 2)).toBe(true);
      for (let seed = 0; seed < 10; seed++) {
        const y = rotateBlocks(s.vectors, n, n, blocks, seed);
        expect(basisAlignedDistance(s.vectors, y, n, n, blocks)).toBeLessThan(1e-9);
        expect(signAlignedDistance(s.vectors, y, n, n)).toBeGreaterThan(1e-3);
        expect(frobeniusDistance(s.vectors, y)).toBeGreaterThan(1e-3);
      }
    }
  });

  it('procrustes returns an orthogonal Q, also for rank-deficient M', () => {
    const m = Float64Array.from([1, 2, 0, 2, 4, 0, 0, 0, 0]); // rank 1
    const q = procrustes(m, 3);
    for (let a = 0; a < 3; a++)
      for (let b = 0; b < 3; b++) {
        let s = 0;
        for (let r = 0; r < 3; r++) s += q[r * 3 + a]! * q[r * 3 + b]!;
        expect(s).toBeCloseTo(a === b ? 1 : 0, 10);
      }
  });

  it('mergeBlocks takes the union of two partitions; groupsShifted drops the trivial column', () => {
    const g = (start: number, size: number) => ({
      start,
      size,
      value: 0,
      multiplicity: size,
      multiplicityIsLowerBound: false,
      status: 'complete' as const,
    });
    expect(
      mergeBlocks(5, [g(0, 1), g(1, 2), g(3, 1), g(4, 1)], [g(0, 1), g(1, 1), g(2, 2), g(4, 1)]),
    ).toEqual([
      [0, 1],
      [1, 4],
      [4, 5],
    ]);
    expect(groupsShifted([g(0, 1), g(1, 2), g(3, 3)], 1, 4).map((x) => [x.start, x.size])).toEqual([
      [0, 2],
      [2, 2],
    ]);
  });

  it('spectralGaps: C6 has gapSign 0 (repeated), a path does not', () => {
    const c6 = spectralGaps(spectrum(cycle(6), { k: 6, pad: 'none' }), 3);
    expect(c6.gapSign).toBeLessThan(1e-9);
    expect(c6.gapBasis).toBeCloseTo(0.5, 9); // groups 0 | .5 .5 | 1.5 1.5 | 2
    const p5 = spectralGaps(
      spectrum(
        fromEdgeList([
          [0, 1],
          [1, 2],
          [2, 3],
          [3, 4],
        ]),
        { k: 5, pad: 'none' },
      ),
      2,
    );
    expect(p5.gapSign).toBeGreaterThan(0.1);
    expect(p5.gapBasis).toBeCloseTo(p5.gapSign, 12);
  });
});
