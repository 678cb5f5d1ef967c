/**
 * Arrow IPC file writer for PE batches (apache-arrow): one row per graph, one record batch per chunk,
 * streamed to disk. Columns: `graph_id` int32, `name` utf8, `n` int32, `num_edges` int32, and per PE
 * output `<name>` list<float32|float64> (row-major, flattened), `<name>_shape` fixed_size_list<int32>[rank]
 * and, when the PE has one, `<name>_mask` list<uint8>. Schema metadata: `graphpe:spec`, `graphpe:levels`.
 */
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { PeChunk, PeColumn } from '@graphpe/encodings/batch';
import {
  type Data,
  type DataType,
  Field,
  FixedSizeList,
  Float32,
  Float64,
  Int32,
  List,
  makeData,
  RecordBatch,
  RecordBatchFileWriter,
  Schema,
  Struct,
  Uint8,
  Utf8,
} from 'apache-arrow';
import { withTempFile } from './output.js';

/** Graph-level columns written next to the PE outputs. */
export interface GraphMeta {
  /** Name per graph of the chunk (e.g. the edge-list file name). */
  names: readonly string[];
  /** Undirected edge count per graph of the chunk. */
  edges: Int32Array;
}

const encoder = new TextEncoder();

function utf8Data(strings: readonly string[]): Data<Utf8> {
  const bytes = strings.map((s) => encoder.encode(s));
  const valueOffsets = new Int32Array(strings.length + 1);
  for (let i = 0; i < bytes.length; i++) valueOffsets[i + 1] = valueOffsets[i] + bytes[i].length;
  const data = new Uint8Array(valueOffsets[strings.length]);
  bytes.forEach((b, i) => {
    data.set(b, valueOffsets[i]);
  });
  return makeData({ type: new Utf8(), length: strings.length, nullCount: 0, valueOffsets, data });
}

/** Offsets as an Int32Array starting at 0 (Arrow list offsets). */
function int32Offsets(o: Int32Array | Float64Array): Int32Array {
  if (o instanceof Int32Array && o[0] === 0) return o;
  const out = new Int32Array(o.length);
  for (let i = 0; i < o.length; i++) out[i] = o[i] - o[0];
  return out;
}

function listData<T extends DataType>(type: T, values: Data<T>, offsets: Int32Array, length: number) {
  return makeData({
    type: new List(new Field('item', type, false)),
    length,
    nullCount: 0,
    valueOffsets: offsets,
    child: values,
  });
}

function columnData(col: PeColumn, count: number): { field: Field; data: Data }[] {
  const floatType = col.data instanceof Float32Array ? new Float32() : new Float64();
  const values = makeData({ type: floatType, length: col.data.length, nullCount: 0, data: col.data });
  const out: { field: Field; data: Data }[] = [];
  const list = listData(floatType, values as Data<typeof floatType>, int32Offsets(col.offsets), count);
  out.push({ field: new Field(col.name, list.type, false), data: list });
  const shapeChild = makeData({
    type: new Int32(),
    length: col.shapes.length,
    nullCount: 0,
    data: col.shapes,
  });
  const shapeType = new FixedSizeList(col.rank, new Field('item', new Int32(), false));
  const shapes = makeData({ type: shapeType, length: count, nullCount: 0, child: shapeChild });
  out.push({ field: new Field(`${col.name}_shape`, shapeType, false), data: shapes });
  if (col.mask && col.maskOffsets) {
    const maskValues = makeData({ type: new Uint8(), length: col.mask.length, nullCount: 0, data: col.mask });
    const mask = listData(new Uint8(), maskValues, int32Offsets(col.maskOffsets), count);
    out.push({ field: new Field(`${col.name}_mask`, mask.type, false), data: mask });
  }
  return out;
}

/** One chunk as a record batch (no copies of the PE data). */
export function chunkToRecordBatch(
  chunk: PeChunk,
  meta: GraphMeta,
  metadata: Map<string, string>,
): RecordBatch {
  const count = chunk.count;
  const ids = new Int32Array(count);
  for (let b = 0; b < count; b++) ids[b] = chunk.start + b;
  const cols: { field: Field; data: Data }[] = [
    {
      field: new Field('graph_id', new Int32(), false),
      data: makeData({ type: new Int32(), length: count, nullCount: 0, data: ids }),
    },
    { field: new Field('name', new Utf8(), false), data: utf8Data(meta.names) },
    {
      field: new Field('n', new Int32(), false),
      data: makeData({ type: new Int32(), length: count, nullCount: 0, data: chunk.sizes }),
    },
    {
      field: new Field('num_edges', new Int32(), false),
      data: makeData({ type: new Int32(), length: count, nullCount: 0, data: meta.edges }),
    },
  ];
  for (const col of chunk.columns) cols.push(...columnData(col, count));
  const schema = new Schema(
    cols.map((c) => c.field),
    metadata,
  );
  const struct = makeData({
    type: new Struct(schema.fields),
    length: count,
    nullCount: 0,
    children: cols.map((c) => c.data),
  });
  return new RecordBatch(schema, struct);
}

/**
 * Stream chunks into an Arrow IPC file at `path` (written under a temporary name unique to the run and
 * renamed when complete, so a failed run leaves nothing and concurrent runs each leave a whole file).
 * An error of `chunks` or of the file is rethrown as it is.
 */
export async function writeArrowFile(
  path: string,
  chunks: AsyncIterable<{ chunk: PeChunk; meta: GraphMeta }>,
  metadata: Map<string, string>,
): Promise<void> {
  await withTempFile(path, async (tmp) => {
    const writer = new RecordBatchFileWriter();
    let fileError: { err: unknown } | null = null;
    const done = pipeline(writer.toNodeStream(), createWriteStream(tmp, { flags: 'wx' })).catch((err) => {
      fileError = { err };
    });
    let failure: { err: unknown } | null = null;
    try {
      for await (const { chunk, meta } of chunks) {
        if (fileError) break;
        writer.write(chunkToRecordBatch(chunk, meta, metadata));
      }
    } catch (err) {
      failure = { err };
    }
    // finish() ends the stream in every case: abort() would reject the pipeline with a plain object.
    writer.finish();
    await done;
    const failed = failure ?? (fileError as { err: unknown } | null);
    if (failed) throw failed.err;
  });
}
