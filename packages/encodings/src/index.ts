/**
 * @graphpe/encodings — positional encodings on top of @graphpe/spectral.
 * Fixed PEs and canonization are pure TypeScript on typed arrays; only `learned/` imports TensorFlow.js.
 */

export * from './canon/index.js';
export { compose } from './compose.js';
export * from './fixed/index.js';
