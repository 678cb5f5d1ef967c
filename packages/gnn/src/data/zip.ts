/**
 * A strict in-memory zip reader for downloaded archives: walks the central directory (zip64 included),
 * reports each member's type from its Unix mode bits (so symlinks are recognisable), inflates stored and
 * deflated members with node:zlib and checks every size and CRC-32. Anything malformed is `E_PARSE`.
 */
import { inflateRawSync } from 'node:zlib';
import { GraphpeError } from '@graphpe/spectral';

/** One member of a zip archive. */
export interface ZipMember {
  /** The name as stored (`/`-separated; a trailing `/` marks a directory). */
  readonly name: string;
  /** `special`: a FIFO, device or socket by its Unix mode. */
  readonly type: 'file' | 'directory' | 'symlink' | 'special';
  /** The uncompressed bytes of a file, or the target of a symlink; empty for directories. */
  readonly data: Uint8Array;
}

const SIG_EOCD = 0x06054b50;
const SIG_EOCD64 = 0x06064b50;
const SIG_LOCATOR64 = 0x07064b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_LOCAL = 0x04034b50;
const UNIX_HOST = 3;

let crcTable: Uint32Array | undefined;

/** CRC-32 (IEEE 802.3, the zip and gzip checksum) of `bytes`. */
export function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let i = 0; i < 256; i++) {
      let c = i;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[i] = c >>> 0;
    }
  }
  const t = crcTable;
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = t[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const hex8 = (x: number): string => x.toString(16).padStart(8, '0');

/** Read every member of the zip archive `bytes`; `where` prefixes error messages. */
export function readZip(bytes: Uint8Array, where: string): ZipMember[] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const size = bytes.length;
  const fail = (msg: string, details: Record<string, unknown> = {}) =>
    new GraphpeError('E_PARSE', `${where}: ${msg}`, details);
  const u16 = (p: number) => dv.getUint16(p, true);
  const u32 = (p: number) => dv.getUint32(p, true);
  const u64 = (p: number) => dv.getUint32(p, true) + dv.getUint32(p + 4, true) * 2 ** 32;

  let eocd = -1;
  for (let p = size - 22; p >= Math.max(0, size - 22 - 0xffff); p--) {
    if (u32(p) === SIG_EOCD && p + 22 + u16(p + 20) === size) {
      eocd = p;
      break;
    }
  }
  if (eocd < 0) throw fail(`no end-of-central-directory record in its ${size} bytes`);
  let count = u16(eocd + 10);
  let cdSize = u32(eocd + 12);
  let cdOffset = u32(eocd + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const loc = eocd - 20;
    if (loc < 0 || u32(loc) !== SIG_LOCATOR64) throw fail('zip64 archive without its zip64 locator');
    const e64 = u64(loc + 8);
    if (e64 + 56 > size || u32(e64) !== SIG_EOCD64) throw fail('zip64 end record out of place');
    count = u64(e64 + 32);
    cdSize = u64(e64 + 40);
    cdOffset = u64(e64 + 48);
  }
  if (cdOffset + cdSize > size) {
    throw fail(`central directory (offset ${cdOffset}, ${cdSize} bytes) runs past the end (${size} bytes)`);
  }
  const members: ZipMember[] = [];
  const utf8 = new TextDecoder('utf-8', { fatal: false });
  const latin1 = new TextDecoder('latin1');
  let p = cdOffset;
  for (let k = 0; k < count; k++) {
    if (p + 46 > size || u32(p) !== SIG_CENTRAL) throw fail(`central directory entry ${k} is damaged`);
    const host = bytes[p + 5];
    const flags = u16(p + 8);
    const method = u16(p + 10);
    const crc = u32(p + 16);
    let csize = u32(p + 20);
    let usize = u32(p + 24);
    const nameLen = u16(p + 28);
    const extraLen = u16(p + 30);
    const commentLen = u16(p + 32);
    const external = u32(p + 38);
    let offset = u32(p + 42);
    const nameBytes = bytes.subarray(p + 46, p + 46 + nameLen);
    const name = (flags & 0x800 ? utf8 : latin1).decode(nameBytes);
    // Zip64 extra field: the 64-bit values of whichever 32-bit fields are saturated, in this order.
    let x = p + 46 + nameLen;
    const xEnd = x + extraLen;
    while (x + 4 <= xEnd) {
      const id = u16(x);
      const len = u16(x + 2);
      if (id === 0x0001) {
        let q = x + 4;
        if (usize === 0xffffffff) {
          usize = u64(q);
          q += 8;
        }
        if (csize === 0xffffffff) {
          csize = u64(q);
          q += 8;
        }
        if (offset === 0xffffffff) offset = u64(q);
      }
      x += 4 + len;
    }
    p = xEnd + commentLen;
    if (p > cdOffset + cdSize) throw fail(`central directory entry ${k} ('${name}') runs past the directory`);
    const mode = host === UNIX_HOST ? external >>> 16 : 0;
    const fmt = mode & 0o170000;
    const type: ZipMember['type'] =
      fmt === 0o120000
        ? 'symlink'
        : name.endsWith('/') || fmt === 0o040000 || (external & 0x10) !== 0
          ? 'directory'
          : fmt === 0 || fmt === 0o100000
            ? 'file'
            : 'special';
    if (type === 'directory' || type === 'special') {
      members.push({ name, type, data: new Uint8Array(0) });
      continue;
    }
    if (flags & 1) throw fail(`entry '${name}' is encrypted`, { entry: name });
    if (offset + 30 > size || u32(offset) !== SIG_LOCAL) {
      throw fail(`entry '${name}': no local header at offset ${offset}`, { entry: name });
    }
    const start = offset + 30 + u16(offset + 26) + u16(offset + 28);
    if (start + csize > size) {
      throw fail(`entry '${name}': ${csize} compressed bytes at ${start} run past the end (${size} bytes)`, {
        entry: name,
      });
    }
    const raw = bytes.subarray(start, start + csize);
    let data: Uint8Array;
    if (method === 0) {
      data = raw;
    } else if (method === 8) {
      try {
        data = inflateRawSync(raw, { maxOutputLength: Math.max(1, usize) });
      } catch (err) {
        throw fail(`entry '${name}': corrupt deflate data (${(err as Error).message})`, { entry: name });
      }
    } else {
      throw fail(`entry '${name}': compression method ${method} is not supported (stored or deflate only)`, {
        entry: name,
        method,
      });
    }
    if (data.length !== usize) {
      throw fail(`entry '${name}': ${data.length} bytes where the directory says ${usize}`, { entry: name });
    }
    const got = crc32(data);
    if (got !== crc) {
      throw fail(`entry '${name}': CRC-32 ${hex8(got)} does not match the stored ${hex8(crc)}`, {
        entry: name,
      });
    }
    members.push({ name, type, data });
  }
  return members;
}
