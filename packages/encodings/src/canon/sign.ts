/**
 * Sign canonization of one eigenvector of a simple eigenvalue (the MAP sign rule, shared by OAP).
 *
 * References: Ma et al. 2023, "Laplacian Canonization: a minimalist approach to sign and basis invariant
 * spectral embedding" (MAP), arXiv 2310.18716, `data/map.py::unique_sign`; Ma et al. 2024, "A
 * Canonicalization Perspective on Invariant and Equivariant Learning" (OAP), arXiv 2405.18378.
 *
 * Rule (docs/canonization.md, "Sign canonization"): group the nodes into classes of equal |u_i| (sorted
 * magnitudes, a new class wherever the gap exceeds tol·‖u‖), visit the classes in the mode's order and return
 * sign(u·x)·u for the first class G whose x = 1_G + c·1 gives |u·x| > tol·‖u‖. x depends on |u| only, so the
 * output is sign-invariant and permutation-equivariant. It fails iff every class has zero signed sum, i.e.
 * iff {u_i} = {−u_i} as multisets; no equivariant sign-invariant map can do better on such vectors, so the
 * rule is complete. O(n log n) (one sort), where the reference forms u·uᵀ (O(n²)).
 *
 * Fixed defects of the reference code: magnitudes are grouped by a tolerance on sorted gaps instead of
 * rounding to 14 (MAP) or 6 (OAP) decimals (no splits at rounding boundaries), the zero test is relative
 * instead of `round(|s|, 12) != 0`, and a failure is reported as `sign_noncanonizable` instead of being
 * skipped silently.
 */
import { checkOption, GraphpeError } from '@graphpe/spectral';
import { DEFAULT_SIGN_TOL, REFERENCE_OFFSET, type SignMode, type SignOptions } from './types.js';

/** Sign options with every default filled in. */
export interface ResolvedSignOptions {
  readonly mode: SignMode;
  readonly offset: number;
  readonly tol: number;
}

/** Validate sign options and fill the defaults (offset 10 in `reference` mode, 0 in `descending` mode). */
export function resolveSignOptions(
  options: SignOptions = {},
  where = 'encodings.canonizeSign',
): ResolvedSignOptions {
  const mode = options.mode ?? 'reference';
  checkOption(
    mode === 'reference' || mode === 'descending',
    where,
    "mode must be 'reference' or 'descending'",
    mode,
  );
  const offset = options.offset ?? (mode === 'reference' ? REFERENCE_OFFSET : 0);
  const tol = options.tol ?? DEFAULT_SIGN_TOL;
  checkOption(Number.isFinite(offset), where, 'offset must be a finite number', offset);
  checkOption(Number.isFinite(tol) && tol > 0 && tol < 1, where, 'tol must be in (0, 1)', tol);
  return { mode, offset, tol };
}

const byMagnitude = (a: number, b: number): number => Math.abs(a) - Math.abs(b);

/**
 * Sign that canonizes column `col` of the row-major n×stride block `src`: +1 or −1, or 0 when the column
 * is sign-non-canonizable. A zero column gets +1 (it is trivially invariant). `scratch` (length ≥ n) is
 * overwritten. Throws `E_NAN` on a non-finite entry.
 */
export function columnSign(
  src: Float64Array,
  n: number,
  stride: number,
  col: number,
  opts: ResolvedSignOptions,
  scratch: Float64Array,
): -1 | 0 | 1 {
  let sumSq = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const x = src[i * stride + col];
    if (x - x !== 0) {
      throw new GraphpeError('E_NAN', `encodings.canonizeSign: entry ${i} of column ${col} is ${x}`, {
        row: i,
        col,
        value: x,
      });
    }
    scratch[i] = x;
    sumSq += x * x;
    total += x;
  }
  if (sumSq === 0) return 1;
  const eps = opts.tol * Math.sqrt(sumSq);
  const w = scratch.subarray(0, n).sort(byMagnitude);
  const base = opts.offset * total;
  if (opts.mode === 'reference') {
    let p = 0;
    while (p < n) {
      let s = w[p];
      let q = p + 1;
      while (q < n && Math.abs(w[q]) - Math.abs(w[q - 1]) <= eps) s += w[q++];
      const t = s + base;
      if (Math.abs(t) > eps) return t > 0 ? 1 : -1;
      p = q;
    }
  } else {
    let p = n - 1;
    while (p >= 0) {
      let s = w[p];
      let q = p - 1;
      while (q >= 0 && Math.abs(w[q + 1]) - Math.abs(w[q]) <= eps) s += w[q--];
      const t = s + base;
      if (Math.abs(t) > eps) return t > 0 ? 1 : -1;
      p = q;
    }
  }
  return 0;
}

/** Result of {@link canonizeSign}. */
export interface SignResult {
  /** sign·u (a copy; u itself when non-canonizable). */
  readonly vector: Float64Array;
  /** The sign applied (+1 when non-canonizable). */
  readonly sign: 1 | -1;
  readonly status: 'canonized' | 'sign_noncanonizable';
}

/**
 * Sign-canonize one eigenvector u of a simple eigenvalue (see the module header): the output is the same
 * for u and −u, and canon(Pu) = P·canon(u) for every permutation P. When {u_i} = {−u_i} no such rule
 * exists; u is then returned unchanged with status `sign_noncanonizable`.
 *
 * @example canonizeSign([4, 5, -6]).vector // (4, 5, −6); with { mode: 'descending' }: (−4, −5, 6)
 */
export function canonizeSign(u: ArrayLike<number>, options: SignOptions = {}): SignResult {
  const opts = resolveSignOptions(options);
  const n = u.length;
  const vector = Float64Array.from(u);
  const s = columnSign(vector, n, 1, 0, opts, new Float64Array(n));
  if (s === 0) return { vector, sign: 1, status: 'sign_noncanonizable' };
  if (s < 0) for (let i = 0; i < n; i++) vector[i] = -vector[i];
  return { vector, sign: s, status: 'canonized' };
}

/**
 * True when |Σ_i u_i| ≤ tol·‖u‖₁: the eigenvector sums to zero, so a rule based on ⟨u, 1⟩ alone cannot
 * fix its sign (the "sum to 0" statistic of Hordan et al.).
 */
export function sumsToZero(src: Float64Array, n: number, stride: number, col: number, tol: number): boolean {
  let s = 0;
  let a = 0;
  for (let i = 0; i < n; i++) {
    const x = src[i * stride + col];
    s += x;
    a += Math.abs(x);
  }
  return Math.abs(s) <= tol * a;
}
