/**
 * SPE — Stable and Expressive Positional Encodings (Huang, Lu, Robinson, Yang, Zhang, Jegelka, Li,
 * ICLR 2024, arXiv 2310.02579; reference code github.com/Graph-COM/SPE @22b1003, whose `psi` is the
 * paper's φ and whose `phi` is the paper's ρ — this file uses the paper's names).
 *
 *   SPE(V, λ) = ρ( V diag(φ₁(λ)) Vᵀ, …, V diag(φ_m(λ)) Vᵀ )
 *
 * - φ: ℝ^K → ℝ^{K×m}, permutation-equivariant over the eigenvalues (equal λ ⇒ equal φ), so each
 *   channel V diag(φ_ℓ(λ)) Vᵀ is invariant to any change of basis inside a *complete* eigenspace.
 *   Variants: `mlp` (m element-wise MLPs 1→h→h→1, masked BatchNorm + ReLU after the first two
 *   Linear layers, as the ZINC "PE-full" config), `deepsets` (DeepSets over the K eigenvalues,
 *   layers ReLU(Lin(x_j) + Lin_noBias(Σ_j x_j)), as "PE-8"), `zero` (all ones: every channel is VVᵀ).
 * - ρ: GIN along the row (node) axis i of W ∈ ℝ^{N×N×m}, the column axis j being a batch axis; each
 *   layer x ← MLP((1+ε)x_i + Σ_{u∈N(i)} x_u) with trainable ε (init N(0,1)) and a 3-Linear MLP
 *   (hidden `rhoHidden`, masked BatchNorm + ReLU); no norm/residual between layers; then a masked
 *   sum over the columns j → [B, N, outDim] (0 on padded nodes).
 *
 * Masks: padded eigenvalues never enter φ's BatchNorm/DeepSets statistics and their φ is zeroed;
 * padded nodes/columns never enter ρ's BatchNorm statistics nor the column sum. With the full
 * spectrum the output is invariant to sign flips and to rotations inside repeated eigenspaces; a
 * truncation K < n that splits a repeated group breaks that (the spectrum reports it as a
 * `partial` group) — use K ≥ n for molecules.
 *
 * Cost: O(B·N²·(K·m + L·h²)) time, ~B·N²·h floats per ρ layer — molecule-sized graphs only.
 *
 * Implementation notes (speed on the wasm backend, whose matMul is fast — XNNPACK — only for 2-D
 * operands without transpose flags; batched products run a generic loop at ~1–2 GFLOP/s, and
 * slicing a batch into per-graph 2-D tensors costs more than it saves): W is formed by one batched
 * matmul V @ M with M[b, k, (j, ℓ)] = V[b, j, k]·φ_ℓ(λ)[b, k], which directly gives the [B, N, N·m]
 * layout the GIN needs; the GIN aggregation is one batched matmul A @ X (A is constant, so no
 * gradient is formed for it) plus (1+ε)X; every Linear layer is a 2-D matmul whose gradient uses
 * explicit transposes ({@link dense2d}); in eval mode each BatchNorm is folded into the preceding
 * Linear (one fused matmul + bias + ReLU); in training, masked BatchNorm + ReLU is one taped op with
 * a hand-written gradient ({@link bnReluTrain}) and each ρ layer is recomputed in the backward pass
 * (`recompute`), so a training step keeps about one [B, N, N, h] tensor per layer — at ZINC size
 * (128 × 38 nodes, h = 64, 8 layers) that is what fits in the 4 GB wasm heap (≈2.9 GB peak).
 */
import { GraphpeError } from '@graphpe/spectral';
import type * as Tf from '@tensorflow/tfjs';
import { applyDense } from './nn/ops.js';
import {
  type BatchNormParams,
  type DenseParams,
  type MlpParams,
  ParamLayer,
  type ParamLayerArgs,
} from './nn/param-layer.js';
import { tf } from './tf.js';

/** φ variants of {@link SpeEncoder}. */
export type SpePhi = 'mlp' | 'deepsets' | 'zero';

const PHIS: readonly SpePhi[] = ['mlp', 'deepsets', 'zero'];

