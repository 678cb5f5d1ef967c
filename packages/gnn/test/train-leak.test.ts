import { initBackend, tf } from '@graphpe/encodings/learned';
import { AdamWithDecay, collate, disposeMolTensors, GraphModel, maskedLoss, molTensors } from '@graphpe/gnn';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthRecords, tinyConfig, withRwse } from './model-helpers.js';

const recs = withRwse(synthRecords({ count: 16, seed: 21 }));

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`tensor discipline on ${backend}`, () => {
    beforeAll(async () => {
      await initBackend({ backend, log: null });
    });

    it('no tensor leaks per training step or per prediction', () => {
      const model = GraphModel.create(tinyConfig(recs, { pe: 'rwse', peDim: 4 }));
      const opt = new AdamWithDecay(model.trainableVariables(), { weightDecay: 1e-4 });
      const batch = collate(recs, model.collateSpec());
      const step = () => {
        const t = molTensors(batch);
        const l = opt.step(() => maskedLoss('l1', model.apply(t, true), t.targets, t.labelMask));
        l.dispose();
        disposeMolTensors(t);
      };
      step(); // the first step creates Adam's moment variables
      step();
      const after2 = tf.memory().numTensors;
      for (let i = 0; i < 4; i++) step();
      expect(tf.memory().numTensors).toBe(after2);
      model.predict(batch);
      const afterPredict = tf.memory().numTensors;
      model.predict(batch);
      model.predict(batch);
      expect(tf.memory().numTensors).toBe(afterPredict);
      opt.dispose();
      model.dispose();
    });
  });
}
