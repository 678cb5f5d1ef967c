// bench:encodings — eig + LapPE(k=16) + RWSE(20) + OAP canonization over ZINC-12k and ZINC-full with the
// encodings batch runner (single thread, and 2 worker threads including pool start-up), next to a numpy
// implementation of the same LapPE + RWSE (scripts/bench/encodings_ref.py, one BLAS thread), plus
// canonStats for ZINC-12k. Molecule graphs are parsed once with RDKit-js and cached in .bench-out/.
// Usage: npm run bench:encodings [-- --quick] [-- --skip-full | --only zinc12k|zinc-full] [-- --full-limit N]
// Other jobs on the same cores distort the 2-worker column most: each dataset's row shows the load average
// (1 min) before and after it; rerun a dataset alone (--only) when `uptime` is quiet.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createPePool,
  encodePeBatch,
  encodePeChunks,
  peItem,
} from '../../packages/encodings/dist/batch/index.js';
import { canonStats } from '../../packages/encodings/dist/index.js';
import { fromCoo, laplacianEighBatch } from '../../packages/spectral/dist/index.js';
import { runJsonChild } from './lib/child.mjs';
import { findPython, runPython } from './lib/python.mjs';
import {
  dataDir,
  readEdgeListsBinary,
  readZincSmiles,
  smilesToGraphs,
  writeEdgeListsBinary,
} from './lib/zinc.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const outDir = join(here, '../../.bench-out');
mkdirSync(outDir, { recursive: true });
const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const skipFull = argv.includes('--skip-full');
const onlyAt = argv.indexOf('--only');
const only = onlyAt >= 0 ? argv[onlyAt + 1] : null;
const limitAt = argv.indexOf('--full-limit');
const fullLimit = limitAt >= 0 ? Number(argv[limitAt + 1]) : quick ? 20_000 : Number.POSITIVE_INFINITY;
const log = (s = '') => process.stdout.write(`${s}\n`);
const fmt = (x, d = 2) => (x === null || x === undefined || Number.isNaN(x) ? '—' : x.toFixed(d));
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const K = 16;
const STEPS = 20;
const WORK = `lap:k=${K},rwse:steps=${STEPS}`; // the numpy reference's work
const FULL = `${WORK},canon:oap`; // + OAP canonization (the issue's target work)
const WORKERS = 2;

/** A progress reporter printing a line with rate and ETA at most every 5 s (long phases only). */
function progress(label) {
  const t0 = performance.now();
  let last = t0;
  return (done, total) => {
    const now = performance.now();
    if (now - last < 5000 || done >= total) return;
    last = now;
    const s = (now - t0) / 1000;
    const eta = (s / done) * (total - done);
    process.stderr.write(`  ${label}: ${done}/${total}, ${s.toFixed(1)} s, ETA ${eta.toFixed(0)} s\n`);
  };
}

/** ZINC molecule graphs from the cache in .bench-out/, parsing the CSV with RDKit-js when it is stale. */
async function loadZinc(name, file) {
  const bin = join(outDir, `encodings-${name}.bin`);
  const metaFile = `${bin}.json`;
  const st = statSync(file);
  const key = JSON.stringify({ file, size: st.size, mtimeMs: st.mtimeMs });
  if (existsSync(bin) && existsSync(metaFile) && readFileSync(metaFile, 'utf8') === key) {
    const t = performance.now();
    const mols = readEdgeListsBinary(bin);
    log(
      `${name}: ${mols.length} graphs from the cache ${bin} (${((performance.now() - t) / 1000).toFixed(1)} s)`,
    );
    return { bin, mols };
  }
  const rows = readZincSmiles(file);
  const t0 = performance.now();
  const mols = [];
  const report = progress(`${name}: RDKit-js parsing`);
  const step = 10_000;
  for (let i = 0; i < rows.length; i += step) {
    mols.push(...(await smilesToGraphs(rows.slice(i, i + step))));
    report(Math.min(rows.length, i + step), rows.length);
  }
  writeEdgeListsBinary(bin, mols);
  writeFileSync(metaFile, key);
  log(
    `${name}: parsed ${rows.length} SMILES with RDKit-js in ${((performance.now() - t0) / 1000).toFixed(1)} s, cached in ${bin} (not timed below)`,
  );
  return { bin, mols };
}

/** Single-thread wall time (s) of the batch runner over all graphs, chunks consumed and dropped. */
function timeSingle(graphs, spec, label) {
  const onProgress = progress(label);
  const t = performance.now();
  let rows = 0;
  for (const chunk of encodePeChunks(graphs, spec, { onProgress })) rows += chunk.count;
  if (rows !== graphs.length) throw new Error('lost graphs');
  return (performance.now() - t) / 1000;
}

