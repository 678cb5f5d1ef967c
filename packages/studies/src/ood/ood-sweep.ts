/**
 * The OOD sweep engine behind `graphpe bench ood`: datasets × PEs × seeds cells under one budget, each
 * trained by {@link runOodCell} into `<out>/<dataset>/<pe>/s<seed>/`, then a table and plots over all
 * finished cells. Resumable: a cell whose result.json carries the same cell config is skipped; a cell
 * interrupted mid-training continues from its last epoch (same config), anything else in its folder is
 * cleared and re-run. Cells run seed-major (every PE of seed 0 first), so a partial sweep already compares
 * all PEs. The wall time is estimated before the first cell from measured per-graph step times, and the
 * overall ETA is re-calibrated with every finished cell.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cacheSummary, type PreparedDataset, type TrainProgress } from '@graphpe/gnn';
import { estimateCellSeconds, type OodBudget } from './budget.js';
import {
  cellSplits,
  checkOodPe,
  finishedCell,
  loadOodDataset,
  maxNodesOfSplits,
  type OodCellResult,
  oodCellConfig,
  oodCellDir,
  runOodCell,
} from './ood-cell.js';
import { oodDatasetSpec } from './ood-datasets.js';
import {
  aggregateOod,
  fileSafe,
  type OodAggregate,
  type OodCellRow,
  oodBarChart,
  oodMarkdownTable,
  oodScatterChart,
} from './ood-report.js';

/** One planned cell. */
export interface OodCellPlan {
  readonly index: number;
  readonly dataset: string;
  readonly pe: string;
  readonly seed: number;
  readonly dir: string;
  /** Estimated seconds (0 when already finished). */
  readonly estimateS: number;
  readonly finished: boolean;
}

/** Progress events of {@link runOodSweep}. */
export type OodSweepEvent =
  | { type: 'prepare'; dataset: string; done: number; total: number; phase: string }
  | { type: 'prepared'; dataset: string; molecules: number; fromCache: boolean; seconds: number }
  /** One line on the preprocessing cache (folder, hit or written, size), once every dataset is prepared. */
  | { type: 'cache'; line: string }
  | { type: 'plan'; cells: readonly OodCellPlan[]; todo: number; estimateS: number }
  | { type: 'cell-skip'; cell: OodCellPlan; total: number }
  | {
      type: 'cell-start';
      cell: OodCellPlan;
      total: number;
      /** The cell's estimate, scaled by how finished cells compared with theirs. */
      cellEtaS: number;
      overallEtaS: number;
      resumed: boolean;
    }
  | { type: 'cell-progress'; cell: OodCellPlan; total: number; progress: TrainProgress; overallEtaS: number }
  | {
      type: 'cell-done';
      cell: OodCellPlan;
      total: number;
      seconds: number;
      row: OodCellRow;
      overallEtaS: number;
    };

/** Options of {@link runOodSweep}. */
export interface OodSweepOptions {
  /** Bench dataset keys (see OOD_DATASETS). */
  datasets: readonly string[];
  /** Bench PEs (see OOD_PES). */
  pes: readonly string[];
  /** A seed count (seeds 0..n−1) or the seeds themselves. */
  seeds: number | readonly number[];
  budget: OodBudget;
  outDir: string;
  dataDir?: string;
  backend?: string;
  /** Preprocessing worker threads (first use of a dataset). */
  workers?: number;
  /** Re-run finished cells too [false]. */
  force?: boolean;
  /** Plan and estimate only, train nothing [false]. */
  estimateOnly?: boolean;
  onEvent?: (e: OodSweepEvent) => void;
  /** Per-epoch lines of the trainer [silent]. */
  log?: ((line: string) => void) | null;
}

/** What {@link runOodSweep} returns. */
export interface OodSweepSummary {
  readonly outDir: string;
  readonly cells: readonly OodCellPlan[];
  readonly ran: number;
  readonly skipped: number;
  readonly estimateS: number;
  readonly wallS: number;
  readonly rows: readonly OodCellRow[];
  readonly aggregates: readonly OodAggregate[];
  /** Written report files (empty for estimateOnly). */
  readonly files: readonly string[];
}

/** The table row of a finished cell. */
export function oodRowOf(r: OodCellResult): OodCellRow {
  const metric = r.metric;
  const pick = (set: string) => {
    const m = r.splitMetrics[set] as unknown as Record<string, number | undefined> | undefined;
    return typeof m?.[metric] === 'number' ? (m[metric] as number) : Number.NaN;
  };
  return {
    dataset: r.bench.cell.dataset,
    pe: r.bench.cell.pe,
    seed: r.bench.cell.seed,
    metric,
    iid: pick('iid_test'),
    ood: pick('ood_test'),
    ...(r.bench.notes?.length ? { notes: r.bench.notes } : {}),
  };
}

