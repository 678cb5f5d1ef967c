import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { GraphpeError } from '@graphpe/spectral';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import {
  cacheSummary,
  finishDataset,
  loadDataset,
  loadPreparedDataset,
  PE_CACHE_VERSION,
  type PreparedDataset,
  poolDataset,
  prepareDataset,
  preparePool,
  readPoolCache,
  writeContainer,
} from '../src/index.js';
import { BAD, cacheFiles, drugOodDir, SMILES, tmp } from './drugood-helpers.js';

/** Every file under `dir` with its size and mtime. */
function snapshot(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else {
        const s = statSync(p);
        out.push(`${relative(dir, p)} ${s.size} ${s.mtimeMs}`);
      }
    }
  };
  walk(dir);
  return out.sort();
}

/** Row by row, `b` holds what `a` holds (graphs, eigenpairs, PE slices, targets, splits, domains). */
function expectSameRows(a: PreparedDataset, b: PreparedDataset): void {
  expect(b.smiles).toEqual(a.smiles);
  expect(Array.from(b.targets)).toEqual(Array.from(a.targets));
  expect(Array.from(b.mask)).toEqual(Array.from(a.mask));
  expect(Array.from(b.rows)).toEqual(Array.from(a.rows));
  expect(Array.from(b.domains ?? [])).toEqual(Array.from(a.domains ?? []));
  // (RDKit's parse messages carry a clock time: compared without them)
  const errs = (d: PreparedDataset) => d.errors.map((e) => [e.row, e.smiles, e.code]);
  expect([b.skipped, errs(b)]).toEqual([a.skipped, errs(a)]);
  expect(Object.keys(b.splits)).toEqual(Object.keys(a.splits));
  for (const k of Object.keys(a.splits)) expect(Array.from(b.splits[k])).toEqual(Array.from(a.splits[k]));
  expect(b.graphs).toHaveLength(a.graphs.length);
  const ea = a.eigen!;
  const eb = b.eigen!;
  a.graphs.forEach((g, r) => {
    const h = b.graphs[r];
    expect(Array.from(h.atomFeatures)).toEqual(Array.from(g.atomFeatures));
    expect(Array.from(h.bondFeatures)).toEqual(Array.from(g.bondFeatures));
    expect(Array.from(h.graph.indices)).toEqual(Array.from(g.graph.indices));
    const n = g.n;
    expect(eb.sizes[r]).toBe(n);
    const slice = (e: typeof ea, x: 'values' | 'vectors') => {
      const o = Number(x === 'values' ? e.valueOffsets[r] : e.vectorOffsets[r]);
      return Array.from(e[x].subarray(o, o + (x === 'values' ? n : n * n)));
    };
    expect(slice(eb, 'values')).toEqual(slice(ea, 'values'));
    expect(slice(eb, 'vectors')).toEqual(slice(ea, 'vectors'));
    a.pe.forEach((c, i) => {
      const d = b.pe[i]!;
      expect(Array.from(d.data.subarray(d.offsets[r], d.offsets[r + 1]))).toEqual(
        Array.from(c.data.subarray(c.offsets[r], c.offsets[r + 1])),
      );
      expect(Array.from(d.shapes.subarray(r * d.rank, (r + 1) * d.rank))).toEqual(
        Array.from(c.shapes.subarray(r * c.rank, (r + 1) * c.rank)),
      );
    });
  });
}

const OPTS = { workers: 0, rwseSteps: 4, onInvalid: 'skip' as const };

