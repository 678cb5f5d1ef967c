// One cold run for bench:encodings, in a fresh process (no JIT warm-up, no pool yet): reads the packed
// edge lists, builds the graphs (not timed), then times one encoding of all of them and prints
// {"seconds": …} — wall clock from graphs in memory to packed outputs, pool start-up and shut-down
// included. Module loading is not timed (numpy's import is not timed either).
// Usage: node scripts/bench/encodings-cold.mjs <edges.bin> <spec> single|workers|caller [workers]
import { createPePool, encodePeChunks } from '../../packages/encodings/dist/batch/index.js';
import { fromCoo } from '../../packages/spectral/dist/index.js';
import { readEdgeListsBinary } from './lib/zinc.mjs';

const [file, spec, mode, workersArg] = process.argv.slice(2);
if (!file || !spec || !['single', 'workers', 'caller'].includes(mode)) {
  throw new Error('usage: encodings-cold.mjs <edges.bin> <spec> single|workers|caller [workers]');
}
const workers = Number(workersArg ?? 2);
const graphs = readEdgeListsBinary(file).map((m) => fromCoo(m.src, m.dst, undefined, { n: m.n }));
let rows = 0;
const t = performance.now();
if (mode === 'single') {
  for (const chunk of encodePeChunks(graphs, spec)) rows += chunk.count;
} else {
  const pool = createPePool(mode === 'caller' ? { workers: workers - 1, caller: true } : { workers });
  try {
    for await (const chunk of pool.chunks(graphs, spec)) rows += chunk.count;
  } finally {
    await pool.close();
  }
}
const seconds = (performance.now() - t) / 1000;
if (rows !== graphs.length) throw new Error(`lost graphs: ${rows} of ${graphs.length}`);
process.stdout.write(`${JSON.stringify({ seconds, mode, workers, graphs: graphs.length })}\n`);
