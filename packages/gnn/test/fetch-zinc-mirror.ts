/**
 * Test helpers for the ZINC fetch: a writer of PyG-format molecules pickles (protocol 2, tensors over legacy
 * torch.save storage blobs, shared storages memoized) and a mirror of the real ZINC files built from the
 * reference copy in GRAPHPE_DATA_DIR, for the gnn and CLI tests.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { zipSync } from 'fflate';

/**
 * The files of a ZINC mirror (`train.csv.gz`, …, `molecules.zip`, `*.index`) from `<dataDir>/zinc`: the real
 * SMILES texts (gzipped) and index files, and a molecules.zip holding the reference targets with num_atom
 * counted by {@link regexHeavyAtoms}.
 */
export function realZincMirror(dataDir: string): Record<string, Uint8Array> {
  const full = gunzipSync(readFileSync(join(dataDir, 'zinc', 'zinc_full.csv.gz')))
    .toString('utf8')
    .trimEnd()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','));
  const files: Record<string, Uint8Array> = {};
  const pickles: Record<string, Uint8Array> = {};
  for (const [split, file] of [
    ['train', 'train.csv.gz'],
    ['val', 'valid.csv.gz'],
    ['test', 'test.csv.gz'],
  ]) {
    const rows = full.filter((r) => r[0] === split);
    files[file] = new Uint8Array(gzipSync(Buffer.from(rows.map((r) => `${r[2]}\n`).join(''))));
    pickles[`molecules/${split}.pickle`] = moleculesPickle(
      rows.map((r) => ({ numAtom: regexHeavyAtoms(r[2]), y: Number(r[3]) })),
    );
  }
  files['molecules.zip'] = zipSync(pickles);
  for (const f of ['train.index', 'val.index', 'test.index']) {
    files[f] = new Uint8Array(readFileSync(join(dataDir, 'zinc', 'benchmarking-gnns-index', f)));
  }
  return files;
}

/** Heavy atoms of a SMILES: bracket atoms other than hydrogen, and the organic subset. */
export function regexHeavyAtoms(smiles: string): number {
  return (smiles.match(/\[[^\]]*\]|Br|Cl|[BCNOPSFIbcnops]/g) ?? []).filter(
    (a) => !/^\[\d*H[^a-z]*\]$/.test(a),
  ).length;
}

/** Pickle bytes, protocol 2. */
class PickleWriter {
  private buf = Buffer.alloc(1 << 20);
  private n = 0;
  byte(...b: number[]) {
    this.room(b.length);
    for (const x of b) this.buf[this.n++] = x;
  }
  ascii(s: string) {
    this.room(s.length);
    this.n += this.buf.write(s, this.n, 'latin1');
  }
  int(v: number) {
    this.byte(0x4a);
    this.room(4);
    this.n = this.buf.writeInt32LE(v, this.n);
  }
  str(s: string) {
    this.byte(0x58);
    this.room(4);
    this.n = this.buf.writeUInt32LE(s.length, this.n);
    this.ascii(s);
  }
  bytes(b: Uint8Array) {
    this.byte(0x42);
    this.room(4 + b.length);
    this.n = this.buf.writeUInt32LE(b.length, this.n);
    this.buf.set(b, this.n);
    this.n += b.length;
  }
  put(i: number) {
    this.byte(0x71, i);
  }
  get(i: number) {
    this.byte(0x68, i);
  }
  done(): Uint8Array {
    return new Uint8Array(this.buf.subarray(0, this.n));
  }
  private room(k: number) {
    if (this.n + k <= this.buf.length) return;
    const bigger = Buffer.alloc(Math.max(this.buf.length * 2, this.n + k));
    this.buf.copy(bigger, 0, 0, this.n);
    this.buf = bigger;
  }
}

/**
 * A legacy torch.save blob of one storage (as torch.storage._load_from_bytes reads it); `pid` replaces the
 * persistent id's storage type (`module\nname`) or element count, for malformed blobs.
 */
