import { createRng, laplacianDense } from '@graphpe/spectral';
import { describe, expect, it } from 'vitest';
import {
  bandlimitedBasis,
  bandlimitedSignal,
  cutoffEstimate,
  pesensonConstant,
  plantedPartition,
  proxySelect,
  randomSelect,
  reconstruct,
  relativeError,
  restrictSignal,
  sampleGraph,
  singularValues,
} from '../src/index.js';
import { disjointUnion, erGraph, fullSpectrum, norm, rowsCols, scaled } from './helpers.js';

/** True cutoff ω_c(S): the smallest λ_j such that U_{1..j}[S,:] is rank-deficient (dense reference). */
function trueCutoff(V: Float64Array, values: Float64Array, n: number, S: ArrayLike<number>): number {
  for (let j = 1; j <= n; j++) {
    if (j > S.length) return values[j - 1];
    const sv = singularValues(rowsCols(V, n, S, j), S.length, j);
    if (sv[sv.length - 1] < 1e-9) return values[j - 1];
  }
  return Number.POSITIVE_INFINITY;
}

/** Independent Pesenson constant: 1/σ_min(L[:,T]) by one-sided Jacobi on the n×|T| block. */
function pesensonReference(L: Float64Array, n: number, T: ArrayLike<number>): number {
  const A = new Float64Array(n * T.length);
  for (let i = 0; i < n; i++) for (let t = 0; t < T.length; t++) A[i * T.length + t] = L[i * n + T[t]];
  const sv = singularValues(A, n, T.length);
  return 1 / sv[sv.length - 1];
}

const g = sampleGraph(plantedPartition(3, 0.3, 0.05), 120, { seed: 5 }).graph;
const n = g.n;
const { values, vectors } = fullSpectrum(g);

describe('Anis–Gadde–Ortega proxy greedy (docs/graphon.md, "Sampling-set selection methods")', () => {
  for (const order of [1, 2, 4]) {
    it(`k=${order}: Ω_k(S) never decreases and stays ≤ the true cutoff; signals below it are recovered`, () => {
      const sel = proxySelect(g, { budget: 15, order });
      expect(sel.nodes.length).toBe(15);
      expect(sel.omega.length).toBe(15);
      for (let t = 1; t < 15; t++) expect(sel.omega[t]).toBeGreaterThanOrEqual(sel.omega[t - 1] - 1e-9);
      for (let t = 0; t < 15; t += 2) {
        const S = sel.nodes.subarray(0, t + 1);
        expect(sel.omega[t]).toBeLessThanOrEqual(trueCutoff(vectors, values, n, S) + 1e-9);
        expect(cutoffEstimate(g, S, { order })).toBeCloseTo(sel.omega[t], 10);
      }
      // Every f ∈ PW_ω with ω < Ω_k(S) is recovered exactly from f_S.
      const K = values.filter((v) => v < sel.cutoff - 1e-9).length;
      expect(K).toBeGreaterThanOrEqual(1);
      const basis = bandlimitedBasis(g, { k: K });
      const x = bandlimitedSignal(basis, createRng(order));
      const rec = reconstruct(basis, sel.nodes, restrictSignal(x, sel.nodes));
      expect(rec.rank).toBe(K);
      expect(relativeError(rec.signal, x)).toBeLessThan(1e-8);
    });
  }

  it('larger k gives a tighter (larger) estimate of the same set', () => {
    const S = randomSelect(n, 30, { seed: 2 }).nodes;
    const o1 = cutoffEstimate(g, S, { order: 1 });
    const o4 = cutoffEstimate(g, S, { order: 4 });
    expect(o4).toBeGreaterThanOrEqual(o1 - 1e-12);
    expect(o4).toBeLessThanOrEqual(trueCutoff(vectors, values, n, S) + 1e-9);
  });

  it('k=1 gives 1/Λ(S^c) (Pesenson), against an independent SVD', () => {
    const L = laplacianDense(g, 'sym');
    for (const seed of [1, 2, 3]) {
      const S = randomSelect(n, 40, { seed }).nodes;
      const Sc = Array.from({ length: n }, (_, i) => i).filter((i) => !S.includes(i));
      expect(cutoffEstimate(g, S, { order: 1 })).toBeCloseTo(1 / pesensonReference(L, n, Sc), 8);
    }
  });

  it('the stopping rule uses λ: stop as soon as Ω_k(S) > λ, and PW_λ is recovered from S', () => {
    const lambda = values[5] + 1e-6; // PW_λ = span of 6 eigenvectors
    const sel = proxySelect(g, { lambda, order: 3 });
    expect(sel.reachedLambda).toBe(true);
    expect(sel.cutoff).toBeGreaterThan(lambda);
    expect(sel.omega[sel.omega.length - 2]).toBeLessThanOrEqual(lambda);
    const basis = bandlimitedBasis(g, { lambda });
    expect(basis.K).toBe(6);
    const x = bandlimitedSignal(basis, createRng(9));
    expect(relativeError(reconstruct(basis, sel.nodes, restrictSignal(x, sel.nodes)).signal, x)).toBeLessThan(
      1e-8,
    );
    // A budget caps it.
    const capped = proxySelect(g, { lambda, budget: 2, order: 3 });
    expect(capped.nodes.length).toBe(2);
    expect(capped.reachedLambda).toBe(false);
  });

  it('matrix-free LOBPCG path agrees with the dense path', () => {
    const h = erGraph(150, 0.06, 8);
    const d = proxySelect(h, { budget: 6, order: 2, solver: 'dense' });
    const it2 = proxySelect(h, { budget: 6, order: 2, solver: 'iterative' });
    expect(Array.from(it2.nodes)).toEqual(Array.from(d.nodes));
    for (let t = 0; t < 6; t++) expect(it2.omega[t]).toBeCloseTo(d.omega[t], 5);
    expect(cutoffEstimate(h, d.nodes, { order: 2, solver: 'iterative' })).toBeCloseTo(d.cutoff, 5);
  });

  it('invariants: deterministic, scale-invariant, isolated nodes without NaN, repeated zeros', () => {
    const a = proxySelect(g, { budget: 8, order: 2 });
    expect(proxySelect(g, { budget: 8, order: 2 }).nodes).toEqual(a.nodes);
    expect(proxySelect(scaled(g, 12.5), { budget: 8, order: 2 }).nodes).toEqual(a.nodes);
    const iso = disjointUnion([erGraph(40, 0.2, 1), erGraph(1, 0, 0), erGraph(30, 0.2, 2)]);
    const sel = proxySelect(iso, { budget: 6, order: 2 });
    expect(sel.omega.every(Number.isFinite)).toBe(true);
    // Two non-trivial components (two zero eigenvalues): Ω stays 0 (up to eps^{1/2k} ≈ 1e-4) until
    // both hold a sampled node.
    const comp = (i: number) => (i < 40 ? 0 : i === 40 ? 1 : 2);
    const firstPositive = Array.from(sel.omega).findIndex((w) => w > 1e-3);
    expect(firstPositive).toBeGreaterThanOrEqual(1);
    const comps = new Set(Array.from(sel.nodes.subarray(0, firstPositive + 1), comp));
    expect(comps.has(0) && comps.has(2)).toBe(true);
    for (let t = 0; t < firstPositive; t++) expect(sel.omega[t]).toBeLessThan(1e-3);
  });

  it('rejects bad options', () => {
    expect(() => proxySelect(g, {})).toThrow(/budget, lambda or both/);
    expect(() => proxySelect(g, { budget: 0 })).toThrow(/budget must be an integer/);
    expect(() => proxySelect(g, { budget: 3, order: 0 })).toThrow(/order/);
    expect(() => cutoffEstimate(g, [1, 1])).toThrow(/repeated/);
    expect(() => cutoffEstimate(g, [n])).toThrow(/not a node id/);
  });
});

