import { join } from 'node:path';
import { initBackend } from '@graphpe/encodings/learned';
import {
  batchesOf,
  cacheSummary,
  checkMetricForTask,
  checkpointMetric,
  datasetInfo,
  type EvalMetrics,
  evaluate,
  GraphModel,
  graphRecords,
  higherIsBetter,
  limitSplits,
  loadPreparedDataset,
  METRIC_NAMES,
  type MetricName,
  metricsForTask,
  type PeChoice,
  type RunOptions,
  runTraining,
  type SplitKind,
  splitDataset,
} from '@graphpe/gnn';
import { GraphpeError } from '@graphpe/spectral';
import { checkOutputDir } from '../io/output.js';
import { type Progress, startProgress } from '../io/progress.js';
import type { CliIo } from '../io/types.js';

/** `--metric` choices of `graphpe train` / `graphpe eval`. */
export const METRIC_CHOICES: readonly MetricName[] = METRIC_NAMES;

/** PE choices of `graphpe train`. */
export const TRAIN_PES = ['none', 'lap', 'rwse', 'signnet', 'spe', 'basisnet', 'lap+frame'] as const;

/** Parsed options of `graphpe train`. */
export interface TrainCliOptions {
  dataset: string;
  pe: PeChoice;
  epochs: number;
  split: SplitKind;
  k?: number;
  rwseSteps: number;
  basisInvariant: boolean;
  batchSize: number;
  lr: number;
  hidden: number;
  layers: number;
  maxSteps?: number;
  limit?: number;
  patience?: number;
  seed: number;
  backend?: string;
  speM?: number;
  speRhoLayers?: number;
  peHidden?: number;
  out?: string;
  resume: boolean;
  dataDir?: string;
  workers?: number;
  trainWorkers?: number;
  /** Model-selection metric [the dataset's official one]. */
  metric?: MetricName;
  /** One JSON summary on stdout; the human summary goes to stderr (unless quiet). */
  json?: boolean;
  quiet: boolean;
}

/** A set's metrics as reported: `n` first, then the chosen metric, then the others (loss last). */
function setReport(n: number, m: EvalMetrics, metric: MetricName): Record<string, number> {
  const { loss, ...rest } = m;
  const out: Record<string, number> = { n };
  if (rest[metric] !== undefined) out[metric] = rest[metric] as number;
  for (const [k, v] of Object.entries(rest)) if (k !== metric && v !== undefined) out[k] = v;
  out.loss = loss;
  return out;
}

/** Seconds, rounded to milliseconds, for the JSON summaries. */
function seconds(s: number): number {
  return Math.round(s * 1000) / 1000;
}

/** A metric value with 4 decimals, or n/a (NaN: e.g. ROC-AUC of a set with one class). */
function fmtValue(v: number | undefined): string {
  return v === undefined || !Number.isFinite(v) ? 'n/a' : v.toFixed(4);
}

/** Human lines (stdout) or one JSON document (stdout, human lines on stderr unless quiet). */
function report(io: CliIo, opts: { json?: boolean; quiet: boolean }, lines: string[], doc: unknown): void {
  if (opts.json) {
    if (!opts.quiet) io.stderr(`${lines.join('\n')}\n`);
    io.stdout(`${JSON.stringify(doc, null, 2)}\n`);
  } else {
    io.stdout(`${lines.join('\n')}\n`);
  }
}

