import type { EigenGroup } from './types.js';

/** Default relative tolerance for equal eigenvalues: |λ_i − λ_{i−1}| ≤ tol·max(1, |λ_i|). */
export const DEFAULT_GROUP_TOL = 1e-6;

/** Options of {@link eigenGroups}. */
export interface EigenGroupOptions {
  /** Relative tolerance for equal eigenvalues [{@link DEFAULT_GROUP_TOL}]. */
  tol?: number;
  /** `values` is the whole spectrum [true]; otherwise a group reaching its last value may continue past it. */
  complete?: boolean;
  /**
   * Values that are exactly 0 are the whole null space, as graphpe's solvers return it (one exact zero
   * per component): they form one group of exact multiplicity, never merged with a nonzero value
   * however small [false].
   */
  exactZeros?: boolean;
}

/**
 * Group ascending eigenvalues into eigenspaces (consecutive values closer than `tol·max(1,|λ|)`),
 * computed on all given values and then truncated to the first `k`: a group that k cuts through gets
 * status `partial`. Unless `complete`, a group touching the end of the list has
 * `multiplicityIsLowerBound` (and is `partial`: more equal values may exist past it).
 */
export function eigenGroups(
  values: ArrayLike<number>,
  k: number,
  options: EigenGroupOptions = {},
): EigenGroup[] {
  const tol = options.tol ?? DEFAULT_GROUP_TOL;
  const complete = options.complete ?? true;
  const exactZeros = options.exactZeros ?? false;
  const m = values.length;
  const kk = Math.min(k, m);
  const groups: EigenGroup[] = [];
  let start = 0;
  while (start < kk) {
    let end = start + 1;
    let sum = values[start];
    const zero = exactZeros && values[start] === 0;
    while (end < m) {
      const v = values[end];
      const same =
        zero || (exactZeros && values[end - 1] === 0)
          ? zero && v === 0
          : Math.abs(v - values[end - 1]) <= tol * Math.max(1, Math.abs(v));
      if (!same) break;
      sum += v;
      end++;
    }
    const multiplicity = end - start;
    const size = Math.min(end, kk) - start;
    // Without the whole spectrum, a group reaching the last known value may continue past it; the
    // exact null space cannot.
    const open = !complete && end === m && !zero;
    groups.push({
      start,
      size,
      value: sum / multiplicity,
      multiplicity,
      multiplicityIsLowerBound: open,
      status: size < multiplicity || open ? 'partial' : 'complete',
    });
    start = end;
  }
  return groups;
}