/** Configuration of {@link SpeEncoder} (all serialised by `getConfig`). */
export interface SpeEncoderArgs extends ParamLayerArgs {
  /** Number of φ channels m (default 16). */
  m?: number;
  /** φ variant (default `'mlp'`). */
  phi?: SpePhi;
  /** Hidden width of φ (default 16). */
  phiHidden?: number;
  /** Layers of the `deepsets` φ (default 4; the `mlp` φ always has 3 Linear layers). */
  phiLayers?: number;
  /** GIN layers of ρ (default 8). */
  rhoLayers?: number;
  /** Hidden width of ρ's MLPs (default 128). */
  rhoHidden?: number;
  /** Output channels p (default 37). */
  outDim?: number;
  /**
   * Training only: recompute each ρ layer in the backward pass instead of keeping its activations
   * (default true) — ~1 instead of ~6 [B, N, N, rhoHidden] tensors per layer on the tape, for one
   * extra forward pass; what lets ZINC-sized batches train within the wasm heap.
   */
  recompute?: boolean;
}

type Saver = (tensors: Tf.Tensor[]) => void;

/**
 * x·W (+ b) (→ ReLU) on 2-D tensors, with the gradients written with explicit transposes: the wasm
 * backend's matMul leaves its XNNPACK fast path (≈10× slower) whenever a transpose flag is set,
 * which tfjs' own matMul gradient does for both dx = dy·Wᵀ and dW = xᵀ·dy.
 * @internal shared by the SPE and BasisNet encoders.
 */
