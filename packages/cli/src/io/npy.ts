/**
 * NumPy `.npy` format v1.0 writer (https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html):
 * little-endian typed arrays with a shape, readable by `numpy.load` without pickling.
 */
export type NpyArray = Float64Array | Float32Array | Int32Array | Uint8Array | BigInt64Array;

const DESCR: Record<string, string> = {
  Float64Array: '<f8',
  Float32Array: '<f4',
  Int32Array: '<i4',
  Uint8Array: '|u1',
  BigInt64Array: '<i8',
};

/** Encode `data` (C order) with `shape` as the bytes of a .npy file. */
export function encodeNpy(data: NpyArray, shape: readonly number[]): Uint8Array {
  const size = shape.reduce((a, b) => a * b, 1);
  if (size !== data.length) {
    throw new Error(
      `cli.encodeNpy: shape [${shape.join(', ')}] holds ${size} values but data has ${data.length}`,
    );
  }
  return encodeNpyRaw(
    DESCR[data.constructor.name],
    shape,
    new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
  );
}

/** A .npy file of dtype `descr` (e.g. `'<U12'`) and `shape` around already-encoded C-order `body` bytes. */
export function encodeNpyRaw(descr: string, shape: readonly number[], body: Uint8Array): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  // magic(6) + version(2) + header length(2) + header + '\n' must be a multiple of 64.
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = `${header.padEnd(total - 10 - 1, ' ')}\n`;
  const out = new Uint8Array(total + body.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  out[8] = header.length & 0xff;
  out[9] = header.length >> 8;
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  out.set(body, total);
  return out;
}
