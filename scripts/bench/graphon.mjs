// graphon benchmark (issue 6; Le, Ruiz & Jegelka, ICLR 2024): `npm run bench:graphon`.
//   (1) GE selection time at n = 1e4, 1e5 (1e6 with --big), K = 32: eigensolve vs elimination, with
//       scipy eigsh + numpy elimination on the same graph as the baseline (ratios) when a Python with
//       numpy and scipy is found;
//   (2) reconstruction error and cond(U_K[S,:]): GE, QR, proxy, intervals, random over 20 seeds on an
//       SBM and the cos graphon (table + SVG);
//   (3) consistency: selected latent positions / intervals vs n from 1e3 to 1e5 (SVG);
//   (4) transferability on Cora, CiteSeer, PubMed from $GRAPHPE_DATA_DIR: 2-layer GCN trained on
//       ≈200 sampled nodes (graphon intervals, GE, random) and tested on the full graph, 5 runs.
//
// usage: node scripts/bench/graphon.mjs [--parts 1,2,3,4] [--quick] [--big] [--out DIR]
//          [--sizes 1e4,1e5] [--k 32] [--tol 1e-6] [--recon-n 1000] [--seeds 20]
//          [--cons-sizes 1e3,3e3,1e4,3e4,1e5] [--cons-seeds 3] [--runs 5] [--epochs 100] [--no-ge]
//          [--ge-max-n 5000] [--solvers amg,plain] [--datasets cora,citeseer,pubmed]
//          [--no-ref] [--data DIR]
// Needs `npm run build` (imports packages/*/dist). --quick: small sizes, output to .bench-out/graphon.
// Default output: packages/graphon/docs/bench/ (report.md, results.json, *.svg).
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, homedir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findPython, referenceEnv } from './lib/python.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');

function arg(name, def) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
}
const has = (name) => process.argv.includes(`--${name}`);
const list = (s) => s.split(',').map(Number);
const log = (line) => console.log(line);

// Child mode for part 1: one size per process, so that peak RSS is that size's own.
if (has('child-timing')) {
  const { geTiming } = await import('./graphon/timing.mjs');
  const { writeEdgeListBinary } = await import('@graphpe/spectral');
  const row = await geTiming({
    n: Number(arg('n')),
    K: Number(arg('k')),
    tol: Number(arg('tol')),
    precondition: arg('precondition') !== 'false',
    guard: arg('guard') !== 'false',
    log: (l) => process.stderr.write(`${l}\n`),
    onGraph: arg('edges') ? (g) => writeEdgeListBinary(arg('edges'), g) : undefined,
  });
  process.stdout.write(`${JSON.stringify(row)}\n`);
  process.exit(0);
}

const quick = has('quick');
const parts = list(arg('parts', '1,2,3,4'));
const out = resolve(
  arg('out', quick ? join(root, '.bench-out', 'graphon') : join(root, 'packages/graphon/docs/bench')),
);
mkdirSync(out, { recursive: true });
const scratch = join(root, '.bench-out', 'graphon-scratch');
mkdirSync(scratch, { recursive: true });
const dataDir = resolve(arg('data', process.env.GRAPHPE_DATA_DIR ?? join(homedir(), '.cache', 'graphpe')));
const results = {
  date: new Date().toISOString(),
  machine: `${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`,
  argv: process.argv.slice(2).join(' '),
};
const md = [];
const fmt = (x, d = 2) => (x === null || x === undefined || Number.isNaN(x) ? '—' : x.toFixed(d));
const sci = (x) =>
  x === null || x === undefined ? '—' : x === Number.POSITIVE_INFINITY ? '∞' : x.toExponential(1);
const tStart = performance.now();
const { svgFigure, color } = await import('./graphon/svg.mjs');

