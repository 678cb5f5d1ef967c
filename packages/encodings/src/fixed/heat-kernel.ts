/**
 * HKdiagSE: heat-kernel diagonal structural encoding, H_t(i) = Σ_j e^{−tλ_j} φ_j(i)² over the
 * combinatorial Laplacian L = D − A with eigenvalues < 1e-8 dropped, as GraphGPS
 * `get_heat_kernels_diag` (graphgps/transform/posenc_stats.py, Rampášek et al. NeurIPS 2022);
 * the heat kernel signature of Sun, Ovsjanikov & Guibas (SGP 2009).
 */
import { checkOption, type Graph, GraphpeError, type Spectrum, spectralDiagonals } from '@graphpe/spectral';
import { newF64 } from './arena.js';
import { PeContext } from './context.js';
import { castDtype, checkCommon, checkKeys, type PeDtype, type PeOutput, type PeTransform } from './types.js';

/** Options of {@link heatKernelDiag}; defaults in brackets. */
export interface HeatKernelOptions {
  /** Diffusion times t (GraphGPS `kernel.times`; its configs use range(1, 21)) [1, 2, …, 20]. */
  times?: readonly number[];
  /** Largest graph accepted: the full spectrum is needed (a dense n×n solve) [2000]. */
  maxNodes?: number;
  /** Output name ['hk']. */
  name?: string;
  /** Output element type ['float64']. */
  dtype?: PeDtype;
}

const WHERE = 'encodings.heatKernelDiag';
const KEYS = ['times', 'maxNodes', 'name', 'dtype'] as const;
/** GraphGPS drops eigenvalues below this absolute threshold (the zero modes, one per component). */
export const HEAT_KERNEL_ZERO_TOL = 1e-8;

/**
 * HKdiagSE transform: `<name>` `[n, times.length]`, column t = diag(Σ_{λ_j ≥ 1e-8} e^{−t λ_j} φ_j φ_jᵀ)
 * of L = D − A (self-loops ignored, as for the Laplacian). Isolated nodes get zeros. Uses the full
 * combinatorial spectrum from the context (shared with `lapPE({ laplacian: 'comb' })`); n > maxNodes
 * throws `E_TOO_LARGE`.
 */
export function heatKernelDiag(options: HeatKernelOptions = {}): PeTransform {
  checkKeys(WHERE, options, KEYS);
  const times = Float64Array.from(options.times ?? Array.from({ length: 20 }, (_, i) => i + 1));
  const maxNodes = options.maxNodes ?? 2000;
  const name = options.name ?? 'hk';
  const dtype = options.dtype ?? 'float64';
  checkOption(
    Array.isArray(options.times ?? []) && times.length >= 1,
    WHERE,
    'times must be a non-empty array',
    options.times,
  );
  times.forEach((t, i) => {
    checkOption(Number.isFinite(t) && t >= 0, WHERE, `times[${i}] must be a finite number ≥ 0`, t);
  });
  checkOption(
    Number.isInteger(maxNodes) && maxNodes >= 1,
    WHERE,
    'maxNodes must be an integer ≥ 1',
    maxNodes,
  );
  checkCommon(WHERE, name, dtype);
  return (g: Graph, ctx?: PeContext): PeOutput => {
    const c = ctx ?? new PeContext(g);
    c.check(g, WHERE);
    if (g.n > maxNodes) {
      throw new GraphpeError(
        'E_TOO_LARGE',
        `${WHERE}: n = ${g.n} > maxNodes = ${maxNodes}; the heat-kernel diagonal needs the full spectrum`,
        { n: g.n, maxNodes },
      );
    }
    const data = heatKernelDiagFromSpectrum(c.spectrum('comb', g.n), times);
    return { [name]: { data: castDtype(data, dtype), shape: [g.n, times.length] } };
  };
}

/**
 * Heat-kernel diagonal n×T (row-major) from a full, unpadded spectrum (columns must be orthonormal,
 * so `sym` or `comb`, not `rw`); eigenvalues < 1e-8 (and padding columns) are skipped.
 */
export function heatKernelDiagFromSpectrum(s: Spectrum, times: ArrayLike<number>): Float64Array {
  const { n, k, values, vectors, mask } = s;
  checkOption(
    s.laplacian !== 'rw',
    WHERE,
    "the 'rw' Laplacian's eigenvectors are not orthonormal",
    s.laplacian,
  );
  const T = times.length;
  // The columns kept (real, λ ≥ tol) and coef[t·c + a] = exp(−t λ_j) for them.
  const cols = new Int32Array(k);
  let c = 0;
  for (let j = 0; j < k; j++) if (mask[j] && values[j] >= HEAT_KERNEL_ZERO_TOL) cols[c++] = j;
  const coef = new Float64Array(T * c);
  for (let a = 0; a < c; a++) {
    const lam = values[cols[a]];
    for (let t = 0; t < T; t++) coef[t * c + a] = Math.exp(-times[t] * lam);
  }
  // out[i·T + t] = Σ_a φ_{cols[a]}(i)² exp(−t λ): spectral's wasm kernel.
  const out = newF64(n * T);
  spectralDiagonals(vectors, n, k, cols, c, coef, T, out);
  return out;
}
