/**
 * Spectral preprocessing of featurized molecules: all eigenpairs of each graph's symmetric normalized
 * Laplacian (I − D^{-1/2} A D^{-1/2}; @graphpe/spectral's batched dense solver, on its worker pool when
 * asked) and fixed PEs from an @graphpe/encodings spec (e.g. `rwse:steps=20`, on the PE worker pool).
 */
import { availableParallelism } from 'node:os';
import {
  concatChunks,
  createPePool,
  encodePeBatch,
  formatPeSpec,
  type PeChunk,
  type PeColumn,
  type PePool,
  parsePeSpec,
} from '@graphpe/encodings/batch';
import {
  checkOption,
  createEighPool,
  type EighBatch,
  type EighPool,
  type Graph,
  laplacianEighBatch,
} from '@graphpe/spectral';

/** Options of {@link computePeData}; defaults in brackets. */
export interface PeDataOptions {
  /** Fixed-PE spec for @graphpe/encodings [`rwse:steps=<rwseSteps>`]; `''` for none. */
  pe?: string;
  /** RWSE steps of the default spec [20]. */
  rwseSteps?: number;
  /** Store all eigenpairs of the sym Laplacian [true]. */
  eigen?: boolean;
  /** Storage precision of eigenpairs and PEs [float32: what tfjs consumes]. */
  dtype?: 'float32' | 'float64';
  /** Threads [min(4, availableParallelism())]; 0 or 1 computes on this thread, n ≥ 2 uses it and n − 1 workers for the PEs. */
  workers?: number;
  /** Graphs per step (unit of progress reports) [1024]. */
  chunkSize?: number;
  /** Progress per phase: eigendecompositions, then PEs. */
  onProgress?: (done: number, total: number, phase: 'eigen' | 'pe') => void;
}

/**
 * All eigenpairs per graph: graph b's n = `sizes[b]` ascending values at `values[valueOffsets[b]…]` and its n×n
 * row-major vectors (column j ↔ value j) at `vectors[vectorOffsets[b]…]`. The offsets are where each graph
 * starts: consecutive (with the total at `[count]`) when computed, in any order when a dataset shares a cached
 * pool's arrays (see dataset-cache.ts) — take the lengths from `sizes`.
 */
export interface MolEigen {
  readonly laplacian: 'sym';
  readonly sizes: Int32Array;
  readonly valueOffsets: Int32Array;
  readonly vectorOffsets: Int32Array | Float64Array;
  readonly values: Float32Array | Float64Array;
  readonly vectors: Float32Array | Float64Array;
}

/** Spectral preprocessing of a list of graphs. */
export interface PeData {
  readonly eigen?: MolEigen;
  /** Outputs of the PE spec, packed per output (see @graphpe/encodings `PeColumn`). */
  readonly pe: readonly PeColumn[];
  /** The normalized PE spec (`''` for none). */
  readonly peSpec: string;
}

const WHERE = 'gnn.computePeData';

/** The normalized PE spec string of the options (the cache key uses it). */
export function peSpecOf(options: PeDataOptions): string {
  const steps = options.rwseSteps ?? 20;
  checkOption(Number.isInteger(steps) && steps >= 1, WHERE, 'rwseSteps must be an integer ≥ 1', steps);
  const text = options.pe ?? `rwse:steps=${steps}`;
  if (text.trim() === '') return '';
  return formatPeSpec(parsePeSpec(text, { dtype: options.dtype ?? 'float32' }));
}

/** Offsets of graph b's eigenvector block (Σ n² may pass 2³¹ − 1). */
export function eigenOffsets(sizes: Int32Array): {
  valueOffsets: Int32Array;
  vectorOffsets: Int32Array | Float64Array;
} {
  const count = sizes.length;
  const valueOffsets = new Int32Array(count + 1);
  let sq = 0;
  for (let b = 0; b < count; b++) {
    valueOffsets[b + 1] = valueOffsets[b] + sizes[b];
    sq += sizes[b] * sizes[b];
  }
  const vectorOffsets = sq < 2 ** 31 ? new Int32Array(count + 1) : new Float64Array(count + 1);
  for (let b = 0; b < count; b++) vectorOffsets[b + 1] = vectorOffsets[b] + sizes[b] * sizes[b];
  return { valueOffsets, vectorOffsets };
}

/** Eigenpairs, fixed PEs of `graphs` (see the module header). */
export async function computePeData(graphs: readonly Graph[], options: PeDataOptions = {}): Promise<PeData> {
  const dtype = options.dtype ?? 'float32';
  checkOption(
    dtype === 'float32' || dtype === 'float64',
    WHERE,
    "dtype must be 'float32' or 'float64'",
    dtype,
  );
  const workers = options.workers ?? Math.min(4, availableParallelism());
  checkOption(Number.isInteger(workers) && workers >= 0, WHERE, 'workers must be an integer ≥ 0', workers);
  const chunk = options.chunkSize ?? 1024;
  checkOption(Number.isInteger(chunk) && chunk >= 1, WHERE, 'chunkSize must be an integer ≥ 1', chunk);
  const peSpec = peSpecOf(options);
  const total = graphs.length;
  const parallel = workers > 1 && total > chunk / 4;

  let eigen: MolEigen | undefined;
  if (options.eigen ?? true) {
    const sizes = Int32Array.from(graphs, (g) => g.n);
    const { valueOffsets, vectorOffsets } = eigenOffsets(sizes);
    const F = dtype === 'float32' ? Float32Array : Float64Array;
    const values = new F(valueOffsets[total]);
    const vectors = new F(vectorOffsets[total]);
    const pool: EighPool | undefined = parallel ? createEighPool({ workers }) : undefined;
    try {
      for (let b0 = 0; b0 < total; b0 += chunk) {
        const part = graphs.slice(b0, Math.min(total, b0 + chunk));
        const batch: EighBatch = pool
          ? await pool.run(part, { laplacian: 'sym' })
          : laplacianEighBatch(part, { laplacian: 'sym' });
        values.set(batch.values, valueOffsets[b0]);
        vectors.set(batch.vectors, vectorOffsets[b0]);
        options.onProgress?.(b0 + part.length, total, 'eigen');
      }
    } finally {
      await pool?.close();
    }
    eigen = { laplacian: 'sym', sizes, valueOffsets, vectorOffsets, values, vectors };
  }

  let pe: readonly PeColumn[] = [];
  if (peSpec !== '' && total > 0) {
    const progress = (done: number) => options.onProgress?.(done, total, 'pe');
    if (parallel) {
      // The main thread encodes too (see graphpe encode): `workers` threads in all, no idle main thread.
      const pool: PePool = createPePool({ workers: workers - 1, caller: true });
      try {
        const parts: PeChunk[] = [];
        for await (const c of pool.chunks(graphs, peSpec, {
          chunkSize: Math.min(256, chunk),
          onProgress: progress,
        })) {
          parts.push(c);
        }
        pe = concatChunks(parts).columns;
      } finally {
        await pool.close();
      }
    } else {
      pe = encodePeBatch(graphs, peSpec, { chunkSize: Math.min(256, chunk), onProgress: progress }).columns;
    }
  }
  return { eigen, pe, peSpec };
}