// ---------------------------------------------------------------------------------------------- 1
if (parts.includes(1)) {
  const sizes = list(arg('sizes', quick ? '3e3,1e4' : '1e4,1e5'));
  if (has('big') && !sizes.includes(1e6)) sizes.push(1e6);
  const K = Number(arg('k', '32'));
  const tol = Number(arg('tol', '1e-6'));
  const py = has('no-ref') ? { python: null, reason: '--no-ref' } : findPython(['numpy', 'scipy']);
  if (!py.python) log(`[1] scipy/numpy baseline skipped: ${py.reason}`);
  log(
    `[1] GE selection time, K = ${K}, sizes ${sizes.join(', ')} (n = 1e6 only with --big: its eigensolve alone is >10 min here)`,
  );
  const variants = arg('solvers', 'amg,plain,amg-noguard').split(',');
  const rows = [];
  const prevBy = {};
  for (const n of sizes) {
    const edges = join(scratch, `sbm-${n}.i32`);
    for (const v of variants) {
      const prev = prevBy[v];
      if (prev)
        log(
          `  [1] n = ${n} ${v}: ETA ~${(prev.eigSeconds * (n / prev.n) * 1.3).toFixed(0)} s (linear extrapolation from n = ${prev.n})`,
        );
      const child = spawnSync(
        process.execPath,
        [
          fileURLToPath(import.meta.url),
          '--child-timing',
          '--n',
          String(n),
          '--k',
          String(K),
          '--tol',
          String(tol),
          '--precondition',
          String(v.startsWith('amg')),
          '--guard',
          String(!v.endsWith('noguard')),
          '--edges',
          edges,
        ],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 26, timeout: 3 * 3600_000 },
      );
      if (child.status !== 0) {
        log(`  [1] n = ${n} ${v} failed (${child.signal ?? child.status})`);
        rows.push({ n, K, solver: v, failed: String(child.signal ?? child.status) });
        continue;
      }
      const row = { solver: v, ...JSON.parse(child.stdout.trim().split('\n').pop()) };
      rows.push(row);
      prevBy[v] = row;
    }
    if (py.python) {
      log(`  [1] n = ${n}: scipy eigsh(SA) + numpy GE on the same graph…`);
      const r = spawnSync(py.python, [join(here, 'graphon_ref.py'), edges, String(n), String(K)], {
        encoding: 'utf8',
        maxBuffer: 1 << 26,
        timeout: 3 * 3600_000,
        env: referenceEnv(1),
      });
      let ref;
      if (r.status === 0) {
        ref = JSON.parse(r.stdout.trim().split('\n').pop());
        log(
          `  [1] n = ${n}: scipy eigsh ${ref.eigSeconds.toFixed(1)} s (max residual ${sci(ref.maxResidual)}), numpy GE ${ref.geSeconds.toFixed(2)} s, cond ${ref.condition.toFixed(2)}`,
        );
        ref = { ...ref, nodes: undefined, values: undefined };
      } else {
        ref = { failed: (r.stderr || '').trim().split('\n').pop() || String(r.signal) };
        log(`  [1] n = ${n}: reference failed: ${ref.failed}`);
      }
      for (const row of rows.filter((x) => x.n === n)) row.ref = ref;
    }
  }
  results.timing = { K, tol, rows, python: py.python ?? py.reason };
  md.push(
    `### (1) GE selection time (K = ${K}, 32-block SBM, mean degree 20, LOBPCG tol ${tol})`,
    '',
    '| n | LOBPCG | edges | sample (s) | eigensolve (s) | iterations | GE (s) | QR (s) | cond GE | blocks hit | scipy eigsh SA (s) | numpy GE (s) | eigensolve ours/scipy | peak RSS (MiB) |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map((r) =>
      r.failed
        ? `| ${r.n} | ${r.solver} | failed (${r.failed}) ||||||||||||`
        : `| ${r.n.toExponential(0)} | ${r.solver} | ${r.edges} | ${fmt(r.sampleSeconds)} | ${fmt(r.eigSeconds, 1)} | ${r.iterations} | ${fmt(r.geSeconds, 3)} | ${fmt(r.qrSeconds, 3)} | ${fmt(r.geCondition)} | ${r.blocksHit}/${K} | ${r.ref?.eigSeconds !== undefined ? fmt(r.ref.eigSeconds, 1) : '—'} | ${r.ref?.geSeconds !== undefined ? fmt(r.ref.geSeconds, 3) : '—'} | ${r.ref?.eigSeconds ? fmt(r.eigSeconds / r.ref.eigSeconds) : '—'} | ${fmt(r.peakMiB, 0)} |`,
    ),
    '',
    '`amg`: what `bandlimitedBasis(g, { k: 32 })` runs (K + 1 pairs: the guard pair checks whether K cuts an eigenspace; AMG-preconditioned LOBPCG); `plain`: the same without the preconditioner; `amg-noguard`: K pairs only. scipy: `eigsh(L, K + 1, which="SA")` (ARPACK, default tol) + the same elimination in numpy, 1 BLAS thread.',
    '',
  );
}