/**
 * Wall time (s) of one cold run in a fresh node process (scripts/bench/encodings-cold.mjs): `single`
 * (this thread only), `workers` (a pool of WORKERS threads) or `caller` (WORKERS − 1 workers + the calling
 * thread); JIT warm-up and pool start-up/shut-down included, module loading not.
 */
function timeCold(bin, spec, mode, label) {
  log(`  ${label} …`);
  const r = runJsonChild(join(here, 'encodings-cold.mjs'), [bin, spec, mode, String(WORKERS)]);
  if ('error' in r) throw new Error(`${label}: ${r.error}`);
  return r.out.seconds;
}

/** Median wall time (s) on one pool already started and warmed up by a first run (steady-state throughput). */
async function timeWarm(graphs, spec, reps) {
  const pool = createPePool({ workers: WORKERS });
  const times = [];
  try {
    for (let i = 0; i <= reps; i++) {
      const t = performance.now();
      for await (const _ of pool.chunks(graphs, spec)) {
        // drop the chunk
      }
      if (i > 0) times.push((performance.now() - t) / 1000);
    }
  } finally {
    await pool.close();
  }
  return median(times);
}

/** Eigendecompositions alone (all pairs, sym), in the runner's chunks of 256. */
function timeEig(graphs) {
  const t = performance.now();
  for (let b = 0; b < graphs.length; b += 256) laplacianEighBatch(graphs.slice(b, b + 256));
  return (performance.now() - t) / 1000;
}

/** graphpe's lap_val and rwse (float64) of the first graphs, for the numpy script to compare. */
function writeCheck(file, graphs, count) {
  const batch = encodePeBatch(graphs.slice(0, count), WORK);
  const parts = [];
  for (let b = 0; b < batch.count; b++) {
    parts.push(peItem(batch, 'lap_val', b).data, peItem(batch, 'rwse', b).data);
  }
  const total = parts.reduce((s, p) => s + p.length, 0);
  const out = new Float64Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  writeFileSync(file, new Uint8Array(out.buffer));
}

/** Throw unless two batches are bit-identical. */
function assertIdentical(a, b) {
  for (let c = 0; c < a.columns.length; c++) {
    const x = a.columns[c].data;
    const y = b.columns[c].data;
    if (x.length !== y.length) throw new Error(`${a.columns[c].name}: lengths differ`);
    for (let i = 0; i < x.length; i++) {
      if (!Object.is(x[i], y[i])) throw new Error(`${a.columns[c].name}[${i}]: 2 workers ≠ 1 thread`);
    }
  }
}

const py = findPython(['numpy']);
const load0 = loadavg();
log(
  `# bench:encodings  (node ${process.version}, ${availableParallelism()} cores, load ${load0.map((x) => x.toFixed(2)).join(' ')}${quick ? ', --quick' : ''})`,
);
log(
  py.python
    ? `numpy reference: ${py.python} (encodings_ref.py, OPENBLAS_NUM_THREADS=1)`
    : `numpy comparison skipped: ${py.reason}`,
);
log(
  `work: eig (all pairs, sym) + ${WORK} [+ canon:oap]; graphpe timings are wall clock from graphs in memory to packed outputs`,
);
log();

