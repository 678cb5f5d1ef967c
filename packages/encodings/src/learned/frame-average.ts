/**
 * Frame averaging over sign frames in TensorFlow.js (Puny et al., "Frame Averaging for Invariant and
 * Equivariant Network Design", ICLR 2022; the canonization view of Ma et al. 2024, OAP, arXiv 2405.18378;
 * docs/canonization.md, "Frames"): canonize every eigenvector that can be canonized (the canon module),
 * then average an arbitrary encoder φ over the 2^m sign patterns of the m sign-non-canonizable columns:
 *
 *   Φ(U) = 2^{−m} Σ_{s ∈ {±1}^m} φ(U · diag(s on the flagged columns)).
 *
 * Φ is exactly invariant to the signs of the flagged columns whatever φ is (the set of patterns is
 * closed under flipping any of them), and — composed with canonization — to the signs and (for
 * basis-canonized eigenspaces) the bases the eigensolver returned.
 *
 * Batching: graphs with different m share one pass. With M = max_b m_b, 2^M patterns p are run for the
 * whole batch (batch axis P·B, pattern-major); graph b flips its t-th flagged column when bit t of p is
 * set, for t < m_b, and ignores bits ≥ m_b. So each of graph b's 2^{m_b} own patterns appears exactly
 * 2^{M−m_b} times among the 2^M, and the plain mean over the 2^M patterns equals the uniform mean over
 * its 2^{m_b} patterns — exact, at the price of redundant work for graphs with m_b < M. The cost is
 * 2^M evaluations of φ per batch; `maxM` (default 8, i.e. 256 passes) caps it with an error naming the
 * first graph past it. Tensors other than `vectors` are tiled, not flipped.
 */
import { checkOption, type Graph, GraphpeError, type Spectrum } from '@graphpe/spectral';
import type * as Tf from '@tensorflow/tfjs';
import { type SignFrameOptions, signFrame } from '../canon/frames.js';
import { type EigBatch, type EigBatchOptions, type EigItem, eigBatch } from './eig-batch.js';
import { mlpRows } from './nn/ops.js';
import { type MlpParams, ParamLayer, type ParamLayerArgs } from './nn/param-layer.js';
import { scatterRows } from './nn/sparse-aggregate.js';
import { inputShapes, inputTensors } from './signnet.js';
import { tf } from './tf.js';

/** Default cap on m, the number of framed columns of one graph (2^8 = 256 passes). */
export const DEFAULT_MAX_FRAME_BITS = 8;

/** Options of {@link frameAverageTf}; defaults in brackets. */
export interface FrameAverageTfOptions {
  /** Largest m allowed for any graph; past it an `E_TOO_LARGE` error names the graph and m [8]. */
  maxM?: number;
  /**
   * Equivariant averaging (1/2^M) Σ_s φ(U·diag(s))·diag(s): φ's output must end in an axis of length K
   * (e.g. [B, N, K] node features per eigenvector); then Φ(U·diag(s)) = Φ(U)·diag(s) on the framed columns [false].
   */
  equivariant?: boolean;
}

/** What {@link frameAverageTf} returns. */
export interface FrameAverageTfResult {
  /** The average, [B, ...] (φ's output without the pattern axis). */
  readonly output: Tf.Tensor;
  /** m per graph: the number of framed columns (frame size 2^m). */
  readonly m: Int32Array;
  /** 2^M, the number of patterns evaluated for the batch (M = max m). */
  readonly patterns: number;
}

/** Tensors handed to φ: `vectors` [B, N, K] plus any other tensors with a leading batch axis B. */
export type FrameTensors = { readonly vectors: Tf.Tensor } & {
  readonly [name: string]: Tf.Tensor | undefined;
};

/** Per-graph m and framed column lists of a [B, K] 0/1 frame mask (host arrays or a tensor). */
export function frameColumns(
  frameMask: Tf.Tensor | ArrayLike<number>,
  batchSize: number,
  k: number,
): { m: Int32Array; columns: Int32Array[] } {
  const data = frameMask instanceof tf.Tensor ? frameMask.dataSync() : frameMask;
  if (data.length !== batchSize * k) {
    throw new GraphpeError(
      'E_SHAPE',
      `encodings.frameAverageTf: frameMask has ${data.length} entries, expected B·K = ${batchSize}·${k}`,
    );
  }
  const m = new Int32Array(batchSize);
  const columns: Int32Array[] = [];
  for (let b = 0; b < batchSize; b++) {
    const cols: number[] = [];
    for (let j = 0; j < k; j++) if ((data[b * k + j] as number) !== 0) cols.push(j);
    m[b] = cols.length;
    columns.push(Int32Array.from(cols));
  }
  return { m, columns };
}

