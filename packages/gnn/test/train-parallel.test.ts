// Synchronous data-parallel training over worker_threads (train/parallel.ts) gives the single-process
// steps on the whole batch up to float32 summation order: same losses and weights (running statistics
// included) after a few Adam steps. Adam's ε is large here so its update is linear in the gradient: with
// ε = 1e-8 the first steps are ≈ lr·sign(g), which turns float noise on gradients that are exactly 0 in
// theory (e.g. a bias whose shift a BatchNorm removes) into ±lr.
// The workers load the built dist/ (npm test builds first).
import { initBackend, type tf } from '@graphpe/encodings/learned';
import {
  AdamWithDecay,
  collate,
  DataParallelTrainer,
  disposeMolTensors,
  GraphModel,
  maskedLoss,
  molTensors,
  splitBatch,
  train,
} from '@graphpe/gnn';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthRecords, tinyConfig, withRwse } from './model-helpers.js';

const recs = withRwse(synthRecords({ count: 14, seed: 71 }));
const OPT = { weightDecay: 1e-3, epsilon: 1 };
const LR = 0.05;
const STEPS = 3;

describe('splitBatch', () => {
  it('splits a batch into whole-graph shards that collate the same rows', () => {
    const model = GraphModel.create(tinyConfig(recs, { pe: 'rwse', peDim: 4 }));
    const spec = model.collateSpec();
    const full = collate(recs, spec);
    const [a, b] = splitBatch(full, 2);
    const ca = collate(recs.slice(0, 7), spec);
    const cb = collate(recs.slice(7), spec);
    for (const [x, y] of [
      [a, ca],
      [b, cb],
    ] as const) {
      expect(x?.batchSize).toBe(7);
      expect(Array.from(x?.nodeFeatures ?? [])).toEqual(Array.from(y.nodeFeatures));
      expect(Array.from(x?.edgeAdjacency ?? [])).toEqual(Array.from(y.edgeAdjacency));
      expect(Array.from(x?.pe ?? [])).toEqual(Array.from(y.pe ?? []));
      expect(Array.from(x?.targets ?? [])).toEqual(Array.from(y.targets));
    }
    expect(() => splitBatch(full, 15)).toThrow(/cannot split/);
    model.dispose();
  });
});

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`data-parallel training on ${backend}`, () => {
    beforeAll(async () => {
      await initBackend({ backend, log: null });
    });

    for (const pe of ['none', 'rwse'] as const) {
      it(`2 workers match single-process training (pe=${pe})`, async () => {
        const cfg = tinyConfig(recs, pe === 'rwse' ? { pe, peDim: 4 } : {});
        const batch = collate(recs, GraphModel.create(cfg).collateSpec());
        const single = GraphModel.create(cfg);
        const opt = new AdamWithDecay(single.trainableVariables(), OPT);
        opt.learningRate = LR;
        const t = molTensors(batch);
        const lossSingle: number[] = [];
        for (let s = 0; s < STEPS; s++) {
          const l = opt.step(() => maskedLoss('l1', single.apply(t, true), t.targets, t.labelMask));
          lossSingle.push(l.dataSync()[0] as number);
          l.dispose();
        }
        disposeMolTensors(t);
        const par = GraphModel.create(cfg);
        const dp = await DataParallelTrainer.create({ model: par, workers: 2, optimizer: OPT });
        const lossPar: number[] = [];
        try {
          for (let s = 0; s < STEPS; s++) lossPar.push(await dp.step(batch, LR));
        } finally {
          await dp.dispose();
        }
        lossSingle.forEach((l, s) => {
          expect(Math.abs(l - (lossPar[s] as number))).toBeLessThan(1e-5 * (1 + Math.abs(l)));
        });
        const w1 = single.model.getWeights();
        const w2 = par.model.getWeights();
        w1.forEach((w, i) => {
          const a = w.dataSync();
          const b = (w2[i] as tf.Tensor).dataSync();
          let d = 0;
          let m = 0;
          for (let j = 0; j < a.length; j++) {
            d = Math.max(d, Math.abs((a[j] as number) - (b[j] as number)));
            m = Math.max(m, Math.abs(a[j] as number));
          }
          expect(d).toBeLessThan(1e-4 * (1 + m));
        });
        // the weights did move
        const init = GraphModel.create(cfg).model.getWeights();
        expect(
          init.some((w, i) => w.dataSync().some((v, j) => v !== (w1[i] as tf.Tensor).dataSync()[j])),
        ).toBe(true);
        single.dispose();
        par.dispose();
      });
    }

    it('train({ workers: 2 }) follows train({ workers: 1 }), a one-graph last batch included', async () => {
      const cfg = tinyConfig(recs, { pe: 'rwse', peDim: 4 });
      const run = async (workers: number) => {
        const model = GraphModel.create(cfg);
        const losses: number[] = [];
        const res = await train({
          model,
          train: recs.slice(0, 13), // batches of 4, 4, 4, 1: the last one has a phantom replica
          val: recs.slice(10),
          epochs: 2,
          batchSize: 4,
          lr: 2e-3,
          warmupSteps: 0,
          schedule: 'constant',
          log: null,
          workers,
          onProgress: (p) => losses.push(p.loss),
        });
        model.dispose();
        return { losses, res };
      };
      const one = await run(1);
      const two = await run(2);
      expect(two.losses.length).toBe(8);
      one.losses.forEach((l, i) => {
        expect(Math.abs(l - (two.losses[i] as number))).toBeLessThan(1e-4 * Math.abs(l));
      });
      expect(two.res.config.workers).toBe(2);
    });

    it('refuses a learned PE (its BatchNorms are not synchronised) unless told', async () => {
      const model = GraphModel.create(
        tinyConfig(recs, {
          pe: 'spe',
          eigK: 4,
          peOptions: { m: 4, phiHidden: 8, rhoLayers: 1, rhoHidden: 8, outDim: 8 },
        }),
      );
      await expect(DataParallelTrainer.create({ model, workers: 2 })).rejects.toThrow(/synchronise/);
      model.dispose();
    });
  });
}
