/**
 * PE stability audit (the property SPE — Huang et al., ICLR 2024, arXiv 2310.02579 — was designed
 * for): perturb each graph (delete/add e edges, relabel nodes) and measure how much each PE moves.
 *
 * For a graph G and a perturbed G′ (same n), with L the sym Laplacian I − D^{-1/2}AD^{-1/2}:
 * - `dL` = ‖L − L′‖_F (0 for a relabelling, where PE(PG) is compared with P·PE(G));
 * - gaps of G's spectrum λ₀ ≤ … ≤ λ_{n−1} around LapPE's columns 1..k (trivial column dropped):
 *   `gapSign` = smallest distance from a kept λ_j to another eigenvalue (0 when one is repeated),
 *   `gapBasis` = smallest distance from a kept eigenspace (eigenvalues grouped, tolerance 1e-6) to the rest
 *   of the spectrum, `gapK` = λ_{k+1} − λ_k (the truncation gap of SPE's bound);
 * - per method, the change ‖PE(G) − PE(G′)‖_F and ‖PE(G)‖_F (relative change = their ratio):
 *   `lap:raw`, `lap:sign` (best ±1 per column), `lap:basis` (orthogonal Procrustes inside each eigenspace of
 *   G and G′ — the union of their groups), LapPE k columns from the raw solver output;
 *   `lap+oap` (raw; OAP canonization, Ma et al. 2024, of the same k columns) and `lap+oap:canon` (only the
 *   columns canonized in both G and G′ — the ones the canonization claims are invariant);
 *   `rwse` (diag of the random-walk matrix powers, no ambiguity);
 *   `signnet`, `spe` (random init, fixed seed, eval mode, full spectrum K = n) and `<name>` for a trained
 *   checkpoint's PE encoder — raw output change.
 */
import { canonize, randomWalkDiag } from '@graphpe/encodings';
import {
  disposeEigTensors,
  eigBatch,
  eigTensors,
  type SignNetArgs,
  SignNetEncoder,
  SpeEncoder,
  type SpeEncoderArgs,
  tf,
} from '@graphpe/encodings/learned';
import { randomPermutation } from '@graphpe/gnn';
import {
  checkOption,
  createRng,
  type Graph,
  laplacianDense,
  type Spectrum,
  spectrum,
} from '@graphpe/spectral';
import {
  basisAlignedDistance,
  frobeniusDistance,
  frobeniusNorm,
  groupsShifted,
  mergeBlocks,
  signAlignedDistance,
} from './align.js';
import { type EditKind, permuteRows, perturbEdges, relabelGraph, undirectedEdges } from './perturb.js';

/** PEs the audit measures. */
export const STABILITY_PES = ['lap', 'lap+oap', 'rwse', 'signnet', 'spe'] as const;
export type StabilityPe = (typeof STABILITY_PES)[number];

/** A trained learned-PE encoder layer (e.g. a `graphpe train` checkpoint's `pe_encoder`). */
export interface TrainedEncoder {
  /** Key in the results, e.g. `spe@checkpoint`. */
  readonly name: string;
  /** The layer taking [vectors, values, adjacency, nodeMask, eigMask]. */
  readonly layer: tf.layers.Layer;
  /** Eigenpair columns it was trained with; inputs are padded to max(eigK, n) unless `fixedK`. */
  readonly eigK: number;
  /** Pad/truncate exactly to eigK (layers whose weights depend on K). */
  readonly fixedK?: boolean;
}

/** Options of {@link stabilityAudit}; defaults in brackets. */
export interface StabilityOptions {
  /** PEs [all of {@link STABILITY_PES}]. */
  pes?: readonly StabilityPe[];
  /** Perturbation sizes e [1, 2, 3, 4, 5]. */
  edits?: readonly number[];
  /** Edit kinds [delete, add]; `reweight` multiplies e edge weights by `reweightFactor`. */
  kinds?: readonly EditKind[];
  /** Weight factor of `reweight` edits [0.9]. */
  reweightFactor?: number;
  /** Also relabel nodes [true]. */
  relabel?: boolean;
  /** Deletions keep the graph connected [true]. */
  keepConnected?: boolean;
  /** Seed of the perturbations, permutations and random-init encoders [0]. */
  seed?: number;
  /** LapPE columns (after the trivial one) [8]. */
  k?: number;
  /** RWSE steps [16]. */
  rwseSteps?: number;
  /** Only the first `learnedLimit` graphs go through the learned encoders [all]. */
  learnedLimit?: number;
  /** Random-init SPE architecture [m 8, ρ 4 GIN layers of width 32, 16 outputs: a reduced PE-full for speed]. */
  spe?: SpeEncoderArgs;
  /** Random-init SignNet architecture [φ 4 GIN layers of width 32, 16 outputs]. */
  signnet?: SignNetArgs;
  /** Trained encoders to audit as well. */
  trained?: readonly TrainedEncoder[];
  /** Graphs per learned-encoder batch (each with all its variants) [8]. */
  batchGraphs?: number;
  /** Progress (graphs done). */
  onProgress?: (done: number, total: number) => void;
}

