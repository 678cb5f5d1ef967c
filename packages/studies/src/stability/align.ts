/**
 * Distances between two eigenvector-based PEs X (of G) and Y (of G′), both n×k row-major, before and after
 * removing the ambiguities a PE built from raw eigenvectors has:
 * - raw: ‖X − Y‖_F;
 * - sign-aligned: ‖X − Y·S‖_F with the best ±1 per column (s_j = sign(x_j·y_j));
 * - basis-aligned: ‖X − Y·Q‖_F with Q block-diagonal orthogonal, each block the orthogonal Procrustes
 *   solution (Q = UVᵀ from the SVD YᵀX = UΣVᵀ) on a column block — the eigenspaces, so rotations inside a
 *   repeated eigenvalue's eigenspace are undone. A block of size 1 is a sign flip.
 */
import { type EigenGroup, eigh } from '@graphpe/spectral';

/** ‖X − Y‖_F over the first `cols` columns (default all k) of two n×k row-major matrices. */
export function frobeniusDistance(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    const d = (x[i] as number) - (y[i] as number);
    s += d * d;
  }
  return Math.sqrt(s);
}

/** ‖X‖_F. */
export function frobeniusNorm(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] as number) ** 2;
  return Math.sqrt(s);
}

/** ‖X − Y·S‖_F with the best sign per column. */
export function signAlignedDistance(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  n: number,
  k: number,
): number {
  let s = 0;
  for (let j = 0; j < k; j++) {
    let dot = 0;
    for (let i = 0; i < n; i++) dot += (x[i * k + j] as number) * (y[i * k + j] as number);
    const sg = dot < 0 ? -1 : 1;
    for (let i = 0; i < n; i++) {
      const d = (x[i * k + j] as number) - sg * (y[i * k + j] as number);
      s += d * d;
    }
  }
  return Math.sqrt(s);
}

/**
 * The orthogonal d×d matrix Q (row-major) minimizing ‖A − B·Q‖_F for n×d blocks A, B given as M = BᵀA:
 * Q = UVᵀ from M = UΣVᵀ (via the eigendecomposition MᵀM = VΣ²Vᵀ; singular directions with σ ≈ 0 are
 * completed to an orthonormal U by Gram–Schmidt, which does not change the minimum).
 */
export function procrustes(m: Float64Array, d: number): Float64Array {
  const mtm = new Float64Array(d * d);
  for (let a = 0; a < d; a++) {
    for (let b = 0; b < d; b++) {
      let s = 0;
      for (let r = 0; r < d; r++) s += (m[r * d + a] as number) * (m[r * d + b] as number);
      mtm[a * d + b] = s;
    }
  }
  const { values, vectors } = eigh(mtm, d);
  const V = vectors as Float64Array; // column c = eigenvector of values[c], ascending
  const order = Array.from({ length: d }, (_, c) => d - 1 - c); // descending σ
  const sMax = Math.sqrt(Math.max(0, values[d - 1] as number));
  const U = new Float64Array(d * d); // column c ↔ V column c
  const filled: number[] = [];
  for (const c of order) {
    const sigma = Math.sqrt(Math.max(0, values[c] as number));
    const u = new Float64Array(d);
    if (sigma > 1e-10 * Math.max(1, sMax)) {
      for (let r = 0; r < d; r++) {
        let s = 0;
        for (let t = 0; t < d; t++) s += (m[r * d + t] as number) * (V[t * d + c] as number);
        u[r] = s / sigma;
      }
    } else {
      // a unit vector orthogonal to the columns already set: Gram–Schmidt on the standard basis
      for (let e = 0; e < d; e++) {
        u.fill(0);
        u[e] = 1;
        for (const f of filled) {
          let dot = 0;
          for (let r = 0; r < d; r++) dot += (U[r * d + f] as number) * (u[r] as number);
          for (let r = 0; r < d; r++) u[r] = (u[r] as number) - dot * (U[r * d + f] as number);
        }
        const nrm = frobeniusNorm(u);
        if (nrm > 1e-6) {
          for (let r = 0; r < d; r++) u[r] = (u[r] as number) / nrm;
          break;
        }
      }
    }
    for (let r = 0; r < d; r++) U[r * d + c] = u[r] as number;
    filled.push(c);
  }
  const Q = new Float64Array(d * d);
  for (let a = 0; a < d; a++) {
    for (let b = 0; b < d; b++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += (U[a * d + c] as number) * (V[b * d + c] as number);
      Q[a * d + b] = s;
    }
  }
  return Q;
}

/** Column blocks [start, end) of k columns: the given groups, merged where they overlap (union of both partitions' blocks). */
export function mergeBlocks(
  k: number,
  ...partitions: readonly (readonly EigenGroup[])[]
): [number, number][] {
  // cut[j] = true when a block boundary is allowed before column j (both partitions have one there).
  const boundary = new Uint8Array(k + 1).fill(1);
  for (const groups of partitions) {
    for (const g of groups) {
      for (let j = g.start + 1; j < Math.min(k, g.start + g.size); j++) boundary[j] = 0;
    }
  }
  const out: [number, number][] = [];
  let start = 0;
  for (let j = 1; j <= k; j++) {
    if (boundary[j] || j === k) {
      out.push([start, j]);
      start = j;
    }
  }
  return out;
}

/** Column blocks of `k` columns starting at `offset` in a spectrum's groups, shifted to 0 (columns before offset dropped). */
export function groupsShifted(groups: readonly EigenGroup[], offset: number, k: number): EigenGroup[] {
  const out: EigenGroup[] = [];
  for (const g of groups) {
    const a = Math.max(g.start, offset);
    const b = Math.min(g.start + g.size, offset + k);
    if (b > a) out.push({ ...g, start: a - offset, size: b - a });
  }
  return out;
}

/** ‖X − Y·Q‖_F with Q block-diagonal orthogonal on the column `blocks` (each the Procrustes optimum). */
export function basisAlignedDistance(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  n: number,
  k: number,
  blocks: readonly (readonly [number, number])[],
): number {
  let total = 0;
  for (const [a, b] of blocks) {
    const d = b - a;
    const m = new Float64Array(d * d); // M = Y_bᵀ X_b
    for (let i = 0; i < n; i++) {
      for (let r = 0; r < d; r++) {
        const yr = y[i * k + a + r] as number;
        if (yr === 0) continue;
        for (let c = 0; c < d; c++)
          m[r * d + c] = (m[r * d + c] as number) + yr * (x[i * k + a + c] as number);
      }
    }
    const q = d === 1 ? Float64Array.of((m[0] as number) < 0 ? -1 : 1) : procrustes(m, d);
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < d; c++) {
        let yq = 0;
        for (let r = 0; r < d; r++) yq += (y[i * k + a + r] as number) * (q[r * d + c] as number);
        const diff = (x[i * k + a + c] as number) - yq;
        total += diff * diff;
      }
    }
  }
  return Math.sqrt(total);
}
