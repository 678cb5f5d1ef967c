/**
 * Tensor functions the learned encoders and the GNN share: dense maps on the last axis, masked
 * batch normalisation (padding never enters the statistics), MLPs, and dense-adjacency message
 * passing (GIN, Xu et al. 2019, eq. 4.1) written as batched matmuls so no `gather` gradient is needed.
 */
import type * as Tf from '@tensorflow/tfjs';
import { tf } from '../tf.js';
import type { BatchNormParams, DenseParams, MlpParams } from './param-layer.js';

function swapLast(t: Tf.Tensor): Tf.Tensor {
  const r = t.rank;
  const perm = Array.from({ length: r }, (_, i) => i);
  perm[r - 2] = r - 1;
  perm[r - 1] = r - 2;
  return tf.transpose(t, perm);
}

const matMulNN = tf.customGrad((a, b, save) => {
  (save as Tf.GradSaveFunc)([a as Tf.Tensor, b as Tf.Tensor]);
  return {
    value: tf.matMul(a as Tf.Tensor3D, b as Tf.Tensor3D) as Tf.Tensor,
    gradFunc: (dy: Tf.Tensor, saved: Tf.Tensor[]) => {
      const [sa, sb] = saved as [Tf.Tensor, Tf.Tensor];
      return [
        tf.matMul(dy as Tf.Tensor3D, swapLast(sb) as Tf.Tensor3D),
        tf.matMul(swapLast(sa) as Tf.Tensor3D, dy as Tf.Tensor3D),
      ];
    },
  };
});

/**
 * a · b (2-D or batched 3-D, no broadcasting) whose gradients are computed with explicit
 * transposes, dA = dY·Bᵀ and dB = Aᵀ·dY, so every matmul of the backward pass runs without
 * transpose flags. The tfjs wasm backend sends flagged matmuls to a slow generic loop (measured
 * 5× slower for [4864,128]·[128,128] fwd+bwd); the values are identical to `tf.matMul`.
 */
export function matMul(a: Tf.Tensor, b: Tf.Tensor): Tf.Tensor {
  return matMulNN(a, b);
}

/** x[..., in] · W + b → [..., out] (reshaped to 2-D so the matmul stays in its fast path). */
export function applyDense(x: Tf.Tensor, p: DenseParams): Tf.Tensor {
  const shape = x.shape;
  const inDim = shape[shape.length - 1] as number;
  const outDim = p.kernel.shape[1] as number;
  let y = matMul(x.reshape([-1, inDim]), p.kernel.read());
  if (p.bias) y = tf.add(y, p.bias.read());
  return y.reshape([...shape.slice(0, -1), outDim]);
}

/**
 * Batch normalisation over the last axis (Ioffe & Szegedy 2015). In training the mean/variance are
 * taken over the entries whose `mask` is 1 (mask broadcast to x.shape[:-1]); running statistics are
 * updated with `momentum`. Masked entries of the output are 0.
 */
export function applyBatchNorm(
  x: Tf.Tensor,
  p: BatchNormParams,
  mask: Tf.Tensor | null,
  training: boolean,
): Tf.Tensor {
  const C = x.shape[x.shape.length - 1] as number;
  const m = mask ? mask.reshape([...mask.shape, 1]) : null;
  let mean: Tf.Tensor;
  let variance: Tf.Tensor;
  if (training) {
    const flat = x.reshape([-1, C]);
    if (m) {
      const mf = tf.broadcastTo(m, [...x.shape.slice(0, -1), 1]).reshape([-1, 1]);
      const count = tf.maximum(mf.sum(), 1);
      mean = tf.div(tf.mul(flat, mf).sum(0), count);
      variance = tf.div(tf.mul(tf.square(tf.sub(flat, mean)), mf).sum(0), count);
    } else {
      const mv = tf.moments(flat, 0);
      mean = mv.mean;
      variance = mv.variance;
    }
    const mom = p.momentum;
    const newMean = tf.tidy(() => tf.add(tf.mul(p.movingMean.read(), mom), tf.mul(mean, 1 - mom)));
    const newVar = tf.tidy(() => tf.add(tf.mul(p.movingVariance.read(), mom), tf.mul(variance, 1 - mom)));
    p.movingMean.write(newMean);
    p.movingVariance.write(newVar);
  } else {
    mean = p.movingMean.read();
    variance = p.movingVariance.read();
  }
  const inv = tf.rsqrt(tf.add(variance, p.epsilon));
  let y = tf.add(tf.mul(tf.mul(tf.sub(x, mean), inv), p.gamma.read()), p.beta.read());
  if (m) y = tf.mul(y, m);
  return y;
}

