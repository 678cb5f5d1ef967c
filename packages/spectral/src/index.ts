/**
 * @graphpe/spectral — graph Laplacians and their eigendecompositions.
 * Lowest layer of graphpe: no TensorFlow.js, typed arrays throughout.
 */

export type {
  DenseKernels,
  EighBatch,
  EighOptions,
  EighPool,
  EighResult,
  LaplacianEighBatchOptions,
  LaplacianEighBatchParallelOptions,
  ParallelEighOptions,
} from './eig/dense/index.js';
export {
  batchItem,
  createEighPool,
  denseKernels,
  EighWorkspace,
  eigh,
  laplacianEighBatch,
  laplacianEighBatchParallel,
  setDenseKernels,
} from './eig/dense/index.js';
export type { PackedGraphs } from './eig/dense/pack.js';
export { packGraphs, unpackGraphs } from './eig/dense/pack.js';
export type { AmgOptions, AmgPreconditioner } from './eig/sparse/amg.js';
export { smoothedAggregation } from './eig/sparse/amg.js';
export type { EigshOptions } from './eig/sparse/eigsh.js';
export { eigshSmallest } from './eig/sparse/eigsh.js';
export type {
  LaplacianEigshOptions,
  LaplacianEigshProgress,
  LaplacianEigshResult,
} from './eig/sparse/laplacian-eigsh.js';
export { laplacianEigsh } from './eig/sparse/laplacian-eigsh.js';
export type { BlockOperator, SymCsr } from './eig/sparse/operator.js';
export type { EigshProgress, EigshResult } from './eig/sparse/types.js';
export type { GraphpeErrorCode } from './errors.js';
export { checkOption, GraphpeError } from './errors.js';
export { edgeListInt32, writeEdgeListBinary } from './generators/edge-binary.js';
export type { RandomGeometricGraph, RandomGeometricOptions } from './generators/geometric.js';
export { geometricRadius, randomGeometricGraph } from './generators/geometric.js';
export { largestComponent } from './generators/largest-component.js';
export type { Components } from './graph/components.js';
export { connectedComponents } from './graph/components.js';
export type { CooOptions, DuplicatePolicy, SelfLoopPolicy } from './graph/coo.js';
export { fromCoo } from './graph/coo.js';
export type { DenseAdjacencyOptions } from './graph/dense-adjacency.js';
export { fromDenseAdjacency } from './graph/dense-adjacency.js';
export type { EdgeArrays, EdgeListOptions, EdgeTuple } from './graph/edge-list.js';
export { fromEdgeList } from './graph/edge-list.js';
export type { FromGraphologyOptions, GraphologyLike } from './graph/graphology.js';
export { fromGraphology, graphologyNodes } from './graph/graphology.js';
export { parseEdgeList } from './graph/parse.js';
export { readEdgeList } from './graph/read.js';
export type { Graph, LaplacianKind, LinearOperator } from './graph/types.js';
export { edgeCount } from './graph/types.js';
export { MAX_GRAPH_SIZE, validateGraph } from './graph/validate.js';
export { degrees, invSqrtDegrees } from './laplacian/degree.js';
export { laplacianDense } from './laplacian/dense.js';
export type { LaplacianCsr } from './laplacian/operator.js';
export { laplacianCsr, laplacianOperator } from './laplacian/operator.js';
export { symToRwVectors } from './laplacian/rw.js';
export type { AssembleOptions, RawEigenpairs } from './spectrum/assemble.js';
export { assembleSpectrum } from './spectrum/assemble.js';
export { spectralDiagonals } from './spectrum/diagonals.js';
export { DEFAULT_GROUP_TOL, eigenGroups } from './spectrum/groups.js';
export { DEFAULT_MAX_BYTES } from './spectrum/memory.js';
export { applySignConvention } from './spectrum/sign.js';
export type { SpectrumOptions } from './spectrum/spectrum.js';
export { spectrum } from './spectrum/spectrum.js';
export type { EigenGroup, GroupStatus, PadMode, SignConvention, Spectrum } from './spectrum/types.js';
export type { InFlight } from './util/in-flight.js';
export { inFlight } from './util/in-flight.js';
export type { Rng } from './util/rng.js';
export { createRng } from './util/rng.js';
