/**
 * Dense, padded molecule batches for the GINE model (host typed arrays, B graphs × N nodes).
 *
 * - Node input: a multi-hot `[B, N, ΣV]` with one one-hot block per categorical atom feature, so an atom
 *   embedding (the sum of per-feature embeddings, OGB's `AtomEncoder`) is one matmul `multiHot · W` and
 *   training needs no `gather` gradient (missing on wasm).
 * - Edges: every distinct bond-feature tuple is an edge type t < T; `edgeAdjacency [B, N, T·N]` holds
 *   A^t_ij at column t·N + j, so the GINE message Σ_j ReLU(x_j + e_ij) = Σ_t A^t · ReLU(x + E_t) is ONE
 *   batched matmul `[B, N, T·N] @ [B, T·N, H]`.
 * - `adjacency [B, N, N]` (for learned PE encoders), `nodeMask [B, N]`, graph targets `[B, T_y]` with a label
 *   mask (NaN = missing; the target is stored as 0 there), optional fixed PE `[B, N, P]` (LapPE/RWSE) and
 *   optional eigenpairs in the {@link EigBatch} layout for learned PEs.
 *
 * {@link collate} takes generic per-graph records ({@link GraphRecord}), so it needs neither the featurizer's
 * types nor a dataset loader; a `MolGraph` with `y` (and `pe`/`eig`) added is a record.
 */

import { frameItem, tf } from '@graphpe/encodings/learned';
import type { Graph, Rng, Spectrum } from '@graphpe/spectral';
import { GraphpeError } from '@graphpe/spectral';
import { attachPacked, type PackedGraphs, packGraphs } from './packed.js';

/** Eigenpairs of one graph (a `Spectrum` from `@graphpe/spectral` fits). */
export interface GraphEig {
  /** Columns in `vectors`. */
  readonly k: number;
  /** Eigenvalues, length k (padding 0 or NaN, see `mask`). */
  readonly values: ArrayLike<number>;
  /** Eigenvectors, n × k row-major. */
  readonly vectors: ArrayLike<number>;
  /** 1 for real eigenpairs (default: every column whose value is finite). */
  readonly mask?: ArrayLike<number>;
}

/** One graph: what {@link collate} needs. */
export interface GraphRecord {
  /** Number of nodes. */
  readonly n: number;
  /** n × F categorical atom features, row-major (F = atomVocab.length). */
  readonly atomFeatures: ArrayLike<number>;
  /** E × Fb categorical features of the E directed edges, row-major. */
  readonly bondFeatures: ArrayLike<number>;
  /** Directed edge e goes from edgeSrc[e] to edgeDst[e]; or give `graph` (CSR order). */
  readonly edgeSrc?: ArrayLike<number>;
  readonly edgeDst?: ArrayLike<number>;
  /** CSR adjacency: edge p goes from its row to indices[p] (the `MolGraph.graph` layout). */
  readonly graph?: { readonly indptr: ArrayLike<number>; readonly indices: ArrayLike<number> };
  /** Graph targets, length T_y; NaN marks a missing label. */
  readonly y: ArrayLike<number>;
  /** Fixed PE, n × P row-major (LapPE vectors, RWSE). */
  readonly pe?: ArrayLike<number>;
  /** Columns of `pe` (default pe.length / n). */
  readonly peDim?: number;
  /** Eigenpairs for learned PEs. */
  readonly eig?: GraphEig;
  /** Columns of `eig` to average over in a sign frame (`lap+frame`; see {@link frameRecord}). */
  readonly frameColumns?: ArrayLike<number>;
}

/** Serializable edge-type vocabulary: the distinct bond-feature tuples kept as edge types. */
export interface EdgeTypeSpec {
  /** Vocabulary size of each bond feature column. */
  readonly bondVocab: readonly number[];
  /** The kept tuples, T rows of bondVocab.length ints, most frequent first. */
  readonly combos: readonly (readonly number[])[];
}

