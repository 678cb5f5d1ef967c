import { checkOption } from '../../errors.js';
import type { Graph, LaplacianKind } from '../../graph/types.js';
import { validateGraphAs } from '../../graph/validate.js';
import { laplacianEighInto } from './laplacian-eigh.js';
import { EighWorkspace } from './workspace.js';

/**
 * Eigenpairs of many graphs packed into single buffers: graph b has `sizes[b]` eigenvalues at
 * `values[valueOffsets[b] … valueOffsets[b+1])` (ascending) and its n_b×n_b row-major
 * eigenvector block (column j ↔ eigenvalue j) at `vectors[vectorOffsets[b] … vectorOffsets[b+1])`.
 * Without vectors, `vectors` is empty and every vector offset is 0.
 */
export interface EighBatch {
  readonly count: number;
  readonly laplacian: LaplacianKind;
  /** Whether eigenvectors were computed. */
  readonly hasVectors: boolean;
  readonly sizes: Int32Array;
  readonly valueOffsets: Int32Array;
  /** Int32Array, or Float64Array when Σ n_b² does not fit in 31 bits. */
  readonly vectorOffsets: Int32Array | Float64Array;
  readonly values: Float64Array;
  readonly vectors: Float64Array;
}

/** Options of {@link laplacianEighBatch}. */
export interface LaplacianEighBatchOptions {
  /** Which Laplacian (default `'sym'`); `'rw'` vectors are not mutually orthogonal (see `laplacianEighInto`). */
  laplacian?: LaplacianKind;
  /** Compute eigenvectors (default true). */
  vectors?: boolean;
  /** Scratch memory (default: one sized for the largest graph). */
  workspace?: EighWorkspace;
}

const WHERE = 'spectral.laplacianEighBatch';
const KINDS: readonly string[] = ['sym', 'rw', 'comb'];

/** Validate batch options and fill defaults. */
export function batchOptions(options: { laplacian?: LaplacianKind; vectors?: boolean }, where = WHERE) {
  const laplacian = options.laplacian ?? 'sym';
  checkOption(KINDS.includes(laplacian), where, "laplacian must be 'sym', 'rw' or 'comb'", laplacian);
  const vectors = options.vectors ?? true;
  checkOption(typeof vectors === 'boolean', where, 'vectors must be a boolean', vectors);
  return { laplacian, vectors };
}

/**
 * An empty {@link EighBatch} with offsets computed from the graph sizes; `shared` puts values and
 * vectors in a SharedArrayBuffer (worker threads write into it directly), `buffers: false` allocates
 * none (a worker that only needs the chunk-local offsets).
 */
export function allocateBatch(
  sizes: Int32Array,
  laplacian: LaplacianKind,
  wantVectors: boolean,
  memory: 'local' | 'shared' | 'none' = 'local',
): EighBatch {
  const count = sizes.length;
  const valueOffsets = new Int32Array(count + 1);
  let totalSq = 0;
  for (let b = 0; b < count; b++) {
    valueOffsets[b + 1] = valueOffsets[b] + sizes[b];
    if (wantVectors) totalSq += sizes[b] * sizes[b];
  }
  const vectorOffsets = totalSq < 2 ** 31 ? new Int32Array(count + 1) : new Float64Array(count + 1);
  if (wantVectors)
    for (let b = 0; b < count; b++) vectorOffsets[b + 1] = vectorOffsets[b] + sizes[b] * sizes[b];
  const buffer = (length: number): Float64Array =>
    memory === 'none'
      ? new Float64Array(0)
      : memory === 'shared'
        ? new Float64Array(new SharedArrayBuffer(length * 8))
        : new Float64Array(length);
  return {
    count,
    laplacian,
    hasVectors: wantVectors,
    sizes,
    valueOffsets,
    vectorOffsets,
    values: buffer(valueOffsets[count]),
    vectors: buffer(totalSq),
  };
}

/** Sizes of the graphs, each validated by `validateGraph` (errors name the graph's index). */
export function graphSizes(graphs: readonly Graph[], where = WHERE): Int32Array {
  checkOption(Array.isArray(graphs), where, 'graphs must be an array of Graph', typeof graphs);
  const sizes = new Int32Array(graphs.length);
  for (let b = 0; b < graphs.length; b++) {
    const g = graphs[b];
    validateGraphAs(g, where, `graph ${b}`, b);
    sizes[b] = g.n;
  }
  return sizes;
}

/**
 * All eigenpairs of the Laplacian of every graph, on this thread, into one packed
 * {@link EighBatch}. One workspace serves the whole batch, so nothing is allocated per graph;
 * each graph goes through `laplacianEighInto` (per-component solves with the null vector deflated;
 * Householder + implicit QL, EISPACK tred2/tql2).
 */
export function laplacianEighBatch(
  graphs: readonly Graph[],
  options: LaplacianEighBatchOptions = {},
): EighBatch {
  const { laplacian, vectors } = batchOptions(options);
  const sizes = graphSizes(graphs);
  const batch = allocateBatch(sizes, laplacian, vectors);
  let nMax = 0;
  for (let b = 0; b < sizes.length; b++) if (sizes[b] > nMax) nMax = sizes[b];
  checkOption(
    options.workspace === undefined || options.workspace instanceof EighWorkspace,
    WHERE,
    'workspace must be an EighWorkspace',
    options.workspace,
  );
  const ws = (options.workspace ?? new EighWorkspace(nMax)).ensure(nMax);
  eighBatchInto(graphs, batch, batch.values, batch.vectors, ws, 0);
  return batch;
}

/**
 * The loop shared by the single-thread and worker paths: graph b's eigenpairs go to
 * `values[valueOffsets[b]…]` and `vectors[vectorOffsets[b]…]`. `indexBase` offsets graph
 * indices in error messages (a worker's chunk starts at a global index).
 */
export function eighBatchInto(
  graphs: readonly Graph[],
  batch: EighBatch,
  values: Float64Array,
  vectors: Float64Array,
  ws: EighWorkspace,
  indexBase: number,
): void {
  const wantVectors = batch.hasVectors;
  for (let b = 0; b < graphs.length; b++) {
    laplacianEighInto(
      graphs[b],
      indexBase + b,
      batch.laplacian,
      wantVectors,
      ws,
      values,
      batch.valueOffsets[b],
      vectors,
      batch.vectorOffsets[b],
    );
  }
}

/** Graph b of a batch as subarray views (no copy): its size, ascending values and n×n vectors. */
export function batchItem(
  batch: EighBatch,
  b: number,
): { n: number; values: Float64Array; vectors: Float64Array } {
  checkOption(
    Number.isInteger(b) && b >= 0 && b < batch.count,
    'spectral.batchItem',
    `index must be in [0, ${batch.count})`,
    b,
  );
  return {
    n: batch.sizes[b],
    values: batch.values.subarray(batch.valueOffsets[b], batch.valueOffsets[b + 1]),
    vectors: batch.vectors.subarray(batch.vectorOffsets[b], batch.vectorOffsets[b + 1]),
  };
}
