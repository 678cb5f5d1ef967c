/**
 * GINE with positional-encoding re-injection, on dense padded batches (one tfjs layer owning every weight,
 * so `model.save` / `loadLayersModel` round-trip it).
 *
 * GINE: Hu et al., "Strategies for Pre-training Graph Neural Networks" (ICLR 2020), on GIN (Xu et al.
 * 2019). The base model follows SPE's ZINC code (Huang et al., ICLR 2024; Graph-COM/SPE `src/gine.py`,
 * `src/model.py`; docs/encodings.md, "GINE + PE base model"):
 *   x⁰ = AtomEmb(atoms) + Lin(PE)
 *   per layer ℓ: h = xˡ + MLP_ℓ(PE);  S_i = Σ_j A_ij ReLU(h_j + BondEmb_ℓ(e_ij));
 *                xˡ⁺¹ = xˡ + MLP_ℓ((1 + ε_ℓ) h_i + S_i)          (residual; ε_ℓ ~ N(0, 1) at init)
 *   y = MLP_head(pool(x)),  pool = masked mean or sum over real nodes.
 * MLPs are Linear → BatchNorm (masked: padding never enters the statistics) → ReLU, plain Linear last.
 * The message sum over edge types is one batched matmul: [B, N, T·N] @ [B, T·N, H] (see batch.ts).
 *
 * Inputs: [nodeFeatures [B,N,ΣV], edgeAdjacency [B,N,T·N], nodeMask [B,N], pe? [B,N,P]] → [B, outDim].
 */
import {
  applyBatchNorm,
  applyDense,
  applyMlp,
  type BatchNormParams,
  batchNormReluRows,
  type DenseParams,
  denseRows,
  type MlpParams,
  maskedMean,
  maskedSum,
  mlpRows,
  ParamLayer,
  type ParamLayerArgs,
  tf,
} from '@graphpe/encodings/learned';
import { GraphpeError } from '@graphpe/spectral';
import {
  attachedPacked,
  gatherRowsJs,
  gineMessageJs,
  type PackedGraphs,
  packGraphs,
  poolRowsJs,
} from './packed.js';

export type Pooling = 'mean' | 'sum';

/**
 * How {@link GineNet} lays out a batch: `dense` — padded [B, N, H] tensors and the typed-adjacency batched
 * matmul (fast on native/GPU backends); `packed` — the real nodes only as [M, H] rows, 2-D matmul MLPs,
 * ones-row reductions and the message op as JS loops over the edge list (packed.ts; cpu and wasm only);
 * `auto` — packed on `cpu`/`wasm`, dense elsewhere. Both compute the same function. The default is `auto`,
 * or the environment variable `GRAPHPE_GINE_LAYOUT` (to time both layouts with unchanged scripts).
 */
export type GineLayout = 'auto' | 'dense' | 'packed';

/** The default layout: `GRAPHPE_GINE_LAYOUT` (auto | dense | packed) when set, else `auto`. */
function defaultLayout(): GineLayout {
  const v = typeof process === 'undefined' ? undefined : process.env?.GRAPHPE_GINE_LAYOUT;
  return v === 'dense' || v === 'packed' ? v : 'auto';
}

let gineLayout: GineLayout = defaultLayout();

/** Sets the {@link GineLayout} used by every GineNet (default `auto`); returns the previous one. */
export function setGineLayout(layout: GineLayout): GineLayout {
  if (layout !== 'auto' && layout !== 'dense' && layout !== 'packed') {
    throw new GraphpeError('E_OPTION', `gnn.setGineLayout: unknown layout ${String(layout)}`);
  }
  const prev = gineLayout;
  gineLayout = layout;
  return prev;
}

/** The layout GineNet uses on the current backend. */
export function gineLayoutNow(): 'dense' | 'packed' {
  if (gineLayout !== 'auto') return gineLayout;
  const b = tf.getBackend();
  return b === 'cpu' || b === 'wasm' ? 'packed' : 'dense';
}

/** How a PE input is normalised before it enters the network. */
export type PeNorm = 'none' | 'batchnorm';

export interface GineNetArgs extends ParamLayerArgs {
  /** Hidden width [128]. */
  hidden?: number;
  /** Message-passing layers [4]. */
  layers?: number;
  /** Residual connections [true]. */
  residual?: boolean;
  /** Graph pooling ['mean']. */
  pooling?: Pooling;
  /** Linear layers per MLP (update MLPs, PE MLPs, head) [3]. */
  mlpLayers?: number;
  /** BatchNorm inside the MLPs [true]. */
  batchNorm?: boolean;
  /** Outputs (targets / tasks) [1]. */
  outDim?: number;
  /** Edge types: T rows of the bond multi-hot (ΣVb wide). */
  edgeTypeMultiHot: number[][];
  /** Normalisation of the PE input ['none']; `batchnorm` for RWSE (GraphGPS's `raw_norm_type: BatchNorm`). */
  peNorm?: PeNorm;
  /** Re-inject the PE in every layer [true]. */
  peReinject?: boolean;
}

interface LayerParams {
  bond: DenseParams;
  eps: tf.LayerVariable;
  mlp: MlpParams;
  pe: MlpParams | null;
}

