/**
 * The training loop: seeded shuffling, Adam(W) with PyTorch weight-decay semantics, warm-up + linear/cosine
 * decay set per step, masked L1/MSE/BCE, per-epoch validation (and test, recorded at the best validation
 * epoch, as the SPE/SignNet papers report), best-validation checkpointing, resume from the last epoch,
 * early stopping, a progress callback with ETA, per-epoch lines, a JSONL log, `result.json` and an SVG
 * learning curve.
 *
 * Output directory layout (all optional, only with `outDir`):
 *   best/  model.json + weights.bin of the best validation epoch (loadable with `GraphModel.load`)
 *   last/  the same for the last finished epoch, plus optimizer.{json,bin} and state.json (resume)
 *          Both hold checkpoint.json (SHA-256 of every file, checked on load) and are replaced as a whole
 *          after each epoch (train/checkpoint.ts): `last/` first, then `best/`, so a run killed at any
 *          moment resumes from a consistent `last/` and continues exactly as an uninterrupted run.
 *   log.jsonl     one JSON line per epoch (rewritten from the checkpoint on resume)
 *   result.json   config, seed, backend, wall time, best epoch, val/test metrics, graphpe version
 *   curve.svg     train loss and validation metric per epoch
 */
import { existsSync, readFileSync } from 'node:fs';
import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { backendInfo, tf } from '@graphpe/encodings/learned';
import { createRng, GraphpeError } from '@graphpe/spectral';
import { seededPermutation } from '../data/splits.js';
import {
  checkMetricForTask,
  computeMetric,
  higherIsBetter,
  METRIC_NAMES,
  type MetricName,
  metricsForTask,
} from '../metrics/index.js';
import {
  type CollateSpec,
  collate,
  disposeMolTensors,
  flipPeSigns,
  type GraphRecord,
  type MolBatch,
  molTensors,
} from '../model/batch.js';
import {
  type CheckpointManifest,
  modelFiles,
  openCheckpoint,
  readCheckpointManifest,
  readModelFiles,
  readTensorFiles,
  sha256,
  tensorFiles,
  writeFileAtomic,
} from '../model/io.js';
import type { GraphModel } from '../model/model.js';
import { commitCheckpointDir, recoverCheckpointDir } from './checkpoint.js';
import { lineChart } from './curve-svg.js';
import { type LossName, maskedLoss, maskedLossHost } from './loss.js';
import { AdamWithDecay, type OptimizerKind } from './optimizer.js';
import { DataParallelTrainer } from './parallel.js';
import { learningRateAt, type ScheduleKind } from './schedule.js';

/** graphpe's version (this package's). */
export const GRAPHPE_VERSION: string = (() => {
  try {
    return (
      JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
    ).version;
  } catch {
    return 'unknown';
  }
})();

export interface TrainProgress {
  epoch: number;
  epochs: number;
  /** Step within the epoch (1-based, after it finished). */
  step: number;
  stepsPerEpoch: number;
  /** Optimizer steps done in total. */
  globalStep: number;
  totalSteps: number;
  loss: number;
  lr: number;
  elapsedS: number;
  /** Seconds left at this run's pace (evaluation included). */
  etaS: number;
}

