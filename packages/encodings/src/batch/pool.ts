/**
 * The PE batch runner on worker threads (piscina): graphs go to the workers as packed typed arrays
 * (transferred), each worker rebuilds the pipeline from the spec string and returns packed outputs as
 * transferred buffers, so nothing is structured-cloned per graph. Outputs are identical to
 * {@link encodePeBatch} (same chunking, same code path).
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import {
  checkOption,
  type Graph,
  GraphpeError,
  type GraphpeErrorCode,
  type InFlight,
  inFlight,
} from '@graphpe/spectral';
import { Piscina } from 'piscina';
import { concatChunks, type PeChunk, packGraphs } from './pack.js';
import { chunkSizeOf, encodeChunk, type PeBatch, type PeBatchOptions, prepareSpec, specOf } from './run.js';
import { formatPeSpec, type PeSpec } from './spec.js';
import type { PeTask, PeTaskResult } from './worker.js';

const WHERE = 'encodings.encodePeBatchParallel';

/**
 * The compiled worker module: `./worker.js` next to this file when running from `dist/`, or this
 * package's `dist/batch/worker.js` when running from the TypeScript sources (tests). `E_FILE` when
 * neither exists (run `npx tsc -b`).
 */
export function resolvePeWorkerUrl(base: string = import.meta.url): URL {
  const candidates = [new URL('./worker.js', base)];
  if (/\.[cm]?ts$/.test(new URL(base).pathname)) candidates.push(new URL('../../dist/batch/worker.js', base));
  for (const url of candidates) if (existsSync(fileURLToPath(url))) return url;
  throw new GraphpeError(
    'E_FILE',
    `${WHERE}: worker module not found (looked for ${candidates.map((u) => fileURLToPath(u)).join(', ')}); build with \`npx tsc -b\``,
    { candidates: candidates.map(String) },
  );
}

/** Flags (and `--flag value` pairs) a worker thread accepts and may need to load modules like its parent. */
const LOADER_FLAGS = new Set([
  '--conditions',
  '-C',
  '--import',
  '--require',
  '-r',
  '--loader',
  '--experimental-loader',
]);
const LOADER_SWITCHES = new Set(['--enable-source-maps', '--no-warnings', '--trace-warnings']);

/**
 * The worker's execArgv: `undefined` (inherit the parent's, which Node filters to what a worker
 * accepts — V8 heap flags such as `--max-old-space-size` would make an explicit list throw
 * ERR_WORKER_INVALID_EXEC_ARGV) unless the parent runs with a `source` export condition (a test
 * runner's): the worker is compiled JS in `dist/` and must resolve `@graphpe/*` to `dist/`, so the
 * list is then rebuilt from the parent's module-loading flags only, without that condition.
 */
export function workerExecArgv(argv: readonly string[] = process.execArgv): string[] | undefined {
  const isSource = (a: string, next: string | undefined) =>
    ((a === '--conditions' || a === '-C') && next === 'source') ||
    a === '--conditions=source' ||
    a === '-C=source';
  if (!argv.some((a, i) => isSource(a, argv[i + 1]))) return undefined;
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (isSource(a, argv[i + 1])) {
      if (!a.includes('=')) i++;
      continue;
    }
    const name = a.split('=')[0] as string;
    if (LOADER_FLAGS.has(name)) {
      out.push(a);
      if (!a.includes('=') && i + 1 < argv.length) out.push(argv[++i] as string);
    } else if (LOADER_SWITCHES.has(a)) out.push(a);
  }
  return out;
}

/** Options of {@link PePool.run} and {@link PePool.chunks}. */
export interface PePoolRunOptions extends PeBatchOptions {
  /** Chunks queued on the pool ahead of the one being consumed (bounds memory) [4 per thread]. */
  ahead?: number;
}

/** A reusable pool of PE worker threads; call {@link PePool.close} when done so the process can exit. */
export interface PePool {
  readonly workers: number;
  /** All outputs, packed (same result as `encodePeBatch`). */
  run(graphs: readonly Graph[], spec: PeSpec | string, options?: PePoolRunOptions): Promise<PeBatch>;
  /** Chunks in graph order as they complete (at most `ahead` in flight). */
  chunks(
    graphs: readonly Graph[],
    spec: PeSpec | string,
    options?: PePoolRunOptions,
  ): AsyncGenerator<PeChunk>;
  /** Chunks still on the workers (a consumer that stopped early or a failed run can leave some). */
  readonly pending: number;
  /** Let the chunks still on the workers finish, then terminate the threads. */
  close(): Promise<void>;
}

/** Options of {@link createPePool}; defaults in brackets. */
export interface PePoolOptions {
  /** Worker threads [`os.availableParallelism()`, or one less with `caller`]. */
  workers?: number;
  /**
   * The calling thread encodes chunks too whenever no finished chunk is waiting for it (the same
   * `encodeChunk`, so outputs are identical) [false]. It computes from the first moment, while the
   * workers start, so on a small batch `{ workers: c − 1, caller: true }` beats c workers; its event
   * loop is busy for a chunk at a time.
   */
  caller?: boolean;
}

