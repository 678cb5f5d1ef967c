import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GraphpeError } from '@graphpe/spectral';
import { describe, expect, it } from 'vitest';
import {
  type PyValue,
  readPickle,
  type TorchStorage,
  type TorchTensor,
  tensorValues,
} from '../src/data/pickle.js';
import { readZip } from '../src/data/zip.js';
import { storageBlob } from './fetch-zinc-mirror.js';

const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'zinc-fetch', 'molecules.zip');
const members = new Map(
  readZip(new Uint8Array(readFileSync(FIXTURE)), 'fixture').map((m) => [m.name, m.data]),
);

/** Bytes from numbers and latin1 strings. */
function bytes(...parts: (number | string)[]): Uint8Array {
  const out: number[] = [];
  for (const p of parts) {
    if (typeof p === 'number') out.push(p);
    else for (const c of p) out.push(c.charCodeAt(0));
  }
  return new Uint8Array(out);
}

function parseError(data: Uint8Array): GraphpeError {
  try {
    readPickle(data, 'test.pickle');
  } catch (err) {
    expect(err).toBeInstanceOf(GraphpeError);
    expect((err as GraphpeError).code).toBe('E_PARSE');
    return err as GraphpeError;
  }
  throw new Error('no error');
}

const get = (v: PyValue, key: string) => (v as Map<string, PyValue>).get(key);

