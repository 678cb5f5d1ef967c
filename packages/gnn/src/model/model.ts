/**
 * `GraphModel`: the GINE + PE network as a tfjs `LayersModel` (so `model.save`/`loadLayersModel` work) with
 * the graphpe config that collates its batches, predicts, and saves to / loads from a directory.
 *
 * Model inputs, in order: nodeFeatures [B,N,ΣV], edgeAdjacency [B,N,T·N], nodeMask [B,N], then
 * pe [B,N,P] for `lap`/`rwse`, or eigVectors [B,N,K], eigValues [B,K], adjacency [B,N,N], eigMask [B,K]
 * for a learned PE. The node axis is left open (null), so a checkpoint runs on any padding size.
 */
import { tf } from '@graphpe/encodings/learned';
import { GraphpeError } from '@graphpe/spectral';
import type { CollateSpec, EdgeTypeSpec, MolBatch, MolTensors } from './batch.js';
import { disposeMolTensors, edgeTypeTable, molTensors } from './batch.js';
import { GineNet, type Pooling } from './gine.js';
import { loadModelFromDir, saveModelToDir } from './io.js';
import { isLearnedPe, type PeChoice, type PeInputName, peEncoderEntry } from './pe.js';

export type TaskKind = 'regression' | 'binary' | 'multitask';

/** Everything needed to rebuild a model (stored in its checkpoint). */
export interface GraphModelConfig {
  /** PE choice ['none']. */
  pe?: PeChoice;
  /** Vocabulary size of each atom feature column (ZINC: [28]; OGB: the 9 sizes of `OGB_ATOM_DIMS` in data/ogb-featurizer.ts). */
  atomVocab: readonly number[];
  /** Edge types (from `buildEdgeTypes` on the training split). */
  edgeTypes: EdgeTypeSpec;
  /** Padding size of the batches this model is trained on. */
  maxNodes: number;
  /** Outputs / tasks [1]. */
  numTargets?: number;
  /** Task kind ['regression']: decides the default loss and metric. */
  task?: TaskKind;
  /** Fixed PE width (LapPE k, RWSE steps); required for `lap`/`rwse`. */
  peDim?: number;
  /** Eigenpairs per graph for a learned PE; required for learned choices. */
  eigK?: number;
  /** Options passed to the learned encoder's factory. */
  peOptions?: Record<string, unknown>;
  /** Hidden width [128]. */
  hidden?: number;
  /** GINE layers [4]. */
  layers?: number;
  /** Residual connections [true]. */
  residual?: boolean;
  /** Pooling ['mean']. */
  pooling?: Pooling;
  /** Linear layers per MLP [3]. */
  mlpLayers?: number;
  /** BatchNorm in the MLPs [true]. */
  batchNorm?: boolean;
  /** Initialiser seed [0]. */
  seed?: number;
}

/** A config with every default filled in. */
export type ResolvedModelConfig = Required<Omit<GraphModelConfig, 'peDim' | 'eigK' | 'peOptions'>> & {
  peDim: number;
  eigK: number;
  peOptions: Record<string, unknown>;
};

const WHERE = 'gnn.GraphModel';

/** Fills defaults and validates. */
export function resolveModelConfig(c: GraphModelConfig): ResolvedModelConfig {
  const pe = c.pe ?? 'none';
  const learned = isLearnedPe(pe);
  const r: ResolvedModelConfig = {
    pe,
    atomVocab: [...c.atomVocab],
    edgeTypes: {
      bondVocab: [...c.edgeTypes.bondVocab],
      combos: c.edgeTypes.combos.map((x) => [...x]),
    },
    maxNodes: c.maxNodes,
    numTargets: c.numTargets ?? 1,
    task: ((c.task as string) === 'multitask-binary' ? 'multitask' : c.task) ?? 'regression',
    peDim: pe === 'lap' || pe === 'rwse' ? (c.peDim ?? 0) : 0,
    eigK: learned ? (c.eigK ?? 0) : 0,
    peOptions: { ...(c.peOptions ?? {}) },
    hidden: c.hidden ?? 128,
    layers: c.layers ?? 4,
    residual: c.residual ?? true,
    pooling: c.pooling ?? 'mean',
    mlpLayers: c.mlpLayers ?? 3,
    batchNorm: c.batchNorm ?? true,
    seed: c.seed ?? 0,
  };
  if (r.atomVocab.length === 0 || r.atomVocab.some((v) => !(Number.isInteger(v) && v >= 1))) {
    throw new GraphpeError('E_OPTION', `${WHERE}: atomVocab must be positive integers`, {
      value: r.atomVocab,
    });
  }
  if (!(Number.isInteger(r.maxNodes) && r.maxNodes >= 1)) {
    throw new GraphpeError('E_OPTION', `${WHERE}: maxNodes must be a positive integer (got ${r.maxNodes})`);
  }
  if (!(Number.isInteger(r.numTargets) && r.numTargets >= 1)) {
    throw new GraphpeError(
      'E_OPTION',
      `${WHERE}: numTargets must be a positive integer (got ${r.numTargets})`,
    );
  }
  if (!['regression', 'binary', 'multitask'].includes(r.task)) {
    throw new GraphpeError(
      'E_OPTION',
      `${WHERE}: task must be regression, binary or multitask (got ${r.task})`,
    );
  }
  if (r.task === 'binary' && r.numTargets !== 1) {
    throw new GraphpeError(
      'E_OPTION',
      `${WHERE}: task 'binary' has one target (got ${r.numTargets}); use 'multitask'`,
    );
  }
  if ((pe === 'lap' || pe === 'rwse') && !(Number.isInteger(r.peDim) && r.peDim >= 1)) {
    throw new GraphpeError('E_OPTION', `${WHERE}: pe '${pe}' needs peDim ≥ 1 (LapPE k or RWSE steps)`, {
      value: c.peDim,
    });
  }
  if (learned) {
    peEncoderEntry(pe); // throws when not registered
    if (!(Number.isInteger(r.eigK) && r.eigK >= 1)) {
      throw new GraphpeError('E_OPTION', `${WHERE}: pe '${pe}' needs eigK ≥ 1 eigenpairs`, { value: c.eigK });
    }
  }
  edgeTypeTable(r.edgeTypes); // validates
  return r;
}

