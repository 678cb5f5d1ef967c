/**
 * LapPE: Laplacian eigenvector positional encoding (Dwivedi et al., "Benchmarking Graph Neural
 * Networks", JMLR 2023), with presets matching PyTorch Geometric `AddLaplacianEigenvectorPE`
 * (torch_geometric/transforms/add_positional_encoding.py), GraphGPS `compute_posenc_stats`
 * (graphgps/transform/posenc_stats.py, Rampášek et al. NeurIPS 2022) and SPE preprocessing
 * (Huang et al. ICLR 2024, github.com/Graph-COM/SPE). See docs/encodings.md, "Laplacian conventions",
 * "LapPE presets" and "Padding and sign conventions".
 */
import {
  checkOption,
  createRng,
  type EigenGroup,
  type Graph,
  type LaplacianKind,
  type Spectrum,
} from '@graphpe/spectral';
import { type CanonizeOptions, canonize } from '../canon/canonize.js';
import type { CanonStatus } from '../canon/types.js';
import { newF64, newU8 } from './arena.js';
import { PeContext } from './context.js';
import { castDtype, checkCommon, checkKeys, type PeDtype, type PeOutput, type PeTransform } from './types.js';

/** How LapPE fixes eigenvector signs. */
export type LapSign = 'none' | 'random' | 'canonical';

/** Options of {@link lapPE}; defaults in brackets. */
export interface LapPEOptions {
  /** Number of output columns [16]. */
  k?: number;
  /** Laplacian kind: `sym` I − D^{-1/2}AD^{-1/2}, `rw` I − D^{-1}A, `comb` D − A ['sym']. */
  laplacian?: LaplacianKind;
  /** Drop the first (smallest) eigenpair, as PyG does — only that one column, even when λ = 0 repeats [false]. */
  dropTrivial?: boolean;
  /** Fill of the columns past the graph's real eigenpairs (n ≤ k): `zero` (SPE) or `nan` (GraphGPS) ['zero']. */
  pad?: 'zero' | 'nan';
  /**
   * `none`: solver signs (deterministic: same graph, same output); `random`: a seeded ±1 per column
   * (training augmentation; `seed` required); `canonical`: {@link canonize} (MAP sign rule on simple
   * eigenvectors, OAP/MAP basis rule on repeated eigenspaces) with a per-column status in
   * `<name>_canon` ['none'].
   */
  sign?: LapSign;
  /** Options of `canonize` for `sign: 'canonical'` (mode, basis rule, tolerances, eigenvalue scaling). */
  canon?: CanonizeOptions;
  /** Seed of `sign: 'random'` (required there); the same seed gives the same pattern for every graph. */
  seed?: number;
  /** Emit `<name>_val`: `true` as `[k]`, `'per-node'` repeated as `[n, k]` (GraphGPS `EigVals`), `false` none [true]. */
  eigenvalues?: boolean | 'per-node';
  /** Clamp eigenvalues to ≥ 0 (GraphGPS `clamp_min(0)`) [false]. */
  clampEigenvalues?: boolean;
  /** Output name prefix: `<name>_vec`, `<name>_val` ['lap']. */
  name?: string;
  /** Output element type ['float64']. */
  dtype?: PeDtype;
}

const WHERE = 'encodings.lapPE';
const KEYS = [
  'k',
  'laplacian',
  'dropTrivial',
  'pad',
  'sign',
  'seed',
  'canon',
  'eigenvalues',
  'clampEigenvalues',
  'name',
  'dtype',
] as const;

/**
 * LapPE transform. Outputs `<name>_vec` `[n, k]` (column j = j-th kept eigenvector, ascending
 * eigenvalue; mask `[k]` 1 for real columns, 0 for padding) and, unless `eigenvalues: false`,
 * `<name>_val` `[k]` or `[n, k]` with the same mask. Graphs with fewer eigenpairs than k (n ≤ k, or
 * n ≤ k + 1 with `dropTrivial`) are padded — PyG raises a broadcast error there.
 * With `sign: 'canonical'` also `<name>_canon` `[k]`: per-column {@link CANON_STATUS_CODES} (mask 1 where
 * canonized, i.e. where the column is invariant to the solver's sign/basis choice). With `dropTrivial`, a
 * repeated first eigenvalue (disconnected graph) leaves the rest of its eigenspace `partial`.
 */
