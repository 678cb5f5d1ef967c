/** Latent positions for G(n, W): sorted i.i.d. uniforms (Rényi's exponential spacings, O(n)) or the grid (i+½)/n. */
import type { Rng } from '@graphpe/spectral';

/** How latent positions are drawn: i.i.d. U[0,1] (returned sorted) or the deterministic grid (i+½)/n. */
export type LatentMode = 'uniform' | 'grid';

/** n latent positions in ascending order (uniform order statistics via normalized exponential spacings). */
export function latentPositions(n: number, mode: LatentMode, rng: Rng): Float64Array {
  const x = new Float64Array(n);
  if (mode === 'grid') {
    for (let i = 0; i < n; i++) x[i] = (i + 0.5) / n;
    return x;
  }
  let acc = 0;
  for (let i = 0; i < n; i++) {
    acc += -Math.log(1 - rng.next());
    x[i] = acc;
  }
  const total = acc - Math.log(1 - rng.next());
  for (let i = 0; i < n; i++) x[i] /= total;
  return x;
}

/** First node index with x ≥ t in the ascending array x (binary search). */
export function lowerBound(x: Float64Array, t: number): number {
  let lo = 0;
  let hi = x.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
