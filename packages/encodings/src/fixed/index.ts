/** Fixed (weight-free) positional encodings: LapPE, RWSE, heat-kernel diagonal, eigenspace projectors. */
export type { PeContextOptions } from './context.js';
export { PeContext } from './context.js';
export type { HeatKernelOptions } from './heat-kernel.js';
export { HEAT_KERNEL_ZERO_TOL, heatKernelDiag, heatKernelDiagFromSpectrum } from './heat-kernel.js';
export type { LapPEOptions, LapPEPresetOverrides, LapSign } from './lap-pe.js';
export { CANON_STATUS_CODES, lapPE } from './lap-pe.js';
export type { PartialPolicy, ProjectorOptions, Projectors } from './projectors.js';
export { eigenspaceProjectors, projectorsFromSpectrum } from './projectors.js';
export type { RwseOptions } from './rwse.js';
export { closedWalkLengths, randomWalkDiag, rwse, spectralQualifies, spectralWalkDiag } from './rwse.js';
export type { PeArray, PeDtype, PeOutput, PeTransform } from './types.js';