/**
 * Host-side sign patterns [P, B, K] (P = 2^M) of the batched frame: pattern p flips graph b's t-th framed
 * column when bit t of p is set (t < m_b).
 */
export function framePatterns(
  columns: readonly Int32Array[],
  k: number,
): { signs: Float32Array; patterns: number } {
  const B = columns.length;
  let M = 0;
  for (const c of columns) M = Math.max(M, c.length);
  const P = 2 ** M;
  const signs = new Float32Array(P * B * k).fill(1);
  for (let p = 0; p < P; p++)
    for (let b = 0; b < B; b++) {
      const cols = columns[b] as Int32Array;
      for (let t = 0; t < cols.length; t++)
        if ((p >> t) & 1) signs[(p * B + b) * k + (cols[t] as number)] = -1;
    }
  return { signs, patterns: P };
}

function checkCap(m: Int32Array, maxM: number, where: string): void {
  checkOption(
    Number.isInteger(maxM) && maxM >= 0 && maxM <= 24,
    where,
    'maxM must be an integer in [0, 24]',
    maxM,
  );
  for (let b = 0; b < m.length; b++) {
    const mb = m[b] as number;
    if (mb > maxM) {
      throw new GraphpeError(
        'E_TOO_LARGE',
        `${where}: graph ${b} has m = ${mb} sign-non-canonizable columns (frame of 2^${mb} = ${2 ** mb} patterns), more than maxM = ${maxM}; raise maxM, lower k, or drop those columns`,
        { graph: b, m: mb, maxM },
      );
    }
  }
}

/**
 * Average `fn` over the sign frame given by `frameMask` ([B, K], 1 on the columns to flip), batched over
 * graphs with different m (see the module comment: exact uniform average). `fn` receives `tensors` with
 * every tensor tiled to batch P·B (pattern-major) and `vectors` multiplied by the patterns' signs; it must
 * return a tensor with leading axis P·B. Reads `frameMask` on the host.
 */
export function frameAverageTf<T extends FrameTensors>(
  fn: (tensors: T) => Tf.Tensor,
  tensors: T,
  frameMask: Tf.Tensor | ArrayLike<number>,
  options: FrameAverageTfOptions = {},
): FrameAverageTfResult {
  const where = 'encodings.frameAverageTf';
  const maxM = options.maxM ?? DEFAULT_MAX_FRAME_BITS;
  const [B, , K] = tensors.vectors.shape as [number, number, number];
  checkOption(tensors.vectors.rank === 3, where, 'vectors must be [B, N, K]', tensors.vectors.rank);
  const { m, columns } = frameColumns(frameMask, B, K);
  checkCap(m, maxM, where);
  const { signs, patterns: P } = framePatterns(columns, K);
  const output = tf.tidy(() => {
    const s = tf.tensor4d(signs, [P, B, 1, K]);
    const tiled: Record<string, Tf.Tensor | undefined> = {};
    for (const [name, t] of Object.entries(tensors)) {
      if (t === undefined) continue;
      if (t.shape[0] !== B) {
        throw new GraphpeError(
          'E_SHAPE',
          `${where}: tensor '${name}' has leading axis ${t.shape[0]}, expected B = ${B}`,
        );
      }
      const rest = t.shape.slice(1);
      const rep = tf.tile(t.expandDims(0), [P, ...t.shape.map(() => 1)]);
      tiled[name] =
        name === 'vectors' ? tf.mul(rep, s).reshape([P * B, ...rest]) : rep.reshape([P * B, ...rest]);
    }
    let y = fn(tiled as T);
    if (y.shape[0] !== P * B) {
      throw new GraphpeError(
        'E_SHAPE',
        `${where}: fn returned leading axis ${y.shape[0]}, expected patterns·B = ${P}·${B}`,
      );
    }
    const rest = y.shape.slice(1);
    y = y.reshape([P, B, ...rest]);
    if (options.equivariant) {
      if (rest[rest.length - 1] !== K) {
        throw new GraphpeError(
          'E_SHAPE',
          `${where}: equivariant averaging needs fn's last axis = K = ${K}, got ${rest[rest.length - 1]}`,
        );
      }
      const sb = s.reshape([P, B, ...rest.slice(0, -1).map(() => 1), K]);
      y = tf.mul(y, sb);
    }
    return tf.div(y.sum(0), P);
  });
  return { output, m, patterns: P };
}

// ---------------------------------------------------------------------------------------------------
// Host side: canonize, then mark the sign-non-canonizable columns.