function seedList(seeds: number | readonly number[]): number[] {
  return typeof seeds === 'number' ? Array.from({ length: seeds }, (_, i) => i) : [...seeds];
}

/** Run (or resume) a sweep and write its report; see the module comment. */
export async function runOodSweep(o: OodSweepOptions): Promise<OodSweepSummary> {
  const t0 = performance.now();
  const emit = o.onEvent ?? (() => {});
  for (const d of o.datasets) oodDatasetSpec(d);
  for (const p of o.pes) checkOodPe(p);
  const seeds = seedList(o.seeds);
  const b = o.budget;

  // Prepare every dataset once (cached preprocessing), and size the cells for the estimate.
  const prepared = new Map<string, PreparedDataset>();
  for (const d of o.datasets) {
    const ts = performance.now();
    const opts: Parameters<typeof loadOodDataset>[1] = {
      onProgress: (done, total, phase) => emit({ type: 'prepare', dataset: d, done, total, phase }),
    };
    if (o.dataDir !== undefined) opts.dataDir = o.dataDir;
    if (o.workers !== undefined) opts.workers = o.workers;
    const ds = await loadOodDataset(d, opts);
    prepared.set(d, ds);
    emit({
      type: 'prepared',
      dataset: d,
      molecules: ds.graphs.length,
      fromCache: ds.fromCache,
      seconds: (performance.now() - ts) / 1000,
    });
  }
  const cacheLine = cacheSummary([...prepared.values()]);
  if (cacheLine !== null) emit({ type: 'cache', line: cacheLine });
  const sizes = new Map<string, Parameters<typeof estimateCellSeconds>[2]>();
  for (const d of o.datasets) {
    const ds = prepared.get(d) as PreparedDataset;
    const { splits } = cellSplits(d, ds, b);
    const distinct = new Set(Object.values(splits));
    let evalFinal = 0;
    for (const rows of distinct) if (rows !== splits.train) evalFinal += rows.length;
    sizes.set(d, {
      train: splits.train.length,
      evalPerEpoch: splits.valid.length + splits.test.length,
      evalFinal,
      maxNodes: maxNodesOfSplits(ds, splits),
    });
  }

  const cells: OodCellPlan[] = [];
  for (const seed of seeds) {
    for (const dataset of o.datasets) {
      for (const pe of o.pes) {
        const dir = oodCellDir(o.outDir, dataset, pe, seed);
        const finished = !o.force && finishedCell(dir, oodCellConfig(dataset, pe, seed, b)) !== null;
        cells.push({
          index: cells.length,
          dataset,
          pe,
          seed,
          dir,
          finished,
          estimateS: finished ? 0 : estimateCellSeconds(pe, b, sizes.get(dataset) as never),
        });
      }
    }
  }
  const estimateS = cells.reduce((a, c) => a + c.estimateS, 0);
  emit({ type: 'plan', cells, todo: cells.filter((c) => !c.finished).length, estimateS });
  if (o.estimateOnly) {
    return {
      outDir: o.outDir,
      cells,
      ran: 0,
      skipped: 0,
      estimateS,
      wallS: (performance.now() - t0) / 1000,
      rows: [],
      aggregates: [],
      files: [],
    };
  }

  await mkdir(o.outDir, { recursive: true });
  const rows: OodCellRow[] = [];
  let ran = 0;
  let skipped = 0;
  let spentS = 0;
  let spentEstimateS = 0;
  let backend: string | undefined;
  const total = cells.length;
  // Remaining estimate scaled by how the finished cells compared with their estimates.
  const remainingAfter = (i: number) => {
    let rest = 0;
    for (let j = i + 1; j < total; j++) rest += (cells[j] as OodCellPlan).estimateS;
    const calib = spentEstimateS > 0 ? spentS / spentEstimateS : 1;
    return rest * calib;
  };
  for (const cell of cells) {
    const config = oodCellConfig(cell.dataset, cell.pe, cell.seed, b);
    if (cell.finished) {
      const r = finishedCell(cell.dir, config) as OodCellResult;
      rows.push(oodRowOf(r));
      backend ??= r.backend;
      skipped++;
      emit({ type: 'cell-skip', cell, total });
      continue;
    }
    // An interrupted cell of the same config resumes from last/; anything else is cleared.
    const cellJson = join(cell.dir, 'cell.json');
    let resume = false;
    if (existsSync(cell.dir)) {
      let same = false;
      try {
        same = JSON.stringify(JSON.parse(readFileSync(cellJson, 'utf8'))) === JSON.stringify(config);
      } catch {
        same = false;
      }
      resume = same && existsSync(join(cell.dir, 'last', 'state.json'));
      if (!resume) await rm(cell.dir, { recursive: true, force: true });
    }
    await mkdir(cell.dir, { recursive: true });
    await writeFile(cellJson, `${JSON.stringify(config, null, 2)}\n`);
    const tc = performance.now();
    const etaRest = remainingAfter(cell.index);
    const calib = spentEstimateS > 0 ? spentS / spentEstimateS : 1;
    const cellEtaS = cell.estimateS * calib;
    emit({ type: 'cell-start', cell, total, cellEtaS, overallEtaS: cellEtaS + etaRest, resumed: resume });
    const cellOpts: Parameters<typeof runOodCell>[0] = {
      dataset: cell.dataset,
      pe: cell.pe,
      seed: cell.seed,
      budget: b,
      outDir: cell.dir,
      prepared: prepared.get(cell.dataset) as PreparedDataset,
      resume,
      log: o.log === undefined ? null : o.log,
      onProgress: (p) =>
        emit({ type: 'cell-progress', cell, total, progress: p, overallEtaS: p.etaS + etaRest }),
    };
    if (o.backend !== undefined) cellOpts.backend = o.backend;
    const result = await runOodCell(cellOpts);
    backend ??= result.backend;
    const seconds = (performance.now() - tc) / 1000;
    spentS += seconds;
    spentEstimateS += cell.estimateS;
    ran++;
    const row = oodRowOf(result);
    rows.push(row);
    emit({ type: 'cell-done', cell, total, seconds, row, overallEtaS: remainingAfter(cell.index) });
  }

  const files = await writeOodReport(o.outDir, rows, {
    budget: b,
    seeds: seeds.length,
    datasets: o.datasets,
    pes: o.pes,
    ...(backend ? { backend } : {}),
  });
  const aggregates = aggregateOod(rows, { datasets: o.datasets, pes: o.pes });
  return {
    outDir: o.outDir,
    cells,
    ran,
    skipped,
    estimateS,
    wallS: (performance.now() - t0) / 1000,
    rows,
    aggregates,
    files,
  };
}