const rowsOut = [];
const datasets = [
  ['zinc12k', join(dataDir(), 'zinc', 'zinc12k.csv')],
  ['zinc-full', join(dataDir(), 'zinc', 'zinc_full.csv.gz')],
].filter(([name]) => (only ? name === only : name === 'zinc12k' || !skipFull));
if (datasets.length === 0) throw new Error(`--only must be zinc12k or zinc-full (got ${only})`);
let stats12k = null;
for (const [name, file] of datasets) {
  const loaded = await loadZinc(name, file);
  const { bin } = loaded;
  const total = loaded.mols.length;
  let mols = total > fullLimit ? loaded.mols.slice(0, fullLimit) : loaded.mols;
  loaded.mols = null;
  const graphs = mols.map((m) => fromCoo(m.src, m.dst, undefined, { n: m.n }));
  // Only the graphs stay on the heap while timing (as in `graphpe encode`); a subset file is written first.
  const sub = mols.length < total ? join(outDir, `encodings-${name}-${mols.length}.bin`) : bin;
  if (sub !== bin) writeEdgeListsBinary(sub, mols);
  mols = null;
  const meanN = graphs.reduce((a, g) => a + g.n, 0) / graphs.length;
  log(
    `${name}: ${graphs.length} graphs${graphs.length < total ? ` (first ${fullLimit})` : ''}, mean n = ${meanN.toFixed(1)}`,
  );
  const small = name === 'zinc12k';
  const reps = small && !quick ? 3 : 1;
  encodePeBatch(graphs.slice(0, 3000), FULL); // warm-up (JIT)
  const r = { name, graphs: graphs.length, loadBefore: loadavg()[0] };
  r.eig = median(Array.from({ length: reps }, () => timeEig(graphs)));
  for (const [key, spec] of [
    ['work', WORK],
    ['full', FULL],
  ]) {
    const warm1 = [];
    const cold1 = [];
    const two = [];
    const withCaller = [];
    for (let i = 0; i < reps; i++) {
      warm1.push(timeSingle(graphs, spec, `${name} ${spec} 1 thread`));
      cold1.push(timeCold(sub, spec, 'single', `${spec}: 1 thread, fresh process`));
      two.push(timeCold(sub, spec, 'workers', `${spec}: ${WORKERS} workers, fresh process`));
      withCaller.push(
        timeCold(sub, spec, 'caller', `${spec}: ${WORKERS - 1} worker + caller, fresh process`),
      );
    }
    r[`${key}1`] = median(warm1);
    r[`${key}f`] = median(cold1);
    r[`${key}2`] = median(two);
    r[`${key}c`] = median(withCaller);
    // The 2-core figure: the faster of the two pool layouts (both start-up included).
    r[`${key}p`] = Math.min(r[`${key}2`], r[`${key}c`]);
    // graphpe's best from a fresh process, as a user would pick for the job's size.
    const options = [
      ['1 thread', r[`${key}f`]],
      [`${WORKERS} workers`, r[`${key}2`]],
      [`${WORKERS - 1} worker + caller`, r[`${key}c`]],
    ].sort((x, y) => x[1] - y[1]);
    r[`${key}b`] = options[0][1];
    r[`${key}bLabel`] = options[0][0];
    if (small) r[`${key}w`] = await timeWarm(graphs, spec, reps);
    log(
      `  ${spec}: 1 thread ${fmt(r[`${key}1`])} s warm, fresh process: 1 thread ${fmt(r[`${key}f`])} s, ${WORKERS} workers ${fmt(r[`${key}2`])} s, ${WORKERS - 1} worker + caller ${fmt(r[`${key}c`])} s${small ? ` (warm pool ${fmt(r[`${key}w`])} s)` : ''}`,
    );
  }
  if (small) {
    const pool = createPePool({ workers: WORKERS });
    assertIdentical(encodePeBatch(graphs, FULL), await pool.run(graphs, FULL));
    await pool.close();
    log(`  ${WORKERS}-worker outputs are bit-identical to the single-thread ones (${FULL})`);
    const t = performance.now();
    stats12k = canonStats(graphs);
    stats12k.seconds = (performance.now() - t) / 1000;
  }
  if (py.python) {
    const check = join(outDir, `encodings-${name}-check.bin`);
    writeCheck(check, graphs, 500);
    log(`  numpy reference running (${name}, ${reps} rep${reps > 1 ? 's' : ''}) …`);
    r.np = runPython(
      py.python,
      join(here, 'encodings_ref.py'),
      [sub, String(K), String(STEPS), String(reps), check],
      {
        timeoutMs: 1_800_000,
      },
    );
    log(
      `  numpy: loop ${fmt(r.np.loop_s)} s, batched ${fmt(r.np.batched_s)} s; max |Δ| vs graphpe on ${r.np.checked_graphs} graphs: lap_val ${r.np.max_diff_lap_val.toExponential(1)}, rwse ${r.np.max_diff_rwse.toExponential(1)}`,
    );
  }
  r.loadAfter = loadavg()[0];
  rowsOut.push(r);
  log();
}

