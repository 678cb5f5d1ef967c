/**
 * Packed forms that cross thread boundaries as a few transferred buffers: graphs (CSR concatenated)
 * and PE results (one concatenated typed array per output plus offsets and shapes).
 */
import type { Graph } from '@graphpe/spectral';
import type { PeLevel } from './spec.js';

/**
 * Graphs `[b0, b1)` as two flat arrays: `ints` = [count, n_0 … n_{count−1}, edge offsets (count+1),
 * concatenated indptr (Σ (n_b + 1)), concatenated indices]; `weights` = concatenated weights.
 */
export interface PackedGraphs {
  ints: Int32Array;
  weights: Float64Array;
}

/** Pack graphs `[b0, b1)` (copies; the buffers can then be transferred). */
export function packGraphs(graphs: readonly Graph[], b0: number, b1: number): PackedGraphs {
  const count = b1 - b0;
  let nodes = 0;
  let nnz = 0;
  for (let b = b0; b < b1; b++) {
    nodes += graphs[b].n + 1;
    nnz += graphs[b].indptr[graphs[b].n];
  }
  const ints = new Int32Array(1 + count + count + 1 + nodes + nnz);
  const weights = new Float64Array(nnz);
  ints[0] = count;
  const eo = 1 + count;
  let pp = eo + count + 1;
  let pi = pp + nodes;
  let e = 0;
  for (let b = b0; b < b1; b++) {
    const g = graphs[b];
    const m = g.indptr[g.n];
    ints[1 + b - b0] = g.n;
    ints[eo + b - b0] = e;
    ints.set(g.indptr.subarray(0, g.n + 1), pp);
    pp += g.n + 1;
    ints.set(g.indices.subarray(0, m), pi);
    pi += m;
    weights.set(g.weights.subarray(0, m), e);
    e += m;
  }
  ints[eo + count] = e;
  return { ints, weights };
}

/** Views (no copies) of the graphs in a {@link PackedGraphs}. */
export function unpackGraphs(p: PackedGraphs): Graph[] {
  const { ints, weights } = p;
  const count = ints[0];
  const eo = 1 + count;
  let pp = eo + count + 1;
  let nodes = 0;
  for (let b = 0; b < count; b++) nodes += ints[1 + b] + 1;
  const base = pp + nodes;
  const out: Graph[] = new Array(count);
  for (let b = 0; b < count; b++) {
    const n = ints[1 + b];
    const e0 = ints[eo + b];
    const e1 = ints[eo + b + 1];
    out[b] = {
      n,
      indptr: ints.subarray(pp, pp + n + 1),
      indices: ints.subarray(base + e0, base + e1),
      weights: weights.subarray(e0, e1),
    };
    pp += n + 1;
  }
  return out;
}

/**
 * One PE output over a run of graphs: graph b's row-major values are
 * `data[offsets[b] … offsets[b+1])` with shape `shapes[b·rank … (b+1)·rank)`; when the PE has a mask,
 * graph b's is `mask[maskOffsets[b] … maskOffsets[b+1])`.
 */
export interface PeColumn {
  readonly name: string;
  readonly level: PeLevel;
  readonly rank: number;
  readonly data: Float64Array | Float32Array;
  /** count + 1 offsets into `data` (Float64Array once they pass 2^31 − 1). */
  readonly offsets: Int32Array | Float64Array;
  readonly shapes: Int32Array;
  readonly mask?: Uint8Array;
  readonly maskOffsets?: Int32Array | Float64Array;
}

/** PE outputs of the graphs `[start, start + count)` of a batch, packed per output. */
export interface PeChunk {
  readonly start: number;
  readonly count: number;
  /** Nodes per graph. */
  readonly sizes: Int32Array;
  readonly columns: readonly PeColumn[];
  /**
   * Eigendecompositions the transforms ran themselves (graphs past the dense threshold); 0 when every
   * spectrum came from the batched dense solve.
   */
  readonly solves: number;
}

/** Offsets array sized for `total`: Int32Array below 2^31, else Float64Array. */
export function offsetArray(length: number, total: number): Int32Array | Float64Array {
  return total < 2 ** 31 ? new Int32Array(length) : new Float64Array(length);
}

/** Every buffer of a chunk, for a transfer list. */
export function chunkBuffers(chunk: PeChunk): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>([chunk.sizes.buffer as ArrayBuffer]);
  for (const c of chunk.columns) {
    for (const a of [c.data, c.offsets, c.shapes, c.mask, c.maskOffsets]) {
      if (a) out.add(a.buffer as ArrayBuffer);
    }
  }
  return [...out];
}

/** Concatenate consecutive chunks (in order) into one chunk covering them all. */
export function concatChunks(chunks: readonly PeChunk[], start = 0): PeChunk {
  let count = 0;
  for (const c of chunks) count += c.count;
  const sizes = new Int32Array(count);
  let at = 0;
  for (const c of chunks) {
    sizes.set(c.sizes, at);
    at += c.count;
  }
  if (chunks.length === 0) return { start, count: 0, sizes, columns: [], solves: 0 };
  const columns = chunks[0].columns.map((first, ci): PeColumn => {
    const parts = chunks.map((c) => c.columns[ci]);
    let total = 0;
    let maskTotal = 0;
    for (const p of parts) {
      total += p.data.length;
      maskTotal += p.mask?.length ?? 0;
    }
    const data = first.data instanceof Float32Array ? new Float32Array(total) : new Float64Array(total);
    const offsets = offsetArray(count + 1, total);
    const shapes = new Int32Array(count * first.rank);
    const mask = first.mask ? new Uint8Array(maskTotal) : undefined;
    const maskOffsets = first.mask ? offsetArray(count + 1, maskTotal) : undefined;
    let d = 0;
    let m = 0;
    let b = 0;
    for (const p of parts) {
      data.set(p.data, d);
      shapes.set(p.shapes, b * first.rank);
      const pc = p.offsets.length - 1;
      for (let i = 0; i < pc; i++) offsets[b + i] = d + p.offsets[i];
      if (mask && maskOffsets && p.mask && p.maskOffsets) {
        mask.set(p.mask, m);
        for (let i = 0; i < pc; i++) maskOffsets[b + i] = m + p.maskOffsets[i];
        m += p.mask.length;
      }
      d += p.data.length;
      b += pc;
    }
    offsets[count] = d;
    if (maskOffsets) maskOffsets[count] = m;
    return {
      name: first.name,
      level: first.level,
      rank: first.rank,
      data,
      offsets,
      shapes,
      mask,
      maskOffsets,
    };
  });
  return { start, count, sizes, columns, solves: chunks.reduce((a, c) => a + c.solves, 0) };
}