/** An {@link EdgeTypeSpec} with its lookup and the multi-hot of each type. */
export interface EdgeTypeTable extends EdgeTypeSpec {
  readonly numTypes: number;
  /** T × ΣVb multi-hot rows (one block per bond feature). */
  readonly multiHot: Float32Array;
  /** Edge type of a bond-feature tuple (an unseen tuple maps to the kept tuple sharing most features). */
  typeOf(features: ArrayLike<number>, offset?: number): number;
}

/** What a batch is collated against (derived from a model with `GraphModel.collateSpec()`). */
export interface CollateSpec {
  /** Vocabulary size of each atom feature column; the node input width is their sum. */
  readonly atomVocab: readonly number[];
  readonly edgeTypes: EdgeTypeSpec;
  /** Pad every graph to this many nodes (fixed, so tensor shapes stay static). */
  readonly maxNodes: number;
  /** Targets per graph. */
  readonly numTargets: number;
  /** Fixed PE width P (pad with 0 / truncate); 0 or absent = no fixed PE. */
  readonly peDim?: number;
  /** Eigenpairs K for learned PEs (pad/truncate); 0 or absent = none. */
  readonly eigK?: number;
  /** Collate each record's `frameColumns` into `frameMask` [false]. */
  readonly frame?: boolean;
}

/** A host-side padded batch (see the module comment). */
export interface MolBatch {
  readonly batchSize: number;
  readonly maxNodes: number;
  /** ΣV. */
  readonly nodeDim: number;
  /** T. */
  readonly numEdgeTypes: number;
  readonly numTargets: number;
  readonly numNodes: Int32Array;
  /** [B, N, ΣV] multi-hot. */
  readonly nodeFeatures: Float32Array;
  /** [B, N, T·N]: 1 at (i, t·N + j) for an edge j → i of type t. */
  readonly edgeAdjacency: Float32Array;
  /** [B, N, N] 0/1 adjacency (both directions of each bond). */
  readonly adjacency: Float32Array;
  /** [B, N] */
  readonly nodeMask: Float32Array;
  /** [B, T_y] (0 where the label is missing). */
  readonly targets: Float32Array;
  /** [B, T_y] 1 for present labels. */
  readonly labelMask: Float32Array;
  /** P (0 when none). */
  readonly peDim: number;
  /** [B, N, P] or null. */
  readonly pe: Float32Array | null;
  /** K (0 when none). */
  readonly eigK: number;
  /** [B, N, K] */
  readonly eigVectors: Float32Array | null;
  /** [B, K] */
  readonly eigValues: Float32Array | null;
  /** [B, K] */
  readonly eigMask: Float32Array | null;
  /** [B, K] 1 on the columns a sign frame flips (`lap+frame`), or null. */
  readonly frameMask: Float32Array | null;
  /** The packed (no padding) node layout and incoming-edge CSR (computed by {@link molTensors} when absent). */
  readonly packed?: PackedGraphs;
}

/** The batch as tensors (model input order: see `GraphModel.inputsOf`). */
export interface MolTensors {
  readonly nodeFeatures: tf.Tensor3D;
  readonly edgeAdjacency: tf.Tensor3D;
  readonly adjacency: tf.Tensor3D;
  readonly nodeMask: tf.Tensor2D;
  readonly targets: tf.Tensor2D;
  readonly labelMask: tf.Tensor2D;
  readonly pe: tf.Tensor3D | null;
  readonly eigVectors: tf.Tensor3D | null;
  readonly eigValues: tf.Tensor2D | null;
  readonly eigMask: tf.Tensor2D | null;
  readonly frameMask: tf.Tensor2D | null;
}

const WHERE = 'gnn.collate';

function sum(a: readonly number[]): number {
  let s = 0;
  for (const v of a) s += v;
  return s;
}

function tupleKey(f: ArrayLike<number>, offset: number, width: number): string {
  let s = '';
  for (let c = 0; c < width; c++) s += `${c === 0 ? '' : ','}${f[offset + c]}`;
  return s;
}

