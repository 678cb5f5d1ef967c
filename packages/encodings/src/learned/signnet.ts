/**
 * SignNet (Lim, Robinson, Zhao, Smidt, Sra, Maron, Jegelka, "Sign and Basis Invariant Networks for
 * Spectral Graph Representation Learning", ICLR 2023, arXiv 2202.13013):
 *
 *   SignNet(v₁..v_k) = ρ([φ(v_i) + φ(−v_i)]_{i=1..k})
 *
 * following the PyG/GINE variant of github.com/cptq/SignNet-BasisNet (`GINESignNetPyG/core/sign_net.py`,
 * docs/encodings.md, "Learned encoders"): φ is a masked GIN (Xu et al. 2019) over the graph applied to every
 * eigenvector channel independently (input [B, N, K, 1]); each layer is (1 + ε)·h_i + Σ_{u∈N(i)} h_u →
 * 2-layer MLP → masked batch norm → ReLU (not after the last layer) with a cumulative residual
 * h ← h + layer(h) wherever widths match. ρ is a masked DeepSets (sum over the real columns, then an MLP with batch
 * norm) or an MLP on the concatenation of the k columns. Eigenvalues are ignored by default, as in the
 * reference; `useEigenvalues` appends λ_k to ρ's per-column input.
 *
 * φ(v) and φ(−v) run as one pass: the two signs are concatenated along the column axis (a batch axis
 * for φ), so even the training-mode batch-norm statistics are taken over the sign-symmetric set {v, −v}
 * and the training-mode output is sign-invariant too. Padding: padded columns (where 2φ(0) ≠ 0) and
 * padded nodes are zeroed after every layer, excluded from every batch-norm statistic and from the
 * sum over k; the output is 0 on padded nodes. On `cpu`/`wasm`, φ runs on the real rows only (real node ×
 * real column, as 2-D [rows, h] tensors) and message passing is a JS loop over the adjacency's CSR in one
 * taped op (nn/sparse-aggregate.ts); on other backends it is a batched matmul with the dense adjacency
 * (`GRAPHPE_DENSE_AGGREGATION=1` forces that path everywhere). Not basis-invariant: rotating inside a repeated
 * eigenspace changes the output (docs/encodings.md, "Learned encoders").
 */
import { checkOption } from '@graphpe/spectral';
import type * as Tf from '@tensorflow/tfjs';
import {
  applyBatchNorm,
  applyDense,
  applyMlp,
  maskedBatchNormRows,
  mlpRows,
  neighbourSum,
} from './nn/ops.js';
import {
  type BatchNormParams,
  type DenseParams,
  type MlpParams,
  ParamLayer,
  type ParamLayerArgs,
} from './nn/param-layer.js';
import {
  adjacencyCsr,
  csrMatMul,
  gatherRowsHost,
  packChannelRows,
  preferSparseAggregation,
  scatterRows,
} from './nn/sparse-aggregate.js';
import { tf } from './tf.js';

/** Options of {@link SignNetEncoder}; defaults in brackets. */
export interface SignNetArgs extends ParamLayerArgs {
  /** GIN layers of φ [4]. */
  phiLayers?: number;
  /** Width of φ's layers and of ρ's hidden layer [64]. */
  hidden?: number;
  /** Output width per node [hidden]. */
  outDim?: number;
  /** ρ: masked sum over k then MLP (`deepsets`), or MLP on the k columns concatenated (`mlp`, needs a fixed K) [deepsets]. */
  rho?: 'deepsets' | 'mlp';
  /**
   * Append λ_k to ρ's per-column input (the reference ignores eigenvalues) [false]. With `deepsets` the
   * column [φ-sum; λ_k] then goes through a per-column dense layer + ReLU (hidden + 1 → hidden) before the
   * masked sum, so λ does not collapse to Σλ; with `mlp` it is simply part of the concatenation.
   */
  useEigenvalues?: boolean;
}

interface GinParams {
  eps: Tf.LayerVariable;
  mlp: MlpParams;
  bn: BatchNormParams | null;
}

const WHERE = 'encodings.SignNetEncoder';

/**
 * SignNet positional encoder as a `tf.layers.Layer`.
 *
 * Inputs `[vectors [B,N,K], values [B,K], adjacency [B,N,N], nodeMask [B,N], eigMask [B,K]]` (the
 * {@link EigTensors} of a batch, in that order); output [B, N, outDim], 0 on padded nodes.
 * Invariant to the sign of every eigenvector column separately and permutation-equivariant.
 */
