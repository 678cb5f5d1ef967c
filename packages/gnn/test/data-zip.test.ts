import { GraphpeError } from '@graphpe/spectral';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { crc32, readZip } from '../src/data/zip.js';

const text = (s: string) => new TextEncoder().encode(s);
const unix = (mode: number) => ({ os: 3, attrs: (mode << 16) >>> 0 });

function zipError(bytes: Uint8Array): GraphpeError {
  try {
    readZip(bytes, 'test');
  } catch (err) {
    expect(err).toBeInstanceOf(GraphpeError);
    return err as GraphpeError;
  }
  throw new Error('no error');
}

describe('readZip', () => {
  it('reads stored and deflated members, directories, symlinks and special files by their Unix mode', () => {
    const body = text('hello '.repeat(50));
    for (const level of [0, 6] as const) {
      const members = readZip(
        zipSync(
          {
            'a/': new Uint8Array(0),
            'a/b.txt': body,
            'a/link': [text('../b.txt'), unix(0o120777)],
            'a/fifo': [new Uint8Array(0), unix(0o010644)],
            'a/plain': [text('x'), unix(0o100644)],
          },
          { level },
        ),
        'test',
      );
      expect(members.map((m) => [m.name, m.type])).toEqual([
        ['a/', 'directory'],
        ['a/b.txt', 'file'],
        ['a/link', 'symlink'],
        ['a/fifo', 'special'],
        ['a/plain', 'file'],
      ]);
      expect(new TextDecoder().decode(members[1].data)).toBe('hello '.repeat(50));
    }
  });

  it('computes the standard CRC-32', () => {
    expect(crc32(text('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  it('refuses data that is not a zip, a CRC mismatch, an unsupported method and encryption (E_PARSE)', () => {
    expect(zipError(text('not a zip')).message).toBe(
      'test: no end-of-central-directory record in its 9 bytes',
    );
    const stored = zipSync({ 'x.txt': text('abcdef') }, { level: 0 });
    const flipped = stored.slice();
    flipped[30 + 'x.txt'.length + 2] ^= 1;
    expect(zipError(flipped).message).toMatch(
      /^test: entry 'x\.txt': CRC-32 [0-9a-f]{8} does not match the stored/,
    );
    // The central directory starts after the one local entry (30 + name + data bytes).
    const cd = 30 + 'x.txt'.length + 6;
    const method = stored.slice();
    method[cd + 10] = 12; // bzip2
    expect(zipError(method).message).toBe(
      "test: entry 'x.txt': compression method 12 is not supported (stored or deflate only)",
    );
    const encrypted = stored.slice();
    encrypted[cd + 8] |= 1;
    expect(zipError(encrypted).message).toBe("test: entry 'x.txt' is encrypted");
    const truncated = stored.slice(0, stored.length - 30);
    expect(zipError(truncated).code).toBe('E_PARSE');
  });
});
