// The invariance suite shared by the eigenvector encoders that take the five EigTensors inputs and
// return [B, N, outDim] node rows (SPE, BasisNet; docs/encodings.md, "Learned encoders"): sign and basis invariance with
// the full spectrum, the negative test for a truncation that splits an eigenspace, permutation
// equivariance, padding/batching, save/load, gradients and one optimizer step. Each layer's test file
// calls encoderInvarianceSuite(spec) inside its per-backend describe and keeps only its own tests.
import { type EigBatch, type EigItem, type EigTensors, eigTensors, tf } from '@graphpe/encodings/learned';
import { expect, it } from 'vitest';
import {
  batchOf,
  fixtureGraphs,
  flipSigns,
  item,
  maxAbsDiff,
  permuteGraph,
  randomPerm,
  rotateAllEigenspaces,
  rotatePair,
  run,
  saveLoad,
  trainableVars,
  truncateBatch,
} from './learned-helpers.js';

export const TOL = 1e-5;

/** A layer with the encoder interface: five EigTensors inputs → [B, N, outDim]. */
export type EigEncoderLayer = tf.layers.Layer & { readonly outDim: number };

export function inputsOf(t: EigTensors): tf.Tensor[] {
  return [t.vectors, t.values, t.adjacency, t.nodeMask, t.eigMask];
}

/** Symbolic model inputs in the order of inputsOf: [N, K], [K], [N, N], [N], [K] (null: any size). */
function symbolicInputs(N: number | null, K: number | null): tf.SymbolicTensor[] {
  return [
    tf.input({ shape: [N, K] }),
    tf.input({ shape: [K] }),
    tf.input({ shape: [N, N] }),
    tf.input({ shape: [N] }),
    tf.input({ shape: [K] }),
  ];
}

export function evalFn(layer: tf.layers.Layer): (t: EigTensors) => tf.Tensor {
  return (t) => layer.apply(inputsOf(t), { training: false }) as tf.Tensor;
}

export function scaleOf(a: unknown): number {
  const f = (a as unknown[]).flat(Number.POSITIVE_INFINITY) as number[];
  return Math.max(1, ...f.map(Math.abs));
}

/** Asserts max|a − b| ≤ TOL·max(1, max|a|) (float32, relative). */
export function expectSame(a: unknown, b: unknown): void {
  expect(maxAbsDiff(a, b)).toBeLessThanOrEqual(TOL * scaleOf(a));
}