/** Builds the lookup table of an {@link EdgeTypeSpec}. */
export function edgeTypeTable(spec: EdgeTypeSpec): EdgeTypeTable {
  const Fb = spec.bondVocab.length;
  const width = sum(spec.bondVocab);
  const T = spec.combos.length;
  if (T === 0) throw new GraphpeError('E_OPTION', 'gnn.edgeTypes: no edge types');
  const multiHot = new Float32Array(T * width);
  const index = new Map<string, number>();
  spec.combos.forEach((combo, t) => {
    if (combo.length !== Fb) {
      throw new GraphpeError(
        'E_SHAPE',
        `gnn.edgeTypes: combo ${t} has ${combo.length} features, expected ${Fb}`,
      );
    }
    let off = 0;
    for (let c = 0; c < Fb; c++) {
      const v = combo[c] as number;
      const V = spec.bondVocab[c] as number;
      if (!(v >= 0 && v < V)) {
        throw new GraphpeError(
          'E_VOCAB',
          `gnn.edgeTypes: combo ${t} feature ${c} = ${v} outside 0..${V - 1}`,
        );
      }
      multiHot[t * width + off + v] = 1;
      off += V;
    }
    index.set(combo.join(','), t);
  });
  const cache = new Map<string, number>();
  const typeOf = (f: ArrayLike<number>, offset = 0): number => {
    const key = tupleKey(f, offset, Fb);
    const hit = index.get(key) ?? cache.get(key);
    if (hit !== undefined) return hit;
    // Unseen tuple: the kept tuple sharing most features (ties: the more frequent, i.e. lower t).
    let best = 0;
    let bestScore = -1;
    for (let t = 0; t < T; t++) {
      const combo = spec.combos[t] as readonly number[];
      let score = 0;
      for (let c = 0; c < Fb; c++) if (combo[c] === f[offset + c]) score += Fb - c; // earlier features weigh more
      if (score > bestScore) {
        bestScore = score;
        best = t;
      }
    }
    cache.set(key, best);
    return best;
  };
  return { bondVocab: spec.bondVocab, combos: spec.combos, numTypes: T, multiHot, typeOf };
}

export interface BuildEdgeTypesOptions {
  /** Vocabulary of each bond feature (default: 1 + the largest value seen per column). */
  bondVocab?: readonly number[];
  /** Keep at most this many tuples (the most frequent) [16]. */
  maxTypes?: number;
}

/**
 * The edge-type vocabulary of a set of graphs (build it on the training split): the distinct bond-feature
 * tuples, most frequent first (ties: lexicographic), at most `maxTypes` of them. ZINC gives T = 3.
 */
export function buildEdgeTypes(
  records: readonly Pick<GraphRecord, 'bondFeatures' | 'edgeSrc' | 'graph' | 'n'>[],
  options: BuildEdgeTypesOptions = {},
): EdgeTypeTable {
  const maxTypes = options.maxTypes ?? 16;
  if (!(Number.isInteger(maxTypes) && maxTypes >= 1)) {
    throw new GraphpeError(
      'E_OPTION',
      `gnn.buildEdgeTypes: maxTypes must be a positive integer (got ${maxTypes})`,
    );
  }
  let Fb = options.bondVocab?.length ?? -1;
  const counts = new Map<string, { combo: number[]; count: number }>();
  const maxSeen: number[] = [];
  for (const r of records) {
    const E = edgeCount(r);
    if (E === 0) continue;
    const width = r.bondFeatures.length / E;
    if (Fb < 0) Fb = width;
    if (width !== Fb) {
      throw new GraphpeError(
        'E_SHAPE',
        `gnn.buildEdgeTypes: ${width} bond features per edge, expected ${Fb}`,
      );
    }
    for (let e = 0; e < E; e++) {
      const key = tupleKey(r.bondFeatures, e * Fb, Fb);
      let entry = counts.get(key);
      if (!entry) {
        const combo = Array.from({ length: Fb }, (_, c) => r.bondFeatures[e * Fb + c] as number);
        combo.forEach((v, c) => {
          maxSeen[c] = Math.max(maxSeen[c] ?? 0, v);
        });
        entry = { combo, count: 0 };
        counts.set(key, entry);
      }
      entry.count++;
    }
  }
  if (counts.size === 0) throw new GraphpeError('E_EMPTY', 'gnn.buildEdgeTypes: no edges in the records');
  const bondVocab = options.bondVocab ?? maxSeen.map((m) => m + 1);
  const sorted = [...counts.values()].sort((a, b) => {
    if (b.count !== a.count) return b.count - a.count;
    for (let c = 0; c < a.combo.length; c++) {
      if (a.combo[c] !== b.combo[c]) return (a.combo[c] as number) - (b.combo[c] as number);
    }
    return 0;
  });
  return edgeTypeTable({ bondVocab, combos: sorted.slice(0, maxTypes).map((e) => e.combo) });
}

