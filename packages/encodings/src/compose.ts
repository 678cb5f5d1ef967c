/**
 * Composition of PE transforms (PyTorch Geometric `Compose`): one function returning every named array,
 * with one shared {@link PeContext} so spectral PEs reuse each eigendecomposition.
 */
import { checkOption, type Graph } from '@graphpe/spectral';
import { PeContext, type PeContextOptions } from './fixed/context.js';
import type { PeOutput, PeTransform } from './fixed/types.js';

const WHERE = 'encodings.compose';

/**
 * `compose(lapPE({ k: 16 }), rwse({ steps: 20 }))(g)` → `{ lap_vec, lap_val, rwse }`. Transforms run in
 * order on one context (made from `options` unless the caller passes one); two transforms that
 * produce the same output name throw `E_OPTION` (rename one with its `name` option).
 */
export function compose(...transforms: PeTransform[]): PeTransform & {
  withOptions(options: PeContextOptions): PeTransform;
} {
  transforms.forEach((t, i) => {
    checkOption(typeof t === 'function', WHERE, `argument ${i} is not a PE transform`, typeof t);
  });
  const make =
    (options: PeContextOptions): PeTransform =>
    (g: Graph, ctx?: PeContext): PeOutput => {
      const c = ctx ?? new PeContext(g, options);
      const out: PeOutput = {};
      for (const t of transforms) {
        const part = t(g, c);
        for (const name of Object.keys(part)) {
          checkOption(!(name in out), WHERE, `two transforms produce '${name}'; give one a different name`);
          out[name] = part[name];
        }
      }
      return out;
    };
  return Object.assign(make({}), { withOptions: make });
}
