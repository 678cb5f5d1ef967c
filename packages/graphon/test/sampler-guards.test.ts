import { GraphpeError } from '@graphpe/spectral';
import { describe, expect, it } from 'vitest';
import {
  cosGraphon,
  DEFAULT_MAX_EDGES,
  estimateSample,
  formatBytes,
  MAX_SAMPLE_EDGES,
  sampleGraph,
  sbmGraphon,
  xyGraphon,
} from '../src/index.js';

function sampleError(...args: Parameters<typeof sampleGraph>): GraphpeError {
  try {
    sampleGraph(...args);
  } catch (err) {
    expect(err).toBeInstanceOf(GraphpeError);
    return err as GraphpeError;
  }
  throw new Error('no error');
}

describe('sampleGraph size guards', () => {
  it('estimates the expected edges ρ·∫∫W·n(n−1)/2 and the memory', () => {
    const sbm = sbmGraphon([0.5, 0.5], [0.8, 0.1, 0.1, 0.8]);
    const e = estimateSample(sbm, 1000, 0.5);
    expect(e.edges).toBeCloseTo(0.5 * 0.45 * 499500, 6);
    expect(e.bytes).toBeCloseTo(24 * 1000 + 48 * e.edges, 3);
    expect(estimateSample(cosGraphon(), 200000).edges / 2e10).toBeCloseTo(0.5, 3);
    expect(formatBytes(4.8e11)).toBe('480 GB');
    expect(formatBytes(5.2e8)).toBe('520 MB');
    expect(formatBytes(1.5e9)).toBe('1.5 GB');
    expect([DEFAULT_MAX_EDGES, MAX_SAMPLE_EDGES]).toEqual([5e8, 2 ** 30 - 1]);
  });

  it('refuses a sample whose expected edge count passes maxEdges, before sampling', () => {
    const err = sampleError(xyGraphon(), 2000, { maxEdges: 1000 });
    expect(err.code).toBe('E_TOO_LARGE');
    expect(err.message).toMatch(
      /^graphon\.sampleGraph: G\(n = 2000, ρW\) for xy, ρ = 1 has ≈ 5\.0\de\+5 expected edges \(≈ 24 MB to sample\), over maxEdges = 1000; lower n or ρ, or raise maxEdges \(at most 1073741823/,
    );
    expect(err.details).toMatchObject({ n: 2000, maxEdges: 1000, option: 'maxEdges' });
    // Within the cap the same call samples.
    expect(sampleGraph(xyGraphon(), 2000, { maxEdges: 600000 }).edges).toBeGreaterThan(400000);
  });

  it('stops a sample that passes maxEdges while drawing (the expectation was under it)', () => {
    const W = sbmGraphon([1], [0.5]);
    const n = 100; // E[m] = 2475
    let over = 0;
    let under = 0;
    for (let seed = 0; seed < 12; seed++) {
      const m = sampleGraph(W, n, { seed }).edges;
      if (m > 2475) {
        over++;
        const err = sampleError(W, n, { seed, maxEdges: 2475 });
        expect(err.code).toBe('E_TOO_LARGE');
        expect(err.message).toBe(
          'graphon.sampleGraph: the sample of sbm(1) (n = 100, ρ = 1) passed maxEdges = 2475 edges while sampling; raise maxEdges (at most 1073741823) or lower n or ρ',
        );
      } else {
        under++;
        expect(sampleGraph(W, n, { seed, maxEdges: 2475 }).edges).toBe(m);
      }
    }
    expect(over).toBeGreaterThan(0);
    expect(under).toBeGreaterThan(0);
    // The weighted mode keeps every pair with W > 0 whatever ρ: capped while sampling as well.
    const w = sampleError(cosGraphon(), 100, { mode: 'weighted', rho: 0.01, maxEdges: 100 });
    expect(w.message).toContain('passed maxEdges = 100 edges while sampling');
  });

  it('rejects maxEdges outside [0, 2^30 − 1] with E_OPTION', () => {
    for (const bad of [-1, 1.5, 2 ** 30, Number.NaN]) {
      const err = sampleError(cosGraphon(), 10, { maxEdges: bad });
      expect(err.code).toBe('E_OPTION');
      expect(err.message).toContain('maxEdges must be an integer in [0, 1073741823]');
    }
  });

  it('refuses the dense cos graphon at n = 200000 and n = 2^31 − 1 at once, by the default cap', () => {
    const t0 = performance.now();
    const cos = sampleError(cosGraphon(), 200000);
    expect(cos.code).toBe('E_TOO_LARGE');
    expect(cos.message).toContain(
      '≈ 1.00e+10 expected edges (≈ 480 GB to sample), over maxEdges = 500000000',
    );
    const huge = sampleError(sbmGraphon([1], [0.01]), 2 ** 31 - 1);
    expect(huge.code).toBe('E_TOO_LARGE');
    const ids = sampleError(cosGraphon(), 2 ** 31);
    expect(ids.code).toBe('E_OPTION');
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});
