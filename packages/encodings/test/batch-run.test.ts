import { spawnSync } from 'node:child_process';
import { createRng, fromEdgeList, type Graph, GraphpeError } from '@graphpe/spectral';
import { afterAll, describe, expect, it } from 'vitest';
import {
  buildPipeline,
  concatChunks,
  createPePool,
  encodePeBatch,
  encodePeBatchParallel,
  encodePeChunks,
  type PeBatch,
  packGraphs,
  peItem,
  unpackGraphs,
} from '../src/batch/index.js';
import { workerExecArgv } from '../src/batch/pool.js';
import { CANON_STATUS_CODES } from '../src/index.js';

/** Random graph: a random forest plus extra edges, isolated nodes and disconnected parts included. */
function randomGraph(seed: number, maxN = 30): Graph {
  const rng = createRng(seed);
  const n = 1 + rng.int(maxN);
  const src: number[] = [];
  const dst: number[] = [];
  for (let i = 1; i < n; i++) {
    if (rng.next() < 0.9) {
      src.push(i);
      dst.push(rng.int(i));
    }
  }
  const extra = rng.int(Math.ceil(n / 3) + 1);
  for (let e = 0; e < extra; e++) {
    const u = rng.int(n);
    const v = rng.int(n);
    if (u !== v) {
      src.push(u);
      dst.push(v);
    }
  }
  return fromEdgeList({ src, dst }, { n, duplicates: 'sum' });
}

const graphs = Array.from({ length: 300 }, (_, i) => randomGraph(1000 + i));
const SPEC = 'lap:k=16,rwse:steps=20,canon:oap';

/** Index of the first element that differs bitwise (NaN == NaN), or -1; lengths must match. */
function firstDiff(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length !== y.length) return -2;
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return i;
  return -1;
}

function expectSameBatch(a: PeBatch, b: PeBatch): void {
  expect(b.count).toBe(a.count);
  expect(firstDiff(a.sizes, b.sizes)).toBe(-1);
  expect(b.columns.map((c) => c.name)).toEqual(a.columns.map((c) => c.name));
  a.columns.forEach((x, i) => {
    const y = b.columns[i];
    expect(y.data.constructor).toBe(x.data.constructor);
    expect(firstDiff(x.data, y.data)).toBe(-1);
    expect(firstDiff(x.offsets, y.offsets)).toBe(-1);
    expect(firstDiff(x.shapes, y.shapes)).toBe(-1);
    expect(firstDiff(x.mask ?? [], y.mask ?? [])).toBe(-1);
  });
}

