import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  aggregateOod,
  BUDGET_PRESETS,
  describeBudget,
  estimateCellSeconds,
  formatMeanStd,
  meanStd,
  type OodCellRow,
  oodBarChart,
  oodGap,
  oodMarkdownTable,
  oodScatterChart,
  parseBudget,
  writeOodReport,
} from '@graphpe/studies';
import { describe, expect, it } from 'vitest';

const rows: OodCellRow[] = [
  { dataset: 'drugood-ec50-scaffold', pe: 'none', seed: 0, metric: 'rocauc', iid: 0.8, ood: 0.7 },
  { dataset: 'drugood-ec50-scaffold', pe: 'none', seed: 1, metric: 'rocauc', iid: 0.9, ood: 0.7 },
  { dataset: 'drugood-ec50-scaffold', pe: 'spe', seed: 0, metric: 'rocauc', iid: 0.85, ood: 0.75 },
  { dataset: 'drugood-ec50-scaffold', pe: 'spe', seed: 1, metric: 'rocauc', iid: 0.85, ood: 0.65 },
  { dataset: 'zinc-size', pe: 'none', seed: 0, metric: 'mae', iid: 0.5, ood: 1.5 },
  { dataset: 'zinc-size', pe: 'spe', seed: 0, metric: 'mae', iid: 0.4, ood: 0.9 },
];

const count = (s: string, re: RegExp) => (s.match(re) ?? []).length;

function wellFormed(svg: string) {
  expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  expect(count(svg, /<svg\b/g)).toBe(1);
  // tags nest: a stack check over every start, end and self-closing tag
  const stack: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([A-Za-z][\w:-]*)[^>]*?(\/?)>/g)) {
    const [, end, name, self] = m;
    if (self) continue;
    if (end) expect(stack.pop(), `</${name}>`).toBe(name);
    else stack.push(name as string);
  }
  expect(stack).toEqual([]);
  expect(svg).not.toMatch(/NaN|undefined|Infinity/);
}

describe('bench ood: aggregation and table', () => {
  it('mean ± sample std and the gap per seed (ROC-AUC in %, MAE as is)', () => {
    expect(meanStd([1, 2, 3])).toEqual({ mean: 2, std: 1, n: 3 });
    expect(meanStd([5, Number.NaN])).toEqual({ mean: 5, std: 0, n: 1 });
    expect(oodGap('rocauc', 0.8, 0.7)).toBeCloseTo(10, 10);
    expect(oodGap('mae', 0.5, 1.5)).toBeCloseTo(1, 10);
    const aggs = aggregateOod(rows, { pes: ['spe', 'none'] });
    expect(aggs.map((a) => `${a.dataset}/${a.pe}`)).toEqual([
      'drugood-ec50-scaffold/spe',
      'drugood-ec50-scaffold/none',
      'zinc-size/spe',
      'zinc-size/none',
    ]);
    const none = aggs[1]!;
    expect(none.seeds).toBe(2);
    expect(none.iid.mean).toBeCloseTo(85, 10);
    expect(none.iid.std).toBeCloseTo(Math.sqrt(50), 10);
    expect(none.ood.mean).toBeCloseTo(70, 10);
    expect(none.ood.std).toBeCloseTo(0, 10);
    expect(none.gap.mean).toBeCloseTo(15, 10);
    expect(none.gap.std).toBeCloseTo(Math.sqrt(50), 10);
    const spe = aggs[0]!;
    expect(spe.gap.mean).toBeCloseTo(15, 10);
    expect(spe.gap.std).toBeCloseTo(Math.sqrt(50), 10);
    expect(formatMeanStd(none.iid, 'rocauc')).toBe('85.00 ± 7.07');
    expect(formatMeanStd(aggs[3]!.ood, 'mae')).toBe('1.5000');
    expect(formatMeanStd({ mean: Number.NaN, std: Number.NaN, n: 0 }, 'mae')).toBe('n/a');
  });

  it('writes a Markdown table with the budget in the header and the published IC50 figures labelled', () => {
    const budget = BUDGET_PRESETS.tiny!;
    const md = oodMarkdownTable(aggregateOod(rows), { budget, seeds: 2, backend: 'wasm' });
    const lines = md.split('\n');
    expect(lines[0]).toContain('Budget `tiny`');
    expect(lines[0]).toContain(describeBudget(budget));
    expect(lines[0]).toContain('2 seeds per cell; backend wasm');
    expect(md).toContain('| dataset | PE | metric | seeds | ID (iid_test) | OOD (ood_test) | gap');
    expect(md).toContain('published OOD (IC50, not our EC50)');
    expect(md).toContain(
      '| drugood-ec50-scaffold | none | ROC-AUC (%) | 2 | 85.00 ± 7.07 | 70.00 ± 0.00 | 15.00 ± 7.07 | 68.00 (IC50) |',
    );
    expect(md).toContain(
      '| drugood-ec50-scaffold | spe | ROC-AUC (%) | 2 | 85.00 ± 0.00 | 70.00 ± 7.07 | 15.00 ± 7.07 | 69.64 (IC50) |',
    );
    expect(md).toContain('| zinc-size | none | MAE | 1 | 0.5000 | 1.5000 | 1.0000 | — |');
    expect(md).toMatch(/\*\*EC50\*\*/);
    // figures of the shown dataset without a run of that PE are listed (SignNet, PEG on scaffold)
    expect(md).toMatch(/without a run here: .*drugood-ec50-scaffold SIGNNET 66\.43 \(IC50\).*PEG 69\.15/);
    expect(md).not.toMatch(/ec50-size/);
    const dataRows = lines.filter((l) => l.startsWith('| ') && !l.startsWith('| dataset'));
    expect(dataRows).toHaveLength(4);
  });

  it('bar chart: one bar per PE and set with error bars; scatter: one point per run', () => {
    const aggs = aggregateOod(rows);
    const bars = oodBarChart(aggs, 'drugood-ec50-scaffold', 'tiny');
    wellFormed(bars);
    expect(count(bars, /<rect [^>]*><title>/g)).toBe(4); // 2 PEs × (ID, OOD)
    expect(bars).toContain('<title>ID (iid_test) spe: 85</title>');
    expect(bars).toContain('<title>OOD (ood_test) none: 70</title>');
    // error bars where std > 0: none ID, spe OOD
    expect(count(bars, /<line [^>]*stroke="#000"\/>/g)).toBe(2);
    expect(bars).toContain('ROC-AUC (%)');
    const scatter = oodScatterChart(rows, 'drugood-ec50-scaffold');
    wellFormed(scatter);
    expect(count(scatter, /<circle /g)).toBe(4);
    const zinc = oodScatterChart(rows, 'zinc-size');
    wellFormed(zinc);
    expect(count(zinc, /<circle /g)).toBe(2);
    expect(zinc).toContain('MAE');
  });
});

