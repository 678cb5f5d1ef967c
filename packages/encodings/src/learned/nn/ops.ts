/**
 * Tensor functions the learned encoders and the GNN share: dense maps on the last axis, masked
 * batch normalisation (padding never enters the statistics), MLPs, and dense-adjacency message
 * passing (GIN, Xu et al. 2019, eq. 4.1) written as batched matmuls so no `gather` gradient is needed.
 */
import * as tf from '@tensorflow/tfjs';
import type { BatchNormParams, DenseParams, MlpParams } from './param-layer.js';

function swapLast(t: tf.Tensor): tf.Tensor {
  const r = t.rank;
  const perm = Array.from({ length: r }, (_, i) => i);
  perm[r - 2] = r - 1;
  perm[r - 1] = r - 2;
  return tf.transpose(t, perm);
}

const matMulNN = tf.customGrad((a, b, save) => {
  (save as tf.GradSaveFunc)([a as tf.Tensor, b as tf.Tensor]);
  return {
    value: tf.matMul(a as tf.Tensor3D, b as tf.Tensor3D) as tf.Tensor,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved as [tf.Tensor, tf.Tensor];
      return [
        tf.matMul(dy as tf.Tensor3D, swapLast(sb) as tf.Tensor3D),
        tf.matMul(swapLast(sa) as tf.Tensor3D, dy as tf.Tensor3D),
      ];
    },
  };
});

/**
 * a · b (2-D or batched 3-D, no broadcasting) whose gradients are computed with explicit
 * transposes, dA = dY·Bᵀ and dB = Aᵀ·dY, so every matmul of the backward pass runs without
 * transpose flags. The tfjs wasm backend sends flagged matmuls to a slow generic loop (measured
 * 5× slower for [4864,128]·[128,128] fwd+bwd, performance.md's "backward matmuls with transposed
 * operands"); the values are identical to `tf.matMul`.
 */
export function matMul(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return matMulNN(a, b);
}

/** x[..., in] · W + b → [..., out] (reshaped to 2-D so the matmul stays in its fast path). */
export function applyDense(x: tf.Tensor, p: DenseParams): tf.Tensor {
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
  x: tf.Tensor,
  p: BatchNormParams,
  mask: tf.Tensor | null,
  training: boolean,
): tf.Tensor {
  const C = x.shape[x.shape.length - 1] as number;
  const m = mask ? mask.reshape([...mask.shape, 1]) : null;
  let mean: tf.Tensor;
  let variance: tf.Tensor;
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
export function applyMlp(x: tf.Tensor, p: MlpParams, mask: tf.Tensor | null, training: boolean): tf.Tensor {
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
export function neighbourSum(adjacency: tf.Tensor, x: tf.Tensor): tf.Tensor {
  const [B, N] = x.shape as [number, number];
  const rest = x.shape.slice(2);
  const flat = x.reshape([B, N, -1]) as tf.Tensor3D;
  return matMul(adjacency, flat).reshape([B, N, ...rest]);
}

/** Sum over `axis` of x·mask, with mask broadcast against x (mask has 1 on real entries). */
export function maskedSum(x: tf.Tensor, mask: tf.Tensor, axis: number): tf.Tensor {
  return tf.mul(x, mask).sum(axis);
}

/** Mean over `axis` of the entries with mask 1 (0 where none). */
export function maskedMean(x: tf.Tensor, mask: tf.Tensor, axis: number): tf.Tensor {
  const s = tf.mul(x, mask).sum(axis);
  const c = tf.maximum(tf.broadcastTo(mask, x.shape).sum(axis), 1);
  return tf.div(s, c);
}
