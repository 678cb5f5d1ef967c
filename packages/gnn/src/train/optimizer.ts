/**
 * Adam with weight decay and a per-step learning rate, on tfjs's `AdamOptimizer` (whose moment state
 * `getWeights`/`setWeights` save and restore for resume).
 *
 * - `adam`: PyTorch `torch.optim.Adam(weight_decay=wd)` semantics: wd·θ is added to the gradient before
 *   the moment updates (L2 regularisation), only on the variables flagged `decay` (kernels; not biases,
 *   BatchNorm or GIN's ε).
 * - `adamw`: PyTorch `AdamW` (Loshchilov & Hutter 2019): θ ← θ·(1 − lr·wd) before the Adam step, same flags.
 * ε = 1e-8 and β = (0.9, 0.999) as PyTorch (tfjs defaults ε to 1e-7).
 *
 * The saved state carries tfjs's running products β₁ᵗ, β₂ᵗ next to the moments: tfjs's `setWeights`
 * recomputes them as `pow(β, t + 1)`, which differs from the float32 product in the last bits, so a resumed
 * run would drift from an uninterrupted one.
 */
import { tf } from '@graphpe/encodings/learned';
import type { NamedTensor } from '../model/io.js';

export type OptimizerKind = 'adam' | 'adamw';

export interface OptimVariable {
  readonly variable: tf.Variable;
  readonly decay: boolean;
}

export interface AdamOptions {
  kind?: OptimizerKind;
  weightDecay?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/** Names of the running β powers in {@link AdamWithDecay.getState} (after tfjs's iterations + moments). */
export const ADAM_ACC_BETA_NAMES = ['graphpe/adam/accBeta1', 'graphpe/adam/accBeta2'] as const;

class SettableAdam extends tf.AdamOptimizer {
  setLearningRate(lr: number): void {
    this.learningRate = lr;
  }
  getLearningRate(): number {
    return this.learningRate;
  }
}

/**
 * Replaces the gradients (in variable order) and the loss (last) before the update, e.g. by their sums
 * over data-parallel replicas (train/parallel.ts).
 */
export type GradientReducer = (tensors: tf.Tensor[]) => tf.Tensor[];

/** Adam(W) over a fixed, ordered variable list. */
export class AdamWithDecay {
  readonly kind: OptimizerKind;
  readonly weightDecay: number;
  private readonly opt: SettableAdam;
  private readonly vars: readonly OptimVariable[];

  constructor(vars: readonly OptimVariable[], options: AdamOptions = {}) {
    this.kind = options.kind ?? 'adam';
    this.weightDecay = options.weightDecay ?? 0;
    this.vars = vars;
    this.opt = new SettableAdam(1e-3, options.beta1 ?? 0.9, options.beta2 ?? 0.999, options.epsilon ?? 1e-8);
  }

  set learningRate(lr: number) {
    this.opt.setLearningRate(lr);
  }

  get learningRate(): number {
    return this.opt.getLearningRate();
  }

  /** Completed optimizer steps. */
  get iterations(): number {
    return (this.opt as unknown as { iterations: number }).iterations;
  }

  /**
   * One step: computes the gradients of `lossFn` (a scalar) w.r.t. the variables, applies decay and the
   * Adam update, and returns the loss value (the caller disposes it). Runs inside `tf.tidy`. `reduce`, when
   * given, maps [gradients…, loss] to the ones applied and returned.
   */
  step(lossFn: () => tf.Scalar, reduce?: GradientReducer): tf.Scalar {
    return tf.tidy(() => {
      const list = this.vars.map((v) => v.variable);
      const res = tf.variableGrads(lossFn, list);
      let value = res.value;
      // A variable the loss does not reach gets a zero gradient, so Adam's positional moment slots stay aligned.
      let gs: tf.Tensor[] = this.vars.map((v) => res.grads[v.variable.name] ?? tf.zerosLike(v.variable));
      if (reduce) {
        const out = reduce([...gs, value]);
        gs = out.slice(0, gs.length);
        value = out[gs.length] as tf.Scalar;
      }
      const wd = this.weightDecay;
      const lr = this.learningRate;
      const named: tf.NamedTensorMap = {};
      for (const [i, v] of this.vars.entries()) {
        const name = v.variable.name;
        let g: tf.Tensor = gs[i] as tf.Tensor;
        if (wd > 0 && v.decay) {
          if (this.kind === 'adam') g = tf.add(g, tf.mul(v.variable, wd));
          else v.variable.assign(tf.mul(v.variable, 1 - lr * wd));
        }
        named[name] = g;
      }
      this.opt.applyGradients(named as unknown as tf.NamedTensorMap & Record<string, tf.Variable>);
      return value;
    });
  }

  /** Optimizer state (iterations, moments, then the running β powers) for checkpoints. */
  async getState(): Promise<NamedTensor[]> {
    const acc = this.opt as unknown as { accBeta1: tf.Variable; accBeta2: tf.Variable };
    return [
      ...(await this.opt.getWeights()),
      { name: ADAM_ACC_BETA_NAMES[0], tensor: acc.accBeta1 },
      { name: ADAM_ACC_BETA_NAMES[1], tensor: acc.accBeta2 },
    ];
  }

  /**
   * Restores state saved by {@link getState} (takes ownership of the tensors). A state without the β
   * powers (older checkpoints) gets tfjs's `pow(β, t + 1)` instead.
   */
  async setState(state: NamedTensor[]): Promise<void> {
    const isAcc = (t: NamedTensor) => (ADAM_ACC_BETA_NAMES as readonly string[]).includes(t.name);
    await this.opt.setWeights(state.filter((t) => !isAcc(t)));
    const acc = this.opt as unknown as { accBeta1: tf.Variable; accBeta2: tf.Variable };
    for (const t of state) {
      if (t.name === ADAM_ACC_BETA_NAMES[0]) acc.accBeta1.assign(t.tensor as tf.Scalar);
      else if (t.name === ADAM_ACC_BETA_NAMES[1]) acc.accBeta2.assign(t.tensor as tf.Scalar);
    }
  }

  dispose(): void {
    this.opt.dispose();
  }
}
