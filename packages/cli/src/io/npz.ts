/**
 * NumPy outputs of a PE batch: a dict of arrays written as an `.npz` (a stored, uncompressed zip of
 * `.npy` files, made with fflate) or as a folder of `.npy` files. Node-level outputs are concatenated
 * over graphs (`[Σn, …]`, split with `ptr`, as PyG batches nodes), graph-level ones stacked (`[G, …]`),
 * ragged ones flattened with `<name>_offsets` and `<name>_shape`.
 */
import type { PeBatch, PeColumn } from '@graphpe/encodings/batch';
import { zipSync } from 'fflate';
import { encodeNpy, encodeNpyRaw, type NpyArray } from './npy.js';
import { writeDirAtomic, writeFileAtomic } from './output.js';

/** `.npy` bytes of a 1-d (or 0-d with `scalar`) array of unicode strings (`<U{max length}`, UTF-32LE). */
export function encodeNpyStrings(strings: readonly string[], scalar = false): Uint8Array {
  const cps = strings.map((s) => Array.from(s, (c) => c.codePointAt(0) ?? 0));
  const width = Math.max(1, ...cps.map((c) => c.length));
  const body = new Uint32Array(strings.length * width);
  cps.forEach((c, i) => {
    body.set(c, i * width);
  });
  return encodeNpyRaw(`<U${width}`, scalar ? [] : [strings.length], new Uint8Array(body.buffer));
}

function int64(o: ArrayLike<number>): BigInt64Array {
  const out = new BigInt64Array(o.length);
  for (let i = 0; i < o.length; i++) out[i] = BigInt(o[i]);
  return out;
}

/** Whether every graph's shape is `[n_b, …rest]` with the same rest; returns rest or null. */
function nodeRest(col: PeColumn, sizes: Int32Array): number[] | null {
  const r = col.rank;
  if (r < 1 || sizes.length === 0) return null;
  const rest = Array.from(col.shapes.subarray(1, r));
  for (let b = 0; b < sizes.length; b++) {
    if (col.shapes[b * r] !== sizes[b]) return null;
    for (let i = 1; i < r; i++) if (col.shapes[b * r + i] !== rest[i - 1]) return null;
  }
  return rest;
}

/** The common shape of every graph, or null. */
function commonShape(shapes: Int32Array, rank: number, count: number): number[] | null {
  if (count === 0) return null;
  const first = Array.from(shapes.subarray(0, rank));
  for (let b = 1; b < count; b++)
    for (let i = 0; i < rank; i++) if (shapes[b * rank + i] !== first[i]) return null;
  return first;
}

/** The arrays of a batch, by npz key (without `.npy`), plus a description of each for meta.json. */
export function batchToNpy(
  batch: PeBatch,
  names: readonly string[],
  edges: Int32Array,
  spec: string,
): { files: Map<string, Uint8Array>; layout: Record<string, string> } {
  const files = new Map<string, Uint8Array>();
  const layout: Record<string, string> = {};
  const add = (key: string, data: NpyArray, shape: number[], what: string) => {
    files.set(key, encodeNpy(data, shape));
    layout[key] = `${what} ${JSON.stringify(shape)}`;
  };
  const G = batch.count;
  files.set('name', encodeNpyStrings(names));
  layout.name = `graph names [${G}]`;
  files.set('spec', encodeNpyStrings([spec], true));
  layout.spec = 'normalized PE spec (0-d string)';
  add('n', batch.sizes, [G], 'nodes per graph');
  add('num_edges', edges, [G], 'undirected edges per graph');
  const ptr = new Float64Array(G + 1);
  for (let b = 0; b < G; b++) ptr[b + 1] = ptr[b] + batch.sizes[b];
  add('ptr', int64(ptr), [G + 1], 'node offsets: graph b has rows ptr[b]:ptr[b+1] of node-level arrays');
  for (const col of batch.columns) {
    const rest = col.level === 'node' ? nodeRest(col, batch.sizes) : null;
    const common = col.level === 'graph' ? commonShape(col.shapes, col.rank, G) : null;
    if (rest) add(col.name, col.data, [ptr[G], ...rest], 'node-level, rows split by ptr');
    else if (common) add(col.name, col.data, [G, ...common], 'graph-level');
    else {
      add(col.name, col.data, [col.data.length], 'ragged, flattened; graph b is [offsets[b]:offsets[b+1]]');
      add(`${col.name}_offsets`, int64(col.offsets), [G + 1], `offsets into ${col.name}`);
      add(`${col.name}_shape`, col.shapes, [G, col.rank], `shape of each graph's ${col.name}`);
    }
    if (col.mask && col.maskOffsets) {
      const m = col.maskOffsets;
      const len = G > 0 ? m[1] - m[0] : 0;
      let fixed = G > 0;
      for (let b = 0; b < G && fixed; b++) fixed = m[b + 1] - m[b] === len;
      if (fixed) add(`${col.name}_mask`, col.mask, [G, len], `mask of ${col.name} per graph`);
      else {
        add(`${col.name}_mask`, col.mask, [col.mask.length], `mask of ${col.name}, flattened`);
        add(`${col.name}_mask_offsets`, int64(m), [G + 1], `offsets into ${col.name}_mask`);
      }
    }
  }
  return { files, layout };
}

/** Write `files` as a stored (uncompressed) `.npz` at `path`, atomically (temporary file, then rename). */
export async function writeNpz(path: string, files: Map<string, Uint8Array>): Promise<void> {
  const entries: Record<string, [Uint8Array, { level: 0 }]> = {};
  for (const [key, bytes] of files) entries[`${key}.npy`] = [bytes, { level: 0 }];
  await writeFileAtomic(path, zipSync(entries));
}

/** Write `files` as `<dir>/<key>.npy` plus `meta.json` (staged next to `dir`, then moved in). */
export async function writeNpyDir(dir: string, files: Map<string, Uint8Array>, meta: object): Promise<void> {
  const out = new Map<string, Uint8Array | string>();
  for (const [key, bytes] of files) out.set(`${key}.npy`, bytes);
  out.set('meta.json', `${JSON.stringify(meta, null, 2)}\n`);
  await writeDirAtomic(dir, out);
}