/** The GINE + PE model. */
export class GraphModel {
  readonly config: ResolvedModelConfig;
  readonly model: tf.LayersModel;
  readonly net: GineNet;
  /** The learned PE encoder layer, or null. */
  readonly peEncoder: tf.layers.Layer | null;

  private constructor(config: ResolvedModelConfig, model: tf.LayersModel) {
    this.config = config;
    this.model = model;
    const net = model.layers.find((l) => l instanceof GineNet);
    if (!net) throw new GraphpeError('E_CHECKPOINT', `${WHERE}: the model has no GineNet layer`);
    this.net = net as GineNet;
    this.peEncoder = isLearnedPe(config.pe)
      ? (model.layers.find((l) => l.name === 'pe_encoder') ?? null)
      : null;
  }

  /** Builds a fresh model (weights seeded by `config.seed`). */
  static create(config: GraphModelConfig): GraphModel {
    const c = resolveModelConfig(config);
    const D = c.atomVocab.reduce((a, b) => a + b, 0);
    const table = edgeTypeTable(c.edgeTypes);
    const T = table.numTypes;
    const width = table.bondVocab.reduce((a, b) => a + b, 0);
    const multiHot: number[][] = [];
    for (let t = 0; t < T; t++)
      multiHot.push(Array.from(table.multiHot.subarray(t * width, (t + 1) * width)));
    const nodes = tf.input({ shape: [null, D], name: 'nodes' });
    const edges = tf.input({ shape: [null, null], name: 'edges' });
    const mask = tf.input({ shape: [null], name: 'node_mask' });
    const inputs: tf.SymbolicTensor[] = [nodes, edges, mask];
    let pe: tf.SymbolicTensor | null = null;
    if (c.pe === 'lap' || c.pe === 'rwse') {
      pe = tf.input({ shape: [null, c.peDim], name: 'pe' });
      inputs.push(pe);
    } else if (isLearnedPe(c.pe)) {
      const K = c.eigK;
      const entry = peEncoderEntry(c.pe);
      const symbolic: Record<PeInputName, tf.SymbolicTensor> = {
        vectors: tf.input({ shape: [null, K], name: 'eig_vectors' }),
        values: tf.input({ shape: [K], name: 'eig_values' }),
        adjacency: tf.input({ shape: [null, null], name: 'adjacency' }),
        nodeMask: mask,
        eigMask: tf.input({ shape: [K], name: 'eig_mask' }),
        frameMask: tf.input({ shape: [K], name: 'frame_mask' }),
      };
      for (const name of entry.inputs) if (name !== 'nodeMask') inputs.push(symbolic[name]);
      const encoder = entry.create({ k: K, seed: c.seed + 1, name: 'pe_encoder', options: c.peOptions });
      pe = encoder.apply(entry.inputs.map((name) => symbolic[name])) as tf.SymbolicTensor;
    }
    const net = new GineNet({
      name: 'gine',
      seed: c.seed,
      hidden: c.hidden,
      layers: c.layers,
      residual: c.residual,
      pooling: c.pooling,
      mlpLayers: c.mlpLayers,
      batchNorm: c.batchNorm,
      outDim: c.numTargets,
      edgeTypeMultiHot: multiHot,
      peNorm: c.pe === 'rwse' ? 'batchnorm' : 'none',
    });
    const out = net.apply(pe ? [nodes, edges, mask, pe] : [nodes, edges, mask]) as tf.SymbolicTensor;
    const model = tf.model({
      inputs,
      outputs: out,
      name: `graphpe_gine_${c.pe.replace(/[^a-z0-9]/gi, '_')}`,
    });
    return new GraphModel(c, model);
  }

