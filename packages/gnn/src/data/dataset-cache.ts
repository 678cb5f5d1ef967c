/**
 * The preprocessing cache: a featurized dataset (graphs, targets, splits, SMILES) plus its eigenpairs and
 * fixed PEs, stored once per (dataset, featurizer, PE config, source files) as one container file under
 * the user cache folder (see {@link defaultCacheDir}; container.ts) and read back as typed-array views without touching RDKit.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { PeColumn, PeLevel } from '@graphpe/encodings/batch';
import { GraphpeError } from '@graphpe/spectral';
import { CONTAINER_VERSION, readContainer, type StoredArray, writeContainer } from './container.js';
import { defaultDataDir, fileExists } from './csv.js';
import type { LoadOptions, MolDataset } from './dataset.js';
import { checkDatasetFiles, datasetInfo, existingFile, loadDataset, resolveDataDir } from './datasets.js';
import { defaultCacheDir } from './embedded.js';
import type { FeaturizerName } from './featurizer.js';
import type { MolGraph } from './mol-graph.js';
import {
  computePeData,
  eigenOffsets,
  type MolEigen,
  type PeData,
  type PeDataOptions,
  peSpecOf,
} from './pe-data.js';
import type { Splits } from './splits.js';

/** Bumped when what the cache stores or how it is computed changes (old files are then rebuilt). */
export const PE_CACHE_VERSION = 1;

/** This package's version (part of the cache key, so a new release never reads an older release's cache). */
function packageVersion(): string {
  try {
    return JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version ?? '?';
  } catch {
    return '?';
  }
}

/** A featurized dataset with its spectral preprocessing. */
export interface PreparedDataset extends MolDataset, PeData {
  readonly graphs: MolGraph[];
  /** The cache file read or written (undefined when built without one). */
  readonly cacheFile?: string;
  /** Whether it was read from the cache. */
  readonly fromCache: boolean;
  /** Why the cache file could not be written (read-only data directory, …); the result is still complete. */
  readonly cacheError?: string;
}

/** Options of {@link loadPreparedDataset}. */
export interface PreparedOptions extends Omit<LoadOptions, 'onProgress'>, Omit<PeDataOptions, 'onProgress'> {
  /** Progress per phase: featurization (only when the cache is built), eigendecompositions, PEs. */
  onProgress?: (done: number, total: number, phase: 'featurize' | 'eigen' | 'pe') => void;
  /** Cache folder [`GRAPHPE_CACHE_DIR`, else the user cache: `$XDG_CACHE_HOME/graphpe/cache` or `~/.cache/graphpe/cache`]. */
  cacheDir?: string;
  /** Recompute and overwrite even when a cache file exists [false]. */
  rebuild?: boolean;
}

interface CacheMeta {
  kind: 'graphpe-pe-cache';
  version: number;
  key: string;
  name: string;
  task: MolDataset['task'];
  metric: MolDataset['metric'];
  taskNames: string[];
  featurizer?: FeaturizerName;
  atomDim: number;
  bondDim: number;
  splits: string[];
  source: string;
  skipped: number;
  errors: MolDataset['errors'];
  peSpec: string;
  eigen: boolean;
  pe: { name: string; level: PeLevel; rank: number; mask: boolean }[];
}

/** Add a dataset and its preprocessing to a container's arrays and meta. */
function toContainer(
  d: PreparedDataset,
  key: string,
): { meta: CacheMeta; arrays: Record<string, StoredArray> } {
  const count = d.graphs.length;
  const sizes = new Int32Array(count);
  const numBonds = new Int32Array(count);
  let atoms = 0;
  let edges = 0;
  for (let b = 0; b < count; b++) {
    sizes[b] = d.graphs[b].n;
    numBonds[b] = d.graphs[b].numBonds;
    atoms += sizes[b];
    edges += 2 * numBonds[b];
  }
  const atomDim = count > 0 ? d.graphs[0].atomDim : 0;
  const bondDim = count > 0 ? d.graphs[0].bondDim : 0;
  const atomFeatures = new Int32Array(atoms * atomDim);
  const bondFeatures = new Int32Array(edges * bondDim);
  const edgeBond = new Int32Array(edges);
  const indices = new Int32Array(edges);
  const indptr = new Int32Array(atoms + count);
  let a = 0;
  let e = 0;
  let p = 0;
  for (const g of d.graphs) {
    atomFeatures.set(g.atomFeatures, a * atomDim);
    bondFeatures.set(g.bondFeatures, e * bondDim);
    edgeBond.set(g.edgeBond, e);
    indices.set(g.graph.indices, e);
    indptr.set(g.graph.indptr, p);
    a += g.n;
    e += g.graph.indices.length;
    p += g.n + 1;
  }
  const text = Buffer.from(d.smiles.join('\n'), 'utf8');
  const arrays: Record<string, StoredArray> = {
    sizes,
    numBonds,
    atomFeatures,
    bondFeatures,
    edgeBond,
    indptr,
    indices,
    targets: d.targets,
    mask: d.mask,
    rows: d.rows,
    smiles: new Uint8Array(text.buffer, text.byteOffset, text.byteLength),
  };
  if (d.domains) arrays.domains = d.domains;
  for (const [name, idx] of Object.entries(d.splits)) arrays[`split:${name}`] = idx;
  if (d.eigen) {
    arrays.eigenValues = d.eigen.values;
    arrays.eigenVectors = d.eigen.vectors;
  }
  d.pe.forEach((c, i) => {
    arrays[`pe${i}:data`] = c.data;
    arrays[`pe${i}:offsets`] = c.offsets;
    arrays[`pe${i}:shapes`] = c.shapes;
    if (c.mask && c.maskOffsets) {
      arrays[`pe${i}:mask`] = c.mask;
      arrays[`pe${i}:maskOffsets`] = c.maskOffsets;
    }
  });
  const meta: CacheMeta = {
    kind: 'graphpe-pe-cache',
    version: PE_CACHE_VERSION,
    key,
    name: d.name,
    task: d.task,
    metric: d.metric,
    taskNames: d.taskNames,
    featurizer: d.featurizer,
    atomDim,
    bondDim,
    splits: Object.keys(d.splits),
    source: d.source,
    skipped: d.skipped,
    errors: d.errors,
    peSpec: d.peSpec,
    eigen: d.eigen !== undefined,
    pe: d.pe.map((c) => ({ name: c.name, level: c.level, rank: c.rank, mask: c.mask !== undefined })),
  };
  return { meta, arrays };
}

