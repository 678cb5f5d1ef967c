#!/usr/bin/env node
// Quality at a budget: graphpe vs PyTorch on ZINC-12k with the same recipe, per positional encoding.
//
// For every pe of --pe (default none,rwse,spe) it runs `graphpe train` (the built CLI, a child process)
// and scripts/bench/torch_train.py (torch_ref.py's aligned GINE/SPE on the same data, exported once by
// export-train-data.mjs from graphpe's own pipeline, with the trainer's per-epoch shuffle) with identical
// flags, then prints a Markdown table — test MAE at the best validation epoch on both sides, their ratio,
// epochs, wall times, backend — and writes quality.md + quality.json (+ the runs' logs and result files)
// to --out [results/quality/<timestamp>].
//
// Usage (build first: npx tsc -b packages/cli; GRAPHPE_DATA_DIR must hold zinc/):
//   node scripts/bench/quality.mjs [--pe none,rwse,spe] --epochs E [--limit N] [--hidden 128] [--layers 4]
//     [--batch-size 128] [--lr 1e-3] [--max-steps S] [--seed 0] [--spe-m M] [--spe-rho-layers L]
//     [--pe-hidden H] [--backend B] [--torch-threads 1] [--torch-init graphpe|torch] [--only graphpe|torch]
//     [--dataset zinc] [--out DIR]
// Flags left out take each side's defaults, which are the same (torch_train.py reads SPE's from the export).
// Resumable: rerun with the same --out (and flags) and the export and finished runs are reused; an
// interrupted graphpe run continues from its last finished epoch (`graphpe train --resume`).
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findPython } from './lib/python.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const CLI = join(root, 'packages/cli/bin/graphpe.js');

// Flags passed to both sides under the same name when given (value kind for validation).
const SHARED = {
  epochs: 'int',
  limit: 'int',
  hidden: 'int',
  layers: 'int',
  'batch-size': 'int',
  lr: 'num',
  'max-steps': 'int',
  seed: 'int',
  'spe-m': 'int',
  'spe-rho-layers': 'int',
  'pe-hidden': 'int',
};
const OWN = ['pe', 'out', 'dataset', 'backend', 'torch-threads', 'torch-init', 'only'];

function parseArgs(argv) {
  const o = { pe: 'none,rwse,spe', dataset: 'zinc', 'torch-threads': '1', 'torch-init': 'graphpe' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') {
      process.stdout.write(`${readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\nimport ')[0]}\n`);
      process.exit(0);
    }
    const name = a.replace(/^--/, '');
    if (!a.startsWith('--') || !(name in SHARED || OWN.includes(name)))
      throw new Error(`unknown option ${a}`);
    if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
    const v = argv[++i];
    if (SHARED[name] === 'int' && !(Number.isInteger(Number(v)) && Number(v) >= (name === 'seed' ? 0 : 1))) {
      throw new Error(`${a} must be a positive integer (got ${v})`);
    }
    if (SHARED[name] === 'num' && !(Number(v) > 0))
      throw new Error(`${a} must be a positive number (got ${v})`);
    o[name] = v;
  }
  if (o.epochs === undefined) throw new Error('--epochs is required (budgets are explicit)');
  o.pes = o.pe.split(',').map((s) => s.trim());
  for (const p of o.pes) {
    if (!['none', 'rwse', 'spe'].includes(p)) throw new Error(`--pe: ${p} is not one of none, rwse, spe`);
  }
  if (o.only && !['graphpe', 'torch'].includes(o.only)) throw new Error('--only must be graphpe or torch');
  return o;
}

const t0 = performance.now();
const since = () => fmtS((performance.now() - t0) / 1000);
function fmtS(s) {
  if (!Number.isFinite(s)) return '?';
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  return m < 60
    ? `${m}m${String(Math.round(s - 60 * m)).padStart(2, '0')}s`
    : `${Math.floor(m / 60)}h${m % 60}m`;
}
const say = (line) => process.stdout.write(`[${since()}] ${line}\n`);

/**
 * Runs a child with stdout collected, stderr to `logFile`; lines starting with "epoch " are relayed with a
 * prefix (a progress line per epoch for long runs). Resolves { code, stdout, seconds }.
 */
