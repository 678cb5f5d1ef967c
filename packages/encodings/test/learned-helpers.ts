// Helpers shared by the learned-encoder property tests (sign flips, eigenspace rotations,
// permutations, padding/batching, save/load). They act on the host-side EigBatch, so every test
// transforms exactly the inputs the layer sees.
import {
  type EigBatch,
  type EigItem,
  type EigTensors,
  eigBatch,
  eigTensors,
  tf,
} from '@graphpe/encodings/learned';
import { createRng, fromEdgeList, type Graph, spectrum } from '@graphpe/spectral';
import { permuteGraph, randomPerm } from './fixed-helpers.js';

export { permuteGraph, randomPerm };

/** Cycle C_n (C6 has λ = 0, .5, .5, 1.5, 1.5, 2 for L_sym). */
export function cycle(n: number): Graph {
  const src = Array.from({ length: n }, (_, i) => i);
  const dst = src.map((i) => (i + 1) % n);
  return fromEdgeList({ src, dst }, { n });
}

/** Small molecule-like test graphs: C6, a substituted ring (simple spectrum), a path, a star (repeated λ = 1). */
export function fixtureGraphs(): Graph[] {
  const ringTail = fromEdgeList(
    { src: [0, 1, 2, 3, 4, 5, 0, 6, 7], dst: [1, 2, 3, 4, 5, 0, 6, 7, 8] },
    { n: 9 },
  );
  const path = fromEdgeList({ src: [0, 1, 2, 3], dst: [1, 2, 3, 4] }, { n: 5 });
  const star = fromEdgeList({ src: [0, 0, 0, 0], dst: [1, 2, 3, 4] }, { n: 5 });
  return [cycle(6), ringTail, path, star];
}

/** A graph with its full (or k-truncated, zero-padded) sym-Laplacian spectrum. */
export function item(g: Graph, k = g.n): EigItem {
  return { graph: g, spectrum: spectrum(g, { k, solver: 'dense', pad: 'zero' }) };
}

/** Copy of a batch with fresh arrays. */
export function cloneBatch(b: EigBatch): EigBatch {
  return {
    ...b,
    numNodes: b.numNodes.slice(),
    vectors: b.vectors.slice(),
    values: b.values.slice(),
    adjacency: b.adjacency.slice(),
    nodeMask: b.nodeMask.slice(),
    eigMask: b.eigMask.slice(),
  };
}

/** The first k eigen-columns of a batch (a truncation applied after any change of basis). */
export function truncateBatch(batch: EigBatch, k: number): EigBatch {
  const { batchSize: B, maxNodes: N, k: K } = batch;
  const vectors = new Float32Array(B * N * k);
  const values = new Float32Array(B * k);
  const eigMask = new Float32Array(B * k);
  for (let b = 0; b < B; b++)
    for (let j = 0; j < k; j++) {
      values[b * k + j] = batch.values[b * K + j] as number;
      eigMask[b * k + j] = batch.eigMask[b * K + j] as number;
      for (let i = 0; i < N; i++) vectors[(b * N + i) * k + j] = batch.vectors[(b * N + i) * K + j] as number;
    }
  return { ...cloneBatch(batch), k, vectors, values, eigMask };
}

/** Rotates graph b's columns (start, start+1) by the angle θ. */
export function rotatePair(batch: EigBatch, b: number, start: number, theta: number): EigBatch {
  const out = cloneBatch(batch);
  const { maxNodes: N, k: K } = batch;
  const c = Math.cos(theta);
  const s = Math.sin(theta);
  for (let i = 0; i < N; i++) {
    const o = (b * N + i) * K + start;
    const x = batch.vectors[o] as number;
    const y = batch.vectors[o + 1] as number;
    out.vectors[o] = c * x + s * y;
    out.vectors[o + 1] = -s * x + c * y;
  }
  return out;
}

/** Multiplies each eigenvector column of each graph by a seeded random ±1. */
export function flipSigns(batch: EigBatch, seed: number): EigBatch {
  const out = cloneBatch(batch);
  const rng = createRng(seed);
  const { batchSize: B, maxNodes: N, k: K } = batch;
  for (let b = 0; b < B; b++)
    for (let j = 0; j < K; j++) {
      if (rng.next() < 0.5) continue;
      for (let i = 0; i < N; i++)
        out.vectors[(b * N + i) * K + j] = -(out.vectors[(b * N + i) * K + j] as number);
    }
  return out;
}

/** A seeded random d×d orthogonal matrix (Gram–Schmidt on a Gaussian matrix), row-major. */
export function randomOrthogonal(d: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const q = new Float64Array(d * d);
  for (let i = 0; i < d * d; i++) q[i] = rng.normal();
  for (let c = 0; c < d; c++) {
    for (let p = 0; p < c; p++) {
      let dot = 0;
      for (let r = 0; r < d; r++) dot += (q[r * d + c] as number) * (q[r * d + p] as number);
      for (let r = 0; r < d; r++) q[r * d + c] = (q[r * d + c] as number) - dot * (q[r * d + p] as number);
    }
    let nrm = 0;
    for (let r = 0; r < d; r++) nrm += (q[r * d + c] as number) ** 2;
    nrm = Math.sqrt(nrm);
    for (let r = 0; r < d; r++) q[r * d + c] = (q[r * d + c] as number) / nrm;
  }
  return q;
}