/** Options of {@link writeOodReport}. */
export interface OodReportOptions {
  budget: OodBudget;
  seeds: number;
  datasets?: readonly string[];
  pes?: readonly string[];
  backend?: string;
}

/**
 * Writes `results.md` (the table, the split definitions and the plots), `table.md`, `summary.json` and per
 * dataset `bars-<dataset>.svg` and `scatter-<dataset>.svg` into `outDir`; returns the paths.
 */
export async function writeOodReport(
  outDir: string,
  rows: readonly OodCellRow[],
  o: OodReportOptions,
): Promise<string[]> {
  const order: { datasets?: readonly string[]; pes?: readonly string[] } = {};
  if (o.datasets) order.datasets = o.datasets;
  if (o.pes) order.pes = o.pes;
  const aggs = aggregateOod(rows, order);
  const tableOpts: Parameters<typeof oodMarkdownTable>[1] = { budget: o.budget, seeds: o.seeds };
  if (o.backend) tableOpts.backend = o.backend;
  const table = oodMarkdownTable(aggs, tableOpts);
  const files: string[] = [];
  const write = async (name: string, text: string) => {
    const p = join(outDir, name);
    await writeFile(p, text);
    files.push(p);
  };
  await mkdir(outDir, { recursive: true });
  await write('table.md', table);
  const datasets: string[] = [];
  for (const a of aggs) if (!datasets.includes(a.dataset)) datasets.push(a.dataset);
  const md: string[] = ['# OOD generalization across positional encodings', '', table];
  md.push('## Splits', '');
  for (const d of datasets) md.push(`- \`${d}\`: ${oodDatasetSpec(d).splitDefinition}.`);
  const notes = rows.flatMap((r) =>
    (r.notes ?? []).map((n) => `- ${r.dataset} / ${r.pe} / seed ${r.seed}: ${n}`),
  );
  if (notes.length > 0) md.push('', '## Notes', '', ...notes);
  md.push('', '## Plots', '');
  for (const d of datasets) {
    const bars = `bars-${fileSafe(d)}.svg`;
    const scatter = `scatter-${fileSafe(d)}.svg`;
    await write(bars, oodBarChart(aggs, d, o.budget.name));
    await write(scatter, oodScatterChart(rows, d, o.budget.name));
    md.push(`![${d}: ID vs OOD per PE](${bars})`, '', `![${d}: ID vs OOD per run](${scatter})`, '');
  }
  await write('results.md', `${md.join('\n')}\n`);
  await write(
    'summary.json',
    `${JSON.stringify({ budget: o.budget, seeds: o.seeds, backend: o.backend ?? null, aggregates: aggs, rows }, null, 2)}\n`,
  );
  return files;
}
