/**
 * The bandlimited basis U_K of PW_λ(G) (Pesenson 2008; Le, Ruiz & Jegelka 2024, §2): the K smallest
 * eigenvectors of L = I − D^{-1/2}AD^{-1/2}, K given or K = #{λ_i ≤ λ}. Uses @graphpe/spectral's
 * `spectrum` (dense up to n = 2000, AMG-LOBPCG with exact null-space deflation above).
 */
import { checkOption, type Graph, GraphpeError, type Spectrum, spectrum } from '@graphpe/spectral';
import { checkGraph, checkInt, checkSeed } from '../util/check.js';
import type { BandlimitedBasis } from './types.js';

/** Options of {@link bandlimitedBasis}: exactly one of `k` and `lambda`. */
export interface BasisOptions {
  /** Number of eigenvectors K. */
  k?: number;
  /** Bandwidth λ ∈ [0, 2]: K = #{λ_i ≤ λ} (found by doubling the number of computed pairs). */
  lambda?: number;
  /** Sparse solver seed [0]. */
  seed?: number;
  /** Sparse solver residual tolerance [1e-8]. */
  tol?: number;
  /** `auto` (dense when n ≤ 2000), `dense` or `sparse` ['auto']. */
  solver?: 'auto' | 'dense' | 'sparse';
}

const WHERE = 'graphon.bandlimitedBasis';

/** U_K for `k` eigenvectors or for the bandwidth `lambda` (see {@link BasisOptions}). */
export function bandlimitedBasis(g: Graph, options: BasisOptions): BandlimitedBasis {
  checkGraph(g, WHERE);
  const { k, lambda } = options;
  checkOption(
    (k === undefined) !== (lambda === undefined),
    WHERE,
    'give exactly one of k and lambda',
    options,
  );
  const seed = checkSeed(options.seed ?? 0, WHERE);
  const common = {
    laplacian: 'sym' as const,
    pad: 'none' as const,
    seed,
    tol: options.tol,
    solver: options.solver,
  };
  if (k !== undefined) {
    checkInt(k, WHERE, 'k', 1, g.n);
    return basisFromSpectrum(spectrum(g, { ...common, k }), k);
  }
  checkOption(
    typeof lambda === 'number' && Number.isFinite(lambda) && lambda >= 0,
    WHERE,
    'lambda must be finite and ≥ 0',
    lambda,
  );
  const cut = lambda! * (1 + 1e-9) + 1e-12;
  let m = Math.min(g.n, 16);
  for (;;) {
    const s = spectrum(g, { ...common, k: m });
    let K = 0;
    while (K < s.k && s.values[K] <= cut) K++;
    if (K < s.k || m === g.n) {
      if (K === 0) {
        throw new GraphpeError(
          'E_OPTION',
          `${WHERE}: no eigenvalue ≤ lambda = ${lambda} (smallest ${s.values[0]})`,
          {
            value: lambda,
          },
        );
      }
      return { ...basisFromSpectrum(s, K), lambda: lambda! };
    }
    m = Math.min(g.n, 2 * m);
  }
}

/** The first K columns of a computed {@link Spectrum} as a basis (K defaults to all real columns). */
export function basisFromSpectrum(s: Spectrum, K?: number): BandlimitedBasis {
  let real = 0;
  while (real < s.k && s.mask[real]) real++;
  const k = K ?? real;
  checkInt(k, 'graphon.basisFromSpectrum', 'K', 1, real);
  const vectors = new Float64Array(s.n * k);
  for (let i = 0; i < s.n; i++) for (let j = 0; j < k; j++) vectors[i * k + j] = s.vectors[i * s.k + j];
  // Partial when the eigenvalue group holding column K−1 continues past it (or was already partial).
  let partial = false;
  for (const grp of s.groups) {
    if (grp.start <= k - 1 && k - 1 < grp.start + grp.size) {
      partial = grp.start + grp.multiplicity > k || (grp.status === 'partial' && grp.start + grp.size === k);
    }
  }
  return { n: s.n, K: k, values: s.values.slice(0, k), vectors, lambda: s.values[k - 1], partial };
}
