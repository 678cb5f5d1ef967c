/**
 * Sign-equivariant networks (Lim, Robinson, Jegelka, Maron, "Expressive Sign Equivariant Networks for
 * Spectral Geometric Learning", NeurIPS 2023, arXiv 2312.02339; the link-prediction model of
 * github.com/cptq/Sign-Equivariant-Nets `link_pred/models.py`; docs/encodings.md, "Learned encoders"):
 *
 *   Gate(x) = (a ⊙ x) ⊙ σ(MLP(|x|)) + x            x ∈ ℝ^k a node's row, a ∈ ℝ^k (init 1),
 *                                                  MLP k→hidden→k with ReLU, σ the sigmoid
 *   DSS:  x_i ← x_i + Gate₁(x_i) + Gate₂(mean_{u∈N(i)} x_u)    (or the mean over all nodes)
 *
 * stacked into Z = f(V) ∈ ℝ^{n×k} with f(VS) = f(V)S for every diagonal ±1 matrix S (|x| and hence the
 * gate are sign-invariant, a ⊙ x and the neighbour mean are sign-equivariant), f(PV; PAPᵀ) = P f(V; A),
 * and sign-invariant link scores z_i·z_j. The neighbour mean is weighted by the adjacency
 * (Σ_u A_iu x_u / Σ_u A_iu; 0 for an isolated node) and computed as a batched matmul. Padded columns
 * and padded nodes stay exactly 0. Not basis-equivariant. |x| has gradient 0 at 0 (tfjs convention).
 * As in the reference, there is no normalisation: x + Gate₁(x) + Gate₂(·) (each gate has its own residual)
 * grows the scale by roughly 3–4× per layer, so link logits of a 4-layer net are large at initialisation.
 */
import { checkOption, GraphpeError } from '@graphpe/spectral';
import type * as Tf from '@tensorflow/tfjs';
import { applyMlp, maskedMean, neighbourSum } from './nn/ops.js';
import { type MlpParams, ParamLayer, type ParamLayerArgs } from './nn/param-layer.js';
import { inputShapes, inputTensors } from './signnet.js';
import { tf } from './tf.js';

/** Aggregation of the DSS layer: weighted neighbour mean, or the mean over all (real) nodes. */
export type SignAggregation = 'neighbours' | 'all';

/** Weights of one gate. */
export interface SignGateParams {
  readonly a: Tf.LayerVariable;
  readonly mlp: MlpParams;
}

/** Gate(x) = (a ⊙ x) ⊙ σ(MLP(|x|)) + x on the last axis (x [..., k]). */
export function signGate(x: Tf.Tensor, p: SignGateParams): Tf.Tensor {
  const g = tf.sigmoid(applyMlp(tf.abs(x), p.mlp, null, false));
  return tf.add(tf.mul(tf.mul(x, p.a.read()), g), x);
}

/**
 * The aggregated rows of the DSS layer: Σ_u A_iu x_u / Σ_u A_iu (`neighbours`) or the mean of the real
 * rows broadcast to every node (`all`); x [B, N, K], adjacency [B, N, N], nodeMask [B, N].
 */
export function signAggregate(
  x: Tf.Tensor,
  adjacency: Tf.Tensor,
  nodeMask: Tf.Tensor,
  aggregation: SignAggregation,
): Tf.Tensor {
  if (aggregation === 'all') {
    const mean = maskedMean(x, nodeMask.expandDims(2), 1).expandDims(1); // [B, 1, K]
    return tf.mul(mean, nodeMask.expandDims(2));
  }
  const deg = adjacency.sum(2, true); // [B, N, 1]
  const safe = tf.where(tf.greater(deg, 0), deg, tf.onesLike(deg));
  return tf.div(neighbourSum(adjacency, x), safe);
}

/** Options of {@link SignEquivariantNet} and {@link SignDSSLayer}; defaults in brackets. */
export interface SignEquivariantArgs extends ParamLayerArgs {
  /** DSS layers [4] (ignored by {@link SignDSSLayer}, which is one layer). */
  layers?: number;
  /** Hidden width of each gate's MLP k→hidden→k [92, as the reference]. */
  hidden?: number;
  /** Aggregation [neighbours]. */
  aggregation?: SignAggregation;
}

const WHERE = 'encodings.SignEquivariantNet';

abstract class SignDSSBase extends ParamLayer {
  readonly numLayers: number;
  readonly hidden: number;
  readonly aggregation: SignAggregation;
  protected gates: [SignGateParams, SignGateParams][] = [];

  constructor(args: SignEquivariantArgs, numLayers: number) {
    super(args);
    this.numLayers = numLayers;
    this.hidden = args.hidden ?? 92;
    this.aggregation = args.aggregation ?? 'neighbours';
    checkOption(
      Number.isInteger(this.numLayers) && this.numLayers >= 1,
      WHERE,
      'layers must be an integer ≥ 1',
      this.numLayers,
    );
    checkOption(
      Number.isInteger(this.hidden) && this.hidden >= 1,
      WHERE,
      'hidden must be an integer ≥ 1',
      this.hidden,
    );
    checkOption(
      this.aggregation === 'neighbours' || this.aggregation === 'all',
      WHERE,
      "aggregation must be 'neighbours' or 'all'",
      this.aggregation,
    );
  }

