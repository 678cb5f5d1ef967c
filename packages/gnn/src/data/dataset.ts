/**
 * The in-memory molecular dataset every loader returns, and the shared finishing step: optional row limit,
 * featurization with per-row error handling, and split remapping when rows are skipped.
 */
import { checkOption } from '@graphpe/spectral';
import type { MetricName } from '../metrics/index.js';
import {
  type FeaturizeResult,
  featurizeSmiles,
  type OnInvalid,
  type RowError,
  resolveFeaturizer,
  rowErrorsToError,
} from './featurize.js';
import type { Featurizer, FeaturizerName } from './featurizer.js';
import type { MolGraph } from './mol-graph.js';
import type { Splits } from './splits.js';

/** Prediction task of a dataset. */
export type TaskType = 'regression' | 'binary' | 'multitask-binary';

/** A molecular dataset: SMILES, targets (NaN = missing), splits and, when featurized, graphs. */
export interface MolDataset {
  readonly name: string;
  readonly task: TaskType;
  /** Its usual test metric (`rocauc`: mean over tasks for multi-task sets). */
  readonly metric: MetricName;
  readonly smiles: string[];
  readonly taskNames: string[];
  readonly numTasks: number;
  /** n × numTasks, row-major; NaN where a label is missing. */
  readonly targets: Float32Array;
  /** n × numTasks, 1 where the label is present. */
  readonly mask: Uint8Array;
  /** Row indices into this dataset (after `limit`/skips). */
  readonly splits: Splits;
  /** One graph per row when a featurizer was used. */
  readonly graphs?: MolGraph[];
  readonly featurizer?: FeaturizerName;
  /** Source-file row of each entry. */
  readonly rows: Int32Array;
  /** Rows dropped with `onInvalid: 'skip'` and why. */
  readonly skipped: number;
  readonly errors: RowError[];
  /** The file(s) read. */
  readonly source: string;
  /** Per-row domain id (DrugOOD). */
  readonly domains?: Int32Array;
}

/** Options of `loadDataset` and the file loaders. */
export interface LoadOptions {
  /** Root of the datasets [`GRAPHPE_DATA_DIR`, else `~/.cache/graphpe`]. */
  dataDir?: string;
  /** Featurizer for `graphs` [the dataset's default: `zinc` for ZINC, `ogb` otherwise]; `false` for none. */
  featurizer?: FeaturizerName | Featurizer | false;
  /** Bad rows fail the load (`'error'`, default) or are dropped and counted (`'skip'`). */
  onInvalid?: OnInvalid;
  /** Keep only the first `limit` rows (splits restricted to them). */
  limit?: number;
  /** Featurization progress. */
  onProgress?: (done: number, total: number) => void;
}

/** What a loader reads before the common finishing step. */
export interface RawDataset {
  readonly name: string;
  readonly task: TaskType;
  readonly metric: MetricName;
  readonly smiles: string[];
  readonly taskNames: string[];
  readonly targets: Float32Array;
  readonly splits: Splits;
  readonly source: string;
  readonly domains?: Int32Array;
}

function subsetSplits(splits: Splits, map: Int32Array): Splits {
  const out: Record<string, Int32Array> = {};
  for (const [k, idx] of Object.entries(splits)) {
    const kept: number[] = [];
    for (const i of idx) if (i < map.length && map[i] >= 0) kept.push(map[i]);
    out[k] = Int32Array.from(kept);
  }
  return out as unknown as Splits;
}

/** Apply `limit`, featurize (when asked) and drop skipped rows consistently across every array. */
export async function finishDataset(
  raw: RawDataset,
  options: LoadOptions,
  defaultFeaturizer: FeaturizerName,
): Promise<MolDataset> {
  const T = raw.taskNames.length;
  let n = raw.smiles.length;
  if (options.limit !== undefined) {
    checkOption(
      Number.isInteger(options.limit) && options.limit >= 0,
      'gnn.loadDataset',
      'limit must be an integer ≥ 0',
      options.limit,
    );
    n = Math.min(n, options.limit);
  }
  const featurizer = options.featurizer === undefined ? defaultFeaturizer : options.featurizer;
  const smiles = raw.smiles.slice(0, n);
  let featurized: FeaturizeResult | undefined;
  if (featurizer !== false) {
    featurized = await featurizeSmiles(smiles, resolveFeaturizer(featurizer), {
      onInvalid: 'skip',
      onProgress: options.onProgress,
    });
    if (featurized.errors.length > 0 && (options.onInvalid ?? 'error') === 'error') {
      throw rowErrorsToError(`gnn.loadDataset('${raw.name}')`, featurized.errors);
    }
  }
  const rows = featurized ? featurized.rows : Int32Array.from({ length: n }, (_, i) => i);
  const map = new Int32Array(n).fill(-1);
  for (let k = 0; k < rows.length; k++) map[rows[k]] = k;
  const m = rows.length;
  const targets = new Float32Array(m * T);
  const mask = new Uint8Array(m * T);
  for (let k = 0; k < m; k++) {
    for (let t = 0; t < T; t++) {
      const v = raw.targets[rows[k] * T + t];
      targets[k * T + t] = v;
      mask[k * T + t] = Number.isNaN(v) ? 0 : 1;
    }
  }
  const domains = raw.domains ? Int32Array.from(rows, (r) => raw.domains![r]) : undefined;
  return {
    name: raw.name,
    task: raw.task,
    metric: raw.metric,
    smiles: Array.from(rows, (r) => smiles[r]),
    taskNames: raw.taskNames,
    numTasks: T,
    targets,
    mask,
    splits: subsetSplits(raw.splits, map),
    graphs: featurized?.graphs,
    featurizer: featurizer === false ? undefined : resolveFeaturizer(featurizer).name,
    rows,
    skipped: featurized?.skipped ?? 0,
    errors: featurized?.errors ?? [],
    source: raw.source,
    domains,
  };
}
