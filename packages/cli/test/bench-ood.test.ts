import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { run } from './helpers.js';

// A DrugOOD-style data directory: 48 items (SMILES of the ZINC fixture plus small molecules) in the
// curator layout drugood_lbap_core_ec50/lbap_core_ec50_scaffold.json.gz, split 24 / 6 / 6 / 6 / 6 with
// both classes in every set.
const dataDir = mkdtempSync(join(tmpdir(), 'graphpe-bench-ood-'));
process.env.GRAPHPE_CACHE_DIR = join(dataDir, 'cache');
const zincSmiles = readFileSync(
  fileURLToPath(new URL('../../gnn/test/fixtures/zinc32.csv', import.meta.url)),
  'utf8',
)
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => l.split(',')[1] as string);
const extra = [
  'CCO',
  'CC(=O)O',
  'c1ccccc1',
  'CCN(CC)CC',
  'c1ccncc1',
  'CC(C)O',
  'OC(=O)c1ccccc1',
  'CCOC(=O)C',
  'Nc1ccccc1',
  'CC(C)CC(=O)O',
  'c1ccc2ccccc2c1',
  'CCCCCC',
  'O=C1CCCCC1',
  'CN1CCCC1',
  'Oc1ccccc1',
  'CC#N',
];
const smiles = [...zincSmiles, ...extra];
expect(smiles).toHaveLength(48);
const item = (i: number) => ({
  smiles: smiles[i],
  reg_label: 4 + (i % 5),
  assay_id: 1000 + (i % 3),
  cls_label: i % 2,
  domain_id: i % 4,
});
const sets = { train: 24, iid_val: 6, iid_test: 6, ood_val: 6, ood_test: 6 };
const split: Record<string, unknown[]> = {};
let next = 0;
for (const [name, size] of Object.entries(sets)) {
  split[name] = Array.from({ length: size }, () => item(next++));
}
mkdirSync(join(dataDir, 'drugood_lbap_core_ec50'));
writeFileSync(
  join(dataDir, 'drugood_lbap_core_ec50', 'lbap_core_ec50_scaffold.json.gz'),
  gzipSync(JSON.stringify({ cfg: {}, split, statistics: {} })),
);

const BUDGET = 'epochs=2,batch=8,hidden=16,layers=2';

describe('graphpe bench ood', () => {
  it('runs a tiny sweep (two PEs, one seed, two epochs), writes the report, and resumes', async () => {
    const out = join(dataDir, 'ood');
    const argv = [
      'bench',
      'ood',
      '--dataset',
      'drugood-ec50-scaffold',
      '--pe',
      'none,lap+oap',
      '--seeds',
      '1',
      '--budget',
      BUDGET,
      '--data-dir',
      dataDir,
      '--backend',
      'wasm',
      '--out',
      out,
    ];
    const r = await run(...argv);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/bench ood: 2 cells \(1 datasets × 2 PEs × 1 seeds\), 0 already finished/);
    expect(r.stderr).toMatch(/estimated .* for the 2 cells to run/);
    expect(r.stderr).toMatch(/\[1\/2\] drugood-ec50-scaffold none seed 0: cell ETA .*, overall ETA /);
    expect(r.stderr).toMatch(
      /\[2\/2\] drugood-ec50-scaffold lap\+oap seed 0: ID \d+\.\d\d, OOD \d+\.\d\d rocauc/,
    );
    expect(r.stdout).toContain('**Budget `custom`**: epochs=2, max-steps=all, limit=all');
    expect(r.stdout).toMatch(
      /\| drugood-ec50-scaffold \| none \| ROC-AUC \(%\) \| 1 \| \d+\.\d\d \| \d+\.\d\d \| -?\d+\.\d\d \| 68\.00 \(IC50\) \|/,
    );
    expect(r.stdout).toMatch(/\| drugood-ec50-scaffold \| lap\+oap \| ROC-AUC \(%\) \| 1 \|/);
    expect(r.stdout).toContain('2 cells run, 0 skipped');
    for (const f of ['none/s0/result.json', 'lap-oap/s0/result.json', 'lap-oap/s0/best/model.json'])
      expect(existsSync(join(out, 'drugood-ec50-scaffold', f)), f).toBe(true);
    const res = JSON.parse(
      readFileSync(join(out, 'drugood-ec50-scaffold', 'lap-oap', 's0', 'result.json'), 'utf8'),
    );
    expect(res.splitSizes).toEqual({
      train: 24,
      iid_val: 6,
      iid_test: 6,
      ood_val: 6,
      ood_test: 6,
      valid: 6,
      test: 6,
    });
    expect(res.epochsRun).toBe(2);
    expect(res.config).toMatchObject({
      pe: 'lap+oap',
      signFlip: false,
      benchDataset: 'drugood-ec50-scaffold',
    });
    expect(res.config.model.pe).toBe('lap');
    expect(res.bench.cell).toMatchObject({ dataset: 'drugood-ec50-scaffold', pe: 'lap+oap', seed: 0 });
    for (const f of [
      'results.md',
      'table.md',
      'bars-drugood-ec50-scaffold.svg',
      'scatter-drugood-ec50-scaffold.svg',
    ])
      expect(existsSync(join(out, f)), f).toBe(true);
    const bars = readFileSync(join(out, 'bars-drugood-ec50-scaffold.svg'), 'utf8');
    expect((bars.match(/<rect [^>]*><title>/g) ?? []).length).toBe(4);

    const again = await run(...argv);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/2 already finished/);
    expect(again.stderr).toMatch(/\[1\/2\] drugood-ec50-scaffold none seed 0: finished earlier, skipped/);
    expect(again.stdout).toContain('0 cells run, 2 skipped');
  });

  it('rejects unknown datasets, PEs and budgets with exit code 2', async () => {
    const base = ['bench', 'ood', '--data-dir', dataDir, '--estimate-only'];
    const a = await run(...base, '--dataset', 'zinc-weight', '--budget', 'tiny');
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/unknown dataset 'zinc-weight'/);
    const b = await run(...base, '--dataset', 'drugood-ec50-scaffold', '--pe', 'lap,peg', '--budget', 'tiny');
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/unknown pe 'peg'/);
    const c = await run(...base, '--dataset', 'drugood-ec50-scaffold', '--budget', 'lunch');
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/unknown budget 'lunch'/);
    const d = await run('bench', 'ood', '--dataset', 'drugood-ec50-scaffold');
    expect(d.code).toBe(2);
    expect(d.stderr).toMatch(/--budget/);
  });

  it('--estimate-only prints the plan and its estimate without training', async () => {
    const out = join(dataDir, 'estimate');
    const argv = [
      'bench',
      'ood',
      '--dataset',
      'drugood-ec50-scaffold',
      '--budget',
      'night',
      '--data-dir',
      dataDir,
      '--out',
      out,
      '--estimate-only',
    ];
    const r = await run(...argv);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^estimate: .* for 21 cells \(budget night: epochs=/);
    // the preprocessing cache: one line, on stderr, silenced by -q
    expect(r.stderr.match(/^bench ood: cache: .*$/gm)).toEqual([
      expect.stringMatching(/^bench ood: cache: \S+ \((written|hit), [\d.]+ kB\)$/),
    ]);
    expect((await run(...argv, '-q')).stderr).not.toMatch(/cache/);
    expect(existsSync(join(out, 'table.md'))).toBe(false);
  });
});