/**
 * Rotates graph b's eigenvector columns [start, start+size) by a random orthogonal matrix
 * (V_g ← V_g Q): a change of basis inside an eigenspace when those columns form one.
 */
export function rotateColumns(
  batch: EigBatch,
  b: number,
  start: number,
  size: number,
  seed: number,
): EigBatch {
  const out = cloneBatch(batch);
  const q = randomOrthogonal(size, seed);
  const { maxNodes: N, k: K } = batch;
  for (let i = 0; i < N; i++) {
    const row = (b * N + i) * K + start;
    const v = batch.vectors.slice(row, row + size);
    for (let c = 0; c < size; c++) {
      let s = 0;
      for (let r = 0; r < size; r++) s += (v[r] as number) * (q[r * size + c] as number);
      out.vectors[row + c] = s;
    }
  }
  return out;
}

/** Rotates every complete repeated eigenspace of every graph (groups from the item spectra). */
export function rotateAllEigenspaces(batch: EigBatch, items: readonly EigItem[], seed: number): EigBatch {
  let out = batch;
  items.forEach((it, b) => {
    for (const g of it.spectrum.groups) {
      if (g.size > 1 && g.status === 'complete')
        out = rotateColumns(out, b, g.start, g.size, seed + 31 * b + g.start);
    }
  });
  return out;
}

/** Runs `fn` on the uploaded batch and returns its output as a nested array, disposing tensors. */
export function run(fn: (t: EigTensors) => tf.Tensor, batch: EigBatch): number[][][] {
  return tf.tidy(() => fn(eigTensors(batch)).arraySync() as number[][][]);
}

/** Max |a − b| over two nested arrays of the same shape. */
export function maxAbsDiff(a: unknown, b: unknown): number {
  const fa = (a as unknown[]).flat(Number.POSITIVE_INFINITY) as number[];
  const fb = (b as unknown[]).flat(Number.POSITIVE_INFINITY) as number[];
  if (fa.length !== fb.length) throw new Error(`shape mismatch ${fa.length} vs ${fb.length}`);
  let m = 0;
  for (let i = 0; i < fa.length; i++) m = Math.max(m, Math.abs((fa[i] as number) - (fb[i] as number)));
  return m;
}

/** A layer's trainable weights as the tf.Variables that tf.variableGrads / optimizers take. */
export function trainableVars(layer: tf.layers.Layer): tf.Variable[] {
  return layer.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
}

/** Saves a LayersModel to memory and loads it back (the model.save/loadLayersModel round trip). */
export async function saveLoad(model: tf.LayersModel): Promise<tf.LayersModel> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!saved) throw new Error('nothing saved');
  return tf.loadLayersModel(tf.io.fromMemory(saved));
}

/** Graph b's rows of a [B, N, C] output, real nodes only. */
export function rowsOf(out: number[][][], b: number, n: number): number[][] {
  return (out[b] as number[][]).slice(0, n);
}

/** The batch of `items` padded to `maxNodes`/`k`. */
export function batchOf(items: readonly EigItem[], maxNodes?: number, k?: number): EigBatch {
  const opts: { maxNodes?: number; k?: number } = {};
  if (maxNodes !== undefined) opts.maxNodes = maxNodes;
  if (k !== undefined) opts.k = k;
  return eigBatch(items, opts);
}

/** Seeded random ±1 per (graph, column): [B·K] row-major. */
export function randomSigns(batchSize: number, k: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: batchSize * k }, () => (rng.next() < 0.5 ? -1 : 1));
}

/** Copy of a batch with column j of graph b multiplied by signs[b·K + j] (V ← V·S per graph). */
export function flipColumns(batch: EigBatch, signs: ArrayLike<number>): EigBatch {
  const out = cloneBatch(batch);
  const { batchSize: B, maxNodes: N, k: K } = batch;
  for (let b = 0; b < B; b++)
    for (let i = 0; i < N; i++)
      for (let j = 0; j < K; j++) out.vectors[(b * N + i) * K + j] *= signs[b * K + j] as number;
  return out;
}

/**
 * Copy of a batch with graph b's real nodes relabelled: old node i becomes perm[i] (as permuteGraph), in
 * the eigenvector rows, the adjacency rows and columns and the node mask (V ← PV, A ← PAPᵀ).
 */
export function permuteBatch(batch: EigBatch, b: number, perm: Int32Array): EigBatch {
  const out = cloneBatch(batch);
  const { maxNodes: N, k: K } = batch;
  for (let i = 0; i < perm.length; i++) {
    const pi = perm[i] as number;
    for (let j = 0; j < K; j++)
      out.vectors[(b * N + pi) * K + j] = batch.vectors[(b * N + i) * K + j] as number;
    for (let j = 0; j < perm.length; j++)
      out.adjacency[(b * N + pi) * N + (perm[j] as number)] = batch.adjacency[(b * N + i) * N + j] as number;
  }
  return out;
}
