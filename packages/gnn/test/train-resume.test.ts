import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { initBackend } from '@graphpe/encodings/learned';
import { batchesOf, evaluate, GraphModel, type TrainOptions, train } from '@graphpe/gnn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthRecords, tinyConfig } from './model-helpers.js';

const tr = synthRecords({ count: 32, seed: 31 });
const va = synthRecords({ count: 8, seed: 32 });
const te = synthRecords({ count: 8, seed: 33 });
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function tmp(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'graphpe-gnn-train-'));
  dirs.push(d);
  return d;
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`checkpoints and resume on ${backend}`, () => {
    beforeAll(async () => {
      await initBackend({ backend, log: null });
    });

    it('writes best/last checkpoints, log.jsonl, result.json and curve.svg; resume continues exactly', async () => {
      const common = (model: GraphModel, outDir: string, epochs: number): TrainOptions => ({
        model,
        train: tr,
        val: va,
        test: te,
        epochs,
        batchSize: 16,
        lr: 3e-3,
        warmupSteps: 0,
        schedule: 'constant',
        seed: 5,
        outDir,
        log: null,
        runConfig: { dataset: 'synthetic' },
      });
      const full = tmp();
      const modelA = GraphModel.create(tinyConfig(tr, { pe: 'lap', peDim: 4 }));
      const progress: number[] = [];
      const a = await train({ ...common(modelA, full, 4), onProgress: (p) => progress.push(p.etaS) });
      expect(progress.length).toBe(8);
      expect(progress[progress.length - 1]).toBe(0);
      expect(a.history.length).toBe(4);
      for (const f of [
        'result.json',
        'log.jsonl',
        'curve.svg',
        'best/model.json',
        'best/weights.bin',
        'last/state.json',
      ]) {
        expect(existsSync(path.join(full, f))).toBe(true);
      }
      expect(readFileSync(path.join(full, 'log.jsonl'), 'utf8').trim().split('\n').length).toBe(4);
      const result = JSON.parse(readFileSync(path.join(full, 'result.json'), 'utf8'));
      expect(result.config.dataset).toBe('synthetic');
      expect(result.config.weightDecay).toBe(3e-6);
      expect(result.backend).toBe(backend);
      expect(result.seed).toBe(5);
      expect(typeof result.graphpeVersion).toBe('string');
      expect(result.bestEpoch).toBe(a.bestEpoch);
      expect(result.testAtBest.mae).toBeCloseTo(a.testAtBest!.mae!, 10);

      // the best checkpoint reproduces the test metric recorded at the best epoch
      const best = await GraphModel.load(path.join(full, 'best'));
      const ev = evaluate(best, batchesOf(te, best.collateSpec(), 16), 'l1').metrics;
      expect(ev.mae).toBeCloseTo(a.testAtBest!.mae!, 5);
      best.dispose();

      // 2 epochs, then resume to 4 in a fresh model: same losses as the uninterrupted run
      const split = tmp();
      const modelB = GraphModel.create(tinyConfig(tr, { pe: 'lap', peDim: 4 }));
      await train(common(modelB, split, 2));
      modelB.dispose();
      const modelC = GraphModel.create(tinyConfig(tr, { pe: 'lap', peDim: 4, seed: 99 }));
      const c = await train({ ...common(modelC, split, 4), resume: true });
      expect(c.resumedFrom).toBe(2);
      expect(c.history.length).toBe(4);
      for (let e = 0; e < 4; e++) {
        expect(c.history[e]!.trainLoss).toBeCloseTo(a.history[e]!.trainLoss, 5);
        expect(c.history[e]!.val.mae).toBeCloseTo(a.history[e]!.val.mae!, 5);
      }
      modelA.dispose();
      modelC.dispose();
    });

    it('early stopping after `patience` epochs without improvement', async () => {
      const model = GraphModel.create(tinyConfig(tr));
      const res = await train({
        model,
        train: tr,
        val: va,
        epochs: 30,
        batchSize: 32,
        lr: 1e-9,
        warmupSteps: 0,
        schedule: 'constant',
        patience: 2,
        log: null,
      });
      expect(res.stoppedEarly).toBe(true);
      expect(res.epochsRun).toBeLessThan(30);
      model.dispose();
    });
  });
}
