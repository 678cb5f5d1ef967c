// The packed GINE layout (real nodes only, JS-loop message op, ones-vector reductions; packed.ts) computes
// the same function as the dense padded one: predictions, training loss, every gradient and the BatchNorm
// running statistics agree up to float32 noise, on cpu and wasm, for pe = none, rwse and spe.
import { initBackend, tf } from '@graphpe/encodings/learned';
import {
  collate,
  disposeMolTensors,
  GraphModel,
  type GraphRecord,
  gineLayoutNow,
  maskedLoss,
  molTensors,
  packGraphs,
  setGineLayout,
} from '@graphpe/gnn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthRecords, tinyConfig, withRwse } from './model-helpers.js';

const base = synthRecords({ count: 10, seed: 61, minN: 4, maxN: 11 });

interface Run {
  pred: Float32Array;
  loss: number;
  grads: Float32Array[];
  weights: Float32Array[];
}

function runLayout(model: GraphModel, records: GraphRecord[], layout: 'dense' | 'packed'): Run {
  setGineLayout(layout);
  const start = model.model.getWeights().map((w) => w.clone());
  const batch = collate(records, model.collateSpec());
  const pred = model.predict(batch);
  const t = molTensors(batch);
  const vars = model.trainableVariables().map((v) => v.variable);
  const { value, grads } = tf.variableGrads(
    () => maskedLoss('l1', model.apply(t, true), t.targets, t.labelMask) as tf.Scalar,
    vars,
  );
  const run: Run = {
    pred,
    loss: value.dataSync()[0] as number,
    grads: vars.map((v) => (grads[v.name] as tf.Tensor).dataSync() as Float32Array),
    weights: model.model.getWeights().map((w) => w.dataSync() as Float32Array), // running statistics moved
  };
  value.dispose();
  tf.dispose(Object.values(grads));
  disposeMolTensors(t);
  model.model.setWeights(start);
  tf.dispose(start);
  return run;
}

/** max |a − b| ≤ tol·(1 + max |a|) over each pair of arrays. */
function expectClose(a: ArrayLike<number>[], b: ArrayLike<number>[], tol: number): void {
  expect(b.length).toBe(a.length);
  a.forEach((x, i) => {
    const y = b[i] as ArrayLike<number>;
    expect(y.length).toBe(x.length);
    let scale = 0;
    let diff = 0;
    for (let j = 0; j < x.length; j++) {
      scale = Math.max(scale, Math.abs(x[j] as number));
      diff = Math.max(diff, Math.abs((x[j] as number) - (y[j] as number)));
    }
    expect(diff).toBeLessThanOrEqual(tol * (1 + scale));
  });
}

describe('packGraphs', () => {
  it('packs real nodes in batch order with an incoming-edge CSR', () => {
    // B = 2, N = 3, T = 2: graph 0 has nodes 0,1 with edge 0→1 (type 1) and 1→0 (type 1);
    // graph 1 has nodes 0,1,2 with 2→0 (type 0).
    const B = 2;
    const N = 3;
    const T = 2;
    const adj = new Float32Array(B * N * T * N);
    const set = (b: number, dst: number, t: number, src: number) => {
      adj[(b * N + dst) * T * N + t * N + src] = 1;
    };
    set(0, 1, 1, 0);
    set(0, 0, 1, 1);
    set(1, 0, 0, 2);
    const mask = Float32Array.from([1, 1, 0, 1, 1, 1]);
    const g = packGraphs(adj, mask, B, N, T);
    expect(g.numNodes).toBe(5);
    expect(Array.from(g.rowOf)).toEqual([0, 1, 3, 4, 5]);
    expect(Array.from(g.graphOf)).toEqual([0, 0, 1, 1, 1]);
    expect(Array.from(g.counts)).toEqual([2, 3]);
    expect(Array.from(g.indptr)).toEqual([0, 1, 2, 3, 3, 3]);
    expect(Array.from(g.src)).toEqual([1, 0, 4]);
    expect(Array.from(g.type)).toEqual([1, 1, 0]);
    const bad = Float32Array.from(mask);
    bad[5] = 0;
    expect(() => packGraphs(adj, bad, B, N, T)).toThrow(/padding node/);
  });
});

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`packed vs dense GINE on ${backend}`, () => {
    beforeAll(async () => {
      await initBackend({ backend, log: null });
    });
    afterAll(() => {
      setGineLayout('auto');
    });

    it('auto picks the packed layout on this backend', () => {
      setGineLayout('auto');
      expect(gineLayoutNow()).toBe('packed');
    });

    const cases: [string, GraphRecord[], Record<string, unknown>][] = [
      ['none', base, {}],
      ['rwse', withRwse(base), { pe: 'rwse', peDim: 4 }],
      [
        'spe',
        base,
        { pe: 'spe', eigK: 4, peOptions: { m: 4, phiHidden: 8, rhoLayers: 2, rhoHidden: 8, outDim: 8 } },
      ],
    ];
    for (const [name, records, extra] of cases) {
      it(`same predictions, loss, gradients and running statistics (pe=${name}, ${backend})`, () => {
        const before = tf.memory().numTensors;
        for (const pooling of ['mean', 'sum'] as const) {
          const model = GraphModel.create(tinyConfig(records, { ...extra, pooling }));
          const dense = runLayout(model, records, 'dense');
          const packed = runLayout(model, records, 'packed');
          expectClose([dense.pred], [packed.pred], 1e-5);
          expectClose([[dense.loss]], [[packed.loss]], 1e-5);
          expectClose(dense.grads, packed.grads, 1e-4);
          expectClose(dense.weights, packed.weights, 1e-5);
          expect(dense.grads.some((g) => g.some((v) => v !== 0))).toBe(true);
          model.dispose();
        }
        setGineLayout('auto');
        expect(tf.memory().numTensors).toBe(before);
      });
    }
  });
}
