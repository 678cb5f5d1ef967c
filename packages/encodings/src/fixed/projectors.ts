/**
 * Eigenspace projectors P_g = U_g U_gᵀ, one per group of equal eigenvalues: the basis-invariant input
 * of BasisNet (Lim et al., "Sign and Basis Invariant Networks", ICLR 2023) and of SPE's
 * V diag(φ(λ)) Vᵀ (Huang et al., ICLR 2024). P_g does not depend on the basis chosen inside a
 * complete eigenspace; for a group cut by the truncation to k columns (`partial`) it does, and such
 * groups are flagged, dropped or rejected — never presented as invariant.
 */
import { checkOption, type EigenGroup, type Graph, GraphpeError, type Spectrum } from '@graphpe/spectral';
import { PeContext } from './context.js';
import { castDtype, checkCommon, checkKeys, type PeDtype, type PeOutput, type PeTransform } from './types.js';

/** What to do with a `partial` group: keep it with mask 0 (`flag`), leave it out (`drop`), or throw (`error`). */
export type PartialPolicy = 'flag' | 'drop' | 'error';

/** Options of {@link eigenspaceProjectors}; defaults in brackets. */
export interface ProjectorOptions {
  /** Eigenpairs considered, smallest first (`'all'` = n) [16]. */
  k?: number | 'all';
  /** Laplacian with orthonormal eigenvectors: `sym` or `comb` ['sym']. */
  laplacian?: 'sym' | 'comb';
  /** Handling of groups cut by k ['flag']. */
  partial?: PartialPolicy;
  /** Largest G·n·n accepted (`E_TOO_LARGE` past it) [2^26 ≈ 6.7e7 entries, 512 MiB in float64]. */
  maxEntries?: number;
  /** Output name prefix ['proj']. */
  name?: string;
  /** Element type of `<name>` ['float64']. */
  dtype?: PeDtype;
}

/** Projectors of a spectrum's groups, in ascending eigenvalue order. */
export interface Projectors {
  /** Number of groups G. */
  readonly count: number;
  /** G×n×n row-major: block g is U_g U_gᵀ. */
  readonly data: Float64Array;
  /** Group eigenvalue (mean over the group), length G. */
  readonly values: Float64Array;
  /** Columns kept in the group (rank of the projector), length G. */
  readonly dims: Float64Array;
  /** Multiplicity in the computed spectrum before truncation, length G. */
  readonly multiplicities: Float64Array;
  /** 1 = complete eigenspace (basis-invariant projector), 0 = partial (basis-dependent), length G. */
  readonly complete: Uint8Array;
  /** The groups, as reported by the spectrum. */
  readonly groups: readonly EigenGroup[];
}

const WHERE = 'encodings.eigenspaceProjectors';
const KEYS = ['k', 'laplacian', 'partial', 'maxEntries', 'name', 'dtype'] as const;

/**
 * Projector transform. Outputs, all with mask `[G]` (1 = complete group, 0 = partial):
 * `<name>` `[G, n, n]` (block g = U_g U_gᵀ), `<name>_val` `[G]` eigenvalues, `<name>_dim` `[G]` kept
 * columns, `<name>_mult` `[G]` multiplicities. G varies per graph (groups among the first min(k, n) pairs).
 */
export function eigenspaceProjectors(options: ProjectorOptions = {}): PeTransform {
  checkKeys(WHERE, options, KEYS);
  const k = options.k ?? 16;
  const laplacian = options.laplacian ?? 'sym';
  const partial = options.partial ?? 'flag';
  const maxEntries = options.maxEntries ?? 2 ** 26;
  const name = options.name ?? 'proj';
  const dtype = options.dtype ?? 'float64';
  checkOption(k === 'all' || (Number.isInteger(k) && k >= 1), WHERE, "k must be an integer ≥ 1 or 'all'", k);
  checkOption(
    laplacian === 'sym' || laplacian === 'comb',
    WHERE,
    "laplacian must be 'sym' or 'comb' (the 'rw' eigenvectors are not orthonormal)",
    laplacian,
  );
  checkOption(
    ['flag', 'drop', 'error'].includes(partial),
    WHERE,
    "partial must be 'flag', 'drop' or 'error'",
    partial,
  );
  checkOption(
    typeof maxEntries === 'number' && maxEntries > 0,
    WHERE,
    'maxEntries must be a number > 0',
    maxEntries,
  );
  checkCommon(WHERE, name, dtype);
  return (g: Graph, ctx?: PeContext): PeOutput => {
    const c = ctx ?? new PeContext(g);
    c.check(g, WHERE);
    const s = c.spectrum(laplacian, k === 'all' ? g.n : k);
    const p = projectorsFromSpectrum(s, { partial, maxEntries });
    const G = p.count;
    const mask = p.complete;
    return {
      [name]: { data: castDtype(p.data, dtype), shape: [G, g.n, g.n], mask },
      [`${name}_val`]: { data: p.values, shape: [G], mask },
      [`${name}_dim`]: { data: p.dims, shape: [G], mask },
      [`${name}_mult`]: { data: p.multiplicities, shape: [G], mask },
    };
  };
}

/**
 * Projectors U_g U_gᵀ for the groups of a spectrum (any padding; columns must be orthonormal, so
 * not `rw`). Cost O(Σ_g n²·d_g).
 */
export function projectorsFromSpectrum(
  s: Spectrum,
  options: { partial?: PartialPolicy; maxEntries?: number } = {},
): Projectors {
  const partial = options.partial ?? 'flag';
  const maxEntries = options.maxEntries ?? 2 ** 26;
  checkOption(
    s.laplacian !== 'rw',
    WHERE,
    "the 'rw' Laplacian's eigenvectors are not orthonormal",
    s.laplacian,
  );
  const { n, k, vectors } = s;
  const groups: EigenGroup[] = [];
  for (const grp of s.groups) {
    if (grp.status === 'partial') {
      if (partial === 'error') {
        throw new GraphpeError(
          'E_OPTION',
          `${WHERE}: the eigenspace of λ = ${grp.value} (columns ${grp.start}..${grp.start + grp.size - 1}) ` +
            `is cut by k (${grp.size} of ${grp.multiplicity}${grp.multiplicityIsLowerBound ? '+' : ''} vectors); its projector is basis-dependent`,
          { group: grp },
        );
      }
      if (partial === 'drop') continue;
    }
    groups.push(grp);
  }
  const G = groups.length;
  if (G * n * n > maxEntries) {
    throw new GraphpeError(
      'E_TOO_LARGE',
      `${WHERE}: ${G} projectors of size ${n}×${n} exceed maxEntries = ${maxEntries}`,
      { n, groups: G, maxEntries },
    );
  }
  const nn = n * n;
  const data = new Float64Array(G * nn);
  const values = new Float64Array(G);
  const dims = new Float64Array(G);
  const multiplicities = new Float64Array(G);
  const complete = new Uint8Array(G);
  for (let q = 0; q < G; q++) {
    const { start, size, value, multiplicity, status } = groups[q];
    values[q] = value;
    dims[q] = size;
    multiplicities[q] = multiplicity;
    complete[q] = status === 'complete' ? 1 : 0;
    const base = q * nn;
    const end = start + size;
    for (let a = 0; a < n; a++) {
      const ra = a * k;
      for (let b = a; b < n; b++) {
        const rb = b * k;
        let acc = 0;
        for (let j = start; j < end; j++) acc += vectors[ra + j] * vectors[rb + j];
        data[base + a * n + b] = acc;
        data[base + b * n + a] = acc;
      }
    }
  }
  return { count: G, data, values, dims, multiplicities, complete, groups };
}
