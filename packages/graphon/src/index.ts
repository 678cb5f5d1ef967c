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
export { conditionNumber, singularValues } from './linalg/svd.js';
export type { Reconstruction } from './reconstruct/lstsq.js';
export { bandlimitedSignal, reconstruct, relativeError, restrictSignal } from './reconstruct/lstsq.js';
export { pesensonConstant } from './reconstruct/pesenson.js';
export type { InducedSubgraph } from './reconstruct/subgraph.js';
export { inducedSubgraph } from './reconstruct/subgraph.js';
export type { SampleEstimate } from './sample/estimate.js';
export { DEFAULT_MAX_EDGES, estimateSample, formatBytes, MAX_SAMPLE_EDGES } from './sample/estimate.js';
export type { SampledGraph, SampleGraphOptions, SampleMethod, StepApproximationError } from './sample/gnw.js';
export { sampleGraph } from './sample/gnw.js';
export type { LatentMode } from './sample/latent.js';
export { latentPositions } from './sample/latent.js';
export type { BasisOptions } from './select/basis.js';
export { bandlimitedBasis, basisFromSpectrum } from './select/basis.js';
export type { CoarseGraph } from './select/coarse.js';
export { coarseGraph, degreeOrder, normalizedLaplacian } from './select/coarse.js';
export type { GeOptions, PivotedSet } from './select/ge.js';
export { basisRows, geSelect } from './select/ge.js';
export type { IntervalOptions, IntervalSet } from './select/intervals.js';
export { intervalSelect } from './select/intervals.js';
export type { CutoffOptions, ProxyOptions, ProxySet } from './select/proxy.js';
export { cutoffEstimate, proxySelect } from './select/proxy.js';
export { qrSelect } from './select/qr.js';
export { randomSelect } from './select/random.js';
export type { BandlimitedBasis, SamplingSet, SelectionMethod } from './select/types.js';
