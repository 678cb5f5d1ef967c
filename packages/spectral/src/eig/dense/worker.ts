/**
 * Piscina worker of the parallel dense Laplacian eigensolver: unpacks a chunk of graphs, runs the
 * same single-thread code as `laplacianEighBatch` (so results are bit-identical) and writes the
 * eigenpairs straight into the caller's batch, which lives in a SharedArrayBuffer: nothing is
 * copied or transferred back.
 */
import { GraphpeError } from '../../errors.js';
import type { LaplacianKind } from '../../graph/types.js';
import { allocateBatch, eighBatchInto } from './batch.js';
import { type PackedGraphs, unpackGraphs } from './pack.js';
import { type DenseKernels, setDenseKernels } from './wasm/loader.js';
import { EighWorkspace } from './workspace.js';

/** One chunk of work. */
export interface EighTask extends PackedGraphs {
  laplacian: LaplacianKind;
  vectors: boolean;
  /** The caller's dense kernels (falls back to 'js' where wasm is unavailable), for identical results. */
  kernels: DenseKernels;
  /** Global index of the chunk's first graph (for error messages). */
  indexBase: number;
  /** The whole batch's values and vectors (SharedArrayBuffer-backed) … */
  values: Float64Array;
  vectorData: Float64Array;
  /** … and where this chunk's first graph starts in them. */
  valueOffset: number;
  vectorOffset: number;
}

/** A chunk's result: null when its eigenpairs are written, or a GraphpeError's fields. */
export type EighTaskResult = null | { code: string; message: string; details: Record<string, unknown> };

let workspace = new EighWorkspace(64);

export default function eighTask(task: EighTask): EighTaskResult {
  try {
    setDenseKernels(task.kernels);
    const graphs = unpackGraphs(task);
    const sizes = new Int32Array(graphs.length);
    for (let b = 0; b < graphs.length; b++) sizes[b] = graphs[b].n;
    const batch = allocateBatch(sizes, task.laplacian, task.vectors, 'none');
    let nMax = 0;
    for (let b = 0; b < sizes.length; b++) if (sizes[b] > nMax) nMax = sizes[b];
    workspace = workspace.ensure(nMax);
    const values = task.values.subarray(task.valueOffset);
    const vectors = task.vectorData.subarray(task.vectorOffset);
    eighBatchInto(graphs, batch, values, vectors, workspace, task.indexBase);
    return null;
  } catch (err) {
    if (err instanceof GraphpeError) return { code: err.code, message: err.message, details: err.details };
    throw err;
  }
}
