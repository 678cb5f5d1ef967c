// graphpe train / eval: --metric (default: the dataset's official metric, or the checkpoint's for eval) and
// --json (one JSON document on stdout, human lines on stderr). The OGB regression set is a fixture in OGB's
// layout: the 32 ZINC fixture molecules as esol/mapping/mol.csv.gz with a 24/4/4 split/scaffold.
// The last test spawns the built CLI (packages/cli/bin/graphpe.js on dist/; run `npx tsc -b` first).
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { GraphModel } from '@graphpe/gnn';
import { describe, expect, it } from 'vitest';
import { run, zincFixtureDataDir } from './helpers.js';

const dataDir = zincFixtureDataDir('graphpe-train-metric-');
const bin = fileURLToPath(new URL('../bin/graphpe.js', import.meta.url));

/** ogbg-molesol in OGB's layout under `dir`, from the ZINC fixture (split column → split/scaffold). */
function esolFixture(dir: string): void {
  const rows = readFileSync(join(dir, 'zinc', 'zinc12k.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1);
  const mol = ['measured log solubility in mols per litre,smiles,mol_id'];
  const split: Record<string, number[]> = { train: [], valid: [], test: [] };
  rows.forEach((line, i) => {
    const [set, smiles, y] = line.split(',');
    mol.push(`${y},${smiles},m${i}`);
    split[set === 'val' ? 'valid' : (set as string)]?.push(i);
  });
  mkdirSync(join(dir, 'esol', 'mapping'), { recursive: true });
  mkdirSync(join(dir, 'esol', 'split', 'scaffold'), { recursive: true });
  writeFileSync(join(dir, 'esol', 'mapping', 'mol.csv.gz'), gzipSync(`${mol.join('\n')}\n`));
  for (const [name, idx] of Object.entries(split)) {
    writeFileSync(join(dir, 'esol', 'split', 'scaffold', `${name}.csv.gz`), gzipSync(`${idx.join('\n')}\n`));
  }
}
esolFixture(dataDir);

const SMALL = ['--batch-size', '8', '--hidden', '16', '--layers', '2', '--backend', 'wasm'];
const esol = (out: string, ...extra: string[]) => [
  'train',
  '--dataset',
  'ogbg-molesol',
  '--pe',
  'rwse',
  '--epochs',
  '4',
  ...SMALL,
  '--data-dir',
  dataDir,
  '--out',
  out,
  ...extra,
];

interface History {
  epoch: number;
  best: boolean;
  val: Record<string, number>;
}

/** The epoch of the first minimum of `val[metric]` in a history. */
function argmin(history: History[], metric: string): number {
  let best = history[0] as History;
  for (const h of history) if ((h.val[metric] as number) < (best.val[metric] as number)) best = h;
  return best.epoch;
}

function noStack(stderr: string): void {
  expect(stderr).not.toMatch(/internal error|\n\s+at /);
}

describe('graphpe train / eval --metric and --json', () => {
  const rmseRun = join(dataDir, 'run-rmse');
  const maeRun = join(dataDir, 'run-mae');

  it('an OGB regression set selects and reports by RMSE by default; --json prints one summary on stdout', async () => {
    const r = await run(...esol(rmseRun, '--json'));
    expect(r.code).toBe(0);
    // human lines on stderr: per-epoch lines and the summary
    expect(r.stderr).toMatch(/epoch 4\/4/);
    expect(r.stderr).toMatch(/best epoch \d\/4: val rmse \d/);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({
      command: 'train',
      dataset: 'ogbg-molesol',
      split: 'official',
      pe: 'rwse',
      seed: 0,
      metric: 'rmse',
      higherIsBetter: false,
      epochsRun: 4,
      stoppedEarly: false,
      resumedFrom: null,
      trainSize: 24,
      backend: 'wasm',
      out: rmseRun,
    });
    expect(Object.keys(doc.metrics)).toEqual(['valid', 'test']);
    expect(Object.keys(doc.metrics.valid)).toEqual(['n', 'rmse', 'mae', 'loss']);
    expect(doc.metrics.valid.n).toBe(4);
    expect(doc.metrics.test.n).toBe(4);
    for (const k of ['prepareS', 'trainS', 'totalS']) {
      expect(doc.timings[k]).toBeGreaterThan(0);
      expect(doc.timings[k]).toBe(Math.round(doc.timings[k] * 1000) / 1000); // milliseconds
    }
    expect(doc.timings.totalS).toBeGreaterThanOrEqual(doc.timings.trainS);

    const result = JSON.parse(readFileSync(join(rmseRun, 'result.json'), 'utf8'));
    expect(result.metric).toBe('rmse');
    expect(result.config.metric).toBe('rmse');
    expect(doc.bestEpoch).toBe(result.bestEpoch);
    expect(result.bestEpoch).toBe(argmin(result.history, 'rmse'));
    // the summary's valid/test figures are the best checkpoint's
    expect(doc.metrics.valid.rmse).toBeCloseTo(result.bestVal.rmse, 5);
    expect(doc.metrics.test.rmse).toBeCloseTo(result.testAtBest.rmse, 5);
    const best = JSON.parse(readFileSync(join(rmseRun, 'best', 'model.json'), 'utf8'));
    expect(best.graphpe.metric).toBe('rmse');
  }, 120_000);

  it('--metric mae selects by MAE; eval reports the checkpoint metric by default, --metric otherwise', async () => {
    const r = await run(...esol(maeRun, '--metric', 'mae', '-q'));
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^best epoch \d\/4: val mae \d/);
    const result = JSON.parse(readFileSync(join(maeRun, 'result.json'), 'utf8'));
    expect(result.metric).toBe('mae');
    expect(result.bestEpoch).toBe(argmin(result.history, 'mae'));

    const evalArgs = ['--dataset', 'ogbg-molesol', '--data-dir', dataDir, '--on', 'valid,test'];
    // the checkpoint's selection metric (mae) wins over the dataset's official one (rmse)
    const e = await run('eval', join(maeRun, 'best'), ...evalArgs, '--json', '-q');
    expect(e.code).toBe(0);
    expect(e.stderr).toBe('');
    const doc = JSON.parse(e.stdout);
    expect(doc).toMatchObject({
      command: 'eval',
      checkpoint: join(maeRun, 'best'),
      dataset: 'ogbg-molesol',
      split: 'official',
      limit: null,
      metric: 'mae',
      higherIsBetter: false,
    });
    expect(Object.keys(doc.metrics)).toEqual(['valid', 'test']);
    expect(Object.keys(doc.metrics.test)).toEqual(['n', 'mae', 'rmse', 'loss']);
    expect(doc.metrics.valid.mae).toBeCloseTo(result.bestVal.mae, 5);
    expect(doc.metrics.test.mae).toBeCloseTo(result.testAtBest.mae, 5);
    for (const k of ['loadS', 'evaluateS', 'totalS']) expect(doc.timings[k]).toBeGreaterThan(0);

    const rm = await run('eval', join(maeRun, 'best'), ...evalArgs, '--metric', 'rmse', '--json', '-q');
    expect(rm.code).toBe(0);
    const rdoc = JSON.parse(rm.stdout);
    expect(rdoc.metric).toBe('rmse');
    expect(Object.keys(rdoc.metrics.test)).toEqual(['n', 'rmse', 'mae', 'loss']);
    expect(rdoc.metrics.test.rmse).toBeCloseTo(result.testAtBest.rmse, 5);

    // a checkpoint that records no metric (saved by GraphModel.save): the dataset's official one
    const plain = join(dataDir, 'plain-mae-model');
    const model = await GraphModel.load(join(maeRun, 'best'));
    await model.save(plain);
    model.dispose();
    expect(JSON.parse(readFileSync(join(plain, 'model.json'), 'utf8')).graphpe.metric).toBeUndefined();
    const p = await run('eval', plain, ...evalArgs, '--json', '-q');
    expect(p.code).toBe(0);
    expect(JSON.parse(p.stdout).metric).toBe('rmse');

    // without --json: human lines on stdout, the chosen metric first
    const h = await run('eval', join(rmseRun, 'best'), ...evalArgs, '-q');
    expect(h.code).toBe(0);
    expect(() => JSON.parse(h.stdout)).toThrow();
    const lines = h.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/on ogbg-molesol \(official split\): rmse \(lower is better\)$/);
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(/^ {2}valid +n +4 {2}rmse \d+\.\d{4} {2}mae \d+\.\d{4} {2}loss \d/),
      expect.stringMatching(/^ {2}test +n +4 {2}rmse \d+\.\d{4} {2}mae \d+\.\d{4} {2}loss \d/),
    ]);
    // with --json and without -q, the same human lines go to stderr
    const hj = await run('eval', join(rmseRun, 'best'), ...evalArgs, '--json');
    expect(hj.code).toBe(0);
    expect(hj.stderr).toContain(h.stdout);
    expect(JSON.parse(hj.stdout).metric).toBe('rmse');
  }, 120_000);

  it('a metric that does not fit the task, an unknown metric and errors under --json: exit 2, nothing on stdout', async () => {
    const out = join(dataDir, 'run-bad');
    const roc = await run(...esol(out, '--metric', 'rocauc', '--json'));
    expect(roc.code).toBe(2);
    expect(roc.stderr).toBe(
      'graphpe train: --metric rocauc does not fit ogbg-molesol, a regression dataset; use one of mae, rmse\n',
    );
    expect(roc.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
    const zinc = await run(
      'train',
      '--dataset',
      'zinc',
      '--epochs',
      '1',
      '--metric',
      'rocauc',
      '--data-dir',
      dataDir,
      '--out',
      out,
    );
    expect(zinc.code).toBe(2);
    expect(zinc.stderr).toMatch(
      /--metric rocauc does not fit zinc, a regression dataset; use one of mae, rmse/,
    );
    const unknown = await run(...esol(out, '--metric', 'r2'));
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/'--metric <name>' argument 'r2' is invalid.*mae, rmse, rocauc/);
    expect(existsSync(out)).toBe(false);

    const evalRoc = await run(
      'eval',
      join(rmseRun, 'best'),
      '--dataset',
      'ogbg-molesol',
      '--data-dir',
      dataDir,
      '--metric',
      'rocauc',
      '--json',
      '-q',
    );
    expect(evalRoc.code).toBe(2);
    expect(evalRoc.stderr).toMatch(
      /^graphpe eval: --metric rocauc does not fit the regression model in .*run-rmse\/best; use one of mae, rmse\n$/,
    );
    expect(evalRoc.stdout).toBe('');
    const missing = await run(
      'eval',
      join(dataDir, 'no-such-run', 'best'),
      '--dataset',
      'ogbg-molesol',
      '--data-dir',
      dataDir,
      '--json',
      '-q',
    );
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe('');
    noStack(missing.stderr);
    const noSet = await run(
      'eval',
      join(rmseRun, 'best'),
      '--dataset',
      'ogbg-molesol',
      '--data-dir',
      dataDir,
      '--on',
      'ood_test',
      '--json',
      '-q',
    );
    expect(noSet.code).toBe(2);
    expect(noSet.stderr).toMatch(/--on ood_test: .*no such set/);
    expect(noSet.stdout).toBe('');
  }, 120_000);

  it('--resume refuses a changed --metric (the run was selected by another one)', async () => {
    const d = join(dataDir, 'run-rmse-copy');
    cpSync(rmseRun, d, { recursive: true });
    const before = readFileSync(join(d, 'last', 'state.json'));
    const r = await run(...esol(d, '--resume', '--metric', 'mae', '--json', '-q'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot resume .* different configuration.*metric: "rmse" → "mae"/);
    expect(r.stdout).toBe('');
    expect(readFileSync(join(d, 'last', 'state.json'))).toEqual(before);
  }, 120_000);

  it('the built CLI writes exactly one JSON document on stdout with --json (train and eval)', async () => {
    const out = join(dataDir, 'run-bin');
    const t = await spawnCli(esol(out, '--epochs', '1', '--json'));
    expect(t.code).toBe(0);
    expect(t.stderr).toMatch(/best epoch 1\/1: val rmse/);
    expect(JSON.parse(t.stdout)).toMatchObject({ command: 'train', metric: 'rmse', epochsRun: 1 });
    const e = await spawnCli([
      'eval',
      join(out, 'best'),
      '--dataset',
      'ogbg-molesol',
      '--data-dir',
      dataDir,
      '--backend',
      'wasm',
      '--json',
    ]);
    expect(e.code).toBe(0);
    expect(JSON.parse(e.stdout)).toMatchObject({ command: 'eval', metric: 'rmse' });
    expect(Object.keys(JSON.parse(e.stdout).metrics)).toEqual(['train', 'valid', 'test']);
  }, 120_000);
});

/** Runs the built CLI, capturing stdout and stderr. */
function spawnCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.setEncoding('utf8');
    p.stderr.setEncoding('utf8');
    p.stdout.on('data', (d: string) => {
      stdout += d;
    });
    p.stderr.on('data', (d: string) => {
      stderr += d;
    });
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