/** One perturbed copy of one graph. */
export interface VariantRecord {
  readonly graph: number;
  readonly n: number;
  /** Undirected edges of G. */
  readonly m: number;
  readonly kind: EditKind | 'relabel';
  /** e (0 for a relabelling). */
  readonly edits: number;
  readonly dL: number;
  readonly gapSign: number;
  readonly gapBasis: number;
  readonly gapK: number;
  /** Change per measure key (see the module header). */
  readonly change: Record<string, number>;
  /** ‖PE(G)‖_F per measure key. */
  readonly norm: Record<string, number>;
  /**
   * Per LapPE column j (real columns only, edge edits only): its eigengap δ_j = distance from λ_j to the
   * nearest other eigenvalue of G, and the sign-aligned change ‖v_j − ±v′_j‖ (Davis–Kahan: ≲ 2‖ΔL‖/δ_j).
   */
  readonly columns?: { gap: number[]; change: number[] };
}

/** Raw result of {@link stabilityAudit}. */
export interface StabilityRecords {
  readonly graphs: number;
  readonly learnedGraphs: number;
  readonly records: VariantRecord[];
  /** Perturbations that could not be made (e.g. e deletions keeping a tree connected), per `kind:e`. */
  readonly infeasible: Record<string, number>;
  /** Measure keys present, in display order. */
  readonly keys: string[];
  readonly options: {
    pes: StabilityPe[];
    edits: number[];
    kinds: EditKind[];
    reweightFactor: number;
    relabel: boolean;
    keepConnected: boolean;
    seed: number;
    k: number;
    rwseSteps: number;
    spe: SpeEncoderArgs;
    signnet: SignNetArgs;
    trained: string[];
  };
}

const WHERE = 'studies.stabilityAudit';

/** Everything one graph version contributes. */
interface Version {
  g: Graph;
  full: Spectrum;
  lap: Float64Array; // n × k
  lapGroups: ReturnType<typeof groupsShifted>;
  oap: Float64Array; // n × k
  oapCanon: Uint8Array; // per column, 1 when canonized
  rwse: Float64Array;
  L: Float64Array;
}

function lapColumns(s: Spectrum, k: number): Float64Array {
  const { n } = s;
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k && j + 1 < s.k; j++) {
      if (s.mask[j + 1] === 1) out[i * k + j] = s.vectors[i * s.k + j + 1] as number;
    }
  }
  return out;
}

function version(g: Graph, k: number, steps: number, pes: ReadonlySet<StabilityPe>): Version {
  const full = spectrum(g, { k: g.n, solver: 'dense', pad: 'none' });
  const head = spectrum(g, { k: k + 1, solver: 'dense', pad: 'zero' });
  const lap = lapColumns(head, k);
  let oap = lap;
  const oapCanon = new Uint8Array(k);
  if (pes.has('lap+oap')) {
    const c = canonize(head, { basis: 'oap' });
    oap = lapColumns({ ...head, vectors: c.vectors }, k);
    for (let j = 0; j < k; j++) oapCanon[j] = c.status[j + 1] === 'canonized' ? 1 : 0;
  }
  return {
    g,
    full,
    lap,
    lapGroups: groupsShifted(head.groups, 1, k),
    oap,
    oapCanon,
    rwse: pes.has('rwse') ? randomWalkDiag(g, { steps }) : new Float64Array(0),
    L: laplacianDense(g, 'sym'),
  };
}

