/** Dense symmetric eigensolver: Householder tridiagonalization + implicit QL (EISPACK tred2/tql2). */
export type { EighBatch, LaplacianEighBatchOptions } from './batch.js';
export { batchItem, laplacianEighBatch } from './batch.js';
export type { EighOptions, EighResult } from './eigh.js';
export { eigh } from './eigh.js';
export type { EighPool, LaplacianEighBatchParallelOptions, ParallelEighOptions } from './parallel.js';
export { createEighPool, laplacianEighBatchParallel } from './parallel.js';
export type { DenseKernels } from './wasm/loader.js';
export { denseKernels, setDenseKernels } from './wasm/loader.js';
export { EighWorkspace } from './workspace.js';
