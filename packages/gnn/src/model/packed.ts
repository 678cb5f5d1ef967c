/**
 * The packed (PyG-style) node layout of a padded batch and the GINE ops that run on it with plain JS
 * loops on the `cpu` and `wasm` backends.
 *
 * A padded batch has B·N node rows, of which only M = Σ n_b are real (≈ 60% on ZINC). The packed layout
 * keeps the M real rows in batch order; the directed edges are a CSR over target nodes (incoming edges,
 * with their edge type). The GINE message Σ_{(j,t) → i} ReLU(h_j + E_t) is then O(E·H) work instead of
 * the dense [B, N, T·N] @ [B, T·N, H] matmul (O(B·N·T·N·H), and a slow generic batched matmul on wasm).
 */
import { tf } from '@graphpe/encodings/learned';
import { GraphpeError } from '@graphpe/spectral';

/** Index of a batch in the packed layout. */
export interface PackedGraphs {
  /** B */
  readonly numGraphs: number;
  /** N (padding size). */
  readonly maxNodes: number;
  /** M = number of real nodes. */
  readonly numNodes: number;
  /** [M] padded row b·N + i of each packed node. */
  readonly rowOf: Int32Array;
  /** [M] graph of each packed node. */
  readonly graphOf: Int32Array;
  /** [B] real nodes per graph. */
  readonly counts: Int32Array;
  /** [M + 1] incoming edges of packed node i are src/type[indptr[i] .. indptr[i+1]). */
  readonly indptr: Int32Array;
  /** [E] packed source node of each incoming edge. */
  readonly src: Int32Array;
  /** [E] edge type of each incoming edge. */
  readonly type: Int32Array;
}

/**
 * The packed index of a padded batch from its typed adjacency [B, N, T·N] (1 at (i, t·N + j) for an edge
 * j → i of type t) and node mask [B, N]. Real nodes are the rows with mask 1; an edge touching a padding
 * node is an error.
 */
export function packGraphs(
  edgeAdjacency: ArrayLike<number>,
  nodeMask: ArrayLike<number>,
  B: number,
  N: number,
  T: number,
): PackedGraphs {
  const where = 'gnn.packGraphs';
  if (edgeAdjacency.length !== B * N * T * N || nodeMask.length !== B * N) {
    throw new GraphpeError('E_SHAPE', `${where}: arrays do not match B=${B}, N=${N}, T=${T}`);
  }
  const packedOf = new Int32Array(B * N).fill(-1);
  const counts = new Int32Array(B);
  let M = 0;
  for (let r = 0; r < B * N; r++) {
    if (nodeMask[r] === 1) {
      packedOf[r] = M++;
      counts[Math.floor(r / N)] += 1;
    }
  }
  const rowOf = new Int32Array(M);
  const graphOf = new Int32Array(M);
  for (let r = 0; r < B * N; r++) {
    const p = packedOf[r] as number;
    if (p >= 0) {
      rowOf[p] = r;
      graphOf[p] = Math.floor(r / N);
    }
  }
  const indptr = new Int32Array(M + 1);
  const src: number[] = [];
  const type: number[] = [];
  const TN = T * N;
  for (let p = 0; p < M; p++) {
    const r = rowOf[p] as number;
    const b = Math.floor(r / N);
    const base = r * TN;
    for (let c = 0; c < TN; c++) {
      if (edgeAdjacency[base + c] === 0) continue;
      const t = Math.floor(c / N);
      const q = packedOf[b * N + (c - t * N)] as number;
      if (q < 0) throw new GraphpeError('E_SHAPE', `${where}: an edge touches a padding node (graph ${b})`);
      const w = edgeAdjacency[base + c] as number;
      if (w !== 1)
        throw new GraphpeError('E_SHAPE', `${where}: typed adjacency entries must be 0/1 (got ${w})`);
      src.push(q);
      type.push(t);
    }
    indptr[p + 1] = src.length;
  }
  return {
    numGraphs: B,
    maxNodes: N,
    numNodes: M,
    rowOf,
    graphOf,
    counts,
    indptr,
    src: Int32Array.from(src),
    type: Int32Array.from(type),
  };
}

const registry = new WeakMap<tf.Tensor, PackedGraphs>();

/** Attaches a packed index to an uploaded typed-adjacency tensor (done by `molTensors`). */
export function attachPacked(edgeAdjacency: tf.Tensor, packed: PackedGraphs): void {
  registry.set(edgeAdjacency, packed);
}

/** The packed index attached to a typed-adjacency tensor, or null. */
export function attachedPacked(edgeAdjacency: tf.Tensor): PackedGraphs | null {
  return registry.get(edgeAdjacency) ?? null;
}

type Save = (tensors: tf.Tensor[]) => void;

/** Rows `rows` of a 2-D x [R, C] → [rows.length, C]; gradient: scatter-add back (JS loops). */
export function gatherRowsJs(x: tf.Tensor2D, rows: Int32Array): tf.Tensor2D {
  const [R, C] = x.shape;
  const M = rows.length;
  const f = tf.customGrad((xIn) => {
    const xd = (xIn as tf.Tensor).dataSync() as Float32Array;
    const out = new Float32Array(M * C);
    for (let p = 0; p < M; p++)
      out.set(xd.subarray((rows[p] as number) * C, (rows[p] as number) * C + C), p * C);
    return {
      value: tf.tensor2d(out, [M, C]),
      gradFunc: (dy: tf.Tensor) => {
        const g = dy.dataSync() as Float32Array;
        const dx = new Float32Array(R * C);
        for (let p = 0; p < M; p++) {
          const o = (rows[p] as number) * C;
          for (let c = 0; c < C; c++) dx[o + c] = (dx[o + c] as number) + (g[p * C + c] as number);
        }
        return tf.tensor2d(dx, [R, C]);
      },
    };
  });
  return f(x) as tf.Tensor2D;
}

