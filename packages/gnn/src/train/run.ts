/**
 * One training run from a dataset name to a result file: load (or build) the prepared dataset from the
 * cache, split it, build records for the chosen PE, create the GINE model, train with best-validation
 * checkpointing, then evaluate the best checkpoint on every extra split the dataset has (DrugOOD's
 * `iid_test`/`ood_test`, …). This is what `graphpe train` and `graphpe bench ood` run.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type BackendInfo, initBackend } from '@graphpe/encodings/learned';
import { GraphpeError } from '@graphpe/spectral';
import { cacheSummary, loadPreparedDataset, type PreparedDataset } from '../data/dataset-cache.js';
import { datasetInfo } from '../data/datasets.js';
import type { FeaturizerName } from '../data/featurizer.js';
import { type SplitKind, splitDataset } from '../data/split-dataset.js';
import type { SplitFractions, Splits } from '../data/splits.js';
import { checkMetricForTask, type MetricName } from '../metrics/index.js';
import { writeFileAtomic } from '../model/io.js';
import { GraphModel } from '../model/model.js';
import { isLearnedPe, type PeChoice } from '../model/pe.js';
import { datasetModelConfig, graphRecords } from '../model/records.js';
import {
  batchesOf,
  type EvalMetrics,
  evaluate,
  type TrainProgress,
  type TrainResult,
  train,
} from './trainer.js';

const WHERE = 'gnn.runTraining';

/** Options of {@link runTraining}; every budget is explicit. */
export interface RunOptions {
  /** Registered dataset name (`zinc`, `ogbg-molbbbp`, `drugood-ec50-scaffold`, …). */
  dataset: string;
  /** Data directory [`GRAPHPE_DATA_DIR`, else `~/.cache/graphpe`]. */
  dataDir?: string;
  /** Featurizer [dataset default]. */
  featurizer?: FeaturizerName;
  /** Split ['official']. */
  split?: SplitKind;
  /** Train/valid/test fractions of computed splits [0.8, 0.1, 0.1]. */
  splitFractions?: SplitFractions;
  /**
   * Small budgets: keep about `limit` molecules in all, the first rows of every split in proportion to its
   * size (so the official valid/test sets stay non-empty).
   */
  limit?: number;
  pe: PeChoice;
  /** Eigenpairs for lap / learned PEs [largest molecule: the full spectrum]. */
  k?: number;
  /** RWSE steps [20]. */
  rwseSteps?: number;
  /**
   * Demand exact basis invariance for basis-invariant PEs (spe, basisnet): `k` must cover every
   * molecule's full spectrum, else an error (a truncation can split an eigenspace) [true].
   */
  basisInvariant?: boolean;
  epochs: number;
  /**
   * Model-selection metric (best checkpoint, early stopping), reported first; one of the dataset task's
   * (`metricsForTask`) [the dataset's official metric, `datasetInfo(dataset).metric`].
   */
  metric?: MetricName;
  batchSize?: number;
  lr?: number;
  hidden?: number;
  layers?: number;
  maxStepsPerEpoch?: number;
  patience?: number;
  seed?: number;
  /** tfjs backend [`GRAPHPE_BACKEND`, else auto]. */
  backend?: string;
  /** PE encoder options (SPE m, ρ layers, …). */
  peOptions?: Record<string, unknown>;
  /** Output folder (checkpoints, log.jsonl, result.json, curve.svg). */
  outDir?: string;
  resume?: boolean;
  /** Worker threads for the preprocessing (cache build). */
  workers?: number;
  /** Data-parallel training replicas over worker_threads (fixed PEs only) [1]. */
  trainWorkers?: number;
  onPrepareProgress?: (done: number, total: number, phase: string) => void;
  onProgress?: (p: TrainProgress) => void;
  log?: ((line: string) => void) | null;
}

/** What {@link runTraining} returns (and writes into result.json). */
export interface RunResult extends TrainResult {
  dataset: string;
  split: string;
  splitSizes: Record<string, number>;
  /** Metrics of the best checkpoint on every split (train excluded). */
  splitMetrics: Record<string, EvalMetrics>;
  backendInfo: BackendInfo;
  prepareTimeS: number;
}

