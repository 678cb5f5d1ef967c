// Checks shared by the component-aware spectrum tests: a sparse Spectrum against the whole dense
// spectrum of the same graph (values, eigenspace groups, multiplicities, partial flags, vectors).
import { expect } from 'vitest';
import { eigenGroups } from '../src/spectrum/groups.js';
import type { Spectrum } from '../src/spectrum/types.js';

/**
 * `s` (k real columns) against `full`, the ascending whole spectrum: values to `tol`, groups equal to
 * those of the whole spectrum truncated at k, except that a group reported as a lower bound (only the
 * last one may be) has at most the true multiplicity and is `partial`.
 */
export function expectSpectrumMatches(s: Spectrum, full: ArrayLike<number>, tol = 1e-8, label = ''): void {
  const k = s.k;
  let worst = 0;
  for (let j = 0; j < k; j++) worst = Math.max(worst, Math.abs(s.values[j] - full[j]));
  expect(worst, `${label} max |Δλ|`).toBeLessThanOrEqual(tol);
  const want = eigenGroups(full, k, { complete: true, exactZeros: true });
  expect(s.groups.length, `${label} number of groups`).toBe(want.length);
  for (let t = 0; t < want.length; t++) {
    const got = s.groups[t];
    const exp = want[t];
    const where = `${label} group ${t} (start ${exp.start}, λ ≈ ${exp.value.toPrecision(6)})`;
    expect(got.start, where).toBe(exp.start);
    expect(got.size, where).toBe(exp.size);
    if (got.multiplicityIsLowerBound) {
      expect(t, `${where}: only the last group may be a lower bound`).toBe(want.length - 1);
      expect(got.multiplicity, where).toBeLessThanOrEqual(exp.multiplicity);
      expect(got.status, where).toBe('partial');
    } else {
      expect(got.multiplicity, where).toBe(exp.multiplicity);
      expect(got.status, where).toBe(exp.status);
    }
  }
}

/** max |VᵀV − I| over the real columns of a spectrum (sym and comb vectors are orthonormal). */
export function orthonormalityError(s: Spectrum): number {
  const { n, k, vectors } = s;
  const G = new Float64Array(k * k);
  for (let i = 0; i < n; i++) {
    const row = i * k;
    for (let a = 0; a < k; a++) {
      const va = vectors[row + a];
      if (va === 0) continue;
      for (let b = a; b < k; b++) G[a * k + b] += va * vectors[row + b];
    }
  }
  let worst = 0;
  for (let a = 0; a < k; a++) {
    for (let b = a; b < k; b++) worst = Math.max(worst, Math.abs(G[a * k + b] - (a === b ? 1 : 0)));
  }
  return worst;
}

/** Largest residual ‖Lv − λv‖ over the real columns. */
export function maxResidual(s: Spectrum): number {
  let r = 0;
  for (let j = 0; j < s.k; j++) if (s.mask[j]) r = Math.max(r, s.residuals[j]);
  return r;
}
