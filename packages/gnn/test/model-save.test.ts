import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { initBackend } from '@graphpe/encodings/learned';
import { collate, frameRecord, GraphModel, type GraphRecord, train } from '@graphpe/gnn';
import { createRng, type Graph, type Spectrum } from '@graphpe/spectral';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthRecords, tinyConfig, withRwse } from './model-helpers.js';

const base = synthRecords({ count: 24, seed: 11 });

/** The same graph with its nodes relabelled i → perm[i] (atoms, edges, PE rows). */
function permuteRecord(r: GraphRecord, perm: Int32Array): GraphRecord {
  const n = r.n;
  const F = r.atomFeatures.length / n;
  const atoms = new Int32Array(n * F);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < F; c++) atoms[perm[i]! * F + c] = r.atomFeatures[i * F + c]!;
  const src: number[] = [];
  const dst: number[] = [];
  const g = r.graph!;
  for (let i = 0; i < n; i++)
    for (let p = g.indptr[i]!; p < g.indptr[i + 1]!; p++) {
      src.push(perm[i]!);
      dst.push(perm[g.indices[p]!]!);
    }
  const P = r.peDim!;
  const pe = new Float64Array(n * P);
  for (let i = 0; i < n; i++) for (let c = 0; c < P; c++) pe[perm[i]! * P + c] = r.pe![i * P + c]!;
  return {
    n,
    atomFeatures: atoms,
    bondFeatures: r.bondFeatures,
    edgeSrc: src,
    edgeDst: dst,
    y: r.y,
    pe,
    peDim: P,
  };
}

function randomPerm(n: number, seed: number): Int32Array {
  const rng = createRng(seed);
  const p = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [p[i], p[j]] = [p[j]!, p[i]!];
  }
  return p;
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`GraphModel save/load and invariance on ${backend}`, () => {
    beforeAll(async () => {
      await initBackend({ backend, log: null });
    });

    for (const pe of ['none', 'lap', 'rwse'] as const) {
      it(`save → load gives identical predictions (pe=${pe})`, async () => {
        const recs = pe === 'rwse' ? withRwse(base) : base;
        const model = GraphModel.create(tinyConfig(recs, { pe, peDim: 4 }));
        // one short epoch so batch-norm running statistics and weights move away from their init
        await train({
          model,
          train: recs,
          val: recs.slice(0, 4),
          epochs: 1,
          batchSize: 12,
          warmupSteps: 0,
          log: null,
        });
        const dir = mkdtempSync(path.join(tmpdir(), 'graphpe-gnn-save-'));
        dirs.push(dir);
        await model.save(dir);
        const json = JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8'));
        expect(json.weightsManifest[0].paths).toEqual(['weights.bin']);
        expect(json.graphpe.modelConfig.pe).toBe(pe);
        const loaded = await GraphModel.load(dir);
        expect(loaded.config).toEqual(model.config);
        const batch = collate(recs.slice(0, 8), model.collateSpec());
        expect(Array.from(loaded.predict(batch))).toEqual(Array.from(model.predict(batch)));
        expect(loaded.countParams()).toBe(model.countParams());
        model.dispose();
        loaded.dispose();
      });
    }

    for (const pe of ['spe', 'signnet', 'lap+frame'] as const) {
      it(`save → load gives identical predictions with a learned PE (pe=${pe})`, async () => {
        const recs =
          pe === 'lap+frame' ? base.map((r) => frameRecord(r, r.graph as Graph, r.eig as Spectrum)) : base;
        const peOptions =
          pe === 'spe' ? { m: 4, phiHidden: 8, rhoLayers: 2, rhoHidden: 16, outDim: 8 } : { hidden: 8 };
        const model = GraphModel.create(tinyConfig(recs, { pe, eigK: 4, peOptions }));
        await train({
          model,
          train: recs,
          val: recs.slice(0, 4),
          epochs: 1,
          batchSize: 12,
          warmupSteps: 0,
          log: null,
        });
        const dir = mkdtempSync(path.join(tmpdir(), 'graphpe-gnn-save-'));
        dirs.push(dir);
        await model.save(dir);
        const loaded = await GraphModel.load(dir);
        expect(loaded.peEncoder?.getClassName()).toBe(model.peEncoder?.getClassName());
        const batch = collate(recs.slice(0, 8), model.collateSpec());
        expect(Array.from(loaded.predict(batch))).toEqual(Array.from(model.predict(batch)));
        model.dispose();
        loaded.dispose();
      });
    }

    for (const pe of ['none', 'rwse'] as const) {
      it(`graph predictions are invariant to node permutations in eval mode (pe=${pe})`, async () => {
        const recs = pe === 'rwse' ? withRwse(base) : base;
        const model = GraphModel.create(
          tinyConfig(recs, { pe, peDim: 4, pooling: pe === 'none' ? 'sum' : 'mean' }),
        );
        await train({
          model,
          train: recs,
          val: recs.slice(0, 4),
          epochs: 1,
          batchSize: 12,
          warmupSteps: 0,
          log: null,
        });
        const some = recs.slice(0, 8);
        const permuted = some.map((r, i) => permuteRecord(r, randomPerm(r.n, 100 + i)));
        const spec = model.collateSpec();
        const a = model.predict(collate(some, spec));
        const b = model.predict(collate(permuted, spec));
        for (let i = 0; i < a.length; i++) expect(b[i]).toBeCloseTo(a[i]!, 4);
        model.dispose();
      });
    }
  });
}
