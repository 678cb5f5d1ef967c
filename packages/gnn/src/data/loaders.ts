/**
 * File-format loaders: any SMILES CSV (target column(s), optional split column), OGB's graph-property layout
 * (`mapping/mol.csv.gz` + `split/<name>/{train,valid,test}.csv.gz`, Hu et al., NeurIPS 2020) and DrugOOD's
 * curated JSON (`split.{train,iid_val,iid_test,ood_val,ood_test}`, Ji et al., AAAI 2023).
 */
import { basename, join } from 'node:path';
import { GraphpeError } from '@graphpe/spectral';
import type { MetricName } from '../metrics/index.js';
import { csvColumn, parseCsv, parseLabel, readIndexFile, readTextFile } from './csv.js';
import {
  finishDataset,
  type LoadOptions,
  type MolDataset,
  type RawDataset,
  type TaskType,
} from './dataset.js';
import type { FeaturizerName } from './featurizer.js';
import type { Splits } from './splits.js';

const SPLIT_ALIASES: Record<string, string> = {
  val: 'valid',
  valid: 'valid',
  validation: 'valid',
  dev: 'valid',
};

/** Options of {@link loadSmilesCsv}. */
export interface SmilesCsvOptions extends LoadOptions {
  /** SMILES column ['smiles']. */
  smilesCol?: string;
  /** One target column (shorthand for `targetCols: [targetCol]`). */
  targetCol?: string;
  /** Target columns (empty cells → NaN, masked). */
  targetCols?: readonly string[];
  /** Column holding each row's split name (`train`, `val`/`valid`, `test`, …); without it all rows go to train. */
  splitCol?: string;
  task?: TaskType;
  metric?: MetricName;
  /** Dataset name [file name]. */
  name?: string;
  /** Default featurizer ['ogb']. */
  defaultFeaturizer?: FeaturizerName;
}

/** Read a SMILES CSV into a {@link RawDataset} (no featurization). */
export function readSmilesCsv(file: string, options: SmilesCsvOptions = {}): RawDataset {
  const table = parseCsv(readTextFile(file), `gnn.loadSmilesCsv(${file})`);
  const smiles = csvColumn(table, options.smilesCol ?? 'smiles', file).map((s) => s.trim());
  const taskNames = [...(options.targetCols ?? (options.targetCol ? [options.targetCol] : []))];
  if (taskNames.length === 0) {
    throw new GraphpeError(
      'E_OPTION',
      `gnn.loadSmilesCsv: give targetCol or targetCols (columns: ${table.header.join(', ')})`,
    );
  }
  const T = taskNames.length;
  const targets = new Float32Array(table.rows * T);
  taskNames.forEach((name, t) => {
    const col = csvColumn(table, name, file);
    for (let r = 0; r < table.rows; r++) targets[r * T + t] = parseLabel(col[r], file, r, name);
  });
  let splits: Splits;
  if (options.splitCol) {
    const col = csvColumn(table, options.splitCol, file);
    const groups: Record<string, number[]> = { train: [], valid: [], test: [] };
    for (let r = 0; r < table.rows; r++) {
      const raw = col[r].trim();
      const key = SPLIT_ALIASES[raw.toLowerCase()] ?? raw.toLowerCase();
      if (!groups[key]) groups[key] = [];
      groups[key].push(r);
    }
    splits = Object.fromEntries(
      Object.entries(groups).map(([k, v]) => [k, Int32Array.from(v)]),
    ) as unknown as Splits;
  } else {
    splits = {
      train: Int32Array.from({ length: table.rows }, (_, i) => i),
      valid: new Int32Array(0),
      test: new Int32Array(0),
    };
  }
  const task = options.task ?? (T > 1 ? 'multitask-binary' : 'regression');
  return {
    name: options.name ?? basename(file),
    task,
    metric: options.metric ?? (task === 'regression' ? 'rmse' : 'rocauc'),
    smiles,
    taskNames,
    targets,
    splits,
    source: file,
  };
}

/** Load any SMILES CSV: `loadSmilesCsv('my.csv', { smilesCol: 'smiles', targetCol: 'y', splitCol: 'split' })`. */
export async function loadSmilesCsv(file: string, options: SmilesCsvOptions = {}): Promise<MolDataset> {
  return finishDataset(readSmilesCsv(file, options), options, options.defaultFeaturizer ?? 'ogb');
}

