/**
 * Sparse neighbour aggregation for the `cpu` and `wasm` backends: Σ_u A[b, i, u]·x[b, u, ...] as a JS loop
 * over a CSR of the (dense, batched) adjacency inside one taped op, forward and backward O(E·width).
 * The dense form ({@link neighbourSum}, a [B, N, N] batched matmul) runs ~1 GFLOP/s on wasm and also
 * differentiates the constant adjacency; on a molecule-sized sparse graph the loop is far cheaper.
 */
import type * as Tf from '@tensorflow/tfjs';
import { tf } from '../tf.js';

/** CSR of a batched adjacency over the B·N global rows b·N + i (column indices are global too). */
export interface AdjacencyCsr {
  /** B·N */
  readonly rows: number;
  /** [rows + 1] row i's entries are indices/values[indptr[i] .. indptr[i + 1]). */
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly values: Float32Array;
}

/** The CSR of A [B, N, N] (nonzero entries of row b·N + i, columns b·N + j) and of Aᵀ. */
export interface AdjacencyCsrPair {
  readonly forward: AdjacencyCsr;
  readonly transpose: AdjacencyCsr;
}

/** CSR of a dense batched adjacency given as its data [B·N·N] (row-major). */
export function csrFromDense(data: ArrayLike<number>, B: number, N: number): AdjacencyCsr {
  const rows = B * N;
  const indptr = new Int32Array(rows + 1);
  const idx: number[] = [];
  const val: number[] = [];
  for (let r = 0; r < rows; r++) {
    const b = Math.floor(r / N);
    const base = r * N;
    for (let j = 0; j < N; j++) {
      const v = data[base + j] as number;
      if (v !== 0) {
        idx.push(b * N + j);
        val.push(v);
      }
    }
    indptr[r + 1] = idx.length;
  }
  return { rows, indptr, indices: Int32Array.from(idx), values: Float32Array.from(val) };
}

/** The transpose of a square CSR. */
export function transposeCsr(c: AdjacencyCsr): AdjacencyCsr {
  const { rows, indptr, indices, values } = c;
  const E = indices.length;
  const tptr = new Int32Array(rows + 1);
  for (let e = 0; e < E; e++) tptr[(indices[e] as number) + 1] += 1;
  for (let r = 0; r < rows; r++) tptr[r + 1] = (tptr[r + 1] as number) + (tptr[r] as number);
  const fill = tptr.slice(0, rows);
  const tidx = new Int32Array(E);
  const tval = new Float32Array(E);
  for (let r = 0; r < rows; r++) {
    for (let e = indptr[r] as number; e < (indptr[r + 1] as number); e++) {
      const c2 = indices[e] as number;
      const p = fill[c2] as number;
      fill[c2] = p + 1;
      tidx[p] = r;
      tval[p] = values[e] as number;
    }
  }
  return { rows, indptr: tptr, indices: tidx, values: tval };
}

const cache = new WeakMap<Tf.Tensor, AdjacencyCsrPair>();

/**
 * The CSR pair of a dense adjacency tensor [B, N, N], read from its data once and cached on the tensor
 * (tensors are immutable, so the cache stays valid while the tensor lives).
 */
export function adjacencyCsr(adjacency: Tf.Tensor): AdjacencyCsrPair {
  const hit = cache.get(adjacency);
  if (hit) return hit;
  const [B, N] = adjacency.shape as [number, number, number];
  const forward = csrFromDense(adjacency.dataSync(), B, N);
  const pair = { forward, transpose: transposeCsr(forward) };
  cache.set(adjacency, pair);
  return pair;
}

/** out[r, :] = Σ_e values[e]·x[indices[e], :] over row r's entries, x as [rows, W] data. */
function spmm(c: AdjacencyCsr, x: Float32Array, W: number): Float32Array {
  const out = new Float32Array(c.rows * W);
  const { indptr, indices, values } = c;
  for (let r = 0; r < c.rows; r++) {
    const o = r * W;
    for (let e = indptr[r] as number; e < (indptr[r + 1] as number); e++) {
      const s = (indices[e] as number) * W;
      const v = values[e] as number;
      if (v === 1) for (let k = 0; k < W; k++) out[o + k] = (out[o + k] as number) + (x[s + k] as number);
      else for (let k = 0; k < W; k++) out[o + k] = (out[o + k] as number) + v * (x[s + k] as number);
    }
  }
  return out;
}

/** A·x for a 2-D x [rows, W] as one taped op with JS loops (dx = Aᵀ·dy), given A's CSR pair. */
export function csrMatMul(x: Tf.Tensor, pair: AdjacencyCsrPair): Tf.Tensor {
  const shape = x.shape;
  const W = x.size / pair.forward.rows;
  const f = tf.customGrad((xIn) => {
    const xd = (xIn as Tf.Tensor).dataSync() as Float32Array;
    return {
      value: tf.tensor(spmm(pair.forward, xd, W), shape),
      gradFunc: (dy: Tf.Tensor) => tf.tensor(spmm(pair.transpose, dy.dataSync() as Float32Array, W), shape),
    };
  });
  return f(x) as Tf.Tensor;
}

