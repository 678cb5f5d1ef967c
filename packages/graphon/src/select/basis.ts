/**
 * The bandlimited basis U_K of PW_λ(G) (Pesenson 2008; Le, Ruiz & Jegelka 2024, §2): the K smallest
 * eigenvectors of L = I − D^{-1/2}AD^{-1/2}, K given or K = #{λ_i ≤ λ}. Dense (`spectrum`, n ≤ 300)
 * or sparse (`laplacianEigsh`: component by component, LOBPCG with exact null-space deflation,
 * AMG-preconditioned) from @graphpe/spectral; one guard pair tells whether K cuts an eigenspace.
 */
import {
  checkOption,
  eigenGroups,
  type Graph,
  GraphpeError,
  laplacianEigsh,
  type Spectrum,
  spectrum,
} from '@graphpe/spectral';
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
  /** `auto` (dense when n ≤ 300: the dense path computes all n pairs), `dense` or `sparse` ['auto']. */
  solver?: 'auto' | 'dense' | 'sparse';
  /** AMG preconditioning of the sparse solver [mean degree ≤ 64: AMG setup cost grows with the degree]. */
  precondition?: boolean;
}

const WHERE = 'graphon.bandlimitedBasis';

interface Pairs {
  values: Float64Array;
  /** n × c row-major. */
  vectors: Float64Array;
  c: number;
}

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
  const solver = options.solver ?? 'auto';
  checkOption(
    ['auto', 'dense', 'sparse'].includes(solver),
    WHERE,
    "solver must be 'auto', 'dense' or 'sparse'",
    solver,
  );
  const dense = solver === 'dense' || (solver === 'auto' && g.n <= 300);
  const precondition = options.precondition ?? g.indices.length <= 64 * g.n;
  let full: Spectrum | null = null;
  /** The smallest m pairs plus one guard pair (all n pairs when dense). */
  const solve = (m: number): Pairs => {
    if (dense) {
      full ??= spectrum(g, { k: g.n, laplacian: 'sym', solver: 'dense' });
      return { values: full.values, vectors: full.vectors, c: g.n };
    }
    const c = Math.min(g.n, m + 1);
    const r = laplacianEigsh(g, { k: c, laplacian: 'sym', seed, tol: options.tol, precondition });
    return { values: r.values, vectors: r.vectors, c };
  };
  if (k !== undefined) {
    checkInt(k, WHERE, 'k', 1, g.n);
    return take(g.n, solve(k), k);
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
    const pairs = solve(m);
    let K = 0;
    while (K < pairs.c && pairs.values[K] <= cut) K++;
    if (K < pairs.c || pairs.c === g.n) {
      if (K === 0) {
        throw new GraphpeError(
          'E_OPTION',
          `${WHERE}: no eigenvalue ≤ lambda = ${lambda} (smallest ${pairs.values[0]})`,
          {
            value: lambda,
          },
        );
      }
      return { ...take(g.n, pairs, K), lambda: lambda! };
    }
    m = Math.min(g.n, 2 * m);
  }
}

/**
 * First K of c computed pairs as a basis; partial when K cuts the eigenspace of pair K−1, by spectrum()'s
 * own grouping (eigenGroups: exact zeros are the null space; a group touching the end of an incomplete
 * list may continue past it).
 */
function take(n: number, p: Pairs, K: number): BandlimitedBasis {
  const vectors = new Float64Array(n * K);
  for (let i = 0; i < n; i++) for (let j = 0; j < K; j++) vectors[i * K + j] = p.vectors[i * p.c + j];
  const groups = eigenGroups(p.values.subarray(0, p.c), K, { exactZeros: true, complete: p.c === n });
  const partial = groups[groups.length - 1].status === 'partial';
  return { n, K, values: p.values.slice(0, K), vectors, lambda: p.values[K - 1], partial };
}

/** The first K columns of a computed {@link Spectrum} as a basis (K defaults to all real columns). */
export function basisFromSpectrum(s: Spectrum, K?: number): BandlimitedBasis {
  let real = 0;
  while (real < s.k && s.mask[real]) real++;
  const k = K ?? real;
  checkInt(k, 'graphon.basisFromSpectrum', 'K', 1, real);
  const vectors = new Float64Array(s.n * k);
  for (let i = 0; i < s.n; i++) for (let j = 0; j < k; j++) vectors[i * k + j] = s.vectors[i * s.k + j];
  // Partial when the eigenvalue group holding column k−1 continues past it.
  let partial = false;
  for (const grp of s.groups) {
    if (grp.start <= k - 1 && k - 1 < grp.start + grp.size) partial = grp.start + grp.multiplicity > k;
  }
  return { n: s.n, K: k, values: s.values.slice(0, k), vectors, lambda: s.values[k - 1], partial };
}