/**
 * A·X for a constant (input) adjacency A [B, N, M] and X [B, M, H]: no gradient is formed for A, and the
 * gradient for X is Aᵀ·dY with an explicit transpose (the wasm backend runs matmuls with transpose flags,
 * which tf.matMul's own gradient uses, in a slow generic loop).
 */
const adjacencyMatMul = tf.customGrad((a, x, save) => {
  (save as (ts: tf.Tensor[]) => void)([a as tf.Tensor]);
  return {
    value: tf.matMul(a as tf.Tensor3D, x as tf.Tensor3D),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const adj = saved[0] as tf.Tensor3D;
      return [tf.zerosLike(adj), tf.matMul(tf.transpose(adj, [0, 2, 1]) as tf.Tensor3D, dy as tf.Tensor3D)];
    },
  };
}) as (a: tf.Tensor3D, x: tf.Tensor3D) => tf.Tensor3D;

/** GINE backbone + pooling + head as one layer (class name `GraphpeGineNet`). */
export class GineNet extends ParamLayer {
  static className = 'GraphpeGineNet';
  readonly hidden: number;
  readonly numLayers: number;
  readonly residual: boolean;
  readonly pooling: Pooling;
  readonly mlpLayers: number;
  readonly batchNorm: boolean;
  readonly outDim: number;
  readonly edgeTypeMultiHot: number[][];
  readonly peNorm: PeNorm;
  readonly peReinject: boolean;

  private atomEmb!: DenseParams;
  private edgeTable!: tf.LayerVariable;
  private peBn: BatchNormParams | null = null;
  private peIn: DenseParams | null = null;
  private blocks: LayerParams[] = [];
  private head!: MlpParams;

  constructor(args: GineNetArgs) {
    super(args);
    this.hidden = args.hidden ?? 128;
    this.numLayers = args.layers ?? 4;
    this.residual = args.residual ?? true;
    this.pooling = args.pooling ?? 'mean';
    this.mlpLayers = args.mlpLayers ?? 3;
    this.batchNorm = args.batchNorm ?? true;
    this.outDim = args.outDim ?? 1;
    this.edgeTypeMultiHot = args.edgeTypeMultiHot.map((r) => [...r]);
    this.peNorm = args.peNorm ?? 'none';
    this.peReinject = args.peReinject ?? true;
    const where = 'gnn.GineNet';
    if (!(Number.isInteger(this.hidden) && this.hidden >= 1)) {
      throw new GraphpeError('E_OPTION', `${where}: hidden must be a positive integer (got ${this.hidden})`);
    }
    if (!(Number.isInteger(this.numLayers) && this.numLayers >= 1)) {
      throw new GraphpeError(
        'E_OPTION',
        `${where}: layers must be a positive integer (got ${this.numLayers})`,
      );
    }
    if (!(Number.isInteger(this.mlpLayers) && this.mlpLayers >= 1)) {
      throw new GraphpeError(
        'E_OPTION',
        `${where}: mlpLayers must be a positive integer (got ${this.mlpLayers})`,
      );
    }
    if (this.pooling !== 'mean' && this.pooling !== 'sum') {
      throw new GraphpeError(
        'E_OPTION',
        `${where}: pooling must be mean or sum (got ${String(this.pooling)})`,
      );
    }
    if (this.edgeTypeMultiHot.length === 0) throw new GraphpeError('E_OPTION', `${where}: no edge types`);
  }

