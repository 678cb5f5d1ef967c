// Sparse neighbour aggregation (sparse-aggregate.ts): the same values and input gradients as the dense
// batched-matmul neighbourSum, and SignNet's sparse path (cpu/wasm default) equal to its dense path
// (GRAPHPE_DENSE_AGGREGATION=1) in outputs and parameter gradients, on cpu and wasm.
import {
  eigTensors,
  initBackend,
  neighbourSum,
  type SignNetArgs,
  SignNetEncoder,
  sparseNeighbourSum,
  tf,
} from '@graphpe/encodings/learned';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { batchOf, fixtureGraphs, item } from './learned-helpers.js';

function close(a: tf.Tensor, b: tf.Tensor, tol = 1e-5): void {
  expect(a.shape).toEqual(b.shape);
  const x = a.dataSync();
  const y = b.dataSync();
  let d = 0;
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    d = Math.max(d, Math.abs((x[i] as number) - (y[i] as number)));
    s = Math.max(s, Math.abs(x[i] as number));
  }
  expect(d).toBeLessThanOrEqual(tol * (1 + s));
}

const ENV = 'GRAPHPE_DENSE_AGGREGATION';

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`sparse neighbour aggregation on ${backend}`, () => {
    beforeAll(async () => {
      await initBackend({ backend, log: null });
    });
    afterEach(() => {
      delete process.env[ENV];
    });

    it('sparseNeighbourSum equals neighbourSum, input gradient included (weighted, non-symmetric A)', () => {
      const B = 3;
      const N = 5;
      const a = tf.tidy(() => {
        const r = tf.randomUniform([B, N, N], 0, 1, 'float32', 7);
        const keep = tf.cast(tf.greater(r, 0.6), 'float32');
        return tf.mul(keep, tf.randomNormal([B, N, N], 0, 1, 'float32', 8));
      });
      const x = tf.randomNormal([B, N, 2, 3], 0, 1, 'float32', 9);
      const c = tf.randomNormal([B, N, 2, 3], 0, 1, 'float32', 10);
      close(sparseNeighbourSum(a, x), neighbourSum(a, x));
      const [gs] = tf.grads((t: tf.Tensor) => tf.sum(tf.mul(sparseNeighbourSum(a, t), c)))([x]);
      const [gd] = tf.grads((t: tf.Tensor) => tf.sum(tf.mul(neighbourSum(a, t), c)))([x]);
      close(gs as tf.Tensor, gd as tf.Tensor);
    });

    it('SignNet: sparse path equals the dense formulation (outputs, parameter gradients, running stats)', () => {
      const batch = batchOf(fixtureGraphs().map((g) => item(g)));
      const t = eigTensors(batch);
      const inputs = [t.vectors, t.values, t.adjacency, t.nodeMask, t.eigMask];
      for (const args of [
        { hidden: 8, phiLayers: 3, outDim: 4, seed: 3 },
        { hidden: 6, phiLayers: 2, outDim: 3, seed: 5, useEigenvalues: true },
      ] as SignNetArgs[]) {
        const run = (dense: boolean) => {
          if (dense) process.env[ENV] = '1';
          else delete process.env[ENV];
          const layer = new SignNetEncoder(args);
          const evalOut = layer.apply(inputs, { training: false }) as tf.Tensor;
          const vars = layer.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
          const c = tf.randomNormal(evalOut.shape, 0, 1, 'float32', 11);
          const { value, grads } = tf.variableGrads(
            () => tf.sum(tf.mul(layer.apply(inputs, { training: true }) as tf.Tensor, c)) as tf.Scalar,
            vars,
          );
          const stats = layer.nonTrainableWeights.map((w) => w.read());
          return { evalOut, value, grads: vars.map((v) => grads[v.name] as tf.Tensor), stats };
        };
        const d = run(true);
        const s = run(false);
        close(s.evalOut, d.evalOut);
        close(s.value, d.value, 1e-4);
        expect(s.grads.length).toBe(d.grads.length);
        for (let i = 0; i < s.grads.length; i++)
          close(s.grads[i] as tf.Tensor, d.grads[i] as tf.Tensor, 1e-4);
        for (let i = 0; i < s.stats.length; i++) close(s.stats[i] as tf.Tensor, d.stats[i] as tf.Tensor);
      }
    });
  });
}