/** MLP: dense → (batch norm) → ReLU between layers, plain dense last. */
export function applyMlp(x: Tf.Tensor, p: MlpParams, mask: Tf.Tensor | null, training: boolean): Tf.Tensor {
  let h = x;
  const L = p.layers.length;
  for (let l = 0; l < L; l++) {
    h = applyDense(h, p.layers[l] as DenseParams);
    if (l < L - 1) {
      const bn = p.norms[l];
      if (bn) h = applyBatchNorm(h, bn, mask, training);
      h = tf.relu(h);
    }
  }
  return h;
}

/**
 * Σ_{u ∈ N(i)} x_u for a dense batched adjacency: adjacency [B, N, N], x [B, N, ...rest] → [B, N, ...rest].
 * Extra axes after the node axis are treated as batch/channel axes (e.g. SPE's column axis).
 */
export function neighbourSum(adjacency: Tf.Tensor, x: Tf.Tensor): Tf.Tensor {
  const [B, N] = x.shape as [number, number];
  const rest = x.shape.slice(2);
  const flat = x.reshape([B, N, -1]) as Tf.Tensor3D;
  return matMul(adjacency, flat).reshape([B, N, ...rest]);
}

/** Sum over `axis` of x·mask, with mask broadcast against x (mask has 1 on real entries). */
export function maskedSum(x: Tf.Tensor, mask: Tf.Tensor, axis: number): Tf.Tensor {
  return tf.mul(x, mask).sum(axis);
}

/** Mean over `axis` of the entries with mask 1 (0 where none). */
export function maskedMean(x: Tf.Tensor, mask: Tf.Tensor, axis: number): Tf.Tensor {
  const s = tf.mul(x, mask).sum(axis);
  const c = tf.maximum(tf.broadcastTo(mask, x.shape).sum(axis), 1);
  return tf.div(s, c);
}

// ---------------------------------------------------------------------------------------------------
// Row-layout ("packed") helpers: 2-D [rows, channels] tensors with no padding rows (PyG-style node
// lists). Every reduction over rows is a matmul with a ones row, ones[1,R]·x, and every broadcast of a
// per-channel gradient back to the rows is ones[R,1]·d: both stay in the wasm backend's XNNPACK matmul,
// while `Sum` over a leading axis (what tfjs' broadcast gradients and `moments` use) transposes and
// loops (measured ~3.5 ms for [4864,128] on wasm, 35 ms on cpu). Matmul gradients use explicit transposes.

type GradSave = (tensors: Tf.Tensor[]) => void;

/**
 * Σ over rows of a 2-D x as onesᵀ·x → [C], a matrix-vector product with the ones column flagged as
 * transposed: measured on [3375,128] 0.5 ms on wasm (Sum over axis 0: 0.9 ms; ones[1,R]·x: 2 ms, as
 * XNNPACK repacks a fresh right operand every call) and 1.3 ms on cpu (Sum: 35 ms).
 */
function rowSumRaw(x: Tf.Tensor2D): Tf.Tensor1D {
  const R = x.shape[0];
  const ones = tf.ones([R, 1]);
  const s = tf.matMul(ones as Tf.Tensor2D, x, true, false).reshape([x.shape[1]]) as Tf.Tensor1D;
  ones.dispose();
  return s;
}

/** d [C] broadcast to R rows as ones[R,1]·d → [R, C]. */
function rowBroadcastRaw(d: Tf.Tensor, R: number): Tf.Tensor2D {
  const C = d.size;
  const ones = tf.ones([R, 1]);
  const y = tf.matMul(ones as Tf.Tensor2D, d.reshape([1, C]) as Tf.Tensor2D) as Tf.Tensor2D;
  ones.dispose();
  return y;
}

/** Column sums of a 2-D tensor, Σ_r x[r, :] → [C], as a matmul with a ones row (gradient: ones column). */
export function sumRows(x: Tf.Tensor2D): Tf.Tensor1D {
  const R = x.shape[0];
  const f = tf.customGrad((xIn) => ({
    value: rowSumRaw(xIn as Tf.Tensor2D),
    gradFunc: (dy: Tf.Tensor) => rowBroadcastRaw(dy, R),
  }));
  return f(x) as Tf.Tensor1D;
}