describe('preprocessing cache: one entry per molecule pool', () => {
  it('the three DrugOOD domain files share one cache file, read back row by row as computed', async () => {
    const dataDir = drugOodDir();
    const cacheDir = tmp();
    const opts = { ...OPTS, dataDir, cacheDir };
    const assay = await loadPreparedDataset('drugood-ec50-assay', opts);
    expect(assay.fromCache).toBe(false);
    const one = cacheFiles(cacheDir);
    expect(one.count).toBe(1);
    expect(assay.cacheFile).toBe(join(cacheDir, readdirSync(cacheDir)[0] as string));

    // another process (a fresh module: nothing held in memory) reads the same file for the other domains
    vi.resetModules();
    const fresh = await import('../src/index.js');
    const loaded: PreparedDataset[] = [];
    for (const name of ['drugood-ec50-scaffold', 'drugood-ec50-size']) {
      const ds = await fresh.loadPreparedDataset(name, opts);
      expect(ds.fromCache).toBe(true);
      expect(ds.cacheFile).toBe(assay.cacheFile);
      loaded.push(ds);
    }
    expect(cacheFiles(cacheDir)).toEqual(one);

    // the same rows as preprocessing each domain file on its own
    for (const ds of [assay, ...loaded]) {
      const ref = await prepareDataset(
        await loadDataset(ds.name, { dataDir, featurizer: 'ogb', onInvalid: 'skip' }),
        { workers: 0, rwseSteps: 4 },
      );
      expect(ds.skipped).toBe(1);
      expectSameRows(ref, ds);
    }
    // the domain files differ in order and split
    expect(loaded[0]!.smiles).not.toEqual(assay.smiles);
    expect(loaded[0]!.splits.train.length).not.toBe(assay.splits.train.length);
  });

  it('datasets over one pool in one process share its arrays', async () => {
    const dataDir = drugOodDir();
    const opts = { ...OPTS, dataDir, cacheDir: tmp() };
    const assay = await loadPreparedDataset('drugood-ec50-assay', opts);
    const size = await loadPreparedDataset('drugood-ec50-size', opts);
    expect(size.fromCache).toBe(true);
    expect(size.eigen!.vectors).toBe(assay.eigen!.vectors);
    const again = await loadPreparedDataset('drugood-ec50-assay', opts);
    expect(again.graphs[0]).toBe(assay.graphs[0]);
  });

  it('a molecule that cannot be featurized fails the load naming its row in that file, or is skipped', async () => {
    const dataDir = drugOodDir();
    const cacheDir = tmp();
    await loadPreparedDataset('drugood-ec50-assay', { ...OPTS, dataDir, cacheDir });
    for (const name of ['drugood-ec50-assay', 'drugood-ec50-scaffold']) {
      const plain = await loadDataset(name, { dataDir, featurizer: false });
      const row = plain.smiles.indexOf(BAD);
      const err = await loadPreparedDataset(name, { workers: 0, rwseSteps: 4, dataDir, cacheDir }).catch(
        (e) => e,
      );
      expect(err).toBeInstanceOf(GraphpeError);
      expect((err as GraphpeError).code).toBe('E_SMILES');
      expect((err as GraphpeError).message).toContain(
        `gnn.loadDataset('${name}'): 1 invalid row (row ${row} '${BAD}'`,
      );
      const skipped = await loadPreparedDataset(name, { ...OPTS, dataDir, cacheDir });
      expect(skipped.fromCache).toBe(true);
      expect(skipped.errors.map((e) => [e.row, e.smiles, e.code])).toEqual([[row, BAD, 'E_SMILES']]);
      expect(skipped.smiles).toHaveLength(SMILES.length - 1);
    }
    expect(cacheFiles(cacheDir).count).toBe(1);
  });

  it('a cache file of the previous layout at the entry path is rebuilt, not misread', async () => {
    const dataDir = drugOodDir();
    const cacheDir = tmp();
    const opts = { ...OPTS, dataDir, cacheDir };
    const first = await loadPreparedDataset('drugood-ec50-assay', opts);
    const file = first.cacheFile!;
    writeContainer(
      file,
      { kind: 'graphpe-pe-cache', version: 1, key: '' },
      { sizes: Int32Array.from([1]), numBonds: Int32Array.from([0]) },
    );
    expect(() => readPoolCache(file)).toThrow(new RegExp(`not a version-${PE_CACHE_VERSION} PE cache`));
    vi.resetModules();
    const fresh = await import('../src/index.js');
    const rebuilt = await fresh.loadPreparedDataset('drugood-ec50-assay', opts);
    expect(rebuilt.fromCache).toBe(false);
    expectSameRows(first, rebuilt);
    expect((await fresh.loadPreparedDataset('drugood-ec50-assay', opts)).fromCache).toBe(true);
  });

  it('without a cache folder set, nothing is written inside the data folder', async () => {
    const keep = {
      GRAPHPE_CACHE_DIR: process.env.GRAPHPE_CACHE_DIR,
      GRAPHPE_DATA_DIR: process.env.GRAPHPE_DATA_DIR,
      XDG_CACHE_HOME: process.env.XDG_CACHE_HOME,
      HOME: process.env.HOME,
    };
    onTestFinished(() => {
      for (const [k, v] of Object.entries(keep)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    });
    const dataDir = drugOodDir();
    const home = tmp();
    delete process.env.GRAPHPE_CACHE_DIR;
    delete process.env.XDG_CACHE_HOME;
    process.env.HOME = home;
    process.env.GRAPHPE_DATA_DIR = dataDir;
    const before = snapshot(dataDir);
    const a = await loadPreparedDataset('drugood-ec50-assay', OPTS);
    expect(
      a.cacheFile!.startsWith(join(home, '.cache', 'graphpe', 'cache', 'drugood_lbap_core_ec50-ogb-')),
    ).toBe(true);
    const xdg = tmp();
    process.env.XDG_CACHE_HOME = xdg;
    const b = await loadPreparedDataset('drugood-ec50-size', OPTS);
    expect(b.cacheFile!.startsWith(join(xdg, 'graphpe', 'cache', 'drugood_lbap_core_ec50-ogb-'))).toBe(true);
    expect(snapshot(dataDir)).toEqual(before);
  });
});

describe('poolDataset: rows laid over a pool', () => {
  it('rows that repeat a SMILES each get its molecule (graph, eigenpairs, node/graph/ragged PEs); targets and splits per row', async () => {
    const raw = {
      name: 'repeats',
      task: 'regression' as const,
      metric: 'mae' as const,
      smiles: ['CCO', 'c1ccncc1', 'CCO', 'CC(=O)O', 'c1ccncc1', 'CCO'],
      taskNames: ['y'],
      targets: Float32Array.of(1, 2, 3, 4, 5, 6),
      splits: { train: Int32Array.of(0, 1, 2), valid: Int32Array.of(3, 5), test: Int32Array.of(4) },
      source: 'memory',
    };
    const opts = { workers: 0, pe: 'lap:k=3,proj:k=2,rwse:steps=3' };
    const plain = await finishDataset(raw, { featurizer: false }, 'ogb');
    const pool = await preparePool(plain.smiles, { ...opts, featurizer: 'ogb' });
    expect(pool.smiles).toEqual(['CCO', 'c1ccncc1', 'CC(=O)O']);
    const pooled = { ...poolDataset(plain, pool), fromCache: true };
    const ref = await prepareDataset(await finishDataset(raw, { featurizer: 'ogb' }, 'ogb'), opts);
    expect(new Set(ref.pe.map((c) => c.level))).toEqual(new Set(['node', 'graph', 'ragged']));
    expect(Array.from(pooled.targets)).toEqual([1, 2, 3, 4, 5, 6]);
    expectSameRows(ref, pooled);
    ref.pe.forEach((c, i) => {
      const d = pooled.pe[i]!;
      expect(d.offsets[6]).toBe(c.offsets[6]);
      if (!c.mask || !c.maskOffsets) return;
      for (let r = 0; r < 6; r++) {
        expect(Array.from(d.mask!.subarray(d.maskOffsets![r], d.maskOffsets![r + 1]))).toEqual(
          Array.from(c.mask.subarray(c.maskOffsets[r], c.maskOffsets[r + 1])),
        );
      }
    });
  });
});

describe('cache summary', () => {
  it('one line: folder, hit or written, sizes, other entries, failures', () => {
    const dir = tmp();
    const a = join(dir, 'a.gpec');
    const b = join(dir, 'b.gpec');
    writeFileSync(a, Buffer.alloc(1500));
    writeFileSync(b, Buffer.alloc(2_500_000));
    expect(cacheSummary([])).toBeNull();
    expect(cacheSummary([{ fromCache: false }])).toBeNull();
    expect(cacheSummary([{ cacheFile: a, fromCache: true }])).toBe(
      `cache: ${dir} (hit, 1.5 kB; 2 entries, 2.5 MB in the folder)`,
    );
    // written once, then read by two more datasets: one entry, written
    expect(
      cacheSummary([
        { cacheFile: b, fromCache: false },
        { cacheFile: b, fromCache: true },
        { cacheFile: b, fromCache: true },
      ]),
    ).toBe(`cache: ${dir} (written, 2.5 MB; 2 entries, 2.5 MB in the folder)`);
    expect(
      cacheSummary([
        { cacheFile: a, fromCache: true },
        { cacheFile: b, fromCache: false },
      ]),
    ).toBe(`cache: ${dir} (2 entries: 1 written, 1 hit, 2.5 MB)`);
    expect(
      cacheSummary([
        { cacheFile: a, fromCache: true },
        { cacheFile: b, fromCache: true },
      ]),
    ).toBe(`cache: ${dir} (2 entries: 2 hits, 2.5 MB)`);
    expect(cacheSummary([{ fromCache: false, cacheError: 'cannot write /x/y.gpec: EACCES' }])).toBe(
      'cache: not written (cannot write /x/y.gpec: EACCES)',
    );
    expect(
      cacheSummary([
        { cacheFile: a, fromCache: true },
        { fromCache: false, cacheError: 'cannot write /x/y.gpec: EACCES' },
      ]),
    ).toBe(
      `cache: ${dir} (hit, 1.5 kB; 2 entries, 2.5 MB in the folder; not written: cannot write /x/y.gpec: EACCES)`,
    );
  });
});
