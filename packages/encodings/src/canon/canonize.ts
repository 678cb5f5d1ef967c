/**
 * Canonization of a whole {@link Spectrum}: the sign rule on every simple eigenvector, a basis rule (OAP by
 * default, or MAP) on every complete eigenspace of dimension ≥ 2, and a status for every column and
 * eigenspace — never a silent fallback.
 *
 * References: Ma et al. 2023, "Laplacian Canonization" (MAP), arXiv 2310.18716; Ma et al. 2024, "A
 * Canonicalization Perspective on Invariant and Equivariant Learning" (OAP), arXiv 2405.18378.
 *
 * Mapping to the reference pipelines (docs/canonization.md, "Relation to the reference pipelines"): they take
 * the top-k eigenvectors of Â = D^{-1/2}AD^{-1/2} (or Â + I) after dropping the trivial one; Â shares its
 * eigenvectors with the `sym` Laplacian (λ_Â = 1 − λ_L), so `spectrum(g, { k: k + 1 })` minus column 0 holds
 * the same columns in the same order reversed. Differences, all deliberate: eigenspaces come from
 * `spectrum.groups`, grouped on the whole spectrum before truncation (the reference groups only the last-k
 * window, so a cut eigenspace can be "sign-canonized" as if simple; here it is `partial`); grouping uses
 * relative tolerances instead of rounding; MAP's √relu(λ_Â) column scaling is opt-in
 * (`eigenvalueScaling: 'map'`).
 */
import { checkOption, GraphpeError, type Spectrum } from '@graphpe/spectral';
import { mapBasis } from './basis-map.js';
import { oapBasis } from './basis-oap.js';
import { type EigenvalueScaling, scaleByEigenvalues } from './scale.js';
import { columnSign, resolveSignOptions } from './sign.js';
import type { BasisMethod, CanonReason, CanonStatus, SignMode } from './types.js';

/** Options of {@link canonize}; defaults in brackets. */
export interface CanonizeOptions {
  /** Sign rule class order [reference]. */
  mode?: SignMode;
  /** Sign rule offset c in x = 1_G + c·1 [10 for `reference`, 0 for `descending`]. */
  offset?: number;
  /** Sign rule relative tolerance [1e-6]. */
  tol?: number;
  /** Basis rule for eigenspaces of dimension ≥ 2 [oap]. */
  basis?: BasisMethod;
  /** Basis rule key-class tolerance [1e-6]. */
  keyTol?: number;
  /** Basis rule zero/rank tolerance, relative to ‖x‖ [1e-8]. */
  basisTol?: number;
  /** Column scaling applied after canonization (MAP reference: `map`) [none]. */
  eigenvalueScaling?: EigenvalueScaling;
}

/** Canonization outcome for one eigenspace (one entry of `spectrum.groups`). */
export interface CanonGroup {
  readonly start: number;
  readonly size: number;
  readonly multiplicity: number;
  readonly value: number;
  readonly status: Exclude<CanonStatus, 'padding'>;
  /** Why it was not canonized (absent when canonized). */
  readonly reason?: CanonReason;
}

/** Result of {@link canonize}. */
export interface CanonizeResult {
  readonly n: number;
  readonly k: number;
  /** n×k row-major, the spectrum's layout: canonized columns, other columns as given (then scaled). */
  readonly vectors: Float64Array;
  /** Status of each column. */
  readonly status: CanonStatus[];
  /** Reason per column, `null` for canonized and padding columns. */
  readonly reasons: (CanonReason | null)[];
  /** One entry per `spectrum.groups` entry. */
  readonly groups: CanonGroup[];
  /** Columns with status `sign_noncanonizable` (what a sign frame averages over). */
  readonly signNoncanonizable: Int32Array;
  /** Columns with status `basis_noncanonizable` or `partial` (no finite sign frame makes them invariant). */
  readonly unresolved: Int32Array;
  /** Number of columns per status. */
  readonly counts: Readonly<Record<CanonStatus, number>>;
}

/**
 * Canonize the eigenvectors of a spectrum (any Laplacian for signs; orthonormal `sym`/`comb` vectors for
 * bases). Simple eigenvectors are sign-canonized; complete eigenspaces of dimension ≥ 2 are
 * basis-canonized; cut eigenspaces are `partial`; failures keep the input columns and say so.
 * The output is invariant to the signs/bases the solver picked and equivariant to node relabeling, on the
 * columns with status `canonized`.
 */