/**
 * x·W (+ b) (→ ReLU) on a 2-D x [R, in]: one taped op whose gradient is dx = g·Wᵀ, dW = xᵀ·g,
 * db = ones[1,R]·g (g = dy, times [y > 0] with ReLU), all plain matmuls (no transpose flags, no
 * leading-axis Sum). `constantInput`: x is data (one-hot atoms, a fixed PE), never differentiated, so
 * its gradient is returned as zeros instead of the [R, in] matmul g·Wᵀ (the first layer's largest
 * backward product); only pass it for inputs no trainable weight feeds.
 */
export function denseRows(
  x: Tf.Tensor2D,
  w: Tf.Tensor2D,
  bias: Tf.Tensor1D | null = null,
  relu = false,
  constantInput = false,
): Tf.Tensor2D {
  const back = (dy: Tf.Tensor2D, xs: Tf.Tensor2D, ws: Tf.Tensor2D, y: Tf.Tensor2D | undefined) => {
    const g = (y ? tf.mul(dy, tf.step(y)) : dy) as Tf.Tensor2D;
    const xt = tf.transpose(xs);
    const dx = constantInput ? tf.zerosLike(xs) : tf.matMul(g, tf.transpose(ws));
    return { g, dx, dw: tf.matMul(xt, g) };
  };
  if (bias) {
    const f = tf.customGrad((a, b, c, save) => {
      const y = tf.fused.matMul({
        a: a as Tf.Tensor2D,
        b: b as Tf.Tensor2D,
        bias: c as Tf.Tensor,
        activation: relu ? 'relu' : 'linear',
      }) as Tf.Tensor2D;
      (save as GradSave)(relu ? [a as Tf.Tensor, b as Tf.Tensor, y] : [a as Tf.Tensor, b as Tf.Tensor]);
      return {
        value: y,
        gradFunc: (dy: Tf.Tensor2D, saved: Tf.Tensor[]) => {
          const { g, dx, dw } = back(
            dy,
            saved[0] as Tf.Tensor2D,
            saved[1] as Tf.Tensor2D,
            saved[2] as Tf.Tensor2D | undefined,
          );
          return [dx, dw, rowSumRaw(g)];
        },
      };
    });
    return f(x, w, bias) as Tf.Tensor2D;
  }
  const f = tf.customGrad((a, b, save) => {
    const mm = tf.matMul(a as Tf.Tensor2D, b as Tf.Tensor2D);
    const y = relu ? tf.relu(mm) : mm;
    if (relu) mm.dispose();
    (save as GradSave)(relu ? [a as Tf.Tensor, b as Tf.Tensor, y] : [a as Tf.Tensor, b as Tf.Tensor]);
    return {
      value: y as Tf.Tensor2D,
      gradFunc: (dy: Tf.Tensor2D, saved: Tf.Tensor[]) => {
        const { dx, dw } = back(
          dy,
          saved[0] as Tf.Tensor2D,
          saved[1] as Tf.Tensor2D,
          saved[2] as Tf.Tensor2D | undefined,
        );
        return [dx, dw];
      },
    };
  });
  return f(x, w) as Tf.Tensor2D;
}

/**
 * A cross-replica sum for synchronous data-parallel training: every replica calls it with its local
 * vector, in the same sequence, and gets the elementwise sum over all replicas (the same on each).
 */
export type RowReducer = (local: Float64Array) => Float64Array;

let rowReducer: RowReducer | null = null;

/**
 * Sets the {@link RowReducer} that {@link batchNormReluRows} uses in training, so replicas holding
 * shards of one batch normalise with the statistics of the whole batch (synchronised BatchNorm); null
 * (the default) = single process. Returns the previous reducer.
 */
export function setRowReducer(reducer: RowReducer | null): RowReducer | null {
  const prev = rowReducer;
  rowReducer = reducer;
  return prev;
}

/** [sum over rows of x (a [C] tensor), rows] → the all-replica sums as a [C] tensor and a row count. */
function reduceRows(local: Tf.Tensor1D, rows: number, reducer: RowReducer): [Tf.Tensor1D, number] {
  const d = local.dataSync();
  const C = d.length;
  const buf = new Float64Array(C + 1);
  buf.set(d);
  buf[C] = rows;
  const out = reducer(buf);
  return [tf.tensor1d(Float32Array.from(out.subarray(0, C))), out[C] as number];
}

/**
 * relu(BatchNorm(x)) over the rows of a 2-D x [R, C] (every row is real: the packed layout).
 * Training: batch statistics (mean, then the biased variance of x − mean, as {@link applyBatchNorm})
 * with the running statistics updated, as ONE taped op with a hand-written gradient
 * (x̂ = (x − μ)·inv, g = dy·[y > 0]):  dγ = Σ_r g_r x̂_r,  dβ = Σ_r g_r,
 * dx = γ·inv·(g − (dβ + x̂·dγ)/R). Every Σ_r is a ones-vector mat-vec. With a {@link setRowReducer}
 * reducer, μ, the variance and the Σ_r in dx run over the rows of all replicas (R = all their rows),
 * while the returned dγ, dβ stay this replica's share (summing them over replicas gives the total).
 * Eval: running statistics.
 */
