import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, zincFixtureDataDir } from './helpers.js';

// A data directory holding the 32-molecule ZINC fixture as zinc/zinc12k.csv (24 train / 4 val / 4 test).
const dataDir = zincFixtureDataDir('graphpe-train-');

const SMALL = ['--epochs', '2', '--batch-size', '8', '--hidden', '16', '--layers', '2', '--backend', 'wasm'];

describe('graphpe train / eval / datasets', () => {
  it('trains, writes result.json, log.jsonl, curve.svg and a best checkpoint that eval reproduces', async () => {
    const out = join(dataDir, 'run-rwse');
    const r = await run(
      'train',
      '--dataset',
      'zinc',
      '--pe',
      'rwse',
      ...SMALL,
      '--data-dir',
      dataDir,
      '--out',
      out,
    );
    expect(r.stderr).toMatch(/epoch 2\/2/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/best epoch \d\/2: val mae \d/);
    for (const f of ['result.json', 'log.jsonl', 'curve.svg', 'best/model.json'])
      expect(existsSync(join(out, f))).toBe(true);
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
    expect(result).toMatchObject({ dataset: 'zinc', split: 'official', backend: 'wasm', metric: 'mae' });
    expect(result.splitSizes).toEqual({ train: 24, valid: 4, test: 4 });
    expect(result.config).toMatchObject({ pe: 'rwse', rwseSteps: 20 });
    const e = await run(
      'eval',
      join(out, 'best'),
      '--dataset',
      'zinc',
      '--data-dir',
      dataDir,
      '--on',
      'valid,test',
      '--json',
      '-q',
    );
    expect(e.code).toBe(0);
    const metrics = JSON.parse(e.stdout).metrics;
    expect(metrics.valid.n).toBe(4);
    expect(metrics.valid.mae).toBeCloseTo(result.bestVal.mae, 5);
    expect(metrics.test.mae).toBeCloseTo(result.testAtBest.mae, 5);
  });

  it('trains with a learned PE (spe, full spectrum)', async () => {
    const out = join(dataDir, 'run-spe');
    const r = await run(
      'train',
      '--dataset',
      'zinc',
      '--pe',
      'spe',
      ...SMALL,
      '--spe-m',
      '2',
      '--spe-rho-layers',
      '1',
      '--pe-hidden',
      '8',
      '--data-dir',
      dataDir,
      '--out',
      out,
      '-q',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')).config.pe).toBe('spe');
  });

  it('rejects spe with a k that can split eigenspaces, an unknown dataset, a missing dataset and bad flags (exit 2)', async () => {
    const spe = await run(
      'train',
      '--dataset',
      'zinc',
      '--pe',
      'spe',
      '--k',
      '4',
      ...SMALL,
      '--data-dir',
      dataDir,
      '-q',
    );
    expect(spe.code).toBe(2);
    expect(spe.stderr).toMatch(/--k 4 below the largest molecule \(\d+ atoms\).*basis invariance/);
    const unknown = await run('train', '--dataset', 'zink', ...SMALL, '--data-dir', dataDir);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown dataset 'zink'/);
    const missing = await run('train', '--dataset', 'ogbg-molbbbp', ...SMALL, '--data-dir', dataDir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/not found .*graphpe datasets fetch|not found/);
    const badPe = await run('train', '--dataset', 'zinc', '--pe', 'lappe', '--epochs', '1');
    expect(badPe.code).toBe(2);
    expect(badPe.stderr).toMatch(/lappe/);
    const noEpochs = await run('train', '--dataset', 'zinc');
    expect(noEpochs.code).toBe(2);
    expect(noEpochs.stderr).toMatch(/--epochs/);
  });

  it('lists datasets with their presence in the data directory', async () => {
    const r = await run('datasets', 'list', '--data-dir', dataDir, '--json');
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout).datasets as { name: string; present: boolean }[];
    expect(list.find((d) => d.name === 'zinc')?.present).toBe(true);
    expect(list.find((d) => d.name === 'ogbg-molbbbp')?.present).toBe(false);
  });

  it('datasets fetch downloads from --url when given and names the address when that fails', async () => {
    const r = await run(
      'datasets',
      'fetch',
      'ogbg-molbbbp',
      '--data-dir',
      dataDir,
      '--url',
      'http://127.0.0.1:9/bbbp.zip',
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/download of http:\/\/127\.0\.0\.1:9\/bbbp\.zip failed/);
  });
});
