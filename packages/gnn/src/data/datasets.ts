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

/**
 * SHA-256 of the files OGB's `csv_mol_download/<folder>.zip` unpacks to, for the datasets whose files were
 * compared byte for byte with a copy of OGB's own (the files the `ogb` package unpacks).
 */
const OGB_MEMBER_SHA256: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  esol: {
    'mapping/mol.csv.gz': '9d35028b2adf47376c1a74d89bb1f21aa584605d17eca8193b37b0c88ef2515d',
    'split/scaffold/train.csv.gz': '07a08a743001b8faa61ffb62130ac60e4f89355912fd798da7a471e233cb5d1b',
    'split/scaffold/valid.csv.gz': 'fc4ddf102e27ab6436128e151dc1e83c9f2cf2be3e8c4007543dcf97bd13ff53',
    'split/scaffold/test.csv.gz': '3a2367389a4d0f2d3cada1ba19d82c83edcb4db58bd564273b14b8a33749cde2',
  },
  freesolv: {
    'mapping/mol.csv.gz': '81d2ed64f4366ba1459e4cdb697c080b14e220b73074380ee968b35ed65e175d',
    'split/scaffold/train.csv.gz': '6fbefde21d5380762445203528e5d8f4cee22b2ca57c40047a679c5528f48e83',
    'split/scaffold/valid.csv.gz': 'b5c18ff6c6974d6da6f3567ba4eebc9c66f5670b93ea12e0a7bb4f6b82c16bda',
    'split/scaffold/test.csv.gz': '03bd483c8c2b4997aa560dd9e2c201faacb1768fb6411df7cfc5b96959e73a6d',
  },
  bbbp: {
    'mapping/mol.csv.gz': '7ec2b3b15450d30547e0f9ce2e17d1ba88f43f71e2a5a4e9df69bbb03c34c5c7',
    'split/scaffold/train.csv.gz': 'e1ae77b817d05b63af3ec5aa7ab1e170ebebc0849cb7712fe11b29a48999cc75',
    'split/scaffold/valid.csv.gz': '0b20d30453c99a703a672e0c023bea9e198315db3c92c094cfc610b9853b8ca6',
    'split/scaffold/test.csv.gz': '2561d4164f8e33163d6484bcce005578b7a3de3b00b4630c072bf56219a21451',
  },
  bace: {
    'mapping/mol.csv.gz': '7a7aed697887bbd1ddcca1aa9e83d069d39e09d800e5961d20b80f1704ba86b5',
    'split/scaffold/train.csv.gz': '5f20fb296650872fc91d8af37ed3afdd6d4cd32b52e53763d543bf1b6aa89b26',
    'split/scaffold/valid.csv.gz': 'f06cb03da9a5f5609c4600f1e01148eb54779351086aede3305643335657bd66',
    'split/scaffold/test.csv.gz': '8e6ede054b28f5953912996c1d59c0d8b0c7ef252b3f2679c251d205c8438755',
  },
};

/**
 * One file of a multi-file download: the name a mirror (`--url <base>`) holds it under, its public
 * original, and the SHA-256 of its content (after gunzip when `gzip`) when established.
 */
export interface DownloadSource {
  /** File name under a mirror's base address. */
  readonly file: string;
  /** The public original. */
  readonly url: string;
  /** SHA-256 (hex) of the content: the bytes as served, or gunzipped when `gzip`. */
  readonly sha256?: string;
  /** The file is gzip-compressed (the check is on its decompressed content). */
  readonly gzip?: boolean;
}

const DDVAE_ZINC =
  'https://raw.githubusercontent.com/insilicomedicine/DD-VAE/13498d098bae2c8177abec61ab80d8b618d274f3/data/zinc/';
const BENCHMARKING_GNNS_MOLECULES =
  'https://raw.githubusercontent.com/graphdeeplearning/benchmarking-gnns/b6c407712fa576e9699555e1e035d1e327ccae6c/data/molecules/';

