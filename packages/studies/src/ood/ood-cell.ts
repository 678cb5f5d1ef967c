/**
 * One cell of the OOD sweep: one bench dataset × PE × seed, trained under a budget and evaluated on every
 * ID/OOD set. It follows `runTraining` (train/run.ts) step for step — prepared dataset from the cache,
 * records, GINE model, best-validation training, the best checkpoint evaluated on every set, a
 * `result.json` in the RunResult layout — with what the bench needs on top: the bench's own ID/OOD splits
 * (ood-datasets.ts), the `lap+oap` PE (OAP-canonized eigenvectors as a fixed PE, no sign flips), padding to
 * the molecules actually used, and a `bench` section in result.json (the cell config that resumability
 * compares).
 */
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { canonize } from '@graphpe/encodings';
import { type BackendInfo, initBackend } from '@graphpe/encodings/learned';
import {
  batchesOf,
  datasetModelConfig,
  type EvalMetrics,
  evaluate,
  GraphModel,
  type GraphRecord,
  type GraphRecordOptions,
  graphRecords,
  isLearnedPe,
  loadPreparedDataset,
  type PeChoice,
  type PreparedDataset,
  type RunResult,
  type Splits,
  type TrainProgress,
  train,
} from '@graphpe/gnn';
import { GraphpeError, spectrum } from '@graphpe/spectral';
import type { OodBudget } from './budget.js';
import { budgetSplits, OOD_SPLIT_VERSION, oodDatasetSpec, oodSplitsOf } from './ood-datasets.js';

/** The PEs of the OOD bench. */
export const OOD_PES = ['none', 'lap', 'lap+oap', 'lap+frame', 'rwse', 'signnet', 'spe'] as const;
export type OodPe = (typeof OOD_PES)[number];

/** What the model is built with for a bench PE (`lap+oap` is a fixed `lap` PE on canonized vectors). */
export function modelPeOf(pe: string): PeChoice {
  return pe === 'lap+oap' ? 'lap' : pe;
}

/** Checks a bench PE name. */
export function checkOodPe(pe: string): OodPe {
  if (!(OOD_PES as readonly string[]).includes(pe)) {
    throw new GraphpeError('E_OPTION', `studies.bench: unknown PE '${pe}' (known: ${OOD_PES.join(', ')})`, {
      value: pe,
    });
  }
  return pe as OodPe;
}

/**
 * Records of `rows` for a bench PE: {@link graphRecords}, except `lap+oap`, whose fixed PE is the full
 * spectrum (sym Laplacian, dense solver) canonized by `@graphpe/encodings`' `canonize` — the sign rule on
 * simple eigenvectors, the OAP basis rule on eigenspaces; columns that cannot be canonized are kept as the
 * solver returned them (their status is not used).
 */
export function oodRecords(
  ds: PreparedDataset,
  rows: ArrayLike<number>,
  pe: string,
  options: Omit<GraphRecordOptions, 'pe'> = {},
): GraphRecord[] {
  if (pe !== 'lap+oap') return graphRecords(ds, rows, { ...options, pe: modelPeOf(pe) });
  const base = graphRecords(ds, rows, { pe: 'none' });
  return base.map((rec, q) => {
    const g = ds.graphs[rows[q] as number] as PreparedDataset['graphs'][number];
    if (g.n === 0) return { ...rec, pe: new Float32Array(0), peDim: 0 };
    const s = spectrum(g.graph, { k: g.n, solver: 'dense', pad: 'zero' });
    const c = canonize(s);
    return { ...rec, pe: Float32Array.from(c.vectors), peDim: g.n };
  });
}

/** The configuration a cell is identified by (a finished cell with an equal one is not re-run). */
export interface OodCellConfig {
  readonly benchVersion: number;
  readonly dataset: string;
  readonly pe: string;
  readonly seed: number;
  readonly budget: Omit<OodBudget, 'name'>;
}

/** The config of a cell (the budget's name is not part of it: equal values are the same cell). */
export function oodCellConfig(dataset: string, pe: string, seed: number, budget: OodBudget): OodCellConfig {
  const { name: _name, ...values } = budget;
  const sorted = Object.fromEntries(Object.entries(values).sort(([a], [b]) => a.localeCompare(b)));
  return {
    benchVersion: OOD_SPLIT_VERSION,
    dataset,
    pe,
    seed,
    budget: sorted as unknown as Omit<OodBudget, 'name'>,
  };
}

/** Folder of a cell under a sweep's output folder: `<dataset>/<pe>/s<seed>` (`+` written as `-`). */
export function oodCellDir(outDir: string, dataset: string, pe: string, seed: number): string {
  return join(outDir, dataset, pe.replace(/\+/g, '-'), `s${seed}`);
}