// ---------------------------------------------------------------------------------------------- 2
if (parts.includes(2)) {
  const { reconExperiment, METHODS } = await import('./graphon/recon.mjs');
  const n = Number(arg('recon-n', quick ? '400' : '1000'));
  const seeds = Number(arg('seeds', quick ? '3' : '20'));
  log(`[2] reconstruction, n = ${n}, ${seeds} seeds, |S| = K for every method`);
  const R = reconExperiment({ n, seeds, log });
  results.reconstruction = R;
  const byG = [...new Set(R.summary.map((s) => s.graphon))];
  md.push(
    `### (2) Reconstruction, n = ${n}, mean degree ${R.degree}, ${seeds} seeds, |S| = K, noise σ = ${R.sigma} (SNR 20 dB)`,
    '',
  );
  for (const g of byG) {
    const rows = R.summary.filter((s) => s.graphon === g);
    md.push(
      `**${rows[0].name}**, K = ${rows[0].K}`,
      '',
      '| method | rank-deficient | cond median | cond max | error (noisy) median | error (noisy) mean ± sd | error (noiseless) median | selection time (s) |',
      '|---|---|---|---|---|---|---|---|',
      ...rows.map(
        (s) =>
          `| ${s.method} | ${s.rankDeficient}/${s.runs}${s.failed ? ` (+${s.failed} errors)` : ''} | ${fmt(s.condMedian)} | ${fmt(s.condMax)} | ${sci(s.errNoisyMedian)} | ${sci(s.errNoisyMean)} ± ${sci(s.errNoisySd)} | ${sci(s.errCleanMedian)} | ${fmt(s.secondsMean, 3)} |`,
      ),
      '',
      `(basis U_K: ${fmt(rows[0].basisSecondsMean)} s per graph)`,
      '',
    );
  }
  const CAP = 1e17;
  const panels = [];
  for (const g of byG) {
    const recs = R.records.filter((r) => r.graphon === g && !r.error);
    const jitter = (r) => ((r.seed * 7919) % 20) / 20 - 0.475;
    const xticks = METHODS.map((m, i) => [i, m]);
    const title = R.summary.find((s) => s.graphon === g).name;
    panels.push({
      title: `${g}: cond(U_K[S,:]) (top: rank-deficient)`,
      ylabel: 'condition number',
      ylog: true,
      xticks,
      xlim: [-0.6, METHODS.length - 0.4],
      series: METHODS.map((m, i) => ({
        name: null,
        color: color(i),
        points: recs
          .filter((r) => r.method === m)
          .map((r) => [i + 0.5 * jitter(r), Number.isFinite(r.condition) ? r.condition : CAP]),
      })),
      hlines: [{ y: CAP, color: '#bbb' }],
      _t: title,
    });
    panels.push({
      title: `${g}: relative error, noisy samples`,
      ylabel: '‖f̂ − f‖ / ‖f‖',
      ylog: true,
      xticks,
      xlim: [-0.6, METHODS.length - 0.4],
      series: METHODS.map((m, i) => ({
        color: color(i),
        points: recs.filter((r) => r.method === m).map((r) => [i + 0.5 * jitter(r), r.errNoisy]),
      })),
      hlines: [{ y: R.sigma, color: '#bbb' }],
    });
  }
  writeFileSync(
    join(out, 'reconstruction.svg'),
    svgFigure(panels, {
      cols: 2,
      title: `Reconstruction from |S| = K samples, n = ${n}, ${seeds} seeds (dashed: σ = ${R.sigma})`,
    }),
  );
  log(`  [2] wrote ${join(out, 'reconstruction.svg')}`);
}

