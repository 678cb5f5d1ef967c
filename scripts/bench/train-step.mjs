import { existsSync, mkdirSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
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
const HIDDEN = 128;
const LAYERS = 4;
const EPOCH_GRAPHS = 10_000;
const SPE = { m: 16, phi: 'mlp', phiHidden: 16, rhoLayers: 8, rhoHidden: 64, outDim: 37 };
const TARGET_VS_TORCH = { none: 3, rwse: 3, spe: 5 };
const WD = 3e-6;

// ---------------------------------------------------------------- child: one backend, one PE
async function child() {
  const backend = opt('child');
  const pe = opt('pe');
  const bs = Number(opt('batch-size'));
  const steps = Number(opt('steps'));
  const warmup = Number(opt('warmup'));
  const L = await import('../../packages/encodings/dist/learned/index.js');
  const G = await import('../../packages/gnn/dist/index.js');
  const { readTensors, timeSteps, profileStep, molBatchOf, benchModel } = await import('./lib/tfstep.mjs');
  const tf = L.tf;
  const info = await L.initBackend({ backend, log: null });
  if (pe === 'spe' && !G.learnedPeChoices().includes('spe')) {
    G.registerPeEncoder('spe', (ctx) => new L.SpeEncoder({ name: ctx.name, seed: ctx.seed, ...ctx.options }));
  }
  const d = readTensors(opt('batch'));
  const meta = JSON.parse(opt('meta'));
  const { batch } = molBatchOf(d, bs, pe);
  const model = benchModel(G, d, { pe, meta, spe: SPE, hidden: HIDDEN, layers: LAYERS });
  const adam = new G.AdamWithDecay(model.trainableVariables(), { kind: 'adam', weightDecay: WD });
  adam.learningRate = 1e-3;
  const t = G.molTensors(batch);
  // The trainer's step (gnn/src/train/trainer.ts) on an uploaded batch; upload is not timed.
  const step = () => {
    const l = adam.step(() => G.maskedLoss('l1', model.apply(t, true), t.targets, t.labelMask));
    l.dataSync();
    l.dispose();
  };
  const row = { pe, backend: info.name, params: model.countParams(), batch: bs };
  try {
    const r = timeSteps(step, { warmup, steps, budgetMs: Number(opt('budget-s', 300)) * 1000 });
    row.ms = r.median;
    row.times = r.times;
    if (backend === 'wasm' && argv.includes('--profile')) row.profile = await profileStep(tf, step);
  } catch (e) {
    row.error = String(e?.message ?? e)
      .split('\n')[0]
      .slice(0, 200);
  }
  process.stdout.write(`${JSON.stringify({ backend: info, result: row })}\n`);
}

// ---------------------------------------------------------------- parent
async function parent() {
  mkdirSync(outDir, { recursive: true });
  const pes = opt('pes', 'none,rwse,spe').split(',');
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
    `# bench:train  (node ${process.version}, ${availableParallelism()} cores, load ${load0.map((x) => x.toFixed(2)).join(' ')} at start)`,
  );
  const G = await import('../../packages/gnn/dist/index.js');
  const { benchRecords, writeTensors, ZINC_ATOM_TYPES } = await import('./lib/molbatch.mjs');
  const { records, source } = await benchRecords({ count: B, maxNodes: N });
  const edgeTypes = G.buildEdgeTypes(records, { bondVocab: [4] });
  const spec = {
    atomVocab: [ZINC_ATOM_TYPES],
    edgeTypes: { bondVocab: edgeTypes.bondVocab, combos: edgeTypes.combos },
    maxNodes: N,
    numTargets: 1,
    peDim: 20,
    eigK: K,
  };
  const mb = G.collate(records, spec);
  const T = mb.numEdgeTypes;
  const file = join(outDir, 'train-step-batch.bin');
  writeTensors(file, {
    nodeFeatures: { shape: [B, N, mb.nodeDim], data: mb.nodeFeatures },
    edgeAdjacency: { shape: [B, N, T * N], data: mb.edgeAdjacency },
    adjacency: { shape: [B, N, N], data: mb.adjacency },
    nodeMask: { shape: [B, N], data: mb.nodeMask },
    numNodes: { shape: [B], data: mb.numNodes },
    targets: { shape: [B, 1], data: mb.targets },
    labelMask: { shape: [B, 1], data: mb.labelMask },
    pe: { shape: [B, N, mb.peDim], data: mb.pe },
    vectors: { shape: [B, N, K], data: mb.eigVectors },
    values: { shape: [B, K], data: mb.eigValues },
    eigMask: { shape: [B, K], data: mb.eigMask },
  });
  const meta = JSON.stringify({ atomVocab: spec.atomVocab, edgeTypes: spec.edgeTypes });
  const bondWidth = edgeTypes.bondVocab.reduce((a, b) => a + b, 0);
  log(
    `batch: ${B} graphs padded to N = ${N}; ${source}; ${T} edge types; RWSE 20 steps; K = ${K} eigenpairs`,
  );
  log(
    `model: GINE hidden ${HIDDEN}, ${LAYERS} layers (3-Linear MLPs + masked BN, residual, PE per layer), mean pool, head; masked L1; Adam (L2 ${WD} on kernels)`,
  );
  log(
    `spe encoder: m = ${SPE.m}, φ 1→${SPE.phiHidden}→${SPE.phiHidden}→1, ρ = ${SPE.rhoLayers} GIN layers of width ${SPE.rhoHidden}, p = ${SPE.outDim}`,
  );
  if (py.python) log(`PyTorch: ${py.python} scripts/bench/torch_ref.py, 1 thread, same batch file`);
  else log(`PyTorch comparison skipped: ${py.reason}`);
  log(
    `steps: wasm ${warm.wasm} warm-up + ${steps.wasm} timed, cpu ${warm.cpu} + ${steps.cpu} (slow; stops after 300 s), PyTorch ${warm.torch} + ${steps.torch}; median ms/step`,
  );
  const wasm2Module = join(here, 'lib', 'wasm2.mjs');
  const wasm2 = existsSync(wasm2Module) ? await import(pathToFileURL(wasm2Module).href) : null;
  const runChild = (be, pe, bs) => {
    const r = runJsonChild(script, [
      '--child',
      be,
      '--pe',
      pe,
      '--batch',
      file,
      '--meta',
      meta,
      '--batch-size',
      String(bs),
      '--steps',
      String(steps[be]),
      '--warmup',
      String(warm[be]),
      ...(argv.includes('--profile') ? ['--profile'] : []),
    ]);
    if ('error' in r) return { error: r.error, batch: bs };
    const out = r.out;
    return { ...out.result, info: out.backend };
  };
  const res = {};
  for (const pe of pes) {
    const row = {};
    res[pe] = row;
    let bs = B;
    if (backends.includes('wasm')) {
      for (const b of opt('batches', `${B},64,32,16`).split(',').map(Number)) {
        const t0 = performance.now();
        const r = runChild('wasm', pe, b);
        log(
          `GINE+${pe} wasm B=${b}: ${r.error ? `FAILED (${r.error})` : `${fmt(r.ms)} ms/step`} — ${((performance.now() - t0) / 1000).toFixed(0)} s, load ${loadavg()[0].toFixed(2)}`,
        );
        row.wasm = r;
        bs = b;
        if (!r.error) break;
      }
    }
    if (backends.includes('cpu')) {
      const t0 = performance.now();
      const r = runChild('cpu', pe, bs);
      log(
        `GINE+${pe} cpu B=${bs}: ${r.error ? `FAILED (${r.error})` : `${fmt(r.ms)} ms/step (${r.times.length} timed)`} — ${((performance.now() - t0) / 1000).toFixed(0)} s, load ${loadavg()[0].toFixed(2)}`,
      );
      row.cpu = r;
    }
    row.batch = bs;
    if (wasm2) {
      try {
        row.wasm2 = await wasm2.timeStep({
          pe,
          batchFile: file,
          batchSize: bs,
          steps: steps.wasm,
          warmup: warm.wasm,
          config: { hidden: HIDDEN, layers: LAYERS, spe: SPE, meta: JSON.parse(meta) },
        });
      } catch (e) {
        row.wasm2 = { error: String(e.message).split('\n')[0] };
      }
    }
    if (py.python) {
      try {
        const t = runPython(py.python, join(here, 'torch_ref.py'), [
          '--model',
          `gine-${pe}`,
          '--inputs',
          file,
          '--batch-size',
          String(bs),
          '--hidden',
          String(HIDDEN),
          '--layers',
          String(LAYERS),
          '--bond-dim',
          String(bondWidth),
          '--m',
          String(SPE.m),
          '--phi-hidden',
          String(SPE.phiHidden),
          '--rho-layers',
          String(SPE.rhoLayers),
          '--rho-hidden',
          String(SPE.rhoHidden),
          '--out-dim',
          String(SPE.outDim),
          '--weight-decay',
          String(WD),
          '--steps',
          String(steps.torch),
          '--warmup',
          String(warm.torch),
        ]);
        row.torch = { ...t, ms: t.ms_per_step };
        log(
          `GINE+${pe} PyTorch B=${bs}: ${fmt(t.ms_per_step)} ms/step (torch ${t.torch}, ${t.threads} thread)`,
        );
      } catch (e) {
        row.torch = { error: String(e.message).split('\n')[0].slice(0, 120) };
      }
    }
  }
  const bi = Object.values(res).find((r) => r.wasm?.info)?.wasm.info;
  if (bi) log(`wasm backend: ${bi.provider}${bi.simd ? ', SIMD' : ''}, ${bi.threads} thread`);
  const load1 = loadavg();
  const verdict = (ok) => (ok ? ' met' : ' **missed**');
  const cell = (r) => (r ? (r.error ? `error: ${r.error}` : fmt(r.ms)) : '—');
  const epochS = (r, bs) => (r?.ms ? (r.ms * (EPOCH_GRAPHS / bs)) / 1000 : null);
  log();
  log(
    '| model | batch | params (tfjs / torch) | cpu ms/step | wasm ms/step | wasm ×2 workers ms/step | PyTorch 1T ms/step | wasm / cpu | wasm / PyTorch (target) | epoch s: wasm / PyTorch (target wasm ≤ 3×) |',
  );
  log('|---|---|---|---|---|---|---|---|---|---|');
  for (const pe of pes) {
    const r = res[pe];
    const bs = r.batch;
    const vsCpu = r.cpu?.ms && r.wasm?.ms ? r.cpu.ms / r.wasm.ms : null;
    const vsTorch = r.wasm?.ms && r.torch?.ms ? r.wasm.ms / r.torch.ms : null;
    const ew = epochS(r.wasm, bs);
    const et = epochS(r.torch, bs);
    const w2 = r.wasm2 ? cell(r.wasm2) : 'not implemented (hook: lib/wasm2.mjs)';
    log(
      `| GINE+${pe} | ${bs}${bs !== B ? ` (B=${B}: wasm out of memory)` : ''} | ${r.wasm?.params ?? r.cpu?.params ?? '—'} / ${r.torch?.params ?? '—'} | ${cell(r.cpu)} | ${cell(r.wasm)} | ${w2} | ${cell(r.torch)} | ${vsCpu === null ? '—' : `${fmt(vsCpu)}×`} | ${vsTorch === null ? '—' : `${fmt(vsTorch)}× (≤ ${TARGET_VS_TORCH[pe] ?? 3}×)${verdict(vsTorch <= (TARGET_VS_TORCH[pe] ?? 3))}`} | ${ew === null ? '—' : fmt(ew, 0)} / ${et === null ? '—' : fmt(et, 0)}${ew !== null && et !== null ? ` (${fmt(ew / et)}×${verdict(ew / et <= 3)})` : ''} |`,
    );
  }
  log();
  log(
    `epoch = ${EPOCH_GRAPHS.toLocaleString('en-US')} graphs / batch steps (ZINC-12k train), step time only (no collate, eval or I/O)`,
  );
  log(
    `load average at start ${load0.map((x) => x.toFixed(2)).join(' ')}, at end ${load1.map((x) => x.toFixed(2)).join(' ')} (2 shared cores: timings are distorted when above ~1)`,
  );
  for (const pe of pes) {
    const p = res[pe].wasm?.profile;
    if (!p) continue;
    log();
    log(`wasm profile, GINE+${pe} (one step, ${fmt(p.totalMs)} ms in kernels, peak ${fmt(p.peakMB, 0)} MB):`);
    for (const k of p.byKernel.slice(0, 6)) log(`  ${k.kernel}: ${fmt(k.ms)} ms`);
    for (const k of p.top) log(`  ${fmt(k.ms).padStart(8)} ms  ${k.calls}×  ${k.kernel} ${k.shapes}`);
  }
}

if (argv.includes('--child')) await child();
else await parent();
