/**
 * A compact single-file container for typed arrays: header JSON + concatenated arrays, versioned and
 * checksummed, read back as zero-copy views.
 *
 * Layout (little-endian): magic `GPECACHE` (8 bytes) · u32 format version · u32 header length H · H bytes
 * of UTF-8 JSON `{ meta, arrays: [{ name, dtype, length, offset }], bodyBytes, crc32 }` · zero padding to
 * a multiple of 8 · body (each array at an 8-byte-aligned `offset` from the body start). `crc32` is the
 * CRC-32 (zlib) of the body; a mismatch, a wrong magic/version or a truncated file is `E_FILE`.
 */
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import * as zlib from 'node:zlib';
import { GraphpeError } from '@graphpe/spectral';

/** Bumped on any incompatible layout change. */
export const CONTAINER_VERSION = 1;
const MAGIC = 'GPECACHE';

/** Typed arrays a container stores. */
export type StoredArray = Float64Array | Float32Array | Int32Array | Uint8Array;
type Dtype = 'f64' | 'f32' | 'i32' | 'u8';

const CTOR = { f64: Float64Array, f32: Float32Array, i32: Int32Array, u8: Uint8Array } as const;

function dtypeOf(a: StoredArray): Dtype {
  if (a instanceof Float64Array) return 'f64';
  if (a instanceof Float32Array) return 'f32';
  if (a instanceof Int32Array) return 'i32';
  return 'u8';
}

const crcTable = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

/**
 * CRC-32 (IEEE, as zlib/gzip) of `bytes`, continuing from `crc` (the CRC of the preceding bytes); Node's
 * native `zlib.crc32` when available (Node ≥ 20.15).
 */
export function crc32(bytes: Uint8Array, crc = 0): number {
  // (Node's native crc32 returns 0 for a view on a zero-length ArrayBuffer, whatever the start value.)
  if (bytes.length === 0) return crc >>> 0;
  const native = (zlib as unknown as { crc32?: (d: Uint8Array, v?: number) => number }).crc32;
  if (typeof native === 'function') return native(bytes, crc) >>> 0;
  let c = ~crc;
  for (let i = 0; i < bytes.length; i++) c = crcTable[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

interface Header {
  meta: unknown;
  arrays: { name: string; dtype: Dtype; length: number; offset: number }[];
  bodyBytes: number;
  crc32: number;
}

const align8 = (x: number) => (x + 7) & ~7;

/**
 * Write `meta` and `arrays` to `file` without assembling the body in memory (arrays are streamed in order),
 * atomically: a temporary file renamed into place.
 */
export function writeContainer(file: string, meta: unknown, arrays: Record<string, StoredArray>): void {
  const entries: Header['arrays'] = [];
  const views: Uint8Array[] = [];
  let bodyBytes = 0;
  let crc = 0;
  for (const [name, a] of Object.entries(arrays)) {
    entries.push({ name, dtype: dtypeOf(a), length: a.length, offset: bodyBytes });
    const view = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    const pad = align8(a.byteLength) - a.byteLength;
    crc = crc32(view, crc);
    if (pad > 0) crc = crc32(ZEROS.subarray(0, pad), crc);
    views.push(view, ZEROS.subarray(0, pad));
    bodyBytes += a.byteLength + pad;
  }
  const header: Header = { meta, arrays: entries, bodyBytes, crc32: crc };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const head = Buffer.alloc(align8(16 + json.length));
  head.write(MAGIC, 0, 'latin1');
  head.writeUInt32LE(CONTAINER_VERSION, 8);
  head.writeUInt32LE(json.length, 12);
  json.copy(head, 16);
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeAll(fd, head);
    for (const v of views) writeAll(fd, v);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

const ZEROS = new Uint8Array(8);

function writeAll(fd: number, bytes: Uint8Array): void {
  let off = 0;
  while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
}

/** A container read back: its meta and zero-copy array views. */
export interface Container {
  readonly meta: unknown;
  readonly arrays: Record<string, StoredArray>;
}

function bad(file: string, why: string): never {
  throw new GraphpeError('E_FILE', `gnn.readContainer: ${file}: ${why}`, { file });
}

/** Read a container written by {@link writeContainer}; `E_FILE` on any inconsistency (checksum included). */
export function readContainer(file: string, options: { verify?: boolean } = {}): Container {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (err) {
    bad(file, `cannot read (${(err as Error).message})`);
  }
  if (buf.length < 16 || buf.toString('latin1', 0, 8) !== MAGIC)
    bad(file, 'not a graphpe cache file (bad magic)');
  const version = buf.readUInt32LE(8);
  if (version !== CONTAINER_VERSION)
    bad(file, `format version ${version}, this graphpe reads ${CONTAINER_VERSION}`);
  const hlen = buf.readUInt32LE(12);
  if (16 + hlen > buf.length) bad(file, 'truncated header');
  let header: Header;
  try {
    header = JSON.parse(buf.toString('utf8', 16, 16 + hlen));
  } catch {
    bad(file, 'corrupt header');
  }
  const start = align8(16 + hlen);
  if (start + header.bodyBytes !== buf.length)
    bad(file, `truncated or padded body (${buf.length - start} bytes, header says ${header.bodyBytes})`);
  // Views need 8-byte alignment of the underlying buffer.
  let bytes = new Uint8Array(buf.buffer, buf.byteOffset + start, header.bodyBytes);
  if ((buf.byteOffset + start) % 8 !== 0) bytes = bytes.slice();
  if ((options.verify ?? true) && crc32(bytes) !== header.crc32)
    bad(file, 'checksum mismatch (file corrupted)');
  const arrays: Record<string, StoredArray> = {};
  for (const e of header.arrays) {
    const C = CTOR[e.dtype];
    if (!C || e.offset + e.length * C.BYTES_PER_ELEMENT > header.bodyBytes)
      bad(file, `array '${e.name}' out of bounds`);
    arrays[e.name] = new C(bytes.buffer as ArrayBuffer, bytes.byteOffset + e.offset, e.length);
  }
  return { meta: header.meta, arrays };
}
