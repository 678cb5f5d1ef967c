import { checkOption } from '../errors.js';
import type { SignConvention } from './types.js';

/**
 * Apply a deterministic sign convention in place to the columns of an n×k row-major matrix:
 * `max-abs-positive` flips each column so its largest-magnitude entry (first index within a
 * relative 1e-10 tie) is positive. For reproducibility only; it is not a sign invariance.
 */
export function applySignConvention(
  vectors: Float64Array,
  n: number,
  k: number,
  convention: SignConvention,
): void {
  const where = 'spectral.applySignConvention';
  checkOption(
    convention === 'none' || convention === 'max-abs-positive',
    where,
    "convention must be 'none' or 'max-abs-positive'",
    convention,
  );
  if (!(Number.isInteger(n) && n >= 0 && Number.isInteger(k) && k >= 0 && vectors.length >= n * k))
    checkOption(false, where, `vectors must hold n·k = ${n * k} values`, vectors.length);
  if (convention === 'none') return;
  for (let j = 0; j < k; j++) {
    let maxAbs = 0;
    for (let i = 0; i < n; i++) maxAbs = Math.max(maxAbs, Math.abs(vectors[i * k + j]));
    if (!(maxAbs > 0)) continue;
    let pivot = 0;
    while (Math.abs(vectors[pivot * k + j]) < maxAbs * (1 - 1e-10)) pivot++;
    if (vectors[pivot * k + j] < 0) for (let i = 0; i < n; i++) vectors[i * k + j] = -vectors[i * k + j];
  }
}