/** gapSign, gapBasis, gapK of a full spectrum around columns 1..k. */
export function spectralGaps(s: Spectrum, k: number): { gapSign: number; gapBasis: number; gapK: number } {
  const v = s.values;
  const n = s.n;
  const last = Math.min(k, n - 1);
  let gapSign = Number.POSITIVE_INFINITY;
  for (let j = 1; j <= last; j++) {
    const left = (v[j] as number) - (v[j - 1] as number);
    const right = j + 1 < n ? (v[j + 1] as number) - (v[j] as number) : Number.POSITIVE_INFINITY;
    gapSign = Math.min(gapSign, left, right);
  }
  let gapBasis = Number.POSITIVE_INFINITY;
  for (const g of s.groups) {
    const a = g.start;
    const b = g.start + g.size; // exclusive
    if (b <= 1 || a > last) continue;
    if (a > 0) gapBasis = Math.min(gapBasis, (v[a] as number) - (v[a - 1] as number));
    if (b < n) gapBasis = Math.min(gapBasis, (v[b] as number) - (v[b - 1] as number));
  }
  const gapK = k + 1 < n ? (v[k + 1] as number) - (v[k] as number) : Number.POSITIVE_INFINITY;
  return { gapSign: Math.max(0, gapSign), gapBasis, gapK };
}

/** Node-level outputs of a learned encoder for a list of graph versions (eval mode), one n×p array each. */
function encode(
  layer: tf.layers.Layer,
  versions: readonly Version[],
  fixedK: number | null,
  minK: number,
): Float64Array[] {
  const nMax = Math.max(...versions.map((v) => v.g.n));
  const K = fixedK ?? Math.max(minK, nMax);
  const batch = eigBatch(
    versions.map((v) => ({ graph: v.g, spectrum: v.full })),
    { k: K, maxNodes: nMax },
  );
  const t = eigTensors(batch);
  try {
    const out = tf.tidy(() => {
      const y = layer.apply([t.vectors, t.values, t.adjacency, t.nodeMask, t.eigMask], {
        training: false,
      }) as tf.Tensor;
      return y;
    });
    const p = out.shape[2] as number;
    const data = out.dataSync();
    out.dispose();
    return versions.map((v, b) => {
      const o = new Float64Array(v.g.n * p);
      for (let i = 0; i < v.g.n; i++) {
        for (let c = 0; c < p; c++) o[i * p + c] = data[(b * nMax + i) * p + c] as number;
      }
      return o;
    });
  } finally {
    disposeEigTensors(t);
  }
}

interface Pending {
  record: VariantRecord;
  base: number; // index of G's version in the chunk list
  self: number; // index of G′'s version
  perm?: Int32Array;
}

