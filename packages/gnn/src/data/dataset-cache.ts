/**
 * The preprocessing cache. An entry holds a molecule pool — the distinct SMILES of a dataset — with their
 * featurized graphs, eigenpairs and fixed PEs: one container file (container.ts) per (pool, featurizer, PE
 * config, code version) under the user cache folder (see {@link defaultCacheDir}), read back as typed-array
 * views without touching RDKit. Targets, splits and domains are not cached: they are read from the
 * dataset's own files on every load and laid over the pool by SMILES, so datasets over the same molecules
 * share one entry (DrugOOD's assay, scaffold and size files list one pool in three orders).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PeColumn, PeLevel } from '@graphpe/encodings/batch';
import { GraphpeError } from '@graphpe/spectral';
import { CONTAINER_VERSION, readContainer, type StoredArray, writeContainer } from './container.js';
import { defaultDataDir } from './csv.js';
import type { LoadOptions, MolDataset } from './dataset.js';
import { checkDatasetFiles, datasetInfo, loadDataset, resolveDataDir } from './datasets.js';
import { defaultCacheDir } from './embedded.js';
import {
  featurizeSmiles,
  type OnInvalid,
  type RowError,
  resolveFeaturizer,
  rowErrorsToError,
} from './featurize.js';
import type { Featurizer, FeaturizerName } from './featurizer.js';
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
export const PE_CACHE_VERSION = 2;

const KIND = 'graphpe-pool-cache';

/** This package's version (part of the cache key, so a new release never reads an older release's cache). */
function packageVersion(): string {
  try {
    return JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version ?? '?';
  } catch {
    return '?';
  }
}

/**
 * The installed version of `pkg` as Node would resolve it from this package (the nearest
 * `node_modules/<pkg>/package.json` up the folder tree), `?` when not found.
 */
function dependencyVersion(pkg: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      return JSON.parse(readFileSync(join(dir, 'node_modules', pkg, 'package.json'), 'utf8')).version ?? '?';
    } catch {
      const up = dirname(dir);
      if (up === dir) return '?';
      dir = up;
    }
  }
}

/**
 * Versions of everything that computes the stored arrays: this package, the eigensolvers and PEs
 * (`@graphpe/spectral`, `@graphpe/encodings`) and the SMILES parser (`@rdkit/rdkit`). A new release of any of
 * them gets a new cache entry instead of reading arrays an older one computed.
 */
let versionsMemo: string[] | undefined;
export function cacheCodeVersions(): string[] {
  versionsMemo ??= [
    packageVersion(),
    ...['@graphpe/spectral', '@graphpe/encodings', '@rdkit/rdkit'].map((p) => `${p}@${dependencyVersion(p)}`),
  ];
  return versionsMemo;
}

/** Whether `f` is a built-in featurizer (a custom object never shares the built-ins' cache entries). */
function isBuiltinFeaturizer(f: FeaturizerName | Featurizer): boolean {
  return typeof f === 'string' || resolveFeaturizer(f.name) === f;
}

/** A featurized dataset with its spectral preprocessing. */
export interface PreparedDataset extends MolDataset, PeData {
  readonly graphs: MolGraph[];
  /** The cache file read or written (undefined when built without one). */
  readonly cacheFile?: string;
  /** Whether its molecules were read from the cache. */
  readonly fromCache: boolean;
  /** Why the cache file could not be written (read-only cache folder, …); the result is still complete. */
  readonly cacheError?: string;
}