function maxSize(ds: PreparedDataset, rows: Int32Array): number {
  let m = 0;
  for (const r of rows) m = Math.max(m, ds.graphs[r]?.n ?? 0);
  return m;
}

/** The first rows of every split, in proportion to its size, about `limit` in all (at least one per non-empty split). */
export function limitSplits(splits: Splits, limit: number | undefined): Splits {
  if (limit === undefined) return splits;
  if (!(Number.isInteger(limit) && limit >= 1)) {
    throw new GraphpeError('E_OPTION', `${WHERE}: limit must be a positive integer (got ${limit})`, {
      value: limit,
    });
  }
  // DrugOOD-style aliases (valid = ood_val) must stay the same rows: cut each distinct array once.
  const distinct = new Set(Object.values(splits));
  let total = 0;
  for (const rows of distinct) total += rows.length;
  const seen = new Map<Int32Array, Int32Array>();
  const out: Record<string, Int32Array> = {};
  for (const [name, rows] of Object.entries(splits)) {
    let cut = seen.get(rows);
    if (!cut) {
      const keep =
        rows.length === 0 ? 0 : Math.max(1, Math.round((limit * rows.length) / Math.max(total, 1)));
      cut = rows.subarray(0, Math.min(rows.length, keep));
      seen.set(rows, cut);
    }
    out[name] = cut;
  }
  return out as unknown as Splits;
}

