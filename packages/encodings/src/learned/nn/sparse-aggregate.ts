/**
 * Sparse neighbour aggregation for the `cpu` and `wasm` backends: Σ_u A[b, i, u]·x[b, u, ...] as a JS loop
 * over a CSR of the (dense, batched) adjacency inside one taped op, forward and backward O(E·width).
 * The dense form ({@link neighbourSum}, a [B, N, N] batched matmul) runs ~1 GFLOP/s on wasm and also
 * differentiates the constant adjacency; on a molecule-sized sparse graph the loop is far cheaper.
 */
import * as tf from '@tensorflow/tfjs';

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

const cache = new WeakMap<tf.Tensor, AdjacencyCsrPair>();

/**
 * The CSR pair of a dense adjacency tensor [B, N, N], read from its data once and cached on the tensor
 * (tensors are immutable, so the cache stays valid while the tensor lives).
 */
export function adjacencyCsr(adjacency: tf.Tensor): AdjacencyCsrPair {
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

/**
 * Σ_u A[b, i, u]·x[b, u, ...] for x [B, N, ...rest] → [B, N, ...rest], the same function as
 * {@link neighbourSum} (extra axes are channels), as one taped op with JS loops over the adjacency's CSR:
 * dx = Aᵀ·dy. No gradient flows to the adjacency (treated as a constant input).
 */
export function sparseNeighbourSum(adjacency: tf.Tensor, x: tf.Tensor, csr?: AdjacencyCsrPair): tf.Tensor {
  const pair = csr ?? adjacencyCsr(adjacency);
  const shape = x.shape;
  const rows = pair.forward.rows;
  const W = x.size / rows;
  const f = tf.customGrad((xIn) => {
    const xd = (xIn as tf.Tensor).dataSync() as Float32Array;
    return {
      value: tf.tensor(spmm(pair.forward, xd, W), shape),
      gradFunc: (dy: tf.Tensor) => tf.tensor(spmm(pair.transpose, dy.dataSync() as Float32Array, W), shape),
    };
  });
  return f(x) as tf.Tensor;
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
