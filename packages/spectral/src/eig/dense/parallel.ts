import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { checkOption, GraphpeError, type GraphpeErrorCode } from '../../errors.js';
import type { Graph, LaplacianKind } from '../../graph/types.js';
import { type InFlight, inFlight } from '../../util/in-flight.js';
import { allocateBatch, batchOptions, type EighBatch, graphSizes } from './batch.js';
import { packGraphs } from './pack.js';
import { denseKernels } from './wasm/loader.js';
import type { EighTask, EighTaskResult } from './worker.js';

const WHERE = 'spectral.laplacianEighBatchParallel';

/**
 * The compiled worker module: `./worker.js` next to this file when running from `dist/`, or
 * `dist/eig/dense/worker.js` of this package when running from the TypeScript sources (tests).
 * Throws `E_FILE` when neither exists (run `npx tsc -b`).
 */
export function resolveWorkerUrl(base: string = import.meta.url): URL {
  const candidates = [new URL('./worker.js', base)];
  if (/\.[cm]?ts$/.test(new URL(base).pathname))
    candidates.push(new URL('../../../dist/eig/dense/worker.js', base));
  for (const url of candidates) if (existsSync(fileURLToPath(url))) return url;
  throw new GraphpeError(
    'E_FILE',
    `${WHERE}: worker module not found (looked for ${candidates.map((u) => fileURLToPath(u)).join(', ')}); build the package with \`npx tsc -b\``,
    { candidates: candidates.map(String) },
  );
}

/** Options of {@link EighPool.run} and {@link laplacianEighBatchParallel}. */
export interface ParallelEighOptions {
  /** Which Laplacian (default `'sym'`). */
  laplacian?: LaplacianKind;
  /** Compute eigenvectors (default true). */
  vectors?: boolean;
  /** Graphs per task (default: about 6 tasks per worker, balanced by Σ n³). */
  chunkSize?: number;
}

/** A reusable pool of eigensolver worker threads; call {@link EighPool.close} when done. */
export interface EighPool {
  readonly workers: number;
  /** Same result as `laplacianEighBatch(graphs, options)`, bit for bit, computed by the workers. */
  run(graphs: readonly Graph[], options?: ParallelEighOptions): Promise<EighBatch>;
  /** Tasks (chunks of graphs) still on the workers, from runs that are going or have just failed. */
  readonly pending: number;
  /** Let the tasks still on the workers finish, then terminate the threads. */
  close(): Promise<void>;
}

/** Create a pool of `workers` threads (default `os.availableParallelism()`), backed by piscina. */
export function createEighPool(options: { workers?: number } = {}): EighPool {
  const workers = options.workers ?? availableParallelism();
  checkOption(
    Number.isInteger(workers) && workers >= 1,
    WHERE,
    'workers must be a positive integer',
    workers,
  );
  const piscina = new Piscina<EighTask, EighTaskResult>({
    filename: fileURLToPath(resolveWorkerUrl()),
    minThreads: workers,
    maxThreads: workers,
    idleTimeout: 30_000,
  });
  let closed = false;
  // close() lets tasks still on the workers finish first (see InFlight for why).
  const pending = inFlight();
  return {
    workers,
    get pending() {
      return pending.size;
    },
    run: (graphs, runOptions = {}) => {
      if (closed) throw new GraphpeError('E_OPTION', `${WHERE}: the pool is closed`);
      return runOnPool(piscina, pending, workers, graphs, runOptions);
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await pending.drain();
      await piscina.destroy();
    },
  };
}

/** Contiguous chunks [start[c], start[c+1]) of roughly equal cost Σ n³ (or of `chunkSize` graphs). */
function chunkBounds(sizes: Int32Array, workers: number, chunkSize?: number): number[] {
  const count = sizes.length;
  const bounds = [0];
  if (chunkSize !== undefined) {
    for (let b = chunkSize; b < count; b += chunkSize) bounds.push(b);
  } else {
    let total = 0;
    for (let b = 0; b < count; b++) total += sizes[b] ** 3 + 64;
    const target = Math.max(total / (workers * 6), 1);
    let acc = 0;
    for (let b = 0; b < count; b++) {
      acc += sizes[b] ** 3 + 64;
      if (acc >= target && b + 1 < count) {
        bounds.push(b + 1);
        acc = 0;
      }
    }
  }
  if (count > 0) bounds.push(count);
  return bounds;
}

async function runOnPool(
  piscina: Piscina<EighTask, EighTaskResult>,
  pending: InFlight,
  workers: number,
  graphs: readonly Graph[],
  options: ParallelEighOptions,
): Promise<EighBatch> {
  const { laplacian, vectors } = batchOptions(options, WHERE);
  const { chunkSize } = options;
  checkOption(
    chunkSize === undefined || (Number.isInteger(chunkSize) && chunkSize >= 1),
    WHERE,
    'chunkSize must be a positive integer',
    chunkSize,
  );
  const sizes = graphSizes(graphs, WHERE);
  const batch = allocateBatch(sizes, laplacian, vectors, 'shared');
  const bounds = chunkBounds(sizes, workers, chunkSize);
  const tasks: Promise<void>[] = [];
  const kernels = denseKernels();
  for (let c = 0; c + 1 < bounds.length; c++) {
    const b0 = bounds[c];
    const b1 = bounds[c + 1];
    const packed = packGraphs(graphs, b0, b1);
    const task: EighTask = {
      ...packed,
      laplacian,
      vectors,
      kernels,
      indexBase: b0,
      values: batch.values,
      vectorData: batch.vectors,
      valueOffset: batch.valueOffsets[b0],
      vectorOffset: batch.vectorOffsets[b0],
    };
    const transferList = [packed.ints.buffer, packed.weights.buffer] as ArrayBuffer[];
    tasks.push(
      pending.track(piscina.run(task, { transferList })).then((res) => {
        if (res !== null) throw new GraphpeError(res.code as GraphpeErrorCode, res.message, res.details);
      }),
    );
  }
  // Every chunk settles before the call does: no task is left running behind a rejection, and the
  // error reported is the first failing chunk's in graph order, whichever worker finished first.
  const settled = await Promise.allSettled(tasks);
  for (const s of settled) if (s.status === 'rejected') throw s.reason;
  return batch;
}

/** Options of {@link laplacianEighBatchParallel}. */
export interface LaplacianEighBatchParallelOptions extends ParallelEighOptions {
  /** Worker threads (default `os.availableParallelism()`); ignored when `pool` is given. */
  workers?: number;
  /** Run on this pool (kept open) instead of a temporary one (created and destroyed per call). */
  pool?: EighPool;
}

/**
 * {@link laplacianEighBatch} on worker threads (piscina): graphs are sent to workers as packed
 * typed arrays and the workers write their eigenpairs straight into the batch, whose `values` and
 * `vectors` live in a SharedArrayBuffer (no copy or transfer back); the output is bit-identical to
 * the single-thread path. Without `pool`, a temporary pool is created and destroyed around the call
 * (thread start-up included); pass a {@link createEighPool} pool for repeated calls.
 */
export async function laplacianEighBatchParallel(
  graphs: readonly Graph[],
  options: LaplacianEighBatchParallelOptions = {},
): Promise<EighBatch> {
  if (options.pool) return options.pool.run(graphs, options);
  batchOptions(options, WHERE);
  graphSizes(graphs, WHERE);
  const pool = createEighPool({ workers: options.workers });
  try {
    return await pool.run(graphs, options);
  } finally {
    await pool.close();
  }
}