/** Create a pool of `workers` threads (default `os.availableParallelism()`, one less with `caller`). */
export function createPePool(options: PePoolOptions = {}): PePool {
  const caller = options.caller ?? false;
  checkOption(typeof caller === 'boolean', WHERE, 'caller must be a boolean', caller);
  const workers = options.workers ?? Math.max(1, availableParallelism() - (caller ? 1 : 0));
  checkOption(Number.isInteger(workers) && workers >= 1, WHERE, 'workers must be an integer ≥ 1', workers);
  const execArgv = workerExecArgv();
  const piscina = new Piscina<PeTask, PeTaskResult>({
    filename: fileURLToPath(resolvePeWorkerUrl()),
    minThreads: workers,
    maxThreads: workers,
    idleTimeout: 30_000,
    // Tasks wait in the worker, not in the parent's queue: a worker keeps going while the caller encodes.
    concurrentTasksPerWorker: caller ? 2 : 1,
    ...(execArgv ? { execArgv } : {}),
  });
  let closed = false;
  // close() lets tasks still on the workers finish first (see InFlight for why).
  const pending = inFlight();
  const chunks = (graphs: readonly Graph[], spec: PeSpec | string, runOptions: PePoolRunOptions = {}) => {
    if (closed) throw new GraphpeError('E_OPTION', `${WHERE}: the pool is closed`);
    return runChunks(piscina, pending, workers, caller, graphs, spec, runOptions);
  };
  return {
    workers,
    get pending() {
      return pending.size;
    },
    chunks,
    run: async (graphs, spec, runOptions = {}) => {
      const parts: PeChunk[] = [];
      for await (const c of chunks(graphs, spec, runOptions)) parts.push(c);
      return concatChunks(parts);
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await pending.drain();
      await piscina.destroy();
    },
  };
}

async function* runChunks(
  piscina: Piscina<PeTask, PeTaskResult>,
  pending: InFlight,
  workers: number,
  caller: boolean,
  graphs: readonly Graph[],
  spec: PeSpec | string,
  options: PePoolRunOptions,
): AsyncGenerator<PeChunk> {
  checkOption(Array.isArray(graphs), WHERE, 'graphs must be an array of Graph', typeof graphs);
  const size = chunkSizeOf(options, WHERE);
  const ahead = options.ahead ?? 4 * (workers + (caller ? 1 : 0));
  checkOption(Number.isInteger(ahead) && ahead >= 1, WHERE, 'ahead must be an integer ≥ 1', ahead);
  const parsed = specOf(spec, options);
  const text = formatPeSpec(parsed);
  const context = { ...options.context };
  const prepared = caller ? prepareSpec(parsed) : undefined;
  const total = graphs.length;
  let done = 0;
  const report = (count: number) => {
    done += count;
    options.onProgress?.(done, total);
  };
  const submit = (b0: number): Promise<PeChunk> => {
    const b1 = Math.min(total, b0 + size);
    const packed = packGraphs(graphs, b0, b1);
    const task: PeTask = { ...packed, spec: text, context, start: b0 };
    return pending
      .track(
        piscina.run(task, { transferList: [packed.ints.buffer, packed.weights.buffer] as ArrayBuffer[] }),
      )
      .then((res) => {
        if ('error' in res) {
          throw new GraphpeError(res.error.code as GraphpeErrorCode, res.error.message, res.error.details);
        }
        report(res.count);
        return res;
      });
  };
  // Chunks in graph order: each slot is a worker's promise or a chunk the caller encoded itself.
  type Slot = { promise?: Promise<PeChunk>; settled: boolean; chunk?: PeChunk };
  const queue: Slot[] = [];
  let next = 0;
  let inWorkers = 0;
  const push = () => {
    const slot: Slot = { settled: false };
    const p = submit(next);
    // Rejections are observed when their turn comes; mark them handled meanwhile.
    const settle = () => {
      slot.settled = true;
      inWorkers--;
    };
    p.then(settle, settle);
    slot.promise = p;
    queue.push(slot);
    inWorkers++;
    next += size;
  };
  // With the caller encoding too, the workers hold two chunks each (one running, one waiting in the
  // worker) and the caller takes the rest in turn; `ahead` bounds the chunks held either way.
  const inWorkersCap = caller ? 2 * workers : ahead;
  const fill = () => {
    while (next < total && inWorkers < inWorkersCap && queue.length < ahead) push();
  };
  fill();
  while (queue.length > 0) {
    const head = queue[0] as Slot;
    if (prepared && !head.settled && next < total && queue.length < ahead) {
      // Nothing to hand over yet: the caller encodes the next chunk in line itself.
      const b0 = next;
      const b1 = Math.min(total, b0 + size);
      next = b1;
      const chunk = encodeChunk(graphs.slice(b0, b1), prepared, context, b0);
      queue.push({ settled: true, chunk });
      report(chunk.count);
      // Let finished workers' messages in before choosing again.
      await new Promise<void>((resolve) => setImmediate(resolve));
      fill();
      continue;
    }
    queue.shift();
    const chunk = head.chunk ?? (await (head.promise as Promise<PeChunk>));
    fill();
    yield chunk;
  }
}

/** Options of {@link encodePeBatchParallel}. */
export interface PeBatchParallelOptions extends PePoolRunOptions {
  /** Worker threads (default `os.availableParallelism()`); ignored when `pool` is given. */
  workers?: number;
  /** Run on this pool (kept open) instead of a temporary one (created and closed around the call). */
  pool?: PePool;
}

/**
 * {@link encodePeBatch} on worker threads; identical outputs. Without `pool` a temporary pool is
 * created and closed (thread start-up included in the call).
 */
export async function encodePeBatchParallel(
  graphs: readonly Graph[],
  spec: PeSpec | string,
  options: PeBatchParallelOptions = {},
): Promise<PeBatch> {
  if (options.pool) return options.pool.run(graphs, spec, options);
  const parsed = specOf(spec, options);
  chunkSizeOf(options, WHERE);
  const pool = createPePool({ workers: options.workers });
  try {
    return await pool.run(graphs, parsed, options);
  } finally {
    await pool.close();
  }
}