/** Write a prepared dataset to `file` (`key` is stored for {@link readPeCache}'s check). */
export function writePeCache(file: string, dataset: PreparedDataset, key = ''): void {
  const { meta, arrays } = toContainer(dataset, key);
  writeContainer(file, meta, arrays);
}

/**
 * Read a cache file written by {@link writePeCache}. With `key`, a file for another key (other dataset,
 * featurizer, PE config or changed source files) is `E_FILE`.
 */
export function readPeCache(file: string, options: { key?: string; verify?: boolean } = {}): PreparedDataset {
  const { meta: raw, arrays } = readContainer(file, { verify: options.verify });
  const meta = raw as CacheMeta;
  if (meta?.kind !== 'graphpe-pe-cache' || meta.version !== PE_CACHE_VERSION) {
    throw new GraphpeError(
      'E_FILE',
      `gnn.readPeCache: ${file} is not a version-${PE_CACHE_VERSION} PE cache`,
      { file },
    );
  }
  if (options.key !== undefined && meta.key !== options.key) {
    throw new GraphpeError('E_FILE', `gnn.readPeCache: ${file} was built for another configuration`, {
      file,
    });
  }
  const i32 = (name: string) => arrays[name] as Int32Array;
  const sizes = i32('sizes');
  const numBonds = i32('numBonds');
  const count = sizes.length;
  const { atomDim, bondDim } = meta;
  const atomFeatures = i32('atomFeatures');
  const bondFeatures = i32('bondFeatures');
  const edgeBond = i32('edgeBond');
  const indptr = i32('indptr');
  const indices = i32('indices');
  let maxEdges = 0;
  for (let b = 0; b < count; b++) maxEdges = Math.max(maxEdges, 2 * numBonds[b]);
  const ones = new Float64Array(maxEdges).fill(1);
  const graphs: MolGraph[] = new Array(count);
  let a = 0;
  let e = 0;
  let p = 0;
  for (let b = 0; b < count; b++) {
    const n = sizes[b];
    const m2 = 2 * numBonds[b];
    graphs[b] = {
      n,
      numBonds: numBonds[b],
      atomDim,
      bondDim,
      atomFeatures: atomFeatures.subarray(a * atomDim, (a + n) * atomDim),
      bondFeatures: bondFeatures.subarray(e * bondDim, (e + m2) * bondDim),
      edgeBond: edgeBond.subarray(e, e + m2),
      graph: {
        n,
        indptr: indptr.subarray(p, p + n + 1),
        indices: indices.subarray(e, e + m2),
        weights: ones.subarray(0, m2),
      },
    };
    a += n;
    e += m2;
    p += n + 1;
  }
  const smiles =
    count > 0
      ? Buffer.from((arrays.smiles as Uint8Array).buffer, arrays.smiles.byteOffset, arrays.smiles.byteLength)
          .toString('utf8')
          .split('\n')
      : [];
  const splits = Object.fromEntries(meta.splits.map((s) => [s, i32(`split:${s}`)])) as unknown as Splits;
  let eigen: MolEigen | undefined;
  if (meta.eigen) {
    const { valueOffsets, vectorOffsets } = eigenOffsets(sizes);
    eigen = {
      laplacian: 'sym',
      sizes,
      valueOffsets,
      vectorOffsets,
      values: arrays.eigenValues as Float32Array | Float64Array,
      vectors: arrays.eigenVectors as Float32Array | Float64Array,
    };
  }
  const pe: PeColumn[] = meta.pe.map((c, i) => ({
    name: c.name,
    level: c.level,
    rank: c.rank,
    data: arrays[`pe${i}:data`] as Float32Array | Float64Array,
    offsets: arrays[`pe${i}:offsets`] as Int32Array | Float64Array,
    shapes: i32(`pe${i}:shapes`),
    mask: c.mask ? (arrays[`pe${i}:mask`] as Uint8Array) : undefined,
    maskOffsets: c.mask ? (arrays[`pe${i}:maskOffsets`] as Int32Array | Float64Array) : undefined,
  }));
  return {
    name: meta.name,
    task: meta.task,
    metric: meta.metric,
    smiles,
    taskNames: meta.taskNames,
    numTasks: meta.taskNames.length,
    targets: arrays.targets as Float32Array,
    mask: arrays.mask as Uint8Array,
    splits,
    graphs,
    featurizer: meta.featurizer,
    rows: i32('rows'),
    skipped: meta.skipped,
    errors: meta.errors,
    source: meta.source,
    domains: arrays.domains as Int32Array | undefined,
    eigen,
    pe,
    peSpec: meta.peSpec,
    cacheFile: file,
    fromCache: true,
  };
}

