/**
 * Dataset statistics of canonizability, as reported by Ma et al. 2023 (MAP, arXiv 2310.18716: ">90% of
 * all eigenvectors" canonized), Ma et al. 2024 (OAP, arXiv 2405.18378, Table 3: non-canonizable ratios of
 * FA-lap, MAP and OAP on ZINC) and Hordan et al. ("Spectral GNNs are incomplete on graphs with a simple
 * spectrum": 10.93% of simple ZINC eigenvectors uncanonizable, 11.15% summing to 0, 59.3% of graphs with a
 * multiplicity-2 eigenvalue, 26.2% with multiplicity 3; eigenvalue tolerance 1e-4).
 *
 * Definitions (every count is per eigenvector or per eigenspace, never per graph, unlike the reference
 * `count_sign_assumption`, which stops at a graph's first violation while its denominator counts
 * eigenvectors):
 * - spectrum: for a graph, the whole spectrum of the chosen Laplacian (default `sym`; its eigenvectors are
 *   those of the normalized adjacency D^{-1/2}AD^{-1/2} the MAP/OAP code uses, and of Â + I), trivial
 *   eigenvector included (MAP counts all n; `dropTrivial` removes the λ = 0 eigenspace), eigenvalues grouped
 *   by `eigenGroups` with tolerance groupTol (1e-6; Hordan et al. use 1e-4); for a Spectrum, its k columns and groups;
 * - simple eigenvector: eigenspace of multiplicity 1; sign-non-canonizable when {u_i} = {−u_i} (the sign
 *   rule fails); "sums to 0" when |Σu_i| ≤ tol·‖u‖₁;
 * - eigenspace: complete group of dimension ≥ 2; basis-canonizable when the rule (MAP, OAP, OAP with the
 *   P_ii key) succeeds; groups cut by k are counted apart as `partial`;
 * - graphs with a repeated eigenvalue, and `graphsWithMultiplicity[m]`: graphs with an eigenvalue of
 *   multiplicity exactly m;
 * - eigenvectors canonized: (canonized simple eigenvectors + columns of basis-canonizable eigenspaces) over
 *   all counted columns.
 * The MAP scripts skip graphs with n ≤ 5 (`minNodes: 6` reproduces that); the default counts every graph.
 */
import { checkOption, type Graph, type LaplacianKind, type Spectrum, spectrum } from '@graphpe/spectral';
import { mapBasis } from './basis-map.js';
import { oapBasis } from './basis-oap.js';
import { columnSign, resolveSignOptions, sumsToZero } from './sign.js';
import type { SignMode } from './types.js';

/** Options of {@link canonStats}; defaults in brackets. */
export interface CanonStatsOptions {
  /** Laplacian for graph inputs [sym]. */
  laplacian?: LaplacianKind;
  /** Eigenvalue grouping tolerance for graph inputs [1e-6]. */
  groupTol?: number;
  /** Skip graphs with fewer nodes [1]; the MAP counting scripts use 6. */
  minNodes?: number;
  /** Leave out the λ = 0 eigenspace (the trivial eigenvector of a connected graph) [false]. */
  dropTrivial?: boolean;
  /** Sign rule options. */
  mode?: SignMode;
  offset?: number;
  tol?: number;
  /** Basis rule options. */
  keyTol?: number;
  basisTol?: number;
}

/** Counts per basis rule. */
export interface PerBasisRule {
  readonly map: number;
  readonly oap: number;
  readonly oapDiag: number;
}

/** Result of {@link canonStats}; shares are NaN when their denominator is 0. */
export interface CanonStats {
  /** Graphs (or spectra) counted, and skipped by `minNodes`. */
  readonly graphs: number;
  readonly skipped: number;
  /** Eigenvector columns counted. */
  readonly eigenvectors: number;
  /** Simple eigenvectors, the sign-non-canonizable ones, and their share (Hordan et al.: 10.93% on ZINC). */
  readonly simple: number;
  readonly signNoncanonizable: number;
  readonly signNoncanonizableShare: number;
  /** Simple eigenvectors summing to 0, and their share of the simple ones (Hordan et al.: 11.15%). */
  readonly zeroSum: number;
  readonly zeroSumShare: number;
  /** Complete eigenspaces of dimension ≥ 2, their columns, and groups cut by k. */
  readonly eigenspaces: number;
  readonly eigenspaceVectors: number;
  readonly partial: number;
  /** Basis-canonizable eigenspaces per rule, and their share of `eigenspaces`. */
  readonly basisCanonizable: PerBasisRule;
  readonly basisCanonizableShare: PerBasisRule;
  /** Graphs with an eigenvalue of multiplicity ≥ 2, and their share. */
  readonly graphsWithRepeated: number;
  readonly graphsWithRepeatedShare: number;
  /** [m]: graphs with an eigenvalue of multiplicity exactly m (index 0 unused). */
  readonly graphsWithMultiplicity: number[];
  /** [m]: graphsWithMultiplicity[m] / graphs. */
  readonly graphsWithMultiplicityShare: number[];
  /** [m]: graphs whose largest multiplicity is ≥ m (index 0 unused). */
  readonly graphsWithMultiplicityAtLeast: number[];
  /**
   * [m]: graphsWithMultiplicityAtLeast[m] / graphs. Hordan et al. report 59.3% (m = 2) and 26.2% (m = 3);
   * whether they mean "exactly" or "at least", and which matrix, is not stated (docs/canonization.md,
   * "Published figures").
   */
  readonly graphsWithMultiplicityAtLeastShare: number[];
  /** Share of counted columns canonized (sign rule + each basis rule); MAP reports ">90%". */
  readonly eigenvectorsCanonizedShare: PerBasisRule;
}