export function allGradsNonZero(layer: EigEncoderLayer, batch: EigBatch): void {
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

/**
 * On the batch of `items`: non-trivial output, invariance to a sign flip (flipSeed) and to rotations
 * inside every complete eigenspace (rotateSeed), then `also(fn, ref)` if given, then a non-zero
 * gradient for every trainable weight.
 */
export function expectInvariantAndTrainable(
  layer: EigEncoderLayer,
  items: readonly EigItem[],
  seeds: { flip: number; rotate: number },
  also?: (fn: (t: EigTensors) => tf.Tensor, ref: number[][][]) => void,
): void {
  const fn = evalFn(layer);
  const batch = batchOf(items);
  const ref = run(fn, batch);
  expect(scaleOf(ref)).toBeGreaterThan(1e-3);
  expectSame(ref, run(fn, flipSigns(batch, seeds.flip)));
  expectSame(ref, run(fn, rotateAllEigenspaces(batch, items, seeds.rotate)));
  also?.(fn, ref);
  allGradsNonZero(layer, batch);
}

/** What differs between the encoders under the shared suite. */
export interface EncoderSpec<A extends { seed?: number; recompute?: boolean }> {
  /** The function's name in the permutation test's title: `${fn}(PAPᵀ) = P·${fn}(A)`. */
  fn: string;
  /** What `recompute` recomputes, in that test's title ("ρ layers"). */
  recomputed: string;
  /** A fresh layer from its args. */
  create: (args: A) => EigEncoderLayer;
  /** Small args with outDim 5 (the suite's expected output width). */
  small: A;
  /** The registered class name, as found after a save/load round trip. */
  className: string;
  /** Fields the loaded layer's getConfig() must contain. */
  config: Record<string, unknown>;
  /** How many trainable weights `create(small)` has once built. */
  trainableWeights: number;
}

/** Registers the shared tests; call inside a describe whose beforeAll has set the backend. */
export function encoderInvarianceSuite<A extends { seed?: number; recompute?: boolean }>(
  spec: EncoderSpec<A>,
): void {
  const SMALL = spec.small;
  const make = (args: A = SMALL) => spec.create(args);
  const graphs = fixtureGraphs();
  const items = graphs.map((g) => item(g));

  it('output has shape [B, N, outDim] and is zero on padded nodes', () => {
    const layer = make();
    const batch = batchOf(items);
    const out = run(evalFn(layer), batch);
    expect([out.length, out[0]?.length, out[0]?.[0]?.length]).toEqual([4, 9, 5]);
    for (let b = 0; b < 4; b++)
      for (let i = graphs[b]!.n; i < 9; i++) expect(out[b]![i]!.every((x) => x === 0)).toBe(true);
    expect(scaleOf(out)).toBeGreaterThan(1e-3);
  });

  it('is invariant to per-column sign flips', () => {
    const fn = evalFn(make());
    const batch = batchOf(items);
    const ref = run(fn, batch);
    for (const seed of [1, 2, 3]) expectSame(ref, run(fn, flipSigns(batch, seed)));
  });

  it('is invariant to random O(d) rotations inside complete eigenspaces (C6, star)', () => {
    const fn = evalFn(make());
    const batch = batchOf(items);
    const rotated = rotateAllEigenspaces(batch, items, 17);
    expect(maxAbsDiff(Array.from(batch.vectors), Array.from(rotated.vectors))).toBeGreaterThan(0.1);
    expectSame(run(fn, batch), run(fn, rotated));
  });

  it('NEGATIVE: a truncation that splits a repeated eigenvalue group (C6, k = 2) is not rotation-invariant', () => {
    const c6 = graphs[0]!; // C6
    const groups = item(c6, 2).spectrum.groups;
    expect(groups.some((g) => g.status === 'partial' && g.multiplicity === 2)).toBe(true);
    const fn = evalFn(make());
    const full = batchOf([item(c6)]);
    // rotate inside the whole λ = 0.5 eigenspace (columns 1, 2), then keep only 2 columns
    const a = run(fn, truncateBatch(full, 2));
    const b = run(fn, truncateBatch(rotatePair(full, 0, 1, Math.PI / 4), 2));
    // clearly non-zero: 100× the tolerance of the invariance tests
    expect(maxAbsDiff(a, b)).toBeGreaterThan(100 * TOL * scaleOf(a));
    // with the whole spectrum the same rotation changes nothing
    expectSame(run(fn, full), run(fn, rotatePair(full, 0, 1, Math.PI / 4)));
  });

  it(`is permutation-equivariant: ${spec.fn}(PAPᵀ) = P·${spec.fn}(A) (fresh eigendecomposition of PAPᵀ)`, () => {
    const fn = evalFn(make());
    graphs.forEach((g, gi) => {
      const perm = randomPerm(g.n, 100 + gi);
      const out = run(fn, batchOf([item(g)]))[0] as number[][];
      const outP = run(fn, batchOf([item(permuteGraph(g, perm))]))[0] as number[][];
      const moved = out.map((_, i) => outP[perm[i] as number] as number[]);
      expectSame(out, moved);
    });
  });

  it('a graph alone and batched with larger padded graphs gives identical rows', () => {
    const fn = evalFn(make());
    const [c6, ringTail, path, star] = items;
    const alone = run(fn, batchOf([c6!]))[0] as number[][];
    const batched = run(fn, batchOf([ringTail!, star!, c6!, path!], 12, 12));
    expectSame(alone, (batched[2] as number[][]).slice(0, 6));
    const starAlone = run(fn, batchOf([star!]))[0] as number[][];
    expectSame(starAlone, (batched[1] as number[][]).slice(0, 5));
  });

  it('pe_dims K > n does not change the output (batch padding and spectrum padding)', () => {
    const fn = evalFn(make());
    for (const g of graphs) {
      const ref = run(fn, batchOf([item(g)]));
      expectSame(ref, run(fn, batchOf([item(g)], g.n, g.n + 4)));
      expectSame(ref, run(fn, batchOf([item(g, g.n + 3)])));
    }
  });

  it('save/load round trip in a functional model gives identical outputs', async () => {
    const layer = make({ ...SMALL, seed: 9 });
    const batch = batchOf(items);
    // one training-mode call moves the BatchNorm running statistics away from their init
    tf.tidy(() => layer.apply(inputsOf(eigTensors(batch)), { training: true }) as tf.Tensor);
    const { maxNodes: N, k: K } = batch;
    const inputs = symbolicInputs(N, K);
    const output = layer.apply(inputs) as tf.SymbolicTensor;
    expect(output.shape).toEqual([null, N, 5]);
    const model = tf.model({ inputs, outputs: output });
    const loaded = await saveLoad(model);
    const predict = (m: tf.LayersModel) => (t: EigTensors) => m.predict(inputsOf(t)) as tf.Tensor;
    const ref = run(predict(model), batch);
    expect(maxAbsDiff(ref, run(predict(loaded), batch))).toBe(0);
    expectSame(ref, run(evalFn(layer), batch));
    const cfg = loaded.layers.find((l) => l.getClassName() === spec.className)?.getConfig();
    expect(cfg).toMatchObject(spec.config);
  });

  it('works in a model with symbolic N and K (null dims) on batches of different padding', () => {
    const layer = make();
    const inputs = symbolicInputs(null, null);
    const model = tf.model({ inputs, outputs: layer.apply(inputs) as tf.SymbolicTensor });
    const predict = (t: EigTensors) => model.predict(inputsOf(t)) as tf.Tensor;
    const a = run(predict, batchOf([items[0]!]));
    const b = run(predict, batchOf([items[1]!, items[0]!], 10, 11));
    expectSame(a[0], (b[1] as number[][]).slice(0, 6));
  });

  it('every trainable weight receives a non-zero gradient (training mode)', () => {
    const layer = make();
    const batch = batchOf(items, 10, 10);
    layer.apply(inputsOf(eigTensors(batchOf([items[0]!]))), { training: false }); // build
    expect(layer.trainableWeights.length).toBe(spec.trainableWeights);
    allGradsNonZero(layer, batch);
  });

  it(`training with recomputed ${spec.recomputed} gives the same loss, gradients and running statistics`, () => {
    const batch = batchOf(items, 10, 10);
    const t = eigTensors(batch);
    const target = tf.randomNormal([4, 10, 5], 0, 1, 'float32', 21);
    const results = [true, false].map((recompute) => {
      const layer = make({ ...SMALL, recompute });
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
    const layer = make();
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
}
