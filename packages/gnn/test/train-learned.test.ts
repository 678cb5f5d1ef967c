import { initBackend } from '@graphpe/encodings/learned';
import { collate, frameRecord, GraphModel, type GraphRecord, learnedPeChoices, train } from '@graphpe/gnn';
import type { Graph, Spectrum } from '@graphpe/spectral';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthRecords, tinyConfig } from './model-helpers.js';

const base = synthRecords({ count: 24, seed: 41 });
const val = synthRecords({ count: 8, seed: 42 });
const framed = (rs: GraphRecord[]) => rs.map((r) => frameRecord(r, r.graph as Graph, r.eig as Spectrum));

const small: Record<string, Record<string, unknown>> = {
  spe: { m: 4, phiHidden: 8, rhoLayers: 2, rhoHidden: 8, outDim: 8 },
  signnet: { hidden: 8, phiLayers: 2 },
  basisnet: { hidden: 8, layers: 1 },
  'lap+frame': { hidden: 8 },
};

describe('learned PE registry', () => {
  it('spe, signnet, basisnet and lap+frame are registered', () => {
    expect(learnedPeChoices()).toEqual(['basisnet', 'lap+frame', 'signnet', 'spe']);
    expect(() => GraphModel.create(tinyConfig(base, { pe: 'nope' }))).toThrow(
      /unknown or unavailable PE 'nope'/,
    );
    expect(() => GraphModel.create(tinyConfig(base, { pe: 'spe' }))).toThrow(/eigK/);
  });
});

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`learned PEs on ${backend}`, () => {
    beforeAll(async () => {
      await initBackend({ backend, log: null });
    });
    for (const pe of ['spe', 'signnet', 'lap+frame'] as const) {
      it(`loss decreases over a few steps with pe=${pe}`, async () => {
        const tr = pe === 'lap+frame' ? framed(base) : base;
        const va = pe === 'lap+frame' ? framed(val) : val;
        const model = GraphModel.create(tinyConfig(tr, { pe, eigK: 4, peOptions: small[pe] }));
        expect(model.peEncoder).not.toBeNull();
        const res = await train({
          model,
          train: tr,
          val: va,
          epochs: 5,
          batchSize: 12,
          lr: 5e-3,
          warmupSteps: 0,
          schedule: 'constant',
          log: null,
        });
        const first = res.history[0]!.trainLoss;
        const last = res.history[res.history.length - 1]!.trainLoss;
        expect(last).toBeLessThan(first * 0.8);
        // the encoder's weights are part of the model (saved with it)
        expect(model.model.trainableWeights.some((w) => w.originalName.startsWith('pe_encoder/'))).toBe(true);
        const batch = collate(va, model.collateSpec());
        expect(model.predict(batch).every(Number.isFinite)).toBe(true);
        model.dispose();
      });
    }
  });
}
