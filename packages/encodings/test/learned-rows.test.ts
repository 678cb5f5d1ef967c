// Row-layout helpers (sumRows, denseRows, batchNormReluRows, mlpRows): same values, gradients and running
// statistics as the composed tfjs ops (applyDense, applyBatchNorm with no mask, applyMlp), on cpu and wasm.
import {
  applyBatchNorm,
  applyDense,
  applyMlp,
  type BatchNormParams,
  batchNormReluRows,
  type DenseParams,
  denseRows,
  initBackend,
  type MlpParams,
  mlpRows,
  ParamLayer,
  sumRows,
  tf,
} from '@graphpe/encodings/learned';
import { beforeAll, describe, expect, it } from 'vitest';

class RowsProbe extends ParamLayer {
  static className = 'GraphpeRowsProbe';
  bn!: BatchNormParams;
  lin!: DenseParams;
  mlp!: MlpParams;
  override build(): void {
    this.bn = this.addBatchNorm('bn', 5);
    this.lin = this.addDense('lin', 4, 5);
    this.mlp = this.addMlp('mlp', { dims: [4, 6, 6, 2], batchNorm: true });
    this.built = true;
  }
}

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

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`row-layout ops on ${backend}`, () => {
    beforeAll(async () => {
      await initBackend({ backend, log: null });
    });

    it('sumRows and its gradient', () => {
      const x = tf.randomNormal([7, 3], 0, 1, 'float32', 1) as tf.Tensor2D;
      close(sumRows(x), tf.sum(x, 0));
      const w = tf.tensor1d([1, -2, 3]);
      const [g] = tf.grads((a: tf.Tensor) => tf.sum(tf.mul(sumRows(a as tf.Tensor2D), w)))([x]);
      close(g as tf.Tensor, tf.mul(tf.onesLike(x), w));
    });

    it('denseRows (with and without bias, ReLU) matches applyDense, gradients included', () => {
      const p = new RowsProbe({ seed: 2 });
      p.build();
      const x = tf.randomNormal([9, 4], 0, 1, 'float32', 3) as tf.Tensor2D;
      const W = p.lin.kernel.read() as tf.Tensor2D;
      const b = p.lin.bias?.read() as tf.Tensor1D;
      const c = tf.randomNormal([9, 5], 0, 1, 'float32', 4);
      for (const relu of [false, true]) {
        for (const withBias of [false, true]) {
          const ref = (a: tf.Tensor, w: tf.Tensor, bb: tf.Tensor) => {
            let y = tf.matMul(a as tf.Tensor2D, w as tf.Tensor2D) as tf.Tensor;
            if (withBias) y = tf.add(y, bb);
            return relu ? tf.relu(y) : y;
          };
          const mine = (a: tf.Tensor, w: tf.Tensor, bb: tf.Tensor) =>
            denseRows(a as tf.Tensor2D, w as tf.Tensor2D, withBias ? (bb as tf.Tensor1D) : null, relu);
          close(mine(x, W, b), ref(x, W, b));
          const loss = (f: typeof ref) => (a: tf.Tensor, w: tf.Tensor, bb: tf.Tensor) =>
            tf.sum(tf.mul(f(a, w, bb), c));
          const args = withBias ? [x, W, b] : [x, W];
          const wrap =
            (f: typeof ref) =>
            (...t: tf.Tensor[]) =>
              loss(f)(t[0] as tf.Tensor, t[1] as tf.Tensor, b);
          const g1 = withBias ? tf.grads(loss(ref))(args) : tf.grads(wrap(ref))(args);
          const g2 = withBias ? tf.grads(loss(mine))(args) : tf.grads(wrap(mine))(args);
          g1.forEach((g, i) => {
            close(g2[i] as tf.Tensor, g);
          });
        }
      }
      close(applyDense(x, p.lin), denseRows(x, W, b));
    });

    it('batchNormReluRows matches relu(applyBatchNorm) in training and eval, with the same running statistics', () => {
      const p1 = new RowsProbe({ seed: 5 });
      p1.build();
      const p2 = new RowsProbe({ seed: 5 });
      p2.build();
      const x = tf.add(tf.randomNormal([11, 5], 0, 2, 'float32', 6), 0.7) as tf.Tensor2D;
      const c = tf.randomNormal([11, 5], 0, 1, 'float32', 7);
      for (const relu of [true, false]) {
        const ref = (a: tf.Tensor) => {
          const y = applyBatchNorm(a, p1.bn, null, true);
          return relu ? tf.relu(y) : y;
        };
        const mine = (a: tf.Tensor) => batchNormReluRows(a as tf.Tensor2D, p2.bn, true, relu);
        const vars1 = [p1.bn.gamma.read(), p1.bn.beta.read()] as tf.Variable[];
        const vars2 = [p2.bn.gamma.read(), p2.bn.beta.read()] as tf.Variable[];
        const r1 = tf.variableGrads(() => tf.sum(tf.mul(ref(x), c)) as tf.Scalar, vars1);
        const r2 = tf.variableGrads(() => tf.sum(tf.mul(mine(x), c)) as tf.Scalar, vars2);
        close(r2.value, r1.value);
        vars1.forEach((v, i) => {
          close(r2.grads[(vars2[i] as tf.Variable).name] as tf.Tensor, r1.grads[v.name] as tf.Tensor);
        });
        const [dx1] = tf.grads((a: tf.Tensor) => tf.sum(tf.mul(ref(a), c)))([x]);
        const [dx2] = tf.grads((a: tf.Tensor) => tf.sum(tf.mul(mine(a), c)))([x]);
        close(dx2 as tf.Tensor, dx1 as tf.Tensor);
        close(p2.bn.movingMean.read(), p1.bn.movingMean.read());
        close(p2.bn.movingVariance.read(), p1.bn.movingVariance.read());
        const e1 = applyBatchNorm(x, p1.bn, null, false);
        close(batchNormReluRows(x, p2.bn, false, relu), relu ? tf.relu(e1) : e1);
      }
    });

    it('mlpRows matches applyMlp with no mask (values and gradients, training and eval)', () => {
      const p1 = new RowsProbe({ seed: 8 });
      p1.build();
      const p2 = new RowsProbe({ seed: 8 });
      p2.build();
      const x = tf.randomNormal([13, 4], 0, 1, 'float32', 9) as tf.Tensor2D;
      const v1 = p1.trainableWeights.map((w) => w.read() as tf.Variable);
      const v2 = p2.trainableWeights.map((w) => w.read() as tf.Variable);
      const r1 = tf.variableGrads(() => tf.sum(tf.square(applyMlp(x, p1.mlp, null, true))) as tf.Scalar, v1);
      const r2 = tf.variableGrads(() => tf.sum(tf.square(mlpRows(x, p2.mlp, true))) as tf.Scalar, v2);
      close(r2.value, r1.value);
      v1.forEach((v, i) => {
        const g1 = r1.grads[v.name];
        const g2 = r2.grads[(v2[i] as tf.Variable).name];
        if (g1 && g2) close(g2, g1, 1e-4);
      });
      close(mlpRows(x, p2.mlp, false), applyMlp(x, p1.mlp, null, false));
    });
  });
}