// ---------------------------------------------------------------------------------------------- 3
if (parts.includes(3)) {
  const { consistencyExperiment } = await import('./graphon/consistency.mjs');
  const sizes = list(arg('cons-sizes', quick ? '1e3,3e3' : '1e3,3e3,1e4,3e4,1e5'));
  const seeds = Number(arg('cons-seeds', quick ? '2' : '3'));
  log(`[3] consistency, n = ${sizes.join(', ')}, ${seeds} seeds`);
  const C = consistencyExperiment({ sizes, seeds, log });
  results.consistency = C;
  md.push(
    `### (3) Consistency (${seeds} seeds per n)`,
    '',
    `| n | GE on the 4-block SBM: one node per block | intervals on xy (q = ${C.q}, p = ${C.p}): set equal to W_q's ${JSON.stringify(C.limit)} |`,
    '|---|---|---|',
    ...sizes.map(
      (n, i) =>
        `| ${n.toExponential(0)} | ${fmt(C.rate[i].onePerBlock)} | ${fmt(C.ivMatch[i].equalToLimit)} |`,
    ),
    '',
  );
  const ks = [...Array(C.K).keys()];
  const jit = (seed) => 1 + 0.06 * (seed - (seeds - 1) / 2);
  const panels = [
    {
      title: `GE on SBM (${C.K} blocks .4/.3/.2/.1): selected latent x`,
      xlabel: 'n',
      ylabel: 'latent position of selected node',
      xlog: true,
      ylim: [0, 1],
      series: ks.map((j) => ({
        name: `pivot ${j + 1}`,
        color: color(j),
        points: C.ge.map((r) => [r.n * jit(r.seed), r.latent[j]]),
      })),
      hlines: C.bounds.map((y) => ({ y })),
    },
    {
      title: `Intervals on xy graphon: selected intervals (q = ${C.q})`,
      xlabel: 'n',
      ylabel: 'interval index (latent order)',
      xlog: true,
      ylim: [-0.5, C.q - 0.5],
      series: [...Array(C.p).keys()].map((j) => ({
        name: `pick ${j + 1}`,
        color: color(j),
        points: C.iv.map((r) => [r.n * jit(r.seed), r.intervals[j]]),
      })),
      hlines: C.limit.map((y) => ({ y })),
    },
  ];
  writeFileSync(
    join(out, 'consistency.svg'),
    svgFigure(panels, {
      cols: 2,
      width: 460,
      title: 'Consistency as n grows (dashed: block bounds / the limit W_q selection)',
    }),
  );
  log(`  [3] wrote ${join(out, 'consistency.svg')}`);
}