  override build(inputShape: Tf.Shape | Tf.Shape[]): void {
    const K = inputShapes(inputShape, 4, WHERE)[0]?.[2];
    if (typeof K !== 'number' || K < 1) {
      throw new GraphpeError('E_SHAPE', `${WHERE}: needs a fixed number of columns K in the input shape`, {
        K,
      });
    }
    this.gates = [];
    for (let l = 0; l < this.numLayers; l++) {
      const gate = (name: string): SignGateParams => ({
        a: this.addParam(`dss${l}/${name}/a`, [K], 1),
        mlp: this.addMlp(`dss${l}/${name}/mlp`, { dims: [K, this.hidden, K] }),
      });
      this.gates.push([gate('gate1'), gate('gate2')]);
    }
    this.built = true;
  }

  override computeOutputShape(inputShape: Tf.Shape | Tf.Shape[]): Tf.Shape {
    return (inputShapes(inputShape, 4, WHERE)[0] as Tf.Shape).slice();
  }

  override call(inputs: Tf.Tensor | Tf.Tensor[]): Tf.Tensor {
    return tf.tidy(() => {
      const [vectors, adjacency, nodeMask, eigMask] = inputTensors(inputs, 4, WHERE);
      const mask = tf.mul(nodeMask.expandDims(2), eigMask.expandDims(1)); // [B, N, K]
      let x = tf.mul(vectors as Tf.Tensor, mask);
      for (const [g1, g2] of this.gates) {
        const agg = signAggregate(x, adjacency as Tf.Tensor, nodeMask as Tf.Tensor, this.aggregation);
        x = tf.mul(tf.add(tf.add(x, signGate(x, g1)), signGate(agg, g2)), mask);
      }
      return x;
    });
  }

  override getConfig(): Tf.serialization.ConfigDict {
    return { ...super.getConfig(), hidden: this.hidden, aggregation: this.aggregation };
  }
}

/**
 * Stack of sign-equivariant DSS layers as one `tf.layers.Layer`.
 *
 * Inputs `[vectors [B,N,K], adjacency [B,N,N], nodeMask [B,N], eigMask [B,K]]` (K fixed); output
 * Z [B, N, K] with f(VS) = f(V)S, 0 on padded nodes and columns. Edge logits: {@link linkScores} or
 * {@link denseLinkScores}.
 */
export class SignEquivariantNet extends SignDSSBase {
  static className = 'GraphpeSignEquivariant';
  constructor(args: SignEquivariantArgs = {}) {
    super(args, args.layers ?? 4);
  }
  override getConfig(): Tf.serialization.ConfigDict {
    return { ...super.getConfig(), layers: this.numLayers };
  }
}
tf.serialization.registerClass(SignEquivariantNet);

/**
 * One sign-equivariant DSS layer x ← x + Gate₁(x) + Gate₂(agg(x)) with the same inputs and output as
 * {@link SignEquivariantNet} (`[x, adjacency, nodeMask, eigMask]` → x'), for stacking in a model.
 */
export class SignDSSLayer extends SignDSSBase {
  static className = 'GraphpeSignDSS';
  constructor(args: SignEquivariantArgs = {}) {
    super(args, 1);
  }
}
tf.serialization.registerClass(SignDSSLayer);

/** `SignEquivariantLayer` is the stacked network ({@link SignEquivariantNet}). */
export const SignEquivariantLayer = SignEquivariantNet;

/** Dense sign-invariant link logits z_i·z_j: Z [B, N, K] → [B, N, N]. */
export function denseLinkScores(z: Tf.Tensor): Tf.Tensor3D {
  return tf.matMul(z as Tf.Tensor3D, z as Tf.Tensor3D, false, true);
}

/**
 * Link logits Σ_c z_ic z_jc for E node pairs: `pairs` is [E, 3] int32 rows (graph b, node i, node j)
 * or [E, 2] rows (i, j) of graph 0. Uses `tf.gather` on the flattened rows (its gradient needs
 * `UnsortedSegmentSum`, which {@link initBackend} registers for wasm). Returns [E].
 */
export function linkScores(z: Tf.Tensor, pairs: Tf.Tensor2D | ArrayLike<number>[]): Tf.Tensor1D {
  return tf.tidy(() => {
    const [, N, K] = z.shape as [number, number, number];
    const p = Array.isArray(pairs)
      ? tf.tensor2d(
          pairs.map((r) => Array.from(r)),
          undefined,
          'int32',
        )
      : pairs;
    const cols = p.shape[1];
    if (cols !== 2 && cols !== 3) {
      throw new GraphpeError(
        'E_SHAPE',
        `encodings.linkScores: pairs must be [E, 2] or [E, 3], got [${p.shape}]`,
      );
    }
    const pi = p.toInt();
    const b = cols === 3 ? pi.slice([0, 0], [-1, 1]).reshape([-1]) : tf.zeros([pi.shape[0]], 'int32');
    const i = pi.slice([0, cols - 2], [-1, 1]).reshape([-1]);
    const j = pi.slice([0, cols - 1], [-1, 1]).reshape([-1]);
    const flat = z.reshape([-1, K]);
    const bn = tf.mul(b, tf.scalar(N, 'int32'));
    const zi = tf.gather(flat, tf.add(bn, i));
    const zj = tf.gather(flat, tf.add(bn, j));
    return tf.mul(zi, zj).sum(1) as Tf.Tensor1D;
  });
}
