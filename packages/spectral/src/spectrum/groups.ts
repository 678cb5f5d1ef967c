import type { EigenGroup } from './types.js';

/** Default relative tolerance for equal eigenvalues: |λ_i − λ_{i−1}| ≤ tol·max(1, |λ_i|). */
export const DEFAULT_GROUP_TOL = 1e-6;

/**
 * Group ascending eigenvalues into eigenspaces (consecutive values closer than `tol·max(1,|λ|)`),
 * computed on all `computed` values and then truncated to the first `k`: a group that k cuts
 * through gets status `partial`. `complete` says the computed list is the whole spectrum
 * (dense solve); otherwise a group touching its end has `multiplicityIsLowerBound`.
 */
export function eigenGroups(
  values: ArrayLike<number>,
  k: number,
  options: { tol?: number; complete?: boolean } = {},
): EigenGroup[] {
  const tol = options.tol ?? DEFAULT_GROUP_TOL;
  const complete = options.complete ?? true;
  const m = values.length;
  const kk = Math.min(k, m);
  const groups: EigenGroup[] = [];
  let start = 0;
  while (start < kk) {
    let end = start + 1;
    let sum = values[start];
    while (end < m && Math.abs(values[end] - values[end - 1]) <= tol * Math.max(1, Math.abs(values[end]))) {
      sum += values[end];
      end++;
    }
    const multiplicity = end - start;
    const size = Math.min(end, kk) - start;
    groups.push({
      start,
      size,
      value: sum / multiplicity,
      multiplicity,
      multiplicityIsLowerBound: !complete && end === m,
      // Without the whole spectrum, a group reaching the last computed value may continue past it.
      status: size < multiplicity || (!complete && end === m) ? 'partial' : 'complete',
    });
    start = end;
  }
  return groups;
}
