/**
 * `graphpe bench ood`: a thin CLI over the sweep engine of @graphpe/gnn (bench/ood-sweep.ts) — parses the
 * lists and the budget, prints the plan with its time estimate, a progress bar with ETA per cell and a line
 * with the overall ETA per cell, and the table at the end.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initBackend } from '@graphpe/encodings/learned';
import { GraphpeError } from '@graphpe/spectral';
import {
  BUDGET_PRESETS,
  describeBudget,
  formatDuration,
  OOD_DATASETS,
  OOD_PES,
  type OodSweepEvent,
  parseBudget,
  runOodSweep,
} from '@graphpe/studies';
import { type Command, InvalidArgumentError } from 'commander';
import { type Progress, startProgress } from '../io/progress.js';
import type { CliIo } from '../io/types.js';

/** Datasets and PEs of a full sweep. */
export const BENCH_OOD_DEFAULT_DATASETS = [
  'drugood-ec50-assay',
  'drugood-ec50-scaffold',
  'drugood-ec50-size',
  'zinc-size',
  'bbbp-scaffold',
] as const;

/** Parsed options of `graphpe bench ood`. */
export interface BenchOodCliOptions {
  dataset: string;
  pe: string;
  seeds: number;
  budget: string;
  out?: string;
  backend?: string;
  dataDir?: string;
  workers?: number;
  force: boolean;
  estimateOnly: boolean;
  quiet: boolean;
}

function list(value: string, known: readonly string[], what: string): string[] {
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (items.length === 0) throw new GraphpeError('E_OPTION', `graphpe bench ood: empty --${what} list`);
  for (const it of items) {
    if (!known.includes(it)) {
      throw new GraphpeError(
        'E_OPTION',
        `graphpe bench ood: unknown ${what} '${it}' (known: ${known.join(', ')})`,
        { value: it },
      );
    }
  }
  return [...new Set(items)];
}

/** `graphpe bench ood`: see the module comment. */
export async function benchOodCommand(opts: BenchOodCliOptions, io: CliIo): Promise<void> {
  const datasets = list(opts.dataset, Object.keys(OOD_DATASETS), 'dataset');
  const pes = list(opts.pe, OOD_PES, 'pe');
  const budget = parseBudget(opts.budget);
  const outDir = opts.out ?? join('results', 'ood', budget.name.replace(/\*/g, ''));
  const say = (s: string) => {
    if (!opts.quiet) io.stderr(`${s}\n`);
  };
  let bar: Progress | null = null;
  let prep: Progress | null = null;
  let prepKey = '';
  const stopBars = () => {
    bar?.stop();
    bar = null;
    prep?.stop();
    prep = null;
  };
  const onEvent = (e: OodSweepEvent) => {
    switch (e.type) {
      case 'prepare': {
        const key = `${e.dataset} ${e.phase}`;
        if (key !== prepKey) {
          prep?.stop();
          prepKey = key;
          prep = startProgress(io, `prepare ${key}`, e.total, { quiet: opts.quiet });
        }
        prep?.update(e.done);
        break;
      }
      case 'prepared':
        prep?.stop();
        prep = null;
        say(
          `bench ood: ${e.dataset}: ${e.molecules} molecules ${e.fromCache ? 'from cache' : 'prepared'} in ${e.seconds.toFixed(1)} s`,
        );
        break;
      case 'cache':
        say(`bench ood: ${e.line}`);
        break;
      case 'plan':
        say(
          `bench ood: ${e.cells.length} cells (${datasets.length} datasets × ${pes.length} PEs × ${opts.seeds} seeds), ${e.cells.length - e.todo} already finished; budget ${budget.name}: ${describeBudget(budget)}`,
        );
        say(
          `bench ood: estimated ${formatDuration(e.estimateS)} for the ${e.todo} cells to run (measured per-graph step times; preprocessing not included) → ${outDir}/`,
        );
        break;
      case 'cell-skip':
        say(
          `[${e.cell.index + 1}/${e.total}] ${e.cell.dataset} ${e.cell.pe} seed ${e.cell.seed}: finished earlier, skipped`,
        );
        break;
      case 'cell-start':
        say(
          `[${e.cell.index + 1}/${e.total}] ${e.cell.dataset} ${e.cell.pe} seed ${e.cell.seed}${e.resumed ? ' (resumed)' : ''}: cell ETA ${formatDuration(e.cellEtaS)}, overall ETA ${formatDuration(e.overallEtaS)}`,
        );
        break;
      case 'cell-progress':
        if (!bar) {
          bar = startProgress(
            io,
            `[${e.cell.index + 1}/${e.total}] ${e.cell.dataset} ${e.cell.pe} s${e.cell.seed}`,
            e.progress.totalSteps,
            { quiet: opts.quiet, unit: 'steps' },
          );
        }
        bar.update(e.progress.globalStep);
        break;
      case 'cell-done': {
        (bar as Progress | null)?.stop();
        bar = null;
        const r = e.row;
        const s = r.metric === 'rocauc' ? 100 : 1;
        const d = r.metric === 'rocauc' ? 2 : 4;
        say(
          `[${e.cell.index + 1}/${e.total}] ${e.cell.dataset} ${e.cell.pe} seed ${e.cell.seed}: ID ${(r.iid * s).toFixed(d)}, OOD ${(r.ood * s).toFixed(d)} ${r.metric} in ${formatDuration(e.seconds)}; overall ETA ${formatDuration(e.overallEtaS)}`,
        );
        break;
      }
    }
  };
  const sweepOpts: Parameters<typeof runOodSweep>[0] = {
    datasets,
    pes,
    seeds: opts.seeds,
    budget,
    outDir,
    force: opts.force,
    estimateOnly: opts.estimateOnly,
    onEvent,
  };
  if (opts.backend !== undefined) sweepOpts.backend = opts.backend;
  if (opts.dataDir !== undefined) sweepOpts.dataDir = opts.dataDir;
  if (opts.workers !== undefined) sweepOpts.workers = opts.workers;
  // The backend starts here, so its one line goes through io (above the bars) and obeys -q; the
  // cells then find it started.
  if (!opts.estimateOnly) {
    await initBackend({
      ...(opts.backend === undefined ? {} : { backend: opts.backend }),
      log: opts.quiet ? null : (line) => io.stderr(`${line}\n`),
    });
  }
  let summary: Awaited<ReturnType<typeof runOodSweep>>;
  try {
    summary = await runOodSweep(sweepOpts);
  } finally {
    stopBars();
  }
  if (opts.estimateOnly) {
    io.stdout(
      `estimate: ${formatDuration(summary.estimateS)} for ${summary.cells.filter((c) => !c.finished).length} cells (budget ${budget.name}: ${describeBudget(budget)})\n`,
    );
    return;
  }
  const table = summary.files.find((f) => f.endsWith('table.md'));
  if (table) io.stdout(readFileSync(table, 'utf8'));
  io.stdout(
    `\n${summary.ran} cells run, ${summary.skipped} skipped (finished earlier) in ${formatDuration(summary.wallS)}; report in ${outDir}/results.md\n`,
  );
}

