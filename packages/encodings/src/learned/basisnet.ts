/**
 * A BasisNet-style basis-invariant encoder on eigenspace projectors ("BasisNet-lite").
 *
 * Reference: BasisNet in Lim, Robinson, Zhao, Smidt, Sra, Maron, Jegelka, "Sign and Basis Invariant
 * Networks for Spectral Graph Representation Learning" (ICLR 2023, arXiv 2202.13013), §3:
 *   BasisNet(V) = ρ([φ_{d_g}(P_g)]_g),  P_g = V_g V_gᵀ (the orthogonal projector on eigenspace g),
 * with one IGN-2 φ_d per multiplicity d and eigenvalues grouped after rounding (the paper rounds to
 * 5 decimals). No ZINC code was released for it (docs/encodings.md, "Learned encoders").
 *
 * What this layer computes — exactly, per graph:
 * 1. Groups: eigenpairs k, k' are in one group when both are real (eigMask) and
 *    |λ_k − λ_k'| ≤ groupTol·max(1, |λ_k|, |λ_k'|) (docs/encodings.md, "Laplacian conventions"; default 1e-6).
 *    They are computed INSIDE the layer from `values` and `eigMask` (no extra input), so a group is
 *    the set of equal eigenvalues among the K columns the layer sees: a truncation that splits an
 *    eigenspace gives a projector on part of it, which is not basis-invariant (the spectrum reports
 *    such a group as `partial`; use K ≥ n). Each group is represented once, by its first column.
 * 2. Per group g, node features from first-order IGN-2 contractions of P_g and invariants:
 *    [ (P_g)_ii, (P_g 1)_i, 1ᵀP_g 1, λ_g, onehot(min(d_g, maxMultiplicity)) ] — diagonal, row sum,
 *    total sum (three of the five 2→1 linear IGN basis maps; the column sum equals the row sum and
 *    the trace equals d_g, which the one-hot carries), the eigenvalue (optional) and the multiplicity.
 * 3. Per group, `layers` GIN layers with P_g as the weighted adjacency:
 *    h_i ← MLP((1+ε) h_i + Σ_j (P_g)_ij h_j), trainable ε (init N(0,1)), MLP 2 Linear with masked
 *    BatchNorm + ReLU in between, ReLU after each layer but the last. Weights are SHARED across
 *    groups; the multiplicity one-hot in the input plays the role of the paper's per-multiplicity φ_d.
 * 4. ρ: masked sum over groups → [B, N, hidden], then an MLP (hidden → hidden → outDim, masked
 *    BatchNorm + ReLU); zero on padded nodes.
 *
 * How it differs from the paper's IGN-2 per multiplicity: (a) no 2→2 equivariant layers, so no hidden
 * n×n channels — P_g enters through the three 2→1 contractions above and as a (multiplicative)
 * message-passing operator on node features, which a linear IGN layer cannot express but which
 * cannot mix entries of P_g in every way an IGN-2 stack can; (b) one network shared across
 * multiplicities, conditioned on a multiplicity one-hot, instead of one network per multiplicity;
 * (c) eigenvalues may be fed as an invariant feature. It is exactly invariant to sign flips and to
 * any O(d) change of basis inside each complete eigenspace (everything is a function of the P_g and
 * λ), and permutation-equivariant; it does not see the graph adjacency (the input is accepted for a
 * uniform five-input interface and ignored).
 *
 * Cost: O(B·N·K²·hidden) per layer (the projector messages are two batched matmuls through V, never
 * forming the K projectors), memory ~B·N·K·hidden floats per layer. In training each per-projector
 * layer is recomputed in the backward pass (`recompute`, default true) and BatchNorm + ReLU is one
 * taped op, as in the SPE encoder, so activation memory stays ~1 such tensor per layer.
 */
import { GraphpeError } from '@graphpe/spectral';
import type * as Tf from '@tensorflow/tfjs';
import {
  type BatchNormParams,
  type DenseParams,
  type MlpParams,
  ParamLayer,
  type ParamLayerArgs,
} from './nn/param-layer.js';
import { bnReluRaw, dense2d, eigInputs, leanMlp, nodeOutputShape, positiveInt, recomputed } from './spe.js';
import { tf } from './tf.js';

/** Configuration of {@link BasisNetEncoder} (all serialised by `getConfig`). */
export interface BasisNetEncoderArgs extends ParamLayerArgs {
  /** GIN layers per projector (default 3). */
  layers?: number;
  /** Hidden width (default 64). */
  hidden?: number;
  /** Output channels (default 37). */
  outDim?: number;
  /** Multiplicities ≥ this share the last one-hot slot (default 8). */
  maxMultiplicity?: number;
  /** Relative tolerance for equal eigenvalues (default 1e-6). */
  groupTol?: number;
  /** Feed each group's eigenvalue as a feature (default true). */
  useEigenvalues?: boolean;
  /** Training only: recompute each per-projector layer in the backward pass (default true; see SPE). */
  recompute?: boolean;
}

