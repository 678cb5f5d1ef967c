/**
 * Synchronous data-parallel training over `worker_threads` (issue 8: use both cores; the tfjs wasm
 * backend runs single-threaded under Node).
 *
 * Every replica (the calling thread = rank 0, plus `workers − 1` threads) holds the same model and an
 * identical optimizer, and gets a shard of each batch (whole graphs). The replicas meet in a
 * shared-memory all-reduce (a SharedArrayBuffer, `Atomics.wait` barriers, sums taken in rank order in
 * float64 so every replica gets the very same numbers):
 * - inside every training-mode BatchNorm of the GINE (`batchNormReluRows` with `setRowReducer`): the
 *   statistics and the Σ over rows in its gradient run over the whole batch (synchronised BatchNorm),
 * - after the backward pass: gradients and loss are summed, each replica's loss being its masked-loss sum
 *   divided by the label count of the whole batch;
 * then every replica applies the same Adam update, so weights never need broadcasting. The result is the
 * single-process step on the whole batch up to float32 summation order (test: train-parallel). Needs the
 * packed GINE layout (cpu / wasm backends). A learned PE encoder's own BatchNorms are not synchronised
 * (its statistics are per shard), so learned PEs are refused unless `unsyncedPeNorm` is set (timing only).
 */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { backendInfo, setRowReducer, tf } from '@graphpe/encodings/learned';
import { GraphpeError } from '@graphpe/spectral';
import { disposeMolTensors, type MolBatch, molTensors } from '../model/batch.js';
import { gineLayoutNow } from '../model/gine.js';
import type { GraphModel, ResolvedModelConfig } from '../model/model.js';
import { isLearnedPe } from '../model/pe.js';
import { type LossName, maskedLoss } from './loss.js';
import { type AdamOptions, AdamWithDecay } from './optimizer.js';

const WHERE = 'gnn.DataParallel';
const BARRIER_TIMEOUT_MS = 300_000;

/** A blocking all-reduce (sum) among `size` threads over one SharedArrayBuffer. */
export class SharedReducer {
  private readonly ctl: Int32Array;
  private readonly data: Float64Array;

  /** Shared memory for `size` ranks and vectors of up to `maxLen` numbers. */
  static allocate(size: number, maxLen: number): SharedArrayBuffer {
    return new SharedArrayBuffer(16 + 8 * size * maxLen);
  }

  constructor(
    readonly sab: SharedArrayBuffer,
    readonly rank: number,
    readonly size: number,
    readonly maxLen: number,
  ) {
    this.ctl = new Int32Array(sab, 0, 4);
    this.data = new Float64Array(sab, 16, size * maxLen);
  }

  private barrier(): void {
    const gen = Atomics.load(this.ctl, 1);
    if (Atomics.add(this.ctl, 0, 1) === this.size - 1) {
      Atomics.store(this.ctl, 0, 0);
      Atomics.add(this.ctl, 1, 1);
      Atomics.notify(this.ctl, 1);
      return;
    }
    const t0 = Date.now();
    while (Atomics.load(this.ctl, 1) === gen) {
      if (Atomics.wait(this.ctl, 1, gen, 1000) === 'timed-out' && Date.now() - t0 > BARRIER_TIMEOUT_MS) {
        throw new GraphpeError(
          'E_BACKEND',
          `${WHERE}: a replica did not reach the all-reduce (rank ${this.rank})`,
        );
      }
    }
  }

  /** The elementwise sum of `local` over all ranks (rank order), the same array on every rank. */
  reduce(local: ArrayLike<number>): Float64Array {
    const n = local.length;
    if (n > this.maxLen)
      throw new GraphpeError('E_SHAPE', `${WHERE}: all-reduce of ${n} > ${this.maxLen} numbers`);
    this.data.set(local, this.rank * this.maxLen);
    this.barrier();
    const out = new Float64Array(n);
    for (let r = 0; r < this.size; r++) {
      const o = r * this.maxLen;
      for (let i = 0; i < n; i++) out[i] = (out[i] as number) + (this.data[o + i] as number);
    }
    this.barrier();
    return out;
  }
}