/**
 * Σ_u A[b, i, u]·x[b, u, ...] for x [B, N, ...rest] → [B, N, ...rest], the same function as
 * {@link neighbourSum} (extra axes are channels), as one taped op with JS loops over the adjacency's CSR:
 * dx = Aᵀ·dy. No gradient flows to the adjacency (treated as a constant input).
 */
export function sparseNeighbourSum(adjacency: Tf.Tensor, x: Tf.Tensor, csr?: AdjacencyCsrPair): Tf.Tensor {
  return csrMatMul(x, csr ?? adjacencyCsr(adjacency));
}

/** The real rows of a [B·N·C] channel layout and the adjacency restricted to them (per channel). */
export interface PackedChannelRows {
  /** [M] index b·N·C + i·C + c of each real row, in order. */
  readonly rows: Int32Array;
  /** CSR pair over the M real rows: row (b, i, c) sums the real rows (b, j, c) with A[b, i, j] ≠ 0. */
  readonly csr: AdjacencyCsrPair;
}

/**
 * Packs the rows (b, i, c) of x [B, N, C, h] whose `mask` [B·N·C] is nonzero, with the aggregation over
 * the node axis channel by channel restricted to them (sources outside the mask are dropped: where x is 0
 * there the sum is unchanged).
 */
export function packChannelRows(
  pair: AdjacencyCsrPair,
  mask: ArrayLike<number>,
  C: number,
): PackedChannelRows {
  const R = mask.length;
  const packedOf = new Int32Array(R).fill(-1);
  let M = 0;
  for (let r = 0; r < R; r++) if (mask[r] !== 0) packedOf[r] = M++;
  const rows = new Int32Array(M);
  for (let r = 0; r < R; r++) if ((packedOf[r] as number) >= 0) rows[packedOf[r] as number] = r;
  const { indptr, indices, values } = pair.forward;
  const ptr = new Int32Array(M + 1);
  const idx: number[] = [];
  const val: number[] = [];
  for (let p = 0; p < M; p++) {
    const r = rows[p] as number;
    const node = Math.floor(r / C);
    const c = r - node * C;
    for (let e = indptr[node] as number; e < (indptr[node + 1] as number); e++) {
      const q = packedOf[(indices[e] as number) * C + c] as number;
      if (q >= 0) {
        idx.push(q);
        val.push(values[e] as number);
      }
    }
    ptr[p + 1] = idx.length;
  }
  const forward = { rows: M, indptr: ptr, indices: Int32Array.from(idx), values: Float32Array.from(val) };
  return { rows, csr: { forward, transpose: transposeCsr(forward) } };
}

/** Rows `rows` of host data [R, W] as a constant [rows.length, W] tensor. */
export function gatherRowsHost(data: ArrayLike<number>, rows: Int32Array, W: number): Tf.Tensor2D {
  const out = new Float32Array(rows.length * W);
  for (let p = 0; p < rows.length; p++) {
    const s = (rows[p] as number) * W;
    for (let k = 0; k < W; k++) out[p * W + k] = data[s + k] as number;
  }
  return tf.tensor2d(out, [rows.length, W]);
}

/** x [M, W] scattered to rows `rows` of a zero [R, W] (gradient: the gather of those rows), JS loops. */
export function scatterRows(x: Tf.Tensor2D, rows: Int32Array, R: number): Tf.Tensor2D {
  const [M, W] = x.shape;
  const f = tf.customGrad((xIn) => {
    const xd = (xIn as Tf.Tensor).dataSync() as Float32Array;
    const out = new Float32Array(R * W);
    for (let p = 0; p < M; p++) out.set(xd.subarray(p * W, p * W + W), (rows[p] as number) * W);
    return {
      value: tf.tensor2d(out, [R, W]),
      gradFunc: (dy: Tf.Tensor) => gatherRowsHost(dy.dataSync(), rows, W),
    };
  });
  return f(x) as Tf.Tensor2D;
}

/**
 * Whether {@link sparseNeighbourSum} is the faster aggregation on the current backend (cpu, wasm), unless
 * the environment variable `GRAPHPE_DENSE_AGGREGATION=1` asks for the dense matmul (to time both).
 */
export function preferSparseAggregation(): boolean {
  if (typeof process !== 'undefined' && process.env?.GRAPHPE_DENSE_AGGREGATION === '1') return false;
  const b = tf.getBackend();
  return b === 'cpu' || b === 'wasm';
}