function edgeCount(r: Pick<GraphRecord, 'edgeSrc' | 'graph' | 'n'>): number {
  if (r.edgeSrc) return r.edgeSrc.length;
  if (r.graph) return r.graph.indptr[r.n] as number;
  throw new GraphpeError('E_OPTION', `${WHERE}: a record needs edgeSrc/edgeDst or graph`);
}

/** Calls fn(src, dst, e) for every directed edge of a record. */
function forEachEdge(r: GraphRecord, fn: (src: number, dst: number, e: number) => void): void {
  if (r.edgeSrc) {
    const dst = r.edgeDst;
    if (!dst || dst.length !== r.edgeSrc.length) {
      throw new GraphpeError('E_SHAPE', `${WHERE}: edgeSrc and edgeDst differ in length`);
    }
    for (let e = 0; e < r.edgeSrc.length; e++) fn(r.edgeSrc[e] as number, dst[e] as number, e);
    return;
  }
  const g = r.graph;
  if (!g) throw new GraphpeError('E_OPTION', `${WHERE}: a record needs edgeSrc/edgeDst or graph`);
  for (let i = 0; i < r.n; i++) {
    for (let p = g.indptr[i] as number; p < (g.indptr[i + 1] as number); p++)
      fn(i, g.indices[p] as number, p);
  }
}

const tableCache = new WeakMap<EdgeTypeSpec, EdgeTypeTable>();

function tableOf(spec: EdgeTypeSpec): EdgeTypeTable {
  if ('typeOf' in spec) return spec as EdgeTypeTable;
  let t = tableCache.get(spec);
  if (!t) {
    t = edgeTypeTable(spec);
    tableCache.set(spec, t);
  }
  return t;
}

/** The largest node count of a set of records (pad batches to it). */
export function maxNodesOf(records: readonly { n: number }[]): number {
  let m = 0;
  for (const r of records) m = Math.max(m, r.n);
  return m;
}

/**
 * Packs records into one padded batch. Atom feature values outside their vocabulary and graphs larger than
 * `maxNodes` are errors naming the record.
 */
