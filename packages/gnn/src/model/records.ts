/**
 * The bridge from a prepared dataset (featurized molecules + cached eigenpairs and fixed PEs, see
 * `data/dataset-cache.ts`) to what the model and trainer take: per-graph {@link GraphRecord}s for a set of
 * rows, and a {@link GraphModelConfig} whose vocabularies, edge types, padding size and targets fit it.
 */
import { DEFAULT_MAX_FRAME_BITS } from '@graphpe/encodings/learned';
import { GraphpeError, spectrum } from '@graphpe/spectral';
import type { PreparedDataset } from '../data/dataset-cache.js';
import { resolveFeaturizer } from '../data/featurize.js';
import { buildEdgeTypes, frameRecord, type GraphRecord, maxNodesOf } from './batch.js';
import type { GraphModelConfig, TaskKind } from './model.js';
import { isLearnedPe, type PeChoice, peEncoderEntry } from './pe.js';

const WHERE = 'gnn.graphRecords';

/** The parts of a prepared dataset the records read. */
export type PreparedLike = Pick<PreparedDataset, 'graphs' | 'targets' | 'numTasks' | 'eigen' | 'pe'>;

export interface GraphRecordOptions {
  /** Which PE inputs to attach ['none']: `lap` → eigenvectors as the fixed PE, `rwse` → the cached RWSE column, learned → eigenpairs. */
  pe?: PeChoice;
  /** Name of the cached fixed-PE column used for `rwse` ['rwse']. */
  peColumn?: string;
  /** `lap+frame`: eigen-columns the model reads (its k); only flagged columns below it are framed [all]. */
  frameK?: number;
  /** `lap+frame`: most framed columns per graph (2^m passes) [DEFAULT_MAX_FRAME_BITS = 8]. */
  maxFrameBits?: number;
  /**
   * `lap+frame`, a graph with more sign-non-canonizable columns than `maxFrameBits`: `error` (E_TOO_LARGE,
   * naming the row) or `drop` (frame the first maxFrameBits, zero the eigenvectors of the others so they
   * carry nothing, and report the count through `log`) ['error'].
   */
  frameOverflow?: 'error' | 'drop';
  /** Where the `drop` report goes (one line per call that dropped columns). */
  log?: ((line: string) => void) | null;
}

/** Records of `rows` (default: all) of a prepared dataset, with the inputs `pe` needs. */
export function graphRecords(
  ds: PreparedLike,
  rows?: ArrayLike<number>,
  options: GraphRecordOptions = {},
): GraphRecord[] {
  const pe = options.pe ?? 'none';
  const frameK = options.frameK ?? Number.POSITIVE_INFINITY;
  const maxBits = options.maxFrameBits ?? DEFAULT_MAX_FRAME_BITS;
  const overflow = options.frameOverflow ?? 'error';
  let droppedGraphs = 0;
  let droppedColumns = 0;
  const T = ds.numTasks;
  const learned = isLearnedPe(pe);
  const frame = learned && peEncoderEntry(pe).needsFrame;
  const needEig = pe === 'lap' || (learned && !frame);
  if (needEig && !ds.eigen) {
    throw new GraphpeError(
      'E_DATASET',
      `${WHERE}: pe '${pe}' needs eigenpairs, but the dataset has none (eigen: false)`,
    );
  }
  const colName = options.peColumn ?? 'rwse';
  const col = pe === 'rwse' ? ds.pe.find((c) => c.name === colName) : undefined;
  if (pe === 'rwse' && !col) {
    throw new GraphpeError(
      'E_DATASET',
      `${WHERE}: pe 'rwse' needs a cached '${colName}' column (have: ${ds.pe.map((c) => c.name).join(', ') || 'none'})`,
    );
  }
  const list = rows ?? Int32Array.from({ length: ds.graphs.length }, (_, i) => i);
  const out: GraphRecord[] = [];
  for (let q = 0; q < list.length; q++) {
    const r = list[q] as number;
    const g = ds.graphs[r];
    if (!g) throw new GraphpeError('E_SHAPE', `${WHERE}: row ${r} outside 0..${ds.graphs.length - 1}`);
    const n = g.n;
    let rec: GraphRecord = {
      n,
      atomFeatures: g.atomFeatures,
      bondFeatures: g.bondFeatures,
      graph: g.graph,
      y: ds.targets.subarray(r * T, (r + 1) * T),
    };
    if (needEig && ds.eigen) {
      const e = ds.eigen;
      const v0 = e.valueOffsets[r] as number;
      const w0 = e.vectorOffsets[r] as number;
      const eig = {
        k: n,
        values: e.values.subarray(v0, v0 + n),
        vectors: e.vectors.subarray(w0, w0 + n * n),
      };
      rec = pe === 'lap' ? { ...rec, eig, pe: eig.vectors, peDim: n } : { ...rec, eig };
    }
    if (col) {
      const a = col.offsets[r] as number;
      const b = col.offsets[r + 1] as number;
      rec = { ...rec, pe: col.data.subarray(a, b), peDim: n > 0 ? (b - a) / n : 0 };
    }
    if (frame) {
      // canonized eigenvectors + sign frame (the full dense spectrum; molecules are small)
      rec = frameRecord(rec, g.graph, spectrum(g.graph, { k: n, solver: 'dense', pad: 'zero' }));
      const capped = capFrame(rec as FramedRecord, frameK, maxBits);
      if (capped !== rec) {
        if (overflow === 'error') {
          throw new GraphpeError(
            'E_TOO_LARGE',
            `${WHERE}: row ${r} has ${(rec as FramedRecord).frameColumns.filter((j) => j < frameK).length} sign-non-canonizable columns among the first ${frameK}, more than maxFrameBits = ${maxBits} (a frame of 2^m passes); lower k, raise maxFrameBits, or pass frameOverflow: 'drop'`,
            { row: r, maxFrameBits: maxBits },
          );
        }
        droppedGraphs++;
        droppedColumns += (rec as FramedRecord).frameColumns.length - capped.frameColumns.length;
        rec = capped;
      }
    }
    out.push(rec);
  }
  if (droppedGraphs > 0) {
    options.log?.(
      `${pe}: ${droppedGraphs} of ${list.length} graphs had more than ${maxBits} sign-non-canonizable columns${Number.isFinite(frameK) ? ` among the first ${frameK}` : ''}; their ${droppedColumns} extra columns were zeroed (frameOverflow 'drop')`,
    );
  }
  return out;
}