describe('readPickle: the pickles of PyG molecules.zip (made by make_fixture.py with torch)', () => {
  it('reads lists of dicts of torch tensors in protocols 2 (test), 3 (train) and 4 (val)', () => {
    const expected: Record<string, { atoms: number[]; y: number[] }> = {
      'molecules/train.pickle': {
        atoms: [33, 18, 26, 16, 32, 22],
        y: [3.04645, 0.490605, 1.085144, -1.935299, 1.575312, 0.045225],
      },
      'molecules/val.pickle': { atoms: [21, 27, 20], y: [2.099053, -3.137523, -1.313041] },
      'molecules/test.pickle': { atoms: [24, 21], y: [3.138076, 0.172025] },
    };
    for (const [name, want] of Object.entries(expected)) {
      const list = readPickle(members.get(name)!, name) as PyValue[];
      expect(Array.isArray(list)).toBe(true);
      expect(list.map((m) => get(m, 'num_atom'))).toEqual(want.atoms);
      const y = list.map((m) => get(m, 'logP_SA_cycle_normalized') as TorchTensor);
      expect(y.map((t) => [t.dtype, t.shape])).toEqual(want.y.map(() => ['float32', [1]]));
      expect(y.map((t) => tensorValues(t)[0])).toEqual(want.y.map((v) => Math.fround(v)));
      list.forEach((m, i) => {
        const atoms = get(m, 'atom_type') as TorchTensor;
        expect(atoms.dtype).toBe('uint8');
        expect(tensorValues(atoms)).toEqual(Array.from({ length: want.atoms[i] }, (_, k) => k % 9));
        const bonds = get(m, 'bond_type') as TorchTensor;
        const n = want.atoms[i];
        expect([bonds.dtype, bonds.shape, bonds.stride]).toEqual(['int64', [n, n], [n, 1]]);
        const b = tensorValues(bonds);
        expect(b.reduce((a, x) => a + x, 0)).toBe(2 * (n - 1));
        expect([b[1], b[n], b[n + 2]]).toEqual([1, 1, 1]);
      });
    }
  });

  it('reads NumPy number scalars (numpy.core.multiarray.scalar of a numpy.dtype) as numbers', () => {
    const file = join(dirname(FIXTURE), 'numpy-scalars.pickle');
    expect(readPickle(new Uint8Array(readFileSync(file)), 'numpy-scalars.pickle')).toEqual([
      24, 1.5, -3, -0.25, 7,
    ]);
    // val.pickle stores num_atom as numpy.int64.
    const val = readPickle(members.get('molecules/val.pickle')!, 'val') as PyValue[];
    expect(val.map((m) => get(m, 'num_atom'))).toEqual([21, 27, 20]);
    // A dtype that is not a number is refused.
    const err = parseError(
      bytes(0x80, 3, 'c', 'numpy\ndtype\n', 'X', 2, 0, 0, 0, 'O8', 0x89, 0x88, 0x87, 'R', '.'),
    );
    expect(err.message).toContain("numpy.dtype('O8') is not a number type this reader reads");
  });

  it('reads the basic values: ints of every width, big ints, floats, strings, bytes, tuples, dicts, memo', () => {
    // [1, 300, -2, 2**70, 1.5, 'é', b'ab', (None, True, False), {'k': 7}, <memo 1 again>] in protocol 2
    const p = bytes(
      0x80,
      2,
      ']',
      '(',
      'K',
      1,
      'M',
      44,
      1,
      'J',
      0xfe,
      0xff,
      0xff,
      0xff,
      0x8a,
      9,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0x40,
      'G',
      0x3f,
      0xf8,
      0,
      0,
      0,
      0,
      0,
      0,
      'X',
      2,
      0,
      0,
      0,
      0xc3,
      0xa9,
      'q',
      1,
      'C',
      2,
      'ab',
      'N',
      0x88,
      0x89,
      0x87,
      '}',
      'X',
      1,
      0,
      0,
      0,
      'k',
      'K',
      7,
      's',
      'h',
      1,
      'e',
      '.',
    );
    const v = readPickle(p, 'values') as PyValue[];
    expect(v.slice(0, 6)).toEqual([1, 300, -2, 2n ** 70n, 1.5, 'é']);
    expect(v[6]).toEqual(new Uint8Array([97, 98]));
    expect(v[7]).toEqual({ kind: 'tuple', items: [null, true, false] });
    expect(v[8]).toEqual(new Map([['k', 7]]));
    expect(v[9]).toBe('é');
  });

  it('reads a LONG4 of a megabyte in linear time (a shift per byte took minutes)', () => {
    const n = 1 << 20;
    const long4 = (fill: (b: Uint8Array) => void) => {
      const p = new Uint8Array(2 + 5 + n + 1);
      p.set([0x80, 2, 0x8b, n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24]);
      fill(p.subarray(7, 7 + n));
      p[p.length - 1] = 0x2e;
      return p;
    };
    const started = Date.now();
    const big = readPickle(
      long4((b) => {
        b[0] = 1;
        b[n - 1] = 0x12;
      }),
      'long4',
    );
    expect(big).toBe((0x12n << BigInt(8 * (n - 1))) + 1n);
    expect(
      readPickle(
        long4((b) => b.fill(0xff)),
        'long4',
      ),
    ).toBe(-1);
    const negative = readPickle(
      long4((b) => {
        b[n - 1] = 0x80;
      }),
      'long4',
    );
    expect(negative).toBe(-(1n << BigInt(8 * n - 1)));
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('refuses any global it does not know, naming it and the byte (nothing is called)', () => {
    // os.system('ls')
    const err = parseError(bytes(0x80, 2, 'c', 'os\nsystem\n', 'X', 2, 0, 0, 0, 'ls', 0x85, 'R', '.'));
    expect(err.message).toBe(
      'test.pickle: pickle byte 2: refers to os.system, which this reader does not load',
    );
    // The same through STACK_GLOBAL (protocol 4).
    const stack = parseError(
      bytes(0x80, 4, 0x8c, 8, 'builtins', 0x8c, 4, 'eval', 0x93, 0x8c, 1, '1', 0x85, 'R', '.'),
    );
    expect(stack.message).toContain('refers to builtins.eval, which this reader does not load');
  });

  it('refuses truncated data, unknown opcodes, other protocols, trailing bytes and a broken stack', () => {
    const train = members.get('molecules/train.pickle')!;
    expect(parseError(train.subarray(0, 500)).message).toMatch(/^test\.pickle: pickle byte \d+: truncated/);
    expect(parseError(bytes(0x80, 2, 'I', '1\n', '.')).message).toBe(
      'test.pickle: pickle byte 2: opcode 0x49 is not one this reader knows',
    );
    expect(parseError(bytes(0x80, 1, 'N', '.')).message).toContain(
      'pickle protocol 1 (this reader reads 2 to 5)',
    );
    expect(parseError(bytes(0x80, 2, 'N', '.', 'N')).message).toContain("1 bytes after the pickle's STOP");
    expect(parseError(bytes(0x80, 2, 'a', '.')).message).toContain('stack underflow');
    expect(parseError(bytes(0x80, 2, 'N', 'N', '.')).message).toContain(
      'STOP with 1 more values on the stack',
    );
    expect(parseError(bytes(0x80, 2, 'h', 3, '.')).message).toContain('memo entry 3 was never stored');
    expect(parseError(bytes(0x80, 2, 'N', 'Q', '.')).message).toContain(
      'a persistent id outside a torch storage blob',
    );
  });

  it('refuses a torch storage blob that is not a legacy torch.save of one storage', () => {
    // _load_from_bytes(b'\x80\x02K\x01.'): a pickle of 1, not the magic number.
    const err = parseError(
      bytes(0x80, 3, 'c', 'torch.storage\n_load_from_bytes\n', 'C', 5, 0x80, 2, 'K', 1, '.', 0x85, 'R', '.'),
    );
    expect(err.message).toBe(
      'test.pickle (torch storage blob): not a legacy torch.save blob (wrong magic number)',
    );
    // _load_from_bytes(blob) in protocol 3, the blob's persistent id changed
    const load = (blob: Uint8Array) =>
      new Uint8Array([
        ...bytes(0x80, 3, 'c', 'torch.storage\n_load_from_bytes\n', 'B'),
        ...new Uint8Array(new Uint32Array([blob.length]).buffer),
        ...blob,
        ...bytes(0x85, 'R', '.'),
      ]);
    const four = new Uint8Array(16);
    expect(readPickle(load(storageBlob('FloatStorage', 4, four)), 'ok')).toMatchObject({
      kind: 'storage',
      dtype: 'float32',
      numel: 4,
    });
    // A blob whose first pickle is itself _load_from_bytes of a blob, nested 20000 deep (800 kB): refused
    // at the first nesting, not followed until the stack overflows.
    const depth = 20000;
    const head = bytes(0x80, 3, 'c', 'torch.storage\n_load_from_bytes\n', 'B');
    const tail = bytes(0x85, 'R', '.');
    const inner = storageBlob('FloatStorage', 4, four);
    const nested = new Uint8Array(inner.length + depth * (head.length + 4 + tail.length));
    const dv = new DataView(nested.buffer);
    let length = inner.length;
    nested.set(inner, depth * (head.length + 4));
    for (let k = depth - 1; k >= 0; k--) {
      const at = k * (head.length + 4);
      nested.set(head, at);
      dv.setUint32(at + head.length, length, true);
      nested.set(tail, nested.length - (k + 1) * tail.length);
      length += head.length + 4 + tail.length;
    }
    expect(parseError(nested).message).toMatch(
      /^test\.pickle \(torch storage blob\): pickle byte \d+: a torch storage blob inside another one$/,
    );
    for (const pid of [{ global: 'collections\nOrderedDict' }, { numel: -4 }]) {
      expect(parseError(load(storageBlob('FloatStorage', 4, four, pid))).message).toMatch(
        /^test\.pickle \(torch storage blob\): pickle byte \d+: a persistent id that is not a torch storage$/,
      );
    }
  });
});

describe('tensorValues', () => {
  const storage = (values: number[]): TorchStorage => {
    const data = new Uint8Array(new Float64Array(values).buffer);
    return { kind: 'storage', dtype: 'float64', numel: values.length, data };
  };

  it('reads a strided view (a transpose, an offset) in row-major order', () => {
    const s = storage([0, 1, 2, 3, 4, 5, 6]);
    // The 2 × 3 matrix [[1,2,3],[4,5,6]] from offset 1, transposed to 3 × 2.
    const t: TorchTensor = {
      kind: 'tensor',
      dtype: 'float64',
      shape: [3, 2],
      stride: [1, 3],
      offset: 1,
      storage: s,
    };
    expect(tensorValues(t)).toEqual([1, 4, 2, 5, 3, 6]);
    const scalar: TorchTensor = {
      kind: 'tensor',
      dtype: 'float64',
      shape: [],
      stride: [],
      offset: 6,
      storage: s,
    };
    expect(tensorValues(scalar)).toEqual([6]);
  });
});