// ---------------------------------------------------------------------------------------------- 4
if (parts.includes(4)) {
  const { initBackend, tf } = await import('@graphpe/encodings/learned');
  const { transferExperiment } = await import('./graphon/transfer.mjs');
  const backend = await initBackend({ backend: 'wasm' });
  const runs = Number(arg('runs', quick ? '1' : '5'));
  const epochs = Number(arg('epochs', '100'));
  const datasets = arg('datasets', quick ? 'cora' : 'cora,citeseer,pubmed').split(',');
  log(
    `[4] transferability on ${datasets.join(', ')} from ${dataDir}, ${runs} runs, ${epochs} epochs (tfjs ${backend.name})`,
  );
  const T = await transferExperiment({
    tf,
    dir: dataDir,
    datasets,
    runs,
    epochs,
    withGe: !has('no-ge'),
    geMaxN: Number(arg('ge-max-n', '5000')),
    log,
  });
  // The data folder is machine-specific: results.json records where it came from, not the path.
  results.transfer = { ...T, backend: backend.name, dataDir: '$GRAPHPE_DATA_DIR' };
  const paper = { cora: [0.49, 0.46], citeseer: [0.56, 0.51], pubmed: [0.71, 0.69] };
  const cell = (d, m) => {
    const s = T.summary.find((x) => x.dataset === d && x.method === m);
    return s ? `${fmt(s.mean)} ± ${fmt(s.sd)}` : '—';
  };
  const ds = Object.keys(T.meta);
  md.push(
    `### (4) Transferability: 2-layer GCN (32/32 + linear), Adam lr ${T.lr}, ${T.epochs} epochs, ${T.runs} runs, test accuracy on the full graph`,
    '',
    `| dataset | nodes | graphon (intervals) | random | ${T.methods.includes('ge') ? 'GE (K = 200) | ' : ''}full graph | paper graphon / random |`,
    `|---|---|---|---|${T.methods.includes('ge') ? '---|' : ''}---|---|`,
    ...ds.map(
      (d) =>
        `| ${d} | ${T.meta[d].n} | ${cell(d, 'graphon')} | ${cell(d, 'random')} | ${T.methods.includes('ge') ? `${cell(d, 'ge')} | ` : ''}${cell(d, 'full')} | ${paper[d]?.join(' / ') ?? '—'} |`,
    ),
    '',
    '| dataset | method | nodes in S | labelled (train) in S | edges in G[S] | isolated in G[S] | seconds per run |',
    '|---|---|---|---|---|---|---|',
    ...T.summary.map(
      (s) =>
        `| ${s.dataset} | ${s.method} | ${fmt(s.size, 0)} | ${fmt(s.trainLabelled, 0)} | ${fmt(s.edgesInSample, 0)} | ${fmt(s.isolated, 0)} | ${fmt(s.seconds, 1)} |`,
    ),
    '',
    ...ds.map((d) => {
      const m = T.meta[d];
      const ge = m.ge
        ? `GE basis (K = ${m.ge.K}) ${fmt(m.ge.eigSeconds, 1)} s, cond(U_K[S,:]) ${sci(m.ge.condition)}, ${m.ge.pivotsInLargestComponent}/${m.ge.K} pivots in the largest component (${m.ge.largestComponent} nodes; ${m.ge.components} components)`
        : T.methods.includes('ge')
          ? 'GE not run (n above --ge-max-n)'
          : '';
      return `- ${d}: ${m.n} nodes, ${m.edges} edges, ${m.classes} classes, features: ${m.features}${m.featureSeconds > 1 ? ` (${fmt(m.featureSeconds, 1)} s)` : ''}; ${ge}`;
    }),
    ...Object.entries(T.skipped).map(([d, why]) => `- ${d} skipped: ${why}`),
    '',
  );
  const methods = T.methods;
  const panel = {
    title: 'GCN test accuracy on the full graph (squares: paper, graphon / random)',
    ylabel: 'accuracy',
    xticks: ds.map((d, i) => [i, d]),
    xlim: [-0.6, ds.length - 0.4],
    series: [
      ...methods.map((m, k) => ({
        name: m,
        color: color(k),
        points: T.records
          .filter((r) => r.method === m)
          .map((r) => [ds.indexOf(r.dataset) + (k - (methods.length - 1) / 2) * 0.15, r.accuracy]),
      })),
      ...[0, 1].map((k) => ({
        color: color(k),
        marker: 'square',
        r: 4,
        opacity: 0.35,
        points: ds
          .filter((d) => paper[d])
          .map((d) => [ds.indexOf(d) + (k - (methods.length - 1) / 2) * 0.15, paper[d][k]]),
      })),
    ],
  };
  writeFileSync(join(out, 'transfer.svg'), svgFigure([panel], { width: 560, height: 320 }));
  log(`  [4] wrote ${join(out, 'transfer.svg')}`);
}

results.seconds = (performance.now() - tStart) / 1000;
const header = [
  '## Benchmark results',
  '',
  `Generated by \`node scripts/bench/graphon.mjs${results.argv ? ` ${results.argv}` : ''}\` on ${results.date.slice(0, 16)} UTC; ${results.machine}; total ${fmt(results.seconds / 60, 1)} min.`,
  '',
];
writeFileSync(join(out, 'report.md'), [...header, ...md].join('\n'));
writeFileSync(join(out, 'results.json'), `${JSON.stringify(results, null, 1)}\n`);
log(`wrote ${join(out, 'report.md')} and results.json (${fmt(results.seconds, 0)} s)`);