export function batchNormReluRows(
  x: Tf.Tensor2D,
  p: BatchNormParams,
  training: boolean,
  relu = true,
): Tf.Tensor2D {
  const R = x.shape[0];
  if (!training) {
    return tf.tidy(() => {
      const inv = tf.rsqrt(tf.add(p.movingVariance.read(), p.epsilon));
      const s = tf.mul(inv, p.gamma.read());
      const t = tf.sub(p.beta.read(), tf.mul(p.movingMean.read(), s));
      const y = tf.add(tf.mul(x, s), t);
      return (relu ? tf.relu(y) : y) as Tf.Tensor2D;
    });
  }
  const reducer = rowReducer;
  let rows = R;
  const f = tf.customGrad((xIn, gIn, bIn, save) => {
    const xs = xIn as Tf.Tensor2D;
    const gamma = gIn as Tf.Tensor1D;
    const beta = bIn as Tf.Tensor1D;
    const [y, mean, inv] = tf.tidy(() => {
      let s1 = rowSumRaw(xs);
      if (reducer) [s1, rows] = reduceRows(s1, R, reducer);
      const mu = tf.div(s1, Math.max(rows, 1));
      const xc = tf.sub(xs, mu) as Tf.Tensor2D;
      let s2 = rowSumRaw(tf.square(xc) as Tf.Tensor2D);
      if (reducer) [s2] = reduceRows(s2, R, reducer);
      const variance = tf.div(s2, Math.max(rows, 1));
      const mom = p.momentum;
      p.movingMean.write(tf.add(tf.mul(p.movingMean.read(), mom), tf.mul(mu, 1 - mom)));
      p.movingVariance.write(tf.add(tf.mul(p.movingVariance.read(), mom), tf.mul(variance, 1 - mom)));
      const iv = tf.rsqrt(tf.add(variance, p.epsilon));
      const pre = tf.add(tf.mul(xc, tf.mul(iv, gamma)), beta);
      return [relu ? tf.relu(pre) : pre, mu, iv] as Tf.Tensor[];
    }) as [Tf.Tensor2D, Tf.Tensor1D, Tf.Tensor1D];
    (save as GradSave)([xs, y, mean, inv, gamma]);
    return {
      value: y,
      gradFunc: (dy: Tf.Tensor2D, saved: Tf.Tensor[]) => {
        const [sx, sy, mu, iv, gm] = saved as [
          Tf.Tensor2D,
          Tf.Tensor2D,
          Tf.Tensor1D,
          Tf.Tensor1D,
          Tf.Tensor1D,
        ];
        return tf.tidy(() => {
          const g = (relu ? tf.mul(dy, tf.step(sy)) : dy) as Tf.Tensor2D;
          const xhat = tf.mul(tf.sub(sx, mu), iv) as Tf.Tensor2D;
          const dGamma = rowSumRaw(tf.mul(g, xhat) as Tf.Tensor2D);
          const dBeta = rowSumRaw(g);
          let sG: Tf.Tensor1D = dGamma;
          let sB: Tf.Tensor1D = dBeta;
          if (reducer) {
            const C = dGamma.size;
            const [both] = reduceRows(tf.concat([dGamma, dBeta]) as Tf.Tensor1D, R, reducer);
            sG = both.slice(0, C);
            sB = both.slice(C, C);
          }
          const scale = tf.mul(gm, iv);
          const n = Math.max(rows, 1);
          // dx = scale·(g − (dβ + x̂·dγ)/n)
          const inner = tf.add(tf.mul(xhat, tf.div(sG, n)), tf.div(sB, n));
          const dx = tf.mul(tf.sub(g, inner), scale);
          return [dx, dGamma, dBeta];
        });
      },
    };
  });
  return f(x, p.gamma.read(), p.beta.read()) as Tf.Tensor2D;
}

/**
 * MLP on a 2-D x [R, in] in the packed layout: (Linear → BatchNorm over all rows → ReLU)* → Linear,
 * the same function as {@link applyMlp} with a null mask, built from {@link denseRows} and
 * {@link batchNormReluRows}. `constantInput`: x is data, not differentiated (see {@link denseRows}).
 */
