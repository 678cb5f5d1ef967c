/**
 * Canonization of Laplacian eigenvectors (sign: MAP rule; basis: MAP, OAP), sign frames and frame
 * averaging, and canonizability statistics. References: Ma et al. 2023 (MAP), arXiv 2310.18716;
 * Ma et al. 2024 (OAP), arXiv 2405.18378; Puny et al. 2022 (frame averaging).
 */
export type { BasisResult } from './basis-common.js';
export { mapBasis } from './basis-map.js';
export type { OapOptions } from './basis-oap.js';
export { oapBasis } from './basis-oap.js';
export type { CanonGroup, CanonizeOptions, CanonizeResult } from './canonize.js';
export { canonize } from './canonize.js';
export type { FrameAverageOptions, FrameFunction } from './frame-average.js';
export { frameAverage } from './frame-average.js';
export type { SignFrame, SignFrameOptions } from './frames.js';
export { signFrame } from './frames.js';
export type { EigenvalueScaling } from './scale.js';
export { scaleByEigenvalues } from './scale.js';
export type { SignResult } from './sign.js';
export { canonizeSign } from './sign.js';
export type { CanonStats, CanonStatsOptions, PerBasisRule } from './stats.js';
export { canonStats } from './stats.js';
export type { BasisMethod, BasisOptions, CanonReason, CanonStatus, SignMode, SignOptions } from './types.js';
