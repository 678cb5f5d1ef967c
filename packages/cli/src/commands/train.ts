import { join } from 'node:path';
import { initBackend } from '@graphpe/encodings/learned';
import {
  batchesOf,
  datasetInfo,
  evaluate,
  GraphModel,
  graphRecords,
  limitSplits,
  loadPreparedDataset,
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
  quiet: boolean;
}

/** `graphpe train`: one GINE + PE run with progress, checkpoints, result.json and a learning curve. */
export async function trainCommand(opts: TrainCliOptions, io: CliIo): Promise<void> {
  datasetInfo(opts.dataset); // unknown names fail before anything is loaded
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
  let result: Awaited<ReturnType<typeof runTraining>>;
  try {
    result = await runTraining(run);
  } finally {
    (bar as Progress | null)?.stop();
    (prep as Progress | null)?.stop();
  }
  const metric = result.metric;
  const fmt = (m: Record<string, number | undefined> | undefined) =>
    m?.[metric] === undefined ? 'n/a' : (m[metric] as number).toFixed(4);
  const lines = [
    `best epoch ${result.bestEpoch}/${result.epochsRun}: val ${metric} ${fmt(result.bestVal as never)}, test ${metric} ${fmt(result.testAtBest as never)}`,
    ...Object.entries(result.splitMetrics)
      .filter(([name]) => !['valid', 'test'].includes(name))
      .map(([name, m]) => `  ${name} ${metric} ${fmt(m as never)}`),
    `${result.params} parameters, backend ${result.backend}, ${result.wallTimeS.toFixed(1)} s; results in ${outDir}/ (result.json, log.jsonl, curve.svg, best/)`,
  ];
  io.stdout(`${lines.join('\n')}\n`);
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
  quiet: boolean;
}

/** `graphpe eval <checkpoint> --dataset …`: metrics of a saved model on dataset splits, as JSON. */
export async function evalCommand(checkpoint: string, opts: EvalCliOptions, io: CliIo): Promise<void> {
  await initBackend(
    opts.backend === undefined ? {} : { backend: opts.backend, log: opts.quiet ? null : undefined },
  );
  const model = await GraphModel.load(checkpoint);
  const prepOpts: Parameters<typeof loadPreparedDataset>[1] = { eigen: true };
  if (opts.dataDir !== undefined) prepOpts.dataDir = opts.dataDir;
  const ds = await loadPreparedDataset(opts.dataset, prepOpts);
  // --limit cuts every split in proportion, as `graphpe train --limit` does, so both see the same rows.
  const splits = limitSplits(await splitDataset(ds, opts.split, { seed: opts.seed }), opts.limit);
  const wanted = opts.on === 'all' ? Object.keys(splits) : opts.on.split(',').map((s) => s.trim());
  const out: Record<string, unknown> = { checkpoint, dataset: ds.name, split: opts.split, metrics: {} };
  const loss = model.config.task === 'regression' ? 'l1' : 'bce';
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
    const { metrics } = evaluate(model, batchesOf(recs, model.collateSpec(), opts.batchSize), loss);
    (out.metrics as Record<string, unknown>)[name] = { n: rows.length, ...metrics };
  }
  model.dispose();
  io.stdout(`${JSON.stringify(out, null, 2)}\n`);
}
