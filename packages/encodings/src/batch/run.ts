/**
 * Single-thread batch runner: a composed PE pipeline over many graphs, in chunks. Per chunk, the dense
 * Laplacian eigendecompositions of every kind the pipeline reads are computed at once with
 * `laplacianEighBatch` and handed to each graph's {@link PeContext} (`ctx.provide`), so no graph is
 * decomposed twice; outputs are packed per output name ({@link PeChunk}).
 */
import {
  batchItem,
  checkOption,
  EighWorkspace,
  eigenGroups,
  type Graph,
  GraphpeError,
  type LaplacianKind,
  laplacianEighBatch,
  type Spectrum,
} from '@graphpe/spectral';
import { withArena } from '../fixed/arena.js';
import { PeContext, type PeContextOptions } from '../fixed/context.js';
import type { PeOutput, PeTransform } from '../fixed/types.js';
import { concatChunks, offsetArray, type PeChunk, type PeColumn } from './pack.js';
import {
  buildPipeline,
  type PeLevel,
  type PeSpec,
  type PeSpecDefaults,
  parsePeSpec,
  rwseReuseRequest,
  specLaplacians,
  specOutputs,
} from './spec.js';

/** Options of the batch runners; defaults in brackets. */
export interface PeBatchOptions {
  /** Solver settings of every graph's {@link PeContext} [spectral defaults]. */
  context?: PeContextOptions;
  /** Graphs per chunk: the unit of work, of progress reports and of worker tasks [256]. */
  chunkSize?: number;
  /** Defaults for a string spec (k, dtype). */
  defaults?: PeSpecDefaults;
  /** Called after each chunk with the number of graphs done and the total. */
  onProgress?: (done: number, total: number) => void;
}

/** PE outputs of a whole batch: a {@link PeChunk} starting at graph 0. */
export type PeBatch = PeChunk;

const WHERE = 'encodings.encodePeBatch';
let workspace = new EighWorkspace(64);

/** Validated chunk size. */
export function chunkSizeOf(options: PeBatchOptions, where = WHERE): number {
  const size = options.chunkSize ?? 256;
  checkOption(Number.isInteger(size) && size >= 1, where, 'chunkSize must be an integer ≥ 1', size);
  return size;
}

/** A spec argument as a parsed spec. */
export function specOf(spec: PeSpec | string, options: PeBatchOptions): PeSpec {
  if (typeof spec === 'string') return parsePeSpec(spec, options.defaults);
  checkOption(
    spec !== null && typeof spec === 'object' && Array.isArray(spec.items),
    WHERE,
    'spec must be a PE spec string or a PeSpec',
  );
  return spec;
}

/** Whether a graph's spectra come from the batched dense solver (as PeContext would solve it densely). */
function batchedDense(g: Graph, context: PeContextOptions): boolean {
  const solver = context.solver ?? 'auto';
  return g.n >= 1 && (solver === 'dense' || (solver === 'auto' && g.n <= (context.denseThreshold ?? 2000)));
}

/** A prepared pipeline: the spec, its transform and what it needs. */
export interface PreparedSpec {
  readonly spec: PeSpec;
  readonly transform: PeTransform;
  readonly kinds: readonly LaplacianKind[];
  /** Per kind (same order), the numbers of pairs the transforms ask their context for (`Infinity`: all n). */
  readonly requests: readonly (readonly number[])[];
  readonly levels: ReadonlyMap<string, PeLevel>;
}

/** The `(laplacian, k)` requests each spectral transform of a spec makes to its PeContext. */
function spectrumRequests(spec: PeSpec, kinds: readonly LaplacianKind[]): number[][] {
  const out = kinds.map(() => new Set<number>());
  const add = (kind: LaplacianKind, k: number) => out[kinds.indexOf(kind)].add(k);
  for (const item of spec.items) {
    if (item.kind === 'lap') {
      const o = item.options;
      add(o.laplacian ?? 'sym', (o.k ?? 16) + (o.dropTrivial ? 1 : 0));
    } else if (item.kind === 'proj') {
      const k = item.options.k ?? 16;
      add(item.options.laplacian ?? 'sym', k === 'all' ? Number.POSITIVE_INFINITY : k);
    } else if (item.kind === 'hk') add('comb', Number.POSITIVE_INFINITY);
    else if (item.kind === 'rwse' && item.options.method === 'spectral') add('sym', Number.POSITIVE_INFINITY);
  }
  // An auto RWSE next to a sym consumer reads the full sym spectrum the batch solve computed anyway.
  if (rwseReuseRequest(spec) !== null) add('sym', Number.POSITIVE_INFINITY);
  return out.map((set) => [...set]);
}

/** Build the transform of a spec once for many chunks. */
export function prepareSpec(spec: PeSpec): PreparedSpec {
  const kinds = specLaplacians(spec);
  return {
    spec,
    transform: buildPipeline(spec),
    kinds,
    requests: spectrumRequests(spec, kinds),
    levels: new Map(specOutputs(spec).map((o) => [o.name, o.level])),
  };
}

