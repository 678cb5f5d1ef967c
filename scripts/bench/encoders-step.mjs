import { mkdirSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runJsonChild } from './lib/child.mjs';
import { findPython, runPython } from './lib/python.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const script = fileURLToPath(import.meta.url);
const outDir = join(here, '../../.bench-out');
const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : dflt;
};
const log = (s = '') => process.stdout.write(`${s}\n`);
const fmt = (x, d = 1) => (x === null || x === undefined || Number.isNaN(x) ? '—' : x.toFixed(d));

const B = 128;
const N = 38;
const K = 38;
const M = 16;
const HIDDEN = 64;
const OUT = 37;
const SPE_RHO_LAYERS = 8;
const SPE_PHI_HIDDEN = 16;
const SIGNNET_LAYERS = 4;
const MODELS = {
  spe: 'SPE',
  signnet: 'SignNet',
  lapmlp: 'LapPE-MLP',
};

// ---------------------------------------------------------------- child: one backend, all models
async function child() {
  const backend = opt('child');
  const file = opt('batch');
  const models = opt('models').split(',');
  const steps = Number(opt('steps'));
  const warmup = Number(opt('warmup'));
  const profile = argv.includes('--profile');
  const L = await import('../../packages/encodings/dist/learned/index.js');
  const { readTensors, timeSteps, profileStep } = await import('./lib/tfstep.mjs');
  const tf = L.tf;
  const info = await L.initBackend({ backend, log: null });
  const d = readTensors(file);
  const bs = Number(opt('batch-size'));
  const T = (name) => tf.tidy(() => tf.tensor(d[name].data, d[name].shape).slice(0, bs));
  const V = T('vectors');
  const lam = T('values');
  const A = T('adjacency');
  const nm = T('nodeMask');
  const em = T('eigMask');
  const results = [];
  for (const key of models) {
    let layer;
    let fwd;
    if (key === 'spe') {
      layer = new L.SpeEncoder({
        m: M,
        phi: 'mlp',
        phiHidden: SPE_PHI_HIDDEN,
        rhoLayers: SPE_RHO_LAYERS,
        rhoHidden: HIDDEN,
        outDim: OUT,
        seed: 1,
      });
      fwd = () => layer.apply([V, lam, A, nm, em], { training: true });
    } else if (key === 'signnet') {
      layer = new L.SignNetEncoder({ phiLayers: SIGNNET_LAYERS, hidden: HIDDEN, outDim: OUT, seed: 1 });
      fwd = () => layer.apply([V, lam, A, nm, em], { training: true });
    } else if (key === 'lapmlp') {
      // The un-averaged per-node MLP of FrameAveragedMlp: plain LapPE → MLP (no sign handling).
      layer = new L.FrameAveragedMlp({ hidden: HIDDEN, outDim: OUT, mlpLayers: 3, seed: 1 });
      tf.tidy(() => layer.apply([V, nm, em, tf.zerosLike(em)])); // builds the weights
      fwd = () => layer.phi(V, nm, em, true);
    } else throw new Error(`unknown model ${key}`);
    if (!layer.built) tf.tidy(() => layer.apply([V, lam, A, nm, em], { training: false }));
    const vars = layer.trainableWeights.map((w) => w.read());
    const params = vars.reduce((s, v) => s + v.size, 0);
    const adam = tf.train.adam(1e-3);
    const step = () => {
      const loss = adam.minimize(() => tf.mean(tf.square(fwd())), true, vars);
      loss.dataSync();
      loss.dispose();
    };
    const row = { model: key, backend: info.name, params, batch: bs };
    try {
      const t = timeSteps(step, { warmup, steps, budgetMs: Number(opt('budget-s', 300)) * 1000 });
      row.ms = t.median;
      row.times = t.times;
      if (backend === 'wasm') {
        const tf0 = performance.now();
        const y = tf.tidy(fwd);
        y.dataSync();
        y.dispose();
        row.fwdMs = performance.now() - tf0;
        if (profile) row.profile = await profileStep(tf, step);
      }
    } catch (e) {
      row.error = String(e?.message ?? e)
        .split('\n')[0]
        .slice(0, 200);
    }
    results.push(row);
    adam.dispose();
    layer.dispose();
  }
  process.stdout.write(`${JSON.stringify({ backend: info, results })}\n`);
}