/**
 * The GINE update input z_i = (1 + ε)·h_i + Σ_{(j,t) → i} ReLU(h_j + E_t) on packed h [M, H], edge
 * embeddings E [T, H] and ε [1], as one taped op with JS loops (forward and backward O(E·H)):
 *   dh_j += dz_i·[h_j + E_t > 0] over edges,  dh_i += (1 + ε)·dz_i,  dE_t += dz_i·[h_j + E_t > 0],
 *   dε = Σ_i dz_i·h_i.
 */
export function gineMessageJs(h: tf.Tensor2D, e: tf.Tensor2D, eps: tf.Tensor, g: PackedGraphs): tf.Tensor2D {
  const [M, H] = h.shape;
  const T = e.shape[0];
  if (M !== g.numNodes) {
    throw new GraphpeError('E_SHAPE', `gnn.gineMessage: ${M} node rows for a batch with ${g.numNodes} nodes`);
  }
  const { indptr, src, type } = g;
  const f = tf.customGrad((hIn, eIn, epsIn, save) => {
    const hd = (hIn as tf.Tensor).dataSync() as Float32Array;
    const ed = (eIn as tf.Tensor).dataSync() as Float32Array;
    const k = 1 + ((epsIn as tf.Tensor).dataSync()[0] as number);
    const out = new Float32Array(M * H);
    for (let i = 0; i < M; i++) {
      const oi = i * H;
      for (let c = 0; c < H; c++) out[oi + c] = k * (hd[oi + c] as number);
      for (let q = indptr[i] as number; q < (indptr[i + 1] as number); q++) {
        const oj = (src[q] as number) * H;
        const ot = (type[q] as number) * H;
        for (let c = 0; c < H; c++) {
          const v = (hd[oj + c] as number) + (ed[ot + c] as number);
          if (v > 0) out[oi + c] = (out[oi + c] as number) + v;
        }
      }
    }
    (save as Save)([hIn as tf.Tensor, eIn as tf.Tensor, epsIn as tf.Tensor]);
    return {
      value: tf.tensor2d(out, [M, H]),
      gradFunc: (dz: tf.Tensor, saved: tf.Tensor[]) => {
        const hs = (saved[0] as tf.Tensor).dataSync() as Float32Array;
        const es = (saved[1] as tf.Tensor).dataSync() as Float32Array;
        const ks = 1 + ((saved[2] as tf.Tensor).dataSync()[0] as number);
        const dzd = dz.dataSync() as Float32Array;
        const dh = new Float32Array(M * H);
        const de = new Float64Array(T * H);
        let deps = 0;
        for (let i = 0; i < M; i++) {
          const oi = i * H;
          for (let c = 0; c < H; c++) {
            const d = dzd[oi + c] as number;
            dh[oi + c] = (dh[oi + c] as number) + ks * d;
            deps += d * (hs[oi + c] as number);
          }
          for (let q = indptr[i] as number; q < (indptr[i + 1] as number); q++) {
            const oj = (src[q] as number) * H;
            const ot = (type[q] as number) * H;
            for (let c = 0; c < H; c++) {
              if ((hs[oj + c] as number) + (es[ot + c] as number) > 0) {
                const d = dzd[oi + c] as number;
                dh[oj + c] = (dh[oj + c] as number) + d;
                de[ot + c] = (de[ot + c] as number) + d;
              }
            }
          }
        }
        return [tf.tensor2d(dh, [M, H]), tf.tensor2d(Float32Array.from(de), [T, H]), tf.tensor1d([deps])];
      },
    };
  });
  return f(h, e, eps.reshape([1])) as tf.Tensor2D;
}

/**
 * Graph pooling of packed x [M, H] → [B, H]: the sum (or mean, `mean` true) of each graph's rows
 * (0 for a graph without nodes); JS loops both ways.
 */
export function poolRowsJs(x: tf.Tensor2D, g: PackedGraphs, mean: boolean): tf.Tensor2D {
  const [M, H] = x.shape;
  const B = g.numGraphs;
  const w = new Float32Array(M);
  for (let i = 0; i < M; i++) {
    const n = g.counts[g.graphOf[i] as number] as number;
    w[i] = mean ? 1 / Math.max(n, 1) : 1;
  }
  const f = tf.customGrad((xIn) => {
    const xd = (xIn as tf.Tensor).dataSync() as Float32Array;
    const acc = new Float64Array(B * H);
    for (let i = 0; i < M; i++) {
      const ob = (g.graphOf[i] as number) * H;
      const wi = w[i] as number;
      for (let c = 0; c < H; c++) acc[ob + c] = (acc[ob + c] as number) + wi * (xd[i * H + c] as number);
    }
    return {
      value: tf.tensor2d(Float32Array.from(acc), [B, H]),
      gradFunc: (dy: tf.Tensor) => {
        const dyd = dy.dataSync() as Float32Array;
        const dx = new Float32Array(M * H);
        for (let i = 0; i < M; i++) {
          const ob = (g.graphOf[i] as number) * H;
          const wi = w[i] as number;
          for (let c = 0; c < H; c++) dx[i * H + c] = wi * (dyd[ob + c] as number);
        }
        return tf.tensor2d(dx, [M, H]);
      },
    };
  });
  return f(x) as tf.Tensor2D;
}