export function dense2d(
  x: Tf.Tensor2D,
  w: Tf.Tensor2D,
  bias: Tf.Tensor | null = null,
  relu = false,
): Tf.Tensor2D {
  const activation = relu ? 'relu' : 'linear';
  const back = (dy: Tf.Tensor2D, xs: Tf.Tensor2D, ws: Tf.Tensor2D, y: Tf.Tensor2D | undefined) => {
    const g = y ? tf.mul(dy, tf.step(y)) : dy;
    return { g, dx: tf.matMul(g, tf.transpose(ws)), dw: tf.matMul(tf.transpose(xs), g) };
  };
  if (bias) {
    const f = tf.customGrad((a, b, c, save) => {
      const y = tf.fused.matMul({
        a: a as Tf.Tensor2D,
        b: b as Tf.Tensor2D,
        bias: c as Tf.Tensor,
        activation,
      }) as Tf.Tensor2D;
      (save as Saver)(relu ? [a as Tf.Tensor, b as Tf.Tensor, y] : [a as Tf.Tensor, b as Tf.Tensor]);
      return {
        value: y,
        gradFunc: (dy: Tf.Tensor2D, saved: Tf.Tensor[]) => {
          const { g, dx, dw } = back(
            dy,
            saved[0] as Tf.Tensor2D,
            saved[1] as Tf.Tensor2D,
            saved[2] as Tf.Tensor2D | undefined,
          );
          return [dx, dw, tf.sum(g, 0).reshape((c as Tf.Tensor).shape)];
        },
      };
    });
    return f(x, w, bias) as Tf.Tensor2D;
  }
  const f = tf.customGrad((a, b, save) => {
    const y = (
      relu
        ? tf.relu(tf.matMul(a as Tf.Tensor2D, b as Tf.Tensor2D))
        : tf.matMul(a as Tf.Tensor2D, b as Tf.Tensor2D)
    ) as Tf.Tensor2D;
    (save as Saver)(relu ? [a as Tf.Tensor, b as Tf.Tensor, y] : [a as Tf.Tensor, b as Tf.Tensor]);
    return {
      value: y,
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

/** BatchNorm as y = x·s + t: scale and shift per channel from batch (training) or running stats. */
function bnScaleShift(
  pre: Tf.Tensor2D | null,
  p: BatchNormParams,
  mask: Tf.Tensor2D | null,
  training: boolean,
): { s: Tf.Tensor1D; t: Tf.Tensor1D } {
  let mean: Tf.Tensor1D;
  let variance: Tf.Tensor1D;
  if (training && pre) {
    const C = pre.shape[1];
    if (mask) {
      const count = tf.maximum(mask.sum(), 1);
      mean = tf.div(tf.matMul(mask, pre, true, false), count).reshape([C]);
      const ex2 = tf.div(tf.matMul(mask, tf.square(pre), true, false), count).reshape([C]);
      variance = tf.relu(tf.sub(ex2, tf.square(mean))) as Tf.Tensor1D;
    } else {
      const mv = tf.moments(pre, 0);
      mean = mv.mean as Tf.Tensor1D;
      variance = mv.variance as Tf.Tensor1D;
    }
    const mom = p.momentum;
    const m0 = mean;
    const v0 = variance;
    p.movingMean.write(tf.tidy(() => tf.add(tf.mul(p.movingMean.read(), mom), tf.mul(m0, 1 - mom))));
    p.movingVariance.write(tf.tidy(() => tf.add(tf.mul(p.movingVariance.read(), mom), tf.mul(v0, 1 - mom))));
  } else {
    mean = p.movingMean.read() as Tf.Tensor1D;
    variance = p.movingVariance.read() as Tf.Tensor1D;
  }
  const s = tf.mul(tf.rsqrt(tf.add(variance, p.epsilon)), p.gamma.read()) as Tf.Tensor1D;
  const t = tf.sub(p.beta.read(), tf.mul(mean, s)) as Tf.Tensor1D;
  return { s, t };
}

/**
 * relu(masked BatchNorm(pre)) in training mode as ONE taped op with a hand-written gradient, so the
 * tape keeps 2 big tensors (pre, y) instead of ~5 (pre, pre², pre·s, pre·s + t, …) — at ZINC
 * batch sizes activation memory, not compute, is what limits the wasm heap. Statistics are taken
 * over the rows with mask 1 (all rows when mask is null) and the running statistics are updated.
 * Gradient (n = Σ m, x̂ = (pre − μ)·inv, g = dy·[y > 0], d = γ·g):
 *   dγ = Σ_r g_r x̂_r,  dβ = Σ_r g_r,
 *   dpre_r = inv·d_r − (m_r/n)·inv·(Σ_s d_s + x̂_r·Σ_s d_s x̂_s).
 * @internal shared by the SPE and BasisNet encoders.
 */
export function bnReluTrain(pre: Tf.Tensor2D, p: BatchNormParams, mask: Tf.Tensor2D | null): Tf.Tensor2D {
  return bnReluRaw(pre, p.gamma.read() as Tf.Tensor1D, p.beta.read() as Tf.Tensor1D, mask, p, true);
}

/**
 * {@link bnReluTrain} on explicit γ, β tensors; `update` false leaves the running statistics alone.
 * @internal shared by the SPE and BasisNet encoders.
 */
export function bnReluRaw(
  pre: Tf.Tensor2D,
  gammaT: Tf.Tensor1D,
  betaT: Tf.Tensor1D,
  mask: Tf.Tensor2D | null,
  p: BatchNormParams,
  update: boolean,
): Tf.Tensor2D {
  const [R, C] = pre.shape;
  const m = mask ?? tf.ones([R, 1]);
  const f = tf.customGrad((xIn, gIn, bIn, save) => {
    const x = xIn as Tf.Tensor2D;
    const gamma = gIn as Tf.Tensor1D;
    const beta = bIn as Tf.Tensor1D;
    const [y, mean, inv, count] = tf.tidy(() => {
      const n = tf.maximum(m.sum(), 1);
      const mu = tf.div(tf.matMul(m, x, true, false), n).reshape([C]);
      const ex2 = tf.div(tf.matMul(m, tf.square(x), true, false), n).reshape([C]);
      const variance = tf.relu(tf.sub(ex2, tf.square(mu)));
      if (update) {
        const mom = p.momentum;
        p.movingMean.write(tf.add(tf.mul(p.movingMean.read(), mom), tf.mul(mu, 1 - mom)));
        p.movingVariance.write(tf.add(tf.mul(p.movingVariance.read(), mom), tf.mul(variance, 1 - mom)));
      }
      const iv = tf.rsqrt(tf.add(variance, p.epsilon));
      const s = tf.mul(iv, gamma);
      const out = tf.relu(tf.add(tf.mul(x, s), tf.sub(beta, tf.mul(mu, s))));
      return [out, mu, iv, n] as Tf.Tensor[];
    }) as [Tf.Tensor2D, Tf.Tensor1D, Tf.Tensor1D, Tf.Scalar];
    (save as Saver)([x, y, mean, inv, count, gamma, m]);
    return {
      value: y,
      gradFunc: (dy: Tf.Tensor2D, saved: Tf.Tensor[]) => {
        const [xs, ys, mu, iv, n, gm, ms] = saved as [
          Tf.Tensor2D,
          Tf.Tensor2D,
          Tf.Tensor1D,
          Tf.Tensor1D,
          Tf.Scalar,
          Tf.Tensor1D,
          Tf.Tensor2D,
        ];
        // Big temporaries are disposed as soon as possible (peak ≈ 4 of them).
        const step = tf.step(ys);
        const g = tf.mul(dy, step);
        step.dispose();
        const xc = tf.sub(xs, mu);
        const xhat = tf.mul(xc, iv);
        xc.dispose();
        const gx = tf.mul(g, xhat);
        const dGamma = tf.sum(gx, 0);
        gx.dispose();
        const dBeta = tf.sum(g, 0);
        // dx = g·(γ·inv) − m·(a + x̂·b), a = inv·Σ_s d_s / n, b = inv·Σ_s d_s x̂_s / n, d = γ·g
        const a = tf.div(tf.mul(tf.mul(dBeta, gm), iv), n);
        const b = tf.div(tf.mul(tf.mul(dGamma, gm), iv), n);
        const t1 = tf.mul(g, tf.mul(gm, iv));
        g.dispose();
        const t2 = tf.mul(xhat, b);
        xhat.dispose();
        const t3 = tf.add(t2, a);
        t2.dispose();
        const t4 = tf.mul(t3, ms);
        t3.dispose();
        const dx = tf.sub(t1, t4);
        t1.dispose();
        t4.dispose();
        return [dx, dGamma, dBeta];
      },
    };
  });
  return f(pre, gammaT, betaT) as Tf.Tensor2D;
}

/**
 * One SPE ρ layer, X ↦ MLP((1+ε)X + AX), on explicit weight tensors
 * [k0, γ0, β0, k1, γ1, β1, k2, b2] (training mode: batch statistics).
 */
function ginLayerTrain(
  x: Tf.Tensor3D,
  a: Tf.Tensor3D,
  mask: Tf.Tensor2D,
  eps: Tf.Tensor,
  w: Tf.Tensor[],
  norms: readonly [BatchNormParams, BatchNormParams],
  update: boolean,
): Tf.Tensor3D {
  const [, N, F] = x.shape;
  const c = F / N;
  const agg = ginAggregate(a, x, eps).reshape([-1, c]) as Tf.Tensor2D;
  const [k0, g0, b0, k1, g1, b1, k2, c2] = w as [
    Tf.Tensor2D,
    Tf.Tensor1D,
    Tf.Tensor1D,
    Tf.Tensor2D,
    Tf.Tensor1D,
    Tf.Tensor1D,
    Tf.Tensor2D,
    Tf.Tensor1D,
  ];
  const h0 = bnReluRaw(dense2d(agg, k0), g0, b0, mask, norms[0], update);
  const h1 = bnReluRaw(dense2d(h0, k1), g1, b1, mask, norms[1], update);
  const y = dense2d(h1, k2, c2, false);
  return y.reshape([-1, N, N * y.shape[1]]) as Tf.Tensor3D;
}

/**
 * Runs `fn(xs, consts, update = true)` without keeping its activations on the gradient tape; the
 * backward pass re-runs `fn(xs, consts, false)` under a fresh tape ("gradient checkpointing").
 * Gradients flow to `xs` only (`consts` get zeros). `fn` must be deterministic given its inputs;
 * `update` tells it whether to update running statistics (only in the first run).
 * @internal shared by the SPE and BasisNet encoders.
 */
export function recomputed(
  fn: (xs: Tf.Tensor[], consts: Tf.Tensor[], update: boolean) => Tf.Tensor,
  xs: Tf.Tensor[],
  consts: Tf.Tensor[],
): Tf.Tensor {
  const nx = xs.length;
  const f = tf.customGrad((...args: (Tf.Tensor | ((t: Tf.Tensor[]) => void))[]) => {
    const save = args.pop() as Saver;
    const ins = args as Tf.Tensor[];
    const y = tf.tidy(() => fn(ins.slice(0, nx), ins.slice(nx), true));
    save(ins);
    return {
      value: y,
      gradFunc: (dy: Tf.Tensor, saved: Tf.Tensor[]) => {
        const sx = saved.slice(0, nx);
        const sc = saved.slice(nx);
        // A gradient computed inside a gradient function: tfjs' engine resets and finally clears
        // its single active tape in a nested `grads` call, so the outer tape is put back after it.
        const engine = tf.engine() as unknown as { state: { activeTape: unknown } };
        const outerTape = engine.state.activeTape;
        let grads: Tf.Tensor[];
        try {
          grads = tf.grads((...t: Tf.Tensor[]) => fn(t, sc, false))(sx, dy);
        } finally {
          engine.state.activeTape = outerTape;
        }
        return [...grads, ...sc.map((c) => tf.zerosLike(c))];
      },
    };
  });
  return f(...xs, ...consts);
}

/** {@link ginLayerTrain} under {@link recomputed}. */
function ginLayerRecompute(
  x: Tf.Tensor3D,
  a: Tf.Tensor3D,
  mask: Tf.Tensor2D,
  eps: Tf.Tensor,
  w: Tf.Tensor[],
  norms: readonly [BatchNormParams, BatchNormParams],
): Tf.Tensor3D {
  return recomputed(
    (xs, [ac, mc], update) =>
      ginLayerTrain(
        xs[0] as Tf.Tensor3D,
        ac as Tf.Tensor3D,
        mc as Tf.Tensor2D,
        xs[1] as Tf.Tensor,
        xs.slice(2),
        norms,
        update,
      ),
    [x, eps, ...w],
    [a, mask],
  ) as Tf.Tensor3D;
}

/**
 * (1+ε)·X + A·X for X [B, N, F] and a constant dense adjacency A [B, N, N] (GIN aggregation), as
 * one taped op that keeps no new tensor (X is already kept) and forms no gradient for A.
 * @internal shared by the SPE and BasisNet encoders.
 */
export function ginAggregate(adjacency: Tf.Tensor3D, x: Tf.Tensor3D, eps: Tf.Tensor): Tf.Tensor3D {
  const f = tf.customGrad((aIn, xIn, eIn, save) => {
    const a = aIn as Tf.Tensor3D;
    const xx = xIn as Tf.Tensor3D;
    const e = eIn as Tf.Tensor;
    const y = tf.tidy(() => tf.add(tf.matMul(a, xx), tf.mul(xx, tf.add(e, 1)))) as Tf.Tensor3D;
    (save as Saver)([a, xx, e]);
    return {
      value: y,
      gradFunc: (dy: Tf.Tensor3D, saved: Tf.Tensor[]) => {
        const [as, xs, es] = saved as [Tf.Tensor3D, Tf.Tensor3D, Tf.Tensor];
        const dx = tf.add(tf.matMul(tf.transpose(as, [0, 2, 1]), dy), tf.mul(dy, tf.add(es, 1)));
        const de = tf.sum(tf.mul(dy, xs)).reshape(es.shape);
        return [tf.zerosLike(as), dx, de];
      },
    };
  });
  return f(adjacency, x, eps) as Tf.Tensor3D;
}

/**
 * relu(BatchNorm(x·W)) on a 2-D tensor. `mask` [R, 1] selects the rows that enter the batch
 * statistics (training); masked rows are NOT zeroed in the output. In eval mode the norm is folded
 * into the kernel: one fused matmul + bias + ReLU.
 * @internal shared by the SPE and BasisNet encoders.
 */
export function denseBnRelu(
  x: Tf.Tensor2D,
  lin: DenseParams,
  bn: BatchNormParams,
  mask: Tf.Tensor2D | null,
  training: boolean,
): Tf.Tensor2D {
  const W = lin.kernel.read() as Tf.Tensor2D;
  if (training) {
    let pre: Tf.Tensor2D = dense2d(x, W);
    if (lin.bias) pre = tf.add(pre, lin.bias.read()) as Tf.Tensor2D;
    return bnReluTrain(pre, bn, mask);
  }
  const { s, t } = bnScaleShift(null, bn, mask, false);
  const bias: Tf.Tensor = lin.bias ? tf.add(tf.mul(lin.bias.read(), s), t) : t;
  return dense2d(x, tf.mul(W, s) as Tf.Tensor2D, bias, true);
}

/**
 * MLP on a 2-D tensor: (Linear → masked BatchNorm → ReLU)* → Linear (norms from `addMlp` with
 * `batchNorm: true`; without norms the hidden layers are Linear → ReLU).
 * @internal shared by the SPE and BasisNet encoders.
 */
export function leanMlp(
  x: Tf.Tensor2D,
  p: MlpParams,
  mask: Tf.Tensor2D | null,
  training: boolean,
): Tf.Tensor2D {
  let h = x;
  const L = p.layers.length;
  for (let l = 0; l < L; l++) {
    const lin = p.layers[l] as DenseParams;
    const bn = p.norms[l];
    if (l < L - 1 && bn) {
      h = denseBnRelu(h, lin, bn, mask, training);
    } else {
      h = dense2d(h, lin.kernel.read() as Tf.Tensor2D, lin.bias ? lin.bias.read() : null, l < L - 1);
    }
  }
  return h;
}

/** Checks a positive integer option. @internal */
export function positiveInt(where: string, name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) {
    throw new GraphpeError('E_OPTION', `${where}: ${name} must be a positive integer, got ${v}`, {
      [name]: v,
    });
  }
  return v;
}

/** Splits and checks the five eigen-batch inputs of a learned encoder. @internal */
export function eigInputs(
  where: string,
  inputs: Tf.Tensor | Tf.Tensor[],
): [Tf.Tensor3D, Tf.Tensor2D, Tf.Tensor3D, Tf.Tensor2D, Tf.Tensor2D] {
  const xs = Array.isArray(inputs) ? inputs : [inputs];
  if (xs.length !== 5) {
    throw new GraphpeError(
      'E_SHAPE',
      `${where}: expected 5 inputs [vectors, values, adjacency, nodeMask, eigMask], got ${xs.length}`,
    );
  }
  const [V, lam, A, nm, em] = xs as [Tf.Tensor3D, Tf.Tensor2D, Tf.Tensor3D, Tf.Tensor2D, Tf.Tensor2D];
  if (V.rank !== 3 || lam.rank !== 2 || A.rank !== 3 || nm.rank !== 2 || em.rank !== 2) {
    throw new GraphpeError(
      'E_SHAPE',
      `${where}: input ranks must be [3, 2, 3, 2, 2], got [${xs.map((x) => x.rank).join(', ')}]`,
    );
  }
  return [V, lam, A, nm, em];
}

/** Output shape [B, N, outDim] from the five input shapes. @internal */
export function nodeOutputShape(inputShape: Tf.Shape | Tf.Shape[], outDim: number): Tf.Shape {
  const first = Array.isArray(inputShape[0]) ? (inputShape[0] as Tf.Shape) : (inputShape as Tf.Shape);
  return [first[0] ?? null, first[1] ?? null, outDim];
}

/**
 * The SPE encoder as a `tf.layers.Layer`.
 *
 * Inputs (an {@link EigTensors} batch, in this order): `vectors` [B, N, K], `values` [B, K],
 * `adjacency` [B, N, N], `nodeMask` [B, N], `eigMask` [B, K]. Output [B, N, outDim], zero on padded
 * nodes. Weights do not depend on N or K, so one model serves any padding. `training` (kwargs)
 * switches BatchNorm to masked batch statistics.
 */
export class SpeEncoder extends ParamLayer {
  static className = 'GraphpeSPE';

  readonly m: number;
  readonly phi: SpePhi;
  readonly phiHidden: number;
  readonly phiLayers: number;
  readonly rhoLayers: number;
  readonly rhoHidden: number;
  readonly outDim: number;
  readonly recompute: boolean;

  private phiLin: DenseParams[] = [];
  private phiSum: DenseParams[] = [];
  private phiBn: BatchNormParams[] = [];
  private rhoMlp: MlpParams[] = [];
  private rhoEps: Tf.LayerVariable[] = [];

  constructor(args: SpeEncoderArgs = {}) {
    super(args);
    const where = 'SpeEncoder';
    this.m = positiveInt(where, 'm', args.m ?? 16);
    this.phi = args.phi ?? 'mlp';
    if (!PHIS.includes(this.phi)) {
      throw new GraphpeError(
        'E_OPTION',
        `${where}: phi must be one of ${PHIS.join(', ')}, got '${String(this.phi)}'`,
        { phi: this.phi },
      );
    }
    this.phiHidden = positiveInt(where, 'phiHidden', args.phiHidden ?? 16);
    this.phiLayers = positiveInt(where, 'phiLayers', args.phiLayers ?? 4);
    this.rhoLayers = positiveInt(where, 'rhoLayers', args.rhoLayers ?? 8);
    this.rhoHidden = positiveInt(where, 'rhoHidden', args.rhoHidden ?? 128);
    this.outDim = positiveInt(where, 'outDim', args.outDim ?? 37);
    this.recompute = args.recompute ?? true;
  }

  override build(_inputShape: Tf.Shape | Tf.Shape[]): void {
    const { m, phiHidden: h } = this;
    if (this.phi === 'mlp') {
      // m MLPs 1→h→h→1 stored as one weight per layer: lin0 [1, m·h], lin1 [h, m·h] (read as
      // [m, h, h]), lin2 [h, m] (column ℓ is MLP ℓ's last layer). BatchNorm over the m·h channels is
      // exactly m separate BatchNorms; Linear layers before a norm have no bias.
      this.phiLin = [
        this.addDense('phi/lin0', 1, m * h, false),
        this.addDense('phi/lin1', h, m * h, false),
        this.addDense('phi/lin2', h, m, true),
      ];
      this.phiBn = [this.addBatchNorm('phi/bn0', m * h), this.addBatchNorm('phi/bn1', m * h)];
    } else if (this.phi === 'deepsets') {
      for (let l = 0; l < this.phiLayers; l++) {
        const inDim = l === 0 ? 1 : h;
        const outDim = l === this.phiLayers - 1 ? m : h;
        this.phiLin.push(this.addDense(`phi/ds${l}/lin`, inDim, outDim, true));
        this.phiSum.push(this.addDense(`phi/ds${l}/sum`, inDim, outDim, false));
      }
    }
    const H = this.rhoHidden;
    for (let l = 0; l < this.rhoLayers; l++) {
      const inDim = l === 0 ? m : H;
      const outDim = l === this.rhoLayers - 1 ? this.outDim : H;
      this.rhoEps.push(this.addParam(`rho/gin${l}/eps`, [1], 'normal'));
      this.rhoMlp.push(this.addMlp(`rho/gin${l}/mlp`, { dims: [inDim, H, H, outDim], batchNorm: true }));
    }
    this.built = true;
  }

  override computeOutputShape(inputShape: Tf.Shape | Tf.Shape[]): Tf.Shape {
    return nodeOutputShape(inputShape, this.outDim);
  }

  /** φ(λ) → [B, K, m], zero on padded eigenvalues. */
  private phiForward(lam: Tf.Tensor2D, em: Tf.Tensor2D, training: boolean): Tf.Tensor3D {
    const K = lam.shape[1];
    const { m, phiHidden: h } = this;
    if (this.phi === 'zero') return tf.mul(tf.ones([1, 1, m]), em.reshape([-1, K, 1])) as Tf.Tensor3D;
    if (this.phi === 'mlp') {
      const mask = em.reshape([-1, 1]) as Tf.Tensor2D; // [BK, 1]
      const x = lam.reshape([-1, 1]) as Tf.Tensor2D;
      const [lin0, lin1, lin2] = this.phiLin as [DenseParams, DenseParams, DenseParams];
      const [bn0, bn1] = this.phiBn as [BatchNormParams, BatchNormParams];
      const h0 = denseBnRelu(x, lin0, bn0, mask, training); // [BK, m·h]
      const w1 = lin1.kernel.read().reshape([h, m, h]).transpose([1, 0, 2]) as Tf.Tensor3D; // [m, h, h]
      const pre1 = tf.matMul(h0.reshape([-1, m, h]).transpose([1, 0, 2]) as Tf.Tensor3D, w1); // [m, BK, h]
      const pre1f = pre1.transpose([1, 0, 2]).reshape([-1, m * h]) as Tf.Tensor2D;
      const { s, t } = bnScaleShift(pre1f, bn1, mask, training);
      const h1 = tf.relu(tf.add(tf.mul(pre1f, s), t)).reshape([-1, m, h]);
      // out[bk, ℓ] = Σ_c h1[bk, ℓ, c]·W2[c, ℓ] + b2[ℓ]
      const w2 = lin2.kernel.read().transpose() as Tf.Tensor2D; // [m, h]
      let z = tf.mul(h1, w2).sum(2);
      if (lin2.bias) z = tf.add(z, lin2.bias.read());
      return tf.mul(z, mask).reshape([-1, K, m]) as Tf.Tensor3D;
    }
    // DeepSets over the K eigenvalues, masked.
    const mask = em.reshape([-1, K, 1]);
    let x: Tf.Tensor = tf.mul(lam.reshape([-1, K, 1]), mask);
    const L = this.phiLin.length;
    for (let l = 0; l < L; l++) {
      const pooled = tf.sum(x, 1, true); // padded entries are 0
      let y = tf.add(
        applyDense(x, this.phiLin[l] as DenseParams),
        applyDense(pooled, this.phiSum[l] as DenseParams),
      );
      if (l < L - 1) y = tf.relu(y);
      x = tf.mul(y, mask);
    }
    return x as Tf.Tensor3D;
  }

  override call(inputs: Tf.Tensor | Tf.Tensor[], kwargs: Tf.serialization.ConfigDict = {}): Tf.Tensor {
    return tf.tidy(() => {
      const [V, lam, A, nm, em] = eigInputs('SpeEncoder', inputs);
      const training = kwargs.training === true;
      const N = V.shape[1];
      const K = V.shape[2];
      const m = this.m;
      const Z = this.phiForward(lam, em, training); // [B, K, m]
      // W[b, i, (j, ℓ)] = Σ_k V[b,i,k]·Z[b,k,ℓ]·V[b,j,k]
      const Vt = V.transpose([0, 2, 1]).reshape([-1, K, N, 1]);
      const M = tf.mul(Vt, Z.reshape([-1, K, 1, m])).reshape([-1, K, N * m]) as Tf.Tensor3D;
      let X: Tf.Tensor3D = tf.matMul(V, M); // [B, N, N·m]
      const mask2 = tf.mul(nm.reshape([-1, N, 1]), nm.reshape([-1, 1, N])); // [B, N, N]
      const rowMask = mask2.reshape([-1, 1]) as Tf.Tensor2D;
      let c = m;
      for (let l = 0; l < this.rhoLayers; l++) {
        const eps = this.rhoEps[l] as Tf.LayerVariable;
        const mlp = this.rhoMlp[l] as MlpParams;
        if (training && this.recompute) {
          const [d0, d1, d2] = mlp.layers as [DenseParams, DenseParams, DenseParams];
          const [n0, n1] = mlp.norms as [BatchNormParams, BatchNormParams];
          const w = [d0.kernel, n0.gamma, n0.beta, d1.kernel, n1.gamma, n1.beta, d2.kernel, d2.bias].map(
            (v) => (v as Tf.LayerVariable).read(),
          );
          X = ginLayerRecompute(X, A, rowMask, eps.read(), w, [n0, n1]);
          c = X.shape[2] / N;
          continue;
        }
        const agg = ginAggregate(A, X, eps.read()).reshape([-1, c]) as Tf.Tensor2D; // rows (b, i, j)
        const y = leanMlp(agg, mlp, rowMask, training);
        c = y.shape[1];
        X = y.reshape([-1, N, N * c]) as Tf.Tensor3D;
      }
      // Masked sum over the column axis j, as a batched matmul: [B·N, 1, N] @ [B·N, N, p].
      const colMask = tf.broadcastTo(nm.reshape([-1, 1, N]), [nm.shape[0], N, N]).reshape([-1, 1, N]);
      const pe = tf.matMul(colMask as Tf.Tensor3D, X.reshape([-1, N, c]) as Tf.Tensor3D);
      return tf.mul(pe.reshape([-1, N, c]), nm.reshape([-1, N, 1]));
    });
  }

  override getConfig(): Tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      m: this.m,
      phi: this.phi,
      phiHidden: this.phiHidden,
      phiLayers: this.phiLayers,
      rhoLayers: this.rhoLayers,
      rhoHidden: this.rhoHidden,
      outDim: this.outDim,
      recompute: this.recompute,
    };
  }
}

tf.serialization.registerClass(SpeEncoder);