/** BasisNet-style encoder (see the module comment for exactly what it computes). */
export class BasisNetEncoder extends ParamLayer {
  static className = 'GraphpeBasisNet';

  /** GIN layers per projector (config key `layers`). */
  readonly numLayers: number;
  readonly hidden: number;
  readonly outDim: number;
  readonly maxMultiplicity: number;
  readonly groupTol: number;
  readonly useEigenvalues: boolean;
  readonly recompute: boolean;

  private ginMlp: MlpParams[] = [];
  private ginEps: Tf.LayerVariable[] = [];
  private rhoMlp: MlpParams | null = null;

  constructor(args: BasisNetEncoderArgs = {}) {
    super(args);
    const where = 'BasisNetEncoder';
    this.numLayers = positiveInt(where, 'layers', args.layers ?? 3);
    this.hidden = positiveInt(where, 'hidden', args.hidden ?? 64);
    this.outDim = positiveInt(where, 'outDim', args.outDim ?? 37);
    this.maxMultiplicity = positiveInt(where, 'maxMultiplicity', args.maxMultiplicity ?? 8);
    this.groupTol = args.groupTol ?? 1e-6;
    if (!(this.groupTol >= 0) || !Number.isFinite(this.groupTol)) {
      throw new GraphpeError(
        'E_OPTION',
        `${where}: groupTol must be a finite number ≥ 0, got ${this.groupTol}`,
        {
          groupTol: this.groupTol,
        },
      );
    }
    this.useEigenvalues = args.useEigenvalues ?? true;
    this.recompute = args.recompute ?? true;
  }

  /** Input feature width per (node, group). */
  get inputDim(): number {
    return 3 + (this.useEigenvalues ? 1 : 0) + this.maxMultiplicity;
  }

  override build(_inputShape: Tf.Shape | Tf.Shape[]): void {
    const H = this.hidden;
    for (let l = 0; l < this.numLayers; l++) {
      this.ginEps.push(this.addParam(`gin${l}/eps`, [1], 'normal'));
      this.ginMlp.push(
        this.addMlp(`gin${l}/mlp`, { dims: [l === 0 ? this.inputDim : H, H, H], batchNorm: true }),
      );
    }
    this.rhoMlp = this.addMlp('rho/mlp', { dims: [H, H, this.outDim], batchNorm: true });
    this.built = true;
  }

  override computeOutputShape(inputShape: Tf.Shape | Tf.Shape[]): Tf.Shape {
    return nodeOutputShape(inputShape, this.outDim);
  }

