/**
 * What `@graphpe/encodings/learned` loads at run time: the learned encoders and backend selection, with
 * `tf` the namespace that `./tf.js` imported dynamically, so that a project without TensorFlow.js gets
 * an `E_BACKEND` error saying what to install. `./index.ts` is the same API as the package's types see it.
 */
export * from './backend.js';
export { BasisNetEncoder, type BasisNetEncoderArgs } from './basisnet.js';
export * from './eig-batch.js';
export {
  DEFAULT_MAX_FRAME_BITS,
  type FrameAveragedArgs,
  FrameAveragedMlp,
  type FrameAverageTfOptions,
  type FrameAverageTfResult,
  type FrameBatchOptions,
  type FrameItem,
  type FrameTensors,
  frameAverageTf,
  frameBatch,
  frameColumns,
  frameItem,
  framePatterns,
} from './frame-average.js';
export * from './nn/ops.js';
export * from './nn/param-layer.js';
export * from './nn/sparse-aggregate.js';
export {
  denseLinkScores,
  linkScores,
  type SignAggregation,
  SignDSSLayer,
  type SignEquivariantArgs,
  SignEquivariantLayer,
  SignEquivariantNet,
  type SignGateParams,
  signAggregate,
  signGate,
} from './sign-equivariant.js';
export { type SignNetArgs, SignNetEncoder } from './signnet.js';
export { SpeEncoder, type SpeEncoderArgs, type SpePhi } from './spe.js';