const load1 = loadavg();
log(`## Results (load average before ${load0[0].toFixed(2)}, after ${load1[0].toFixed(2)})`);
log();
log(
  `| dataset (load before → after) | graphs | work | graphpe 1 thread, warm (s) | fresh process: 1 thread (s) | ${WORKERS} workers (s) | ${WORKERS - 1} worker + caller (s) | warm pool, ${WORKERS} workers (s) | numpy loop (s) | numpy batched (s) | numpy loop / graphpe ${WORKERS} threads | best numpy / best graphpe |`,
);
log('|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of rowsOut) {
  const best = r.np ? Math.min(r.np.loop_s, r.np.batched_s) : null;
  const ratio = (a, b) => (a && b ? `${fmt(a / b)}×` : '—');
  const name = `${r.name} (${fmt(r.loadBefore)} → ${fmt(r.loadAfter)})`;
  log(`| ${name} | ${r.graphs} | eig only (laplacianEighBatch, all pairs) | ${fmt(r.eig)} | | | | | | | | |`);
  log(
    `| ${name} | ${r.graphs} | eig + LapPE(16) + RWSE(20) | ${fmt(r.work1)} | ${fmt(r.workf)} | ${fmt(r.work2)} | ${fmt(r.workc)} | ${fmt(r.workw)} | ${fmt(r.np?.loop_s)} | ${fmt(r.np?.batched_s)} | ${ratio(r.np?.loop_s, r.workp)} | ${ratio(best, r.workb)} (${r.workbLabel}) |`,
  );
  log(
    `| ${name} | ${r.graphs} | eig + LapPE(16) + RWSE(20) + OAP | ${fmt(r.full1)} | ${fmt(r.fullf)} | ${fmt(r.full2)} | ${fmt(r.fullc)} | ${fmt(r.fullw)} | — | — | — | — |`,
  );
}
log();
log(
  `(fresh process: a new node process per run, JIT warm-up and pool start-up/shut-down included, module loading not — numpy's import is not timed either; ${WORKERS} threads = the faster of the two pool layouts; best graphpe = the fastest fresh-process run.)`,
);
log();
const z12 = rowsOut.find((r) => r.name === 'zinc12k');
const zf = rowsOut.find((r) => r.name === 'zinc-full');
const mark = (ok) => (ok ? 'met' : 'NOT met');
log('targets:');
if (z12)
  log(
    `- ZINC-12k eig+LapPE+RWSE+OAP under 5 s wall on ${WORKERS} cores: ${fmt(z12.fullb)} s (${z12.fullbLabel}, fresh process) → ${mark(z12.fullb < 5)}`,
  );
if (zf && zf.graphs >= 249_000)
  log(
    `- ZINC-full under 90 s wall on ${WORKERS} cores: ${fmt(zf.fullb)} s (${zf.fullbLabel}, fresh process) → ${mark(zf.fullb < 90)}`,
  );
else if (zf)
  log(
    `- ZINC-full: only ${zf.graphs} graphs timed (--full-limit/--quick); scaled to 249,456: ${fmt((zf.fullb * 249_456) / zf.graphs, 1)} s`,
  );
for (const r of rowsOut) {
  if (!r.np) continue;
  // The issue's reference: numpy computing the same LapPE + RWSE per graph, as PyG's transforms do.
  log(
    `- ${r.name} ≥ 1.5× faster than the numpy reference (PyG-style per-graph loop) on eig+LapPE+RWSE: ${fmt(r.np.loop_s / r.workb)}× (graphpe's best fresh-process run: ${r.workbLabel}, ${fmt(r.workb)} s; numpy ${fmt(r.np.loop_s)} s) → ${mark(r.np.loop_s / r.workb >= 1.5)}`,
  );
  // Reported too: the batched variant, faster than what PyG users run.
  const b = r.np.batched_s;
  log(
    `  against batched numpy (${fmt(b)} s; not the reference): ${fmt(b / r.workb)}× from a fresh process, ${fmt(b / r.work1)}× warm single thread${r.workw ? `, ${fmt(b / r.workw)}× warm pool` : ''}`,
  );
}
if (stats12k) {
  const s = stats12k;
  const pct = (x) => `${(100 * x).toFixed(2)}%`;
  log();
  log(`## canonStats, ZINC-12k (sym Laplacian, whole spectra, groupTol 1e-6; ${fmt(s.seconds)} s)`);
  log(`- graphs ${s.graphs}, eigenvectors ${s.eigenvectors}, simple ${s.simple}`);
  log(
    `- simple eigenvectors sign-non-canonizable: ${pct(s.signNoncanonizableShare)} (Hordan et al.: 10.93%); summing to 0: ${pct(s.zeroSumShare)} (11.15%)`,
  );
  log(
    `- eigenspaces (dim ≥ 2): ${s.eigenspaces}; basis-canonizable MAP ${pct(s.basisCanonizableShare.map)} / OAP ${pct(s.basisCanonizableShare.oap)} / OAP-diag ${pct(s.basisCanonizableShare.oapDiag)}`,
  );
  log(
    `- graphs with a repeated eigenvalue: ${pct(s.graphsWithRepeatedShare)}; multiplicity exactly 2: ${pct(s.graphsWithMultiplicityShare[2] ?? 0)}, ≥ 3: ${pct(s.graphsWithMultiplicityAtLeastShare[3] ?? 0)}`,
  );
  log(
    `- eigenvectors canonized (sign rule + OAP): ${pct(s.eigenvectorsCanonizedShare.oap)} (MAP paper: ">90%")`,
  );
}
