/**
 * The dataset registry: every dataset of packages/gnn/README.md ("Data") by name, read from
 * `GRAPHPE_DATA_DIR` (default `~/.cache/graphpe`). `listDatasets()` describes them;
 * `loadDataset(name, options)` reads, featurizes and splits one. A missing file is an `E_DATASET` error naming the path looked at and how to
 * obtain it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { GraphpeError } from '@graphpe/spectral';
import type { MetricName } from '../metrics/index.js';
import { defaultDataDir } from './csv.js';
import {
  finishDataset,
  type LoadOptions,
  type MolDataset,
  type RawDataset,
  type TaskType,
} from './dataset.js';
import { embeddedDataDir } from './embedded.js';
import type { FeaturizerName } from './featurizer.js';
import { readDrugOodFile, readOgbFolder, readSmilesCsv, readSplitFolder } from './loaders.js';

/** Public OGB download of a MoleculeNet set (`<folder>.zip` unpacks to `<folder>/mapping`, `<folder>/split`). */
export const OGB_DOWNLOAD_BASE = 'https://snap.stanford.edu/ogb/data/graphproppred/csv_mol_download/';

/** The files an OGB archive must hold, relative to the dataset folder. */
export const OGB_ARCHIVE_FILES: readonly string[] = [
  'mapping/mol.csv.gz',
  ...['train', 'valid', 'test'].map((s) => `split/scaffold/${s}.csv.gz`),
];

/** A registry entry. */
export interface DatasetInfo {
  readonly name: string;
  readonly task: TaskType;
  readonly metric: MetricName;
  readonly numTasks: number;
  /** Folder under the data directory. */
  readonly folder: string;
  /** Files the loader reads, relative to the data directory. */
  readonly files: readonly string[];
  readonly defaultFeaturizer: FeaturizerName;
  /** The split the loader returns. */
  readonly split: string;
  /** Public download (OGB zip) when there is one. */
  readonly url?: string;
  /** SHA-256 (hex) of the archive at `url`, when established; `fetchDataset` checks it. */
  readonly sha256?: string;
  /** Files the archive at `url` must hold, relative to `<dataDir>/<folder>`. */
  readonly archiveFiles?: readonly string[];
  /** How to obtain the files when there is no download. */
  readonly howToGet: string;
  /** A gzipped copy ships with the package; it is read when the data directory lacks the files. */
  readonly embedded?: boolean;
}

interface Entry extends DatasetInfo {
  read(dataDir: string): RawDataset;
}

const ZINC_HOW =
  'the ZINC benchmark with SMILES (benchmarking-gnns subset order + JT-VAE SMILES; columns split, smiles, y) — see the zinc/SOURCE.md of the graphpe datasets folder';

function zincEntry(name: string, file: string, split: string, embedded = false): Entry {
  return {
    name,
    embedded,
    task: 'regression',
    metric: 'mae',
    numTasks: 1,
    folder: 'zinc',
    files: [`zinc/${file}`],
    defaultFeaturizer: 'zinc',
    split,
    howToGet: ZINC_HOW,
    read: (dir) => {
      const raw = readSmilesCsv(existingFile(join(dir, 'zinc', file)) ?? join(dir, 'zinc', file), {
        smilesCol: 'smiles',
        targetCol: 'y',
        splitCol: 'split',
        name,
        task: 'regression',
        metric: 'mae',
      });
      return raw;
    },
  };
}

function ogbEntry(name: string, folder: string, task: TaskType, metric: MetricName, numTasks: number): Entry {
  const url = `${OGB_DOWNLOAD_BASE}${folder}.zip`;
  return {
    name,
    task,
    metric,
    numTasks,
    folder,
    files: [
      `${folder}/mapping/mol.csv.gz`,
      ...['train', 'valid', 'test'].map((s) => `${folder}/split/scaffold/${s}.csv.gz`),
    ],
    defaultFeaturizer: 'ogb',
    split: 'official OGB scaffold',
    url,
    archiveFiles: OGB_ARCHIVE_FILES,
    howToGet: `download ${url} and unzip it into the data directory (or run \`graphpe datasets fetch ${name}\`)`,
    read: (dir) => readOgbFolder(join(dir, folder), { name, task, metric }),
  };
}

