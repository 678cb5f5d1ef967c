import { canonize } from '@graphpe/encodings';
import {
  applyMlp,
  type EigBatch,
  type EigItem,
  eigTensors,
  FrameAveragedMlp,
  frameAverageTf,
  frameBatch,
  initBackend,
  neighbourSum,
  tf,
} from '@graphpe/encodings/learned';
import { fromEdgeList, type Graph, GraphpeError, type Spectrum } from '@graphpe/spectral';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  batchOf,
  cycle,
  fixtureGraphs,
  flipColumns,
  item,
  maxAbsDiff,
  randomSigns,
  saveLoad,
} from './learned-helpers.js';

const TOL = 1e-5;
const path = (n: number): Graph => fromEdgeList(Array.from({ length: n - 1 }, (_, i) => [i, i + 1] as const));

/** Raw spectra with random column signs (what another eigensolver run could return). */
function flipSpectra(items: readonly EigItem[], seed: number): EigItem[] {
  return items.map((it, b) => {
    const s = it.spectrum;
    const signs = randomSigns(1, s.k, seed * 101 + b);
    const v = s.vectors.slice();
    for (let i = 0; i < s.n; i++)
      for (let j = 0; j < s.k; j++) v[i * s.k + j] = (v[i * s.k + j] as number) * (signs[j] as number);
    const spectrum: Spectrum = { ...s, vectors: v };
    return { graph: it.graph, spectrum };
  });
}

type FrameInputs = { batch: EigBatch; frameMask: Float32Array };

function apply(layer: FrameAveragedMlp, { batch, frameMask }: FrameInputs, training = false): number[][][] {
  return tf.tidy(() => {
    const t = eigTensors(batch);
    const fm = tf.tensor2d(frameMask, [batch.batchSize, batch.k]);
    return (
      layer.apply([t.vectors, t.nodeMask, t.eigMask, fm], { training }) as tf.Tensor
    ).arraySync() as number[][][];
  });
}