/** A molecule pool with its preprocessing: what one cache entry holds. */
export interface PreparedPool extends PeData {
  /** The distinct SMILES, in the order of the dataset that built the entry. */
  readonly smiles: string[];
  readonly featurizer: FeaturizerName;
  /** Pool index of each graph: `graphs[j]` is molecule `smiles[molecules[j]]`; eigenpairs and PEs follow `graphs`. */
  readonly molecules: Int32Array;
  /** One graph per molecule that could be featurized. */
  readonly graphs: MolGraph[];
  /** The molecules that could not (`row`: index into `smiles`). */
  readonly errors: RowError[];
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

/** Options of {@link preparePool} and {@link poolCacheKey}. */
export interface PoolOptions extends Omit<PeDataOptions, 'onProgress'> {
  featurizer: FeaturizerName | Featurizer;
  /** Progress per phase: featurization, eigendecompositions, PEs. */
  onProgress?: (done: number, total: number, phase: 'featurize' | 'eigen' | 'pe') => void;
}

interface CacheMeta {
  kind: typeof KIND;
  version: number;
  key: string;
  featurizer: FeaturizerName;
  count: number;
  atomDim: number;
  bondDim: number;
  errors: RowError[];
  peSpec: string;
  eigen: boolean;
  pe: { name: string; level: PeLevel; rank: number; mask: boolean }[];
}

/** The distinct SMILES of `smiles`, in order of first appearance. */
export function moleculePool(smiles: readonly string[]): string[] {
  return [...new Set(smiles)];
}

/**
 * The cache key of a molecule pool: a SHA-256 over the container, cache and package versions, the featurizer,
 * PE spec, eigenpair flag and dtype, and the pool's distinct SMILES sorted — the same molecules in another
 * order have the same key.
 */
export function poolCacheKey(smiles: readonly string[], options: PoolOptions): string {
  const f = options.featurizer;
  const desc = {
    v: [CONTAINER_VERSION, PE_CACHE_VERSION, ...cacheCodeVersions()],
    featurizer: typeof f === 'string' ? f : f.name,
    pe: peSpecOf(options),
    eigen: options.eigen ?? true,
    dtype: options.dtype ?? 'float32',
  };
  const hash = createHash('sha256').update(JSON.stringify(desc));
  for (const s of moleculePool(smiles).sort()) hash.update(`${JSON.stringify(s)}\n`);
  return hash.digest('hex');
}

/** Featurize the distinct SMILES of `smiles` and compute their eigenpairs and PEs now (no cache). */
export async function preparePool(smiles: readonly string[], options: PoolOptions): Promise<PreparedPool> {
  const featurizer = resolveFeaturizer(options.featurizer);
  const pool = moleculePool(smiles);
  const progress = options.onProgress;
  const featurized = await featurizeSmiles(pool, featurizer, {
    onInvalid: 'skip',
    onProgress: progress && ((done, total) => progress(done, total, 'featurize')),
  });
  const { featurizer: _f, onProgress: _p, ...peOptions } = options;
  const data = await computePeData(
    featurized.graphs.map((g) => g.graph),
    { ...peOptions, onProgress: progress && ((done, total, phase) => progress(done, total, phase)) },
  );
  return {
    smiles: pool,
    featurizer: featurizer.name,
    molecules: featurized.rows,
    graphs: featurized.graphs,
    errors: featurized.errors,
    ...data,
  };
}

/** A pool's container arrays and meta. */
function toContainer(
  pool: PreparedPool,
  key: string,
): { meta: CacheMeta; arrays: Record<string, StoredArray> } {
  const count = pool.graphs.length;
  const sizes = new Int32Array(count);
  const numBonds = new Int32Array(count);
  let atoms = 0;
  let edges = 0;
  for (let b = 0; b < count; b++) {
    sizes[b] = pool.graphs[b].n;
    numBonds[b] = pool.graphs[b].numBonds;
    atoms += sizes[b];
    edges += 2 * numBonds[b];
  }
  const atomDim = count > 0 ? pool.graphs[0].atomDim : 0;
  const bondDim = count > 0 ? pool.graphs[0].bondDim : 0;
  const atomFeatures = new Int32Array(atoms * atomDim);
  const bondFeatures = new Int32Array(edges * bondDim);
  const edgeBond = new Int32Array(edges);
  const indices = new Int32Array(edges);
  const indptr = new Int32Array(atoms + count);
  let a = 0;
  let e = 0;
  let p = 0;
  for (const g of pool.graphs) {
    atomFeatures.set(g.atomFeatures, a * atomDim);
    bondFeatures.set(g.bondFeatures, e * bondDim);
    edgeBond.set(g.edgeBond, e);
    indices.set(g.graph.indices, e);
    indptr.set(g.graph.indptr, p);
    a += g.n;
    e += g.graph.indices.length;
    p += g.n + 1;
  }
  // SMILES as UTF-8 with the end offset of each (no separator a SMILES could contain).
  const texts = pool.smiles.map((s) => Buffer.from(s, 'utf8'));
  const smilesEnds = new Int32Array(texts.length);
  let end = 0;
  texts.forEach((t, i) => {
    end += t.length;
    smilesEnds[i] = end;
  });
  const text = Buffer.concat(texts);
  const arrays: Record<string, StoredArray> = {
    sizes,
    numBonds,
    atomFeatures,
    bondFeatures,
    edgeBond,
    indptr,
    indices,
    molecules: pool.molecules,
    smiles: new Uint8Array(text.buffer, text.byteOffset, text.byteLength),
    smilesEnds,
  };
  if (pool.eigen) {
    arrays.eigenValues = pool.eigen.values;
    arrays.eigenVectors = pool.eigen.vectors;
  }
  pool.pe.forEach((c, i) => {
    arrays[`pe${i}:data`] = c.data;
    arrays[`pe${i}:offsets`] = c.offsets;
    arrays[`pe${i}:shapes`] = c.shapes;
    if (c.mask && c.maskOffsets) {
      arrays[`pe${i}:mask`] = c.mask;
      arrays[`pe${i}:maskOffsets`] = c.maskOffsets;
    }
  });
  const meta: CacheMeta = {
    kind: KIND,
    version: PE_CACHE_VERSION,
    key,
    featurizer: pool.featurizer,
    count: pool.smiles.length,
    atomDim,
    bondDim,
    errors: pool.errors,
    peSpec: pool.peSpec,
    eigen: pool.eigen !== undefined,
    pe: pool.pe.map((c) => ({ name: c.name, level: c.level, rank: c.rank, mask: c.mask !== undefined })),
  };
  return { meta, arrays };
}

/** Write a prepared pool to `file` (`key` is stored for {@link readPoolCache}'s check). */
export function writePoolCache(file: string, pool: PreparedPool, key = ''): void {
  const { meta, arrays } = toContainer(pool, key);
  writeContainer(file, meta, arrays);
}

/**
 * Read a cache file written by {@link writePoolCache}. A file of another cache version (an older layout), a
 * foreign or inconsistent file, and with `key` a file for another key (other molecules, featurizer or PE
 * config) are `E_FILE`.
 */
export function readPoolCache(file: string, options: { key?: string; verify?: boolean } = {}): PreparedPool {
  const { meta: raw, arrays } = readContainer(file, { verify: options.verify });
  const meta = raw as CacheMeta;
  if (meta?.kind !== KIND || meta.version !== PE_CACHE_VERSION) {
    throw new GraphpeError(
      'E_FILE',
      `gnn.readPoolCache: ${file} is not a version-${PE_CACHE_VERSION} PE cache`,
      {
        file,
      },
    );
  }
  if (options.key !== undefined && meta.key !== options.key) {
    throw new GraphpeError('E_FILE', `gnn.readPoolCache: ${file} was built for another configuration`, {
      file,
    });
  }
  const i32 = (name: string) => {
    const a = arrays[name];
    if (!(a instanceof Int32Array)) {
      throw new GraphpeError('E_FILE', `gnn.readPoolCache: ${file} has no int32 array '${name}'`, { file });
    }
    return a;
  };
  const sizes = i32('sizes');
  const numBonds = i32('numBonds');
  const molecules = i32('molecules');
  const smilesEnds = i32('smilesEnds');
  const count = sizes.length;
  if (
    numBonds.length !== count ||
    molecules.length !== count ||
    smilesEnds.length !== meta.count ||
    molecules.some((m) => m < 0 || m >= meta.count)
  ) {
    throw new GraphpeError('E_FILE', `gnn.readPoolCache: ${file} is inconsistent (array lengths)`, { file });
  }
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
  const bytes = arrays.smiles as Uint8Array;
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const smiles: string[] = new Array(meta.count);
  for (let i = 0, start = 0; i < meta.count; start = smilesEnds[i], i++) {
    smiles[i] = text.toString('utf8', start, smilesEnds[i]);
  }
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
    smiles,
    featurizer: meta.featurizer,
    molecules,
    graphs,
    errors: meta.errors,
    eigen,
    pe,
    peSpec: meta.peSpec,
  };
}

