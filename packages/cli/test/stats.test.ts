import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, zincFixtureDataDir } from './helpers.js';

const dataDir = zincFixtureDataDir('graphpe-stats-');

describe('graphpe stats', () => {
  it('writes stats.json, stats.md and SVGs with the published figures next to ours', async () => {
    const out = join(dataDir, 'stats');
    const r = await run('stats', '--dataset', 'zinc', '--data-dir', dataDir, '--out', out);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/32 graphs of zinc/);
    expect(r.stdout).toMatch(/# Dataset statistics — zinc/);
    expect(r.stdout).toMatch(/10\.93% \(Hordan et al\.\)/);
    for (const f of ['stats.json', 'stats.md', 'sizes.svg', 'multiplicity.svg'])
      expect(existsSync(join(out, f))).toBe(true);
    const s = JSON.parse(readFileSync(join(out, 'stats.json'), 'utf8'));
    expect(s.graphs).toBe(32);
    expect(s.nodes.histogram.reduce((a: number, [, c]: [number, number]) => a + c, 0)).toBe(32);
    expect(s.sym.graphs).toBe(32);
    expect(s.sym.eigenvectors).toBe(s.nodes.mean * 32);
    const r2 = await run(
      'stats',
      '--dataset',
      'zinc',
      '--data-dir',
      dataDir,
      '--limit',
      '5',
      '--out',
      join(dataDir, 's5'),
      '-q',
    );
    expect(r2.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dataDir, 's5', 'stats.json'), 'utf8')).graphs).toBe(5);
  });

  it('exits 2 on bad flags and unknown datasets', async () => {
    expect((await run('stats', '--dataset', 'zinc', '--limit', '0', '--data-dir', dataDir)).code).toBe(2);
    expect((await run('stats', '--dataset', 'nope', '--data-dir', dataDir)).code).toBe(2);
    expect((await run('stats', '--data-dir', dataDir)).code).toBe(2);
    // ZINC-12k ships with the package; ZINC-full must come from the data directory.
    expect((await run('stats', '--dataset', 'zinc-full', '--data-dir', join(dataDir, 'missing'))).code).toBe(
      2,
    );
  });
});
