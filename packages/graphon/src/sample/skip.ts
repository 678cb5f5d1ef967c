/**
 * Geometric skipping over the node pairs of a block (Batagelj & Brandes 2005, "Efficient generation
 * of large random networks"): each pair is an edge with probability p, and the gap to the next edge is
 * Geometric(p), so a block costs O(1 + edges) instead of O(pairs). An optional acceptance test turns
 * it into thinning (Lewis & Shedler 1979): pairs drawn at rate p are kept with probability W/p.
 */
import type { Rng } from '@graphpe/spectral';
import type { EdgeBuffer } from './edges.js';

/** Keep candidate (i, j)? Used for thinning; returns true to keep. */
export type Accept = (i: number, j: number) => boolean;

/**
 * Emit each pair (i, j), i ∈ [r0, r1), j ∈ [c0, c1) (or i < j in [r0, r1) when `diag`), with
 * probability p (then `accept`). Returns the number of candidates drawn before acceptance.
 */
export function skipBlock(
  buf: EdgeBuffer,
  rng: Rng,
  r0: number,
  r1: number,
  c0: number,
  c1: number,
  diag: boolean,
  p: number,
  accept: Accept | null,
): number {
  if (p <= 0 || r1 <= r0 || (!diag && c1 <= c0)) return 0;
  const all = p >= 1;
  const lq = all ? 0 : Math.log1p(-p);
  const gap = (): number => (all ? 0 : Math.floor(Math.log(1 - rng.next()) / lq));
  let candidates = 0;
  if (diag) {
    // Upper triangle row by row: row i has pairs j ∈ (i, r1).
    let i = r0;
    let j = i + gap(); // j − (i+1) = offset within row i
    j += 1;
    while (i < r1 - 1) {
      while (j >= r1) {
        const over = j - r1;
        i++;
        if (i >= r1 - 1) return candidates;
        j = i + 1 + over;
      }
      candidates++;
      if (!accept || accept(i, j)) buf.push(i, j);
      j += 1 + gap();
    }
    return candidates;
  }
  const width = c1 - c0;
  const total = (r1 - r0) * width;
  let t = gap();
  while (t < total) {
    const i = r0 + Math.floor(t / width);
    const j = c0 + (t % width);
    candidates++;
    if (!accept || accept(i, j)) buf.push(i, j);
    t += 1 + gap();
  }
  return candidates;
}
