import {
  type EigBatch,
  type EigTensors,
  eigTensors,
  initBackend,
  type SignNetArgs,
  SignNetEncoder,
  tf,
} from '@graphpe/encodings/learned';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  batchOf,
  cycle,
  fixtureGraphs,
  flipSigns,
  item,
  maxAbsDiff,
  permuteBatch,
  randomPerm,
  rotateAllEigenspaces,
  rowsOf,
  run,
  saveLoad,
} from './learned-helpers.js';

const TOL = 1e-5;
const inputsOf = (t: EigTensors): tf.Tensor[] => [t.vectors, t.values, t.adjacency, t.nodeMask, t.eigMask];
const SMALL: SignNetArgs = { hidden: 8, phiLayers: 3, outDim: 4, seed: 3 };

function encode(layer: SignNetEncoder, batch: EigBatch, training = false): number[][][] {
  return run((t) => layer.apply(inputsOf(t), { training }) as tf.Tensor, batch);
}

/** A functional model on placeholders with a free batch axis. */
function signNetModel(N: number, K: number, args: SignNetArgs): tf.LayersModel {
  const inputs = [
    tf.input({ shape: [N, K] }),
    tf.input({ shape: [K] }),
    tf.input({ shape: [N, N] }),
    tf.input({ shape: [N] }),
    tf.input({ shape: [K] }),
  ];
  const out = new SignNetEncoder(args).apply(inputs) as tf.SymbolicTensor;
  return tf.model({ inputs, outputs: out });
}

