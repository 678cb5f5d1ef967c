/**
 * Graphon spectra: eigenpairs of the integral operator T_W f(x) = ∫W(x,y)f(y)dy or of the graphon
 * Laplacian 𝓛 = I − T_{W̄}, W̄ = W/√(d(x)d(y)), d(x) = ∫W(x,y)dy (Le, Ruiz & Jegelka 2024, §2),
 * by the Nyström method on the midpoint grid (Nyström 1930) or, for step graphons, by the exact
 * reduction to the K×K matrix √μ P √μ.
 */
import { checkOption } from '@graphpe/spectral';
import { symEig } from '../linalg/eig.js';
import type { Graphon } from './types.js';

/** Options of {@link graphonSpectrum}; defaults in brackets. */
export interface GraphonSpectrumOptions {
  /** Eigenpairs returned [8]. */
  k?: number;
  /** Nyström grid size N (midpoints (i+½)/N) [400]. */
  N?: number;
  /** `adjacency` (T_W, largest first) or `laplacian` (𝓛, smallest first) ['laplacian']. */
  operator?: 'adjacency' | 'laplacian';
}

/** Eigenpairs of a graphon operator. */
export interface GraphonSpectrum {
  /** Eigenvalues: descending for `adjacency`, ascending for `laplacian`. */
  readonly values: Float64Array;
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

/** Eigenpairs of T_W or of the graphon Laplacian (see the module header). */
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
  const kk = Math.min(k, m);
  const values = new Float64Array(kk);
  const functions = new Float64Array(m * kk);
  // Largest eigenvalues of B first: T_W's top, or 𝓛 = 1 − μ's bottom.
  for (let c = 0; c < kk; c++) {
    const col = m - 1 - c;
    values[c] = operator === 'adjacency' ? ev[col] : 1 - ev[col];
    // v ↦ f with ∫f² = Σ μ_a f_a² = 1: f_a = v_a / √μ_a.
    for (let a = 0; a < m; a++) functions[a * kk + c] = vectors[a * m + col] / Math.sqrt(mu[a]);
  }
  return {
    values,
    functions,
    points,
    method: W.blocks ? 'blocks' : 'nystrom',
    essential: operator === 'adjacency' ? 0 : 1,
  };
}