export class SignNetEncoder extends ParamLayer {
  static className = 'GraphpeSignNet';
  readonly phiLayers: number;
  readonly hidden: number;
  readonly outDim: number;
  readonly rho: 'deepsets' | 'mlp';
  readonly useEigenvalues: boolean;
  private gin: GinParams[] = [];
  private lambdaIn: DenseParams | null = null;
  private rhoMlp!: MlpParams;

  constructor(args: SignNetArgs = {}) {
    super(args);
    this.phiLayers = args.phiLayers ?? 4;
    this.hidden = args.hidden ?? 64;
    this.outDim = args.outDim ?? this.hidden;
    this.rho = args.rho ?? 'deepsets';
    this.useEigenvalues = args.useEigenvalues ?? false;
    checkOption(
      Number.isInteger(this.phiLayers) && this.phiLayers >= 1,
      WHERE,
      'phiLayers must be an integer ≥ 1',
      this.phiLayers,
    );
    checkOption(
      Number.isInteger(this.hidden) && this.hidden >= 1,
      WHERE,
      'hidden must be an integer ≥ 1',
      this.hidden,
    );
    checkOption(
      Number.isInteger(this.outDim) && this.outDim >= 1,
      WHERE,
      'outDim must be an integer ≥ 1',
      this.outDim,
    );
    checkOption(
      this.rho === 'deepsets' || this.rho === 'mlp',
      WHERE,
      "rho must be 'deepsets' or 'mlp'",
      this.rho,
    );
  }

  override build(inputShape: Tf.Shape | Tf.Shape[]): void {
    const shapes = inputShapes(inputShape, 5, WHERE);
    const K = shapes[0]?.[2];
    const H = this.hidden;
    this.gin = [];
    for (let l = 0; l < this.phiLayers; l++) {
      const last = l === this.phiLayers - 1;
      const inDim = l === 0 ? 1 : H;
      this.gin.push({
        eps: this.addParam(`phi${l}/eps`, [1], 0),
        // A bias right before batch norm has no effect (and a zero gradient): only the last layer keeps it.
        mlp: this.addMlp(`phi${l}/mlp`, { dims: [inDim, H, H], lastBias: last }),
        bn: last ? null : this.addBatchNorm(`phi${l}/bn`, H),
      });
    }
    const perCol = this.useEigenvalues ? H + 1 : H;
    if (this.rho === 'deepsets') {
      this.lambdaIn = this.useEigenvalues ? this.addDense('rho/lambda_in', perCol, H) : null;
      this.rhoMlp = this.addMlp('rho/mlp', { dims: [H, H, this.outDim], batchNorm: true });
    } else {
      checkOption(
        typeof K === 'number' && K > 0,
        WHERE,
        "rho 'mlp' needs a fixed number of eigenvector columns K in the input shape",
        K,
      );
      this.rhoMlp = this.addMlp('rho/mlp', { dims: [K * perCol, H, this.outDim], batchNorm: true });
    }
    this.built = true;
  }

  override computeOutputShape(inputShape: Tf.Shape | Tf.Shape[]): Tf.Shape {
    const s = inputShapes(inputShape, 5, WHERE)[0] as Tf.Shape;
    return [s[0] ?? null, s[1] ?? null, this.outDim];
  }

  override call(inputs: Tf.Tensor | Tf.Tensor[], kwargs: { training?: boolean }): Tf.Tensor {
    return tf.tidy(() => {
      const [vectors, values, adjacency, nodeMask, eigMask] = inputTensors(inputs, 5, WHERE);
      return this.forward(vectors, values, adjacency, nodeMask, eigMask, kwargs.training ?? false);
    });
  }

