// Sparse benchmark: k smallest eigenpairs of L_sym for random geometric graphs (mean degree ≈ 10),
// graphpe laplacianEigsh vs scipy eigsh (which='SA' and shift-invert sigma=-1e-3), same graph.
//
// usage: node scripts/bench/sparse.mjs [--sizes 1e4,1e5,1e6] [--k 16] [--tol 1e-8] [--tol-large 1e-6]
//                                      [--sa-max 1e5] [--ref-max N] [--timeout 600] [--full] [--json FILE]
// Needs `npm run build` first (imports packages/spectral/dist). Each solver runs in its own process
// so that its peak RSS is its own. The graph is the largest connected component of the geometric
// graph (the whole graph with --full: its many small fragments are all exact zero modes for graphpe).
// --tol applies up to n = 1e5, --tol-large above; scipy runs with its default tol (machine precision).
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findPython, referenceEnv } from './lib/python.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const dist = join(root, 'packages/spectral/dist');

function arg(name, def) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
}
const has = (name) => process.argv.includes(`--${name}`);

async function makeGraph(n, full) {
  const { randomGeometricGraph } = await import(join(dist, 'generators/geometric.js'));
  const { largestComponent } = await import(join(dist, 'generators/largest-component.js'));
  const g = randomGeometricGraph(n, { meanDegree: 10, seed: 1 });
  return full ? g : largestComponent(g).graph;
}

// Child mode: run graphpe on one size and print JSON (time, peak RSS, residuals).
if (has('child')) {
  const n = Number(arg('n'));
  const k = Number(arg('k'));
  const tol = Number(arg('tol'));
  const g = await makeGraph(n, has('full'));
  const { laplacianEigsh } = await import(join(dist, 'eig/sparse/laplacian-eigsh.js'));
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  const timer = setInterval(() => {}, 1000); // keep the event loop honest; sampling is in onProgress
  const t = performance.now();
  const r = laplacianEigsh(g, {
    k,
    tol,
    onProgress: () => {
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    },
  });
  const seconds = (performance.now() - t) / 1000;
  clearInterval(timer);
  const maxRSS = process.resourceUsage().maxRSS / 1024; // KiB → MiB, whole process (graph included)
  process.stdout.write(
    `${JSON.stringify({
      n: g.n,
      nnz: g.indices.length,
      seconds,
      iterations: r.iterations,
      matvecs: r.matvecs,
      components: r.componentCount,
      values: Array.from(r.values),
      residuals: Array.from(r.residuals),
      peakMiB: maxRSS,
      graphMiB: rssBefore / 2 ** 20,
    })}\n`,
  );
  process.exit(0);
}

const sizes = arg('sizes', '1e4,1e5,1e6').split(',').map(Number);
const k = Number(arg('k', '16'));
const tolSmall = Number(arg('tol', '1e-8'));
const tolLarge = Number(arg('tol-large', '1e-6'));
const saMax = Number(arg('sa-max', '1e5'));
const refMax = Number(arg('ref-max', 'Infinity')); // no scipy at all above this n (saves minutes at 1e6)
const timeoutMs = Number(arg('timeout', '600')) * 1000;
const full = has('full');
const out = join(root, '.bench-out', 'sparse');
mkdirSync(out, { recursive: true });

const py = findPython(['numpy', 'scipy']);
if (!py.python) console.log(`scipy comparison skipped: ${py.reason}`);