/**
 * MoleculeNet CSV with a reproduced OGB scaffold split (`split/scaffold_reproduced`); when the folder holds
 * OGB's own layout instead (`graphpe datasets fetch`), that is read with the official split.
 */
function moleculeNetEntry(
  name: string,
  folder: string,
  file: string,
  targetCols: readonly string[],
  task: TaskType,
  metric: MetricName,
  ogbZip: string,
): Entry {
  const url = `${OGB_DOWNLOAD_BASE}${ogbZip}.zip`;
  return {
    name,
    task,
    metric,
    numTasks: targetCols.length,
    folder,
    files: [
      `${folder}/${file}`,
      ...['train', 'valid', 'test'].map((s) => `${folder}/split/scaffold_reproduced/${s}.csv.gz`),
    ],
    defaultFeaturizer: 'ogb',
    split: 'OGB-equivalent scaffold (reproduced)',
    url,
    archiveFiles: OGB_ARCHIVE_FILES,
    howToGet: `the MoleculeNet CSV (${file}, columns smiles, ${targetCols.join(', ')}) with split/scaffold_reproduced, or OGB's layout: download ${url} and unzip it into <dataDir>/${folder} (or run \`graphpe datasets fetch ${name}\`)`,
    read: (dir) => {
      if (existsSync(join(dir, folder, 'mapping', 'mol.csv.gz'))) {
        return readOgbFolder(join(dir, folder), { name, task, metric });
      }
      const raw = readSmilesCsv(join(dir, folder, file), {
        smilesCol: 'smiles',
        targetCols,
        name,
        task,
        metric,
      });
      return { ...raw, splits: readSplitFolder(join(dir, folder, 'split', 'scaffold_reproduced')) };
    },
  };
}

function drugOodEntry(domain: 'assay' | 'scaffold' | 'size'): Entry {
  const file = `drugood_lbap_core_ec50/lbap_core_ec50_${domain}.json.gz`;
  const name = `drugood-ec50-${domain}`;
  return {
    name,
    task: 'binary',
    metric: 'rocauc',
    numTasks: 1,
    folder: 'drugood_lbap_core_ec50',
    files: [file],
    defaultFeaturizer: 'ogb',
    split: `official DrugOOD ${domain} domain split (train, iid_val, iid_test, ood_val = valid, ood_test = test)`,
    howToGet:
      'the DrugOOD curator output lbap_core_ec50_<domain>.json (gzipped), as distributed with the DrugOOD benchmark (Ji et al., AAAI 2023; e.g. the MoleOOD repository, DrugOOD/data/ec50/)',
    read: (dir) => readDrugOodFile(join(dir, file), name),
  };
}

const TOX21_TASKS = [
  'NR-AR',
  'NR-AR-LBD',
  'NR-AhR',
  'NR-Aromatase',
  'NR-ER',
  'NR-ER-LBD',
  'NR-PPAR-gamma',
  'SR-ARE',
  'SR-ATAD5',
  'SR-HSE',
  'SR-MMP',
  'SR-p53',
];

const REGISTRY: readonly Entry[] = [
  zincEntry('zinc', 'zinc12k.csv', 'official 10k/1k/1k', true),
  zincEntry('zinc-full', 'zinc_full.csv.gz', 'official 220,011/24,445/5,000'),
  ogbEntry('ogbg-molesol', 'esol', 'regression', 'rmse', 1),
  ogbEntry('ogbg-molfreesolv', 'freesolv', 'regression', 'rmse', 1),
  ogbEntry('ogbg-molbbbp', 'bbbp', 'binary', 'rocauc', 1),
  ogbEntry('ogbg-molbace', 'bace', 'binary', 'rocauc', 1),
  moleculeNetEntry(
    'lipophilicity',
    'lipophilicity',
    'lipo.csv',
    ['lipo'],
    'regression',
    'rmse',
    'lipophilicity',
  ),
  moleculeNetEntry('tox21', 'tox21', 'tox21.csv', TOX21_TASKS, 'multitask-binary', 'rocauc', 'tox21'),
  moleculeNetEntry('hiv', 'hiv', 'HIV.csv.gz', ['HIV_active'], 'binary', 'rocauc', 'hiv'),
  drugOodEntry('assay'),
  drugOodEntry('scaffold'),
  drugOodEntry('size'),
];