/** Run the audit over `graphs` (see the module header); aggregate with `summarizeStability`. */
export function stabilityAudit(graphs: readonly Graph[], options: StabilityOptions = {}): StabilityRecords {
  const pes = [...(options.pes ?? STABILITY_PES)];
  for (const p of pes)
    checkOption(
      (STABILITY_PES as readonly string[]).includes(p),
      WHERE,
      `pe must be one of ${STABILITY_PES.join(', ')}`,
      p,
    );
  const edits = [...(options.edits ?? [1, 2, 3, 4, 5])];
  for (const e of edits) checkOption(Number.isInteger(e) && e >= 1, WHERE, 'edits must be integers ≥ 1', e);
  const kinds = [...(options.kinds ?? (['delete', 'add'] as EditKind[]))];
  const reweightFactor = options.reweightFactor ?? 0.9;
  const relabel = options.relabel ?? true;
  const keepConnected = options.keepConnected ?? true;
  const seed = options.seed ?? 0;
  const k = options.k ?? 8;
  checkOption(Number.isInteger(k) && k >= 1, WHERE, 'k must be an integer ≥ 1', k);
  const steps = options.rwseSteps ?? 16;
  const learnedLimit = Math.min(graphs.length, options.learnedLimit ?? graphs.length);
  const batchGraphs = options.batchGraphs ?? 8;
  const speArgs: SpeEncoderArgs = { m: 8, rhoLayers: 4, rhoHidden: 32, outDim: 16, ...options.spe };
  const signArgs: SignNetArgs = { phiLayers: 4, hidden: 32, outDim: 16, ...options.signnet };
  const peSet = new Set(pes);
  const learned: { name: string; layer: tf.layers.Layer; fixedK: number | null; minK: number }[] = [];
  if (peSet.has('signnet'))
    learned.push({
      name: 'signnet',
      layer: new SignNetEncoder({ seed: seed + 11, ...signArgs }),
      fixedK: null,
      minK: 1,
    });
  if (peSet.has('spe'))
    learned.push({
      name: 'spe',
      layer: new SpeEncoder({ seed: seed + 7, ...speArgs }),
      fixedK: null,
      minK: 1,
    });
  for (const t of options.trained ?? []) {
    learned.push({ name: t.name, layer: t.layer, fixedK: t.fixedK ? t.eigK : null, minK: t.eigK });
  }
  const keys: string[] = [];
  if (peSet.has('lap')) keys.push('lap:raw', 'lap:sign', 'lap:basis');
  if (peSet.has('lap+oap')) keys.push('lap+oap', 'lap+oap:canon');
  if (peSet.has('rwse')) keys.push('rwse');
  for (const l of learned) keys.push(l.name);

  const rng = createRng(seed);
  const records: VariantRecord[] = [];
  const infeasible: Record<string, number> = {};
  let chunkVersions: Version[] = [];
  let pending: Pending[] = [];
  let chunkGraphs = 0;

  const flush = () => {
    if (pending.length === 0 || learned.length === 0) {
      chunkVersions = [];
      pending = [];
      chunkGraphs = 0;
      return;
    }
    for (const l of learned) {
      const outs = encode(l.layer, chunkVersions, l.fixedK, l.minK);
      for (const p of pending) {
        const x = outs[p.base] as Float64Array;
        let y = outs[p.self] as Float64Array;
        const n = p.record.n;
        const c = x.length / n;
        if (p.perm) {
          // compare PE(PG) with P·PE(G)
          const px = permuteRows(x, n, c, p.perm);
          p.record.change[l.name] = frobeniusDistance(px, y);
        } else {
          p.record.change[l.name] = frobeniusDistance(x, y);
        }
        p.record.norm[l.name] = frobeniusNorm(x);
        y = new Float64Array(0);
      }
    }
    chunkVersions = [];
    pending = [];
    chunkGraphs = 0;
  };

  for (let gi = 0; gi < graphs.length; gi++) {
    const g = graphs[gi] as Graph;
    if (g.n < 2) continue;
    const withLearned = gi < learnedLimit && learned.length > 0;
    const base = version(g, k, steps, peSet);
    const baseIdx = chunkVersions.length;
    if (withLearned) chunkVersions.push(base);
    const m = undirectedEdges(g).length;
    const gaps = spectralGaps(base.full, k);
    const measure = (other: Version, kind: EditKind | 'relabel', e: number, perm?: Int32Array) => {
      const n = g.n;
      const change: Record<string, number> = {};
      const norm: Record<string, number> = {};
      const X = base.lap;
      const Xo = base.oap;
      const Xr = base.rwse;
      let Y = other.lap;
      let Yo = other.oap;
      const Yr = other.rwse;
      let dL = 0;
      if (perm) {
        // PE(PG) vs P·PE(G): rows of G's PEs permuted; dL = ‖L(PG) − P L(G) Pᵀ‖ = 0.
        const pX = permuteRows(X, n, k, perm);
        const pXo = permuteRows(Xo, n, k, perm);
        Y = other.lap;
        Yo = other.oap;
        if (peSet.has('lap')) {
          const blocks = mergeBlocks(k, base.lapGroups, other.lapGroups);
          change['lap:raw'] = frobeniusDistance(pX, Y);
          change['lap:sign'] = signAlignedDistance(pX, Y, n, k);
          change['lap:basis'] = basisAlignedDistance(pX, Y, n, k, blocks);
        }
        if (peSet.has('lap+oap')) {
          change['lap+oap'] = frobeniusDistance(pXo, Yo);
          change['lap+oap:canon'] = canonDistance(pXo, Yo, n, k, base.oapCanon, other.oapCanon);
        }
        if (peSet.has('rwse')) change.rwse = frobeniusDistance(permuteRows(Xr, n, steps, perm), Yr);
      } else {
        let s = 0;
        for (let i = 0; i < base.L.length; i++) s += ((base.L[i] as number) - (other.L[i] as number)) ** 2;
        dL = Math.sqrt(s);
        if (peSet.has('lap')) {
          const blocks = mergeBlocks(k, base.lapGroups, other.lapGroups);
          change['lap:raw'] = frobeniusDistance(X, Y);
          change['lap:sign'] = signAlignedDistance(X, Y, n, k);
          change['lap:basis'] = basisAlignedDistance(X, Y, n, k, blocks);
        }
        if (peSet.has('lap+oap')) {
          change['lap+oap'] = frobeniusDistance(Xo, Yo);
          change['lap+oap:canon'] = canonDistance(Xo, Yo, n, k, base.oapCanon, other.oapCanon);
        }
        if (peSet.has('rwse')) change.rwse = frobeniusDistance(Xr, Yr);
      }
      if (peSet.has('lap')) {
        const nl = frobeniusNorm(X);
        norm['lap:raw'] = nl;
        norm['lap:sign'] = nl;
        norm['lap:basis'] = nl;
      }
      if (peSet.has('lap+oap')) {
        norm['lap+oap'] = frobeniusNorm(Xo);
        norm['lap+oap:canon'] = canonNorm(Xo, n, k, base.oapCanon, other.oapCanon);
      }
      if (peSet.has('rwse')) norm.rwse = frobeniusNorm(Xr);
      const record: VariantRecord =
        perm || !peSet.has('lap')
          ? { graph: gi, n, m, kind, edits: e, dL, ...gaps, change, norm }
          : {
              graph: gi,
              n,
              m,
              kind,
              edits: e,
              dL,
              ...gaps,
              change,
              norm,
              columns: columnChanges(base, other, k),
            };
      records.push(record);
      if (withLearned) {
        const self = chunkVersions.length;
        chunkVersions.push(other);
        pending.push(perm ? { record, base: baseIdx, self, perm } : { record, base: baseIdx, self });
      }
    };
    for (const kind of kinds) {
      for (const e of edits) {
        const p = perturbEdges(g, { kind, edits: e, keepConnected, rng, factor: reweightFactor });
        if (!p) {
          infeasible[`${kind}:${e}`] = (infeasible[`${kind}:${e}`] ?? 0) + 1;
          continue;
        }
        measure(version(p.graph, k, steps, peSet), kind, e);
      }
    }
    if (relabel) {
      const perm = randomPermutation(g.n, rng);
      measure(version(relabelGraph(g, perm), k, steps, peSet), 'relabel', 0, perm);
    }
    if (withLearned) {
      chunkGraphs++;
      if (chunkGraphs >= batchGraphs) flush();
    }
    options.onProgress?.(gi + 1, graphs.length);
  }
  flush();
  for (const l of learned) {
    if (l.name === 'spe' || l.name === 'signnet') l.layer.dispose();
  }
  return {
    graphs: graphs.length,
    learnedGraphs: learned.length > 0 ? learnedLimit : 0,
    records,
    infeasible,
    keys,
    options: {
      pes,
      edits,
      kinds,
      reweightFactor,
      relabel,
      keepConnected,
      seed,
      k,
      rwseSteps: steps,
      spe: speArgs,
      signnet: signArgs,
      trained: (options.trained ?? []).map((t) => t.name),
    },
  };
}