export function collate(records: readonly GraphRecord[], spec: CollateSpec): MolBatch {
  const B = records.length;
  if (B === 0) throw new GraphpeError('E_EMPTY', `${WHERE}: empty batch`);
  const N = spec.maxNodes;
  const F = spec.atomVocab.length;
  const D = sum(spec.atomVocab);
  const table = tableOf(spec.edgeTypes);
  const T = table.numTypes;
  const Fb = table.bondVocab.length;
  const Ty = spec.numTargets;
  const P = spec.peDim ?? 0;
  const K = spec.eigK ?? 0;
  const offsets = new Int32Array(F);
  for (let c = 1; c < F; c++) offsets[c] = (offsets[c - 1] as number) + (spec.atomVocab[c - 1] as number);

  const nodeFeatures = new Float32Array(B * N * D);
  const edgeAdjacency = new Float32Array(B * N * T * N);
  const adjacency = new Float32Array(B * N * N);
  const nodeMask = new Float32Array(B * N);
  const targets = new Float32Array(B * Ty);
  const labelMask = new Float32Array(B * Ty);
  const numNodes = new Int32Array(B);
  const pe = P > 0 ? new Float32Array(B * N * P) : null;
  const eigVectors = K > 0 ? new Float32Array(B * N * K) : null;
  const eigValues = K > 0 ? new Float32Array(B * K) : null;
  const eigMask = K > 0 ? new Float32Array(B * K) : null;
  const frameMask = K > 0 && spec.frame ? new Float32Array(B * K) : null;
  const TN = T * N;

  for (let b = 0; b < B; b++) {
    const r = records[b] as GraphRecord;
    const n = r.n;
    if (n > N) throw new GraphpeError('E_SHAPE', `${WHERE}: record ${b} has ${n} nodes, above maxNodes ${N}`);
    if (r.atomFeatures.length !== n * F) {
      throw new GraphpeError(
        'E_SHAPE',
        `${WHERE}: record ${b} has ${r.atomFeatures.length} atom feature values, expected n·F = ${n}·${F}`,
      );
    }
    numNodes[b] = n;
    for (let i = 0; i < n; i++) {
      nodeMask[b * N + i] = 1;
      const row = (b * N + i) * D;
      for (let c = 0; c < F; c++) {
        const v = r.atomFeatures[i * F + c] as number;
        const V = spec.atomVocab[c] as number;
        if (!(v >= 0 && v < V)) {
          throw new GraphpeError(
            'E_VOCAB',
            `${WHERE}: record ${b} atom ${i} feature ${c} = ${v} outside its vocabulary 0..${V - 1}`,
          );
        }
        nodeFeatures[row + (offsets[c] as number) + v] = 1;
      }
    }
    const E = edgeCount(r);
    if (r.bondFeatures.length !== E * Fb) {
      throw new GraphpeError(
        'E_SHAPE',
        `${WHERE}: record ${b} has ${r.bondFeatures.length} bond feature values, expected E·Fb = ${E}·${Fb}`,
      );
    }
    forEachEdge(r, (src, dst, e) => {
      if (src < 0 || src >= n || dst < 0 || dst >= n) {
        throw new GraphpeError(
          'E_NODE_ID',
          `${WHERE}: record ${b} edge ${e} (${src}→${dst}) outside 0..${n - 1}`,
        );
      }
      if (src === dst) return;
      const t = table.typeOf(r.bondFeatures, e * Fb);
      // message from src arrives at dst: row dst, column t·N + src
      edgeAdjacency[(b * N + dst) * TN + t * N + src] = 1;
      adjacency[(b * N + dst) * N + src] = 1;
    });
    if (r.y.length !== Ty) {
      throw new GraphpeError('E_SHAPE', `${WHERE}: record ${b} has ${r.y.length} targets, expected ${Ty}`);
    }
    for (let j = 0; j < Ty; j++) {
      const v = r.y[j] as number;
      if (Number.isFinite(v)) {
        targets[b * Ty + j] = v;
        labelMask[b * Ty + j] = 1;
      }
    }
    if (pe) {
      if (!r.pe)
        throw new GraphpeError('E_OPTION', `${WHERE}: record ${b} has no pe but the model expects ${P}`);
      const Pr = r.peDim ?? r.pe.length / Math.max(n, 1);
      const pp = Math.min(P, Pr);
      for (let i = 0; i < n; i++) {
        for (let c = 0; c < pp; c++) {
          const v = r.pe[i * Pr + c] as number;
          pe[(b * N + i) * P + c] = Number.isFinite(v) ? v : 0;
        }
      }
    }
    if (eigVectors && eigValues && eigMask) {
      const s = r.eig;
      if (!s)
        throw new GraphpeError(
          'E_OPTION',
          `${WHERE}: record ${b} has no eig but the model expects ${K} pairs`,
        );
      const kk = Math.min(K, s.k);
      for (let j = 0; j < kk; j++) {
        const lam = s.values[j] as number;
        const real = s.mask ? s.mask[j] === 1 : Number.isFinite(lam);
        if (!real) continue;
        eigValues[b * K + j] = lam;
        eigMask[b * K + j] = 1;
        for (let i = 0; i < n; i++) eigVectors[(b * N + i) * K + j] = s.vectors[i * s.k + j] as number;
      }
    }
    if (frameMask) {
      if (!r.frameColumns) {
        throw new GraphpeError('E_OPTION', `${WHERE}: record ${b} has no frameColumns (see frameRecord)`);
      }
      for (let q = 0; q < r.frameColumns.length; q++) {
        const j = r.frameColumns[q] as number;
        if (j < K && eigMask?.[b * K + j] === 1) frameMask[b * K + j] = 1;
      }
    }
  }
  return {
    batchSize: B,
    maxNodes: N,
    nodeDim: D,
    numEdgeTypes: T,
    numTargets: Ty,
    numNodes,
    nodeFeatures,
    edgeAdjacency,
    adjacency,
    nodeMask,
    targets,
    labelMask,
    peDim: P,
    pe,
    eigK: K,
    eigVectors,
    eigValues,
    eigMask,
    frameMask,
    packed: packGraphs(edgeAdjacency, nodeMask, B, N, T),
  };
}