export function mlpRows(x: Tf.Tensor2D, p: MlpParams, training: boolean, constantInput = false): Tf.Tensor2D {
  let h = x;
  const L = p.layers.length;
  for (let l = 0; l < L; l++) {
    const lin = p.layers[l] as DenseParams;
    const last = l === L - 1;
    const bn = last ? null : p.norms[l];
    const w = lin.kernel.read() as Tf.Tensor2D;
    const b = lin.bias ? (lin.bias.read() as Tf.Tensor1D) : null;
    const constant = constantInput && l === 0;
    if (bn) h = batchNormReluRows(denseRows(h, w, b, false, constant), bn, training);
    else h = denseRows(h, w, b, !last, constant);
  }
  return h;
}

/**
 * (ReLU of) masked BatchNorm over the rows of a 2-D x [R, C], m [R, 1] with 1 on real rows: the same
 * function as {@link applyBatchNorm} with a row mask (statistics over the masked rows only, running
 * statistics updated in training, output 0 on masked-out rows), as ONE taped op whose row reductions
 * are mask-vector mat-vecs (mᵀ·x) instead of a leading-axis Sum. Gradient (g = dy·m, times [y > 0]
 * with ReLU; n = Σm): dγ = Σ_r g_r x̂_r, dβ = Σ_r g_r, dx = m·γ·inv·(g − (dβ + x̂·dγ)/n).
 */
export function maskedBatchNormRows(
  x: Tf.Tensor2D,
  m: Tf.Tensor2D,
  p: BatchNormParams,
  training: boolean,
  relu = false,
): Tf.Tensor2D {
  if (!training) {
    return tf.tidy(() => {
      const inv = tf.rsqrt(tf.add(p.movingVariance.read(), p.epsilon));
      const s = tf.mul(inv, p.gamma.read());
      const t = tf.sub(p.beta.read(), tf.mul(p.movingMean.read(), s));
      const y = tf.mul(tf.add(tf.mul(x, s), t), m);
      return (relu ? tf.relu(y) : y) as Tf.Tensor2D;
    });
  }
  const C = x.shape[1];
  const msum = (a: Tf.Tensor2D) => tf.matMul(m, a, true, false).reshape([C]) as Tf.Tensor1D;
  const n = Math.max(m.sum().dataSync()[0] as number, 1);
  const f = tf.customGrad((xIn, gIn, bIn, save) => {
    const xs = xIn as Tf.Tensor2D;
    const gamma = gIn as Tf.Tensor1D;
    const beta = bIn as Tf.Tensor1D;
    const [y, xhat, inv] = tf.tidy(() => {
      const mu = tf.div(msum(xs), n);
      const xc = tf.sub(xs, mu) as Tf.Tensor2D;
      const variance = tf.div(msum(tf.square(xc) as Tf.Tensor2D), n);
      const mom = p.momentum;
      p.movingMean.write(tf.add(tf.mul(p.movingMean.read(), mom), tf.mul(mu, 1 - mom)));
      p.movingVariance.write(tf.add(tf.mul(p.movingVariance.read(), mom), tf.mul(variance, 1 - mom)));
      const iv = tf.rsqrt(tf.add(variance, p.epsilon));
      const xh = tf.mul(xc, iv);
      const pre = tf.mul(tf.add(tf.mul(xh, gamma), beta), m);
      return [relu ? tf.relu(pre) : pre, xh, iv] as Tf.Tensor[];
    }) as [Tf.Tensor2D, Tf.Tensor2D, Tf.Tensor1D];
    (save as GradSave)([y, xhat, inv, gamma, m]);
    return {
      value: y,
      gradFunc: (dy: Tf.Tensor2D, saved: Tf.Tensor[]) => {
        const [sy, xh, iv, gm, sm] = saved as [
          Tf.Tensor2D,
          Tf.Tensor2D,
          Tf.Tensor1D,
          Tf.Tensor1D,
          Tf.Tensor2D,
        ];
        return tf.tidy(() => {
          const g = (relu ? tf.mul(dy, tf.step(sy)) : tf.mul(dy, sm)) as Tf.Tensor2D;
          const dGamma = rowSumRaw(tf.mul(g, xh) as Tf.Tensor2D);
          const dBeta = rowSumRaw(g);
          const inner = tf.add(tf.mul(xh, tf.div(dGamma, n)), tf.div(dBeta, n));
          const dx = tf.mul(tf.sub(g, tf.mul(inner, sm)), tf.mul(gm, iv));
          return [dx, dGamma, dBeta];
        });
      },
    };
  });
  return f(x, p.gamma.read(), p.beta.read()) as Tf.Tensor2D;
}