  /** How to collate batches for this model. */
  collateSpec(): CollateSpec {
    const c = this.config;
    return {
      atomVocab: c.atomVocab,
      edgeTypes: c.edgeTypes,
      maxNodes: c.maxNodes,
      numTargets: c.numTargets,
      peDim: c.peDim,
      eigK: c.eigK,
      frame: isLearnedPe(c.pe) && peEncoderEntry(c.pe).needsFrame,
    };
  }

  /** The model inputs of an uploaded batch, in model order. */
  inputsOf(t: MolTensors): tf.Tensor[] {
    const base: tf.Tensor[] = [t.nodeFeatures, t.edgeAdjacency, t.nodeMask];
    const c = this.config;
    if (c.pe === 'lap' || c.pe === 'rwse') {
      if (!t.pe) throw new GraphpeError('E_SHAPE', `${WHERE}: pe '${c.pe}' but the batch has no pe`);
      base.push(t.pe);
    } else if (isLearnedPe(c.pe)) {
      const byName: Record<PeInputName, tf.Tensor | null> = {
        vectors: t.eigVectors,
        values: t.eigValues,
        adjacency: t.adjacency,
        nodeMask: t.nodeMask,
        eigMask: t.eigMask,
        frameMask: t.frameMask,
      };
      for (const name of peEncoderEntry(c.pe).inputs) {
        if (name === 'nodeMask') continue;
        const x = byName[name];
        if (!x) {
          throw new GraphpeError(
            'E_SHAPE',
            `${WHERE}: pe '${c.pe}' needs ${name === 'frameMask' ? 'frame columns (frameRecord)' : 'eigenpairs'} in the batch`,
          );
        }
        base.push(x);
      }
    }
    return base;
  }

  /** Forward pass: [B, numTargets] (regression values or logits). */
  apply(t: MolTensors, training: boolean): tf.Tensor2D {
    return this.model.apply(this.inputsOf(t), { training }) as tf.Tensor2D;
  }

  /** Eval-mode predictions of a host batch, [B × numTargets] row-major. */
  predict(batch: MolBatch): Float32Array {
    const t = molTensors(batch);
    try {
      const out = tf.tidy(() => this.apply(t, false));
      const values = out.dataSync() as Float32Array;
      out.dispose();
      return values;
    } finally {
      disposeMolTensors(t);
    }
  }

  /** Trainable variables with whether they get weight decay (kernels yes; biases, BN, ε no). */
  trainableVariables(): { variable: tf.Variable; decay: boolean; name: string }[] {
    return this.model.trainableWeights.map((w) => ({
      variable: w.read() as tf.Variable,
      decay: w.shape.length >= 2,
      name: w.originalName,
    }));
  }

  /** Number of trainable scalars. */
  countParams(): number {
    return this.model.trainableWeights.reduce(
      (s, w) => s + w.shape.reduce((a: number, b) => a * (b ?? 1), 1),
      0,
    );
  }

  /** Saves `model.json` + `weights.bin` (config under `graphpe.modelConfig`) into `dir`. */
  async save(dir: string, extra: Record<string, unknown> = {}): Promise<void> {
    await saveModelToDir(this.model, dir, { ...extra, modelConfig: this.config });
  }

  /** Loads a model saved with {@link save} (learned PE classes must be registered/imported). */
  static async load(dir: string): Promise<GraphModel> {
    const { model, json } = await loadModelFromDir(dir);
    const cfg = json.graphpe?.modelConfig as GraphModelConfig | undefined;
    if (!cfg)
      throw new GraphpeError('E_CHECKPOINT', `${WHERE}: ${dir}/model.json has no graphpe.modelConfig`);
    return new GraphModel(resolveModelConfig(cfg), model);
  }

  /** Copies weights from `other` (same architecture) by position. */
  setWeightsFrom(tensors: readonly tf.Tensor[]): void {
    const ws = this.model.weights;
    if (tensors.length !== ws.length) {
      throw new GraphpeError(
        'E_CHECKPOINT',
        `${WHERE}: ${tensors.length} weights for a model with ${ws.length}`,
      );
    }
    ws.forEach((w, i) => {
      const t = tensors[i] as tf.Tensor;
      if (t.shape.join() !== w.shape.join()) {
        throw new GraphpeError(
          'E_CHECKPOINT',
          `${WHERE}: weight ${w.originalName} has shape [${w.shape}], got [${t.shape}]`,
        );
      }
      w.write(t);
    });
  }

  dispose(): void {
    this.model.dispose();
  }
}
