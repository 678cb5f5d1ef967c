// bench:train's "wasm ×2 workers" column: GraphModel + DataParallelTrainer (packages/gnn/src/train/
// parallel.ts: synchronous data-parallel over worker_threads, BatchNorm statistics and gradients summed
// across replicas each step) with 2 replicas on the wasm backend, on the same batch file, in its own child
// process. GINE+spe runs with the encoder's BatchNorms unsynchronised (unsyncedPeNorm; timing only).
import { fileURLToPath } from 'node:url';
import { runJsonChild } from './child.mjs';

const self = fileURLToPath(import.meta.url);

/** ms per synchronous data-parallel step (median), or { error }. */
export async function timeStep({ pe, batchFile, batchSize, steps, warmup, config, workers = 2 }) {
  const r = runJsonChild(self, [
    JSON.stringify({ pe, batchFile, batchSize, steps, warmup, config, workers }),
  ]);
  return 'error' in r ? { error: r.error } : r.out;
}

async function child(a) {
  const L = await import('../../../packages/encodings/dist/learned/index.js');
  const G = await import('../../../packages/gnn/dist/index.js');
  const { readTensors, median, molBatchOf, benchModel } = await import('./tfstep.mjs');
  await L.initBackend({ backend: 'wasm', log: null });
  const { pe, batchSize: bs, config } = a;
  const d = readTensors(a.batchFile);
  const { batch } = molBatchOf(d, bs, pe);
  const model = benchModel(G, d, {
    pe,
    meta: config.meta,
    spe: config.spe,
    hidden: config.hidden,
    layers: config.layers,
  });
  const dp = await G.DataParallelTrainer.create({
    model,
    workers: a.workers,
    optimizer: { kind: 'adam', weightDecay: 3e-6 },
    unsyncedPeNorm: pe === 'spe',
  });
  const shards = G.splitBatch(batch, a.workers);
  const times = [];
  try {
    for (let s = 0; s < a.warmup + a.steps; s++) {
      const t0 = performance.now();
      await dp.step(shards, 1e-3);
      if (s >= a.warmup) times.push(performance.now() - t0);
    }
  } finally {
    await dp.dispose();
  }
  process.stdout.write(`${JSON.stringify({ ms: median(times), times, workers: a.workers, batch: bs })}\n`);
}

if (process.argv[1] === self && process.argv[2]) {
  await child(JSON.parse(process.argv[2]));
}
