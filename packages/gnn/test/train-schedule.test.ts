import { initBackend, tf } from '@graphpe/encodings/learned';
import { AdamWithDecay, learningRateAt } from '@graphpe/gnn';
import { beforeAll, describe, expect, it } from 'vitest';

describe('learning-rate schedule', () => {
  const s = { base: 1e-3, warmupSteps: 100, totalSteps: 1100 };
  it('linear warm-up then linear decay to 0 (SPE ZINC recipe)', () => {
    expect(learningRateAt(0, s)).toBe(0);
    expect(learningRateAt(50, s)).toBeCloseTo(5e-4, 15);
    expect(learningRateAt(100, s)).toBeCloseTo(1e-3, 15);
    expect(learningRateAt(600, s)).toBeCloseTo(5e-4, 15);
    expect(learningRateAt(1100, s)).toBe(0);
    expect(learningRateAt(5000, s)).toBe(0);
  });
  it('cosine decay, floor, constant', () => {
    expect(learningRateAt(600, { ...s, kind: 'cosine' })).toBeCloseTo(5e-4, 15);
    expect(learningRateAt(350, { ...s, kind: 'cosine' })).toBeCloseTo(
      1e-3 * 0.5 * (1 + Math.cos(Math.PI / 4)),
      15,
    );
    expect(learningRateAt(1100, { ...s, kind: 'cosine' })).toBeCloseTo(0, 15);
    expect(learningRateAt(600, { ...s, minLr: 1e-4 })).toBeCloseTo(5.5e-4, 15);
    expect(learningRateAt(7, { ...s, kind: 'constant' })).toBe(1e-3);
    expect(learningRateAt(10, { ...s, warmupSteps: 0 })).toBeCloseTo(1e-3 * (1 - 10 / 1100), 15);
  });
  it('rejects bad options', () => {
    expect(() => learningRateAt(0, { base: 0, totalSteps: 10 })).toThrow(/base > 0/);
  });
});

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`Adam weight decay on ${backend}`, () => {
    beforeAll(async () => {
      await initBackend({ backend, log: null });
    });
    it('adam adds wd·θ to the gradient of decayed variables only (PyTorch Adam)', () => {
      const w = tf.variable(tf.tensor2d([[2, -3]]));
      const b = tf.variable(tf.tensor1d([2]));
      const opt = new AdamWithDecay(
        [
          { variable: w, decay: true },
          { variable: b, decay: false },
        ],
        { kind: 'adam', weightDecay: 0.1 },
      );
      opt.learningRate = 0.01;
      // loss with zero gradient: only the decay term moves w; first Adam step = lr·sign(g)
      const l = opt.step(() => tf.mul(tf.add(tf.sum(w), tf.sum(b)), 0) as tf.Scalar);
      l.dispose();
      const wv = Array.from(w.dataSync());
      expect(wv[0]).toBeCloseTo(2 - 0.01, 5);
      expect(wv[1]).toBeCloseTo(-3 + 0.01, 5);
      expect(b.dataSync()[0]).toBe(2);
      opt.dispose();
      tf.dispose([w, b]);
    });
    it('adamw shrinks decayed variables by (1 − lr·wd), decoupled from the gradient', () => {
      const w = tf.variable(tf.tensor2d([[2, -3]]));
      const b = tf.variable(tf.tensor1d([2]));
      const opt = new AdamWithDecay(
        [
          { variable: w, decay: true },
          { variable: b, decay: false },
        ],
        { kind: 'adamw', weightDecay: 0.1 },
      );
      opt.learningRate = 0.01;
      const l = opt.step(() => tf.mul(tf.add(tf.sum(w), tf.sum(b)), 0) as tf.Scalar);
      l.dispose();
      const wv = Array.from(w.dataSync());
      expect(wv[0]).toBeCloseTo(2 * (1 - 0.001), 6);
      expect(wv[1]).toBeCloseTo(-3 * (1 - 0.001), 6);
      expect(b.dataSync()[0]).toBe(2);
      opt.dispose();
      tf.dispose([w, b]);
    });
  });
}