/** Eigenpairs of the graphs `sel` (views on the same arrays: only sizes and offsets are gathered). */
function gatherEigen(e: MolEigen, sel: Int32Array): MolEigen {
  const vectorOffsets =
    e.vectorOffsets instanceof Float64Array ? new Float64Array(sel.length) : new Int32Array(sel.length);
  sel.forEach((j, k) => {
    vectorOffsets[k] = e.vectorOffsets[j];
  });
  return {
    laplacian: e.laplacian,
    sizes: Int32Array.from(sel, (j) => e.sizes[j]),
    valueOffsets: Int32Array.from(sel, (j) => e.valueOffsets[j]),
    vectorOffsets,
    values: e.values,
    vectors: e.vectors,
  };
}

/** A PE column of the graphs `sel`, packed anew (a PE column's offsets are consecutive). */
function gatherColumn(c: PeColumn, sel: Int32Array): PeColumn {
  const count = sel.length;
  let total = 0;
  let maskTotal = 0;
  for (const j of sel) {
    total += c.offsets[j + 1] - c.offsets[j];
    if (c.maskOffsets) maskTotal += c.maskOffsets[j + 1] - c.maskOffsets[j];
  }
  const data = c.data instanceof Float32Array ? new Float32Array(total) : new Float64Array(total);
  const offsets = total < 2 ** 31 ? new Int32Array(count + 1) : new Float64Array(count + 1);
  const shapes = new Int32Array(count * c.rank);
  const withMask = c.mask !== undefined && c.maskOffsets !== undefined;
  const mask = withMask ? new Uint8Array(maskTotal) : undefined;
  const maskOffsets = withMask
    ? maskTotal < 2 ** 31
      ? new Int32Array(count + 1)
      : new Float64Array(count + 1)
    : undefined;
  let d = 0;
  let m = 0;
  for (let k = 0; k < count; k++) {
    const j = sel[k];
    offsets[k] = d;
    data.set(c.data.subarray(c.offsets[j], c.offsets[j + 1]), d);
    d += c.offsets[j + 1] - c.offsets[j];
    shapes.set(c.shapes.subarray(j * c.rank, (j + 1) * c.rank), k * c.rank);
    if (mask && maskOffsets && c.mask && c.maskOffsets) {
      maskOffsets[k] = m;
      mask.set(c.mask.subarray(c.maskOffsets[j], c.maskOffsets[j + 1]), m);
      m += c.maskOffsets[j + 1] - c.maskOffsets[j];
    }
  }
  offsets[count] = d;
  if (maskOffsets) maskOffsets[count] = m;
  return { name: c.name, level: c.level, rank: c.rank, data, offsets, shapes, mask, maskOffsets };
}