/** Options of {@link frameItem}/{@link frameBatch}: canonization and frame options, plus batching. */
export interface FrameBatchOptions extends Omit<SignFrameOptions, 'over' | 'cap'>, EigBatchOptions {}

/** A graph with its canonized spectrum and the columns its frame flips. */
export interface FrameItem {
  /** The graph with the canonized spectrum (`vectors` = the frame's base: unresolved columns zeroed by default). */
  readonly item: EigItem;
  /** The sign-non-canonizable columns (plus unresolved ones with `unresolved: 'sign'`). */
  readonly columns: Int32Array;
  /** Columns zeroed because no finite frame makes them invariant (`unresolved: 'drop'`, the default). */
  readonly dropped: Int32Array;
}

/**
 * Canonizes one spectrum (the canon module's `signFrame` with `over: 'noncanonizable'`: sign rule on simple
 * eigenvectors, OAP basis rule on eigenspaces, `basis_noncanonizable`/`partial` columns dropped by default)
 * and returns it with the columns to frame over. No cap here: {@link frameAverageTf} applies `maxM`.
 */
export function frameItem(
  graph: Graph,
  spectrum: Spectrum,
  options: Omit<SignFrameOptions, 'over' | 'cap'> = {},
): FrameItem {
  const f = signFrame(spectrum, { ...options, over: 'noncanonizable', cap: 2 ** 30 });
  const canonized: Spectrum = { ...spectrum, vectors: f.base };
  return { item: { graph, spectrum: canonized }, columns: f.columns, dropped: f.dropped };
}

/**
 * Canonizes every item and packs the padded batch with its frame mask [B, K] (1 on the columns to flip)
 * and m per graph: the inputs of {@link frameAverageTf} and {@link FrameAveragedMlp}.
 */
export function frameBatch(
  items: readonly EigItem[],
  options: FrameBatchOptions = {},
): { batch: EigBatch; frameMask: Float32Array; m: Int32Array; frames: FrameItem[] } {
  const { maxNodes, k, ...canonOpts } = options;
  const frames = items.map((it) => frameItem(it.graph, it.spectrum, canonOpts));
  const batchOpts: EigBatchOptions = {};
  if (maxNodes !== undefined) batchOpts.maxNodes = maxNodes;
  if (k !== undefined) batchOpts.k = k;
  const batch = eigBatch(
    frames.map((f) => f.item),
    batchOpts,
  );
  const K = batch.k;
  const frameMask = new Float32Array(batch.batchSize * K);
  const m = new Int32Array(batch.batchSize);
  frames.forEach((f, b) => {
    for (const j of f.columns) {
      if (j < K) {
        frameMask[b * K + j] = 1;
        m[b] = (m[b] as number) + 1;
      }
    }
  });
  return { batch, frameMask, m, frames };
}

// ---------------------------------------------------------------------------------------------------
// The `lap+frame` layer.

/** Options of {@link FrameAveragedMlp}; defaults in brackets. */
export interface FrameAveragedArgs extends ParamLayerArgs {
  /** Hidden width of the per-node MLP [64]. */
  hidden?: number;
  /** Output width per node [hidden]. */
  outDim?: number;
  /** Dense layers of the MLP (≥ 1) [2]. */
  mlpLayers?: number;
  /** Cap on m per graph [8]. */
  maxM?: number;
}

const WHERE = 'encodings.FrameAveragedMlp';

/**
 * `lap+frame`: a per-node MLP on raw LapPE rows (K → hidden → … → outDim, ReLU), averaged over the sign
 * frame of each graph's flagged columns, so it is exactly invariant to their signs (and, on canonized
 * inputs from {@link frameBatch}, to the solver's signs and bases).
 *
 * Inputs `[vectors [B,N,K], nodeMask [B,N], eigMask [B,K], frameMask [B,K]]` (K fixed); output
 * [B, N, outDim], 0 on padded nodes. m per graph of the last call: {@link FrameAveragedMlp.lastM}.
 */
export class FrameAveragedMlp extends ParamLayer {
  static className = 'GraphpeFrameAveraged';
  readonly hidden: number;
  readonly outDim: number;
  readonly mlpLayers: number;
  readonly maxM: number;
  /** m per graph of the last call (frame size 2^m). */
  lastM: Int32Array = new Int32Array(0);
  /** The per-node MLP φ's weights. */
  mlp!: MlpParams;

