// BasisNet-style encoder on eigenspace projectors (docs/encodings.md, "Learned encoders"): the shared encoder suite (sign and
// basis invariance with the full spectrum, the truncation negative test, permutation equivariance,
// padding/batching, save/load, gradients, one optimizer step; learned-encoder-suite.ts) plus the
// disconnected graph's null space and BasisNet's option checks — on the cpu and wasm backends.
import { BasisNetEncoder, type BasisNetEncoderArgs, initBackend, tf } from '@graphpe/encodings/learned';
import { fromEdgeList } from '@graphpe/spectral';
import { beforeAll, describe, expect, it } from 'vitest';
import { encoderInvarianceSuite, expectInvariantAndTrainable } from './learned-encoder-suite.js';
import { fixtureGraphs, item } from './learned-helpers.js';

const SMALL: BasisNetEncoderArgs = { layers: 2, hidden: 16, outDim: 5, maxMultiplicity: 4, seed: 3 };

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`BasisNetEncoder on ${backend}`, () => {
    beforeAll(async () => {
      await initBackend({ backend, log: null });
    });

    encoderInvarianceSuite({
      fn: 'f',
      recomputed: 'per-projector layers',
      create: (args) => new BasisNetEncoder(args),
      small: SMALL,
      className: 'GraphpeBasisNet',
      config: {
        layers: 2,
        hidden: 16,
        outDim: 5,
        maxMultiplicity: 4,
        groupTol: 1e-6,
        useEigenvalues: true,
        recompute: true,
      },
      // per GIN layer: ε + 2 Linear (1 bias) + 1 BatchNorm (γ, β); ρ: 2 Linear (1 bias) + 1 BN
      trainableWeights: 2 * (1 + 3 + 2) + (3 + 2),
    });

    const items = fixtureGraphs().map((g) => item(g));

    it('is invariant on a disconnected graph (2-dim null space) and without eigenvalue features', () => {
      const twoTriangles = fromEdgeList({ src: [0, 1, 2, 3, 4, 5], dst: [1, 2, 0, 4, 5, 3] }, { n: 6 });
      const its = [item(twoTriangles), ...items];
      const groups = its[0]!.spectrum.groups;
      expect(groups[0]!.multiplicity).toBe(2); // λ = 0 twice
      for (const useEigenvalues of [true, false])
        expectInvariantAndTrainable(new BasisNetEncoder({ ...SMALL, useEigenvalues }), its, {
          flip: 6,
          rotate: 29,
        });
    });

    it('rejects bad options and wrong inputs with GraphpeError', () => {
      expect(() => new BasisNetEncoder({ layers: 0 })).toThrow(/layers must be a positive integer/);
      expect(() => new BasisNetEncoder({ groupTol: -1 })).toThrow(/groupTol must be/);
      const layer = new BasisNetEncoder(SMALL);
      expect(() => layer.apply([tf.zeros([1, 2, 2]), tf.zeros([1, 2])])).toThrow(/expected 5 inputs/);
    });
  });
}