export function lapPE(options: LapPEOptions = {}): PeTransform {
  checkKeys(WHERE, options, KEYS);
  const k = options.k ?? 16;
  const laplacian = options.laplacian ?? 'sym';
  const dropTrivial = options.dropTrivial ?? false;
  const pad = options.pad ?? 'zero';
  const sign = options.sign ?? 'none';
  const eigenvalues = options.eigenvalues ?? true;
  const clamp = options.clampEigenvalues ?? false;
  const name = options.name ?? 'lap';
  const dtype = options.dtype ?? 'float64';
  checkOption(Number.isInteger(k) && k >= 1, WHERE, 'k must be an integer ≥ 1', k);
  checkOption(
    ['sym', 'rw', 'comb'].includes(laplacian),
    WHERE,
    "laplacian must be 'sym', 'rw' or 'comb'",
    laplacian,
  );
  checkOption(typeof dropTrivial === 'boolean', WHERE, 'dropTrivial must be a boolean', dropTrivial);
  checkOption(pad === 'zero' || pad === 'nan', WHERE, "pad must be 'zero' or 'nan'", pad);
  checkOption(
    ['none', 'random', 'canonical'].includes(sign),
    WHERE,
    "sign must be 'none', 'random' or 'canonical'",
    sign,
  );
  checkOption(
    eigenvalues === true || eigenvalues === false || eigenvalues === 'per-node',
    WHERE,
    "eigenvalues must be true, false or 'per-node'",
    eigenvalues,
  );
  checkOption(typeof clamp === 'boolean', WHERE, 'clampEigenvalues must be a boolean', clamp);
  checkCommon(WHERE, name, dtype);
  if (sign === 'random') {
    checkOption(
      Number.isInteger(options.seed),
      WHERE,
      "sign 'random' needs an integer seed (graphpe is never random without one)",
      options.seed,
    );
  } else {
    checkOption(options.seed === undefined, WHERE, "seed is only used with sign 'random'", options.seed);
  }
  checkOption(
    options.canon === undefined ||
      (sign === 'canonical' && typeof options.canon === 'object' && options.canon !== null),
    WHERE,
    "canon options are only used with sign 'canonical'",
    options.canon,
  );
  const canonOptions = options.canon ?? {};
  // Validate the canon options now (canonize checks them first), on a one-node spectrum.
  if (sign === 'canonical') canonize(ONE_NODE, canonOptions);
  // One ±1 per output column, drawn for all k so column j's sign does not depend on n.
  let signs: Float64Array | undefined;
  if (sign === 'random') {
    const rng = createRng(options.seed);
    signs = new Float64Array(k);
    for (let j = 0; j < k; j++) signs[j] = rng.next() < 0.5 ? -1 : 1;
  }
  const offset = dropTrivial ? 1 : 0;
  const vecKey = `${name}_vec`;
  const valKey = `${name}_val`;
  const canonKey = `${name}_canon`;

  return (g: Graph, ctx?: PeContext): PeOutput => {
    const c = ctx ?? new PeContext(g);
    c.check(g, WHERE);
    const { n } = g;
    // Without canonization only the first columns are read: a full dense spectrum already in the context
    // serves directly (the truncated one would be a copy of them).
    const full = sign !== 'canonical' && c.isDense(k + offset) ? c.fullSpectrum(laplacian) : undefined;
    const s = full ?? c.spectrum(laplacian, k + offset);
    const real = Math.max(0, Math.min(k, Math.min(s.k, k + offset) - offset));
    const fill = pad === 'nan' ? Number.NaN : 0;
    const vec = newF64(n * k);
    const val = newF64(k);
    if (fill !== 0) val.fill(fill);
    const mask = newU8(k);
    if (real < k) vec.fill(fill);
    for (let j = 0; j < real; j++) {
      const lam = s.values[j + offset];
      val[j] = clamp && lam < 0 ? 0 : lam;
      mask[j] = 1;
    }
    let src = s.vectors;
    let sk = s.k;
    let from = offset;
    let codes: Float64Array | undefined;
    if (sign === 'canonical') {
      const sub = dropColumns(s, offset);
      const res = canonize(sub, canonOptions);
      src = res.vectors;
      sk = sub.k;
      from = 0;
      codes = newF64(k);
      for (let j = 0; j < real; j++) codes[j] = CANON_STATUS_CODES[res.status[j]];
    }
    for (let i = 0; i < n; i++) {
      const a = i * sk + from;
      const b = i * k;
      if (signs) for (let j = 0; j < real; j++) vec[b + j] = signs[j] * src[a + j];
      else for (let j = 0; j < real; j++) vec[b + j] = src[a + j];
    }
    const out: PeOutput = { [vecKey]: { data: castDtype(vec, dtype), shape: [n, k], mask } };
    if (eigenvalues === 'per-node') {
      const rep = newF64(n * k);
      for (let i = 0; i < n; i++) rep.set(val, i * k);
      out[valKey] = { data: castDtype(rep, dtype), shape: [n, k], mask };
    } else if (eigenvalues) {
      out[valKey] = { data: castDtype(val, dtype), shape: [k], mask };
    }
    if (codes) {
      const canonMask = newU8(k);
      for (let j = 0; j < k; j++) canonMask[j] = codes[j] === CANON_STATUS_CODES.canonized ? 1 : 0;
      out[canonKey] = { data: codes, shape: [k], mask: canonMask };
    }
    return out;
  };
}