/**
 * Run a prepared pipeline on `graphs` (the batch's graphs `[start, start + graphs.length)`) and pack
 * the outputs. This is the one code path of both the single-thread runner and the workers.
 */
export function encodeChunk(
  graphs: readonly Graph[],
  prepared: PreparedSpec,
  context: PeContextOptions,
  start: number,
): PeChunk {
  const count = graphs.length;
  const dense: Graph[] = [];
  const denseIndex = new Int32Array(count).fill(-1);
  let nMax = 0;
  for (let b = 0; b < count; b++) {
    if (prepared.kinds.length > 0 && batchedDense(graphs[b], context)) {
      denseIndex[b] = dense.length;
      dense.push(graphs[b]);
      if (graphs[b].n > nMax) nMax = graphs[b].n;
    }
  }
  workspace = workspace.ensure(nMax);
  let batches: (ReturnType<typeof laplacianEighBatch> | undefined)[];
  try {
    batches = prepared.kinds.map((laplacian) =>
      dense.length > 0 ? laplacianEighBatch(dense, { laplacian, vectors: true, workspace }) : undefined,
    );
  } catch (err) {
    throw renumbered(err, denseIndex, start);
  }
  // Outputs live in the arena until packOutputs copies them into the chunk's columns.
  return withArena(() => {
    const outs: PeOutput[] = new Array(count);
    let solves = 0;
    for (let b = 0; b < count; b++) {
      const g = graphs[b];
      try {
        const ctx = new PeContext(g, context);
        if (denseIndex[b] >= 0) {
          prepared.kinds.forEach((laplacian, i) => {
            const item = batchItem(batches[i]!, denseIndex[b]);
            for (const s of batchSpectra(item, laplacian, prepared.requests[i], context.groupTol))
              ctx.provide(s);
          });
        }
        outs[b] = prepared.transform(g, ctx);
        solves += ctx.solves;
      } catch (err) {
        if (err instanceof GraphpeError) {
          throw new GraphpeError(err.code, `graph ${start + b}: ${err.message}`, {
            ...err.details,
            graph: start + b,
          });
        }
        throw err;
      }
    }
    const sizes = new Int32Array(count);
    for (let b = 0; b < count; b++) sizes[b] = graphs[b].n;
    return { start, count, sizes, columns: packOutputs(outs, prepared.levels, start), solves };
  });
}

/**
 * A batched solver's error about "graph i" (or "graphs[i]") of the dense sub-batch, renumbered to the
 * graph's index in the whole input (message and details), so that it names the graph the caller passed.
 */
function renumbered(err: unknown, denseIndex: Int32Array, start: number): unknown {
  if (!(err instanceof GraphpeError) || typeof err.details?.graph !== 'number') return err;
  const local = err.details.graph as number;
  const b = denseIndex.indexOf(local);
  if (b < 0) return err;
  const global = start + b;
  const message = err.message
    .replace(`graph ${local} `, `graph ${global} `)
    .replace(`graphs[${local}]`, `graphs[${global}]`);
  return new GraphpeError(err.code, message, {
    ...err.details,
    graph: global,
  });
}

const ONES: Uint8Array[] = [];
const NANS: Float64Array[] = [];
/** Shared read-only mask of k ones and residuals of k NaN (spectra handed to a PeContext are read-only). */
function onesAndNans(k: number): [Uint8Array, Float64Array] {
  if (!ONES[k]) {
    ONES[k] = new Uint8Array(k).fill(1);
    NANS[k] = new Float64Array(k).fill(Number.NaN);
  }
  return [ONES[k], NANS[k]];
}

/**
 * The spectra a PeContext would assemble from a full dense solve for each requested k, built directly
 * from the batch buffers: only the full one (views, no copy) when some request needs all n pairs (the
 * context derives the others from it), else the first k columns per request — groups found on the
 * whole spectrum, exactly as `assembleSpectrum` does.
 */
function batchSpectra(
  item: { n: number; values: Float64Array; vectors: Float64Array },
  laplacian: LaplacianKind,
  requests: readonly number[],
  groupTol: number | undefined,
): Spectrum[] {
  const { n, values, vectors } = item;
  // A full spectrum serves every request: the context truncates it on demand, as assembleSpectrum does.
  if (requests.some((req) => req >= n))
    return [
      spectrumOf(
        n,
        n,
        values,
        vectors,
        laplacian,
        eigenGroups(values, n, { tol: groupTol, exactZeros: true }),
      ),
    ];
  const out: Spectrum[] = [];
  for (const req of requests) {
    const k = req;
    const v = new Float64Array(n * k);
    for (let i = 0; i < n; i++) v.set(vectors.subarray(i * n, i * n + k), i * k);
    out.push(
      spectrumOf(
        n,
        k,
        values.subarray(0, k),
        v,
        laplacian,
        eigenGroups(values, k, { tol: groupTol, exactZeros: true }),
      ),
    );
  }
  return out;
}