/** The `bench` section of a cell's result.json. */
export interface OodCellInfo {
  readonly cell: OodCellConfig;
  readonly splitDefinition: string;
  /** Molecules dropped by the budget's max-atoms cap. */
  readonly droppedByAtoms: number;
  /** Padded molecule size of the model. */
  readonly maxNodes: number;
  /** Eigenpairs used (lap / lap+oap / lap+frame / learned; null for none / rwse). */
  readonly k: number | null;
  /** Whether `k` covers every used molecule's spectrum (exact basis invariance for SPE). */
  readonly fullSpectrum: boolean;
  /** What preprocessing changed (e.g. `lap+frame` frames capped at 8 columns), one line each. */
  readonly notes?: readonly string[];
}

/** A cell's result.json: {@link RunResult} plus the bench section. */
export interface OodCellResult extends RunResult {
  readonly bench: OodCellInfo;
}

function sameConfig(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The finished result of a cell folder, when its result.json exists and has the same cell config. */
export function finishedCell(dir: string, config: OodCellConfig): OodCellResult | null {
  const file = join(dir, 'result.json');
  if (!existsSync(file)) return null;
  try {
    const r = JSON.parse(readFileSync(file, 'utf8')) as Partial<OodCellResult>;
    return r.bench && sameConfig(r.bench.cell, config) && r.splitMetrics ? (r as OodCellResult) : null;
  } catch {
    return null;
  }
}

/** Options of {@link runOodCell}. */
export interface OodCellOptions {
  dataset: string;
  pe: string;
  seed: number;
  budget: OodBudget;
  /** Cell folder (checkpoints, log.jsonl, curve.svg, result.json). */
  outDir: string;
  /** The prepared dataset of `oodDatasetSpec(dataset).dataset` (loaded when absent). */
  prepared?: PreparedDataset;
  dataDir?: string;
  backend?: string;
  /** Continue from `<outDir>/last` (same cell config) [false]. */
  resume?: boolean;
  onProgress?: (p: TrainProgress) => void;
  log?: ((line: string) => void) | null;
}

/** Loads a bench dataset's prepared data (eigenpairs + RWSE with 20 steps, as `runTraining`). */
export async function loadOodDataset(
  key: string,
  options: {
    dataDir?: string;
    workers?: number;
    onProgress?: (done: number, total: number, phase: string) => void;
  } = {},
): Promise<PreparedDataset> {
  const prepOpts: Parameters<typeof loadPreparedDataset>[1] = { eigen: true, rwseSteps: 20 };
  if (options.dataDir !== undefined) prepOpts.dataDir = options.dataDir;
  if (options.workers !== undefined) prepOpts.workers = options.workers;
  if (options.onProgress) prepOpts.onProgress = options.onProgress;
  return loadPreparedDataset(oodDatasetSpec(key).dataset, prepOpts);
}

/** The budgeted splits of a bench dataset (see ood-datasets.ts). */
export function cellSplits(
  key: string,
  ds: PreparedDataset,
  budget: OodBudget,
): { splits: Splits; droppedByAtoms: number } {
  return budgetSplits(oodSplitsOf(key, ds), ds.graphs, { maxAtoms: budget.maxAtoms, limit: budget.limit });
}

/** Largest molecule over the rows of `splits`. */
export function maxNodesOfSplits(ds: Pick<PreparedDataset, 'graphs'>, splits: Splits): number {
  let m = 1;
  for (const rows of Object.values(splits)) for (const r of rows) m = Math.max(m, ds.graphs[r]?.n ?? 0);
  return m;
}

/** Train and evaluate one cell; writes `<outDir>/result.json` ({@link OodCellResult}). */
export async function runOodCell(o: OodCellOptions): Promise<OodCellResult> {
  const spec = oodDatasetSpec(o.dataset);
  checkOodPe(o.pe);
  const log = o.log === undefined ? (l: string) => process.stderr.write(`${l}\n`) : o.log;
  const backendInfo: BackendInfo = await initBackend({
    ...(o.backend === undefined ? {} : { backend: o.backend }),
    log, // its one line goes where the cell's lines go (none with log: null)
  });
  const t0 = performance.now();
  const ds =
    o.prepared ?? (await loadOodDataset(o.dataset, o.dataDir === undefined ? {} : { dataDir: o.dataDir }));
  const prepareTimeS = o.prepared ? 0 : (performance.now() - t0) / 1000;
  const b = o.budget;
  const { splits, droppedByAtoms } = cellSplits(o.dataset, ds, b);
  for (const name of ['train', 'valid'] as const) {
    if (splits[name].length === 0) {
      throw new GraphpeError(
        'E_DATASET',
        `studies.bench: ${o.dataset} has an empty ${name} set under this budget`,
      );
    }
  }
  const pe = modelPeOf(o.pe);
  const maxNodes = maxNodesOfSplits(ds, splits);
  const usesEig = pe === 'lap' || isLearnedPe(pe);
  const k = usesEig ? Math.min(b.k ?? maxNodes, maxNodes) : null;
  const peOptions: Record<string, unknown> = {};
  if (o.pe === 'spe') {
    if (b.speM !== null) peOptions.m = b.speM;
    if (b.speRhoLayers !== null) peOptions.rhoLayers = b.speRhoLayers;
    if (b.peHidden !== null) peOptions.rhoHidden = b.peHidden;
  } else if (isLearnedPe(pe) && b.peHidden !== null) peOptions.hidden = b.peHidden;
  const modelOpts: Parameters<typeof datasetModelConfig>[1] = {
    pe,
    seed: o.seed,
    hidden: b.hidden,
    layers: b.layers,
  };
  if (k !== null) modelOpts.k = k;
  if (Object.keys(peOptions).length > 0) modelOpts.peOptions = peOptions;
  const config = { ...datasetModelConfig({ ...ds, splits }, modelOpts), maxNodes };

  const memo = new Map<Int32Array, GraphRecord[]>();
  const notes: string[] = [];
  const recordsOf = (rows: Int32Array): GraphRecord[] => {
    let r = memo.get(rows);
    if (!r) {
      r = oodRecords(ds, rows, o.pe, {
        frameK: config.eigK,
        frameOverflow: 'drop',
        log: (line) => {
          notes.push(line);
          log?.(line);
        },
      });
      memo.set(rows, r);
    }
    return r;
  };
  const cell = oodCellConfig(o.dataset, o.pe, o.seed, b);
  const model = GraphModel.create(config);
  const splitSizes: Record<string, number> = {};
  for (const [name, rows] of Object.entries(splits)) splitSizes[name] = rows.length;
  const trainOpts: Parameters<typeof train>[0] = {
    model,
    train: recordsOf(splits.train),
    val: recordsOf(splits.valid),
    // No per-epoch test pass (it would only fill testAtBest): the best checkpoint is evaluated on every
    // set at the end, ood_test included, which halves the evaluation cost per epoch.
    epochs: b.epochs,
    batchSize: b.batchSize,
    lr: b.lr,
    warmupSteps: b.warmupSteps,
    seed: o.seed,
    signFlip: o.pe === 'lap',
    outDir: o.outDir,
    resume: o.resume ?? false,
    runConfig: {
      dataset: ds.name,
      benchDataset: o.dataset,
      split: 'ood',
      limit: b.limit,
      maxAtoms: b.maxAtoms,
      featurizer: ds.featurizer ?? null,
      pe: o.pe,
      k,
      rwseSteps: 20,
      backend: backendInfo.name,
      prepareTimeS,
    },
    log,
  };
  if (b.maxStepsPerEpoch !== null) trainOpts.maxStepsPerEpoch = b.maxStepsPerEpoch;
  if (b.patience !== null) trainOpts.patience = b.patience;
  if (o.onProgress) trainOpts.onProgress = o.onProgress;
  const result = await train(trainOpts);

  const best = existsSync(join(o.outDir, 'best', 'model.json'))
    ? await GraphModel.load(join(o.outDir, 'best'))
    : model;
  const splitMetrics: Record<string, EvalMetrics> = {};
  const loss = config.task === 'regression' ? 'l1' : 'bce';
  const collateSpec = best.collateSpec();
  const evaluated = new Map<Int32Array, EvalMetrics>(); // valid = ood_val, test = ood_test: once each
  for (const [name, rows] of Object.entries(splits)) {
    if (name === 'train' || rows.length === 0) continue;
    let m = evaluated.get(rows);
    if (!m) {
      m = evaluate(best, batchesOf(recordsOf(rows), collateSpec, b.batchSize), loss).metrics;
      evaluated.set(rows, m);
    }
    splitMetrics[name] = m;
  }
  if (best !== model) best.dispose();
  model.dispose();
  const out: OodCellResult = {
    ...result,
    dataset: ds.name,
    split: 'ood',
    splitSizes,
    splitMetrics,
    backendInfo,
    prepareTimeS,
    bench: {
      cell,
      splitDefinition: spec.splitDefinition,
      droppedByAtoms,
      maxNodes,
      k,
      fullSpectrum: k === null || k >= maxNodes,
      ...(notes.length > 0 ? { notes } : {}),
    },
  };
  await writeFile(join(o.outDir, 'result.json'), `${JSON.stringify(out, null, 2)}\n`);
  return out;
}
