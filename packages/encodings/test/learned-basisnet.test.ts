// BasisNet-style encoder on eigenspace projectors (encodings.md §3): sign and basis invariance with
// the full spectrum (including a disconnected graph's null space), the negative test for a truncation
// that splits an eigenspace, permutation equivariance, padding/batching, save/load, gradients and one
// optimizer step — on the cpu and wasm backends.
import {
  BasisNetEncoder,
  type BasisNetEncoderArgs,
  type EigBatch,
  type EigTensors,
  eigTensors,
  initBackend,
  tf,
} from '@graphpe/encodings/learned';
import { fromEdgeList } from '@graphpe/spectral';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  batchOf,
  cloneBatch,
  cycle,
  fixtureGraphs,
  flipSigns,
  item,
  maxAbsDiff,
  permuteGraph,
  randomPerm,
  rotateAllEigenspaces,
  run,
  saveLoad,
} from './learned-helpers.js';

const TOL = 1e-5;
const SMALL: BasisNetEncoderArgs = { layers: 2, hidden: 16, outDim: 5, maxMultiplicity: 4, seed: 3 };

function inputsOf(t: EigTensors): tf.Tensor[] {
  return [t.vectors, t.values, t.adjacency, t.nodeMask, t.eigMask];
}

function evalFn(layer: BasisNetEncoder): (t: EigTensors) => tf.Tensor {
  return (t) => layer.apply(inputsOf(t), { training: false }) as tf.Tensor;
}

function scaleOf(a: unknown): number {
  const f = (a as unknown[]).flat(Number.POSITIVE_INFINITY) as number[];
  return Math.max(1, ...f.map(Math.abs));
}

/** Asserts max|a − b| ≤ TOL·max(1, max|a|) (float32, relative). */
function expectSame(a: unknown, b: unknown): void {
  expect(maxAbsDiff(a, b)).toBeLessThanOrEqual(TOL * scaleOf(a));
}

/** The first k eigen-columns of a batch (a truncation applied after any change of basis). */
function truncateBatch(batch: EigBatch, k: number): EigBatch {
  const { batchSize: B, maxNodes: N, k: K } = batch;
  const vectors = new Float32Array(B * N * k);
  const values = new Float32Array(B * k);
  const eigMask = new Float32Array(B * k);
  for (let b = 0; b < B; b++)
    for (let j = 0; j < k; j++) {
      values[b * k + j] = batch.values[b * K + j] as number;
      eigMask[b * k + j] = batch.eigMask[b * K + j] as number;
      for (let i = 0; i < N; i++) vectors[(b * N + i) * k + j] = batch.vectors[(b * N + i) * K + j] as number;
    }
  return { ...cloneBatch(batch), k, vectors, values, eigMask };
}

/** Rotates graph b's columns (start, start+1) by the angle θ. */
function rotatePair(batch: EigBatch, b: number, start: number, theta: number): EigBatch {
  const out = cloneBatch(batch);
  const { maxNodes: N, k: K } = batch;
  const c = Math.cos(theta);
  const s = Math.sin(theta);
  for (let i = 0; i < N; i++) {
    const o = (b * N + i) * K + start;
    const x = batch.vectors[o] as number;
    const y = batch.vectors[o + 1] as number;
    out.vectors[o] = c * x + s * y;
    out.vectors[o + 1] = -s * x + c * y;
  }
  return out;
}

function trainableVars(layer: tf.layers.Layer): tf.Variable[] {
  return layer.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
}

