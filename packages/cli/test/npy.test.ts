import { describe, expect, it } from 'vitest';
import { encodeNpy } from '../src/io/npy.js';

describe('encodeNpy', () => {
  it('writes a v1.0 header padded to 64 bytes followed by little-endian data', () => {
    const bytes = encodeNpy(Float64Array.from([1, 2, 3, 4, 5, 6]), [2, 3]);
    expect(Array.from(bytes.subarray(0, 8))).toEqual([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
    const hlen = bytes[8] | (bytes[9] << 8);
    expect((10 + hlen) % 64).toBe(0);
    const header = new TextDecoder().decode(bytes.subarray(10, 10 + hlen));
    expect(header).toMatch(/^\{'descr': '<f8', 'fortran_order': False, 'shape': \(2, 3\), \} *\n$/);
    const data = new Float64Array(bytes.slice(10 + hlen).buffer);
    expect(Array.from(data)).toEqual([1, 2, 3, 4, 5, 6]);
  });
  it('uses the 1-tuple shape syntax and other dtypes', () => {
    const header = new TextDecoder().decode(encodeNpy(Uint8Array.from([1, 0]), [2]).subarray(10, 64));
    expect(header).toContain("'descr': '|u1'");
    expect(header).toContain("'shape': (2,)");
  });
  it('rejects a shape that does not match the data', () => {
    expect(() => encodeNpy(new Float32Array(5), [2, 3])).toThrow(/holds 6 values but data has 5/);
  });
});