export function storageBlob(
  type: string,
  elementSize: number,
  data: Uint8Array,
  pid: { global?: string; numel?: number } = {},
): Uint8Array {
  const w = new PickleWriter();
  const numel = pid.numel ?? data.length / elementSize;
  w.byte(0x80, 2, 0x8a, 10, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e); // magic number
  w.byte(0x80, 2, 0x4d, 0xe9, 0x03, 0x2e); // protocol 1001
  w.byte(0x80, 2, 0x7d);
  w.str('little_endian');
  w.byte(0x88, 0x73, 0x2e);
  w.byte(0x80, 2, 0x28);
  w.str('storage');
  w.byte(0x63);
  w.ascii(`${pid.global ?? `torch\n${type}`}\n`);
  w.str('k0');
  w.str('cpu');
  w.int(numel);
  w.byte(0x4e, 0x74, 0x51, 0x2e); // None, TUPLE, BINPERSID, STOP
  w.byte(0x80, 2, 0x5d);
  w.str('k0');
  w.byte(0x61, 0x2e);
  const size = Buffer.alloc(8);
  size.writeBigInt64LE(BigInt(numel));
  return new Uint8Array(Buffer.concat([w.done(), size, data]));
}

/**
 * `pickle.dump` of a list of ZINC molecules: dicts of num_atom, atom_type (a view of one shared uint8
 * storage), bond_type (num_atom × num_atom with zero strides over one element) and
 * logP_SA_cycle_normalized (element i of one float32 storage of every target, or a zero-stride view of it
 * of shape `yShape`).
 */
export function moleculesPickle(
  mols: readonly { numAtom: number; y: number; atoms?: number; yShape?: number[] }[],
): Uint8Array {
  const w = new PickleWriter();
  const ys = new Float32Array(mols.map((m) => m.y));
  w.byte(0x80, 2, 0x5d, 0x28);
  // Each shared value is written once and memoized (BINPUT), then fetched (BINGET), as pickle.dump does.
  const memo = new Set<number>();
  const ref = (i: number, emit: () => void) => {
    if (memo.has(i)) return w.get(i);
    emit();
    w.put(i);
    memo.add(i);
  };
  const global = (i: number, module: string, name: string) =>
    ref(i, () => {
      w.byte(0x63);
      w.ascii(`${module}\n${name}\n`);
    });
  const storages: [string, number, Uint8Array][] = [
    ['ByteStorage', 1, new Uint8Array(64).map((_, i) => i % 9)],
    ['ByteStorage', 1, new Uint8Array([1])],
    ['FloatStorage', 4, new Uint8Array(ys.buffer)],
  ];
  const storage = (k: number) =>
    ref(3 + k, () => {
      global(2, 'torch.storage', '_load_from_bytes');
      w.bytes(storageBlob(...storages[k]));
      w.byte(0x85, 0x52);
    });
  const KEYS = ['num_atom', 'atom_type', 'bond_type', 'logP_SA_cycle_normalized'];
  const key = (k: number) => ref(6 + k, () => w.str(KEYS[k]));
  const tensor = (k: number, offset: number, size: number[], stride: number[]) => {
    global(0, 'torch._utils', '_rebuild_tensor_v2');
    w.byte(0x28);
    storage(k);
    w.int(offset);
    w.byte(0x28);
    for (const x of size) w.int(x);
    w.byte(0x74, 0x28);
    for (const x of stride) w.int(x);
    w.byte(0x74, 0x89);
    global(1, 'collections', 'OrderedDict');
    w.byte(0x29, 0x52, 0x74, 0x52);
  };
  mols.forEach((m, i) => {
    w.byte(0x7d, 0x28);
    key(0);
    w.int(m.numAtom);
    key(1);
    tensor(0, 0, [m.atoms ?? m.numAtom], [1]);
    key(2);
    tensor(1, 0, [m.numAtom, m.numAtom], [0, 0]);
    key(3);
    // yShape: the target as a broadcast view (zero strides) of that shape instead of one element.
    tensor(2, i, m.yShape ?? [1], m.yShape?.map(() => 0) ?? [1]);
    w.byte(0x75);
  });
  w.byte(0x65, 0x2e);
  return w.done();
}