function allGradsNonZero(layer: BasisNetEncoder, batch: EigBatch): void {
  const vars = trainableVars(layer);
  const t = eigTensors(batch);
  const target = tf.randomNormal([batch.batchSize, batch.maxNodes, layer.outDim], 0, 1, 'float32', 5);
  const { value, grads } = tf.variableGrads(() => {
    const out = layer.apply(inputsOf(t), { training: true }) as tf.Tensor;
    return tf.mean(tf.square(tf.sub(out, target))) as tf.Scalar;
  }, vars);
  expect(Number.isFinite(value.dataSync()[0])).toBe(true);
  for (const v of vars) {
    const g = grads[v.name];
    expect(g, v.name).toBeDefined();
    expect(
      tf
        .abs(g as tf.Tensor)
        .sum()
        .dataSync()[0],
      v.name,
    ).toBeGreaterThan(0);
  }
  tf.dispose([value, target, ...Object.values(grads), ...inputsOf(t)]);
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`BasisNetEncoder on ${backend}`, () => {
    beforeAll(async () => {
      await initBackend({ backend, log: null });
    });

    const graphs = fixtureGraphs();
    const items = graphs.map((g) => item(g));

    it('output has shape [B, N, outDim] and is zero on padded nodes', () => {
      const layer = new BasisNetEncoder(SMALL);
      const batch = batchOf(items);
      const out = run(evalFn(layer), batch);
      expect([out.length, out[0]?.length, out[0]?.[0]?.length]).toEqual([4, 9, 5]);
      for (let b = 0; b < 4; b++)
        for (let i = graphs[b]!.n; i < 9; i++) expect(out[b]![i]!.every((x) => x === 0)).toBe(true);
      expect(scaleOf(out)).toBeGreaterThan(1e-3);
    });

    it('is invariant to per-column sign flips', () => {
      const fn = evalFn(new BasisNetEncoder(SMALL));
      const batch = batchOf(items);
      const ref = run(fn, batch);
      for (const seed of [1, 2, 3]) expectSame(ref, run(fn, flipSigns(batch, seed)));
    });

    it('is invariant to random O(d) rotations inside complete eigenspaces (C6, star)', () => {
      const fn = evalFn(new BasisNetEncoder(SMALL));
      const batch = batchOf(items);
      const rotated = rotateAllEigenspaces(batch, items, 17);
      expect(maxAbsDiff(Array.from(batch.vectors), Array.from(rotated.vectors))).toBeGreaterThan(0.1);
      expectSame(run(fn, batch), run(fn, rotated));
    });

    it('NEGATIVE: a truncation that splits a repeated eigenvalue group (C6, k = 2) is not rotation-invariant', () => {
      const c6 = cycle(6);
      const groups = item(c6, 2).spectrum.groups;
      expect(groups.some((g) => g.status === 'partial' && g.multiplicity === 2)).toBe(true);
      const fn = evalFn(new BasisNetEncoder(SMALL));
      const full = batchOf([item(c6)]);
      // rotate inside the whole λ = 0.5 eigenspace (columns 1, 2), then keep only 2 columns
      const a = run(fn, truncateBatch(full, 2));
      const b = run(fn, truncateBatch(rotatePair(full, 0, 1, Math.PI / 4), 2));
      // clearly non-zero: 100× the tolerance of the invariance tests
      expect(maxAbsDiff(a, b)).toBeGreaterThan(100 * TOL * scaleOf(a));
      // with the whole spectrum the same rotation changes nothing
      expectSame(run(fn, full), run(fn, rotatePair(full, 0, 1, Math.PI / 4)));
    });

    it('is permutation-equivariant: f(PAPᵀ) = P·f(A) (fresh eigendecomposition of PAPᵀ)', () => {
      const fn = evalFn(new BasisNetEncoder(SMALL));
      graphs.forEach((g, gi) => {
        const perm = randomPerm(g.n, 100 + gi);
        const out = run(fn, batchOf([item(g)]))[0] as number[][];
        const outP = run(fn, batchOf([item(permuteGraph(g, perm))]))[0] as number[][];
        const moved = out.map((_, i) => outP[perm[i] as number] as number[]);
        expectSame(out, moved);
      });
    });

    it('a graph alone and batched with larger padded graphs gives identical rows', () => {
      const fn = evalFn(new BasisNetEncoder(SMALL));
      const [c6, ringTail, path, star] = items;
      const alone = run(fn, batchOf([c6!]))[0] as number[][];
      const batched = run(fn, batchOf([ringTail!, star!, c6!, path!], 12, 12));
      expectSame(alone, (batched[2] as number[][]).slice(0, 6));
      const starAlone = run(fn, batchOf([star!]))[0] as number[][];
      expectSame(starAlone, (batched[1] as number[][]).slice(0, 5));
    });

    it('pe_dims K > n does not change the output (batch padding and spectrum padding)', () => {
      const fn = evalFn(new BasisNetEncoder(SMALL));
      for (const g of graphs) {
        const ref = run(fn, batchOf([item(g)]));
        expectSame(ref, run(fn, batchOf([item(g)], g.n, g.n + 4)));
        expectSame(ref, run(fn, batchOf([item(g, g.n + 3)])));
      }
    });

    it('save/load round trip in a functional model gives identical outputs', async () => {
      const layer = new BasisNetEncoder({ ...SMALL, seed: 9 });
      const batch = batchOf(items);
      // one training-mode call moves the BatchNorm running statistics away from their init
      tf.tidy(() => layer.apply(inputsOf(eigTensors(batch)), { training: true }) as tf.Tensor);
      const { maxNodes: N, k: K } = batch;
      const inputs = [
        tf.input({ shape: [N, K] }),
        tf.input({ shape: [K] }),
        tf.input({ shape: [N, N] }),
        tf.input({ shape: [N] }),
        tf.input({ shape: [K] }),
      ];
      const output = layer.apply(inputs) as tf.SymbolicTensor;
      expect(output.shape).toEqual([null, N, 5]);
      const model = tf.model({ inputs, outputs: output });
      const loaded = await saveLoad(model);
      const predict = (m: tf.LayersModel) => (t: EigTensors) => m.predict(inputsOf(t)) as tf.Tensor;
      const ref = run(predict(model), batch);
      expect(maxAbsDiff(ref, run(predict(loaded), batch))).toBe(0);
      expectSame(ref, run(evalFn(layer), batch));
      const cfg = loaded.layers.find((l) => l.getClassName() === 'GraphpeBasisNet')?.getConfig();
      expect(cfg).toMatchObject({
        layers: 2,
        hidden: 16,
        outDim: 5,
        maxMultiplicity: 4,
        groupTol: 1e-6,
        useEigenvalues: true,
        recompute: true,
      });
    });

    it('works in a model with symbolic N and K (null dims) on batches of different padding', () => {
      const layer = new BasisNetEncoder(SMALL);
      const inputs = [
        tf.input({ shape: [null, null] }),
        tf.input({ shape: [null] }),
        tf.input({ shape: [null, null] }),
        tf.input({ shape: [null] }),
        tf.input({ shape: [null] }),
      ];
      const model = tf.model({ inputs, outputs: layer.apply(inputs) as tf.SymbolicTensor });
      const predict = (t: EigTensors) => model.predict(inputsOf(t)) as tf.Tensor;
      const a = run(predict, batchOf([items[0]!]));
      const b = run(predict, batchOf([items[1]!, items[0]!], 10, 11));
      expectSame(a[0], (b[1] as number[][]).slice(0, 6));
    });

    it('every trainable weight receives a non-zero gradient (training mode)', () => {
      const layer = new BasisNetEncoder(SMALL);
      const batch = batchOf(items, 10, 10);
      layer.apply(inputsOf(eigTensors(batchOf([items[0]!]))), { training: false }); // build
      // per GIN layer: ε + 2 Linear (1 bias) + 1 BatchNorm (γ, β); ρ: 2 Linear (1 bias) + 1 BN
      expect(layer.trainableWeights.length).toBe(2 * (1 + 3 + 2) + (3 + 2));
      allGradsNonZero(layer, batch);
    });

    it('training with recomputed per-projector layers gives the same loss, gradients and running statistics', () => {
      const batch = batchOf(items, 10, 10);
      const t = eigTensors(batch);
      const target = tf.randomNormal([4, 10, 5], 0, 1, 'float32', 21);
      const results = [true, false].map((recompute) => {
        const layer = new BasisNetEncoder({ ...SMALL, recompute });
        const vars = (() => {
          layer.apply(inputsOf(t), { training: false }); // build
          return trainableVars(layer);
        })();
        const before = tf.memory().numTensors;
        const { value, grads } = tf.variableGrads(() => {
          const out = layer.apply(inputsOf(t), { training: true }) as tf.Tensor;
          return tf.mean(tf.square(tf.sub(out, target))) as tf.Scalar;
        }, vars);
        const stats = layer.nonTrainableWeights.map((w) => w.read().arraySync());
        const res = { value: value.arraySync(), grads: vars.map((v) => grads[v.name]!.arraySync()), stats };
        tf.dispose([value, ...Object.values(grads)]);
        expect(tf.memory().numTensors, 'no tensor leaks from a training step').toBe(before);
        return res;
      });
      const [a, b] = results as [(typeof results)[0], (typeof results)[0]];
      expectSame([a.value], [b.value]);
      for (const [i, g] of a.grads.entries()) expectSame(g, b.grads[i]);
      expectSame(a.stats, b.stats);
      tf.dispose([target, ...inputsOf(t)]);
    });

    it('one Adam step on a tiny regression problem lowers the loss', () => {
      const layer = new BasisNetEncoder(SMALL);
      const batch = batchOf(items);
      const t = eigTensors(batch);
      const target = tf.tidy(() =>
        tf.mul(tf.randomNormal([4, 9, 5], 0, 1, 'float32', 8), t.nodeMask.reshape([4, 9, 1])),
      );
      const loss = () =>
        tf.tidy(() => {
          const out = layer.apply(inputsOf(t), { training: true }) as tf.Tensor;
          return tf.mean(tf.square(tf.sub(out, target))) as tf.Scalar;
        });
      const before = loss().dataSync()[0] as number;
      const opt = tf.train.adam(1e-2);
      opt.minimize(loss, false, trainableVars(layer));
      const after = loss().dataSync()[0] as number;
      expect(after).toBeLessThan(before);
      opt.dispose();
      tf.dispose([target, ...inputsOf(t)]);
    });

    it('is invariant on a disconnected graph (2-dim null space) and without eigenvalue features', () => {
      const twoTriangles = fromEdgeList({ src: [0, 1, 2, 3, 4, 5], dst: [1, 2, 0, 4, 5, 3] }, { n: 6 });
      const its = [item(twoTriangles), ...items];
      const groups = its[0]!.spectrum.groups;
      expect(groups[0]!.multiplicity).toBe(2); // λ = 0 twice
      for (const useEigenvalues of [true, false]) {
        const layer = new BasisNetEncoder({ ...SMALL, useEigenvalues });
        const fn = evalFn(layer);
        const batch = batchOf(its);
        const ref = run(fn, batch);
        expect(scaleOf(ref)).toBeGreaterThan(1e-3);
        expectSame(ref, run(fn, flipSigns(batch, 6)));
        expectSame(ref, run(fn, rotateAllEigenspaces(batch, its, 29)));
        allGradsNonZero(layer, batch);
      }
    });

    it('rejects bad options and wrong inputs with GraphpeError', () => {
      expect(() => new BasisNetEncoder({ layers: 0 })).toThrow(/layers must be a positive integer/);
      expect(() => new BasisNetEncoder({ groupTol: -1 })).toThrow(/groupTol must be/);
      const layer = new BasisNetEncoder(SMALL);
      expect(() => layer.apply([tf.zeros([1, 2, 2]), tf.zeros([1, 2])])).toThrow(/expected 5 inputs/);
    });
  });
}
