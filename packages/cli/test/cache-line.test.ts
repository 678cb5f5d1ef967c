// eval, stats and stability load their dataset through the preprocessing cache: like train and bench ood,
// each prints one `cache:` line on stderr per run, and none with -q.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, zincFixtureDataDir } from './helpers.js';

const dataDir = zincFixtureDataDir('graphpe-cache-line-');
const cacheDir = join(dataDir, 'cache');

/** The `cache:` lines of a run's stderr. */
const cacheLines = (stderr: string) => stderr.match(/^cache: .*$/gm) ?? [];
const line = (what: string) =>
  expect.stringMatching(
    new RegExp(`^cache: ${cacheDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(${what}, `),
  );

describe('the cache line of eval, stats and stability', () => {
  it('stats and stability: one line (written, then hit), none with -q', async () => {
    const stats = (...more: string[]) =>
      run('stats', '--dataset', 'zinc', '--limit', '5', '--data-dir', dataDir, ...more);
    const first = await stats('--out', join(dataDir, 'stats1'));
    expect(first.code).toBe(0);
    expect(cacheLines(first.stderr)).toEqual([line('written')]);
    const second = await stats('--out', join(dataDir, 'stats2'));
    expect(second.code).toBe(0);
    expect(cacheLines(second.stderr)).toEqual([line('hit')]);
    const quiet = await stats('--out', join(dataDir, 'stats3'), '-q');
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toBe('');

    const stability = (...more: string[]) =>
      run(
        ...['stability', '--dataset', 'zinc', '--limit', '5', '--edits', '1..1', '--pe', 'lap,rwse'],
        ...['--data-dir', dataDir, ...more],
      );
    const s = await stability('--out', join(dataDir, 'stab1'));
    expect(s.code).toBe(0);
    expect(cacheLines(s.stderr)).toEqual([line('hit')]); // the same preprocessing as stats
    const sq = await stability('--out', join(dataDir, 'stab2'), '-q');
    expect(sq.code).toBe(0);
    expect(sq.stderr).toBe('');
  });

  it('eval: one line, none with -q', async () => {
    const ckpt = join(dataDir, 'run');
    const t = await run(
      ...['train', '--dataset', 'zinc', '--limit', '8', '--data-dir', dataDir, '--epochs', '1'],
      ...['--max-steps', '1', '--hidden', '8', '--layers', '1', '--backend', 'wasm', '--out', ckpt, '-q'],
    );
    expect(t.code).toBe(0);
    const evalRun = (...more: string[]) =>
      run(
        ...['eval', join(ckpt, 'best'), '--dataset', 'zinc', '--limit', '8', '--backend', 'wasm'],
        ...['--data-dir', dataDir, ...more],
      );
    const e = await evalRun();
    expect(e.code).toBe(0);
    expect(cacheLines(e.stderr)).toEqual([line('(written|hit)')]);
    const ej = await evalRun('--json'); // the human lines go to stderr, the cache line with them
    expect(ej.code).toBe(0);
    expect(cacheLines(ej.stderr)).toEqual([line('hit')]);
    const eq = await evalRun('-q');
    expect(eq.code).toBe(0);
    expect(eq.stderr).toBe('');
  });
});