function spectrumOf(
  n: number,
  k: number,
  values: Float64Array,
  vectors: Float64Array,
  laplacian: LaplacianKind,
  groups: Spectrum['groups'],
): Spectrum {
  const [mask, residuals] = onesAndNans(k);
  return {
    n,
    k,
    laplacian,
    values,
    vectors,
    mask,
    groups,
    residuals,
    solver: 'dense',
    signConvention: 'none',
  };
}

/** Pack per-graph outputs into one column per output name. */
function packOutputs(
  outs: readonly PeOutput[],
  levels: ReadonlyMap<string, PeLevel>,
  start: number,
): PeColumn[] {
  const count = outs.length;
  if (count === 0) return [];
  const names = Object.keys(outs[0]);
  return names.map((name): PeColumn => {
    const first = outs[0][name];
    const rank = first.shape.length;
    const f32 = first.data instanceof Float32Array;
    let total = 0;
    let maskTotal = 0;
    for (let b = 0; b < count; b++) {
      const a = outs[b][name];
      if (
        !a ||
        a.shape.length !== rank ||
        a.data instanceof Float32Array !== f32 ||
        !a.mask !== !first.mask
      ) {
        throw new GraphpeError(
          'E_SHAPE',
          `${WHERE}: graph ${start + b}: output '${name}' differs in layout from graph ${start}`,
        );
      }
      total += a.data.length;
      maskTotal += a.mask?.length ?? 0;
    }
    const data = f32 ? new Float32Array(total) : new Float64Array(total);
    const offsets = offsetArray(count + 1, total);
    const shapes = new Int32Array(count * rank);
    const mask = first.mask ? new Uint8Array(maskTotal) : undefined;
    const maskOffsets = first.mask ? offsetArray(count + 1, maskTotal) : undefined;
    let d = 0;
    let m = 0;
    for (let b = 0; b < count; b++) {
      const a = outs[b][name];
      offsets[b] = d;
      data.set(a.data, d);
      d += a.data.length;
      for (let r = 0; r < rank; r++) shapes[b * rank + r] = a.shape[r];
      if (mask && maskOffsets && a.mask) {
        maskOffsets[b] = m;
        mask.set(a.mask, m);
        m += a.mask.length;
      }
    }
    offsets[count] = d;
    if (maskOffsets) maskOffsets[count] = m;
    return { name, level: levels.get(name) ?? 'ragged', rank, data, offsets, shapes, mask, maskOffsets };
  });
}

/**
 * PE outputs of every graph, chunk by chunk, on this thread (a generator: memory stays one chunk's
 * worth when the caller streams the chunks out, e.g. to an Arrow file).
 */
export function* encodePeChunks(
  graphs: readonly Graph[],
  spec: PeSpec | string,
  options: PeBatchOptions = {},
): Generator<PeChunk, void, undefined> {
  checkOption(Array.isArray(graphs), WHERE, 'graphs must be an array of Graph', typeof graphs);
  const size = chunkSizeOf(options);
  const prepared = prepareSpec(specOf(spec, options));
  const context = options.context ?? {};
  for (let b0 = 0; b0 < graphs.length; b0 += size) {
    const b1 = Math.min(graphs.length, b0 + size);
    const chunk = encodeChunk(graphs.slice(b0, b1), prepared, context, b0);
    options.onProgress?.(b1, graphs.length);
    yield chunk;
  }
}

/**
 * PE outputs of every graph on this thread, packed per output (`encodePeBatch(graphs,
 * 'lap:k=16,rwse:steps=20,canon:oap')`). Identical to running `buildPipeline(spec)` per graph with
 * the dense spectra of `laplacianEighBatch`.
 */
export function encodePeBatch(
  graphs: readonly Graph[],
  spec: PeSpec | string,
  options: PeBatchOptions = {},
): PeBatch {
  return concatChunks([...encodePeChunks(graphs, spec, options)]);
}

/** Graph b's output `name` of a batch or chunk as a view: `{ data, shape, mask }` (b relative to the chunk). */
export function peItem(
  chunk: PeChunk,
  name: string,
  b: number,
): { data: Float64Array | Float32Array; shape: number[]; mask?: Uint8Array } {
  const col = chunk.columns.find((c) => c.name === name);
  checkOption(col !== undefined, 'encodings.peItem', `no output '${name}'`, name);
  checkOption(
    Number.isInteger(b) && b >= 0 && b < chunk.count,
    'encodings.peItem',
    `index must be in [0, ${chunk.count})`,
    b,
  );
  return {
    data: col.data.subarray(col.offsets[b], col.offsets[b + 1]),
    shape: Array.from(col.shapes.subarray(b * col.rank, (b + 1) * col.rank)),
    mask:
      col.mask && col.maskOffsets ? col.mask.subarray(col.maskOffsets[b], col.maskOffsets[b + 1]) : undefined,
  };
}
