import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodePeBatch } from '@graphpe/encodings/batch';
import { GraphpeError, laplacianEighBatch } from '@graphpe/spectral';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import {
  crc32,
  loadPreparedDataset,
  loadSmilesCsv,
  type PreparedDataset,
  prepareDataset,
  preparePool,
  readContainer,
  readPoolCache,
  writeContainer,
  writePoolCache,
} from '../src/index.js';

const fixture = fileURLToPath(new URL('./fixtures/zinc32.csv', import.meta.url));
const tmp = () => mkdtempSync(join(tmpdir(), 'graphpe-gnn-cache-'));

function expectSameDataset(a: PreparedDataset, b: PreparedDataset): void {
  expect(b.name).toBe(a.name);
  expect(b.smiles).toEqual(a.smiles);
  expect(b.taskNames).toEqual(a.taskNames);
  expect(Array.from(b.targets)).toEqual(Array.from(a.targets));
  expect(Array.from(b.mask)).toEqual(Array.from(a.mask));
  expect(Array.from(b.rows)).toEqual(Array.from(a.rows));
  expect(Object.keys(b.splits)).toEqual(Object.keys(a.splits));
  for (const k of Object.keys(a.splits)) expect(Array.from(b.splits[k])).toEqual(Array.from(a.splits[k]));
  expect(b.graphs).toHaveLength(a.graphs.length);
  a.graphs.forEach((g, i) => {
    const h = b.graphs[i];
    expect([h.n, h.numBonds, h.atomDim, h.bondDim]).toEqual([g.n, g.numBonds, g.atomDim, g.bondDim]);
    expect(Array.from(h.atomFeatures)).toEqual(Array.from(g.atomFeatures));
    expect(Array.from(h.bondFeatures)).toEqual(Array.from(g.bondFeatures));
    expect(Array.from(h.edgeBond)).toEqual(Array.from(g.edgeBond));
    expect(Array.from(h.graph.indptr)).toEqual(Array.from(g.graph.indptr));
    expect(Array.from(h.graph.indices)).toEqual(Array.from(g.graph.indices));
    expect(Array.from(h.graph.weights)).toEqual(Array.from(g.graph.weights));
  });
  expect(b.peSpec).toBe(a.peSpec);
  expect(Array.from(b.eigen!.values)).toEqual(Array.from(a.eigen!.values));
  expect(Array.from(b.eigen!.vectors)).toEqual(Array.from(a.eigen!.vectors));
  expect(b.pe.map((c) => [c.name, c.level, c.rank])).toEqual(a.pe.map((c) => [c.name, c.level, c.rank]));
  a.pe.forEach((c, i) => {
    expect(Array.from(b.pe[i].data)).toEqual(Array.from(c.data));
    expect(Array.from(b.pe[i].offsets)).toEqual(Array.from(c.offsets));
    expect(Array.from(b.pe[i].shapes)).toEqual(Array.from(c.shapes));
  });
}

let prepared: PreparedDataset;
beforeAll(async () => {
  const d = await loadSmilesCsv(fixture, {
    targetCol: 'y',
    splitCol: 'split',
    defaultFeaturizer: 'zinc',
    name: 'zinc32',
  });
  prepared = await prepareDataset(d, { workers: 0, rwseSteps: 8 });
});

