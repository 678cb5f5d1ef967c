import { checkOption } from '../errors.js';
import type { EigenGroup } from './types.js';

/**
 * Default relative tolerance for equal eigenvalues: a group's whole spread stays within
 * max(tol·|λ|, {@link GROUP_NOISE}·scale) (see {@link eigenGroups}).
 */
export const DEFAULT_GROUP_TOL = 1e-6;

/**
 * Round-off floor of the grouping, relative to the spectral scale: eigenvalues closer than
 * 1e-12·‖L‖ (about 10⁴ machine epsilons, well above a dense solver's error) cannot be told apart.
 */
export const GROUP_NOISE = 1e-12;

/** Options of {@link eigenGroups}. */
export interface EigenGroupOptions {
  /** Relative tolerance for equal eigenvalues, finite and > 0 [{@link DEFAULT_GROUP_TOL}]. */
  tol?: number;
  /** Spectral scale of the round-off floor, finite and ≥ 0 [the largest |λ| given: ‖L‖ for a whole spectrum]. */
  scale?: number;
  /** `values` is the whole spectrum [true]; otherwise a group reaching its last value may continue past it. */
  complete?: boolean;
  /**
   * Values that are exactly 0 are the whole null space, as graphpe's solvers return it (one exact zero
   * per component): they form one group of exact multiplicity, never merged with a nonzero value
   * however small [false].
   */
  exactZeros?: boolean;
}

const WHERE = 'spectral.eigenGroups';

/**
 * Group ascending eigenvalues into eigenspaces, computed on all given values and then truncated to
 * the first `k`: a group that k cuts through gets status `partial`. Unless `complete`, a group
 * touching the end of the list has `multiplicityIsLowerBound` (and is `partial`: more equal values
 * may exist past it).
 *
 * Rule, with t(λ) = max(tol·|λ|, 1e-12·scale), scale the largest |λ| given (‖L‖ for a whole
 * spectrum), i.e. relative to λ down to the round-off level of the spectrum: values whose consecutive gaps are all ≤ t form a run; a run
 * whose whole spread (last − first) is ≤ t(last) is one group; a wider run is split at its widest gap
 * (the first of equal ones), recursively, until every piece's spread fits. So no group ever spans
 * more than the tolerance (no chaining), and splits fall where the spectrum has its largest gaps.
 * With `exactZeros`, exact zeros form their own group. O(m log m) for m values in typical spectra.
 */
export function eigenGroups(
  values: ArrayLike<number>,
  k: number,
  options: EigenGroupOptions = {},
): EigenGroup[] {
  const tol = options.tol ?? DEFAULT_GROUP_TOL;
  checkOption(typeof tol === 'number' && tol > 0 && tol < Infinity, WHERE, 'tol must be finite and > 0', tol);
  checkOption(Number.isInteger(k) && k >= 0, WHERE, 'k must be an integer ≥ 0', k);
  const complete = options.complete ?? true;
  const exactZeros = options.exactZeros ?? false;
  const m = values.length;
  const kk = Math.min(k, m);
  let scale = options.scale;
  if (scale === undefined) {
    scale = 0;
    for (let i = 0; i < m; i++) {
      const a = Math.abs(values[i]);
      if (a > scale) scale = a;
    }
  }
  checkOption(
    typeof scale === 'number' && scale >= 0 && scale < Infinity,
    WHERE,
    'scale must be finite and ≥ 0',
    scale,
  );
  const ends = groupEnds(values, tol, scale, exactZeros);
  const groups: EigenGroup[] = [];
  let start = 0;
  for (let g = 0; start < kk; g++) {
    const end = ends[g];
    let sum = 0;
    for (let i = start; i < end; i++) sum += values[i];
    const zero = exactZeros && values[start] === 0;
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

/** End index (exclusive) of every group of `values`, in order (see {@link eigenGroups} for the rule). */
function groupEnds(values: ArrayLike<number>, tol: number, scale: number, exactZeros: boolean): number[] {
  const m = values.length;
  const floor = GROUP_NOISE * scale;
  const t = (v: number): number => Math.max(tol * Math.abs(v), floor);
  const ends: number[] = [];
  const stack: number[] = [];
  let a = 0;
  while (a < m) {
    // Run [a, b): exact zeros alone, or nonzero values with every gap within the tolerance.
    let b = a + 1;
    if (exactZeros && values[a] === 0) {
      while (b < m && values[b] === 0) b++;
      ends.push(b);
      a = b;
      continue;
    }
    while (b < m && !(exactZeros && values[b] === 0) && values[b] - values[b - 1] <= t(values[b])) b++;
    // Split the run at its widest gaps until every piece's spread fits (pieces pushed right first).
    stack.push(a, b);
    while (stack.length > 0) {
      const e = stack.pop() as number;
      const s = stack.pop() as number;
      if (values[e - 1] - values[s] <= t(values[e - 1])) {
        ends.push(e);
        continue;
      }
      let cut = s + 1;
      let widest = -1;
      for (let i = s + 1; i < e; i++) {
        const gap = values[i] - values[i - 1];
        if (gap > widest) {
          widest = gap;
          cut = i;
        }
      }
      stack.push(cut, e, s, cut);
    }
    a = b;
  }
  return ends;
}