export interface TrainOptions {
  model: GraphModel;
  train: readonly GraphRecord[];
  val: readonly GraphRecord[];
  test?: readonly GraphRecord[];
  /** Epochs (required: budgets are explicit). */
  epochs: number;
  /** [128] */
  batchSize?: number;
  /** Evaluation batch size [batchSize]. */
  evalBatchSize?: number;
  /** Peak learning rate [1e-3]. */
  lr?: number;
  /** [3e-6] (SPE's ZINC recipe). */
  weightDecay?: number;
  /** ['adam'] (L2 added to the gradient) or 'adamw' (decoupled). */
  optimizer?: OptimizerKind;
  /** [100] */
  warmupSteps?: number;
  /** ['linear'] */
  schedule?: ScheduleKind;
  /** [0] */
  minLr?: number;
  /** Default: 'l1' for regression, 'bce' for binary/multitask. */
  loss?: LossName;
  /**
   * Model-selection metric (best checkpoint, early stopping), one of the task's (`metricsForTask`).
   * Default: 'mae' for regression, 'rocauc' otherwise.
   */
  metric?: MetricName;
  /** Shuffling / augmentation seed [model.config.seed]. */
  seed?: number;
  /** Random PE sign flips in training [true for pe 'lap']. */
  signFlip?: boolean;
  /** Stop after this many epochs without validation improvement [never]. */
  patience?: number;
  /** Cap on steps per epoch (small budgets, tests) [all]. */
  maxStepsPerEpoch?: number;
  /** Output directory (checkpoints, log.jsonl, result.json, curve.svg) [none]. */
  outDir?: string;
  /** Continue from `outDir/last` when it exists [false]. */
  resume?: boolean;
  /** Extra fields recorded in result.json's config (dataset name, split, …). */
  runConfig?: Record<string, unknown>;
  onProgress?: (p: TrainProgress) => void;
  /** Per-epoch lines [stderr]; null silences. */
  log?: ((line: string) => void) | null;
  /**
   * Synchronous data-parallel replicas, the calling thread included [1]: `worker_threads` that each train
   * a copy of the model on a shard of every batch, with BatchNorm statistics and gradients summed across
   * them, so the run equals the single-process one up to float32 summation order (train/parallel.ts;
   * cpu/wasm backends, fixed or no PE).
   */
  workers?: number;
}

/** Metrics of one evaluation pass. */
export interface EvalMetrics {
  loss: number;
  mae?: number;
  rmse?: number;
  rocauc?: number;
}

export interface EpochRecord {
  epoch: number;
  trainLoss: number;
  lr: number;
  val: EvalMetrics;
  test?: EvalMetrics;
  /** Seconds for this epoch (train + eval). */
  timeS: number;
  best: boolean;
}

export interface TrainResult {
  graphpeVersion: string;
  backend: string;
  seed: number;
  config: Record<string, unknown>;
  params: number;
  metric: MetricName;
  bestEpoch: number;
  bestVal: EvalMetrics | null;
  /** Test metrics at the best validation epoch. */
  testAtBest: EvalMetrics | null;
  epochsRun: number;
  stoppedEarly: boolean;
  resumedFrom: number | null;
  wallTimeS: number;
  history: EpochRecord[];
}

interface TrainerState {
  epoch: number;
  globalStep: number;
  bestEpoch: number;
  bestValue: number | null;
  bestVal: EvalMetrics | null;
  testAtBest: EvalMetrics | null;
  badEpochs: number;
  wallTimeS: number;
  history: EpochRecord[];
  /** SHA-256 of the best epoch's `weights.bin`, checked against `best/` on resume. */
  bestWeightsSha256?: string;
  /** The run's configuration (result.json's `config` plus `seed`), checked on resume. */
  config?: Record<string, unknown>;
}

const WHERE = 'gnn.train';

/**
 * Configuration keys a resumed run may change: the epoch budget and early stopping, the model's initialiser
 * seed (the checkpoint's weights replace the initial ones), and what only affects evaluation batching, speed
 * or bookkeeping. Everything else must match the checkpoint.
 */
export const RESUMABLE_CONFIG_KEYS: readonly string[] = [
  'epochs',
  'patience',
  'model.seed',
  'evalBatchSize',
  'backend',
  'workers',
  'prepareTimeS',
];

