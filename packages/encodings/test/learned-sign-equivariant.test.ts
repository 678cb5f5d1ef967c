import {
  denseLinkScores,
  type EigBatch,
  type EigTensors,
  eigTensors,
  initBackend,
  linkScores,
  SignDSSLayer,
  type SignEquivariantArgs,
  SignEquivariantNet,
  tf,
} from '@graphpe/encodings/learned';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  batchOf,
  fixtureGraphs,
  flipColumns,
  item,
  maxAbsDiff,
  permuteBatch,
  randomPerm,
  randomSigns,
  rowsOf,
  run,
  saveLoad,
} from './learned-helpers.js';

const TOL = 1e-5;
const inputsOf = (t: EigTensors): tf.Tensor[] => [t.vectors, t.adjacency, t.nodeMask, t.eigMask];
const SMALL: SignEquivariantArgs = { hidden: 6, layers: 3, seed: 2 };

function encode(layer: tf.layers.Layer, batch: EigBatch, training = false): number[][][] {
  return run((t) => layer.apply(inputsOf(t), { training }) as tf.Tensor, batch);
}

function trainable(layer: tf.layers.Layer): tf.Variable[] {
  return layer.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
}

/** Z·S with S the per-graph diagonal sign matrices. */
function timesSigns(z: number[][][], signs: Float32Array, K: number): number[][][] {
  return z.map((g, b) => g.map((row) => row.map((x, j) => x * (signs[b * K + j] as number))));
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`SignEquivariantNet on ${backend}`, () => {
    beforeAll(async () => {
      await initBackend({ backend, log: null });
    });
    const items = fixtureGraphs().map((g) => item(g));
    const batch = batchOf(items);
    const K = batch.k;

    it('f(VS) = f(V)S for random sign matrices (neighbour mean and mean over all nodes)', () => {
      for (const aggregation of ['neighbours', 'all'] as const) {
        const layer = new SignEquivariantNet({ ...SMALL, aggregation });
        const z = encode(layer, batch);
        expect(maxAbsDiff(z, timesSigns(z, new Float32Array(batch.batchSize * K), K))).toBeGreaterThan(1e-2);
        for (const seed of [1, 2, 3]) {
          const s = randomSigns(batch.batchSize, K, seed);
          expect(maxAbsDiff(encode(layer, flipColumns(batch, s)), timesSigns(z, s, K))).toBeLessThan(TOL);
        }
      }
    });

    it('f(PV; PAPᵀ) = P f(V; A)', () => {
      for (const aggregation of ['neighbours', 'all'] as const) {
        const layer = new SignEquivariantNet({ ...SMALL, aggregation });
        const z = encode(layer, batch);
        const perm = randomPerm(9, 4);
        const zp = encode(layer, permuteBatch(batch, 1, perm));
        for (let i = 0; i < 9; i++) expect(maxAbsDiff(zp[1]![perm[i]!], z[1]![i])).toBeLessThan(TOL);
      }
    });

    it('edge scores z_i·z_j are unchanged under V → VS; linkScores picks the dense scores', () => {
      const layer = new SignEquivariantNet(SMALL);
      const s = randomSigns(batch.batchSize, K, 8);
      const dense = (b: EigBatch) => run((t) => denseLinkScores(layer.apply(inputsOf(t)) as tf.Tensor), b);
      const d0 = dense(batch);
      expect(maxAbsDiff(dense(flipColumns(batch, s)), d0)).toBeLessThan(TOL);
      const pairs = [
        [0, 0, 1],
        [1, 3, 8],
        [3, 0, 4],
        [2, 2, 2],
      ];
      const scores = tf.tidy(() => {
        const z = layer.apply(inputsOf(eigTensors(batch))) as tf.Tensor;
        return Array.from(linkScores(z, pairs).dataSync());
      });
      pairs.forEach(([b, i, j], e) => {
        const d = d0[b!]![i!]![j!]!;
        expect(Math.abs(scores[e]! - d)).toBeLessThan(TOL * Math.max(1, Math.abs(d)));
      });
    });

    it('padding and batching: a graph alone (same K) equals its batched rows; padding stays 0', () => {
      const layer = new SignEquivariantNet(SMALL);
      const together = encode(layer, batch);
      items.forEach((it, b) => {
        const alone = encode(layer, batchOf([it], undefined, K));
        const n = it.graph.n;
        expect(maxAbsDiff(rowsOf(alone, 0, n), rowsOf(together, b, n))).toBeLessThan(TOL);
        const g = together[b] as number[][];
        for (const row of g.slice(n)) expect(row.every((x) => x === 0)).toBe(true);
        for (const row of g.slice(0, n)) expect(row.slice(it.spectrum.k).every((x) => x === 0)).toBe(true);
      });
    });

    it('one DSS layer stacked in a functional model; the net survives save/load', async () => {
      const { maxNodes: N } = batch;
      const inputs = [
        tf.input({ shape: [N, K] }),
        tf.input({ shape: [N, N] }),
        tf.input({ shape: [N] }),
        tf.input({ shape: [K] }),
      ];
      const [v, a, nm, em] = inputs as [
        tf.SymbolicTensor,
        tf.SymbolicTensor,
        tf.SymbolicTensor,
        tf.SymbolicTensor,
      ];
      const x1 = new SignDSSLayer({ hidden: 5, seed: 1 }).apply([v, a, nm, em]) as tf.SymbolicTensor;
      const x2 = new SignEquivariantNet({ ...SMALL, layers: 2 }).apply([x1, a, nm, em]) as tf.SymbolicTensor;
      const model = tf.model({ inputs, outputs: x2 });
      expect(x2.shape).toEqual([null, N, K]);
      const predict = (m: tf.LayersModel, b: EigBatch) => run((t) => m.predict(inputsOf(t)) as tf.Tensor, b);
      const z = predict(model, batch);
      const loaded = await saveLoad(model);
      expect(maxAbsDiff(predict(loaded, batch), z)).toBeLessThan(1e-6);
      const s = randomSigns(batch.batchSize, K, 5);
      expect(maxAbsDiff(predict(loaded, flipColumns(batch, s)), timesSigns(z, s, K))).toBeLessThan(TOL);
    });

    it('every trainable weight gets a non-zero gradient through linkScores (gather on wasm)', () => {
      const layer = new SignEquivariantNet(SMALL);
      const t = eigTensors(batch);
      layer.apply(inputsOf(t));
      const vars = trainable(layer);
      expect(vars.length).toBe(3 * 2 * 5); // a, 2 kernels, 2 biases per gate
      const pairs = tf.tensor2d(
        [
          [0, 0, 1],
          [1, 2, 7],
          [2, 1, 3],
          [3, 0, 2],
        ],
        undefined,
        'int32',
      );
      const { grads, value } = tf.variableGrads(
        () =>
          tf
            .mul(
              linkScores(layer.apply(inputsOf(t), { training: true }) as tf.Tensor, pairs),
              [1, -2, 3, 0.5],
            )
            .sum() as tf.Scalar,
        vars,
      );
      for (const v of vars) expect(tf.abs(grads[v.name]!).sum().dataSync()[0], v.name).toBeGreaterThan(0);
      tf.dispose([value, pairs, ...Object.values(grads), ...Object.values(t)]);
    });

    it('one Adam step lowers a link-prediction BCE loss', () => {
      const layer = new SignEquivariantNet(SMALL);
      const t = eigTensors(batch);
      const pos = [
        [0, 0, 1],
        [1, 0, 1],
        [2, 1, 2],
        [3, 0, 3],
      ];
      const neg = [
        [0, 0, 3],
        [1, 2, 6],
        [2, 0, 4],
        [3, 1, 2],
      ];
      const pairs = tf.tensor2d([...pos, ...neg], undefined, 'int32');
      const labels = tf.tensor1d([1, 1, 1, 1, 0, 0, 0, 0]);
      const loss = () =>
        tf.tidy(() =>
          tf.losses.sigmoidCrossEntropy(
            labels,
            linkScores(layer.apply(inputsOf(t), { training: true }) as tf.Tensor, pairs),
          ),
        ) as tf.Scalar;
      const l0 = loss().dataSync()[0]!;
      const opt = tf.train.adam(0.01);
      opt.minimize(loss, false, trainable(layer));
      expect(loss().dataSync()[0]!).toBeLessThan(l0);
      opt.dispose();
      tf.dispose([pairs, labels]);
    });

    it('rejects a free K and bad options', () => {
      expect(() => new SignEquivariantNet({ layers: 0 })).toThrow(/layers/);
      expect(() => new SignEquivariantNet({ aggregation: 'max' as 'all' })).toThrow(/aggregation/);
      const l = new SignEquivariantNet();
      expect(() =>
        l.build([
          [null, 5, null],
          [null, 5, 5],
          [null, 5],
          [null, null],
        ]),
      ).toThrow(/fixed number/);
    });
  });
}
