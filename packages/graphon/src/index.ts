/**
 * @graphpe/graphon — graphons, G(n, W) sampling, and sampling-set selection for large graphs
 * (Le, Ruiz, Jegelka, ICLR 2024, arXiv 2311.10610). Depends on @graphpe/spectral only.
 */

export type { CustomGraphonOptions } from './graphon/library.js';
export {
  CHAN_AIROLDI,
  cosGraphon,
  customGraphon,
  expAbsGraphon,
  minGraphon,
  plantedPartition,
  sbmGraphon,
  scaleGraphon,
  xyGraphon,
} from './graphon/library.js';
export type { GraphonSpectrum, GraphonSpectrumOptions } from './graphon/nystrom.js';
export { graphonSpectrum } from './graphon/nystrom.js';
export { blockAverage, edgeDensity, gaussLegendre } from './graphon/quadrature.js';
export type { BlockStructure, Graphon } from './graphon/types.js';
export type { SampledGraph, SampleGraphOptions, SampleMethod, StepApproximationError } from './sample/gnw.js';
export { sampleGraph } from './sample/gnw.js';
export type { LatentMode } from './sample/latent.js';
export { latentPositions } from './sample/latent.js';
