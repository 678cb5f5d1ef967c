import { readdir, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename, extname, join } from 'node:path';
import {
  concatChunks,
  createPePool,
  encodePeChunks,
  formatPeSpec,
  type PeChunk,
  type PeSpec,
  parsePeSpec,
  specOutputs,
} from '@graphpe/encodings/batch';
import { edgeCount, type Graph, GraphpeError, readEdgeList } from '@graphpe/spectral';
import { type GraphMeta, writeArrowFile } from '../io/arrow.js';
import { isMoleculeInput, type MoleculeOptions, readMolecules } from '../io/molecules.js';
import { batchToNpy, writeNpyDir, writeNpz } from '../io/npz.js';
import { checkOutputDir, checkOutputFile, outputError } from '../io/output.js';
import { type Progress, startProgress } from '../io/progress.js';
import type { CliIo } from '../io/types.js';

/** Parsed options of `graphpe encode`. */
export interface EncodeCommandOptions {
  /** PE spec, e.g. `lap:k=16,rwse:steps=20,canon:oap`. */
  pe: string;
  out?: string;
  /** Output format [from --out: `.npz` → npz, otherwise arrow]. */
  format?: 'arrow' | 'npz' | 'npy';
  /** Worker threads; 1 runs on the main thread [1]. */
  workers: number;
  /** Default k of `lap`/`proj` items that do not set one [16]. */
  k: number;
  /** Default output dtype [float32]. */
  dtype: 'float32' | 'float64';
  /** Graphs per chunk (Arrow record batch, worker task) [256]. */
  chunkSize: number;
  duplicates: 'sum' | 'error';
  selfLoops: 'keep' | 'drop';
  /** SMILES CSV input: the SMILES column ['smiles']. */
  smilesCol?: string;
  /** Molecule input: RDKit-js featurizer [dataset default, else ogb] (only the bond graph is used). */
  featurizer?: 'ogb' | 'zinc';
  /** Molecule input: invalid SMILES fail the run or are skipped and counted ['error']. */
  onInvalid?: 'error' | 'skip';
  /** Molecule input: datasets folder [GRAPHPE_DATA_DIR, else ~/.cache/graphpe]. */
  dataDir?: string;
  quiet: boolean;
}

const WHERE = 'graphpe encode';