  constructor(args: FrameAveragedArgs = {}) {
    super(args);
    this.hidden = args.hidden ?? 64;
    this.outDim = args.outDim ?? this.hidden;
    this.mlpLayers = args.mlpLayers ?? 2;
    this.maxM = args.maxM ?? DEFAULT_MAX_FRAME_BITS;
    checkOption(
      Number.isInteger(this.hidden) && this.hidden >= 1,
      WHERE,
      'hidden must be an integer ≥ 1',
      this.hidden,
    );
    checkOption(
      Number.isInteger(this.outDim) && this.outDim >= 1,
      WHERE,
      'outDim must be an integer ≥ 1',
      this.outDim,
    );
    checkOption(
      Number.isInteger(this.mlpLayers) && this.mlpLayers >= 1,
      WHERE,
      'mlpLayers must be an integer ≥ 1',
      this.mlpLayers,
    );
  }

  override build(inputShape: Tf.Shape | Tf.Shape[]): void {
    const K = inputShapes(inputShape, 4, WHERE)[0]?.[2];
    if (typeof K !== 'number' || K < 1) {
      throw new GraphpeError('E_SHAPE', `${WHERE}: needs a fixed number of columns K in the input shape`, {
        K,
      });
    }
    const dims = [K, ...Array.from({ length: this.mlpLayers - 1 }, () => this.hidden), this.outDim];
    this.mlp = this.addMlp('mlp', { dims });
    this.built = true;
  }

  override computeOutputShape(inputShape: Tf.Shape | Tf.Shape[]): Tf.Shape {
    const s = inputShapes(inputShape, 4, WHERE)[0] as Tf.Shape;
    return [s[0] ?? null, s[1] ?? null, this.outDim];
  }

  /** The un-averaged per-node MLP φ(vectors) [B, N, outDim] (what the frame averages). */
  phi(vectors: Tf.Tensor, nodeMask: Tf.Tensor, eigMask: Tf.Tensor, training = false): Tf.Tensor {
    return tf.tidy(() => {
      const [B, N, K] = vectors.shape as [number, number, number];
      // Only the real nodes' rows go through the MLP: 2-D fused dense layers (bias + ReLU in the
      // matmul, explicit-transpose gradients), so batch-norm statistics never see padded nodes and
      // no work is spent on them (ZINC batches padded to 38 nodes are ~40% padding). The rows are
      // gathered on the host: `vectors` are inputs, not differentiated (weights are).
      const rows = realRows(nodeMask.dataSync(), B * N);
      if (rows.length === 0) return tf.zeros([B, N, this.outDim]);
      const x = gatherMaskedRows(vectors.dataSync(), eigMask.dataSync(), rows, N, K);
      const h = mlpRows(x, this.mlp, training, true);
      return scatterRows(h, rows, B * N).reshape([B, N, this.outDim]);
    });
  }

  override call(inputs: Tf.Tensor | Tf.Tensor[], kwargs: { training?: boolean }): Tf.Tensor {
    const [vectors, nodeMask, eigMask, frameMask] = inputTensors(inputs, 4, WHERE) as [
      Tf.Tensor,
      Tf.Tensor,
      Tf.Tensor,
      Tf.Tensor,
    ];
    const training = kwargs.training ?? false;
    const r = frameAverageTf(
      (t) => this.phi(t.vectors, t.nodeMask, t.eigMask, training),
      { vectors, nodeMask, eigMask },
      frameMask,
      { maxM: this.maxM },
    );
    this.lastM = r.m;
    return r.output;
  }

  override getConfig(): Tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      hidden: this.hidden,
      outDim: this.outDim,
      mlpLayers: this.mlpLayers,
      maxM: this.maxM,
    };
  }
}
tf.serialization.registerClass(FrameAveragedMlp);

/** Indices of the rows whose mask entry is non-zero, ascending. */
function realRows(mask: ArrayLike<number>, R: number): Int32Array {
  let count = 0;
  for (let r = 0; r < R; r++) if ((mask[r] as number) !== 0) count++;
  const rows = new Int32Array(count);
  for (let r = 0, p = 0; r < R; r++) if ((mask[r] as number) !== 0) rows[p++] = r;
  return rows;
}

/** Rows `rows` of v [B·N, K] times the eigen-column mask of their graph (eigMask [B, K]), as [R, K]. */
function gatherMaskedRows(
  v: ArrayLike<number>,
  eigMask: ArrayLike<number>,
  rows: Int32Array,
  N: number,
  K: number,
): Tf.Tensor2D {
  const out = new Float32Array(rows.length * K);
  for (let p = 0; p < rows.length; p++) {
    const r = rows[p] as number;
    const m = Math.floor(r / N) * K;
    for (let k = 0; k < K; k++) out[p * K + k] = (v[r * K + k] as number) * (eigMask[m + k] as number);
  }
  return tf.tensor2d(out, [rows.length, K]);
}