function phi(layer: FrameAveragedMlp, batch: EigBatch): number[][][] {
  return tf.tidy(() => {
    const t = eigTensors(batch);
    return layer.phi(t.vectors, t.nodeMask, t.eigMask).arraySync() as number[][][];
  });
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`frame averaging on ${backend}`, () => {
    beforeAll(async () => {
      await initBackend({ backend, log: null });
    });
    // P6 (m = 3), C6 (m = 1; its two 2-d eigenspaces are basis_noncanonizable and dropped), P5 (m = 2), star (m = 0).
    const graphs = [path(6), cycle(6), path(5), fixtureGraphs()[3]!];
    const items = graphs.map((g) => item(g));
    const fb = frameBatch(items);
    const K = fb.batch.k;

    it('φ (packed real rows) equals the masked applyMlp formulation in value and parameter gradients', () => {
      const layer = new FrameAveragedMlp({ hidden: 8, outDim: 3, mlpLayers: 3, seed: 4 });
      const t = eigTensors(fb.batch);
      layer.apply([t.vectors, t.nodeMask, t.eigMask, tf.tensor2d(fb.frameMask, [fb.batch.batchSize, K])]);
      const old = () =>
        tf.mul(
          applyMlp(tf.mul(t.vectors, t.eigMask.expandDims(1)), layer.mlp, t.nodeMask, true),
          t.nodeMask.expandDims(2),
        );
      const now = () => layer.phi(t.vectors, t.nodeMask, t.eigMask, true);
      expect(maxAbsDiff(old().arraySync(), now().arraySync())).toBeLessThan(1e-5);
      const vars = layer.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
      const w = tf.randomNormal(now().shape, 0, 1, 'float32', 5);
      const g1 = tf.variableGrads(() => tf.mul(old(), w).sum() as tf.Scalar, vars).grads;
      const g2 = tf.variableGrads(() => tf.mul(now(), w).sum() as tf.Scalar, vars).grads;
      for (const v of vars) {
        expect(maxAbsDiff(g1[v.name]!.arraySync(), g2[v.name]!.arraySync()), v.name).toBeLessThan(1e-4);
      }
    });
    it('φ in training mode does not depend on padding; padded rows are 0', () => {
      const run = (maxNodes: number) => {
        const layer = new FrameAveragedMlp({ hidden: 8, outDim: 3, mlpLayers: 3, seed: 4 });
        const b = frameBatch(items, { maxNodes }).batch;
        const out = tf.tidy(() => {
          const t = eigTensors(b);
          layer.apply([t.vectors, t.nodeMask, t.eigMask, tf.zeros([b.batchSize, b.k])]);
          return layer.phi(t.vectors, t.nodeMask, t.eigMask, true).arraySync() as number[][][];
        });
        layer.dispose();
        return { out };
      };
      const tight = run(6);
      const loose = run(15);
      for (let b = 0; b < graphs.length; b++)
        for (let i = 0; i < graphs[b]!.n; i++)
          expect(maxAbsDiff([loose.out[b]![i]!], [tight.out[b]![i]!])).toBeLessThan(TOL);
      for (const row of loose.out.flatMap((g, b) => g.slice(graphs[b]!.n)))
        expect(row.every((x) => x === 0)).toBe(true);
    });
    const args = { hidden: 8, outDim: 3, seed: 4 };

    it('frameBatch canonizes and marks the sign_noncanonizable columns; m per graph', () => {
      expect(Array.from(fb.m)).toEqual([3, 1, 2, 0]);
      items.forEach((it, b) => {
        const c = canonize(it.spectrum);
        expect(Array.from(fb.frames[b]!.columns)).toEqual(Array.from(c.signNoncanonizable));
        for (let j = 0; j < K; j++)
          expect(fb.frameMask[b * K + j]).toBe(c.status[j] === 'sign_noncanonizable' ? 1 : 0);
      });
      expect(Array.from(fb.frames[1]!.dropped)).toEqual([1, 2, 3, 4]);
    });

    it('an MLP on raw LapPE becomes exactly invariant to the signs of the eigensolver output', () => {
      const layer = new FrameAveragedMlp(args);
      const base = apply(layer, fb);
      expect(Array.from(layer.lastM)).toEqual([3, 1, 2, 0]);
      // The same MLP without the frame is not invariant to the flagged columns' signs.
      const flagSigns = Float32Array.from(fb.frameMask, (f) => (f ? -1 : 1));
      expect(maxAbsDiff(phi(layer, flipColumns(fb.batch, flagSigns)), phi(layer, fb.batch))).toBeGreaterThan(
        1e-3,
      );
      // Flipping any flagged column after canonization…
      for (const seed of [1, 2, 3]) {
        const s = randomSigns(fb.batch.batchSize, K, seed).map((x, i) => (fb.frameMask[i] ? x : 1));
        expect(maxAbsDiff(apply(layer, { ...fb, batch: flipColumns(fb.batch, s) }), base)).toBeLessThan(TOL);
      }
      // …and flipping any raw column before canonization leave the output unchanged.
      for (const seed of [4, 5])
        expect(maxAbsDiff(apply(layer, frameBatch(flipSpectra(items, seed))), base)).toBeLessThan(TOL);
    });

    it('equals the brute-force average over each graph’s own 2^m patterns, computed in a loop', () => {
      const layer = new FrameAveragedMlp(args);
      const batched = apply(layer, fb);
      fb.frames.forEach((f, b) => {
        const one = batchOf([f.item], undefined, K);
        const m = f.columns.length;
        const n = f.item.graph.n;
        const acc = Array.from({ length: n }, () => new Array(3).fill(0) as number[]);
        for (let p = 0; p < 2 ** m; p++) {
          const s = new Float32Array(K).fill(1);
          for (let t = 0; t < m; t++) if ((p >> t) & 1) s[f.columns[t]!] = -1;
          const y = phi(layer, flipColumns(one, s))[0]!;
          for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) acc[i]![c]! += y[i]![c]! / 2 ** m;
        }
        expect(maxAbsDiff(batched[b]!.slice(0, n), acc)).toBeLessThan(TOL);
        for (const row of batched[b]!.slice(n)) expect(row.every((x) => x === 0)).toBe(true);
      });
    });

    it('frameAverageTf: reports m and 2^M, tiles extra tensors, equivariant mode gives Φ(US) = Φ(U)S', () => {
      const t = eigTensors(fb.batch);
      const fn = (x: { vectors: tf.Tensor; adjacency: tf.Tensor }) =>
        tf.add(neighbourSum(x.adjacency, tf.pow(x.vectors, 3)), tf.mul(x.vectors, 0.5));
      const run = (v: tf.Tensor, equivariant: boolean) => {
        const r = frameAverageTf(fn, { vectors: v, adjacency: t.adjacency }, fb.frameMask, { equivariant });
        const out = r.output.arraySync() as number[][][];
        r.output.dispose();
        return { out, m: Array.from(r.m), patterns: r.patterns };
      };
      const a = run(t.vectors, true);
      expect(a.m).toEqual([3, 1, 2, 0]);
      expect(a.patterns).toBe(8);
      const s = randomSigns(fb.batch.batchSize, K, 9).map((x, i) => (fb.frameMask[i] ? x : 1));
      const flipped = eigTensors(flipColumns(fb.batch, s));
      const b = run(flipped.vectors, true);
      const aS = a.out.map((g, gb) => g.map((row) => row.map((x, j) => x * s[gb * K + j]!)));
      expect(maxAbsDiff(b.out, aS)).toBeLessThan(TOL);
      expect(maxAbsDiff(run(flipped.vectors, false).out, run(t.vectors, false).out)).toBeLessThan(TOL);
      tf.dispose([...Object.values(t), ...Object.values(flipped)]);
    });

    it('errors past the cap, naming the graph and m', () => {
      const t = eigTensors(fb.batch);
      expect(() =>
        frameAverageTf((x) => x.vectors, { vectors: t.vectors }, fb.frameMask, { maxM: 2 }),
      ).toThrow(/graph 0 has m = 3/);
      try {
        apply(new FrameAveragedMlp({ ...args, maxM: 1 }), fb);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(GraphpeError);
        expect((e as GraphpeError).code).toBe('E_TOO_LARGE');
        expect((e as Error).message).toMatch(/graph 0 has m = 3.*maxM = 1/);
      }
      tf.dispose(Object.values(t));
    });

    it('save/load round trip in a functional model; gradients reach every weight; one Adam step lowers the loss', async () => {
      const N = fb.batch.maxNodes;
      const inputs = [
        tf.input({ shape: [N, K] }),
        tf.input({ shape: [N] }),
        tf.input({ shape: [K] }),
        tf.input({ shape: [K] }),
      ];
      const layer = new FrameAveragedMlp({ ...args, mlpLayers: 3 });
      const model = tf.model({ inputs, outputs: layer.apply(inputs) as tf.SymbolicTensor });
      const t = eigTensors(fb.batch);
      const fm = tf.tensor2d(fb.frameMask, [fb.batch.batchSize, K]);
      const x = [t.vectors, t.nodeMask, t.eigMask, fm];
      const before = (model.predict(x) as tf.Tensor).arraySync();
      const loaded = await saveLoad(model);
      expect(maxAbsDiff((loaded.predict(x) as tf.Tensor).arraySync(), before)).toBeLessThan(1e-6);

      const vars = layer.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
      const target = tf.randomNormal([fb.batch.batchSize, N, 3], 0, 1, 'float32', 3);
      const loss = () =>
        tf.tidy(() =>
          tf
            .squaredDifference(layer.apply(x, { training: true }) as tf.Tensor, target)
            .mul(t.nodeMask.expandDims(2))
            .mean(),
        ) as tf.Scalar;
      const { grads, value } = tf.variableGrads(loss, vars);
      for (const v of vars) expect(tf.abs(grads[v.name]!).sum().dataSync()[0], v.name).toBeGreaterThan(0);
      const l0 = value.dataSync()[0]!;
      const opt = tf.train.adam(0.01);
      opt.minimize(loss, false, vars);
      expect(loss().dataSync()[0]!).toBeLessThan(l0);
      opt.dispose();
      tf.dispose([value, target, fm, ...Object.values(grads), ...Object.values(t)]);
    });
  });
}
