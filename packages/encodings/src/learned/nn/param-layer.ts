/**
 * Base class for graphpe's tfjs layers: every weight of a composite encoder (MLPs, batch norms,
 * GIN ε) is created on the layer itself with `addWeight`, so `model.save`/`loadLayersModel` see
 * them all in a fixed order, and initialisers are seeded (seed + a per-weight counter) so the
 * same seed gives the same model.
 */
import type * as Tf from '@tensorflow/tfjs';
import { tf } from '../tf.js';

/** A dense (affine) map x ↦ xW (+ b). */
export interface DenseParams {
  readonly kernel: Tf.LayerVariable;
  readonly bias: Tf.LayerVariable | null;
}

/** Batch normalisation over the last axis: γ, β trainable; running mean/variance not. */
export interface BatchNormParams {
  readonly gamma: Tf.LayerVariable;
  readonly beta: Tf.LayerVariable;
  readonly movingMean: Tf.LayerVariable;
  readonly movingVariance: Tf.LayerVariable;
  readonly momentum: number;
  readonly epsilon: number;
}

/** An MLP: dense layers with optional batch norm + activation between them (not after the last). */
export interface MlpParams {
  readonly layers: readonly DenseParams[];
  readonly norms: readonly (BatchNormParams | null)[];
}

export interface MlpSpec {
  /** Layer widths including input and output, e.g. [1, 16, 16, 1]. */
  dims: readonly number[];
  /** Batch norm after every hidden dense layer (default false); those dense layers then have no bias. */
  batchNorm?: boolean;
  /** Bias on the last layer (default true). */
  lastBias?: boolean;
}

/** Common config of every graphpe layer. */
export interface ParamLayerArgs {
  name?: string;
  trainable?: boolean;
  /** Seed of the weight initialisers (default 0). */
  seed?: number;
}

/** A `tf.layers.Layer` with seeded helpers that create dense, batch-norm, MLP and scalar weights. */
export abstract class ParamLayer extends tf.layers.Layer {
  readonly seed: number;
  private weightCounter = 0;

  constructor(args: ParamLayerArgs = {}) {
    const base: { name?: string; trainable?: boolean } = {};
    if (args.name !== undefined) base.name = args.name;
    if (args.trainable !== undefined) base.trainable = args.trainable;
    super(base);
    this.seed = args.seed ?? 0;
  }

  private nextSeed(): number {
    this.weightCounter += 1;
    return (this.seed * 7919 + this.weightCounter * 104729) % 2147483647;
  }

  /** Dense weights, Glorot-uniform kernel (as Keras/PyTorch-like defaults), zero bias. */
  protected addDense(name: string, inDim: number, outDim: number, useBias = true): DenseParams {
    const kernel = this.addWeight(
      `${name}/kernel`,
      [inDim, outDim],
      'float32',
      tf.initializers.glorotUniform({ seed: this.nextSeed() }),
    );
    const bias = useBias
      ? this.addWeight(`${name}/bias`, [outDim], 'float32', tf.initializers.zeros())
      : null;
    return { kernel, bias };
  }

  /** Batch-norm weights for `dim` channels. */
  protected addBatchNorm(name: string, dim: number, momentum = 0.9, epsilon = 1e-5): BatchNormParams {
    return {
      gamma: this.addWeight(`${name}/gamma`, [dim], 'float32', tf.initializers.ones()),
      beta: this.addWeight(`${name}/beta`, [dim], 'float32', tf.initializers.zeros()),
      movingMean: this.addWeight(
        `${name}/moving_mean`,
        [dim],
        'float32',
        tf.initializers.zeros(),
        undefined,
        false,
      ),
      movingVariance: this.addWeight(
        `${name}/moving_variance`,
        [dim],
        'float32',
        tf.initializers.ones(),
        undefined,
        false,
      ),
      momentum,
      epsilon,
    };
  }

  /** MLP weights per {@link MlpSpec}. */
  protected addMlp(name: string, spec: MlpSpec): MlpParams {
    const layers: DenseParams[] = [];
    const norms: (BatchNormParams | null)[] = [];
    const L = spec.dims.length - 1;
    for (let l = 0; l < L; l++) {
      const last = l === L - 1;
      // A bias right before batch norm is cancelled by the mean subtraction (zero gradient): omit it.
      const useBias = last ? spec.lastBias !== false : !spec.batchNorm;
      layers.push(
        this.addDense(`${name}/lin${l}`, spec.dims[l] as number, spec.dims[l + 1] as number, useBias),
      );
      norms.push(
        !last && spec.batchNorm ? this.addBatchNorm(`${name}/bn${l}`, spec.dims[l + 1] as number) : null,
      );
    }
    return { layers, norms };
  }

  /** A trainable tensor of the given shape, initialised from N(0, 1) (GIN's ε) or a constant. */
  protected addParam(name: string, shape: number[], init: 'normal' | number): Tf.LayerVariable {
    const initializer =
      init === 'normal'
        ? tf.initializers.randomNormal({ mean: 0, stddev: 1, seed: this.nextSeed() })
        : tf.initializers.constant({ value: init });
    return this.addWeight(name, shape, 'float32', initializer);
  }

  override getConfig(): Tf.serialization.ConfigDict {
    return { ...super.getConfig(), seed: this.seed };
  }
}
