/**
 * Packed forms that cross thread boundaries as a few transferred buffers: graphs (CSR concatenated, the
 * layout of @graphpe/spectral's packGraphs) and PE results (one typed array per output plus offsets and shapes).
 */
import type { PeLevel } from './spec.js';

export type { PackedGraphs } from '@graphpe/spectral';
export { packGraphs, unpackGraphs } from '@graphpe/spectral';

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