function flatten(x: unknown, prefix: string, out: Map<string, string>): void {
  if (x !== null && typeof x === 'object' && !Array.isArray(x)) {
    for (const [k, v] of Object.entries(x)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out.set(prefix, JSON.stringify(x ?? null));
  }
}

/**
 * The training-relevant differences between a checkpoint's configuration and this run's, as
 * `key: saved → now` strings (keys dotted, e.g. `model.hidden`; {@link RESUMABLE_CONFIG_KEYS} ignored).
 */
export function resumeConfigDiff(saved: Record<string, unknown>, now: Record<string, unknown>): string[] {
  const a = new Map<string, string>();
  const b = new Map<string, string>();
  flatten(saved, '', a);
  flatten(now, '', b);
  const out: string[] = [];
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    if (RESUMABLE_CONFIG_KEYS.includes(key)) continue;
    const x = a.get(key) ?? 'absent';
    const y = b.get(key) ?? 'absent';
    if (x !== y)
      out.push(
        `${key}: ${x.length > 60 ? `${x.slice(0, 57)}...` : x} → ${y.length > 60 ? `${y.slice(0, 57)}...` : y}`,
      );
  }
  return out;
}

/**
 * The model-selection metric recorded in a checkpoint folder's `model.json` by {@link train} (undefined for
 * checkpoints without one, or an unreadable file: loading the model reports those).
 */