const fmt = (x, d = 2) => (x === undefined || x === null ? '—' : typeof x === 'number' ? x.toFixed(d) : x);
const exp = (x) => (x === undefined || x === null ? '—' : x.toExponential(1));
const rows = [];
for (const n of sizes) {
  const tol = n > 1e5 ? tolLarge : tolSmall;
  const g = await makeGraph(n, full);
  const { writeEdgeListBinary } = await import(join(dist, 'generators/edge-binary.js'));
  const file = join(out, `rgg-${n}.i32`);
  await writeEdgeListBinary(file, g);
  console.log(
    `n = ${g.n} (${full ? 'whole graph' : 'largest component'} of RGG n=${n}), nnz = ${g.indices.length}, k = ${k}, tol = ${tol}`,
  );
  const child = spawnSync(
    process.execPath,
    [
      fileURLToPath(import.meta.url),
      '--child',
      '--n',
      String(n),
      '--k',
      String(k),
      '--tol',
      String(tol),
      ...(full ? ['--full'] : []),
    ],
    { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 1 << 26 },
  );
  let ours = null;
  if (child.status === 0) ours = JSON.parse(child.stdout.trim().split('\n').pop());
  else
    console.log(`  graphpe failed (${child.signal ?? child.status}): ${(child.stderr || '').slice(-1500)}`);
  if (ours) {
    console.log(
      `  graphpe: ${fmt(ours.seconds)} s, ${ours.iterations} iterations, ${ours.matvecs} matvecs, peak ${fmt(ours.peakMiB, 0)} MiB, max residual ${exp(Math.max(...ours.residuals))}`,
    );
  }
  const ref = {};
  if (py.python && n <= refMax) {
    for (const method of ['SA', 'SI']) {
      if (method === 'SA' && n > saMax) {
        console.log(
          `  scipy SA skipped at n = ${n}: ARPACK which='SA' needs ~100 s at 1e5 and grows faster than n (raise --sa-max to run it)`,
        );
        continue;
      }
      const r = spawnSync(py.python, [join(here, 'sparse_ref.py'), file, String(g.n), String(k), method], {
        encoding: 'utf8',
        timeout: timeoutMs,
        maxBuffer: 1 << 26,
        env: referenceEnv(1),
      });
      if (r.status === 0) {
        ref[method] = JSON.parse(r.stdout.trim().split('\n').pop());
        const x = ref[method];
        const dv = ours ? Math.max(...x.values.map((v, j) => Math.abs(v - ours.values[j]))) : null;
        console.log(
          `  scipy ${method}: ${fmt(x.seconds)} s (+${fmt(x.build)} s Laplacian), peak ${fmt(x.peakMiB, 0)} MiB, max residual ${exp(Math.max(...x.residuals))}, max |Δλ| vs graphpe ${exp(dv)}`,
        );
      } else {
        ref[method] = {
          failed:
            r.signal === 'SIGTERM'
              ? `timeout ${timeoutMs / 1000} s`
              : (r.stderr || '').trim().split('\n').pop(),
        };
        console.log(`  scipy ${method} failed: ${ref[method].failed}`);
      }
    }
  }
  rmSync(file, { force: true });
  const best = ['SA', 'SI'].map((m) => ref[m]?.seconds).filter((x) => x !== undefined);
  const bestS = best.length ? Math.min(...best) : undefined;
  rows.push({ n: g.n, ours, ref, bestS, tol });
}

console.log(
  '\n| n | tol | graphpe s | peak MiB | max residual | scipy SA s | scipy SI s | scipy best / graphpe | scipy max residual |',
);
console.log('|---|---|---|---|---|---|---|---|---|');
for (const { n, ours, ref, bestS, tol } of rows) {
  const sa = ref.SA?.seconds ?? ref.SA?.failed ?? (py.python ? 'skipped' : 'n/a');
  const si = ref.SI?.seconds ?? ref.SI?.failed ?? 'n/a';
  const ratio = ours && bestS !== undefined ? `${(bestS / ours.seconds).toFixed(2)}×` : '—';
  const sres = ['SA', 'SI']
    .map((m) => (ref[m]?.residuals ? exp(Math.max(...ref[m].residuals)) : '—'))
    .join(' / ');
  console.log(
    `| ${n} | ${tol} | ${fmt(ours?.seconds)} | ${fmt(ours?.peakMiB, 0)} | ${ours ? exp(Math.max(...ours.residuals)) : '—'} | ${fmt(sa)} | ${fmt(si)} | ${ratio} | ${sres} |`,
  );
}
console.log(
  'ratio > 1: graphpe faster. Times: graphpe = laplacianEigsh(g) end to end (Laplacian, AMG setup, solve); scipy = eigsh call only.',
);
const jsonFile = arg('json', null);
if (jsonFile) {
  const slim = rows.map(({ n, ours, ref, tol }) => ({
    n,
    tol,
    seconds: ours?.seconds ?? null,
    peakMiB: ours?.peakMiB ?? null,
    maxResidual: ours ? Math.max(...ours.residuals) : null,
    scipySA: ref.SA?.seconds ?? null,
    scipySI: ref.SI?.seconds ?? null,
  }));
  writeFileSync(jsonFile, `${JSON.stringify(slim, null, 2)}\n`);
}
