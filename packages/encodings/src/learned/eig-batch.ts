/**
 * Dense, padded batches of graphs with their eigenpairs: the input every learned encoder takes.
 *
 * Layout (all row-major Float32Array, B graphs padded to N nodes and K eigenpairs):
 * - `vectors`   [B, N, K]  eigenvectors (rows past n and columns past the real eigenpairs are 0)
 * - `values`    [B, K]     eigenvalues (0 in padding)
 * - `adjacency` [B, N, N]  weighted adjacency without self-loops (0 in padding)
 * - `nodeMask`  [B, N]     1 for real nodes
 * - `eigMask`   [B, K]     1 for real eigenpairs
 *
 * Dense batched adjacency keeps message passing a batched matmul, so training needs no `gather`
 * gradient (which the wasm backend lacks) and runs in the matmul fast path.
 */

import { type Graph, GraphpeError, type Spectrum } from '@graphpe/spectral';
import type * as Tf from '@tensorflow/tfjs';
import { tf } from './tf.js';

/** One graph with its (possibly truncated/padded) spectrum. */
export interface EigItem {
  readonly graph: Graph;
  readonly spectrum: Spectrum;
}

/** Host-side padded batch (see the module comment for shapes). */
export interface EigBatch {
  readonly batchSize: number;
  readonly maxNodes: number;
  readonly k: number;
  readonly numNodes: Int32Array;
  readonly vectors: Float32Array;
  readonly values: Float32Array;
  readonly adjacency: Float32Array;
  readonly nodeMask: Float32Array;
  readonly eigMask: Float32Array;
}

/** The same batch as tfjs tensors; dispose with {@link disposeEigTensors} or inside `tf.tidy`. */
export interface EigTensors {
  /** [B, N, K] */
  readonly vectors: Tf.Tensor3D;
  /** [B, K] */
  readonly values: Tf.Tensor2D;
  /** [B, N, N] */
  readonly adjacency: Tf.Tensor3D;
  /** [B, N] */
  readonly nodeMask: Tf.Tensor2D;
  /** [B, K] */
  readonly eigMask: Tf.Tensor2D;
}

export interface EigBatchOptions {
  /** Pad every graph to this many nodes (default: the largest n in the batch). */
  maxNodes?: number;
  /** Pad/truncate to this many eigenpairs (default: the largest spectrum k in the batch). */
  k?: number;
}

/** Packs graphs and spectra into one padded batch. Throws when a graph exceeds `maxNodes`. */
export function eigBatch(items: readonly EigItem[], options: EigBatchOptions = {}): EigBatch {
  if (items.length === 0) throw new GraphpeError('E_EMPTY', 'eigBatch: empty batch');
  let nMax = 0;
  let kMax = 0;
  items.forEach((it, b) => {
    if (it.graph.n !== it.spectrum.n) {
      throw new GraphpeError(
        'E_SHAPE',
        `eigBatch: item ${b} has a graph with ${it.graph.n} nodes but a spectrum of ${it.spectrum.n}`,
      );
    }
    nMax = Math.max(nMax, it.graph.n);
    kMax = Math.max(kMax, it.spectrum.k);
  });
  const N = options.maxNodes ?? nMax;
  const K = options.k ?? kMax;
  if (N < nMax) {
    throw new GraphpeError('E_SHAPE', `eigBatch: maxNodes ${N} is below the largest graph (${nMax} nodes)`);
  }
  const B = items.length;
  const vectors = new Float32Array(B * N * K);
  const values = new Float32Array(B * K);
  const adjacency = new Float32Array(B * N * N);
  const nodeMask = new Float32Array(B * N);
  const eigMask = new Float32Array(B * K);
  const numNodes = new Int32Array(B);
  for (let b = 0; b < B; b++) {
    const { graph: g, spectrum: s } = items[b] as EigItem;
    const n = g.n;
    numNodes[b] = n;
    const kk = Math.min(K, s.k);
    for (let j = 0; j < kk; j++) {
      if (s.mask[j] !== 1) continue;
      values[b * K + j] = s.values[j] as number;
      eigMask[b * K + j] = 1;
      for (let i = 0; i < n; i++) vectors[(b * N + i) * K + j] = s.vectors[i * s.k + j] as number;
    }
    for (let i = 0; i < n; i++) {
      nodeMask[b * N + i] = 1;
      for (let p = g.indptr[i] as number; p < (g.indptr[i + 1] as number); p++) {
        const j = g.indices[p] as number;
        if (j !== i) adjacency[(b * N + i) * N + j] = g.weights[p] as number;
      }
    }
  }
  return { batchSize: B, maxNodes: N, k: K, numNodes, vectors, values, adjacency, nodeMask, eigMask };
}

/** Uploads a host batch to tfjs tensors. */
export function eigTensors(batch: EigBatch): EigTensors {
  const { batchSize: B, maxNodes: N, k: K } = batch;
  return {
    vectors: tf.tensor3d(batch.vectors, [B, N, K]),
    values: tf.tensor2d(batch.values, [B, K]),
    adjacency: tf.tensor3d(batch.adjacency, [B, N, N]),
    nodeMask: tf.tensor2d(batch.nodeMask, [B, N]),
    eigMask: tf.tensor2d(batch.eigMask, [B, K]),
  };
}

/** Disposes the tensors of {@link eigTensors}. */
export function disposeEigTensors(t: EigTensors): void {
  tf.dispose([t.vectors, t.values, t.adjacency, t.nodeMask, t.eigMask]);
}