/** Featurized dataset + eigenpairs + PEs, computed now (no cache). */
export async function prepareDataset(
  dataset: MolDataset,
  options: PeDataOptions = {},
): Promise<PreparedDataset> {
  if (!dataset.graphs) {
    throw new GraphpeError(
      'E_OPTION',
      `gnn.prepareDataset: dataset '${dataset.name}' was loaded without a featurizer`,
    );
  }
  const data = await computePeData(
    dataset.graphs.map((g) => g.graph),
    options,
  );
  return { ...dataset, graphs: dataset.graphs, ...data, fromCache: false };
}

/**
 * The cache key of a registered dataset under some options: a SHA-256 over the cache and package versions, dataset name,
 * featurizer, PE spec, eigenpair flag, dtype, `limit`, `onInvalid` and the size and mtime of its source files.
 */
export function peCacheKey(name: string, options: PreparedOptions = {}): string {
  const dataDir = resolveDataDir(name, options.dataDir ?? defaultDataDir());
  const info = datasetInfo(name);
  const featurizer = options.featurizer === undefined ? info.defaultFeaturizer : options.featurizer;
  const sources = info.files
    .map((f) => existingFile(join(dataDir, f)) ?? join(dataDir, f))
    .concat([join(dataDir, info.folder, 'mapping', 'mol.csv.gz')])
    .filter((f) => fileExists(f))
    .map((f) => {
      const s = statSync(f);
      return [f, s.size, Math.round(s.mtimeMs)];
    });
  const desc = {
    v: [CONTAINER_VERSION, PE_CACHE_VERSION, packageVersion()],
    name,
    featurizer: featurizer === false ? false : typeof featurizer === 'string' ? featurizer : featurizer.name,
    pe: peSpecOf(options),
    eigen: options.eigen ?? true,
    dtype: options.dtype ?? 'float32',
    limit: options.limit ?? null,
    onInvalid: options.onInvalid ?? 'error',
    sources,
  };
  return createHash('sha256').update(JSON.stringify(desc)).digest('hex');
}

/**
 * A registered dataset with its preprocessing, from the cache folder when a matching file exists, else
 * loaded, featurized, decomposed, encoded and written there: `await loadPreparedDataset('zinc', { rwseSteps: 20 })`.
 */
export async function loadPreparedDataset(
  name: string,
  options: PreparedOptions = {},
): Promise<PreparedDataset> {
  const dataDir = resolveDataDir(name, options.dataDir ?? defaultDataDir());
  checkDatasetFiles(name, dataDir);
  const key = peCacheKey(name, { ...options, dataDir });
  const info = datasetInfo(name);
  const featurizer = options.featurizer === undefined ? info.defaultFeaturizer : options.featurizer;
  const fname = featurizer === false ? 'raw' : typeof featurizer === 'string' ? featurizer : featurizer.name;
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  const file = join(cacheDir, `${name}-${fname}-${key.slice(0, 16)}.gpec`);
  if (!options.rebuild && fileExists(file)) {
    try {
      return readPeCache(file, { key });
    } catch (err) {
      if (!(err instanceof GraphpeError && err.code === 'E_FILE')) throw err;
      // corrupt or stale: rebuild below
    }
  }
  const progress = options.onProgress;
  const dataset = await loadDataset(name, {
    ...options,
    dataDir,
    onProgress: progress && ((done, total) => progress(done, total, 'featurize')),
  });
  const prepared = await prepareDataset(dataset, options);
  try {
    writePeCache(file, prepared, key);
  } catch (err) {
    return { ...prepared, cacheError: `cannot write ${file}: ${(err as Error).message}` };
  }
  return { ...prepared, cacheFile: file };
}