  private mlpDims(inDim: number, outDim: number): number[] {
    const dims = [inDim];
    for (let l = 1; l < this.mlpLayers; l++) dims.push(this.hidden);
    dims.push(outDim);
    return dims;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shapes = inputShape as tf.Shape[];
    const nodeDim = shapes[0]?.[2] as number;
    const peDim = shapes.length > 3 ? (shapes[3]?.[2] as number) : 0;
    const H = this.hidden;
    const T = this.edgeTypeMultiHot.length;
    const bondDim = (this.edgeTypeMultiHot[0] as number[]).length;
    this.atomEmb = this.addDense('atom_emb', nodeDim, H, false);
    this.edgeTable = this.addWeight(
      'edge_types',
      [T, bondDim],
      'float32',
      tf.initializers.zeros(),
      undefined,
      false,
    );
    const table = tf.tensor2d(this.edgeTypeMultiHot, [T, bondDim], 'float32');
    this.edgeTable.write(table);
    table.dispose();
    if (peDim > 0) {
      if (this.peNorm === 'batchnorm') this.peBn = this.addBatchNorm('pe_bn', peDim);
      this.peIn = this.addDense('pe_in', peDim, H);
    }
    const mlp = { batchNorm: this.batchNorm };
    this.blocks = [];
    for (let l = 0; l < this.numLayers; l++) {
      this.blocks.push({
        bond: this.addDense(`gine${l}/bond_emb`, bondDim, H, false),
        eps: this.addParam(`gine${l}/eps`, [1], 'normal'),
        mlp: this.addMlp(`gine${l}/mlp`, { dims: this.mlpDims(H, H), ...mlp }),
        pe:
          peDim > 0 && this.peReinject
            ? this.addMlp(`gine${l}/pe_mlp`, { dims: this.mlpDims(peDim, H), ...mlp })
            : null,
      });
    }
    this.head = this.addMlp('head', { dims: this.mlpDims(H, this.outDim), ...mlp });
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shapes = inputShape as tf.Shape[];
    return [shapes[0]?.[0] ?? null, this.outDim];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    if (gineLayoutNow() === 'packed')
      return this.callPacked(inputs as tf.Tensor[], kwargs?.training === true);
    return tf.tidy(() => {
      const list = inputs as tf.Tensor[];
      const training = kwargs?.training === true;
      const nodes = list[0] as tf.Tensor3D;
      const edges = list[1] as tf.Tensor3D;
      const mask = list[2] as tf.Tensor2D;
      const rawPe = list.length > 3 ? (list[3] as tf.Tensor3D) : null;
      const [B, N] = nodes.shape;
      const H = this.hidden;
      const T = this.edgeTypeMultiHot.length;
      const mask3 = mask.reshape([B, N, 1]);
      let pe: tf.Tensor | null = null;
      if (rawPe) pe = this.peBn ? applyBatchNorm(rawPe, this.peBn, mask, training) : rawPe;
      let x = applyDense(nodes, this.atomEmb);
      if (pe && this.peIn) x = tf.add(x, applyDense(pe, this.peIn));
      x = tf.mul(x, mask3);
      const table = this.edgeTable.read();
      for (const blk of this.blocks) {
        const h = pe && blk.pe ? tf.add(x, applyMlp(pe, blk.pe, mask, training)) : x;
        const e = applyDense(table, blk.bond).reshape([1, T, 1, H]); // E_t
        const msgIn = tf.relu(tf.add(h.reshape([B, 1, N, H]), e)).reshape([B, T * N, H]) as tf.Tensor3D;
        const s = adjacencyMatMul(edges, msgIn); // [B, N, H]
        const z = tf.add(tf.mul(h, tf.add(blk.eps.read(), 1)), s);
        const out = applyMlp(z, blk.mlp, mask, training);
        x = tf.mul(this.residual ? tf.add(x, out) : out, mask3);
      }
      const pooled = this.pooling === 'mean' ? maskedMean(x, mask3, 1) : maskedSum(x, mask3, 1);
      return applyMlp(pooled, this.head, null, training);
    });
  }

  /** {@link call} in the packed layout (see {@link GineLayout}). */
  private callPacked(list: tf.Tensor[], training: boolean): tf.Tensor {
    return tf.tidy(() => {
      const nodes = list[0] as tf.Tensor3D;
      const edges = list[1] as tf.Tensor3D;
      const mask = list[2] as tf.Tensor2D;
      const rawPe = list.length > 3 ? (list[3] as tf.Tensor3D) : null;
      const [B, N, D] = nodes.shape;
      const T = this.edgeTypeMultiHot.length;
      const g: PackedGraphs = attachedPacked(edges) ?? packGraphs(edges.dataSync(), mask.dataSync(), B, N, T);
      const kernel = (p: DenseParams) => p.kernel.read() as tf.Tensor2D;
      const bias = (p: DenseParams) => (p.bias ? (p.bias.read() as tf.Tensor1D) : null);
      let pe: tf.Tensor2D | null = null;
      if (rawPe) {
        const P = rawPe.shape[2];
        pe = gatherRowsJs(rawPe.reshape([B * N, P]) as tf.Tensor2D, g.rowOf);
        if (this.peBn) pe = batchNormReluRows(pe, this.peBn, training, false);
      }
      const atoms = gatherRowsJs(nodes.reshape([B * N, D]) as tf.Tensor2D, g.rowOf);
      // Atom features are data: no [rows, D] input-gradient matmul in the backward pass.
      let x = denseRows(atoms, kernel(this.atomEmb), bias(this.atomEmb), false, true);
      if (pe && this.peIn) x = tf.add(x, denseRows(pe, kernel(this.peIn), bias(this.peIn)));
      const table = this.edgeTable.read() as tf.Tensor2D;
      for (const blk of this.blocks) {
        const h = pe && blk.pe ? tf.add(x, mlpRows(pe, blk.pe, training)) : x;
        const e = denseRows(table, kernel(blk.bond), bias(blk.bond)); // E_t, [T, H]
        const z = gineMessageJs(h as tf.Tensor2D, e, blk.eps.read(), g);
        const out = mlpRows(z, blk.mlp, training);
        x = this.residual ? tf.add(x, out) : out;
      }
      const pooled = poolRowsJs(x, g, this.pooling === 'mean');
      return mlpRows(pooled, this.head, training);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      hidden: this.hidden,
      layers: this.numLayers,
      residual: this.residual,
      pooling: this.pooling,
      mlpLayers: this.mlpLayers,
      batchNorm: this.batchNorm,
      outDim: this.outDim,
      edgeTypeMultiHot: this.edgeTypeMultiHot,
      peNorm: this.peNorm,
      peReinject: this.peReinject,
    };
  }
}

tf.serialization.registerClass(GineNet);
