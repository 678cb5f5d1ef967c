/**
 * Ascending order of `d[0..n)` written to `perm[0..n)`: stable (ties keep index order), so equal
 * inputs always give the same permutation. Insertion sort for small n, a merge sort otherwise;
 * `tmp` (length ≥ n) is scratch for the merge.
 */
export function argsortAscending(d: Float64Array, n: number, perm: Int32Array, tmp: Int32Array): void {
  for (let i = 0; i < n; i++) perm[i] = i;
  if (n <= 48) {
    for (let i = 1; i < n; i++) {
      const pi = perm[i];
      const v = d[pi];
      let j = i - 1;
      while (j >= 0 && d[perm[j]] > v) {
        perm[j + 1] = perm[j];
        j--;
      }
      perm[j + 1] = pi;
    }
    return;
  }
  // Bottom-up merge sort (stable), ping-ponging between perm and tmp.
  let src = perm;
  let dst = tmp;
  for (let width = 1; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let a = lo;
      let b = mid;
      let o = lo;
      while (a < mid && b < hi) dst[o++] = d[src[b]] < d[src[a]] ? src[b++] : src[a++];
      while (a < mid) dst[o++] = src[a++];
      while (b < hi) dst[o++] = src[b++];
    }
    const t = src;
    src = dst;
    dst = t;
  }
  if (src !== perm) perm.set(src.subarray(0, n));
}

/**
 * Write eigenpairs in ascending order: `values[vo + j] = d[perm[j]]` and, when `z` is given,
 * the row-major n×n block at `vectors[xo…]` with column j = row perm[j] of `z` (a transpose,
 * done in 32×32 tiles for large n).
 */
export function writeSorted(
  d: Float64Array,
  z: Float64Array | null,
  n: number,
  perm: Int32Array,
  values: Float64Array,
  vo: number,
  vectors: Float64Array | null,
  xo: number,
): void {
  for (let j = 0; j < n; j++) values[vo + j] = d[perm[j]];
  if (z === null || vectors === null) return;
  if (n <= 64) {
    for (let j = 0; j < n; j++) {
      const rz = perm[j] * n;
      let o = xo + j;
      for (let r = 0; r < n; r++, o += n) vectors[o] = z[rz + r];
    }
    return;
  }
  const B = 32;
  for (let r0 = 0; r0 < n; r0 += B) {
    const r1 = Math.min(r0 + B, n);
    for (let j0 = 0; j0 < n; j0 += B) {
      const j1 = Math.min(j0 + B, n);
      for (let j = j0; j < j1; j++) {
        const rz = perm[j] * n;
        let o = xo + r0 * n + j;
        for (let r = r0; r < r1; r++, o += n) vectors[o] = z[rz + r];
      }
    }
  }
}
