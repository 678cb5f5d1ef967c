// End to end on the 32-molecule ZINC fixture: featurize + eigenpairs + RWSE (the data half), then model
// configs and records from the prepared dataset, collate, and a short training run per PE.
import { fileURLToPath } from 'node:url';
import { initBackend } from '@graphpe/encodings/learned';
import {
  collate,
  datasetModelConfig,
  GraphModel,
  graphRecords,
  loadSmilesCsv,
  type PreparedDataset,
  prepareDataset,
  train,
} from '@graphpe/gnn';
import { beforeAll, describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('./fixtures/zinc32.csv', import.meta.url));
let ds: PreparedDataset;

beforeAll(async () => {
  const d = await loadSmilesCsv(fixture, {
    targetCol: 'y',
    splitCol: 'split',
    defaultFeaturizer: 'zinc',
    name: 'zinc32',
  });
  ds = await prepareDataset(d, { workers: 0, rwseSteps: 8 });
  await initBackend({ backend: 'wasm', log: null });
});

describe('prepared dataset → records → model', () => {
  it('model config and records fit the dataset (28 atom types, 3 bond types, dataset max size)', () => {
    const cfg = datasetModelConfig(ds, { pe: 'rwse' });
    expect(cfg.atomVocab).toEqual([28]);
    expect(cfg.edgeTypes.combos.map((c) => c[0]).sort()).toEqual([1, 2, 3]);
    expect(cfg.maxNodes).toBe(Math.max(...ds.graphs.map((g) => g.n)));
    expect(cfg.peDim).toBe(8);
    expect(cfg.task).toBe('regression');
    const recs = graphRecords(ds, ds.splits.train, { pe: 'rwse' });
    expect(recs).toHaveLength(ds.splits.train.length);
    const model = GraphModel.create({ ...cfg, hidden: 8, layers: 1 });
    const b = collate(recs.slice(0, 4), model.collateSpec());
    expect([b.nodeDim, b.numEdgeTypes, b.peDim]).toEqual([28, 3, 8]);
    // every real atom is one-hot, padding rows are empty
    for (let g = 0; g < 4; g++)
      for (let i = 0; i < b.maxNodes; i++) {
        const row = b.nodeFeatures.subarray((g * b.maxNodes + i) * 28, (g * b.maxNodes + i + 1) * 28);
        expect(row.reduce((s, v) => s + v, 0)).toBe(i < b.numNodes[g]! ? 1 : 0);
      }
    // the RWSE rows are the cached column's rows
    const col = ds.pe.find((c) => c.name === 'rwse')!;
    const r0 = ds.splits.train[0]!;
    expect(Array.from(b.pe!.subarray(0, 8))).toEqual(
      Array.from(col.data.subarray(col.offsets[r0]!, col.offsets[r0]! + 8)),
    );
    // lap: the first k eigenvectors; learned: eigenpairs
    const lap = collate(graphRecords(ds, [r0], { pe: 'lap' }), { ...model.collateSpec(), peDim: 3 });
    const n = ds.graphs[r0]!.n;
    const v0 = ds.eigen!.vectorOffsets[r0]!;
    expect(Array.from(lap.pe!.subarray(0, 3))).toEqual(Array.from(ds.eigen!.vectors.subarray(v0, v0 + 3)));
    expect(Array.from(lap.pe!.subarray(3, 6))).toEqual(
      Array.from(ds.eigen!.vectors.subarray(v0 + n, v0 + n + 3)),
    );
    model.dispose();
  });

  for (const pe of ['none', 'lap', 'rwse', 'spe', 'lap+frame'] as const) {
    it(`trains for 2 epochs with pe=${pe} and reports test MAE at the best validation epoch`, async () => {
      const peOptions =
        pe === 'spe'
          ? { m: 4, phiHidden: 8, rhoLayers: 1, rhoHidden: 8, outDim: 8 }
          : pe === 'lap+frame'
            ? { hidden: 8 }
            : undefined;
      const cfg = datasetModelConfig(ds, {
        pe,
        k: 8,
        hidden: 16,
        layers: 2,
        ...(peOptions ? { peOptions } : {}),
      });
      const model = GraphModel.create(cfg);
      const res = await train({
        model,
        train: graphRecords(ds, ds.splits.train, { pe }),
        val: graphRecords(ds, ds.splits.valid, { pe }),
        test: graphRecords(ds, ds.splits.test, { pe }),
        epochs: 2,
        batchSize: 12,
        warmupSteps: 2,
        log: null,
        runConfig: { dataset: 'zinc32' },
      });
      expect(res.bestEpoch).toBeGreaterThan(0);
      expect(Number.isFinite(res.testAtBest?.mae)).toBe(true);
      model.dispose();
    });
  }
});