/** The edge-list files of `input`: the file itself, or a folder's visible regular files sorted by name. */
export async function listInputs(input: string): Promise<string[]> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(input);
  } catch {
    throw new GraphpeError('E_FILE', `${WHERE}: ${input}: no such file or folder`, { path: input });
  }
  if (!info.isDirectory()) return [input];
  const entries = await readdir(input, { withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
  if (files.length === 0) {
    throw new GraphpeError('E_EMPTY', `${WHERE}: ${input}: the folder has no edge-list files`, {
      path: input,
    });
  }
  return files.map((f) => join(input, f));
}

/** `graphpe encode <input>`: positional encodings of every graph, written as Arrow, NPZ or NPY. */
export async function encodeCommand(input: string, o: EncodeCommandOptions, io: CliIo): Promise<void> {
  if (!o.out) throw new GraphpeError('E_OPTION', `${WHERE}: --out <file> is required`);
  const spec = parsePeSpec(o.pe, { k: o.k, dtype: o.dtype });
  if (!o.format && (await isFolder(o.out))) {
    throw new GraphpeError(
      'E_FILE',
      `${WHERE}: --out ${o.out}: is a folder; give a file name ending in ${ARROW_EXT.join(', ')} or .npz, or --format npy to write .npy files into it`,
      { path: o.out },
    );
  }
  const format = outputFormat(o.out, o.format);
  if (format === 'npy') await checkOutputDir(o.out, WHERE);
  else await checkOutputFile(o.out, WHERE);
  const t0 = performance.now();
  let graphs: Graph[];
  let names: string[];
  let skippedNote: string | undefined;
  if (isMoleculeInput(input)) {
    let bar: Progress | null = null;
    const mopts: MoleculeOptions = {
      onProgress: (done, total) => {
        bar ??= startProgress(io, 'featurize', total, { quiet: o.quiet, unit: 'molecules' });
        bar.update(done);
      },
    };
    if (o.smilesCol) mopts.smilesCol = o.smilesCol;
    if (o.featurizer) mopts.featurizer = o.featurizer;
    if (o.onInvalid) mopts.onInvalid = o.onInvalid;
    if (o.dataDir) mopts.dataDir = o.dataDir;
    let mol: Awaited<ReturnType<typeof readMolecules>>;
    try {
      mol = await readMolecules(input, mopts);
    } catch (err) {
      if (err instanceof GraphpeError && err.message.includes("onInvalid: 'skip'")) {
        throw new GraphpeError(
          err.code,
          err.message.replace("onInvalid: 'skip'", '--on-invalid skip'),
          err.details,
        );
      }
      throw err;
    } finally {
      (bar as Progress | null)?.stop();
    }
    graphs = mol.graphs;
    names = mol.names;
    if (mol.skipped > 0) skippedNote = `all ${mol.skipped} molecule(s) were invalid and skipped`;
    if (mol.skipped > 0 && !o.quiet)
      io.stderr(`encode: skipped ${mol.skipped} invalid molecule(s) of ${mol.source}\n`);
  } else {
    const files = await listInputs(input);
    graphs = new Array(files.length);
    names = files.map((f) => basename(f));
    const reading = startProgress(io, 'read  ', files.length, {
      quiet: o.quiet || files.length < 100,
      unit: 'files',
    });
    try {
      for (let i = 0; i < files.length; i++) {
        graphs[i] = await readEdgeList(files[i], { duplicates: o.duplicates, selfLoops: o.selfLoops });
        reading.update(i + 1);
      }
    } finally {
      reading.stop();
    }
  }
  if (graphs.length === 0) {
    throw new GraphpeError(
      'E_EMPTY',
      `${WHERE}: ${input}: no graphs to encode (${skippedNote ?? 'the input has no rows'}); nothing written`,
      { path: input },
    );
  }
  const nChunks = Math.ceil(graphs.length / o.chunkSize);
  const cores = availableParallelism();
  const workers = capWorkers(o.workers, nChunks, cores);
  if (workers < o.workers && !o.quiet) {
    io.stderr(
      `encode: --workers ${o.workers} capped to ${workers} (${graphs.length} graph(s) in ${nChunks} chunk(s) of --chunk-size ${o.chunkSize}; ${cores} cores)\n`,
    );
  }
  const edges = Int32Array.from(graphs, (g) => edgeCount(g));
  const bar = startProgress(io, 'encode', graphs.length, { quiet: o.quiet });
  const chunks = withMeta(
    runChunks(graphs, spec, { ...o, workers }, (done) => bar.update(done)),
    names,
    edges,
    graphs,
  );
  const metadata = new Map([
    ['graphpe:spec', formatPeSpec(spec)],
    ['graphpe:levels', JSON.stringify(Object.fromEntries(specOutputs(spec).map((x) => [x.name, x.level])))],
    ['graphpe:input', input],
  ]);
  let columns: string[] = [];
  try {
    if (format === 'arrow') {
      await writeArrowFile(
        o.out,
        tap(chunks, (c) => (columns = c.chunk.columns.map((x) => x.name))),
        metadata,
      );
    } else {
      const parts: PeChunk[] = [];
      for await (const { chunk } of chunks) parts.push(chunk);
      const batch = concatChunks(parts);
      columns = batch.columns.map((x) => x.name);
      const { files: npy, layout } = batchToNpy(batch, names, edges, formatPeSpec(spec));
      if (format === 'npz') await writeNpz(o.out, npy);
      else await writeNpyDir(o.out, npy, { spec: formatPeSpec(spec), input, layout });
    }
  } catch (err) {
    throw nameGraph(outputError(err, WHERE, o.out), names);
  } finally {
    bar.stop();
  }
  if (!o.quiet) {
    const nodes = graphs.reduce((a, g) => a + g.n, 0);
    io.stderr(
      `encode: ${graphs.length} graph${graphs.length === 1 ? '' : 's'}, ${nodes} nodes, outputs ${columns.join(', ')}; ${((performance.now() - t0) / 1000).toFixed(2)} s → ${o.out} (${format})\n`,
    );
  }
}

const ARROW_EXT = ['.arrow', '.feather', '.ipc'];

/** The output format: `--format`, else from the extension of `--out` (`E_OPTION` for an unknown one). */
export function outputFormat(out: string, format?: 'arrow' | 'npz' | 'npy'): 'arrow' | 'npz' | 'npy' {
  if (format) return format;
  const ext = extname(out).toLowerCase();
  if (ext === '.npz') return 'npz';
  if (ARROW_EXT.includes(ext)) return 'arrow';
  throw new GraphpeError(
    'E_OPTION',
    `${WHERE}: --out ${out}: unknown output extension ${ext ? `'${ext}'` : '(none)'} (supported: ${ARROW_EXT.join(', ')} for Arrow, .npz for NPZ; a folder of .npy files with --format npy)`,
    { path: out, extension: ext },
  );
}

async function isFolder(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** Threads worth starting: the request, capped at the chunks of work and at the cores (at least 1). */
export function capWorkers(requested: number, chunks: number, cores: number): number {
  return Math.max(1, Math.min(requested, chunks, cores));
}

/** The chunks of the batch runner, on this thread (yielding to the event loop between chunks) or a pool. */
async function* runChunks(
  graphs: Graph[],
  spec: PeSpec,
  o: EncodeCommandOptions,
  onProgress: (done: number) => void,
): AsyncGenerator<PeChunk> {
  const options = { chunkSize: o.chunkSize, onProgress };
  if (o.workers <= 1) {
    for (const chunk of encodePeChunks(graphs, spec, options)) {
      yield chunk;
      await new Promise((resolve) => setImmediate(resolve));
    }
    return;
  }
  // The main thread encodes too (no start-up to wait for; on ZINC-full it also keeps the main thread
  // from idle-time collections of the graphs' heap that starved two workers): o.workers threads in all.
  const pool = createPePool({ workers: o.workers - 1, caller: true });
  try {
    yield* pool.chunks(graphs, spec, options);
  } finally {
    await pool.close();
  }
}

async function* withMeta(
  chunks: AsyncIterable<PeChunk>,
  names: string[],
  edges: Int32Array,
  graphs: Graph[],
): AsyncGenerator<{ chunk: PeChunk; meta: GraphMeta }> {
  for await (const chunk of chunks) {
    const end = chunk.start + chunk.count;
    if (end > graphs.length) throw new Error('graphpe encode: chunk past the last graph');
    yield { chunk, meta: { names: names.slice(chunk.start, end), edges: edges.subarray(chunk.start, end) } };
  }
}

async function* tap<T>(items: AsyncIterable<T>, fn: (item: T) => void): AsyncGenerator<T> {
  for await (const item of items) {
    fn(item);
    yield item;
  }
}

/** A batch runner error names the graph by index: name its input file instead. */
function nameGraph(err: unknown, names: string[]): unknown {
  if (!(err instanceof GraphpeError)) return err;
  const g = err.details.graph;
  if (typeof g !== 'number' || !names[g]) return err;
  return new GraphpeError(err.code, `${WHERE}: ${names[g]}: ${err.message}`, {
    ...err.details,
    file: names[g],
  });
}