// ---------------------------------------------------------------- parent
async function parent() {
  mkdirSync(outDir, { recursive: true });
  const models = opt('models', 'spe,signnet,lapmlp').split(',');
  const backends = opt('backends', 'wasm,cpu').split(',');
  const steps = {
    wasm: Number(opt('wasm-steps', 3)),
    cpu: Number(opt('cpu-steps', 2)),
    torch: Number(opt('torch-steps', 3)),
  };
  const warm = { wasm: 1, cpu: 1, torch: 1 };
  const py = findPython(['torch']);
  const load0 = loadavg();
  log(
    `# bench:encoders  (node ${process.version}, ${availableParallelism()} cores, load ${load0.map((x) => x.toFixed(2)).join(' ')} at start)`,
  );
  const { eigBatch } = await import('../../packages/encodings/dist/learned/index.js');
  const { benchRecords, writeTensors } = await import('./lib/molbatch.mjs');
  const { records, source } = await benchRecords({ count: B, maxNodes: N });
  const eb = eigBatch(
    records.map((r) => ({ graph: r.graph, spectrum: r.spectrum })),
    { maxNodes: N, k: K },
  );
  const file = join(outDir, 'encoders-step-batch.bin');
  writeTensors(file, {
    vectors: { shape: [B, N, K], data: eb.vectors },
    values: { shape: [B, K], data: eb.values },
    adjacency: { shape: [B, N, N], data: eb.adjacency },
    nodeMask: { shape: [B, N], data: eb.nodeMask },
    eigMask: { shape: [B, K], data: eb.eigMask },
  });
  log(`batch: ${B} graphs padded to N = ${N}, K = ${K} eigenpairs (sym-normalized Laplacian); ${source}`);
  log(
    `models: SPE (m = ${M}, φ MLP 1→${SPE_PHI_HIDDEN}→${SPE_PHI_HIDDEN}→1, ρ = ${SPE_RHO_LAYERS} GIN layers with 3-Linear MLPs, hidden ${HIDDEN}), ` +
      `SignNet (φ ${SIGNNET_LAYERS} GIN layers, hidden ${HIDDEN}, DeepSets ρ), LapPE-MLP (${K}→${HIDDEN}→${HIDDEN}→${OUT}); output ${OUT}/node; loss mean(out²); Adam`,
  );
  if (py.python) log(`PyTorch: ${py.python} scripts/bench/torch_ref.py, 1 thread, same batch file`);
  log(
    `steps: wasm ${warm.wasm} warm-up + ${steps.wasm} timed, cpu ${warm.cpu} warm-up + ${steps.cpu} timed (the cpu backend is slow; stops after 300 s), PyTorch ${warm.torch} + ${steps.torch}; median ms/step`,
  );
  const res = {}; // res[model][backend] = row
  const runChild = (be, m, bs) => {
    const r = runJsonChild(script, [
      '--child',
      be,
      '--batch',
      file,
      '--batch-size',
      String(bs),
      '--models',
      m,
      '--steps',
      String(steps[be]),
      '--warmup',
      String(warm[be]),
      ...(argv.includes('--profile') ? ['--profile'] : []),
    ]);
    if ('error' in r) return { error: r.error, batch: bs };
    const out = r.out;
    return { ...out.results[0], info: out.backend };
  };
  const fallbacks = opt('batches', `${B},64,32,16`).split(',').map(Number);
  for (const m of models) {
    res[m] = { tried: [] };
    // wasm first, at the full batch; if it does not fit in wasm's 4 GiB heap, at the largest batch that does.
    let bs = B;
    if (backends.includes('wasm')) {
      for (const b of fallbacks) {
        const t0 = performance.now();
        const row = runChild('wasm', m, b);
        log(
          `${MODELS[m]} wasm B=${b}: ${row.error ? `FAILED (${row.error})` : `${fmt(row.ms)} ms/step`} — ${((performance.now() - t0) / 1000).toFixed(0)} s, load ${loadavg()[0].toFixed(2)}`,
        );
        res[m].tried.push({ backend: 'wasm', batch: b, error: row.error });
        if (!row.error && row.ms === undefined) row.error = 'no timing';
        res[m].wasm = row;
        bs = b;
        if (!row.error) break;
      }
    }
    if (backends.includes('cpu')) {
      const t0 = performance.now();
      const row = runChild('cpu', m, bs);
      log(
        `${MODELS[m]} cpu B=${bs}: ${row.error ? `FAILED (${row.error})` : `${fmt(row.ms)} ms/step (${row.times.length} timed)`} — ${((performance.now() - t0) / 1000).toFixed(0)} s, load ${loadavg()[0].toFixed(2)}`,
      );
      res[m].cpu = row;
    }
    res[m].batch = bs;
    if (py.python) {
      try {
        const t = runPython(py.python, join(here, 'torch_ref.py'), [
          '--model',
          m,
          '--inputs',
          file,
          '--batch-size',
          String(bs),
          '--hidden',
          String(HIDDEN),
          '--m',
          String(M),
          '--phi-hidden',
          String(SPE_PHI_HIDDEN),
          '--rho-layers',
          String(SPE_RHO_LAYERS),
          '--signnet-layers',
          String(SIGNNET_LAYERS),
          '--out-dim',
          String(OUT),
          '--steps',
          String(steps.torch),
          '--warmup',
          String(warm.torch),
        ]);
        res[m].torch = { ...t, ms: t.ms_per_step };
        log(
          `${MODELS[m]} PyTorch B=${bs}: ${fmt(t.ms_per_step)} ms/step (torch ${t.torch}, ${t.threads} thread)`,
        );
      } catch (e) {
        res[m].torch = { error: String(e.message).split('\n')[0].slice(0, 120) };
      }
    }
  }
  if (!py.python) log(`PyTorch comparison skipped: ${py.reason}`);
  const bi = Object.values(res).find((r) => r.wasm?.info)?.wasm.info;
  if (bi) log(`wasm backend: ${bi.provider}${bi.simd ? ', SIMD' : ''}, ${bi.threads} thread`);
  const load1 = loadavg();
  log();
  log(
    '| model | batch | params (tfjs / torch) | cpu ms/step | wasm ms/step (fwd) | PyTorch 1T ms/step | wasm speed-up vs cpu (target ≥ 5×) | wasm / PyTorch (target ≤ 3×) |',
  );
  log('|---|---|---|---|---|---|---|---|');
  const verdict = (ok) => (ok === null ? '' : ok ? ' met' : ' **missed**');
  for (const m of models) {
    const c = res[m].cpu;
    const w = res[m].wasm;
    const t = res[m].torch;
    const cell = (r) => (r ? (r.error ? `error: ${r.error}` : fmt(r.ms)) : '—');
    const speed = c?.ms && w?.ms ? c.ms / w.ms : null;
    const vsTorch = w?.ms && t?.ms ? w.ms / t.ms : null;
    const params = `${w?.params ?? c?.params ?? '—'} / ${t?.params ?? '—'}`;
    log(
      `| ${MODELS[m]} | ${res[m].batch}${res[m].batch !== B ? ` (B=${B}: wasm out of memory)` : ''} | ${params} | ${cell(c)} | ${cell(w)}${w?.fwdMs ? ` (${fmt(w.fwdMs)})` : ''} | ${cell(t)} | ${speed === null ? '—' : `${fmt(speed)}×${verdict(speed >= 5)}`} | ${vsTorch === null ? '—' : `${fmt(vsTorch)}×${verdict(vsTorch <= 3)}`} |`,
    );
  }
  log();
  log(
    `load average at start ${load0.map((x) => x.toFixed(2)).join(' ')}, at end ${load1.map((x) => x.toFixed(2)).join(' ')} (2 shared cores: timings are distorted when above ~1)`,
  );
  for (const m of models) {
    const p = res[m].wasm?.profile;
    if (!p) continue;
    log();
    log(
      `wasm profile, ${MODELS[m]} (one step, ${fmt(p.totalMs)} ms in kernels, peak ${fmt(p.peakMB, 0)} MB):`,
    );
    for (const k of p.byKernel.slice(0, 6)) log(`  ${k.kernel}: ${fmt(k.ms)} ms`);
    for (const k of p.top) log(`  ${fmt(k.ms).padStart(8)} ms  ${k.calls}×  ${k.kernel} ${k.shapes}`);
  }
}

if (argv.includes('--child')) await child();
else await parent();