export function checkpointMetric(dir: string): MetricName | undefined {
  try {
    const json = JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8')) as {
      graphpe?: { metric?: unknown };
    };
    const m = json.graphpe?.metric;
    return typeof m === 'string' && (METRIC_NAMES as readonly string[]).includes(m)
      ? (m as MetricName)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Evaluates a model on pre-collated batches (eval mode). */
export function evaluate(
  model: GraphModel,
  batches: readonly MolBatch[],
  loss: LossName,
): { metrics: EvalMetrics; pred: Float32Array; target: Float32Array; mask: Float32Array } {
  const T = model.config.numTargets;
  const rows = batches.reduce((s, b) => s + b.batchSize, 0);
  const pred = new Float32Array(rows * T);
  const target = new Float32Array(rows * T);
  const mask = new Float32Array(rows * T);
  let off = 0;
  for (const b of batches) {
    pred.set(model.predict(b), off);
    target.set(b.targets, off);
    mask.set(b.labelMask, off);
    off += b.batchSize * T;
  }
  const metrics: EvalMetrics = { loss: maskedLossHost(loss, pred, target, mask) };
  for (const m of metricsForTask(model.config.task)) {
    metrics[m] = computeMetric(m, pred, target, T, mask);
  }
  return { metrics, pred, target, mask };
}

/** Collates records in order into batches of `size`. */
export function batchesOf(records: readonly GraphRecord[], spec: CollateSpec, size: number): MolBatch[] {
  const out: MolBatch[] = [];
  for (let i = 0; i < records.length; i += size) out.push(collate(records.slice(i, i + size), spec));
  return out;
}

/**
 * The order in which {@link train} visits the n training records in epoch `epoch` (1-based) for `seed`:
 * reference implementations (scripts/bench/torch_train.py) replay it to see the same batches.
 */
export function trainingOrder(n: number, seed: number, epoch: number): Int32Array {
  return seededPermutation(n, epochSeed(seed, epoch, 1));
}

function epochSeed(seed: number, epoch: number, stream: number): number {
  return (
    (Math.imul(seed + 1, 0x9e3779b1) ^ Math.imul(epoch + 1, 0x85ebca6b) ^ Math.imul(stream, 0xc2b2ae35)) >>> 0
  );
}

function fmtMetrics(prefix: string, m: EvalMetrics | undefined): string {
  if (!m) return '';
  const parts = Object.entries(m).map(([k, v]) => `${prefix}_${k} ${Number(v).toPrecision(4)}`);
  return parts.join(' ');
}

function fmtDuration(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${Math.round(s - 60 * m)}s`;
  return `${Math.floor(m / 60)}h${m % 60}m`;
}

/** Trains `options.model` in place; returns (and with `outDir`, writes) the result. */
export async function train(options: TrainOptions): Promise<TrainResult> {
  const model = options.model;
  const mc = model.config;
  const epochs = options.epochs;
  if (!(Number.isInteger(epochs) && epochs >= 1)) {
    throw new GraphpeError('E_OPTION', `${WHERE}: epochs must be a positive integer (got ${epochs})`);
  }
  const batchSize = options.batchSize ?? 128;
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) {
    throw new GraphpeError('E_OPTION', `${WHERE}: batchSize must be a positive integer (got ${batchSize})`);
  }
  if (options.train.length === 0) throw new GraphpeError('E_EMPTY', `${WHERE}: empty training set`);
  if (options.val.length === 0) throw new GraphpeError('E_EMPTY', `${WHERE}: empty validation set`);
  const classification = mc.task !== 'regression';
  const lossName: LossName = options.loss ?? (classification ? 'bce' : 'l1');
  const metric: MetricName = checkMetricForTask(
    options.metric ?? (classification ? 'rocauc' : 'mae'),
    mc.task,
    { where: WHERE, what: `task '${mc.task}'` },
  );
  if (classification && lossName !== 'bce') {
    throw new GraphpeError(
      'E_OPTION',
      `${WHERE}: task '${mc.task}' trains with loss 'bce' (got '${lossName}')`,
    );
  }
  const workers = options.workers ?? 1;
  if (!(Number.isInteger(workers) && workers >= 1)) {
    throw new GraphpeError('E_OPTION', `${WHERE}: workers must be a positive integer (got ${workers})`);
  }
  const seed = options.seed ?? mc.seed;
  const lr = options.lr ?? 1e-3;
  const weightDecay = options.weightDecay ?? 3e-6;
  const optimizerKind = options.optimizer ?? 'adam';
  const warmupSteps = options.warmupSteps ?? 100;
  const scheduleKind = options.schedule ?? 'linear';
  const minLr = options.minLr ?? 0;
  const signFlip = options.signFlip ?? mc.pe === 'lap';
  const patience = options.patience ?? Number.POSITIVE_INFINITY;
  const log = options.log === undefined ? (l: string) => process.stderr.write(`${l}\n`) : options.log;
  const outDir = options.outDir;
  const spec = model.collateSpec();
  const nTrain = options.train.length;
  const fullSteps = Math.ceil(nTrain / batchSize);
  const stepsPerEpoch = Math.min(fullSteps, options.maxStepsPerEpoch ?? fullSteps);
  const totalSteps = stepsPerEpoch * epochs;
  const evalBatch = options.evalBatchSize ?? batchSize;
  const valBatches = batchesOf(options.val, spec, evalBatch);
  const testBatches =
    options.test && options.test.length > 0 ? batchesOf(options.test, spec, evalBatch) : null;
  const backend = backendInfo()?.name ?? tf.getBackend();
  const better = higherIsBetter(metric);

  const config: Record<string, unknown> = {
    ...(options.runConfig ?? {}),
    model: mc,
    epochs,
    batchSize,
    evalBatchSize: evalBatch,
    lr,
    weightDecay,
    optimizer: optimizerKind,
    warmupSteps,
    schedule: scheduleKind,
    minLr,
    loss: lossName,
    metric,
    signFlip,
    patience: Number.isFinite(patience) ? patience : null,
    maxStepsPerEpoch: options.maxStepsPerEpoch ?? null,
    trainSize: nTrain,
    valSize: options.val.length,
    testSize: options.test?.length ?? 0,
    ...(workers > 1 ? { workers } : {}),
  };

  const vars = model.trainableVariables();
  const opt = new AdamWithDecay(vars, { kind: optimizerKind, weightDecay });
  let state: TrainerState = {
    epoch: 0,
    globalStep: 0,
    bestEpoch: 0,
    bestValue: null,
    bestVal: null,
    testAtBest: null,
    badEpochs: 0,
    wallTimeS: 0,
    history: [],
  };
  let resumedFrom: number | null = null;
  const lastDir = outDir ? path.join(outDir, 'last') : null;
  const bestDir = outDir ? path.join(outDir, 'best') : null;
  const runKey: Record<string, unknown> = { ...config, seed };
  // Checkpoints record the selection metric: `graphpe eval` reports it by default.
  const modelExtra = (extra: Record<string, unknown>) => ({ ...extra, metric, modelConfig: mc });
  if (outDir) await mkdir(outDir, { recursive: true });
  if (options.resume && lastDir && bestDir) {
    if (await recoverCheckpointDir(lastDir))
      log?.(`graphpe train: completed the interrupted save of ${lastDir}`);
    await recoverCheckpointDir(bestDir);
  }
  if (options.resume && lastDir && !existsSync(lastDir)) {
    log?.(`graphpe train: --resume: ${lastDir} does not exist; starting from epoch 1`);
  }
  // An existing last/ is resumed or refused: a checkpoint without state.json is incomplete, not a fresh start.
  if (options.resume && lastDir && existsSync(lastDir)) {
    const ckpt = await openCheckpoint(lastDir, { warn: log ?? null });
    state = await ckpt.json<TrainerState>('state.json');
    if (
      typeof state !== 'object' ||
      state === null ||
      !Number.isInteger(state.epoch) ||
      !Array.isArray(state.history)
    ) {
      throw new GraphpeError(
        'E_CHECKPOINT',
        `${WHERE}: ${path.join(lastDir, 'state.json')} is corrupted or truncated (no epoch/history)`,
      );
    }
    if (state.config) {
      const diff = resumeConfigDiff(state.config, runKey);
      if (diff.length > 0) {
        throw new GraphpeError(
          'E_OPTION',
          `${WHERE}: cannot resume ${lastDir} with a different configuration (saved → now): ${diff.join('; ')}. Only ${RESUMABLE_CONFIG_KEYS.join(', ')} may change; use the original options or a new output folder`,
          { differences: diff },
        );
      }
    } else {
      log?.(
        `graphpe train: warning: ${path.join(lastDir, 'state.json')} records no configuration (older graphpe); the resumed run's options are not checked against it`,
      );
    }
    const { artifacts } = await readModelFiles(ckpt);
    const decoded = tf.io.decodeWeights(artifacts.weightData as ArrayBuffer, artifacts.weightSpecs ?? []);
    const tensors = (artifacts.weightSpecs ?? []).map((s) => decoded[s.name] as tf.Tensor);
    model.setWeightsFrom(tensors);
    tf.dispose(tensors);
    const { tensors: optState } = await readTensorFiles(ckpt, 'optimizer');
    await opt.setState(optState);
    tf.dispose(optState.map((t) => t.tensor));
    resumedFrom = state.epoch;
    // best/ is replaced after last/: a run killed in between has the best epoch's weights only in last/.
    if (bestDir && state.bestEpoch > 0) {
      let have: CheckpointManifest | null = null;
      try {
        have = await readCheckpointManifest(bestDir);
      } catch {
        have = null;
      }
      const want = state.bestWeightsSha256;
      const stale =
        want === undefined
          ? have?.meta.epoch !== state.bestEpoch
          : have?.files['weights.bin']?.sha256 !== want;
      if (stale && state.bestEpoch === state.epoch) {
        await commitCheckpointDir(
          bestDir,
          await modelFiles(
            model.model,
            modelExtra({ epoch: state.epoch, val: state.bestVal, test: state.testAtBest }),
          ),
          { kind: 'best', epoch: state.epoch },
        );
      } else if (stale && want !== undefined) {
        throw new GraphpeError(
          'E_CHECKPOINT',
          `${WHERE}: ${bestDir} does not hold the weights of the best epoch ${state.bestEpoch} recorded in ${path.join(lastDir, 'state.json')} (corrupted, missing or replaced); resuming would report another model's metrics`,
          { file: bestDir },
        );
      }
    }
    log?.(`graphpe train: resumed from ${lastDir} after epoch ${state.epoch} (step ${state.globalStep})`);
  }
  // The log holds exactly the checkpoint's epochs (a run killed after its last save may have appended more).
  if (outDir) {
    await writeFileAtomic(
      path.join(outDir, 'log.jsonl'),
      state.history.map((rec) => `${JSON.stringify(rec)}\n`).join(''),
    );
  }

  const dp =
    workers > 1
      ? await DataParallelTrainer.create({
          model,
          workers,
          optimizer: { kind: optimizerKind, weightDecay },
          loss: lossName,
          adam: opt,
        })
      : null;
  const t0 = performance.now();
  const baseWall = state.wallTimeS;
  const stepsThisRun = totalSteps - state.globalStep;
  let stepsDone = 0;
  let stoppedEarly = false;
  let warnedNaN = false;
  const elapsed = () => (performance.now() - t0) / 1000;

  try {
    for (let epoch = state.epoch + 1; epoch <= epochs; epoch++) {
      const te = performance.now();
      const order = trainingOrder(nTrain, seed, epoch);
      const flipRng = createRng(epochSeed(seed, epoch, 2));
      let lossSum = 0;
      let lossCount = 0;
      for (let s = 0; s < stepsPerEpoch; s++) {
        const idx = order.subarray(s * batchSize, Math.min(nTrain, (s + 1) * batchSize));
        const recs = Array.from(idx, (i) => options.train[i] as GraphRecord);
        let batch = collate(recs, spec);
        if (signFlip) batch = flipPeSigns(batch, flipRng);
        opt.learningRate = learningRateAt(state.globalStep, {
          base: lr,
          warmupSteps,
          totalSteps,
          kind: scheduleKind,
          minLr,
        });
        let lossValue: number;
        if (dp) lossValue = await dp.step(batch, opt.learningRate);
        else {
          const t = molTensors(batch);
          try {
            const l = opt.step(() => maskedLoss(lossName, model.apply(t, true), t.targets, t.labelMask));
            lossValue = l.dataSync()[0] as number;
            l.dispose();
          } finally {
            disposeMolTensors(t);
          }
        }
        if (!Number.isFinite(lossValue)) {
          throw new GraphpeError('E_NAN', `${WHERE}: loss is ${lossValue} at epoch ${epoch} step ${s + 1}`);
        }
        lossSum += lossValue * batch.batchSize;
        lossCount += batch.batchSize;
        state.globalStep++;
        stepsDone++;
        if (options.onProgress) {
          const el = elapsed();
          options.onProgress({
            epoch,
            epochs,
            step: s + 1,
            stepsPerEpoch,
            globalStep: state.globalStep,
            totalSteps,
            loss: lossValue,
            lr: opt.learningRate,
            elapsedS: el,
            etaS: (el / stepsDone) * (stepsThisRun - stepsDone),
          });
        }
      }
      const trainLoss = lossSum / Math.max(1, lossCount);
      const val = evaluate(model, valBatches, lossName).metrics;
      const value = val[metric] as number;
      if (!Number.isFinite(value) && !warnedNaN) {
        warnedNaN = true;
        log?.(
          `graphpe train: validation ${metric} is ${value}${metric === 'rocauc' ? ' (a split with one class only?)' : ''}; such epochs never count as best`,
        );
      }
      const improved =
        Number.isFinite(value) &&
        (state.bestValue === null || (better ? value > state.bestValue : value < state.bestValue));
      let test: EvalMetrics | undefined;
      if (improved) {
        if (testBatches) test = evaluate(model, testBatches, lossName).metrics;
        state.bestValue = value;
        state.bestEpoch = epoch;
        state.bestVal = val;
        state.testAtBest = test ?? null;
        state.badEpochs = 0;
      } else {
        state.badEpochs++;
      }
      const rec: EpochRecord = {
        epoch,
        trainLoss,
        lr: opt.learningRate,
        val,
        timeS: (performance.now() - te) / 1000,
        best: improved,
      };
      if (test) rec.test = test;
      state.history.push(rec);
      state.epoch = epoch;
      state.wallTimeS = baseWall + elapsed();
      log?.(
        `epoch ${epoch}/${epochs} train_loss ${trainLoss.toPrecision(4)} ${fmtMetrics('val', val)}` +
          `${test ? ` ${fmtMetrics('test', test)}` : ''} lr ${opt.learningRate.toExponential(2)} ` +
          `${rec.timeS.toFixed(1)}s${improved ? ' *best' : ''} (best ${state.bestEpoch}, ` +
          `eta ${fmtDuration((elapsed() / Math.max(1, stepsDone)) * (stepsThisRun - stepsDone))})`,
      );
      if (outDir && lastDir && bestDir) {
        state.config = runKey;
        const lastModel = await modelFiles(model.model, modelExtra({ epoch }));
        if (improved) state.bestWeightsSha256 = sha256(lastModel['weights.bin'] as Uint8Array);
        await commitCheckpointDir(
          lastDir,
          {
            ...lastModel,
            ...(await tensorFiles('optimizer', await opt.getState(), { kind: optimizerKind })),
            'state.json': JSON.stringify(state),
          },
          { kind: 'last', epoch },
        );
        if (improved) {
          await commitCheckpointDir(
            bestDir,
            await modelFiles(model.model, modelExtra({ epoch, val, test: test ?? null })),
            { kind: 'best', epoch },
          );
        }
        await appendFile(path.join(outDir, 'log.jsonl'), `${JSON.stringify(rec)}\n`);
        await writeFileAtomic(
          path.join(outDir, 'curve.svg'),
          learningCurveSvg(state.history, metric, lossName),
        );
      }
      if (state.badEpochs >= patience) {
        stoppedEarly = true;
        log?.(`graphpe train: early stop after ${state.badEpochs} epochs without validation improvement`);
        break;
      }
    }
  } finally {
    await dp?.dispose();
    opt.dispose();
  }

  const result: TrainResult = {
    graphpeVersion: GRAPHPE_VERSION,
    backend,
    seed,
    config,
    params: model.countParams(),
    metric,
    bestEpoch: state.bestEpoch,
    bestVal: state.bestVal,
    testAtBest: state.testAtBest,
    epochsRun: state.epoch,
    stoppedEarly,
    resumedFrom,
    wallTimeS: baseWall + elapsed(),
    history: state.history,
  };
  if (outDir) {
    await writeFileAtomic(path.join(outDir, 'result.json'), `${JSON.stringify(result, null, 2)}\n`);
    await writeFileAtomic(path.join(outDir, 'curve.svg'), learningCurveSvg(state.history, metric, lossName));
  }
  return result;
}

/** The learning-curve SVG: train loss (left) and validation metric (right) per epoch. */
export function learningCurveSvg(
  history: readonly EpochRecord[],
  metric: MetricName,
  loss: LossName,
): string {
  const x = history.map((h) => h.epoch);
  const series = [
    { name: `train ${loss}`, x, y: history.map((h) => h.trainLoss) },
    {
      name: `val ${metric}`,
      x,
      y: history.map((h) => (h.val[metric] as number | undefined) ?? Number.NaN),
      rightAxis: true,
    },
  ];
  const tests = history.filter((h) => h.test?.[metric] !== undefined);
  if (tests.length > 0) {
    series.push({
      name: `test ${metric} (at new best)`,
      x: tests.map((h) => h.epoch),
      y: tests.map((h) => h.test?.[metric] as number),
      rightAxis: true,
    });
  }
  return lineChart({
    title: 'graphpe training',
    xLabel: 'epoch',
    yLabel: `train ${loss}`,
    y2Label: metric,
    series,
  });
}