function subsetSplits(splits: Splits, map: Int32Array): Splits {
  const out: Record<string, Int32Array> = {};
  const seen = new Map<Int32Array, Int32Array>();
  for (const [k, idx] of Object.entries(splits)) {
    let kept = seen.get(idx);
    if (!kept) {
      const rows: number[] = [];
      for (const i of idx) if (i < map.length && map[i] >= 0) rows.push(map[i]);
      kept = Int32Array.from(rows);
      seen.set(idx, kept);
    }
    out[k] = kept;
  }
  return out as unknown as Splits;
}

/**
 * A dataset laid over a pool that holds its molecules (by SMILES): each row gets its molecule's graph,
 * eigenpairs and PEs; rows whose molecule could not be featurized are an error naming them (`onInvalid:
 * 'error'`, default) or dropped and counted (`'skip'`). `dataset`'s own graphs, if any, are not used. A pool
 * that lacks one of the molecules is `E_FILE`.
 */
export function poolDataset(
  dataset: MolDataset,
  pool: PreparedPool,
  options: { onInvalid?: OnInvalid } = {},
): PreparedDataset {
  const where = `gnn.loadDataset('${dataset.name}')`;
  const position = new Map<string, number>(pool.smiles.map((s, i) => [s, i]));
  const graphOf = new Int32Array(pool.smiles.length).fill(-1);
  pool.molecules.forEach((p, j) => {
    graphOf[p] = j;
  });
  const failed = new Map(pool.errors.map((e) => [e.row, e]));
  const n = dataset.smiles.length;
  const keep: number[] = [];
  const sel: number[] = [];
  const errors: RowError[] = [];
  for (let i = 0; i < n; i++) {
    const s = dataset.smiles[i];
    const p = position.get(s);
    if (p === undefined) {
      throw new GraphpeError('E_FILE', `${where}: the cached pool has no molecule '${s}' (row ${i})`, {
        row: i,
      });
    }
    const j = graphOf[p];
    if (j >= 0) {
      keep.push(i);
      sel.push(j);
      continue;
    }
    const e = failed.get(p);
    errors.push({
      row: dataset.rows[i] ?? i,
      smiles: s,
      reason: e?.reason ?? 'not featurized',
      code: e?.code ?? 'E_SMILES',
    });
  }
  if (errors.length > 0 && (options.onInvalid ?? 'error') === 'error') throw rowErrorsToError(where, errors);
  const m = keep.length;
  const T = dataset.numTasks;
  const map = new Int32Array(n).fill(-1);
  keep.forEach((i, k) => {
    map[i] = k;
  });
  const targets = new Float32Array(m * T);
  const mask = new Uint8Array(m * T);
  keep.forEach((i, k) => {
    targets.set(dataset.targets.subarray(i * T, (i + 1) * T), k * T);
    mask.set(dataset.mask.subarray(i * T, (i + 1) * T), k * T);
  });
  const picked = Int32Array.from(sel);
  const identity = m === pool.graphs.length && sel.every((j, k) => j === k);
  return {
    name: dataset.name,
    task: dataset.task,
    metric: dataset.metric,
    smiles: keep.map((i) => dataset.smiles[i]),
    taskNames: dataset.taskNames,
    numTasks: T,
    targets,
    mask,
    splits: subsetSplits(dataset.splits, map),
    graphs: identity ? pool.graphs : sel.map((j) => pool.graphs[j]),
    featurizer: pool.featurizer,
    rows: Int32Array.from(keep, (i) => dataset.rows[i] ?? i),
    skipped: dataset.skipped + errors.length,
    errors: [...dataset.errors, ...errors],
    source: dataset.source,
    domains: dataset.domains ? Int32Array.from(keep, (i) => (dataset.domains as Int32Array)[i]) : undefined,
    eigen: pool.eigen && (identity ? pool.eigen : gatherEigen(pool.eigen, picked)),
    pe: identity ? pool.pe : pool.pe.map((c) => gatherColumn(c, picked)),
    peSpec: pool.peSpec,
    fromCache: false,
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
 * Pools read or written by this process, by cache file (with the file's size and mtime then), so that
 * datasets over one pool share its arrays.
 */
const poolsInMemory = new Map<string, { key: string; stamp: string; pool: WeakRef<PreparedPool> }>();
/** Keeps a loaded dataset's pool alive as long as the dataset (the map above holds weak references). */
const poolOfDataset = new WeakMap<PreparedDataset, PreparedPool>();

function stampOf(file: string): string {
  try {
    const s = statSync(file);
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return '';
  }
}

function remember(file: string, key: string, pool: PreparedPool): void {
  poolsInMemory.set(file, { key, stamp: stampOf(file), pool: new WeakRef(pool) });
}

/**
 * The pool of `file` for `key`: the one this process holds while the file is unchanged, else read from the
 * file; undefined when absent, stale or corrupt.
 */
function cachedPool(file: string, key: string): PreparedPool | undefined {
  const stamp = stampOf(file);
  if (stamp === '') return undefined;
  const held = poolsInMemory.get(file);
  const pool = held?.key === key && held.stamp === stamp ? held.pool.deref() : undefined;
  if (pool) return pool;
  try {
    const read = readPoolCache(file, { key });
    remember(file, key, read);
    return read;
  } catch (err) {
    if (err instanceof GraphpeError && err.code === 'E_FILE') return undefined; // corrupt or stale: rebuilt
    throw err;
  }
}

function attach(dataset: PreparedDataset, pool: PreparedPool): PreparedDataset {
  poolOfDataset.set(dataset, pool);
  return dataset;
}

/**
 * A registered dataset with its preprocessing: `await loadPreparedDataset('zinc', { rwseSteps: 20 })`. Its
 * targets and splits are read from its files; its molecules' graphs, eigenpairs and PEs come from the cache
 * entry of its molecule pool when one exists (whichever dataset wrote it), else are computed and written
 * there.
 */
export async function loadPreparedDataset(
  name: string,
  options: PreparedOptions = {},
): Promise<PreparedDataset> {
  const dataDir = resolveDataDir(name, options.dataDir ?? defaultDataDir());
  checkDatasetFiles(name, dataDir);
  const info = datasetInfo(name);
  const featurizer = options.featurizer === undefined ? info.defaultFeaturizer : options.featurizer;
  if (featurizer === false) {
    throw new GraphpeError(
      'E_OPTION',
      `gnn.loadPreparedDataset('${name}'): featurizer false leaves no graphs to prepare (use loadDataset)`,
    );
  }
  const loadOpts: LoadOptions = { dataDir, featurizer: false };
  if (options.limit !== undefined) loadOpts.limit = options.limit;
  const dataset = await loadDataset(name, loadOpts);
  const { dataDir: _d, cacheDir: _c, rebuild: _r, limit: _l, onInvalid: _o, ...rest } = options;
  const poolOpts: PoolOptions = { ...rest, featurizer };
  const key = poolCacheKey(dataset.smiles, poolOpts);
  const fname = typeof featurizer === 'string' ? featurizer : featurizer.name;
  const file = join(
    options.cacheDir ?? defaultCacheDir(),
    `${info.folder}-${fname}-${key.slice(0, 16)}.gpec`,
  );
  const invalid = { onInvalid: options.onInvalid };
  if (!isBuiltinFeaturizer(featurizer)) {
    // A custom featurizer is known only by the built-in name it carries: computed, never cached.
    const pool = await preparePool(dataset.smiles, poolOpts);
    return attach({ ...poolDataset(dataset, pool, invalid), fromCache: false }, pool);
  }
  if (!options.rebuild) {
    const cached = cachedPool(file, key);
    if (cached) {
      try {
        return attach({ ...poolDataset(dataset, cached, invalid), cacheFile: file, fromCache: true }, cached);
      } catch (err) {
        if (!(err instanceof GraphpeError && err.code === 'E_FILE')) throw err;
        // a pool without this dataset's molecules under its key: rebuilt below
      }
    }
  }
  const pool = await preparePool(dataset.smiles, poolOpts);
  let cacheError: string | undefined;
  try {
    writePoolCache(file, pool, key);
    remember(file, key, pool);
  } catch (err) {
    cacheError = `cannot write ${file}: ${(err as Error).message}`;
  }
  const prepared = poolDataset(dataset, pool, invalid);
  return attach(
    cacheError === undefined ? { ...prepared, cacheFile: file } : { ...prepared, cacheError },
    pool,
  );
}

/** `bytes` as kB / MB / GB (decimal units). */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(2)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${(bytes / 1e3).toFixed(1)} kB`;
}

function fileBytes(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/**
 * One log line on the cache entries behind some prepared datasets: `cache: <folder> (hit, 12.3 MB)`,
 * `(written, …)` or `(2 entries: 1 written, 1 hit, …)`, with the folder's total when it holds other entries
 * too, and `not written: <why>` when an entry could not be written. Null when none went through the cache.
 */
export function cacheSummary(
  datasets: readonly Pick<PreparedDataset, 'cacheFile' | 'fromCache' | 'cacheError'>[],
): string | null {
  const written = new Map<string, boolean>();
  const errors: string[] = [];
  for (const d of datasets) {
    if (d.cacheError !== undefined) errors.push(d.cacheError);
    else if (d.cacheFile !== undefined)
      written.set(d.cacheFile, (written.get(d.cacheFile) ?? false) || !d.fromCache);
  }
  if (written.size === 0) return errors.length > 0 ? `cache: not written (${errors[0]})` : null;
  const files = [...written.keys()];
  const dir = dirname(files[0]);
  let bytes = 0;
  for (const f of files) bytes += fileBytes(f);
  const nWritten = [...written.values()].filter(Boolean).length;
  const nHit = files.length - nWritten;
  const what =
    files.length === 1
      ? nWritten === 1
        ? 'written'
        : 'hit'
      : `${files.length} entries: ${[
          nWritten > 0 ? `${nWritten} written` : '',
          nHit > 0 ? `${nHit} hit${nHit === 1 ? '' : 's'}` : '',
        ]
          .filter((x) => x !== '')
          .join(', ')}`;
  let others = '';
  try {
    const all = readdirSync(dir).filter((f) => f.endsWith('.gpec'));
    if (all.length > files.length) {
      let total = 0;
      for (const f of all) total += fileBytes(join(dir, f));
      others = `; ${all.length} entries, ${formatBytes(total)} in the folder`;
    }
  } catch {
    // an unreadable folder: no total
  }
  const failed = errors.length > 0 ? `; not written: ${errors[0]}` : '';
  return `cache: ${dir} (${what}, ${formatBytes(bytes)}${others}${failed})`;
}