/** `graphpe train`: one GINE + PE run with progress, checkpoints, result.json and a learning curve. */
export async function trainCommand(opts: TrainCliOptions, io: CliIo): Promise<void> {
  const t0 = performance.now();
  const info = datasetInfo(opts.dataset); // unknown names fail before anything is loaded
  const metric = checkMetricForTask(opts.metric ?? info.metric, info.task, {
    where: 'graphpe train',
    flag: '--metric',
    what: `${info.name}, a ${info.task} dataset`,
  });
  const outDir = opts.out ?? join('runs', `${opts.dataset}-${opts.pe.replace('+', '-')}-s${opts.seed}`);
  await checkOutputDir(outDir, 'graphpe train'); // before the dataset is loaded and featurized
  let prep: Progress | null = null;
  let prepPhase = '';
  let bar: Progress | null = null;
  const peOptions: Record<string, unknown> = {};
  if (opts.speM !== undefined) peOptions.m = opts.speM;
  if (opts.speRhoLayers !== undefined) peOptions.rhoLayers = opts.speRhoLayers;
  if (opts.peHidden !== undefined) {
    if (opts.pe === 'spe') peOptions.rhoHidden = opts.peHidden;
    else peOptions.hidden = opts.peHidden;
  }
  const run: RunOptions = {
    dataset: opts.dataset,
    pe: opts.pe,
    epochs: opts.epochs,
    metric,
    split: opts.split,
    rwseSteps: opts.rwseSteps,
    basisInvariant: opts.basisInvariant,
    batchSize: opts.batchSize,
    lr: opts.lr,
    hidden: opts.hidden,
    layers: opts.layers,
    seed: opts.seed,
    outDir,
    resume: opts.resume,
    log: opts.quiet ? null : (line) => io.stderr(`${line}\n`),
    onPrepareProgress: (done, total, phase) => {
      if (phase !== prepPhase) {
        prep?.stop();
        prepPhase = phase;
        prep = startProgress(io, `prepare ${phase}`, total, { quiet: opts.quiet });
      }
      prep?.update(done);
    },
    onProgress: (p) => {
      if (!bar) {
        (prep as Progress | null)?.stop();
        bar = startProgress(io, 'train', p.totalSteps, { quiet: opts.quiet, unit: 'steps' });
      }
      bar.update(p.globalStep);
    },
  };
  if (Object.keys(peOptions).length > 0) run.peOptions = peOptions;
  if (opts.k !== undefined) run.k = opts.k;
  if (opts.maxSteps !== undefined) run.maxStepsPerEpoch = opts.maxSteps;
  if (opts.limit !== undefined) run.limit = opts.limit;
  if (opts.patience !== undefined) run.patience = opts.patience;
  if (opts.backend !== undefined) run.backend = opts.backend;
  if (opts.dataDir !== undefined) run.dataDir = opts.dataDir;
  if (opts.workers !== undefined) run.workers = opts.workers;
  if (opts.trainWorkers !== undefined) run.trainWorkers = opts.trainWorkers;
  // The backend starts here, so its one line goes through io (above the bars) and obeys -q.
  await initBackend({
    ...(opts.backend === undefined ? {} : { backend: opts.backend }),
    log: opts.quiet ? null : (line) => io.stderr(`${line}\n`),
  });
  let result: Awaited<ReturnType<typeof runTraining>>;
  try {
    result = await runTraining(run);
  } finally {
    (bar as Progress | null)?.stop();
    (prep as Progress | null)?.stop();
  }
  const fmt = (m: EvalMetrics | null | undefined) => fmtValue(m?.[metric]);
  const lines = [
    `best epoch ${result.bestEpoch}/${result.epochsRun}: val ${metric} ${fmt(result.bestVal)}, test ${metric} ${fmt(result.testAtBest)}`,
    ...Object.entries(result.splitMetrics)
      .filter(([name]) => !['valid', 'test'].includes(name))
      .map(([name, m]) => `  ${name} ${metric} ${fmt(m)}`),
    `${result.params} parameters, backend ${result.backend}, ${result.wallTimeS.toFixed(1)} s; results in ${outDir}/ (result.json, log.jsonl, curve.svg, best/)`,
  ];
  const metrics: Record<string, Record<string, number>> = {};
  for (const [name, m] of Object.entries(result.splitMetrics))
    metrics[name] = setReport(result.splitSizes[name] ?? 0, m, metric);
  report(io, opts, lines, {
    command: 'train',
    dataset: result.dataset,
    split: result.split,
    pe: opts.pe,
    seed: result.seed,
    metric,
    higherIsBetter: higherIsBetter(metric),
    bestEpoch: result.bestEpoch,
    epochsRun: result.epochsRun,
    stoppedEarly: result.stoppedEarly,
    resumedFrom: result.resumedFrom,
    trainSize: result.splitSizes.train ?? 0,
    metrics,
    params: result.params,
    backend: result.backend,
    out: outDir,
    timings: {
      prepareS: seconds(result.prepareTimeS),
      trainS: seconds(result.wallTimeS),
      totalS: seconds((performance.now() - t0) / 1000),
    },
  });
}

/** Parsed options of `graphpe eval`. */
export interface EvalCliOptions {
  dataset: string;
  split: SplitKind;
  on: string;
  limit?: number;
  batchSize: number;
  backend?: string;
  dataDir?: string;
  seed: number;
  /** Metric reported first [the checkpoint's selection metric, else the dataset's official one]. */
  metric?: MetricName;
  /** One JSON document on stdout; the human lines go to stderr (unless quiet). */
  json?: boolean;
  quiet: boolean;
}

