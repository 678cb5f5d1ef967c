/**
 * Graphon spectra: eigenpairs of the integral operator T_W f(x) = ∫W(x,y)f(y)dy or of the graphon
 * Laplacian 𝓛 = I − T_{W̄}, W̄ = W/√(d(x)d(y)), d(x) = ∫W(x,y)dy (Le, Ruiz & Jegelka 2024, §2),
 * by the Nyström method on the midpoint grid (Nyström 1930) or, for step graphons, by the exact
 * reduction to the K×K matrix √μ P √μ. T_W is compact, so 0 (1 for 𝓛) is its essential spectrum, an
 * eigenvalue of infinite multiplicity; a step graphon with K blocks has at most K other eigenvalues.
 */
import { checkOption } from '@graphpe/spectral';
import { symEig } from '../linalg/eig.js';
import type { Graphon } from './types.js';

/** Options of {@link graphonSpectrum}; defaults in brackets. */
export interface GraphonSpectrumOptions {
  /** Eigenvalues returned, always exactly k [8]; at most N for the Nyström method. */
  k?: number;
  /** Nyström grid size N (midpoints (i+½)/N) [400]. */
  N?: number;
  /** `adjacency` (T_W, largest first) or `laplacian` (𝓛, smallest first) ['laplacian']. */
  operator?: 'adjacency' | 'laplacian';
}

/** Eigenpairs of a graphon operator. */
export interface GraphonSpectrum {
  /** The k eigenvalues, with multiplicity: descending for `adjacency`, ascending for `laplacian`. */
  readonly values: Float64Array;
  /**
   * Per column: 1 for an eigenpair of the discretization (eigenfunction in `functions`), 0 for a column
   * of the essential spectrum (value exactly `essential`; its eigenspace is infinite-dimensional and
   * has no sample, so the column of `functions` is 0). Only step graphons have 0s, after their
   * discrete eigenvalues, when k exceeds the number of those.
   */
  readonly mask: Uint8Array;
  /** Eigenfunctions sampled at `points`, L²[0,1]-normalized, row-major points.length × values.length. */
  readonly functions: Float64Array;
  /** Sample points: the Nyström grid, or one point per block (its midpoint) for step graphons. */
  readonly points: Float64Array;
  /** `blocks` (exact) or `nystrom` (midpoint rule: O(N⁻²) for smooth W, O(N⁻¹) at kinks/jumps). */
  readonly method: 'blocks' | 'nystrom';
  /** Essential spectrum: 0 for T_W, 1 for 𝓛; step graphons have only K other eigenvalues. */
  readonly essential: number;
}

const WHERE = 'graphon.graphonSpectrum';

/**
 * The k largest eigenpairs of T_W (`adjacency`) or the k smallest of the graphon Laplacian 𝓛, always
 * k of them. Step graphons (exact K×K reduction): the discrete eigenvalues on the right side of the
 * essential value (> 0 for T_W, < 1 for 𝓛; values within 64·ε·max|λ| of it count as it), then the
 * essential value itself, exactly, repeated with `mask` 0. Eigenvalues of T_W below 0 (of 𝓛 above 1)
 * lie past the infinitely many essential ones in this order and are never among the k. Nyström: the
 * k extreme eigenpairs of the N×N discretization (mask all 1; k > N throws `E_OPTION`).
 */
export function graphonSpectrum(W: Graphon, options: GraphonSpectrumOptions = {}): GraphonSpectrum {
  const k = options.k ?? 8;
  const N = options.N ?? 400;
  const operator = options.operator ?? 'laplacian';
  checkOption(Number.isInteger(k) && k >= 1, WHERE, 'k must be an integer ≥ 1', k);
  checkOption(Number.isInteger(N) && N >= 2 && N <= 5000, WHERE, 'N must be an integer in [2, 5000]', N);
  checkOption(
    operator === 'adjacency' || operator === 'laplacian',
    WHERE,
    "operator must be 'adjacency' or 'laplacian'",
    operator,
  );
  let m: number;
  let mu: Float64Array;
  let points: Float64Array;
  let Wm: Float64Array;
  if (W.blocks) {
    const { bounds, probs } = W.blocks;
    m = bounds.length - 1;
    mu = new Float64Array(m);
    points = new Float64Array(m);
    for (let a = 0; a < m; a++) {
      mu[a] = bounds[a + 1] - bounds[a];
      points[a] = (bounds[a] + bounds[a + 1]) / 2;
    }
    Wm = probs.slice();
  } else {
    checkOption(
      k <= N,
      WHERE,
      `k must be ≤ N = ${N}: the Nyström grid has N eigenpairs; raise N or lower k`,
      k,
    );
    m = N;
    mu = new Float64Array(N).fill(1 / N);
    points = new Float64Array(N);
    for (let i = 0; i < N; i++) points[i] = (i + 0.5) / N;
    Wm = new Float64Array(N * N);
    for (let i = 0; i < N; i++) {
      for (let j = i; j < N; j++) {
        const v = W.value(points[i], points[j]);
        checkOption(Number.isFinite(v), WHERE, `W(${points[i]}, ${points[j]}) is not finite`, v);
        Wm[i * N + j] = v;
        Wm[j * N + i] = v;
      }
    }
  }
  // Symmetrized discretization: B = diag(s) Wm diag(s) with s = √μ (adjacency) or √μ/√d (Laplacian).
  const s = new Float64Array(m);
  for (let a = 0; a < m; a++) {
    if (operator === 'adjacency') {
      s[a] = Math.sqrt(mu[a]);
    } else {
      let d = 0;
      for (let b = 0; b < m; b++) d += Wm[a * m + b] * mu[b];
      s[a] = d > 0 ? Math.sqrt(mu[a] / d) : 0;
    }
  }
  const B = new Float64Array(m * m);
  for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) B[a * m + b] = s[a] * Wm[a * m + b] * s[b];
  const { values: ev, vectors } = symEig(B, m);
  const essential = operator === 'adjacency' ? 0 : 1;
  // Eigenvalues of B taken, largest first (T_W's top, or 𝓛 = 1 − ev's bottom): all N for Nyström
  // (k ≤ N); for step graphons only those above the essential 0 of T_{W} / T_{W̄}, then the essential
  // value, exactly, for the remaining columns.
  let discrete = k;
  if (W.blocks) {
    let top = 0;
    for (let a = 0; a < m; a++) top = Math.max(top, Math.abs(ev[a]));
    const tol = 64 * Number.EPSILON * top;
    discrete = 0;
    while (discrete < Math.min(k, m) && ev[m - 1 - discrete] > tol) discrete++;
  }
  const values = new Float64Array(k).fill(essential);
  const mask = new Uint8Array(k);
  const functions = new Float64Array(m * k);
  for (let c = 0; c < discrete; c++) {
    const col = m - 1 - c;
    values[c] = operator === 'adjacency' ? ev[col] : 1 - ev[col];
    mask[c] = 1;
    // v ↦ f with ∫f² = Σ μ_a f_a² = 1: f_a = v_a / √μ_a.
    for (let a = 0; a < m; a++) functions[a * k + c] = vectors[a * m + col] / Math.sqrt(mu[a]);
  }
  return {
    values,
    mask,
    functions,
    points,
    method: W.blocks ? 'blocks' : 'nystrom',
    essential,
  };
}