export function canonize(s: Spectrum, options: CanonizeOptions = {}): CanonizeResult {
  const where = 'encodings.canonize';
  const sign = resolveSignOptions({ mode: options.mode, offset: options.offset, tol: options.tol }, where);
  const basis = options.basis ?? 'oap';
  checkOption(
    basis === 'oap' || basis === 'oap-diag' || basis === 'map' || basis === 'none',
    where,
    "basis must be 'oap', 'oap-diag', 'map' or 'none'",
    basis,
  );
  const basisOpts = { keyTol: options.keyTol, tol: options.basisTol };
  const { n, k, mask } = s;
  const vectors = s.vectors.slice();
  const status: CanonStatus[] = new Array(k).fill('padding');
  const reasons: (CanonReason | null)[] = new Array(k).fill(null);
  const groups: CanonGroup[] = [];
  const scratch = new Float64Array(n);
  const needsBasis = s.groups.some((g) => g.status === 'complete' && g.size > 1);
  checkOption(
    !(needsBasis && basis !== 'none' && s.laplacian === 'rw'),
    where,
    "basis canonization needs orthonormal eigenvectors; rw ones are not (canonize the 'sym' spectrum, then map with D^{-1/2}, or pass basis: 'none')",
    s.laplacian,
  );
  for (const g of s.groups) {
    let st: CanonGroup['status'];
    let reason: CanonReason | undefined;
    if (g.status === 'partial') {
      st = 'partial';
      reason = g.size < g.multiplicity ? 'cut-by-k' : 'multiplicity-unknown';
    } else if (g.size === 1) {
      const sg = columnSign(vectors, n, k, g.start, sign, scratch);
      if (sg === 0) {
        st = 'sign_noncanonizable';
        reason = 'symmetric-magnitudes';
      } else {
        st = 'canonized';
        if (sg < 0) for (let i = 0; i < n; i++) vectors[i * k + g.start] = -vectors[i * k + g.start];
      }
    } else if (basis === 'none') {
      st = 'basis_noncanonizable';
      reason = 'basis-disabled';
    } else {
      const d = g.size;
      const U = new Float64Array(n * d);
      for (let i = 0; i < n; i++) for (let a = 0; a < d; a++) U[i * d + a] = vectors[i * k + g.start + a];
      const r =
        basis === 'map'
          ? mapBasis(U, n, d, basisOpts)
          : oapBasis(U, n, d, { ...basisOpts, key: basis === 'oap' ? 'oap' : 'diag' });
      st = r.status;
      reason = r.reason;
      if (r.status === 'canonized') {
        for (let i = 0; i < n; i++)
          for (let a = 0; a < d; a++) vectors[i * k + g.start + a] = r.basis[i * d + a];
      }
    }
    for (let j = g.start; j < g.start + g.size; j++) {
      status[j] = st;
      reasons[j] = reason ?? null;
    }
    groups.push({
      start: g.start,
      size: g.size,
      multiplicity: g.multiplicity,
      value: g.value,
      status: st,
      ...(reason ? { reason } : {}),
    });
  }
  for (let j = 0; j < k; j++) {
    if (mask[j] && status[j] === 'padding') {
      throw new GraphpeError(
        'E_SHAPE',
        `${where}: column ${j} is in no eigenspace group (inconsistent Spectrum)`,
        {
          column: j,
        },
      );
    }
  }
  scaleByEigenvalues(vectors, n, k, s.values, mask, options.eigenvalueScaling ?? 'none', s.laplacian, where);
  const counts: Record<CanonStatus, number> = {
    canonized: 0,
    sign_noncanonizable: 0,
    basis_noncanonizable: 0,
    partial: 0,
    padding: 0,
  };
  const flagged: number[] = [];
  const unresolved: number[] = [];
  for (let j = 0; j < k; j++) {
    counts[status[j]]++;
    if (status[j] === 'sign_noncanonizable') flagged.push(j);
    else if (status[j] === 'basis_noncanonizable' || status[j] === 'partial') unresolved.push(j);
  }
  return {
    n,
    k,
    vectors,
    status,
    reasons,
    groups,
    signNoncanonizable: Int32Array.from(flagged),
    unresolved: Int32Array.from(unresolved),
    counts,
  };
}