/**
 * ZINC-full's SMILES (the junction-tree VAE's train/valid/test.txt, gzipped by DD-VAE; the SHA-256 is of the
 * text, whose git blob ids are those of `wengong-jin/icml18-jtnn` data/zinc/*.txt) and the benchmark's stored
 * targets (PyTorch Geometric's ZINC archive; no checksum established, every molecule is checked against its
 * SMILES instead).
 */
const ZINC_FULL_SOURCES: readonly DownloadSource[] = [
  {
    file: 'train.csv.gz',
    url: `${DDVAE_ZINC}train.csv.gz`,
    gzip: true,
    sha256: 'a3b0ec77d45a6d5cc6884532145de6fc310f4a6da77d25babcd9449e03a027c7',
  },
  {
    file: 'valid.csv.gz',
    url: `${DDVAE_ZINC}valid.csv.gz`,
    gzip: true,
    sha256: 'ad7d9c2bfebd93ffda6c32ed0e89d1714ae1f592f6340c0e6ae057521bbae30d',
  },
  {
    file: 'test.csv.gz',
    url: `${DDVAE_ZINC}test.csv.gz`,
    gzip: true,
    sha256: '31f6ce92914814db33bf0dbfc45f3836193e27cb80a59c54d88bc05a1f5fab83',
  },
  { file: 'molecules.zip', url: 'https://www.dropbox.com/s/feo9qle74kg48gy/molecules.zip?dl=1' },
];

/** ZINC-full's sources and benchmarking-gnns' subset indices (verbatim files, SHA-256 of their bytes). */
const ZINC_SUBSET_SOURCES: readonly DownloadSource[] = [
  ...ZINC_FULL_SOURCES,
  {
    file: 'train.index',
    url: `${BENCHMARKING_GNNS_MOLECULES}train.index`,
    sha256: '575d6acd72ac207a95947e2bdd16411ef6fc3faa88c2f55a2c496ea43022a6d8',
  },
  {
    file: 'val.index',
    url: `${BENCHMARKING_GNNS_MOLECULES}val.index`,
    sha256: 'fe48c38157f0d38e7fc441903a143392eda080511a79e8fb8f60f5c1b0a9c164',
  },
  {
    file: 'test.index',
    url: `${BENCHMARKING_GNNS_MOLECULES}test.index`,
    sha256: '6aa50d98976044fb36089afef5b4c991b429ca1c8e009d33a0319e42a2d9b525',
  },
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
  /**
   * SHA-256 (hex) of files the archive at `url` unpacks to (relative to `<dataDir>/<folder>`, the bytes as
   * stored in the zip), when established; `fetchDataset` checks every one.
   */
  readonly memberSha256?: Readonly<Record<string, string>>;
  /** Files of a multi-file download (ZINC), fetched by `fetchDataset` and checked as listed. */
  readonly sources?: readonly DownloadSource[];
  /** How to obtain the files when there is no download. */
  readonly howToGet: string;
  /** A gzipped copy ships with the package; it is read when the data directory lacks the files. */
  readonly embedded?: boolean;
}

interface Entry extends DatasetInfo {
  read(dataDir: string): RawDataset;
}

const zincHow = (name: string) =>
  `run \`graphpe datasets fetch ${name}\` (the junction-tree VAE SMILES, benchmarking-gnns' subset indices and PyTorch Geometric's stored targets, checked and joined into a CSV with columns split, smiles, y), or place such a CSV there`;

function zincEntry(
  name: string,
  file: string,
  split: string,
  sources: readonly DownloadSource[],
  embedded = false,
): Entry {
  return {
    name,
    embedded,
    sources,
    task: 'regression',
    metric: 'mae',
    numTasks: 1,
    folder: 'zinc',
    files: [`zinc/${file}`],
    defaultFeaturizer: 'zinc',
    split,
    howToGet: zincHow(name),
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
    ...(OGB_MEMBER_SHA256[folder] ? { memberSha256: OGB_MEMBER_SHA256[folder] } : {}),
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
  zincEntry('zinc', 'zinc12k.csv', 'official 10k/1k/1k', ZINC_SUBSET_SOURCES, true),
  zincEntry('zinc-full', 'zinc_full.csv.gz', 'official 220,011/24,445/5,000', ZINC_FULL_SOURCES),
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
