import { fromCoo, laplacianDense, laplacianOperator } from '@graphpe/spectral';
import { describe, expect, it } from 'vitest';

describe('laplacian', () => {
  it('sym Laplacian of a path P3 matches the hand-derived matrix', () => {
    const g = fromCoo([0, 1], [1, 2], undefined);
    const L = laplacianDense(g, 'sym');
    const s = 1 / Math.sqrt(2);
    expect(Array.from(L)).toEqual([1, -s, 0, -s, 1, -s, 0, -s, 1].map((x) => x + 0));
  });
  it('operator agrees with the dense matrix', () => {
    const g = fromCoo([0, 1, 2, 0], [1, 2, 3, 2], [1, 2, 0.5, 3]);
    for (const kind of ['sym', 'rw', 'comb'] as const) {
      const L = laplacianDense(g, kind);
      const op = laplacianOperator(g, kind);
      const x = Float64Array.from([0.3, -1, 2, 0.7]);
      const y = new Float64Array(4);
      op.matvec(x, y);
      for (let i = 0; i < 4; i++) {
        let acc = 0;
        for (let j = 0; j < 4; j++) acc += L[i * 4 + j] * x[j];
        expect(y[i]).toBeCloseTo(acc, 14);
      }
    }
  });
});

describe('fromCoo', () => {
  it('sorts and merges rows whose entries arrive out of column order (regression)', () => {
    const g = fromCoo([0, 2, 0, 2], [1, 1, 2, 0], [1, 2, 3, 4]);
    expect(Array.from(g.indptr)).toEqual([0, 2, 4, 6]);
    expect(Array.from(g.indices)).toEqual([1, 2, 0, 2, 0, 1]);
    expect(Array.from(g.weights)).toEqual([1, 7, 1, 2, 7, 2]);
  });
});
