import { describe, expect, it } from 'vitest';
import { applyReflectors } from '../src/eig/dense/backtransform.js';
import { eigh, setInverseIterationThreshold } from '../src/eig/dense/eigh.js';
import { tridiagonalize } from '../src/eig/dense/tridiag.js';
import { tridiagonalizeFused } from '../src/eig/dense/tridiag-fused.js';
import { randomSymmetric } from './dense-helpers.js';

describe('fused Householder tridiagonalization', () => {
  for (const [n, holes] of [
    [1, false],
    [2, false],
    [3, false],
    [5, true],
    [8, false],
    [37, true],
    [130, false],
  ] as [number, boolean][]) {
    it(`n = ${n}${holes ? ' (zero columns)' : ''}: same T as the two-pass tred1, Q T Qᵀ = A`, () => {
      const a = randomSymmetric(n, 50 + n, holes);
      const w1 = a.slice();
      const w2 = a.slice();
      const d1 = new Float64Array(n + 1);
      const e1 = new Float64Array(n + 1);
      const h1 = new Float64Array(n + 1);
      const d2 = new Float64Array(n + 1);
      const e2 = new Float64Array(n + 1);
      const h2 = new Float64Array(n + 1);
      tridiagonalize(w1, n, d1, e1, false, h1);
      tridiagonalizeFused(
        w2,
        n,
        d2,
        e2,
        h2,
        new Float64Array(n + 2),
        new Float64Array(n + 2),
        new Float64Array(n + 2),
      );
      for (let i = 0; i < n; i++) {
        expect(Math.abs(d1[i] - d2[i])).toBeLessThan(1e-12);
        expect(Math.abs(e1[i] - e2[i])).toBeLessThan(1e-12);
        // h_i is only comparable where the column is not rounding noise (zero columns leave ~1e-16).
        if (Math.abs(e1[i]) > 1e-8) expect(Math.abs(h1[i] - h2[i])).toBeLessThan(1e-10 * Math.max(1, h1[i]));
      }
      // Q T Qᵀ = A: apply Q to the columns of T (rows of the row-major Tᵀ = T).
      const z = new Float64Array(n * n);
      for (let i = 0; i < n; i++) {
        z[i * n + i] = d2[i];
        if (i > 0) z[i * n + i - 1] = e2[i];
        if (i + 1 < n) z[i * n + i + 1] = e2[i + 1];
      }
      const bs = new Int32Array(n);
      applyReflectors(w2, h2, n, z, bs, new Float64Array(n + 1), new Float64Array(n + 1)); // rows: Q T[:, j] … = (Q T)ᵀ rows
      // z row j = Q t_j  →  M = Q T (column j = z row j); then (Q T) Qᵀ: apply Q to rows of M.
      const m = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) m[i * n + j] = z[j * n + i];
      applyReflectors(w2, h2, n, m, bs, new Float64Array(n + 1), new Float64Array(n + 1));
      let err = 0;
      for (let p = 0; p < n * n; p++) err = Math.max(err, Math.abs(m[p] - a[p]));
      expect(err).toBeLessThan(1e-13 * n);
    });
  }

  it('eigh on the inverse-iteration path: residual and orthogonality at rounding level', () => {
    setInverseIterationThreshold(2);
    try {
      for (const n of [2, 3, 4, 7, 66, 150]) {
        const a = randomSymmetric(n, 900 + n, n === 66);
        const { values, vectors } = eigh(a, n);
        let res = 0;
        let orth = 0;
        for (let j = 0; j < n; j++) {
          for (let i = 0; i < n; i++) {
            let s = -values[j] * vectors[i * n + j];
            for (let k = 0; k < n; k++) s += a[i * n + k] * vectors[k * n + j];
            res = Math.max(res, Math.abs(s));
          }
          for (let q = j; q < n; q++) {
            let s = q === j ? -1 : 0;
            for (let k = 0; k < n; k++) s += vectors[k * n + j] * vectors[k * n + q];
            orth = Math.max(orth, Math.abs(s));
          }
        }
        expect(res).toBeLessThan(1e-13 * n);
        expect(orth).toBeLessThan(1e-13 * n);
      }
    } finally {
      setInverseIterationThreshold(64);
    }
  });
});