const intArg =
  (name: string, min: number) =>
  (value: string): number => {
    const x = Number(value);
    if (!Number.isInteger(x) || x < min)
      throw new InvalidArgumentError(`${name} must be an integer ≥ ${min}`);
    return x;
  };

/** Registers `graphpe bench ood`. */
export function registerBenchOod(program: Command, io: CliIo): void {
  const bench = program.command('bench').description('benchmark studies (ood)');
  bench
    .command('ood')
    .description(
      'train every PE on in-distribution data and report ID (iid_test) vs OOD (ood_test) metrics per dataset × PE (resumable sweep; table + SVG plots)',
    )
    .option(
      '--dataset <list>',
      `comma-separated bench datasets (${Object.keys(OOD_DATASETS).join(', ')})`,
      BENCH_OOD_DEFAULT_DATASETS.join(','),
    )
    .option('--pe <list>', `comma-separated PEs (${OOD_PES.join(', ')})`, OOD_PES.join(','))
    .option('--seeds <n>', 'seeds per cell (0..n−1)', intArg('--seeds', 1), 3)
    .requiredOption(
      '--budget <budget>',
      `a preset (${Object.keys(BUDGET_PRESETS).join(', ')}), key=value pairs (epochs=…,max-steps=…,limit=…,max-atoms=…,k=…,batch=…,hidden=…,layers=…,lr=…,warmup=…,patience=…,spe-m=…,spe-rho-layers=…,pe-hidden=…), or a preset with overrides (night,epochs=4)`,
    )
    .option('-o, --out <dir>', 'output folder [results/ood/<budget>]')
    .option('--backend <backend>', 'tfjs backend [GRAPHPE_BACKEND or auto]')
    .option('--data-dir <dir>', 'datasets folder [GRAPHPE_DATA_DIR, else ~/.cache/graphpe]')
    .option('--workers <n>', 'worker threads for preprocessing', intArg('--workers', 1))
    .option('--force', 're-run finished cells too', false)
    .option('--estimate-only', 'print the plan and its time estimate, train nothing', false)
    .option('-q, --quiet', 'no progress on stderr', false)
    .action(async (opts) => benchOodCommand(opts, io));
}