  override call(inputs: Tf.Tensor | Tf.Tensor[], kwargs: Tf.serialization.ConfigDict = {}): Tf.Tensor {
    return tf.tidy(() => {
      const [V, lam, , nm, em] = eigInputs('BasisNetEncoder', inputs);
      const training = kwargs.training === true;
      const N = V.shape[1];
      const K = V.shape[2];
      const H = this.hidden;
      const D = this.maxMultiplicity;
      // Same-group matrix G [B, K, K] (symmetric, 0 on padded eigenpairs) — constant w.r.t. weights.
      const lamR = lam.reshape([-1, K, 1]);
      const lamC = lam.reshape([-1, 1, K]);
      const scale = tf.maximum(tf.maximum(tf.abs(lamR), tf.abs(lamC)), 1);
      const close = tf.lessEqual(tf.abs(tf.sub(lamR, lamC)), tf.mul(scale, this.groupTol));
      const emm = tf.mul(em.reshape([-1, K, 1]), em.reshape([-1, 1, K]));
      const G = tf.mul(tf.cast(close, 'float32'), emm) as Tf.Tensor3D;
      const mult = G.sum(2); // d_k [B, K]
      // representative = first column of its group: no earlier k' in the same group
      const strictLower = tf.sub(tf.linalg.bandPart(tf.ones([K, K]), -1, 0), tf.eye(K));
      const earlier = tf.mul(G, strictLower).sum(2);
      const rep = tf.mul(tf.cast(tf.equal(earlier, 0), 'float32'), em); // [B, K]

      // First-order contractions of each projector P_k = V diag(G[k, :]) Vᵀ.
      const colSum = V.sum(1); // s_k' = Σ_i V_ik'  [B, K]
      const diag = tf.matMul(tf.square(V), G); // (P_k)_ii  [B, N, K]
      const rowSum = tf.matMul(tf.mul(V, colSum.reshape([-1, 1, K])), G); // (P_k 1)_i
      const total = tf.matMul(tf.square(colSum).reshape([-1, 1, K]), G); // 1ᵀP_k1  [B, 1, K]
      const ones = tf.ones([1, N, 1]);
      const feats: Tf.Tensor[] = [
        diag.reshape([-1, N, K, 1]),
        rowSum.reshape([-1, N, K, 1]),
        tf.mul(total.reshape([-1, 1, K, 1]), ones.reshape([1, N, 1, 1])),
      ];
      if (this.useEigenvalues) feats.push(tf.mul(lam.reshape([-1, 1, K, 1]), ones.reshape([1, N, 1, 1])));
      const slots = tf.range(1, D + 1, 1, 'float32').reshape([1, 1, D]);
      const onehot = tf.cast(tf.equal(tf.minimum(mult, D).reshape([-1, K, 1]), slots), 'float32');
      feats.push(tf.mul(onehot.reshape([-1, 1, K, D]), ones.reshape([1, N, 1, 1])));
      let h: Tf.Tensor = tf.concat(feats, 3); // [B, N, K, c0]
      let c = this.inputDim;

      const rowMask = tf.mul(nm.reshape([-1, N, 1]), rep.reshape([-1, 1, K])).reshape([-1, 1]) as Tf.Tensor2D;
      const G4 = G.reshape([-1, K, K, 1]);
      const Vt = V.transpose([0, 2, 1]) as Tf.Tensor3D; // explicit: wasm's matMul is slow with transpose flags
      for (let l = 0; l < this.numLayers; l++) {
        const eps = this.ginEps[l] as Tf.LayerVariable;
        const mlp = this.ginMlp[l] as MlpParams;
        const last = l === this.numLayers - 1;
        const cin = c;
        // Σ_j (P_k)_ij h_jk = Σ_k' V_ik' G_k'k Σ_j V_jk' h_jk: two batched matmuls through V.
        const aggregate = (hh: Tf.Tensor, e: Tf.Tensor, vt: Tf.Tensor3D, v: Tf.Tensor3D, g4: Tf.Tensor) => {
          const h3 = hh.reshape([-1, N, K * cin]) as Tf.Tensor3D;
          const T = tf.matMul(vt, h3); // [B, K', K·c]
          const TG = tf.mul(T.reshape([-1, K, K, cin]), g4).reshape([-1, K, K * cin]) as Tf.Tensor3D;
          return tf.add(tf.mul(h3, tf.add(e, 1)), tf.matMul(v, TG)).reshape([-1, cin]) as Tf.Tensor2D;
        };
        if (training && this.recompute) {
          const [d0, d1] = mlp.layers as [DenseParams, DenseParams];
          const n0 = mlp.norms[0] as BatchNormParams;
          const w = [eps, d0.kernel, n0.gamma, n0.beta, d1.kernel, d1.bias].map((v) =>
            (v as Tf.LayerVariable).read(),
          );
          h = recomputed(
            (xs, [vt, v, g4, mask], update) => {
              const [hh, e, k0, g0, b0, k1, b1] = xs as Tf.Tensor[];
              const x = aggregate(
                hh as Tf.Tensor,
                e as Tf.Tensor,
                vt as Tf.Tensor3D,
                v as Tf.Tensor3D,
                g4 as Tf.Tensor,
              );
              const y0 = bnReluRaw(
                dense2d(x, k0 as Tf.Tensor2D),
                g0 as Tf.Tensor1D,
                b0 as Tf.Tensor1D,
                mask as Tf.Tensor2D,
                n0,
                update,
              );
              return dense2d(y0, k1 as Tf.Tensor2D, b1 as Tf.Tensor, !last).reshape([-1, N, K, H]);
            },
            [h, ...w],
            [Vt, V, G4, rowMask],
          );
        } else {
          const x = aggregate(h, eps.read(), Vt, V, G4);
          let y = leanMlp(x, mlp, rowMask, training);
          if (!last) y = tf.relu(y);
          h = y.reshape([-1, N, K, H]);
        }
        c = H;
      }
      // ρ: sum over group representatives (batched matmul [B·N, 1, K] @ [B·N, K, H]), then an MLP.
      const repRows = tf.broadcastTo(rep.reshape([-1, 1, 1, K]), [rep.shape[0], N, 1, K]).reshape([-1, 1, K]);
      const pooled = tf.matMul(repRows as Tf.Tensor3D, h.reshape([-1, K, H]) as Tf.Tensor3D).reshape([-1, H]);
      const out = leanMlp(
        pooled as Tf.Tensor2D,
        this.rhoMlp as MlpParams,
        nm.reshape([-1, 1]) as Tf.Tensor2D,
        training,
      );
      return tf.mul(out.reshape([-1, N, this.outDim]), nm.reshape([-1, N, 1]));
    });
  }

  override getConfig(): Tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      layers: this.numLayers,
      hidden: this.hidden,
      outDim: this.outDim,
      maxMultiplicity: this.maxMultiplicity,
      groupTol: this.groupTol,
      useEigenvalues: this.useEigenvalues,
      recompute: this.recompute,
    };
  }
}

tf.serialization.registerClass(BasisNetEncoder);