/** Read the three index files of a split folder (`train`, `valid`, `test` `.csv.gz`). */
export function readSplitFolder(folder: string): Splits {
  return {
    train: readIndexFile(join(folder, 'train.csv.gz')),
    valid: readIndexFile(join(folder, 'valid.csv.gz')),
    test: readIndexFile(join(folder, 'test.csv.gz')),
  };
}

/**
 * OGB graph-property layout: `mapping/mol.csv.gz` with columns `[task_1 … task_n], smiles, mol_id` (tasks =
 * every column before `smiles`) and `split/<split>/…`.
 */
export function readOgbFolder(
  folder: string,
  meta: { name: string; task: TaskType; metric: MetricName; split?: string },
): RawDataset {
  const file = join(folder, 'mapping', 'mol.csv.gz');
  const table = parseCsv(readTextFile(file), `gnn.loadDataset(${meta.name}): ${file}`);
  const sc = table.header.indexOf('smiles');
  if (sc < 1) {
    throw new GraphpeError(
      'E_DATASET',
      `gnn: ${file} is not an OGB mapping file (header: ${table.header.join(', ')})`,
      {
        file,
      },
    );
  }
  const taskNames = table.header.slice(0, sc);
  const T = taskNames.length;
  const targets = new Float32Array(table.rows * T);
  for (let t = 0; t < T; t++) {
    const col = table.columns[t];
    for (let r = 0; r < table.rows; r++) targets[r * T + t] = parseLabel(col[r], file, r, taskNames[t]);
  }
  return {
    name: meta.name,
    task: meta.task,
    metric: meta.metric,
    smiles: table.columns[sc].map((s) => s.trim()),
    taskNames,
    targets,
    splits: readSplitFolder(join(folder, 'split', meta.split ?? 'scaffold')),
    source: file,
  };
}

interface DrugOodItem {
  smiles: string;
  reg_label?: number;
  cls_label?: number;
  domain_id?: number;
}

/** DrugOOD split names in file order; `valid`/`test` alias `ood_val`/`ood_test` (the benchmark's model selection and main metric). */
export const DRUGOOD_SPLITS = ['train', 'iid_val', 'iid_test', 'ood_val', 'ood_test'] as const;

/**
 * DrugOOD curated JSON (`.json` or `.json.gz`): rows are the samples of `train, iid_val, iid_test, ood_val,
 * ood_test` concatenated in that order; target `cls_label` (binary) or `reg_label`.
 */
export function readDrugOodFile(
  file: string,
  name: string,
  label: 'cls_label' | 'reg_label' = 'cls_label',
): RawDataset {
  let doc: { split?: Record<string, DrugOodItem[]> };
  try {
    doc = JSON.parse(readTextFile(file));
  } catch (err) {
    if (err instanceof GraphpeError) throw err;
    throw new GraphpeError('E_PARSE', `gnn: ${file} is not valid JSON: ${(err as Error).message}`, { file });
  }
  const split = doc.split;
  if (!split || DRUGOOD_SPLITS.some((s) => !Array.isArray(split[s]))) {
    throw new GraphpeError(
      'E_DATASET',
      `gnn: ${file} is not a DrugOOD file (needs split.${DRUGOOD_SPLITS.join('/')})`,
      { file },
    );
  }
  const smiles: string[] = [];
  const values: number[] = [];
  const domains: number[] = [];
  const splits: Record<string, Int32Array> = {};
  for (const s of DRUGOOD_SPLITS) {
    const start = smiles.length;
    for (const item of split[s]) {
      smiles.push(item.smiles);
      const v = item[label];
      values.push(typeof v === 'number' ? v : Number.NaN);
      domains.push(item.domain_id ?? -1);
    }
    splits[s] = Int32Array.from({ length: smiles.length - start }, (_, i) => start + i);
  }
  return {
    name,
    task: label === 'cls_label' ? 'binary' : 'regression',
    metric: label === 'cls_label' ? 'rocauc' : 'rmse',
    smiles,
    taskNames: [label],
    targets: Float32Array.from(values),
    splits: { ...splits, valid: splits.ood_val, test: splits.ood_test } as unknown as Splits,
    source: file,
    domains: Int32Array.from(domains),
  };
}
