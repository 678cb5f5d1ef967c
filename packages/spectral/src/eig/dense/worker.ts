/**
 * Piscina worker of the parallel dense Laplacian eigensolver: unpacks a chunk of graphs, runs the
 * same single-thread code as `laplacianEighBatch` (so results are bit-identical) and returns the
 * packed values followed by the vectors in one transferred Float64Array.
 */
import { move } from 'piscina';
import { GraphpeError } from '../../errors.js';
import type { LaplacianKind } from '../../graph/types.js';
import { allocateBatch, eighBatchInto } from './batch.js';
import { type PackedGraphs, unpackGraphs } from './pack.js';
import { EighWorkspace } from './workspace.js';

/** One chunk of work. */
export interface EighTask extends PackedGraphs {
  laplacian: LaplacianKind;
  vectors: boolean;
  /** Global index of the chunk's first graph (for error messages). */
  indexBase: number;
}

/** A chunk's result: `[values…, vectors…]` (transferred), or a GraphpeError's fields. */
export type EighTaskResult =
  | Float64Array
  | { code: string; message: string; details: Record<string, unknown> };

let workspace = new EighWorkspace(64);

export default function eighTask(task: EighTask): EighTaskResult {
  try {
    const graphs = unpackGraphs(task);
    const sizes = new Int32Array(graphs.length);
    for (let b = 0; b < graphs.length; b++) sizes[b] = graphs[b].n;
    const batch = allocateBatch(sizes, task.laplacian, task.vectors);
    const nv = batch.values.length;
    const data = new Float64Array(nv + batch.vectors.length);
    const values = data.subarray(0, nv);
    const vectors = data.subarray(nv);
    let nMax = 0;
    for (let b = 0; b < sizes.length; b++) if (sizes[b] > nMax) nMax = sizes[b];
    workspace = workspace.ensure(nMax);
    eighBatchInto(graphs, batch, values, vectors, workspace, task.indexBase);
    return move(data) as Float64Array;
  } catch (err) {
    if (err instanceof GraphpeError) return { code: err.code, message: err.message, details: err.details };
    throw err;
  }
}
