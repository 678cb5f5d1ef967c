// Micro-benchmark of the dense symmetric eigensolver (graphpe) vs numpy eigh (1 BLAS thread) and
// ml-matrix, measured side by side in one run. Build first: `npx tsc -b`.
//   node scripts/bench/dense-micro.mjs [--count 5000] [--repeats 5] [--sizes 100,300,1000] [--workers 2] [--no-mlm-large]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import {
  createEighPool,
  createRng,
  EighWorkspace,
  eigh,
  laplacianDense,
  laplacianEighBatch,
} from '../../packages/spectral/dist/index.js';
import { moleculeGraphs, randomGraph } from './dense-graphs.mjs';
import { referenceEnv } from './lib/python.mjs';

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const COUNT = Number(opt('count', 5000));
const REPEATS = Number(opt('repeats', 5));
const SIZES = opt('sizes', '100,300,1000').split(',').filter(Boolean).map(Number);
const WORKERS = Number(opt('workers', 2));
const MLM_LARGE = !args.includes('--no-mlm-large');
const here = dirname(fileURLToPath(import.meta.url));

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
// Warm up until V8 has optimized the hot loops (≥ 3 calls and ≥ 300 ms), then time `repeats` calls.
function timeMedian(fn, repeats) {
  const w0 = performance.now();
  for (let i = 0; i < 3 || performance.now() - w0 < 300; i++) fn();
  const ts = [];
  for (let r = 0; r < repeats; r++) {
    const t = performance.now();
    fn();
    ts.push(performance.now() - t);
  }
  return median(ts);
}
async function timeMedianAsync(fn, repeats) {
  await fn();
  const ts = [];
  for (let r = 0; r < repeats; r++) {
    const t = performance.now();
    await fn();
    ts.push(performance.now() - t);
  }
  return median(ts);
}
function writeMats(path, mats) {
  let len = 1;
  for (const [n] of mats) len += 1 + n * n;
  const buf = new Float64Array(len);
  buf[0] = mats.length;
  let p = 1;
  for (const [n, L] of mats) {
    buf[p++] = n;
    buf.set(L.subarray(0, n * n), p);
    p += n * n;
  }
  writeFileSync(path, new Uint8Array(buf.buffer));
}
function mlmEigh(n, L) {
  const rows = [];
  for (let i = 0; i < n; i++) rows.push(Array.from(L.subarray(i * n, i * n + n)));
  return new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true });
}

const mols = moleculeGraphs(COUNT, 12345);
const molMats = mols.map((g) => [g.n, laplacianDense(g, 'sym')]);
const meanN = mols.reduce((s, g) => s + g.n, 0) / mols.length;
const rng = createRng(777);
const big = SIZES.map((n) => {
  const g = randomGraph(n, 3, rng);
  return [n, laplacianDense(g, 'sym')];
});

// numpy (subprocess, 1 BLAS thread), same matrices.
const dir = mkdtempSync(join(tmpdir(), 'graphpe-dense-'));
let numpy = {};
try {
  const files = [`mol=${join(dir, 'mol.bin')}`];
  writeMats(join(dir, 'mol.bin'), molMats);
  for (const [n, L] of big) {
    writeMats(join(dir, `n${n}.bin`), [[n, L]]);
    files.push(`n${n}=${join(dir, `n${n}.bin`)}`);
  }
  const env = referenceEnv(1);
  const out = execFileSync('python3', [join(here, 'dense-micro.py'), String(REPEATS), ...files], { env });
  for (const line of out.toString().trim().split('\n')) {
    const r = JSON.parse(line);
    numpy[r.group] = r.s_per_matrix * 1e3;
  }
} catch (err) {
  console.error(`numpy baseline unavailable: ${err.message.split('\n')[0]}`);
  numpy = {};
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const rows = [];
const fmt = (x) => (x === undefined ? '—' : x < 0.1 ? x.toFixed(4) : x < 10 ? x.toFixed(3) : x.toFixed(1));
const ratio = (base, ours) => (base === undefined ? '—' : `${(base / ours).toFixed(2)}×`);

// Molecules: graphpe batch (Graph → Laplacian → eigenpairs), single thread.
const tBatch = timeMedian(() => laplacianEighBatch(mols), REPEATS) / COUNT;
const tBatchNoVec = timeMedian(() => laplacianEighBatch(mols, { vectors: false }), REPEATS) / COUNT;
// graphpe eigh on the prebuilt dense matrices (same work as numpy's loop).
const ws = new EighWorkspace(40);
const outs = { values: new Float64Array(40), vectors: new Float64Array(1600) };
const tEigh =
  timeMedian(() => {
    for (const [n, L] of molMats) eigh(L, n, { workspace: ws, out: outs });
  }, REPEATS) / COUNT;
const mlmCount = Math.min(COUNT, 2000);
const tMlm =
  timeMedian(
    () => {
      for (let i = 0; i < mlmCount; i++) mlmEigh(molMats[i][0], molMats[i][1]);
    },
    Math.max(1, Math.floor(REPEATS / 2)),
  ) / mlmCount;
rows.push(['molecules: laplacianEighBatch (graph→pairs)', tBatch, numpy.mol, tMlm]);
rows.push(['molecules: eigh on dense L', tEigh, numpy.mol, tMlm]);
rows.push(['molecules: batch, values only', tBatchNoVec, numpy.mol, tMlm]);

// Workers: a reusable pool (startup excluded), 1 vs WORKERS threads.
const workerRows = [];
for (const w of [1, WORKERS]) {
  const pool = createEighPool({ workers: w });
  try {
    const t = (await timeMedianAsync(() => pool.run(mols), REPEATS)) / COUNT;
    workerRows.push([w, t]);
  } finally {
    await pool.close();
  }
}
for (const [w, t] of workerRows) rows.push([`molecules: pool, ${w} worker(s)`, t, numpy.mol, tMlm]);

for (const [n, L] of big) {
  const wsn = new EighWorkspace(n);
  const o = { values: new Float64Array(n), vectors: new Float64Array(n * n) };
  const t = timeMedian(
    () => eigh(L, n, { workspace: wsn, out: o }),
    n >= 1000 ? Math.min(REPEATS, 3) : REPEATS,
  );
  const tm = n < 1000 || MLM_LARGE ? timeMedian(() => mlmEigh(n, L), n >= 300 ? 1 : 3) : undefined;
  rows.push([`random n=${n} (deg 3): eigh`, t, numpy[`n${n}`], tm]);
}

console.log(
  `\ndense eigensolver micro-benchmark — ${COUNT} molecule-like graphs (mean n ${meanN.toFixed(1)}), repeats ${REPEATS}, median wall ms`,
);
console.log('| case | graphpe ms | numpy ms (1 thread) | ml-matrix ms | vs numpy | vs ml-matrix |');
console.log('|---|---|---|---|---|---|');
for (const [name, t, np, mlm] of rows) {
  console.log(`| ${name} | ${fmt(t)} | ${fmt(np)} | ${fmt(mlm)} | ${ratio(np, t)} | ${ratio(mlm, t)} |`);
}
if (workerRows.length === 2) {
  console.log(
    `\n${WORKERS} workers vs 1 worker: ${(workerRows[0][1] / workerRows[1][1]).toFixed(2)}× throughput`,
  );
}