describe('Pesenson constant (docs/graphon.md, "The Le–Ruiz–Jegelka setting")', () => {
  const L = laplacianDense(g, 'sym');
  it('‖f‖ ≤ Λ(T)‖Lf‖ for random f supported on T, and Λ matches an independent SVD', () => {
    const rng = createRng(3);
    for (const size of [5, 20, 60]) {
      const T = randomSelect(n, size, { seed: size }).nodes;
      const lam = pesensonConstant(g, T);
      expect(lam).toBeCloseTo(pesensonReference(L, n, T), 6);
      for (let t = 0; t < 20; t++) {
        const f = new Float64Array(n);
        for (const v of T) f[v] = rng.normal();
        const Lf = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          let s = 0;
          for (let j = 0; j < n; j++) s += L[i * n + j] * f[j];
          Lf[i] = s;
        }
        expect(norm(f)).toBeLessThanOrEqual(lam * norm(Lf) * (1 + 1e-9));
      }
    }
  });

  it('V∖T is a uniqueness set for PW_ω, ω < 1/Λ(T) (dense check)', () => {
    for (const size of [3, 10, 30]) {
      const T = randomSelect(n, size, { seed: 10 + size }).nodes;
      const omega = 1 / pesensonConstant(g, T);
      const K = values.filter((v) => v < omega).length;
      expect(K).toBeGreaterThanOrEqual(1);
      const rest = Array.from({ length: n }, (_, i) => i).filter((i) => !T.includes(i));
      const sv = singularValues(rowsCols(vectors, n, rest, K), rest.length, K);
      expect(sv[K - 1]).toBeGreaterThan(1e-8);
    }
  });

  it('a set containing a whole component has Λ = ∞; the empty set has Λ = 0', () => {
    const h = disjointUnion([erGraph(20, 0.3, 1), erGraph(5, 1, 0)]);
    expect(pesensonConstant(h, [20, 21, 22, 23, 24])).toBe(Number.POSITIVE_INFINITY);
    expect(pesensonConstant(h, [])).toBe(0);
  });
});
