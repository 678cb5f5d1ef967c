/**
 * Learned positional encoders in TensorFlow.js (SPE, SignNet, BasisNet-style, sign-equivariant
 * networks, frame averaging) and the backend selection they share with `@graphpe/gnn`.
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
