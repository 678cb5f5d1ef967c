// Citation graphs (Cora, CiteSeer, PubMed from $GRAPHPE_DATA_DIR): graphpe spectrum() with its default
// solver choice (component by component above n = 2000) against scipy eigsh shift-invert run on the same
// graph in the same run, with the correctness of graphpe's values printed next to the time: max |Δλ|
// against graphpe's dense solve (all pairs, Householder + QL: Cora, CiteSeer) and against scipy.
//
// usage: node scripts/bench/citation.mjs [--json FILE] [--reps 3]
// Needs `npm run build` first (imports packages/spectral/dist).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectedComponents, spectrum, writeEdgeListBinary } from '../../packages/spectral/dist/index.js';
import { loadCitation, missing } from './graphon/citation.mjs';
import { findPython, runPython } from './lib/python.mjs';
import { dataDir } from './lib/zinc.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(resolve(here, '../..'), '.bench-out', 'citation');
mkdirSync(out, { recursive: true });
const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
};
const reps = Number(arg('reps', '3'));
const jsonFile = arg('json', null);
const fmt = (x, d = 2) => (x === null || x === undefined ? '—' : x.toFixed(d));
const exp = (x) => (x === null || x === undefined ? '—' : x.toExponential(1));
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const maxDiff = (a, b, k) => {
  let d = 0;
  for (let j = 0; j < k; j++) d = Math.max(d, Math.abs(a[j] - b[j]));
  return d;
};

const py = findPython(['numpy', 'scipy']);
if (!py.python) console.log(`scipy comparison skipped: ${py.reason}`);
const dir = dataDir();
const cases = [
  ['cora', 100, true],
  ['citeseer', 100, true],
  ['pubmed', 16, false],
];
const rows = [];
for (const [name, k, dense] of cases) {
  const why = missing(dir, name);
  if (why) {
    console.log(`${name}: skipped (${why})`);
    continue;
  }
  const { graph: g } = loadCitation(dir, name);
  const comps = connectedComponents(g);
  const isolated = Array.from(comps.sizes).filter((s) => s === 1).length;
  const times = [];
  let s;
  for (let r = 0; r < reps; r++) {
    const t = performance.now();
    s = spectrum(g, { k, laplacian: 'sym' });
    times.push((performance.now() - t) / 1000);
  }
  const seconds = median(times);
  let maxRes = 0;
  for (let j = 0; j < k; j++) maxRes = Math.max(maxRes, s.residuals[j]);
  const row = {
    name,
    n: g.n,
    components: comps.count,
    isolated,
    k,
    solver: s.solver,
    seconds,
    nullity: s.groups[0].value === 0 ? s.groups[0].multiplicity : 0,
    nullityIsLowerBound: s.groups[0].multiplicityIsLowerBound,
    maxResidual: maxRes,
  };
  if (dense) {
    const t = performance.now();
    const d = spectrum(g, { k, laplacian: 'sym', solver: 'dense' });
    row.denseSeconds = (performance.now() - t) / 1000;
    row.vsDense = maxDiff(s.values, d.values, k);
  }
  if (py.python) {
    const file = join(out, `${name}.i32`);
    await writeEdgeListBinary(file, g);
    try {
      const r = runPython(py.python, join(here, 'sparse_ref.py'), [file, String(g.n), String(k), 'SI']);
      row.scipySeconds = r.seconds;
      row.vsScipy = maxDiff(s.values, r.values, k);
    } catch (e) {
      row.scipyFailed = String(e.message).split('\n')[0];
    }
    rmSync(file, { force: true });
  }
  rows.push(row);
  console.log(
    `${name}: n = ${g.n}, ${comps.count} components (${isolated} isolated), k = ${k}: graphpe ${s.solver} ${fmt(seconds)} s (median of ${reps}), null space multiplicity ${row.nullity}${row.nullityIsLowerBound ? ' (lower bound)' : ''}, max residual ${exp(maxRes)}`,
  );
}
console.log(
  '\n| graph | n | components | k | graphpe s | scipy SI s | scipy / graphpe | max |Δλ| vs dense | max |Δλ| vs scipy | multiplicity of 0 |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(
    `| ${r.name} | ${r.n} | ${r.components} | ${r.k} | ${fmt(r.seconds)} | ${r.scipyFailed ? 'failed' : fmt(r.scipySeconds)} | ${r.scipySeconds ? `${fmt(r.scipySeconds / r.seconds)}×` : '—'} | ${exp(r.vsDense)} | ${exp(r.vsScipy)} | ${r.nullity} |`,
  );
}
console.log(
  'graphpe = spectrum(g, { k }) end to end (components, solves, merge, residuals); scipy = eigsh(L, k, sigma=-1e-3) call only; ratio > 1: graphpe faster.',
);
if (jsonFile) writeFileSync(jsonFile, `${JSON.stringify(rows, null, 2)}\n`);
