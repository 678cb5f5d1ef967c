import { initBackend } from '@graphpe/encodings/learned';
import { GraphModel, train } from '@graphpe/gnn';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthRecords, tinyConfig, withRwse } from './model-helpers.js';

const base = synthRecords({ count: 32, seed: 7 });
const val = synthRecords({ count: 8, seed: 8 });

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`training on ${backend}`, () => {
    beforeAll(async () => {
      await initBackend({ backend, log: null });
    });

    for (const pe of ['none', 'lap', 'rwse'] as const) {
      it(`loss decreases over a few steps with pe=${pe}`, async () => {
        const tr = pe === 'rwse' ? withRwse(base) : base;
        const va = pe === 'rwse' ? withRwse(val) : val;
        const model = GraphModel.create(tinyConfig(tr, { pe, peDim: 4 }));
        const res = await train({
          model,
          train: tr,
          val: va,
          epochs: 8,
          batchSize: 16,
          lr: 5e-3,
          warmupSteps: 0,
          schedule: 'constant',
          log: null,
        });
        const first = res.history[0]!.trainLoss;
        const last = res.history[res.history.length - 1]!.trainLoss;
        expect(last).toBeLessThan(first * 0.8);
        expect(res.bestEpoch).toBeGreaterThan(0);
        model.dispose();
      });
    }

    it('multi-task binary head with missing labels trains with masked BCE and reports mean ROC-AUC', async () => {
      const tr = synthRecords({ count: 32, seed: 9, tasks: 3, classification: true, missing: 0.2 });
      const va = synthRecords({ count: 16, seed: 10, tasks: 3, classification: true, missing: 0.2 });
      expect(tr.some((r) => Number.isNaN(r.y[1] as number))).toBe(true);
      const model = GraphModel.create(tinyConfig(tr, { task: 'multitask', numTargets: 3 }));
      const res = await train({
        model,
        train: tr,
        val: va,
        test: va,
        epochs: 8,
        batchSize: 16,
        lr: 5e-3,
        warmupSteps: 0,
        schedule: 'constant',
        log: null,
      });
      expect(res.metric).toBe('rocauc');
      const first = res.history[0]!.trainLoss;
      const last = res.history[res.history.length - 1]!.trainLoss;
      expect(Number.isFinite(first)).toBe(true);
      expect(last).toBeLessThan(first);
      expect(res.bestVal?.rocauc).toBeGreaterThan(0);
      expect(res.testAtBest?.rocauc).toBeLessThanOrEqual(1);
      model.dispose();
    });
  });
}
