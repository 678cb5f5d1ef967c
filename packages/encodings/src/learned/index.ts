/**
 * Learned positional encoders in TensorFlow.js (SPE, SignNet, BasisNet-style, sign-equivariant
 * networks, frame averaging) and the backend selection they share with `@graphpe/gnn`.
 *
 * The package's types and its `source` condition point here; its `import` condition points at
 * `./runtime.js`, the same exports without the static import of `@tensorflow/tfjs` below, whose `tf`
 * is the very same namespace, loaded by a guarded dynamic import.
 */

/** The `@tensorflow/tfjs` namespace that graphpe's learned encoders use. */
export * as tf from '@tensorflow/tfjs';
export * from './runtime.js';