/**
 * The metric `graphpe eval` reports first without `--metric`: the one the checkpoint was selected by, else the
 * dataset's official one when it fits the model's task, else the task's first.
 */
function defaultEvalMetric(checkpoint: string, dataset: string, task: string): MetricName {
  const valid = metricsForTask(task);
  const saved = checkpointMetric(checkpoint);
  if (saved !== undefined && valid.includes(saved)) return saved;
  const official = datasetInfo(dataset).metric;
  return valid.includes(official) ? official : (valid[0] as MetricName);
}

/** `graphpe eval <checkpoint> --dataset …`: metrics of a saved model on dataset splits. */
export async function evalCommand(checkpoint: string, opts: EvalCliOptions, io: CliIo): Promise<void> {
  const t0 = performance.now();
  datasetInfo(opts.dataset); // unknown names fail before anything is loaded
  await initBackend({
    ...(opts.backend === undefined ? {} : { backend: opts.backend }),
    log: opts.quiet ? null : (line) => io.stderr(`${line}\n`),
  });
  const model = await GraphModel.load(checkpoint);
  try {
    const task = model.config.task;
    const metric =
      opts.metric === undefined
        ? defaultEvalMetric(checkpoint, opts.dataset, task)
        : checkMetricForTask(opts.metric, task, {
            where: 'graphpe eval',
            flag: '--metric',
            what: `the ${task} model in ${checkpoint}`,
          });
    const prepOpts: Parameters<typeof loadPreparedDataset>[1] = { eigen: true };
    if (opts.dataDir !== undefined) prepOpts.dataDir = opts.dataDir;
    const ds = await loadPreparedDataset(opts.dataset, prepOpts);
    if (!opts.quiet) {
      const cacheLine = cacheSummary([ds]);
      if (cacheLine !== null) io.stderr(`${cacheLine}\n`);
    }
    const tEval = performance.now();
    // --limit cuts every split in proportion, as `graphpe train --limit` does, so both see the same rows.
    const splits = limitSplits(await splitDataset(ds, opts.split, { seed: opts.seed }), opts.limit);
    const wanted = opts.on === 'all' ? Object.keys(splits) : opts.on.split(',').map((s) => s.trim());
    const metrics: Record<string, Record<string, number>> = {};
    const loss = task === 'regression' ? 'l1' : 'bce';
    for (const name of wanted) {
      const rows = splits[name];
      if (!rows) {
        throw new GraphpeError(
          'E_OPTION',
          `graphpe eval: --on ${name}: ${ds.name} (${opts.split} split) has no such set (have: ${Object.keys(splits).join(', ')})`,
        );
      }
      if (rows.length === 0) {
        throw new GraphpeError(
          'E_DATASET',
          `graphpe eval: the ${name} set of ${ds.name} (${opts.split} split${opts.limit === undefined ? '' : `, --limit ${opts.limit}`}) is empty; nothing to evaluate`,
          { set: name, split: opts.split },
        );
      }
      const recs = graphRecords(ds, rows, {
        pe: model.config.pe ?? 'none',
        frameK: model.config.eigK,
        frameOverflow: 'drop',
        log: (line) => io.stderr(`${line}\n`),
      });
      const m = evaluate(model, batchesOf(recs, model.collateSpec(), opts.batchSize), loss).metrics;
      metrics[name] = setReport(rows.length, m, metric);
    }
    const tEnd = performance.now();
    const w = Math.max(...Object.keys(metrics).map((k) => k.length));
    const lines = [
      `${checkpoint} on ${ds.name} (${opts.split} split${opts.limit === undefined ? '' : `, --limit ${opts.limit}`}): ${metric} (${higherIsBetter(metric) ? 'higher' : 'lower'} is better)`,
      ...Object.entries(metrics).map(
        ([name, r]) =>
          `  ${name.padEnd(w)}  n ${String(r.n).padStart(6)}  ${Object.entries(r)
            .filter(([k]) => k !== 'n')
            .map(([k, v]) => `${k} ${fmtValue(v)}`)
            .join('  ')}`,
      ),
    ];
    report(io, opts, lines, {
      command: 'eval',
      checkpoint,
      dataset: ds.name,
      split: opts.split,
      limit: opts.limit ?? null,
      metric,
      higherIsBetter: higherIsBetter(metric),
      metrics,
      timings: {
        loadS: seconds((tEval - t0) / 1000),
        evaluateS: seconds((tEnd - tEval) / 1000),
        totalS: seconds((tEnd - t0) / 1000),
      },
    });
  } finally {
    model.dispose();
  }
}