function trainable(layer: tf.layers.Layer): tf.Variable[] {
  return layer.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`SignNetEncoder on ${backend}`, () => {
    beforeAll(async () => {
      await initBackend({ backend, log: null });
    });
    const items = fixtureGraphs().map((g) => item(g));
    const batch = batchOf(items);

    it('is invariant to flipping the sign of any subset of columns (deepsets, mlp, with λ; eval and training)', () => {
      for (const args of [
        SMALL,
        { ...SMALL, rho: 'mlp' as const },
        { ...SMALL, useEigenvalues: true, seed: 4 },
      ]) {
        const layer = new SignNetEncoder(args);
        const base = encode(layer, batch);
        expect(
          maxAbsDiff(
            base,
            base.map((g) => g.map((r) => r.map(() => 0))),
          ),
        ).toBeGreaterThan(1e-3);
        for (const seed of [1, 2, 3])
          expect(maxAbsDiff(encode(layer, flipSigns(batch, seed)), base)).toBeLessThan(TOL);
      }
      // Both signs share one pass, so training-mode batch statistics are sign-symmetric too.
      const a = new SignNetEncoder(SMALL);
      const b = new SignNetEncoder(SMALL);
      expect(maxAbsDiff(encode(a, batch, true), encode(b, flipSigns(batch, 7), true))).toBeLessThan(TOL);
    });

    it('is permutation-equivariant', () => {
      const layer = new SignNetEncoder(SMALL);
      const base = encode(layer, batch);
      const perm = randomPerm(9, 11); // graph 1 has 9 nodes
      const out = encode(layer, permuteBatch(batch, 1, perm));
      for (let i = 0; i < 9; i++) expect(maxAbsDiff(out[1]![perm[i]!], base[1]![i])).toBeLessThan(TOL);
      expect(maxAbsDiff(out[0], base[0])).toBeLessThan(TOL);
    });

    it('a graph alone equals its rows batched with larger padded graphs; padded nodes are 0', () => {
      const layer = new SignNetEncoder(SMALL);
      const together = encode(layer, batch);
      items.forEach((it, b) => {
        const alone = encode(layer, batchOf([it]));
        expect(maxAbsDiff(rowsOf(alone, 0, it.graph.n), rowsOf(together, b, it.graph.n))).toBeLessThan(TOL);
        for (const row of (together[b] as number[][]).slice(it.graph.n))
          expect(row.every((x) => x === 0)).toBe(true);
      });
      // rho 'mlp' needs a fixed K: pad the lone graph to the batch's K.
      const mlp = new SignNetEncoder({ ...SMALL, rho: 'mlp' });
      const t2 = encode(mlp, batch);
      const alone = encode(mlp, batchOf([items[2]!], undefined, batch.k));
      expect(maxAbsDiff(rowsOf(alone, 0, 5), rowsOf(t2, 2, 5))).toBeLessThan(TOL);
    });

    it('training mode: extra padded nodes and columns never enter the batch-norm statistics', () => {
      const a = encode(new SignNetEncoder(SMALL), batch, true);
      const b = encode(new SignNetEncoder(SMALL), batchOf(items, 12, 13), true);
      items.forEach((it, g) => {
        expect(maxAbsDiff(rowsOf(b, g, it.graph.n), rowsOf(a, g, it.graph.n))).toBeLessThan(TOL);
      });
    });

    it('runs in a functional model with a free batch axis and survives save/load', async () => {
      const { maxNodes: N, k: K } = batch;
      const model = signNetModel(N, K, { ...SMALL, rho: 'mlp', useEigenvalues: true });
      expect(model.outputs[0]!.shape).toEqual([null, N, 4]);
      const predict = (m: tf.LayersModel) => run((t) => m.predict(inputsOf(t)) as tf.Tensor, batch);
      const before = predict(model);
      const loaded = await saveLoad(model);
      expect(loaded.layers.some((l) => l instanceof SignNetEncoder)).toBe(true);
      expect(maxAbsDiff(predict(loaded), before)).toBeLessThan(1e-6);
      expect(loaded.getWeights().length).toBe(model.getWeights().length);
      // The batch axis is free: one graph padded to the same N, K gives its rows of the full batch.
      const one = run((t) => loaded.predict(inputsOf(t)) as tf.Tensor, batchOf([items[1]!], N, K));
      expect(maxAbsDiff(one[0], before[1])).toBeLessThan(TOL);
    });

    it('every trainable weight gets a non-zero gradient', () => {
      for (const args of [SMALL, { ...SMALL, rho: 'mlp' as const, useEigenvalues: true }]) {
        const layer = new SignNetEncoder(args);
        const t = eigTensors(batch);
        layer.apply(inputsOf(t)); // build
        const vars = trainable(layer);
        expect(vars.length).toBeGreaterThan(10);
        const { grads, value } = tf.variableGrads(
          () => (layer.apply(inputsOf(t), { training: true }) as tf.Tensor).sin().sum() as tf.Scalar,
          vars,
        );
        for (const v of vars) expect(tf.abs(grads[v.name]!).sum().dataSync()[0], v.name).toBeGreaterThan(0);
        tf.dispose([value, ...Object.values(grads), ...Object.values(t)]);
      }
    });

    it('one Adam step lowers the loss on a tiny problem', () => {
      const layer = new SignNetEncoder(SMALL);
      const t = eigTensors(batch);
      const target = tf.randomNormal([batch.batchSize, batch.maxNodes, 4], 0, 1, 'float32', 5);
      const mask = t.nodeMask.expandDims(2);
      const loss = () =>
        tf.tidy(() =>
          tf
            .mul(
              tf.squaredDifference(layer.apply(inputsOf(t), { training: true }) as tf.Tensor, target),
              mask,
            )
            .mean(),
        ) as tf.Scalar;
      const l0 = loss().dataSync()[0]!;
      const opt = tf.train.adam(0.01);
      opt.minimize(loss, false, trainable(layer));
      const l1 = loss().dataSync()[0]!;
      expect(l1).toBeLessThan(l0);
      opt.dispose();
    });

    it('negative: rotating inside a repeated eigenspace (C6) generally changes the output', () => {
      const c6 = [item(cycle(6))];
      const b6 = batchOf(c6);
      const layer = new SignNetEncoder({ ...SMALL, seed: 9 });
      const base = encode(layer, b6);
      expect(maxAbsDiff(encode(layer, rotateAllEigenspaces(b6, c6, 1)), base)).toBeGreaterThan(1e-3);
    });

    it('rejects bad options', () => {
      expect(() => new SignNetEncoder({ phiLayers: 0 })).toThrow(/phiLayers/);
      expect(() => new SignNetEncoder({ rho: 'sum' as 'mlp' })).toThrow(/rho/);
    });
  });
}