describe('encodePeBatch (single thread)', () => {
  const batch = encodePeBatch(graphs, SPEC, { chunkSize: 64 });

  it('packs one column per output with per-graph shapes and masks', () => {
    expect(batch.count).toBe(graphs.length);
    expect(batch.columns.map((c) => [c.name, c.level, c.rank])).toEqual([
      ['lap_vec', 'node', 2],
      ['lap_val', 'graph', 1],
      ['lap_canon', 'graph', 1],
      ['rwse', 'node', 2],
    ]);
    graphs.forEach((g, b) => {
      expect(peItem(batch, 'lap_vec', b).shape).toEqual([g.n, 16]);
      expect(peItem(batch, 'rwse', b).shape).toEqual([g.n, 20]);
      const mask = peItem(batch, 'lap_vec', b).mask!;
      expect(mask.reduce((s, x) => s + x, 0)).toBe(Math.min(16, g.n));
    });
  });

  it('decomposes nothing twice: every spectrum comes from the batched dense solve', () => {
    expect(batch.solves).toBe(0);
    const all = encodePeBatch(graphs, 'lap:k=4:drop:laplacian=comb,proj:k=all,hk:steps=3,lap:k=40:name=big');
    expect(all.solves).toBe(0);
    // Past the dense threshold the context solves sparsely by itself, and the chunk says so.
    const sparse = encodePeBatch(graphs.slice(0, 3), 'lap:k=2', {
      context: { denseThreshold: 4, solver: 'sparse' },
    });
    expect(sparse.solves).toBe(3);
  });

  it('rwse reads the batch’s full sym spectrum (method=spectral, or auto next to a sym LapPE; no extra solve) and equals the chain', () => {
    const chain = encodePeBatch(graphs, 'lap:k=16,rwse:steps=20:method=dense', { chunkSize: 64 });
    const spectral = encodePeBatch(graphs, 'lap:k=16,rwse:steps=20:method=spectral', { chunkSize: 64 });
    expect(spectral.solves).toBe(0);
    const alone = encodePeBatch(graphs.slice(0, 20), 'rwse:steps=20:method=spectral');
    expect(alone.solves).toBe(0);
    // auto beside a sym LapPE takes the same spectral path, bit for bit, in either item order.
    expectSameBatch(spectral, encodePeBatch(graphs, 'lap:k=16,rwse:steps=20', { chunkSize: 64 }));
    const reversed = encodePeBatch(graphs, 'rwse:steps=20,lap:k=16', { chunkSize: 64 });
    graphs.forEach((_, b) => {
      expect(firstDiff(peItem(reversed, 'rwse', b).data, peItem(spectral, 'rwse', b).data)).toBe(-1);
    });
    graphs.forEach((_, b) => {
      const x = peItem(spectral, 'rwse', b).data;
      const y = peItem(chain, 'rwse', b).data;
      expect(x.length).toBe(y.length);
      for (let q = 0; q < x.length; q++) {
        expect(Math.abs(x[q] - y[q])).toBeLessThan(1e-13);
        if (y[q] === 0) expect(x[q]).toBe(0); // structural zeros stay exact
      }
    });
  });

  it('agrees with the plain per-graph pipeline (its own spectrum() solves) on every invariant output', () => {
    const pipeline = buildPipeline(SPEC);
    graphs.forEach((g, b) => {
      const ref = pipeline(g);
      const rw = peItem(batch, 'rwse', b).data;
      // RWSE (the exact chain in both): equal up to rounding.
      for (let q = 0; q < rw.length; q++) expect(Math.abs(rw[q] - ref.rwse.data[q])).toBeLessThan(1e-12);
      const val = peItem(batch, 'lap_val', b).data;
      for (let j = 0; j < 16; j++) expect(val[j]).toBeCloseTo(ref.lap_val.data[j], 10);
      // Canonized columns do not depend on the solver's signs or bases: equal up to rounding.
      const codes = peItem(batch, 'lap_canon', b).data;
      const vec = peItem(batch, 'lap_vec', b).data;
      for (let j = 0; j < 16; j++) {
        if (codes[j] !== CANON_STATUS_CODES.canonized || ref.lap_canon.data[j] !== codes[j]) continue;
        for (let i = 0; i < g.n; i++)
          expect(Math.abs(vec[i * 16 + j] - ref.lap_vec.data[i * 16 + j])).toBeLessThan(1e-7);
      }
    });
  });

  it('gives the same result whatever the chunk size, and reports progress per chunk', () => {
    const seen: [number, number][] = [];
    const other = encodePeBatch(graphs, SPEC, { chunkSize: 7, onProgress: (d, t) => seen.push([d, t]) });
    expectSameBatch(batch, other);
    expect(seen).toHaveLength(Math.ceil(graphs.length / 7));
    expect(seen.at(-1)).toEqual([graphs.length, graphs.length]);
    expect(seen.every(([d], i) => i === 0 || d > seen[i - 1][0])).toBe(true);
    const chunks = [...encodePeChunks(graphs, SPEC, { chunkSize: 100 })];
    expect(chunks.map((c) => [c.start, c.count])).toEqual([
      [0, 100],
      [100, 100],
      [200, 100],
    ]);
    expectSameBatch(batch, concatChunks(chunks));
  });

  it('runs spectrum-free specs without eigendecompositions and float32 outputs', () => {
    const b = encodePeBatch(graphs.slice(0, 20), 'rwse:steps=4:dtype=float32');
    expect(b.columns[0].data).toBeInstanceOf(Float32Array);
    expect(b.columns[0].data.length).toBe(graphs.slice(0, 20).reduce((s, g) => s + 4 * g.n, 0));
  });

  it('round-trips packed graphs', () => {
    const back = unpackGraphs(packGraphs(graphs, 10, 20));
    back.forEach((g, i) => {
      const h = graphs[10 + i];
      expect(g.n).toBe(h.n);
      expect(Array.from(g.indptr)).toEqual(Array.from(h.indptr));
      expect(Array.from(g.indices)).toEqual(Array.from(h.indices));
      expect(Array.from(g.weights)).toEqual(Array.from(h.weights));
    });
  });

  it('rejects bad specs and options with E_OPTION', () => {
    expect(() => encodePeBatch(graphs, 'lap:k=x')).toThrow(/'k=x'/);
    expect(() => encodePeBatch(graphs, SPEC, { chunkSize: 0 })).toThrow(GraphpeError);
  });

  it('names the input index of a bad graph found by the batched solver (not its place in the chunk)', () => {
    const bad = {
      ...graphs[5],
      weights: Float64Array.from(graphs[5].weights, (w, p) => (p === 0 ? Number.NaN : w)),
    };
    const input = [...graphs.slice(0, 5), bad];
    let caught: unknown;
    try {
      encodePeBatch(input, SPEC, { chunkSize: 4 }); // the bad graph is the second of the second chunk
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(GraphpeError);
    expect((caught as GraphpeError).code).toBe('E_NAN');
    expect((caught as GraphpeError).message).toMatch(/graph 5 has weight NaN/);
    expect((caught as GraphpeError).details.graph).toBe(5);
  });
});

describe('encodePeBatchParallel (worker pool)', () => {
  const pool = createPePool({ workers: 2 });
  afterAll(() => pool.close());

  it('is bit-identical to the single-thread runner, with progress up to the total', async () => {
    for (const spec of [SPEC, 'lap:pyg:k=8,proj:k=6,hk:steps=5,rwse:steps=7:dtype=float32']) {
      const single = encodePeBatch(graphs, spec, { chunkSize: 16 });
      const seen: number[] = [];
      const par = await pool.run(graphs, spec, { chunkSize: 16, onProgress: (d) => seen.push(d) });
      expectSameBatch(single, par);
      expect(seen.at(-1)).toBe(graphs.length);
    }
  });

  it('streams chunks in graph order with a bounded queue', async () => {
    const starts: number[] = [];
    for await (const c of pool.chunks(graphs, SPEC, { chunkSize: 32, ahead: 2 })) starts.push(c.start);
    expect(starts).toEqual(Array.from({ length: Math.ceil(graphs.length / 32) }, (_, i) => 32 * i));
  });

  it('with the calling thread encoding too (caller: true): bit-identical, in order, bounded, errors named', async () => {
    const callerPool = createPePool({ workers: 1, caller: true });
    try {
      expect(callerPool.workers).toBe(1);
      for (const spec of [SPEC, 'lap:pyg:k=8,proj:k=6,hk:steps=5,rwse:steps=7:dtype=float32']) {
        const single = encodePeBatch(graphs, spec, { chunkSize: 16 });
        const seen: number[] = [];
        const par = await callerPool.run(graphs, spec, { chunkSize: 16, onProgress: (d) => seen.push(d) });
        expectSameBatch(single, par);
        expect(seen).toHaveLength(Math.ceil(graphs.length / 16));
        expect(seen.at(-1)).toBe(graphs.length);
      }
      const starts: number[] = [];
      for await (const c of callerPool.chunks(graphs, SPEC, { chunkSize: 8, ahead: 3 })) starts.push(c.start);
      expect(starts).toEqual(Array.from({ length: Math.ceil(graphs.length / 8) }, (_, i) => 8 * i));
      // A bad graph fails the run with its input index, whichever thread met it.
      const at = graphs.findIndex((g, i) => i >= 40 && g.weights.length > 0);
      const bad = {
        ...graphs[at],
        weights: Float64Array.from(graphs[at].weights, () => Number.POSITIVE_INFINITY),
      };
      const input = [...graphs.slice(0, at), bad, ...graphs.slice(at + 1, 80)];
      await expect(callerPool.run(input, SPEC, { chunkSize: 8 })).rejects.toThrow(
        new RegExp(`graph ${at} has weight Infinity`),
      );
      // The pool still works afterwards.
      expectSameBatch(
        encodePeBatch(graphs.slice(0, 30), SPEC),
        await callerPool.run(graphs.slice(0, 30), SPEC),
      );
    } finally {
      await callerPool.close();
    }
    expect(() => createPePool({ workers: 1, caller: 'yes' as unknown as boolean })).toThrow(
      /caller must be a boolean/,
    );
  });

  it('close() lets the chunks still on the workers finish when the consumer stops early', async () => {
    // Larger graphs, so that chunks are still running when the consumer leaves.
    const big = Array.from({ length: 48 }, (_, i) => randomGraph(500 + i, 220));
    const p = createPePool({ workers: 2 });
    let done = 0;
    const stream = p.chunks(big, SPEC, { chunkSize: 4, ahead: 4, onProgress: (d) => (done = d) });
    expect(((await stream.next()).value as { start: number }).start).toBe(0);
    await stream.return(undefined);
    expect(p.pending).toBeGreaterThan(0);
    await p.close();
    // Chunk 0 and the four queued behind it all completed (a destroyed task never reports progress).
    expect(p.pending).toBe(0);
    expect(done).toBe(5 * 4);
  });

  it('creates and closes a temporary pool, and rejects bad specs before starting one', async () => {
    const single = encodePeBatch(graphs.slice(0, 50), SPEC);
    const par = await encodePeBatchParallel(graphs.slice(0, 50), SPEC, { workers: 2 });
    expectSameBatch(single, par);
    await expect(encodePeBatchParallel(graphs, 'rwse:nope=1', { workers: 2 })).rejects.toThrow(
      /unknown option 'nope'/,
    );
    const p = createPePool({ workers: 1 });
    await p.close();
    expect(() => p.chunks(graphs, SPEC)).toThrow(/closed/);
  });
});

describe('worker execArgv', () => {
  it('inherits the parent flags unless a source condition must be dropped, then keeps module-loading flags only', () => {
    expect(workerExecArgv([])).toBeUndefined();
    expect(workerExecArgv(['--max-old-space-size=4096', '--enable-source-maps'])).toBeUndefined();
    expect(
      workerExecArgv([
        '--conditions',
        'source',
        '--max-old-space-size=4096',
        '--import',
        'tsx',
        '-C=development',
        '--enable-source-maps',
      ]),
    ).toEqual(['--import', 'tsx', '-C=development', '--enable-source-maps']);
    expect(workerExecArgv(['--conditions=source', '--expose-gc'])).toEqual([]);
  });

  it('a pool starts under V8 heap flags (node --max-old-space-size=… would make an explicit worker execArgv throw)', () => {
    const script = `
      import { createPePool } from ${JSON.stringify(new URL('../dist/batch/index.js', import.meta.url).href)};
      import { fromEdgeList } from ${JSON.stringify(new URL('../../spectral/dist/index.js', import.meta.url).href)};
      const pool = createPePool({ workers: 1 });
      const b = await pool.run([fromEdgeList([[0, 1], [1, 2]])], 'rwse:steps=3');
      await pool.close();
      console.log('ok', b.count);`;
    const r = spawnSync(
      process.execPath,
      ['--max-old-space-size=2048', '--input-type=module', '-e', script],
      {
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(r.stderr).not.toMatch(/ERR_WORKER_INVALID_EXEC_ARGV/);
    expect(r.stdout.trim()).toBe('ok 1');
  });
});
