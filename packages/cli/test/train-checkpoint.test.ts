// Checkpoint integrity, resume and eval --limit through the CLI. The kill test spawns the built CLI
// (packages/cli/bin/graphpe.js on dist/; run `npm run build` first).
import { spawn } from 'node:child_process';
import { cpSync, existsSync, readFileSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { run, zincFixtureDataDir } from './helpers.js';

// The 32-molecule ZINC fixture (24 train / 4 val / 4 test).
const dataDir = zincFixtureDataDir('graphpe-train-ckpt-');
const bin = fileURLToPath(new URL('../bin/graphpe.js', import.meta.url));

const SMALL = ['--batch-size', '8', '--hidden', '16', '--layers', '2', '--backend', 'wasm'];

function noStack(stderr: string): void {
  expect(stderr).not.toMatch(/internal error|\n\s+at /);
}

describe('graphpe train / eval checkpoints', () => {
  const pristine = join(dataDir, 'run-pristine');
  beforeAll(async () => {
    const r = await run(
      'train',
      '--dataset',
      'zinc',
      '--pe',
      'rwse',
      '--epochs',
      '2',
      ...SMALL,
      '--data-dir',
      dataDir,
      '--out',
      pristine,
      '-q',
    );
    expect(r.code).toBe(0);
  });
  let copies = 0;
  function copy(): string {
    const d = join(dataDir, `run-copy-${copies++}`);
    cpSync(pristine, d, { recursive: true });
    return d;
  }
  const evalArgs = (ckpt: string) => ['eval', ckpt, '--dataset', 'zinc', '--data-dir', dataDir, '-q'];
  const resumeArgs = (out: string, ...extra: string[]) => [
    'train',
    '--dataset',
    'zinc',
    '--pe',
    'rwse',
    '--epochs',
    '3',
    ...SMALL,
    '--data-dir',
    dataDir,
    '--out',
    out,
    '--resume',
    '-q',
    ...extra,
  ];

  it('eval of best/ with 4 flipped bytes in weights.bin: exit 2, names the file (was: wrong metrics, exit 0)', async () => {
    const d = copy();
    const f = join(d, 'best', 'weights.bin');
    const buf = readFileSync(f);
    for (let i = 64; i < 68; i++) buf[i] = (buf[i] as number) ^ 0x5a;
    writeFileSync(f, buf);
    const e = await run(...evalArgs(join(d, 'best')));
    expect(e.code).toBe(2);
    expect(e.stderr).toMatch(/best\/weights\.bin is corrupted or truncated/);
    expect(e.stdout).toBe('');
    noStack(e.stderr);
  });

  it('truncated last/weights.bin, truncated last/state.json, a deleted file: eval and --resume exit 2', async () => {
    const truncW = copy();
    truncateSync(join(truncW, 'last', 'weights.bin'), 1022);
    for (const r of [await run(...evalArgs(join(truncW, 'last'))), await run(...resumeArgs(truncW))]) {
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/last\/weights\.bin is corrupted or truncated \(1022 bytes/);
      noStack(r.stderr);
    }
    const truncS = copy();
    truncateSync(join(truncS, 'last', 'state.json'), 40);
    const s = await run(...resumeArgs(truncS));
    expect(s.code).toBe(2);
    expect(s.stderr).toMatch(/last\/state\.json is corrupted or truncated/);
    noStack(s.stderr);
    const del = copy();
    unlinkSync(join(del, 'best', 'weights.bin'));
    const d = await run(...evalArgs(join(del, 'best')));
    expect(d.code).toBe(2);
    expect(d.stderr).toMatch(/best\/weights\.bin is missing/);
    noStack(d.stderr);
  });

  it('--resume with a different --lr/--seed/--limit is refused naming each key and both values; --epochs may change', async () => {
    const d = copy();
    const before = readFileSync(join(d, 'result.json'), 'utf8');
    const r = await run(...resumeArgs(d, '--lr', '0.01', '--seed', '7', '--limit', '16'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot resume .*last with a different configuration/);
    expect(r.stderr).toMatch(/lr: 0\.001 → 0\.01/);
    expect(r.stderr).toMatch(/seed: 0 → 7/);
    expect(r.stderr).toMatch(/limit: null → 16/);
    noStack(r.stderr);
    expect(readFileSync(join(d, 'result.json'), 'utf8')).toBe(before);
    const ok = await run(...resumeArgs(d));
    expect(ok.code).toBe(0);
    const result = JSON.parse(readFileSync(join(d, 'result.json'), 'utf8'));
    expect(result.resumedFrom).toBe(2);
    expect(result.epochsRun).toBe(3);
  });

  it('eval --limit n evaluates the same rows as train --limit n; an empty set is exit 2 naming it', async () => {
    const out = join(dataDir, 'run-limit');
    const t = await run(
      'train',
      '--dataset',
      'zinc',
      '--pe',
      'rwse',
      '--epochs',
      '1',
      ...SMALL,
      '--limit',
      '16',
      '--data-dir',
      dataDir,
      '--out',
      out,
      '-q',
    );
    expect(t.code).toBe(0);
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
    expect(result.splitSizes).toEqual({ train: 12, valid: 2, test: 2 });
    const e = await run(...evalArgs(join(out, 'best')), '--limit', '16', '--json');
    expect(e.code).toBe(0);
    const metrics = JSON.parse(e.stdout).metrics;
    expect(metrics.train.n).toBe(12);
    expect(metrics.valid.n).toBe(2);
    expect(metrics.test.n).toBe(2);
    expect(metrics.test.mae).toBeCloseTo(result.testAtBest.mae, 5);
    expect(metrics.valid.mae).toBeCloseTo(result.bestVal.mae, 5);

    // a dataset whose official split has no test rows
    const noTest = zincFixtureDataDir('graphpe-train-notest-');
    const csv = readFileSync(join(noTest, 'zinc', 'zinc12k.csv'), 'utf8')
      .split('\n')
      .filter((l) => !l.startsWith('test,'))
      .join('\n');
    writeFileSync(join(noTest, 'zinc', 'zinc12k.csv'), csv);
    const empty = await run(
      'eval',
      join(out, 'best'),
      '--dataset',
      'zinc',
      '--data-dir',
      noTest,
      '--on',
      'test',
      '-q',
    );
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/the test set of zinc \(official split\) is empty/);
    expect(empty.stdout).toBe('');
    process.env.GRAPHPE_CACHE_DIR = join(dataDir, 'cache');
  });
});

interface Spawned {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** Runs the built CLI; with `killAt`, sends SIGKILL `delayMs` after stderr first matches it. */
function spawnCli(args: string[], killAt?: RegExp, delayMs = 0): Promise<Spawned> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let armed = false;
    p.stderr.setEncoding('utf8');
    p.stderr.on('data', (d: string) => {
      stderr += d;
      if (killAt && !armed && killAt.test(stderr)) {
        armed = true;
        setTimeout(() => p.kill('SIGKILL'), delayMs);
      }
    });
    p.on('error', reject);
    p.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

/** result.json's and log.jsonl's numbers, without wall-clock times. */
function numbers(out: string): unknown {
  const strip = (h: Record<string, unknown>) => {
    const { timeS: _t, ...rest } = h;
    return rest;
  };
  const r = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
  const log = readFileSync(join(out, 'log.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => strip(JSON.parse(l)));
  return {
    history: r.history.map(strip),
    log,
    bestEpoch: r.bestEpoch,
    bestVal: r.bestVal,
    testAtBest: r.testAtBest,
    splitMetrics: r.splitMetrics,
    epochsRun: r.epochsRun,
    config: { ...r.config, prepareTimeS: null },
  };
}

describe('graphpe train --resume after kill -9', () => {
  it('resume continues exactly: killed during later epochs (twice) and resumed, the run equals an uninterrupted one bit for bit', async () => {
    expect(existsSync(join(fileURLToPath(new URL('../dist/index.js', import.meta.url))))).toBe(true);
    const args = (out: string) => [
      'train',
      '--dataset',
      'zinc',
      '--pe',
      'lap',
      '--epochs',
      '6',
      '--batch-size',
      '4',
      '--hidden',
      '16',
      '--layers',
      '2',
      '--backend',
      'wasm',
      '--data-dir',
      dataDir,
      '--out',
      out,
    ];
    const full = join(dataDir, 'kill-full');
    const a = await spawnCli(args(full));
    expect(a.code).toBe(0);
    const killed = join(dataDir, 'kill-resumed');
    // killed as soon as epoch 2 is reported: during its checkpoint save or early in epoch 3
    const k1 = await spawnCli(args(killed), /epoch 2\/6/, 0);
    expect(k1.signal).toBe('SIGKILL');
    expect(existsSync(join(killed, 'result.json'))).toBe(false);
    // resumed, then killed again in the middle of epoch 5
    const k2 = await spawnCli([...args(killed), '--resume'], /epoch 4\/6/, 40);
    expect(k2.signal).toBe('SIGKILL');
    expect(k2.stderr).toMatch(/resumed from .* after epoch [12]\b/);
    expect(existsSync(join(killed, 'result.json'))).toBe(false);
    const b = await spawnCli([...args(killed), '--resume']);
    expect(b.code).toBe(0);
    expect(b.stderr).toMatch(/resumed from .* after epoch [345]\b/);
    expect(numbers(killed)).toEqual(numbers(full));
    for (const f of ['best/weights.bin', 'last/weights.bin', 'last/optimizer.bin']) {
      expect(readFileSync(join(killed, f)).equals(readFileSync(join(full, f)))).toBe(true);
    }
  });
});
