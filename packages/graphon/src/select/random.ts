/**
 * Random baseline (docs/graphon.md, "Sampling-set selection methods"): m nodes uniformly without replacement
 * (partial Fisher–Yates).
 */
import { createRng } from '@graphpe/spectral';
import { checkInt, checkSeed } from '../util/check.js';
import type { SamplingSet } from './types.js';

/** m distinct nodes of [0, n) drawn uniformly, returned ascending; same seed → same set. */
export function randomSelect(n: number, m: number, options: { seed?: number } = {}): SamplingSet {
  const where = 'graphon.randomSelect';
  checkInt(n, where, 'n', 1);
  checkInt(m, where, 'm', 0, n);
  const rng = createRng(checkSeed(options.seed ?? 0, where));
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let t = 0; t < m; t++) {
    const j = t + rng.int(n - t);
    const v = perm[j];
    perm[j] = perm[t];
    perm[t] = v;
  }
  return { method: 'random', nodes: perm.slice(0, m).sort() };
}
