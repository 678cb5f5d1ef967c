import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEdits } from '../src/commands/stability.js';
import { run, zincFixtureDataDir } from './helpers.js';

// A data directory holding the 32-molecule ZINC fixture as zinc/zinc12k.csv; caches in a temp folder.
const dataDir = zincFixtureDataDir('graphpe-stability-');

describe('graphpe stability', () => {
  it('runs on a fixture and writes JSON, Markdown and SVGs', async () => {
    const out = join(dataDir, 'stab');
    const r = await run(
      'stability',
      '--dataset',
      'zinc',
      '--limit',
      '10',
      '--edits',
      '1..2',
      '--learned-limit',
      '3',
      '--backend',
      'wasm',
      '--data-dir',
      dataDir,
      '--out',
      out,
      '-q',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/10 graphs of zinc \(3 through learned encoders\)/);
    expect(r.stdout).toMatch(/SPE \(random init\)/);
    for (const f of [
      'result.json',
      'records.jsonl',
      'summary.md',
      'change-vs-edits-delete.svg',
      'change-vs-edits-add.svg',
      'change-vs-gap-flip.svg',
      'column-change-vs-gap-flip.svg',
    ])
      expect(existsSync(join(out, f))).toBe(true);
    const res = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
    expect(res.summary.options).toMatchObject({ edits: [1, 2], kinds: ['delete', 'add'], k: 8 });
    expect(res.summary.relabel.rwse.exactShare).toBe(1);
    expect(res.summary.relabel.spe.exactShare).toBe(1);
    expect(res.summary.relabel['lap+oap:canon'].exactShare).toBe(1);
    const md = readFileSync(join(out, 'summary.md'), 'utf8');
    expect(md).toMatch(/What is and is not reproduced/);
    const lines = readFileSync(join(out, 'records.jsonl'), 'utf8').trim().split('\n');
    expect(lines.length).toBeGreaterThan(10 * 3);
  });

  it('audits a trained checkpoint given with --checkpoint', async () => {
    const ckpt = join(dataDir, 'run-spe');
    const t = await run(
      'train',
      '--dataset',
      'zinc',
      '--pe',
      'spe',
      '--epochs',
      '1',
      '--batch-size',
      '8',
      '--hidden',
      '16',
      '--layers',
      '2',
      '--spe-m',
      '2',
      '--spe-rho-layers',
      '1',
      '--pe-hidden',
      '8',
      '--backend',
      'wasm',
      '--data-dir',
      dataDir,
      '--out',
      ckpt,
      '-q',
    );
    expect(t.code).toBe(0);
    const out = join(dataDir, 'stab-ckpt');
    const r = await run(
      'stability',
      '--dataset',
      'zinc',
      '--limit',
      '6',
      '--edits',
      '1',
      '--kinds',
      'add',
      '--pe',
      'rwse',
      '--checkpoint',
      join(ckpt, 'best'),
      '--backend',
      'wasm',
      '--data-dir',
      dataDir,
      '--out',
      out,
      '-q',
    );
    expect(r.code).toBe(0);
    const res = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
    expect(res.summary.keys).toEqual(['rwse', 'spe@checkpoint']);
    expect(res.summary.relabel['spe@checkpoint'].exactShare).toBe(1);
  });

  it('exits 2 on bad flags', async () => {
    const bad = [
      ['--edits', '0..3'],
      ['--edits', 'x'],
      ['--pe', 'lap,foo'],
      ['--kinds', 'rewire'],
      ['--reweight', '1'],
      ['--k', '0'],
      ['--threshold', '-1'],
      ['--checkpoint', join(dataDir, 'nope')],
    ];
    for (const flags of bad) {
      const r = await run(
        'stability',
        '--dataset',
        'zinc',
        '--data-dir',
        dataDir,
        '--limit',
        '2',
        '-q',
        ...flags,
      );
      expect(r.code, flags.join(' ')).toBe(2);
    }
    expect((await run('stability', '--dataset', 'nope', '--data-dir', dataDir)).code).toBe(2);
    expect((await run('stability', '--data-dir', dataDir)).code).toBe(2);
  });

  it('parses --edits ranges and lists', () => {
    expect(parseEdits('1..5')).toEqual([1, 2, 3, 4, 5]);
    expect(parseEdits('3, 1,3')).toEqual([1, 3]);
    expect(() => parseEdits('5..1')).toThrow(/a ≤ b/);
  });
});
