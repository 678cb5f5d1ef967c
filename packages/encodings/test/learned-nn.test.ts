import {
  applyBatchNorm,
  applyDense,
  applyMlp,
  type BatchNormParams,
  type DenseParams,
  initBackend,
  type MlpParams,
  maskedMean,
  matMul,
  neighbourSum,
  ParamLayer,
  tf,
} from '@graphpe/encodings/learned';
import { beforeAll, describe, expect, it } from 'vitest';

class Probe extends ParamLayer {
  static className = 'GraphpeProbe';
  bn!: BatchNormParams;
  mlp!: MlpParams;
  lin!: DenseParams;
  override build(): void {
    this.bn = this.addBatchNorm('bn', 2);
    this.lin = this.addDense('lin', 2, 3);
    this.mlp = this.addMlp('mlp', { dims: [2, 3, 1], batchNorm: true });
    this.built = true;
  }
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`nn ops on ${backend}`, () => {
    beforeAll(async () => {
      await initBackend({ backend, log: null });
    });

    it('applyDense matches a hand-computed affine map on a 3-D input', () => {
      const p = new Probe({ seed: 1 });
      p.build();
      const dense = p.lin;
      dense.kernel.write(
        tf.tensor2d([
          [1, 2, 3],
          [4, 5, 6],
        ]),
      );
      dense.bias!.write(tf.tensor1d([0.5, 0, -1]));
      const y = applyDense(tf.tensor3d([[[1, 1]], [[2, -1]]]), dense);
      expect(y.shape).toEqual([2, 1, 3]);
      expect(Array.from(y.dataSync())).toEqual([5.5, 7, 8, -1.5, -1, -1]);
    });

    it('masked batch norm ignores padded rows in its statistics and zeroes them', () => {
      const p = new Probe({ seed: 1 });
      p.build();
      const x = tf.tensor3d([
        [
          [1, 10],
          [3, 30],
          [1000, -1000],
        ],
      ]); // third row is padding
      const mask = tf.tensor2d([[1, 1, 0]]);
      const y = applyBatchNorm(x, p.bn, mask, true).arraySync() as number[][][];
      // mean (2, 20), var (1, 100): normalised rows are ±1
      expect(y[0]![0]![0]).toBeCloseTo(-1, 4);
      expect(y[0]![1]![1]).toBeCloseTo(1, 4);
      expect(y[0]![2]!.map(Math.abs)).toEqual([0, 0]);
      // running stats moved 10% toward (2, 20) and (1, 100)
      expect(Array.from(p.bn.movingMean.read().dataSync())).toEqual([
        expect.closeTo(0.2, 6),
        expect.closeTo(2, 5),
      ]);
      expect(Array.from(p.bn.movingVariance.read().dataSync())).toEqual([
        expect.closeTo(1, 6),
        expect.closeTo(10.9, 4),
      ]);
      // the same rows without the padding give the same output
      const y2 = applyBatchNorm(
        tf.tensor3d([
          [
            [1, 10],
            [3, 30],
          ],
        ]),
        p.bn,
        null,
        true,
      ).arraySync() as number[][][];
      expect(y2[0]![0]![0]).toBeCloseTo(y[0]![0]![0]!, 5);
    });

    it('gradients flow through a batch-normed MLP and the BN update inside the tape', () => {
      const p = new Probe({ seed: 2 });
      p.build();
      const x = tf.randomNormal([4, 5, 2], 0, 1, 'float32', 3);
      const mask = tf.tensor2d([
        [1, 1, 1, 0, 0],
        [1, 1, 1, 1, 1],
        [1, 0, 0, 0, 0],
        [1, 1, 0, 0, 0],
      ]);
      const vars = p.trainableWeights
        .filter((w) => w.name.startsWith('mlp/'))
        .map((w) => (w as unknown as { val: tf.Variable }).val);
      expect(vars.length).toBe(5);
      const { grads } = tf.variableGrads(
        () => applyMlp(x, p.mlp, mask, true).square().mean() as tf.Scalar,
        vars,
      );
      for (const v of vars) expect(tf.abs(grads[v.name]!).sum().dataSync()[0]).toBeGreaterThan(0);
    });

    it('neighbourSum and maskedMean', () => {
      const a = tf.tensor3d([
        [
          [0, 1, 0],
          [1, 0, 1],
          [0, 1, 0],
        ],
      ]);
      const x = tf.tensor3d([[[1], [2], [4]]]);
      expect(Array.from(neighbourSum(a, x).dataSync())).toEqual([2, 5, 2]);
      const m = tf.tensor3d([[[1], [1], [0]]]);
      expect(Array.from(maskedMean(x, m, 1).dataSync())).toEqual([1.5]);
    });

    it('seeded initialisers are deterministic', () => {
      const a = new Probe({ seed: 5 });
      a.build();
      const b = new Probe({ seed: 5 });
      b.build();
      expect(Array.from(a.mlp.layers[0]!.kernel.read().dataSync())).toEqual(
        Array.from(b.mlp.layers[0]!.kernel.read().dataSync()),
      );
    });
  });
}

describe('matMul with explicit-transpose gradients', () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    it(`equals tf.matMul in value and gradient (2-D and batched) on ${backend}`, async () => {
      await initBackend({ backend, log: null });
      for (const [sa, sb] of [
        [
          [5, 3],
          [3, 4],
        ],
        [
          [2, 5, 3],
          [2, 3, 4],
        ],
      ] as const) {
        const a = tf.randomNormal([...sa], 0, 1, 'float32', 1);
        const b = tf.randomNormal([...sb], 0, 1, 'float32', 2);
        const w = tf.randomNormal([...sa.slice(0, -1), sb[sb.length - 1]!], 0, 1, 'float32', 3);
        const f1 = (x: tf.Tensor, y: tf.Tensor) =>
          tf.mul(tf.matMul(x as tf.Tensor3D, y as tf.Tensor3D), w).sum();
        const f2 = (x: tf.Tensor, y: tf.Tensor) => tf.mul(matMul(x, y), w).sum();
        expect(maxAbs(tf.sub(tf.matMul(a as tf.Tensor3D, b as tf.Tensor3D), matMul(a, b)))).toBeLessThan(
          1e-5,
        );
        const g1 = tf.grads(f1)([a, b]);
        const g2 = tf.grads(f2)([a, b]);
        expect(maxAbs(tf.sub(g1[0]!, g2[0]!))).toBeLessThan(1e-5);
        expect(maxAbs(tf.sub(g1[1]!, g2[1]!))).toBeLessThan(1e-5);
      }
    });
  }
});

function maxAbs(t: tf.Tensor): number {
  return tf.max(tf.abs(t)).dataSync()[0] as number;
}