/** Train one model on one dataset/split/PE (see the module comment). */
export async function runTraining(options: RunOptions): Promise<RunResult> {
  const log = options.log === undefined ? (l: string) => process.stderr.write(`${l}\n`) : options.log;
  const info = datasetInfo(options.dataset);
  // Checked before the backend starts and the dataset is prepared.
  const metric = checkMetricForTask(options.metric ?? info.metric, info.task, {
    where: WHERE,
    what: `${info.name}, a ${info.task} dataset`,
  });
  const backendInfo = await initBackend({
    ...(options.backend === undefined ? {} : { backend: options.backend }),
    log, // its one line goes where the run's lines go (none with log: null)
  });
  const t0 = performance.now();
  const pe = options.pe;
  const prepOpts: Parameters<typeof loadPreparedDataset>[1] = {
    eigen: true,
    rwseSteps: options.rwseSteps ?? 20,
  };
  if (options.dataDir !== undefined) prepOpts.dataDir = options.dataDir;
  if (options.featurizer !== undefined) prepOpts.featurizer = options.featurizer;
  if (options.workers !== undefined) prepOpts.workers = options.workers;
  if (options.onPrepareProgress) prepOpts.onProgress = options.onPrepareProgress;
  const ds = await loadPreparedDataset(options.dataset, prepOpts);
  const prepareTimeS = (performance.now() - t0) / 1000;
  log?.(
    `graphpe: ${ds.name}: ${ds.graphs.length} molecules ${ds.fromCache ? 'from cache' : 'prepared'} in ${prepareTimeS.toFixed(1)} s`,
  );
  const cacheLine = cacheSummary([ds]);
  if (cacheLine !== null) log?.(cacheLine);
  const split = options.split ?? 'official';
  const splitOpts: { seed?: number; fractions?: SplitFractions } = { seed: options.seed ?? 0 };
  if (options.splitFractions) splitOpts.fractions = options.splitFractions;
  const splits: Splits = limitSplits(await splitDataset(ds, split, splitOpts), options.limit);
  for (const name of ['train', 'valid'] as const) {
    if (splits[name].length === 0) {
      throw new GraphpeError(
        'E_DATASET',
        `${WHERE}: the ${split} split of ${ds.name} has an empty ${name} set`,
      );
    }
  }
  const maxN = maxSize(
    ds,
    Int32Array.from({ length: ds.graphs.length }, (_, i) => i),
  );
  const k = options.k;
  if (k !== undefined && !(Number.isInteger(k) && k >= 1)) {
    throw new GraphpeError('E_OPTION', `${WHERE}: k must be a positive integer (got ${k})`, { value: k });
  }
  const basisPe = pe === 'spe' || pe === 'basisnet';
  if (basisPe && (options.basisInvariant ?? true) && k !== undefined && k < maxN) {
    throw new GraphpeError(
      'E_OPTION',
      `${WHERE}: --pe ${pe} with --k ${k} below the largest molecule (${maxN} atoms) truncates spectra, which can split an eigenspace and break basis invariance; use --k ${maxN} (or omit --k), or pass --no-basis-invariant to accept it`,
      { k, maxNodes: maxN },
    );
  }
  const modelOpts: Parameters<typeof datasetModelConfig>[1] = { pe, seed: options.seed ?? 0 };
  if (k !== undefined && (pe === 'lap' || isLearnedPe(pe))) modelOpts.k = k;
  if (options.hidden !== undefined) modelOpts.hidden = options.hidden;
  if (options.layers !== undefined) modelOpts.layers = options.layers;
  if (options.peOptions) modelOpts.peOptions = options.peOptions;
  const config = datasetModelConfig({ ...ds, splits }, modelOpts);
  // lap+frame: a graph with more than 8 sign-non-canonizable columns among the model's eigK has the
  // extra ones zeroed (reported on the log), not a crash in the middle of an epoch.
  const recordsOf = (rows: Int32Array) =>
    graphRecords(ds, rows, { pe, frameK: config.eigK, frameOverflow: 'drop', log });
  const model = GraphModel.create(config);
  const splitSizes: Record<string, number> = {};
  for (const [name, rows] of Object.entries(splits)) splitSizes[name] = rows.length;
  const trainOpts: Parameters<typeof train>[0] = {
    model,
    train: recordsOf(splits.train),
    val: recordsOf(splits.valid),
    epochs: options.epochs,
    metric,
    runConfig: {
      dataset: ds.name,
      split,
      limit: options.limit ?? null,
      featurizer: ds.featurizer ?? null,
      pe,
      k: k ?? null,
      rwseSteps: options.rwseSteps ?? 20,
      backend: backendInfo.name,
      prepareTimeS,
    },
    log,
  };
  if (splits.test.length > 0) trainOpts.test = recordsOf(splits.test);
  if (options.batchSize !== undefined) trainOpts.batchSize = options.batchSize;
  if (options.lr !== undefined) trainOpts.lr = options.lr;
  if (options.maxStepsPerEpoch !== undefined) trainOpts.maxStepsPerEpoch = options.maxStepsPerEpoch;
  if (options.patience !== undefined) trainOpts.patience = options.patience;
  if (options.seed !== undefined) trainOpts.seed = options.seed;
  if (options.outDir !== undefined) trainOpts.outDir = options.outDir;
  if (options.resume !== undefined) trainOpts.resume = options.resume;
  if (options.trainWorkers !== undefined) trainOpts.workers = options.trainWorkers;
  if (options.onProgress) trainOpts.onProgress = options.onProgress;
  const result = await train(trainOpts);

  // Best checkpoint on every split (DrugOOD's iid/ood sets included).
  const best =
    options.outDir && existsSync(join(options.outDir, 'best', 'model.json'))
      ? await GraphModel.load(join(options.outDir, 'best'))
      : model;
  const splitMetrics: Record<string, EvalMetrics> = {};
  const loss = config.task === 'regression' ? 'l1' : 'bce';
  const spec = best.collateSpec();
  for (const [name, rows] of Object.entries(splits)) {
    if (name === 'train' || rows.length === 0) continue;
    splitMetrics[name] = evaluate(
      best,
      batchesOf(recordsOf(rows), spec, options.batchSize ?? 128),
      loss,
    ).metrics;
  }
  if (best !== model) best.dispose();
  model.dispose();
  const out: RunResult = {
    ...result,
    dataset: ds.name,
    split,
    splitSizes,
    splitMetrics,
    backendInfo,
    prepareTimeS,
  };
  if (options.outDir)
    await writeFileAtomic(join(options.outDir, 'result.json'), `${JSON.stringify(out, null, 2)}\n`);
  return out;
}
