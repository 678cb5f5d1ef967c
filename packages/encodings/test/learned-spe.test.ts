// SPE (docs/encodings.md, "Learned encoders"): the shared encoder suite (sign and basis invariance with the full spectrum,
// the truncation negative test, permutation equivariance, padding/batching, save/load, gradients, one
// optimizer step; learned-encoder-suite.ts) plus the other φ variants, the hand-written-gradient
// kernels (dense2d, bnReluTrain, ginAggregate) and SPE's option checks — on the cpu and wasm backends.
import {
  type BatchNormParams,
  initBackend,
  ParamLayer,
  SpeEncoder,
  type SpeEncoderArgs,
  tf,
} from '@graphpe/encodings/learned';
import { beforeAll, describe, expect, it } from 'vitest';
import { bnReluTrain, dense2d, ginAggregate } from '../src/learned/spe.js';
import { encoderInvarianceSuite, expectInvariantAndTrainable, expectSame } from './learned-encoder-suite.js';
import { batchOf, fixtureGraphs, item, run } from './learned-helpers.js';

const SMALL: SpeEncoderArgs = { m: 4, phiHidden: 8, rhoLayers: 2, rhoHidden: 16, outDim: 5, seed: 3 };

class BnProbe extends ParamLayer {
  static className = 'GraphpeSpeBnProbe';
  bn!: BatchNormParams;
  override build(): void {
    this.bn = this.addBatchNorm('bn', 3);
    this.built = true;
  }
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`SpeEncoder on ${backend}`, () => {
    beforeAll(async () => {
      await initBackend({ backend, log: null });
    });

    encoderInvarianceSuite({
      fn: 'SPE',
      recomputed: 'ρ layers',
      create: (args) => new SpeEncoder(args),
      small: SMALL,
      className: 'GraphpeSPE',
      config: { m: 4, phi: 'mlp', phiHidden: 8, rhoLayers: 2, rhoHidden: 16, outDim: 5 },
      // φ: 3 Linear (2 without bias) + 2 BatchNorm (γ, β); ρ: per layer ε + 3 Linear (1 bias) + 2 BN
      trainableWeights: 4 + 4 + 2 * (1 + 4 + 4),
    });

    const items = fixtureGraphs().map((g) => item(g));

    for (const phi of ['deepsets', 'zero'] as const) {
      it(`φ = ${phi}: sign/basis invariance, batching, gradients`, () => {
        const layer = new SpeEncoder({ ...SMALL, phi, phiLayers: 3 });
        expectInvariantAndTrainable(layer, items, { flip: 4, rotate: 23 }, (fn, ref) =>
          expectSame(
            ref,
            run(fn, batchOf(items, 12, 14)).map((r) => r.slice(0, 9)),
          ),
        );
      });
    }

    it('dense2d (explicit-transpose gradients) matches tfjs matMul (+ bias, ReLU) and its gradients', () => {
      const x = tf.randomNormal([7, 5], 0, 1, 'float32', 1) as tf.Tensor2D;
      const w = tf.randomNormal([5, 3], 0, 1, 'float32', 2) as tf.Tensor2D;
      const b = tf.randomNormal([3], 0, 1, 'float32', 3);
      const dy = tf.randomNormal([7, 3], 0, 1, 'float32', 4);
      for (const [bias, relu] of [
        [null, false],
        [null, true],
        [b, false],
        [b, true],
      ] as const) {
        const ref = (...t: tf.Tensor[]) => {
          let y = tf.matMul(t[0] as tf.Tensor2D, t[1] as tf.Tensor2D) as tf.Tensor;
          if (bias) y = tf.add(y, t[2] as tf.Tensor);
          return tf.sum(tf.mul(relu ? tf.relu(y) : y, dy));
        };
        const mine = (...t: tf.Tensor[]) =>
          tf.sum(tf.mul(dense2d(t[0] as tf.Tensor2D, t[1] as tf.Tensor2D, t[2] ?? null, relu), dy));
        const args = bias ? [x, w, bias] : [x, w];
        expectSame([ref(...args).arraySync()], [mine(...args).arraySync()]);
        const gr = tf.grads(ref)(args);
        const gm = tf.grads(mine)(args);
        for (let i = 0; i < args.length; i++) expectSame(gr[i]!.arraySync(), gm[i]!.arraySync());
      }
    });

    it('bnReluTrain and ginAggregate (hand-written gradients) match the composed tfjs ops', () => {
      const p = new BnProbe();
      p.build();
      const gamma = (p.bn.gamma as unknown as { val: tf.Variable }).val;
      const beta = (p.bn.beta as unknown as { val: tf.Variable }).val;
      gamma.assign(tf.tensor1d([1.5, -0.7, 0.9]));
      beta.assign(tf.tensor1d([0.2, 0.1, -0.3]));
      const x = tf.variable(tf.randomNormal([6, 3], 0, 1, 'float32', 11));
      const mask = tf.tensor2d([[1], [1], [0], [1], [1], [0]]);
      const dy = tf.randomNormal([6, 3], 0, 1, 'float32', 12);
      const ref = () => {
        const n = mask.sum();
        const mu = tf.div(tf.sum(tf.mul(x, mask), 0), n);
        const v = tf.div(tf.sum(tf.mul(tf.square(tf.sub(x, mu)), mask), 0), n);
        const y = tf.relu(tf.add(tf.mul(tf.div(tf.sub(x, mu), tf.sqrt(tf.add(v, 1e-5))), gamma), beta));
        return tf.sum(tf.mul(y, dy)) as tf.Scalar;
      };
      const mine = () => tf.sum(tf.mul(bnReluTrain(x as tf.Tensor2D, p.bn, mask), dy)) as tf.Scalar;
      const vars = [x, gamma, beta];
      const gr = tf.variableGrads(ref, vars);
      const gm = tf.variableGrads(mine, vars);
      expectSame([gr.value.arraySync()], [gm.value.arraySync()]);
      for (const v of vars) expectSame(gr.grads[v.name]!.arraySync(), gm.grads[v.name]!.arraySync());
      // running statistics moved toward the masked batch statistics
      expect(p.bn.movingMean.read().arraySync()).not.toEqual([0, 0, 0]);

      const a = tf.tensor3d([
        [
          [0, 1, 0],
          [1, 0, 2],
          [0, 2, 0],
        ],
      ]);
      const xs = tf.variable(tf.randomNormal([1, 3, 4], 0, 1, 'float32', 13));
      const eps = tf.variable(tf.tensor1d([0.3]));
      const dz = tf.randomNormal([1, 3, 4], 0, 1, 'float32', 14);
      const refG = () =>
        tf.sum(tf.mul(tf.add(tf.matMul(a, xs), tf.mul(xs, tf.add(eps, 1))), dz)) as tf.Scalar;
      const mineG = () => tf.sum(tf.mul(ginAggregate(a, xs as tf.Tensor3D, eps), dz)) as tf.Scalar;
      const hr = tf.variableGrads(refG, [xs, eps]);
      const hm = tf.variableGrads(mineG, [xs, eps]);
      expectSame([hr.value.arraySync()], [hm.value.arraySync()]);
      for (const v of [xs, eps]) expectSame(hr.grads[v.name]!.arraySync(), hm.grads[v.name]!.arraySync());
      tf.dispose([x, xs, eps]);
    });

    it('rejects bad options and wrong inputs with GraphpeError', () => {
      expect(() => new SpeEncoder({ m: 0 })).toThrow(/m must be a positive integer/);
      expect(() => new SpeEncoder({ phi: 'nope' as 'mlp' })).toThrow(/phi must be one of/);
      const layer = new SpeEncoder(SMALL);
      expect(() => layer.apply([tf.zeros([1, 2, 2]), tf.zeros([1, 2])])).toThrow(/expected 5 inputs/);
    });
  });
}
