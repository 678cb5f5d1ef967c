/** Batch runner: a PE pipeline (from a serializable spec string) over many graphs, on this thread or a worker pool. */
export type { PackedGraphs, PeChunk, PeColumn } from './pack.js';
export { concatChunks, packGraphs, unpackGraphs } from './pack.js';
export type { PeBatchParallelOptions, PePool, PePoolRunOptions } from './pool.js';
export { createPePool, encodePeBatchParallel, resolvePeWorkerUrl } from './pool.js';
export type { PeBatch, PeBatchOptions } from './run.js';
export { encodePeBatch, encodePeChunks, peItem } from './run.js';
export type { PeLevel, PeSpec, PeSpecDefaults, PeSpecItem } from './spec.js';
export { buildPipeline, formatPeSpec, parsePeSpec, specLaplacians, specOutputs } from './spec.js';