/** Per-column eigengap and sign-aligned change of LapPE (see {@link VariantRecord.columns}). */
function columnChanges(base: Version, other: Version, k: number): { gap: number[]; change: number[] } {
  const v = base.full.values;
  const n = base.g.n;
  const gap: number[] = [];
  const change: number[] = [];
  for (let j = 0; j < Math.min(k, n - 1); j++) {
    const c = j + 1; // column of the full spectrum
    const left = (v[c] as number) - (v[c - 1] as number);
    const right = c + 1 < n ? (v[c + 1] as number) - (v[c] as number) : Number.POSITIVE_INFINITY;
    let dot = 0;
    for (let i = 0; i < n; i++) dot += (base.lap[i * k + j] as number) * (other.lap[i * k + j] as number);
    const sg = dot < 0 ? -1 : 1;
    let d = 0;
    for (let i = 0; i < n; i++)
      d += ((base.lap[i * k + j] as number) - sg * (other.lap[i * k + j] as number)) ** 2;
    gap.push(Math.max(0, Math.min(left, right)));
    change.push(Math.sqrt(d));
  }
  return { gap, change };
}

function canonDistance(
  x: Float64Array,
  y: Float64Array,
  n: number,
  k: number,
  cx: Uint8Array,
  cy: Uint8Array,
): number {
  let s = 0;
  for (let j = 0; j < k; j++) {
    if (!(cx[j] && cy[j])) continue;
    for (let i = 0; i < n; i++) s += ((x[i * k + j] as number) - (y[i * k + j] as number)) ** 2;
  }
  return Math.sqrt(s);
}

function canonNorm(x: Float64Array, n: number, k: number, cx: Uint8Array, cy: Uint8Array): number {
  let s = 0;
  for (let j = 0; j < k; j++) {
    if (!(cx[j] && cy[j])) continue;
    for (let i = 0; i < n; i++) s += (x[i * k + j] as number) ** 2;
  }
  return Math.sqrt(s);
}