/**
 * Random sign flips of the fixed PE columns, per graph (LapPE augmentation in training, Dwivedi et al.
 * 2020): returns a batch whose `pe` is a flipped copy; everything else is shared.
 */
export function flipPeSigns(batch: MolBatch, rng: Rng): MolBatch {
  if (!batch.pe) return batch;
  const { batchSize: B, maxNodes: N, peDim: P } = batch;
  const pe = batch.pe.slice();
  for (let b = 0; b < B; b++) {
    for (let c = 0; c < P; c++) {
      if (rng.next() < 0.5) continue;
      for (let i = 0; i < N; i++) pe[(b * N + i) * P + c] = -(pe[(b * N + i) * P + c] as number);
    }
  }
  return { ...batch, pe };
}

/** Uploads a batch (dispose with {@link disposeMolTensors} or inside `tf.tidy`). */
export function molTensors(batch: MolBatch): MolTensors {
  const { batchSize: B, maxNodes: N, nodeDim: D, numEdgeTypes: T, numTargets: Ty, peDim: P, eigK: K } = batch;
  const edgeAdjacency = tf.tensor3d(batch.edgeAdjacency, [B, N, T * N]);
  attachPacked(edgeAdjacency, batch.packed ?? packGraphs(batch.edgeAdjacency, batch.nodeMask, B, N, T));
  return {
    nodeFeatures: tf.tensor3d(batch.nodeFeatures, [B, N, D]),
    edgeAdjacency,
    adjacency: tf.tensor3d(batch.adjacency, [B, N, N]),
    nodeMask: tf.tensor2d(batch.nodeMask, [B, N]),
    targets: tf.tensor2d(batch.targets, [B, Ty]),
    labelMask: tf.tensor2d(batch.labelMask, [B, Ty]),
    pe: batch.pe ? tf.tensor3d(batch.pe, [B, N, P]) : null,
    eigVectors: batch.eigVectors ? tf.tensor3d(batch.eigVectors, [B, N, K]) : null,
    eigValues: batch.eigValues ? tf.tensor2d(batch.eigValues, [B, K]) : null,
    eigMask: batch.eigMask ? tf.tensor2d(batch.eigMask, [B, K]) : null,
    frameMask: batch.frameMask ? tf.tensor2d(batch.frameMask, [B, K]) : null,
  };
}

/** Disposes the tensors of {@link molTensors}. */
export function disposeMolTensors(t: MolTensors): void {
  const all: tf.Tensor[] = [t.nodeFeatures, t.edgeAdjacency, t.adjacency, t.nodeMask, t.targets, t.labelMask];
  for (const x of [t.pe, t.eigVectors, t.eigValues, t.eigMask, t.frameMask]) if (x) all.push(x);
  tf.dispose(all);
}

/**
 * A record prepared for `lap+frame`: its spectrum canonized (the canon module's sign rule on simple
 * eigenvectors, OAP basis rule on eigenspaces; columns that cannot be made invariant are zeroed) as `eig`,
 * plus the sign-non-canonizable columns as `frameColumns`, which the frame averages over.
 */
export function frameRecord<R extends GraphRecord>(
  record: R,
  graph: Graph,
  spectrum: Spectrum,
): R & { eig: Spectrum; frameColumns: Int32Array } {
  const f = frameItem(graph, spectrum);
  return { ...record, eig: f.item.spectrum, frameColumns: f.columns };
}