/** Every registered dataset. */
export function listDatasets(): DatasetInfo[] {
  return REGISTRY.map(({ read: _read, ...info }) => info);
}

/** The registry entry of `name`; `E_DATASET` listing the known names otherwise. */
export function datasetInfo(name: string): DatasetInfo {
  const e = REGISTRY.find((d) => d.name === name);
  if (!e) {
    throw new GraphpeError(
      'E_DATASET',
      `gnn.loadDataset: unknown dataset '${name}' (known: ${REGISTRY.map((d) => d.name).join(', ')}; any SMILES CSV loads with loadSmilesCsv)`,
      { name },
    );
  }
  const { read: _read, ...info } = e;
  return info;
}

/** `path` when it exists, else `path.gz` when that exists, else null. */
export function existingFile(path: string): string | null {
  if (existsSync(path)) return path;
  return existsSync(`${path}.gz`) ? `${path}.gz` : null;
}

/** Whether `dataDir` holds a dataset's files (plain or gzipped, or a MoleculeNet set in OGB layout). */
function holds(entry: Entry, dataDir: string): boolean {
  if (
    !entry.files[0].includes('/mapping/') &&
    existsSync(join(dataDir, entry.folder, 'mapping', 'mol.csv.gz'))
  )
    return true;
  return entry.files.every((f) => existingFile(join(dataDir, f)) !== null);
}

/**
 * The folder a dataset is read from: `dataDir` when it holds the files, else the copy shipped with the
 * package for a dataset that has one (ZINC-12k), else `dataDir` (whose absence the loader reports).
 */
export function resolveDataDir(name: string, dataDir: string = defaultDataDir()): string {
  datasetInfo(name);
  const entry = REGISTRY.find((d) => d.name === name)!;
  if (holds(entry, dataDir) || !entry.embedded) return dataDir;
  const shipped = embeddedDataDir();
  return holds(entry, shipped) ? shipped : dataDir;
}

/** Throw `E_DATASET` unless the files of a dataset exist, naming the path looked at and how to get it. */
export function checkDatasetFiles(name: string, dataDir: string = defaultDataDir()): void {
  const info = datasetInfo(name);
  const entry = REGISTRY.find((d) => d.name === name)!;
  const ogbLayout = join(dataDir, info.folder, 'mapping', 'mol.csv.gz');
  if (!info.files[0].includes('/mapping/') && existsSync(ogbLayout)) return; // OGB layout of a MoleculeNet set
  for (const f of entry.files) {
    const path = join(dataDir, f);
    if (!existingFile(path)) {
      throw new GraphpeError(
        'E_DATASET',
        `gnn.loadDataset('${name}'): ${path} not found (data directory ${dataDir}, from ${process.env.GRAPHPE_DATA_DIR ? 'GRAPHPE_DATA_DIR' : 'the default ~/.cache/graphpe; set GRAPHPE_DATA_DIR to change it'}). To get it: ${info.howToGet}.`,
        { name, path, dataDir, url: info.url },
      );
    }
  }
}

/**
 * Load a registered dataset: `await loadDataset('zinc', { featurizer: 'zinc' })`. Reads the files under
 * `dataDir`, featurizes (unless `featurizer: false`) and returns targets (n × T, NaN missing) and the
 * dataset's split.
 */
export async function loadDataset(name: string, options: LoadOptions = {}): Promise<MolDataset> {
  const dataDir = resolveDataDir(name, options.dataDir ?? defaultDataDir());
  const info = datasetInfo(name);
  checkDatasetFiles(name, dataDir);
  const raw = REGISTRY.find((d) => d.name === name)!.read(dataDir);
  return finishDataset(raw, options, info.defaultFeaturizer);
}