describe('container', () => {
  it('computes CRC-32 incrementally, empty views included', () => {
    const all = Uint8Array.from([1, 2, 3, 4, 5, 6, 7]);
    let c = crc32(all.subarray(0, 3));
    c = crc32(new Uint8Array(new Float64Array(0).buffer), c);
    c = crc32(all.subarray(3), c);
    expect(c).toBe(crc32(all));
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('round-trips typed arrays and meta, aligned', () => {
    const file = join(tmp(), 'c.bin');
    const arrays = {
      a: Float64Array.from([1.5, -2, Number.NaN]),
      b: Float32Array.from([0.25]),
      c: Int32Array.from([-7, 8, 9]),
      d: Uint8Array.from([1, 2, 3, 4, 5]),
      e: new Float64Array(0),
    };
    writeContainer(file, { hello: 'world' }, arrays);
    const back = readContainer(file);
    expect(back.meta).toEqual({ hello: 'world' });
    for (const [k, v] of Object.entries(arrays)) {
      expect(back.arrays[k].constructor).toBe(v.constructor);
      expect(Array.from(back.arrays[k])).toEqual(Array.from(v));
    }
  });

  it('detects corruption, truncation and foreign files (E_FILE)', () => {
    const dir = tmp();
    const file = join(dir, 'c.bin');
    writeContainer(file, {}, { x: Float64Array.from([1, 2, 3]) });
    const bytes = readFileSync(file);
    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 3] ^= 0xff;
    writeFileSync(join(dir, 'flip.bin'), flipped);
    writeFileSync(join(dir, 'cut.bin'), bytes.subarray(0, bytes.length - 8));
    writeFileSync(join(dir, 'csv.bin'), 'a,b\n1,2\n');
    for (const [name, why] of [
      ['flip.bin', /checksum/],
      ['cut.bin', /truncated/],
      ['csv.bin', /magic/],
    ] as const) {
      const err = (() => {
        try {
          readContainer(join(dir, name));
        } catch (e) {
          return e as GraphpeError;
        }
      })();
      expect(err).toBeInstanceOf(GraphpeError);
      expect(err!.code).toBe('E_FILE');
      expect(err!.message).toMatch(why);
    }
  });
});

describe('PE cache', () => {
  it('holds all eigenpairs and the PE spec outputs', () => {
    const g = prepared.graphs[3].graph;
    const ref = laplacianEighBatch([g], { laplacian: 'sym' });
    const e = prepared.eigen!;
    const vals = e.values.subarray(e.valueOffsets[3], e.valueOffsets[4]);
    expect(vals).toHaveLength(g.n);
    vals.forEach((v, i) => {
      expect(v).toBeCloseTo(ref.values[i], 5);
    });
    expect(e.vectors.subarray(Number(e.vectorOffsets[3]), Number(e.vectorOffsets[4]))).toHaveLength(
      g.n * g.n,
    );
    expect(prepared.peSpec).toMatch(/^rwse/);
    const pe = encodePeBatch(
      prepared.graphs.map((x) => x.graph),
      prepared.peSpec,
    );
    expect(Array.from(prepared.pe[0].data)).toEqual(Array.from(pe.columns[0].data));
    expect(prepared.pe[0].data).toBeInstanceOf(Float32Array);
  });

  it('round-trips a prepared pool exactly', async () => {
    const pool = await preparePool(prepared.smiles, { featurizer: 'zinc', workers: 0, rwseSteps: 8 });
    const file = join(tmp(), 'zinc32.gpec');
    writePoolCache(file, pool, 'k1');
    const back = readPoolCache(file, { key: 'k1' });
    expect(back.smiles).toEqual(pool.smiles);
    expect(back.featurizer).toBe('zinc');
    expect(Array.from(back.molecules)).toEqual(Array.from(pool.molecules));
    expect(back.errors).toEqual(pool.errors);
    // the pool of a dataset with distinct SMILES is the dataset's molecules in its order
    expectSameDataset(prepared, { ...prepared, ...back, fromCache: true });
    expect(() => readPoolCache(file, { key: 'other' })).toThrow(/another configuration/);
  });

  it('computes the same on the worker pools as on this thread', async () => {
    const d = await loadSmilesCsv(fixture, {
      targetCol: 'y',
      splitCol: 'split',
      defaultFeaturizer: 'zinc',
      name: 'zinc32',
    });
    const pooled = await prepareDataset(d, { workers: 2, rwseSteps: 8, chunkSize: 8 });
    expectSameDataset(prepared, pooled);
  });

  it('loadPreparedDataset builds the cache once, then reads it; rebuilds a corrupt file', async () => {
    // the default location: the user cache ($XDG_CACHE_HOME/graphpe/cache), never the data directory
    const envCache = process.env.GRAPHPE_CACHE_DIR;
    const envXdg = process.env.XDG_CACHE_HOME;
    delete process.env.GRAPHPE_CACHE_DIR;
    const xdg = tmp();
    process.env.XDG_CACHE_HOME = xdg;
    onTestFinished(() => {
      if (envCache !== undefined) process.env.GRAPHPE_CACHE_DIR = envCache;
      if (envXdg !== undefined) process.env.XDG_CACHE_HOME = envXdg;
      else delete process.env.XDG_CACHE_HOME;
    });
    const dir = tmp();
    mkdirSync(join(dir, 'zinc'));
    writeFileSync(join(dir, 'zinc', 'zinc12k.csv'), readFileSync(fixture));
    const phases = new Set<string>();
    const opts = { dataDir: dir, workers: 0, rwseSteps: 8 };
    const first = await loadPreparedDataset('zinc', { ...opts, onProgress: (_d, _t, p) => phases.add(p) });
    expect(first.fromCache).toBe(false);
    expect([...phases]).toEqual(['featurize', 'eigen', 'pe']);
    expect(first.cacheFile).toContain(join(xdg, 'graphpe', 'cache', 'zinc-zinc-'));
    expect(readdirSync(dir)).toEqual(['zinc']);
    const second = await loadPreparedDataset('zinc', opts);
    expect(second.fromCache).toBe(true);
    expect(second.cacheFile).toBe(first.cacheFile);
    expectSameDataset({ ...first, name: 'zinc' }, second);
    // another PE config is another file
    const other = await loadPreparedDataset('zinc', { ...opts, rwseSteps: 4 });
    expect(other.fromCache).toBe(false);
    expect(other.cacheFile).not.toBe(first.cacheFile);
    // a corrupt file is rebuilt
    const bytes = readFileSync(first.cacheFile!);
    bytes[bytes.length - 1] ^= 0xff;
    writeFileSync(first.cacheFile!, bytes);
    const rebuilt = await loadPreparedDataset('zinc', opts);
    expect(rebuilt.fromCache).toBe(false);
    expect((await loadPreparedDataset('zinc', opts)).fromCache).toBe(true);
    // an unwritable cache folder (e.g. a read-only data directory) still returns the data
    const blocker = join(dir, 'not-a-dir');
    writeFileSync(blocker, '');
    const unwritable = await loadPreparedDataset('zinc', { ...opts, cacheDir: join(blocker, 'cache') });
    expect(unwritable.fromCache).toBe(false);
    expect(unwritable.cacheError).toMatch(/cannot write/);
    expect(unwritable.graphs).toHaveLength(32);
  });
});