/** Splits a padded batch into `parts` batches of consecutive whole graphs (same padding). */
export function splitBatch(batch: MolBatch, parts: number): MolBatch[] {
  const B = batch.batchSize;
  if (!(Number.isInteger(parts) && parts >= 1 && parts <= B)) {
    throw new GraphpeError('E_OPTION', `${WHERE}: cannot split ${B} graphs into ${parts} shards`);
  }
  const out: MolBatch[] = [];
  for (let k = 0; k < parts; k++) {
    const b0 = Math.floor((k * B) / parts);
    const b1 = Math.floor(((k + 1) * B) / parts);
    const cut = <A extends Float32Array | Int32Array>(a: A | null): A | null => {
      if (!a) return null;
      const row = a.length / B;
      return a.slice(b0 * row, b1 * row) as A;
    };
    const { packed: _drop, ...rest } = batch;
    out.push({
      ...rest,
      batchSize: b1 - b0,
      numNodes: cut(batch.numNodes) as Int32Array,
      nodeFeatures: cut(batch.nodeFeatures) as Float32Array,
      edgeAdjacency: cut(batch.edgeAdjacency) as Float32Array,
      adjacency: cut(batch.adjacency) as Float32Array,
      nodeMask: cut(batch.nodeMask) as Float32Array,
      targets: cut(batch.targets) as Float32Array,
      labelMask: cut(batch.labelMask) as Float32Array,
      pe: cut(batch.pe),
      eigVectors: cut(batch.eigVectors),
      eigValues: cut(batch.eigValues),
      eigMask: cut(batch.eigMask),
      frameMask: cut(batch.frameMask),
    });
  }
  return out;
}

function labelCount(b: MolBatch): number {
  let c = 0;
  for (const v of b.labelMask) c += v;
  return c;
}

/** One replica's share of a synchronous step. @internal (used by the worker too) */
export function replicaStep(
  model: GraphModel,
  opt: AdamWithDecay,
  reducer: SharedReducer,
  batch: MolBatch,
  lr: number,
  loss: LossName,
  totalLabels: number,
  phantom = false,
): number {
  if (gineLayoutNow() !== 'packed') {
    throw new GraphpeError('E_BACKEND', `${WHERE}: needs the packed GINE layout (cpu or wasm backend)`);
  }
  opt.learningRate = lr;
  // A phantom replica (a batch with fewer graphs than replicas) runs a copy of a real shard to keep the
  // all-reduce sequence, and contributes zeros to every sum.
  const reduce = (v: Float64Array) => reducer.reduce(phantom ? v.fill(0) : v);
  const local = phantom ? 0 : labelCount(batch);
  const t = molTensors(batch);
  const prev = setRowReducer(reduce);
  try {
    const sizes: number[] = [];
    const l = opt.step(
      () =>
        tf.mul(
          maskedLoss(loss, model.apply(t, true), t.targets, t.labelMask),
          local / Math.max(totalLabels, 1),
        ),
      (ts) => {
        let n = 0;
        for (const x of ts) {
          sizes.push(x.size);
          n += x.size;
        }
        const flat = new Float64Array(n);
        let o = 0;
        for (const x of ts) {
          flat.set(x.dataSync(), o);
          o += x.size;
        }
        const sum = reduce(flat);
        o = 0;
        return ts.map((x) => {
          const y = tf.tensor(Float32Array.from(sum.subarray(o, o + x.size)), x.shape);
          o += x.size;
          return y;
        });
      },
    );
    const v = l.dataSync()[0] as number;
    l.dispose();
    return v;
  } finally {
    setRowReducer(prev);
    disposeMolTensors(t);
  }
}

export interface DataParallelOptions {
  /** The rank-0 replica (trained in the calling thread; its weights are copied to the workers). */
  model: GraphModel;
  /** Replicas including the calling thread [2]. */
  workers?: number;
  /** Optimizer options (every replica builds the same AdamWithDecay). */
  optimizer?: AdamOptions;
  /** Loss ['l1']. */
  loss?: LossName;
  /** Allow a learned PE whose own BatchNorm statistics stay per shard [false]. */
  unsyncedPeNorm?: boolean;
  /**
   * The rank-0 optimizer to continue with (built with `optimizer`; e.g. restored from a checkpoint): its
   * state is copied to the workers. Default: a fresh one. {@link DataParallelTrainer.dispose} leaves it.
   */
  adam?: AdamWithDecay;
}

interface WorkerInit {
  sab: SharedArrayBuffer;
  rank: number;
  size: number;
  maxLen: number;
  backend: string;
  config: ResolvedModelConfig;
  weights: { shape: number[]; data: Float32Array }[];
  optimizer: AdamOptions;
  optimizerState: { name: string; shape: number[]; data: Float32Array }[] | null;
  loss: LossName;
}

/** The worker script (compiled JS next to this module; from the TypeScript sources, the built dist/). */
function workerUrl(): URL {
  const here = import.meta.url;
  return here.endsWith('.ts')
    ? new URL('../../dist/train/parallel-worker.js', here)
    : new URL('./parallel-worker.js', here);
}

/** Synchronous data-parallel trainer (see the module comment). */
export class DataParallelTrainer {
  readonly model: GraphModel;
  readonly optimizer: AdamWithDecay;
  readonly size: number;
  private readonly reducer: SharedReducer;
  private readonly workers: Worker[];
  private readonly loss: LossName;
  private errors: Error[] = [];
  private ownsOptimizer = true;

