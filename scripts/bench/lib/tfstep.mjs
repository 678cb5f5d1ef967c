// Shared pieces of the step-time benchmarks' child processes (one tfjs backend per process):
// reading the batch file written by molbatch.mjs writeTensors, timing steps, and a wasm kernel profile.
import { readFileSync } from 'node:fs';

/** Reads a writeTensors file: { name: { shape, data: Float32Array } }. */
export function readTensors(file) {
  const buf = readFileSync(file);
  const nl = buf.indexOf(10);
  const header = JSON.parse(buf.subarray(0, nl).toString('utf8'));
  const out = {};
  let at = nl + 1;
  for (const [name, shape] of Object.entries(header)) {
    const size = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(size);
    const bytes = buf.subarray(at, at + 4 * size);
    new Uint8Array(data.buffer).set(bytes);
    at += 4 * size;
    out[name] = { shape, data };
  }
  return out;
}

export const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];

/**
 * Runs `step()` (which must block until its result is on the host) warmup + steps times; ms per timed
 * step. Stops early (after at least one timed step) once `budgetMs` is spent.
 */
export function timeSteps(step, { warmup, steps, budgetMs = Number.POSITIVE_INFINITY }) {
  const times = [];
  const t0 = performance.now();
  for (let s = 0; s < warmup + steps; s++) {
    const t = performance.now();
    step();
    if (s >= warmup) times.push(performance.now() - t);
    if (times.length > 0 && performance.now() - t0 > budgetMs) break;
  }
  return { median: median(times), times };
}

/**
 * tf.profile of one step: kernels aggregated by name and input shapes, the top `top` by total ms.
 * Per-kernel times on wasm are synchronous, so they add up to roughly the step time.
 */
export async function profileStep(tf, step, top = 12) {
  const info = await tf.profile(() => {
    step();
  });
  const agg = new Map();
  let total = 0;
  for (const k of info.kernels) {
    const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : Number(await k.kernelTimeMs) || 0;
    total += ms;
    const key = `${k.name} ${JSON.stringify(k.inputShapes)}`;
    const e = agg.get(key) ?? { kernel: k.name, shapes: JSON.stringify(k.inputShapes), ms: 0, calls: 0 };
    e.ms += ms;
    e.calls++;
    agg.set(key, e);
  }
  const byName = new Map();
  for (const e of agg.values()) byName.set(e.kernel, (byName.get(e.kernel) ?? 0) + e.ms);
  return {
    totalMs: total,
    peakMB: info.peakBytes / 2 ** 20,
    top: [...agg.values()].sort((a, b) => b.ms - a.ms).slice(0, top),
    byKernel: [...byName.entries()]
      .map(([kernel, ms]) => ({ kernel, ms }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, top),
  };
}

/** The first `bs` graphs of a batch file (molbatch.mjs layout) as a gnn MolBatch for GINE with `pe`. */
export function molBatchOf(d, bs, pe) {
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
  return { batch, N, K };
}

/** The benchmarked GINE + `pe` model (seed 0) for a batch file `d` (module G = @graphpe/gnn). */
export function benchModel(G, d, { pe, meta, spe, hidden, layers }) {
  const N = d.nodeMask.shape[1];
  const K = d.vectors?.shape[2] ?? 0;
  return G.GraphModel.create({
    pe,
    atomVocab: meta.atomVocab,
    edgeTypes: meta.edgeTypes,
    maxNodes: N,
    peDim: pe === 'rwse' ? d.pe.shape[2] : undefined,
    eigK: pe === 'spe' ? K : undefined,
    peOptions: pe === 'spe' ? spe : undefined,
    hidden,
    layers,
    seed: 0,
  });
}