const ONE_NODE: Spectrum = {
  n: 1,
  k: 1,
  laplacian: 'sym',
  values: new Float64Array(1),
  vectors: new Float64Array([1]),
  mask: new Uint8Array([1]),
  groups: [
    { start: 0, size: 1, value: 0, multiplicity: 1, multiplicityIsLowerBound: false, status: 'complete' },
  ],
  residuals: new Float64Array(1),
  solver: 'dense',
  signConvention: 'none',
};

/** Numeric codes of `<name>_canon` (canonization status per column). */
export const CANON_STATUS_CODES: Readonly<Record<CanonStatus, number>> = {
  padding: 0,
  canonized: 1,
  sign_noncanonizable: 2,
  basis_noncanonizable: 3,
  partial: 4,
};

/**
 * The unpadded spectrum without its first `drop` columns; a group that loses columns becomes
 * `partial` (what is left of it depends on the basis the solver chose).
 */
function dropColumns(s: Spectrum, drop: number): Spectrum {
  if (drop === 0) return s;
  const { n } = s;
  const k = Math.max(0, s.k - drop);
  const vectors = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) vectors[i * k + j] = s.vectors[i * s.k + j + drop];
  const groups: EigenGroup[] = [];
  for (const g of s.groups) {
    const start = Math.max(g.start, drop);
    const end = g.start + g.size;
    if (end <= start) continue;
    const cut = start > g.start;
    groups.push({ ...g, start: start - drop, size: end - start, status: cut ? 'partial' : g.status });
  }
  return {
    ...s,
    k,
    values: s.values.slice(drop),
    vectors,
    mask: s.mask.slice(drop),
    residuals: s.residuals.slice(drop),
    groups,
  };
}

/** Preset overrides: any {@link LapPEOptions} except `k`. */
export type LapPEPresetOverrides = Omit<LapPEOptions, 'k'>;

/**
 * PyG `AddLaplacianEigenvectorPE(k)`: L_sym, the first column dropped, no eigenvalues. Differences
 * by design: graphs with n ≤ k are zero-padded with a mask (PyG crashes), and signs are deterministic
 * (PyG draws `torch.randint` signs on every call; use `sign: 'random'` with a seed for that).
 */
lapPE.pyg = (k: number, overrides: LapPEPresetOverrides = {}): PeTransform =>
  lapPE({ laplacian: 'sym', dropTrivial: true, pad: 'zero', eigenvalues: false, ...overrides, k });

/**
 * GraphGPS LapPE stats (`get_lap_decomp_stats`): the k smallest pairs including the trivial one, λ
 * clamped to ≥ 0, NaN padding for n < k, eigenvalues repeated per node (`EigVals` [n, k]). GraphGPS's
 * `laplacian_norm` defaults to 'sym'; its ZINC configs use 'none' — pass `{ laplacian: 'comb' }`.
 * GraphGPS stores float32; this preset keeps float64 unless `dtype: 'float32'` is passed.
 */
lapPE.graphgps = (k: number, overrides: LapPEPresetOverrides = {}): PeTransform =>
  lapPE({
    laplacian: 'sym',
    dropTrivial: false,
    pad: 'nan',
    eigenvalues: 'per-node',
    clampEigenvalues: true,
    ...overrides,
    k,
  });

/** SPE preprocessing (Graph-COM/SPE): d = min(n, k) pairs of L_sym from index 0, zero-padded to k, λ as `[k]`. */
lapPE.spe = (k: number, overrides: LapPEPresetOverrides = {}): PeTransform =>
  lapPE({ laplacian: 'sym', dropTrivial: false, pad: 'zero', eigenvalues: true, ...overrides, k });