describe('bench ood: budgets', () => {
  it('parses presets, overrides and explicit budgets; rejects bad ones', () => {
    expect(parseBudget('tiny')).toEqual(BUDGET_PRESETS.tiny);
    const n = parseBudget('night,epochs=4,limit=none');
    expect(n).toMatchObject({ name: 'night*', epochs: 4, limit: null, hidden: 64 });
    const c = parseBudget('epochs=3,max-steps=10,limit=500,batch=16,k=8');
    expect(c).toMatchObject({
      name: 'custom',
      epochs: 3,
      maxStepsPerEpoch: 10,
      limit: 500,
      batchSize: 16,
      k: 8,
      hidden: 128,
      layers: 4,
    });
    expect(describeBudget(c)).toContain('epochs=3, max-steps=10, limit=500');
    expect(parseBudget('epochs=1,warmup=0').warmupSteps).toBe(0);
    expect(describeBudget(parseBudget('tiny'))).toContain('warmup=2');
    expect(() => parseBudget('weekend')).toThrow(/^studies\.parseBudget: unknown budget 'weekend'/);
    expect(() => parseBudget('limit=100')).toThrow(/needs epochs/);
    expect(() => parseBudget('epochs=0')).toThrow(/positive integer/);
    expect(() => parseBudget('tiny,foo=1')).toThrow(/known key/);
  });

  it('estimates a cell from the measured step times (more for spe, capped steps)', () => {
    const b = BUDGET_PRESETS.night!;
    const size = { train: 10_000, evalPerEpoch: 2000, evalFinal: 5000, maxNodes: 64 };
    const none = estimateCellSeconds('none', b, size);
    const spe = estimateCellSeconds('spe', b, size);
    expect(spe).toBeGreaterThan(none);
    // 8 epochs × 12 steps × 32 graphs + (8 × 2000 + 5000) / 3 evaluated graphs, at 13 ms per graph
    expect(none).toBeCloseTo(((8 * 12 * 32 + (8 * 2000 + 5000) / 3) * 13) / 1000, 6);
    // padded to 32 atoms: a quarter
    expect(estimateCellSeconds('none', b, { ...size, maxNodes: 32 })).toBeCloseTo(none / 4, 6);
  });
});

describe('bench ood: report notes', () => {
  it('lists what cells dropped under a Notes heading of results.md', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gp-ood-notes-'));
    try {
      const noted: OodCellRow[] = [
        ...rows.slice(0, 2),
        { ...rows[2]!, pe: 'lap+frame', notes: ['lap+frame: 2 of 90 graphs had more than 8 …'] },
      ];
      await writeOodReport(dir, noted, { budget: parseBudget('tiny'), seeds: 2 });
      const md = readFileSync(join(dir, 'results.md'), 'utf8');
      expect(md).toContain('## Notes');
      expect(md).toContain(
        '- drugood-ec50-scaffold / lap+frame / seed 0: lap+frame: 2 of 90 graphs had more than 8 …',
      );
      await writeOodReport(dir, rows, { budget: parseBudget('tiny'), seeds: 2 });
      expect(readFileSync(join(dir, 'results.md'), 'utf8')).not.toContain('## Notes');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