  private forward(
    vectors: Tf.Tensor,
    values: Tf.Tensor,
    adjacency: Tf.Tensor,
    nodeMask: Tf.Tensor,
    eigMask: Tf.Tensor,
    training: boolean,
  ): Tf.Tensor {
    const [, N, K] = vectors.shape as [number, number, number];
    const H = this.hidden;
    // Both signs in one pass: [B, N, 2K, 1], columns 0..K−1 are v, K..2K−1 are −v.
    let h: Tf.Tensor = tf.concat([vectors, tf.neg(vectors)], 2).expandDims(3);
    const eig2 = tf.concat([eigMask, eigMask], 1);
    const mask = tf.mul(nodeMask.expandDims(2), eig2.expandDims(1)); // [B, N, 2K]
    const mask4 = mask.expandDims(3);
    const B = vectors.shape[0] as number;
    const pk = preferSparseAggregation()
      ? packChannelRows(adjacencyCsr(adjacency), mask.dataSync(), 2 * K)
      : null;
    if (pk && pk.rows.length > 0) {
      // cpu/wasm: φ on the M real rows (real node × real column of either sign; padded rows are 0) of
      // [B·N·2K, width]. The aggregation is a JS loop over the adjacency's CSR restricted to them
      // (O(E·2K·H), no gradient to the constant adjacency) instead of the [B, N, N] batched matmul
      // (~1 GFLOP/s on wasm); dense layers and batch norm are 2-D ops whose row sums are mat-vecs.
      const R = B * N * 2 * K;
      const M = pk.rows.length;
      const ones = tf.ones([M, 1]) as Tf.Tensor2D;
      let r = gatherRowsHost(h.dataSync(), pk.rows, 1);
      for (let l = 0; l < this.gin.length; l++) {
        const p = this.gin[l] as GinParams;
        const agg = csrMatMul(r, pk.csr);
        const z = tf.add(tf.mul(r, tf.add(1, p.eps.read())), agg) as Tf.Tensor2D;
        let y = mlpRows(z, p.mlp, training);
        if (p.bn) y = maskedBatchNormRows(y, ones, p.bn, training, true);
        r = l === 0 ? y : (tf.add(r, y) as Tf.Tensor2D);
      }
      h = scatterRows(r, pk.rows, R).reshape([-1, N, 2 * K, H]);
    } else {
      for (let l = 0; l < this.gin.length; l++) {
        const p = this.gin[l] as GinParams;
        const agg = neighbourSum(adjacency, h);
        const z = tf.add(tf.mul(h, tf.add(1, p.eps.read())), agg);
        let y = applyMlp(z, p.mlp, null, training);
        if (p.bn) y = tf.relu(applyBatchNorm(y, p.bn, mask, training));
        y = tf.mul(y, mask4);
        h = l === 0 ? y : tf.add(h, y);
      }
    }
    // φ(v) + φ(−v): [B, N, K, H]; padded columns are already 0.
    let cols: Tf.Tensor = tf.add(h.slice([0, 0, 0, 0], [-1, N, K, H]), h.slice([0, 0, K, 0], [-1, N, K, H]));
    const colMask = tf.mul(nodeMask.expandDims(2), eigMask.expandDims(1)).expandDims(3); // [B, N, K, 1]
    if (this.useEigenvalues) {
      const lam = tf.mul(
        tf.broadcastTo(values.expandDims(1).expandDims(3), [cols.shape[0] as number, N, K, 1]),
        colMask,
      );
      cols = tf.concat([cols, lam], 3);
    }
    let pooled: Tf.Tensor;
    if (this.rho === 'deepsets') {
      if (this.lambdaIn) cols = tf.mul(tf.relu(applyDense(cols, this.lambdaIn)), colMask);
      pooled = cols.sum(2); // masked sum over k: [B, N, H]
    } else {
      pooled = cols.reshape([-1, N, K * (cols.shape[3] as number)]);
    }
    const out = applyMlp(pooled, this.rhoMlp, nodeMask, training);
    return tf.mul(out, nodeMask.expandDims(2));
  }

  override getConfig(): Tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      phiLayers: this.phiLayers,
      hidden: this.hidden,
      outDim: this.outDim,
      rho: this.rho,
      useEigenvalues: this.useEigenvalues,
    };
  }
}
tf.serialization.registerClass(SignNetEncoder);

/** The list of input shapes of a multi-input layer, checked for its length. */
export function inputShapes(inputShape: Tf.Shape | Tf.Shape[], count: number, where: string): Tf.Shape[] {
  const list = Array.isArray(inputShape[0]) ? (inputShape as Tf.Shape[]) : [inputShape as Tf.Shape];
  checkOption(list.length === count, where, `expects ${count} inputs`, list.length);
  return list;
}

/** The input tensors of a multi-input layer, checked for their number. */
export function inputTensors(inputs: Tf.Tensor | Tf.Tensor[], count: number, where: string): Tf.Tensor[] {
  const list = Array.isArray(inputs) ? inputs : [inputs];
  checkOption(list.length === count, where, `expects ${count} inputs`, list.length);
  return list;
}
