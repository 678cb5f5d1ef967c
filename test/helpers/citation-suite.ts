// The sparse-vs-dense-vs-reference sweep over k on a citation graph (see citation.ts for the data).
import { connectedComponents, type LaplacianKind, type Spectrum, spectrum } from '@graphpe/spectral';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  expectSpectrumMatches,
  maxResidual,
  orthonormalityError,
} from '../../packages/spectral/test/spectrum-checks.js';
import { type CitationName, citationData, citationReference, loadCitationGraph } from './citation.js';

/** Sweep k on one graph for the given Laplacians: sparse = dense = reference to 1e-8. */
export function citationSweep(
  name: CitationName,
  kinds: readonly LaplacianKind[],
  ks: readonly number[],
): void {
  const { dir, missing } = citationData(name);
  describe.skipIf(missing !== null)(`${name}: component-aware spectra (${missing ?? dir})`, () => {
    // The solves are synchronous: let the worker answer the runner between tests.
    beforeEach(() => new Promise<void>((resolve) => setImmediate(resolve)));
    const ref = citationReference(name);
    const g = missing ? null : loadCitationGraph(dir, name);
    it('the graph is the one the reference was computed on', () => {
      expect(g!.n).toBe(ref.n);
      expect(g!.indices.length / 2).toBe(ref.edges);
      expect(connectedComponents(g!).count).toBe(ref.components);
    });
    for (const kind of kinds) {
      if (kind === 'rw') throw new Error('no rw reference');
      describe(kind, () => {
        let dense: Spectrum;
        const keep = ref[kind].length;
        // Null-space multiplicity is exact: one zero per component (sym: isolated nodes have λ = 1).
        const nullity = kind === 'comb' ? ref.components : ref.components - ref.isolated;
        // The whole dense spectrum of a 2,485-node component: seconds, more on a loaded machine.
        beforeAll(() => {
          dense = spectrum(g!, { k: g!.n, laplacian: kind, solver: 'dense', pad: 'none' });
        }, 300_000);
        it(`dense path = numpy reference (first ${keep}) and the null space has multiplicity ${nullity}`, () => {
          let worst = 0;
          for (let j = 0; j < keep; j++) worst = Math.max(worst, Math.abs(dense.values[j] - ref[kind][j]));
          expect(worst).toBeLessThanOrEqual(1e-8);
          expect(dense.groups[0]).toMatchObject({ start: 0, value: 0, multiplicity: nullity });
        });
        for (const k of ks) {
          it(`sparse path, k = ${k}: values, multiplicities and partial flags = dense = reference`, () => {
            const s = spectrum(g!, { k, laplacian: kind, solver: 'sparse' });
            expect(s.solver).toBe('sparse');
            expectSpectrumMatches(s, dense.values, 1e-8, `${name} ${kind} k=${k} vs dense`);
            expectSpectrumMatches(s, ref[kind], 1e-8, `${name} ${kind} k=${k} vs numpy`);
            expect(s.groups[0]).toMatchObject({
              value: 0,
              multiplicity: nullity,
              multiplicityIsLowerBound: false,
            });
            expect(maxResidual(s)).toBeLessThanOrEqual(1e-8);
            expect(orthonormalityError(s)).toBeLessThanOrEqual(1e-8);
          });
        }
      });
    }
  });
}