function runChild(cmd, args, { logFile, prefix, env }) {
  return new Promise((res, rej) => {
    const start = performance.now();
    const logStream = createWriteStream(logFile);
    logStream.write(`$ ${cmd} ${args.join(' ')}\n`);
    const p = spawn(cmd, args, {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    p.stdout.setEncoding('utf8');
    p.stderr.setEncoding('utf8');
    let stdout = '';
    let pending = '';
    p.stdout.on('data', (d) => {
      stdout += d;
    });
    p.stderr.on('data', (d) => {
      logStream.write(d);
      pending += d.replace(/\r/g, '\n');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const l of lines)
        if (/^epoch \d+\//.test(l)) say(`${prefix} ${l.replace(/ val_loss \S+| \(best.*$/g, '')}`);
    });
    p.on('error', rej);
    p.on('close', (code, signal) => {
      logStream.end();
      res({ code: code ?? signal, stdout, seconds: (performance.now() - start) / 1000 });
    });
  });
}

function tailOf(file, n = 6) {
  try {
    return readFileSync(file, 'utf8').replace(/\r/g, '\n').split('\n').filter(Boolean).slice(-n).join('\n');
  } catch {
    return '';
  }
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
  const out = resolve(o.out ?? join(root, 'results', 'quality', stamp));
  mkdirSync(out, { recursive: true });
  if (!existsSync(CLI) || !existsSync(join(root, 'packages/cli/dist/index.js'))) {
    throw new Error('the CLI is not built: run npx tsc -b packages/cli');
  }
  const env = {};
  if (!process.env.GRAPHPE_DATA_DIR) say('GRAPHPE_DATA_DIR is unset: graphpe reads ~/.cache/graphpe');
  const py = o.only === 'graphpe' ? { python: null } : findPython(['torch', 'numpy']);
  if (o.only !== 'graphpe' && !py.python) throw new Error(`PyTorch side: ${py.reason}`);

  const shared = Object.keys(SHARED).filter((k) => o[k] !== undefined);
  const flags = (names) => names.flatMap((k) => [`--${k}`, o[k]]);
  const seed = o.seed ?? '0';
  say(
    `quality: ${o.dataset}, pe ${o.pes.join(',')}, ${shared.map((k) => `--${k} ${o[k]}`).join(' ')} → ${out}`,
  );

  // Resumable: a rerun with the same --out reuses the finished export and runs (same config only).
  const configFile = join(out, 'quality-config.json');
  const config = { dataset: o.dataset, flags: Object.fromEntries(shared.map((k) => [k, o[k]])), seed };
  if (existsSync(configFile)) {
    const before = readFileSync(configFile, 'utf8');
    if (before !== `${JSON.stringify(config)}\n`) {
      throw new Error(`${out} holds runs of another config (${before.trim()}); use a new --out`);
    }
    say(`resuming in ${out}: finished runs are reused`);
  } else writeFileSync(configFile, `${JSON.stringify(config)}\n`);

  // One export for every PE (graphpe's pipeline, cache included), with the trainer's shuffles.
  const exportDir = join(out, 'export');
  const exportPes = new Set(
    existsSync(join(exportDir, 'meta.json'))
      ? (() => {
          const pe = JSON.parse(readFileSync(join(exportDir, 'meta.json'), 'utf8')).config?.pe;
          return pe === 'all' ? ['none', 'rwse', 'spe'] : ['none', pe];
        })()
      : [],
  );
  if (o.only !== 'graphpe' && o.pes.every((pe) => exportPes.has(pe))) {
    say(`export: reusing ${exportDir}`);
  } else if (o.only !== 'graphpe') {
    const exArgs = [
      join(here, 'export-train-data.mjs'),
      '--out',
      exportDir,
      '--dataset',
      o.dataset,
      '--pe',
      o.pes.includes('spe') && o.pes.includes('rwse')
        ? 'all'
        : o.pes.includes('spe')
          ? 'spe'
          : o.pes.includes('rwse')
            ? 'rwse'
            : 'none',
      '--seed',
      seed,
      '--shuffle-epochs',
      o.epochs,
      ...(o.limit ? ['--limit', o.limit] : []),
    ];
    const r = await runChild(process.execPath, exArgs, {
      logFile: join(out, 'export.log'),
      prefix: 'export',
      env,
    });
    if (r.code !== 0) throw new Error(`export failed (${r.code}):\n${tailOf(join(out, 'export.log'))}`);
    say(`export done in ${fmtS(r.seconds)} (${exportDir})`);
  }

  const rows = [];
  const runs = o.pes.length * (o.only ? 1 : 2);
  let k = 0;
  for (const pe of o.pes) {
    const row = { pe, graphpe: null, torch: null };
    if (o.only !== 'torch') {
      k++;
      const dir = join(out, `graphpe-${pe}`);
      const done = existsSync(join(dir, 'result.json'));
      if (done) say(`[${k}/${runs}] graphpe ${pe}: reusing ${join(dir, 'result.json')}`);
      const args = [
        CLI,
        'train',
        '--dataset',
        o.dataset,
        '--pe',
        pe,
        ...flags(shared),
        '--out',
        dir,
        // An interrupted run (no result.json yet) continues from its last finished epoch.
        '--resume',
        ...(o.backend ? ['--backend', o.backend] : []),
      ];
      if (!done) say(`[${k}/${runs}] graphpe ${pe}: started`);
      const r = done
        ? { code: 0, seconds: Number.NaN }
        : await runChild(process.execPath, args, {
            logFile: join(out, `graphpe-${pe}.log`),
            prefix: `  graphpe ${pe}`,
            env,
          });
      if (r.code !== 0 || !existsSync(join(dir, 'result.json'))) {
        row.graphpe = { error: `exit ${r.code}: ${tailOf(join(out, `graphpe-${pe}.log`), 3)}` };
        say(`[${k}/${runs}] graphpe ${pe}: FAILED after ${fmtS(r.seconds)} (${row.graphpe.error})`);
      } else {
        const res = JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8'));
        row.graphpe = {
          testMae: res.testAtBest?.mae ?? null,
          bestValMae: res.bestVal?.mae ?? null,
          bestEpoch: res.bestEpoch,
          epochsRun: res.epochsRun,
          wallTimeS: res.wallTimeS,
          processS: r.seconds,
          epochTimeS: res.history.reduce((s, h) => s + h.timeS, 0) / Math.max(1, res.history.length),
          params: res.params,
          backend: res.backend,
          backendInfo: res.backendInfo ?? null,
          splitSizes: res.splitSizes,
        };
        say(
          `[${k}/${runs}] graphpe ${pe}: done in ${fmtS(r.seconds)}, test MAE ${row.graphpe.testMae?.toFixed(4)} (best epoch ${res.bestEpoch}/${res.epochsRun}, ${res.backend})`,
        );
      }
    }
    if (o.only !== 'graphpe') {
      k++;
      const args = [
        join(here, 'torch_train.py'),
        '--data',
        exportDir,
        '--pe',
        pe,
        ...flags(shared.filter((f) => f !== 'limit')),
        '--threads',
        o['torch-threads'],
        '--init',
        o['torch-init'],
      ];
      const threads = o['torch-threads'];
      const saved = join(out, `torch-${pe}.json`);
      const done = existsSync(saved);
      say(`[${k}/${runs}] pytorch ${pe}: ${done ? `reusing ${saved}` : 'started'}`);
      const r = done
        ? { code: 0, seconds: Number.NaN, stdout: JSON.stringify(JSON.parse(readFileSync(saved, 'utf8'))) }
        : await runChild(py.python, args, {
            logFile: join(out, `torch-${pe}.log`),
            prefix: `  pytorch ${pe}`,
            env: { OMP_NUM_THREADS: threads, MKL_NUM_THREADS: threads, OPENBLAS_NUM_THREADS: threads },
          });
      const last = r.stdout.trim().split('\n').pop();
      if (r.code !== 0 || !last) {
        row.torch = { error: `exit ${r.code}: ${tailOf(join(out, `torch-${pe}.log`), 3)}` };
        say(`[${k}/${runs}] pytorch ${pe}: FAILED after ${fmtS(r.seconds)} (${row.torch.error})`);
      } else {
        const res = JSON.parse(last);
        writeFileSync(join(out, `torch-${pe}.json`), `${JSON.stringify(res, null, 2)}\n`);
        row.torch = {
          testMae: res.test_mae,
          bestValMae: res.best_val_mae,
          bestEpoch: res.best_epoch,
          epochsRun: res.epochs_run,
          wallTimeS: res.wall_time_s,
          processS: r.seconds,
          epochTimeS: res.history.reduce((s, h) => s + h.time_s, 0) / Math.max(1, res.history.length),
          params: res.params,
          backend: `torch ${res.torch} cpu, ${res.threads} thread${res.threads === 1 ? '' : 's'}`,
          shuffle: res.config.shuffle,
          init: res.config.init,
        };
        say(
          `[${k}/${runs}] pytorch ${pe}: done in ${fmtS(r.seconds)}, test MAE ${res.test_mae?.toFixed(4)} (best epoch ${res.best_epoch}/${res.epochs_run})`,
        );
      }
    }
    if (row.graphpe?.params && row.torch?.params && row.graphpe.params !== row.torch.params) {
      say(
        `warning: ${pe}: graphpe has ${row.graphpe.params} parameters, PyTorch ${row.torch.params} (configs differ?)`,
      );
    }
    rows.push(row);
  }

  const f4 = (x) => (typeof x === 'number' && Number.isFinite(x) ? x.toFixed(4) : '—');
  const cell = (side, fn) => (side && !side.error ? fn(side) : side?.error ? 'failed' : '—');
  const ratioOf = (r) =>
    r.graphpe?.testMae && r.torch?.testMae ? r.graphpe.testMae / r.torch.testMae : null;
  const ratio = (r) => {
    const q = ratioOf(r);
    return q === null ? '—' : `${q.toFixed(3)} (${Math.abs(q - 1) <= 0.1 ? 'within' : 'outside'} 10%)`;
  };
  for (const r of rows) r.ratio = ratioOf(r);
  const header = [
    '| pe | graphpe test MAE | PyTorch test MAE | ratio graphpe/PyTorch | best epoch / epochs (graphpe; PyTorch) | wall time graphpe | wall time PyTorch | params | backend (graphpe; PyTorch) |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  const lines = rows.map(
    (r) =>
      `| ${r.pe} | ${cell(r.graphpe, (s) => f4(s.testMae))} | ${cell(r.torch, (s) => f4(s.testMae))} | ${ratio(r)} | ${cell(r.graphpe, (s) => `${s.bestEpoch}/${s.epochsRun}`)}; ${cell(r.torch, (s) => `${s.bestEpoch}/${s.epochsRun}`)} | ${cell(r.graphpe, (s) => `${fmtS(s.wallTimeS)} (${fmtS(s.epochTimeS)}/epoch)`)} | ${cell(r.torch, (s) => `${fmtS(s.wallTimeS)} (${fmtS(s.epochTimeS)}/epoch)`)} | ${cell(r.graphpe, (s) => s.params)}; ${cell(r.torch, (s) => s.params)} | ${cell(r.graphpe, (s) => s.backend)}; ${cell(r.torch, (s) => s.backend)} |`,
  );
  const sizes = rows.find((r) => r.graphpe?.splitSizes)?.graphpe.splitSizes;
  const budget = shared.map((k) => `--${k} ${o[k]}`).join(' ');
  const md = [
    `# Quality at a budget: ${o.dataset}, ${new Date().toISOString()}`,
    '',
    `Config (both sides): ${budget || '(defaults)'}${
      sizes
        ? `; split sizes ${Object.entries(sizes)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')}`
        : ''
    }.`,
    'Test MAE at the best validation epoch; wall time = training + per-epoch evaluation (no data preparation).',
    'PyTorch = scripts/bench/torch_train.py (torch_ref.py GINE/SPE, graphpe init, graphpe shuffle, same schedule).',
    '',
    ...header,
    ...lines,
    '',
  ].join('\n');
  writeFileSync(join(out, 'quality.md'), md);
  writeFileSync(
    join(out, 'quality.json'),
    `${JSON.stringify({ dataset: o.dataset, config: Object.fromEntries(shared.map((k) => [k, o[k]])), out, totalTimeS: (performance.now() - t0) / 1000, rows }, null, 2)}\n`,
  );
  process.stdout.write(`\n${md}\n`);
  say(`wrote ${join(out, 'quality.md')} and quality.json`);
  if (rows.some((r) => r.graphpe?.error || r.torch?.error)) process.exitCode = 1;
}

main().catch((err) => {
  process.stderr.write(`quality: ${err instanceof Error ? err.message : err}\n`);
  process.exit(1);
});
