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