  private constructor(
    model: GraphModel,
    opt: AdamWithDecay,
    reducer: SharedReducer,
    workers: Worker[],
    loss: LossName,
  ) {
    this.model = model;
    this.optimizer = opt;
    this.reducer = reducer;
    this.workers = workers;
    this.size = reducer.size;
    this.loss = loss;
    for (const w of workers) w.on('error', (e) => this.errors.push(e));
  }

  /** Starts `workers − 1` worker threads holding copies of `model` (on the current tfjs backend). */
  static async create(o: DataParallelOptions): Promise<DataParallelTrainer> {
    const size = o.workers ?? 2;
    if (!(Number.isInteger(size) && size >= 1)) {
      throw new GraphpeError('E_OPTION', `${WHERE}: workers must be a positive integer (got ${size})`);
    }
    if (isLearnedPe(o.model.config.pe) && !o.unsyncedPeNorm) {
      throw new GraphpeError(
        'E_OPTION',
        `${WHERE}: pe '${o.model.config.pe}' has BatchNorms that data-parallel training does not synchronise`,
      );
    }
    const backend = backendInfo()?.name ?? tf.getBackend();
    const params = o.model.countParams();
    const maxLen = Math.max(params + 1, 4 * 4096);
    const sab = SharedReducer.allocate(size, maxLen);
    const weights = o.model.model
      .getWeights()
      .map((w) => ({ shape: w.shape, data: w.dataSync() as Float32Array }));
    const optimizer = o.optimizer ?? {};
    const loss = o.loss ?? 'l1';
    let optimizerState: WorkerInit['optimizerState'] = null;
    if (o.adam && o.adam.iterations > 0) {
      const st = await o.adam.getState();
      optimizerState = st.map((x) => ({
        name: x.name,
        shape: x.tensor.shape,
        data: Float32Array.from(x.tensor.dataSync()),
      }));
    }
    const workers: Worker[] = [];
    const ready: Promise<void>[] = [];
    for (let rank = 1; rank < size; rank++) {
      const init: WorkerInit = {
        sab,
        rank,
        size,
        maxLen,
        backend,
        config: o.model.config,
        weights: weights.map((w) => ({ shape: w.shape, data: w.data.slice() })),
        optimizer,
        optimizerState,
        loss,
      };
      // execArgv []: no inherited `--conditions source` (a test runner's), so the worker loads the built JS.
      const w = new Worker(fileURLToPath(workerUrl()), { workerData: init, execArgv: [] });
      workers.push(w);
      ready.push(
        new Promise((resolve, reject) => {
          w.once('message', (m: { type: string; error?: string }) =>
            m.type === 'ready' ? resolve() : reject(new GraphpeError('E_BACKEND', `${WHERE}: ${m.error}`)),
          );
          w.once('error', reject);
        }),
      );
    }
    try {
      await Promise.all(ready);
    } catch (e) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw e;
    }
    const opt = o.adam ?? new AdamWithDecay(o.model.trainableVariables(), optimizer);
    const dp = new DataParallelTrainer(o.model, opt, new SharedReducer(sab, 0, size, maxLen), workers, loss);
    dp.ownsOptimizer = !o.adam;
    return dp;
  }

  /**
   * One synchronous step on `batch` (split into whole-graph shards; or pre-split `shards`, one per replica)
   * at learning rate `lr`; returns the loss of the whole batch.
   */
  async step(batch: MolBatch | MolBatch[], lr: number): Promise<number> {
    let shards: MolBatch[];
    let real = this.size;
    if (Array.isArray(batch)) shards = batch;
    else if (batch.batchSize >= this.size) shards = splitBatch(batch, this.size);
    else {
      // fewer graphs than replicas: one graph each, the rest are phantoms (see replicaStep)
      real = batch.batchSize;
      shards = splitBatch(batch, real);
      while (shards.length < this.size) shards.push(shards[0] as MolBatch);
    }
    if (shards.length !== this.size) {
      throw new GraphpeError('E_OPTION', `${WHERE}: ${shards.length} shards for ${this.size} replicas`);
    }
    if (this.errors.length > 0) throw this.errors[0];
    let total = 0;
    for (const s of shards.slice(0, real)) total += labelCount(s);
    const done = this.workers.map(
      (w) =>
        new Promise<void>((resolve, reject) => {
          w.once('message', (m: { type: string; error?: string }) =>
            m.type === 'done' ? resolve() : reject(new GraphpeError('E_BACKEND', `${WHERE}: ${m.error}`)),
          );
        }),
    );
    this.workers.forEach((w, k) => {
      w.postMessage({ type: 'step', batch: shards[k + 1], lr, total, phantom: k + 1 >= real });
    });
    const loss = replicaStep(
      this.model,
      this.optimizer,
      this.reducer,
      shards[0] as MolBatch,
      lr,
      this.loss,
      total,
    );
    await Promise.all(done);
    return loss;
  }

  /** Stops the workers and disposes the optimizer it created (the model and a given `adam` stay). */
  async dispose(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    if (this.ownsOptimizer) this.optimizer.dispose();
  }
}
