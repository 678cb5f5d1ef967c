// bench:train's "wasm ×2 workers" column: GraphModel + DataParallelTrainer (packages/gnn/src/train/
// parallel.ts: synchronous data-parallel over worker_threads, BatchNorm statistics and gradients summed
// across replicas each step) with 2 replicas on the wasm backend, on the same batch file, in its own child
// process. GINE+spe runs with the encoder's BatchNorms unsynchronised (unsyncedPeNorm; timing only).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const self = fileURLToPath(import.meta.url);

/** ms per synchronous data-parallel step (median), or { error }. */
export async function timeStep({ pe, batchFile, batchSize, steps, warmup, config, workers = 2 }) {
  const r = spawnSync(
    process.execPath,
    [self, JSON.stringify({ pe, batchFile, batchSize, steps, warmup, config, workers })],
    { encoding: 'utf8', maxBuffer: 1 << 26 },
  );
  const last = (r.stdout || '').trim().split('\n').pop();
  if (r.status !== 0 || !last) {
    const err = (r.stderr || '')
      .split('\n')
      .filter((l) => /Error|Aborted/.test(l))
      .slice(-1)[0];
    return { error: (err ?? `exit ${r.signal ?? r.status}`).trim().slice(0, 120) };
  }
  return JSON.parse(last);
}

async function child(a) {
  const L = await import('../../../packages/encodings/dist/learned/index.js');
  const G = await import('../../../packages/gnn/dist/index.js');
  const { readTensors, median } = await import('./tfstep.mjs');
  await L.initBackend({ backend: 'wasm', log: null });
  const { pe, batchSize: bs, config } = a;
  const d = readTensors(a.batchFile);
  const N = d.nodeMask.shape[1];
  const K = d.vectors?.shape[2] ?? 0;
  const cut = (name) => {
    const t = d[name];
    return t.data.subarray(0, bs * (t.data.length / t.shape[0]));
  };
  const batch = {
    batchSize: bs,
    maxNodes: N,
    nodeDim: d.nodeFeatures.shape[2],
    numEdgeTypes: d.edgeAdjacency.shape[2] / N,
    numTargets: 1,
    numNodes: Int32Array.from(cut('numNodes')),
    nodeFeatures: cut('nodeFeatures'),
    edgeAdjacency: cut('edgeAdjacency'),
    adjacency: cut('adjacency'),
    nodeMask: cut('nodeMask'),
    targets: cut('targets'),
    labelMask: cut('labelMask'),
    peDim: pe === 'rwse' ? d.pe.shape[2] : 0,
    pe: pe === 'rwse' ? cut('pe') : null,
    eigK: pe === 'spe' ? K : 0,
    eigVectors: pe === 'spe' ? cut('vectors') : null,
    eigValues: pe === 'spe' ? cut('values') : null,
    eigMask: pe === 'spe' ? cut('eigMask') : null,
    frameMask: null,
  };
  const model = G.GraphModel.create({
    pe,
    atomVocab: config.meta.atomVocab,
    edgeTypes: config.meta.edgeTypes,
    maxNodes: N,
    peDim: pe === 'rwse' ? d.pe.shape[2] : undefined,
    eigK: pe === 'spe' ? K : undefined,
    peOptions: pe === 'spe' ? config.spe : undefined,
    hidden: config.hidden,
    layers: config.layers,
    seed: 0,
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
