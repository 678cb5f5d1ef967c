import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  budgetSplits,
  finishedCell,
  type OodSweepEvent,
  oodCellConfig,
  oodCellDir,
  oodSplitsOf,
  parseBudget,
  runOodSweep,
} from '@graphpe/studies';
import { describe, expect, it } from 'vitest';

// zinc-size on the 32-molecule ZINC fixture (as zinc/zinc12k.csv): 20 train, 3 iid_val, 3 iid_test,
// 3 ood_val, 3 ood_test.
const dataDir = mkdtempSync(join(tmpdir(), 'graphpe-bench-resume-'));
mkdirSync(join(dataDir, 'zinc'));
copyFileSync(
  fileURLToPath(new URL('../../gnn/test/fixtures/zinc32.csv', import.meta.url)),
  join(dataDir, 'zinc', 'zinc12k.csv'),
);
process.env.GRAPHPE_CACHE_DIR = join(dataDir, 'cache');

const BUDGET = 'epochs=1,batch=8,hidden=16,layers=2,max-steps=2';

describe('bench ood: splits', () => {
  it('zinc-size: small molecules in the ID pool, the largest in ood_test, disjoint sets, aliases kept', () => {
    const n = [5, 9, 7, 30, 12, 11, 25, 8, 10, 6, 14, 13, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24];
    const graphs = n.map((x) => ({ n: x }));
    const s = oodSplitsOf('zinc-size', { graphs, splits: {} as never } as never);
    const sizes = (rows: Int32Array) => Array.from(rows, (r) => n[r] as number);
    const all = [...s.train, ...s.iid_val!, ...s.iid_test!, ...s.ood_val!, ...s.ood_test!];
    expect(new Set(all).size).toBe(n.length);
    const pool = [...sizes(s.train), ...sizes(s.iid_val!), ...sizes(s.iid_test!)];
    expect(Math.max(...pool)).toBeLessThanOrEqual(Math.min(...sizes(s.ood_val!)));
    expect(Math.max(...sizes(s.ood_val!))).toBeLessThanOrEqual(Math.min(...sizes(s.ood_test!)));
    expect(s.valid).toBe(s.ood_val);
    expect(s.test).toBe(s.ood_test);
    const b = budgetSplits(s, graphs, { maxAtoms: 20, limit: null });
    expect(b.droppedByAtoms).toBe(n.filter((x) => x > 20).length);
    expect(b.splits.valid).toBe(b.splits.ood_val);
    for (const rows of Object.values(b.splits)) for (const r of rows) expect(n[r]).toBeLessThanOrEqual(20);
    // limit: a seeded random sample of every set in proportion, sorted, aliases kept, deterministic
    const l = budgetSplits(s, graphs, { maxAtoms: null, limit: 11 });
    expect(l.splits.valid).toBe(l.splits.ood_val);
    expect(l.splits.train.length).toBe(Math.round((11 * s.train.length) / n.length));
    for (const name of ['train', 'iid_val', 'iid_test', 'ood_val', 'ood_test']) {
      const rows = Array.from(l.splits[name]!);
      expect(rows.length).toBeGreaterThanOrEqual(1);
      expect(rows).toEqual([...rows].sort((a, b) => a - b));
      for (const r of rows) expect(Array.from(s[name]!)).toContain(r);
    }
    expect(budgetSplits(s, graphs, { limit: 11 }).splits.train).toEqual(l.splits.train);
    expect(() => budgetSplits(s, graphs, { limit: 0 })).toThrow(/limit/);
  });
});

describe('bench ood: resumability', () => {
  it('skips a finished cell, re-runs one whose config changed', async () => {
    const out = join(dataDir, 'sweep');
    const events: OodSweepEvent[] = [];
    const opts = {
      datasets: ['zinc-size'],
      pes: ['none'],
      seeds: 1,
      outDir: out,
      dataDir,
      backend: 'wasm',
      onEvent: (e: OodSweepEvent) => events.push(e),
    };
    const first = await runOodSweep({ ...opts, budget: parseBudget(BUDGET) });
    expect(first.ran).toBe(1);
    expect(first.skipped).toBe(0);
    const dir = oodCellDir(out, 'zinc-size', 'none', 0);
    const result = JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8'));
    expect(result.bench.cell).toEqual(oodCellConfig('zinc-size', 'none', 0, parseBudget(BUDGET)));
    expect(result.splitSizes).toMatchObject({ train: 20, iid_val: 3, iid_test: 3, ood_val: 3, ood_test: 3 });
    expect(Object.keys(result.splitMetrics).sort()).toEqual(
      ['iid_test', 'iid_val', 'ood_test', 'ood_val', 'test', 'valid'].sort(),
    );
    expect(first.rows).toHaveLength(1);
    expect(first.rows[0]).toMatchObject({ dataset: 'zinc-size', pe: 'none', seed: 0, metric: 'mae' });
    expect(first.rows[0]!.ood).toBeCloseTo(result.splitMetrics.ood_test.mae, 10);
    for (const f of ['table.md', 'results.md', 'summary.json', 'bars-zinc-size.svg', 'scatter-zinc-size.svg'])
      expect(existsSync(join(out, f)), f).toBe(true);
    const mtime = statSync(join(dir, 'result.json')).mtimeMs;

    events.length = 0;
    const again = await runOodSweep({ ...opts, budget: parseBudget(BUDGET) });
    expect(again).toMatchObject({ ran: 0, skipped: 1 });
    expect(events.some((e) => e.type === 'cell-skip')).toBe(true);
    expect(statSync(join(dir, 'result.json')).mtimeMs).toBe(mtime);
    expect(again.rows).toEqual(first.rows);

    // an interrupted cell (no result.json, same cell.json, last/ present) resumes from its last epoch
    rmSync(join(dir, 'result.json'));
    events.length = 0;
    const resumed = await runOodSweep({ ...opts, budget: parseBudget(BUDGET) });
    expect(resumed).toMatchObject({ ran: 1, skipped: 0 });
    expect(events.find((e) => e.type === 'cell-start')).toMatchObject({ resumed: true });
    expect(JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')).resumedFrom).toBe(1);

    // a changed budget value is a different cell: re-run
    const changed = parseBudget(`${BUDGET},epochs=2`);
    expect(finishedCell(dir, oodCellConfig('zinc-size', 'none', 0, changed))).toBeNull();
    const rerun = await runOodSweep({ ...opts, budget: changed });
    expect(rerun).toMatchObject({ ran: 1, skipped: 0 });
    const r2 = JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8'));
    expect(r2.epochsRun).toBe(2);
    expect(r2.resumedFrom).toBeNull();
    expect(r2.bench.cell.budget.epochs).toBe(2);
  });
});