function isSpectrum(x: Graph | Spectrum): x is Spectrum {
  return (x as Spectrum).vectors !== undefined && (x as Spectrum).groups !== undefined;
}

/** Canonizability statistics of a set of graphs (whole spectra) or spectra; see the module header. */
export function canonStats(items: Iterable<Graph | Spectrum>, options: CanonStatsOptions = {}): CanonStats {
  const where = 'encodings.canonStats';
  const sign = resolveSignOptions({ mode: options.mode, offset: options.offset, tol: options.tol }, where);
  const minNodes = options.minNodes ?? 1;
  checkOption(
    Number.isInteger(minNodes) && minNodes >= 1,
    where,
    'minNodes must be an integer ≥ 1',
    minNodes,
  );
  checkOption(
    options.laplacian !== 'rw',
    where,
    "the basis rules need orthonormal eigenvectors; use laplacian 'sym' (same eigenvalues as rw) or 'comb'",
    options.laplacian,
  );
  const basisOpts = { keyTol: options.keyTol, tol: options.basisTol };
  let graphs = 0;
  let skipped = 0;
  let eigenvectors = 0;
  let simple = 0;
  let flagged = 0;
  let zeroSum = 0;
  let eigenspaces = 0;
  let eigenspaceVectors = 0;
  let partial = 0;
  const canon = { map: 0, oap: 0, oapDiag: 0 };
  const canonVectors = { map: 0, oap: 0, oapDiag: 0 };
  let withRepeated = 0;
  const withMult: number[] = [0];
  const atLeast: number[] = [0];
  for (const item of items) {
    if (item.n < minNodes) {
      skipped++;
      continue;
    }
    const s = isSpectrum(item)
      ? item
      : spectrum(item, {
          k: item.n,
          laplacian: options.laplacian ?? 'sym',
          groupTol: options.groupTol,
          solver: 'dense',
        });
    graphs++;
    const { n, k } = s;
    const scratch = new Float64Array(n);
    const seen = new Set<number>();
    let repeated = false;
    let maxMult = 0;
    s.groups.forEach((g, gi) => {
      if (options.dropTrivial && gi === 0) return;
      eigenvectors += g.size;
      seen.add(g.multiplicity);
      maxMult = Math.max(maxMult, g.multiplicity);
      if (g.multiplicity > 1) repeated = true;
      if (g.status === 'partial') {
        partial++;
        return;
      }
      if (g.size === 1) {
        simple++;
        if (columnSign(s.vectors, n, k, g.start, sign, scratch) === 0) flagged++;
        if (sumsToZero(s.vectors, n, k, g.start, sign.tol)) zeroSum++;
        return;
      }
      const d = g.size;
      eigenspaces++;
      eigenspaceVectors += d;
      const U = new Float64Array(n * d);
      for (let i = 0; i < n; i++) for (let a = 0; a < d; a++) U[i * d + a] = s.vectors[i * k + g.start + a];
      if (mapBasis(U, n, d, basisOpts).status === 'canonized') {
        canon.map++;
        canonVectors.map += d;
      }
      if (oapBasis(U, n, d, { ...basisOpts, key: 'oap' }).status === 'canonized') {
        canon.oap++;
        canonVectors.oap += d;
      }
      if (oapBasis(U, n, d, { ...basisOpts, key: 'diag' }).status === 'canonized') {
        canon.oapDiag++;
        canonVectors.oapDiag += d;
      }
    });
    if (repeated) withRepeated++;
    while (atLeast.length <= maxMult) atLeast.push(0);
    for (let m = 1; m <= maxMult; m++) atLeast[m]++;
    for (const m of seen) {
      while (withMult.length <= m) withMult.push(0);
      withMult[m]++;
    }
  }
  const share = (a: number, b: number): number => (b > 0 ? a / b : Number.NaN);
  const simpleCanonized = simple - flagged;
  return {
    graphs,
    skipped,
    eigenvectors,
    simple,
    signNoncanonizable: flagged,
    signNoncanonizableShare: share(flagged, simple),
    zeroSum,
    zeroSumShare: share(zeroSum, simple),
    eigenspaces,
    eigenspaceVectors,
    partial,
    basisCanonizable: { ...canon },
    basisCanonizableShare: {
      map: share(canon.map, eigenspaces),
      oap: share(canon.oap, eigenspaces),
      oapDiag: share(canon.oapDiag, eigenspaces),
    },
    graphsWithRepeated: withRepeated,
    graphsWithRepeatedShare: share(withRepeated, graphs),
    graphsWithMultiplicity: withMult,
    graphsWithMultiplicityShare: withMult.map((c) => share(c, graphs)),
    graphsWithMultiplicityAtLeast: atLeast,
    graphsWithMultiplicityAtLeastShare: atLeast.map((c) => share(c, graphs)),
    eigenvectorsCanonizedShare: {
      map: share(simpleCanonized + canonVectors.map, eigenvectors),
      oap: share(simpleCanonized + canonVectors.oap, eigenvectors),
      oapDiag: share(simpleCanonized + canonVectors.oapDiag, eigenvectors),
    },
  };
}