type FramedRecord = GraphRecord & { eig: NonNullable<GraphRecord['eig']>; frameColumns: Int32Array };

/**
 * The record with at most `maxBits` framed columns below `frameK` (the first ones: lowest eigenvalues),
 * the eigenvectors of the other flagged columns below `frameK` set to 0 (a copy), and flagged columns
 * at or past `frameK` left out of the frame (the model never reads them); the same record when nothing
 * is past the cap.
 */
function capFrame(rec: FramedRecord, frameK: number, maxBits: number): FramedRecord {
  const cols = rec.frameColumns;
  let inside = 0;
  for (const j of cols) if (j < frameK) inside++;
  if (inside <= maxBits) return rec;
  const kept: number[] = [];
  const zeroed: number[] = [];
  for (const j of cols) {
    if (j >= frameK) continue;
    (kept.length < maxBits ? kept : zeroed).push(j);
  }
  const { k } = rec.eig;
  const vectors = Float64Array.from(rec.eig.vectors);
  const rows = vectors.length / k;
  for (const j of zeroed) for (let i = 0; i < rows; i++) vectors[i * k + j] = 0;
  return { ...rec, eig: { ...rec.eig, vectors }, frameColumns: Int32Array.from(kept) };
}

export interface DatasetModelOptions
  extends Omit<GraphModelConfig, 'atomVocab' | 'edgeTypes' | 'maxNodes' | 'numTargets' | 'task'> {
  /** Eigenpairs for `lap` (PE width) and learned PEs. Default: the largest molecule (full spectrum). */
  k?: number;
  /** Cap on edge types (distinct bond-feature tuples of the training rows) [16]. */
  maxEdgeTypes?: number;
  /** Cached fixed-PE column for `rwse` ['rwse']. */
  peColumn?: string;
}

/**
 * A model config for a prepared dataset: the featurizer's atom vocabularies, edge types from the training
 * rows, padding to the largest molecule of the whole dataset, the dataset's targets and task, and the PE
 * widths (`k` for lap/learned, the cached column width for rwse).
 */
export function datasetModelConfig(ds: PreparedDataset, options: DatasetModelOptions = {}): GraphModelConfig {
  if (!ds.featurizer)
    throw new GraphpeError('E_DATASET', 'gnn.datasetModelConfig: the dataset is not featurized');
  const f = resolveFeaturizer(ds.featurizer);
  const train = Array.from(ds.splits.train, (r) => ds.graphs[r] as (typeof ds.graphs)[number]);
  const edgeTypes = buildEdgeTypes(train, { bondVocab: f.bondDims, maxTypes: options.maxEdgeTypes ?? 16 });
  const maxNodes = maxNodesOf(ds.graphs);
  const task: TaskKind =
    ds.task === 'regression' ? 'regression' : ds.task === 'binary' ? 'binary' : 'multitask';
  const { k, maxEdgeTypes: _m, peColumn, ...rest } = options;
  const pe = options.pe ?? 'none';
  const config: GraphModelConfig = {
    ...rest,
    pe,
    atomVocab: f.atomDims,
    edgeTypes: { bondVocab: edgeTypes.bondVocab, combos: edgeTypes.combos },
    maxNodes,
    numTargets: ds.numTasks,
    task,
  };
  if (pe === 'lap') config.peDim = k ?? maxNodes;
  if (isLearnedPe(pe)) config.eigK = k ?? maxNodes;
  if (pe === 'rwse') {
    const name = peColumn ?? 'rwse';
    const col = ds.pe.find((c) => c.name === name);
    if (col?.rank !== 2) {
      throw new GraphpeError(
        'E_DATASET',
        `gnn.datasetModelConfig: no node-level '${name}' column in the dataset cache`,
      );
    }
    config.peDim = col.shapes[1] as number;
  }
  return config;
}
