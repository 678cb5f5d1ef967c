import { randomWalkDiag, rwse } from '@graphpe/encodings';
import { fromEdgeList, type Graph, GraphpeError } from '@graphpe/spectral';
import { describe, expect, it } from 'vitest';

function caught(fn: () => unknown): GraphpeError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(GraphpeError);
    return err as GraphpeError;
  }
  throw new Error('expected a GraphpeError');
}

const p3 = (): Graph => ({
  n: 3,
  indptr: Int32Array.from([0, 1, 3, 4]),
  indices: Int32Array.from([1, 0, 2, 1]),
  weights: Float64Array.from([1, 1, 1, 1]),
});

describe('rwse validates its graph and its steps', () => {
  it('an asymmetric hand-built graph is E_ASYMMETRIC, not a return probability of 1.5', () => {
    const g = p3();
    g.weights[0] = 3;
    for (const method of ['auto', 'dense', 'sparse', 'spectral'] as const) {
      const e = caught(() => rwse({ steps: 2, method })(g));
      expect(e.code).toBe('E_ASYMMETRIC');
      expect(e.message).toContain('encodings.rwse');
      expect(e.message).toContain('entry (0, 1) has weight 3');
    }
    expect(caught(() => randomWalkDiag(g, { steps: 2 })).code).toBe('E_ASYMMETRIC');
  });

  it('negative and NaN weights, out-of-range indices', () => {
    const neg = p3();
    neg.weights[0] = -1;
    neg.weights[1] = -1;
    expect(caught(() => rwse({ steps: 2 })(neg)).code).toBe('E_WEIGHT');
    const nan = p3();
    nan.weights[2] = Number.NaN;
    nan.weights[3] = Number.NaN;
    expect(caught(() => rwse({ steps: 2 })(nan)).code).toBe('E_NAN');
    const oob = p3();
    oob.indices[3] = 5;
    expect(caught(() => rwse({ steps: 2 })(oob)).message).toContain('column index 5');
  });

  it('steps: integer in [1, 65536]; the n×steps output is bounded', () => {
    expect(caught(() => rwse({ steps: 2 ** 31 })).code).toBe('E_OPTION');
    expect(caught(() => rwse({ steps: 2 ** 31 })).message).toContain(
      'steps must be an integer in [1, 65536]',
    );
    expect(caught(() => rwse({ steps: 0 })).code).toBe('E_OPTION');
    expect(caught(() => randomWalkDiag(p3(), { steps: 1e6 })).code).toBe('E_OPTION');
    const big = fromEdgeList([[0, 1]], { n: 40_000 });
    const e = caught(() => rwse({ steps: 30_000 })(big));
    expect(e.code).toBe('E_TOO_LARGE');
    expect(e.message).toContain('n = 40000, steps = 30000');
  });

  it('a valid hand-built graph still works', () => {
    const out = rwse({ steps: 2 })(p3()).rwse;
    const want = [0, 0.5, 0, 1, 0, 0.5];
    for (let i = 0; i < want.length; i++) expect(out.data[i]).toBeCloseTo(want[i], 14);
  });
});
