/**
 * Masked training losses on tensors (missing labels, mask 0, contribute nothing; the mean is over present
 * labels): L1, MSE and binary cross-entropy on logits (the numerically stable form
 * max(z, 0) − z·y + log(1 + e^{−|z|}), as PyTorch's `BCEWithLogitsLoss`).
 */
import { tf } from '@graphpe/encodings/learned';
import { GraphpeError } from '@graphpe/spectral';

export type LossName = 'l1' | 'mse' | 'bce';

/** Masked mean loss (scalar) of predictions [B, T] against targets [B, T] with labelMask [B, T]. */
export function maskedLoss(name: LossName, pred: tf.Tensor, target: tf.Tensor, mask: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    let per: tf.Tensor;
    if (name === 'l1') per = tf.abs(tf.sub(pred, target));
    else if (name === 'mse') per = tf.square(tf.sub(pred, target));
    else if (name === 'bce') {
      per = tf.add(tf.sub(tf.relu(pred), tf.mul(pred, target)), tf.log1p(tf.exp(tf.neg(tf.abs(pred)))));
    } else throw new GraphpeError('E_OPTION', `gnn.loss: unknown loss '${String(name)}' (l1, mse, bce)`);
    return tf.div(tf.sum(tf.mul(per, mask)), tf.maximum(tf.sum(mask), 1)) as tf.Scalar;
  });
}

/** The same losses on host arrays (for eval-set losses). */
export function maskedLossHost(
  name: LossName,
  pred: ArrayLike<number>,
  target: ArrayLike<number>,
  mask: ArrayLike<number>,
): number {
  let s = 0;
  let c = 0;
  for (let i = 0; i < pred.length; i++) {
    if (mask[i] !== 1) continue;
    const z = pred[i] as number;
    const y = target[i] as number;
    if (name === 'l1') s += Math.abs(z - y);
    else if (name === 'mse') s += (z - y) ** 2;
    else s += Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));
    c++;
  }
  return c === 0 ? Number.NaN : s / c;
}
