/**
 * A strict reader for the Python pickles of PyTorch Geometric's ZINC archive: pickle protocols 2–5 (the
 * opcodes that lists, dicts, tuples, numbers, strings and bytes use), plus the tensors plain `pickle`
 * writes for `torch.Tensor` — `torch._utils._rebuild_tensor_v2` over a storage reduced to
 * `torch.storage._load_from_bytes` of a legacy (non-zip) `torch.save` blob. No Python object is built from a
 * name the reader does not know: any other global, opcode or persistent id is `E_PARSE` naming it and the
 * byte where it stands. NumPy number scalars (`numpy.core.multiarray.scalar` of a `numpy.dtype`) read as
 * numbers. Storage bytes are views into the input, not copies.
 */
import { GraphpeError } from '@graphpe/spectral';

/** Element type of a torch storage. */
export type TorchDtype =
  | 'float64'
  | 'float32'
  | 'float16'
  | 'bfloat16'
  | 'int64'
  | 'int32'
  | 'int16'
  | 'int8'
  | 'uint8'
  | 'bool';

/** A torch storage read from a legacy `torch.save` blob. */
export interface TorchStorage {
  readonly kind: 'storage';
  readonly dtype: TorchDtype;
  /** Number of elements. */
  readonly numel: number;
  /** The raw little-endian bytes (a view into the pickle). */
  readonly data: Uint8Array;
}

/** A tensor: a strided view of a storage. */
export interface TorchTensor {
  readonly kind: 'tensor';
  readonly dtype: TorchDtype;
  readonly shape: readonly number[];
  readonly stride: readonly number[];
  /** Offset into the storage, in elements. */
  readonly offset: number;
  readonly storage: TorchStorage;
}

/** A Python tuple. */
export interface PyTuple {
  readonly kind: 'tuple';
  readonly items: readonly PyValue[];
}

/** A global the reader knows (a function or class name), before it is called. */
export interface PyGlobal {
  readonly kind: 'global';
  readonly module: string;
  readonly name: string;
}

/** A NumPy dtype (`numpy.dtype('<i8')`), as a scalar's type. */
export interface NumpyDtype {
  readonly kind: 'npdtype';
  /** Kind and size: `i8`, `f4`, `u1`, … */
  readonly code: string;
  /** Byte order from the pickled state: `<`, `>`, `|` or `=`. */
  order: string;
}

/** A dictionary key: the hashable values the reader builds. */
export type PyKey = string | number | bigint | boolean | null;

/** A value read from a pickle: lists are arrays, dicts are Maps, `bytes` are Uint8Array views. */
export type PyValue =
  | PyKey
  | Uint8Array
  | PyValue[]
  | Map<PyKey, PyValue>
  | PyTuple
  | PyGlobal
  | TorchStorage
  | TorchTensor
  | NumpyDtype;

const STORAGE_DTYPES: Readonly<Record<string, TorchDtype>> = {
  DoubleStorage: 'float64',
  FloatStorage: 'float32',
  HalfStorage: 'float16',
  BFloat16Storage: 'bfloat16',
  LongStorage: 'int64',
  IntStorage: 'int32',
  ShortStorage: 'int16',
  CharStorage: 'int8',
  ByteStorage: 'uint8',
  BoolStorage: 'bool',
};

const ELEMENT_SIZE: Readonly<Record<TorchDtype, number>> = {
  float64: 8,
  float32: 4,
  float16: 2,
  bfloat16: 2,
  int64: 8,
  int32: 4,
  int16: 2,
  int8: 1,
  uint8: 1,
  bool: 1,
};

/** The magic number and protocol version that open a legacy `torch.save` blob. */
const TORCH_MAGIC = 0x1950a86a20f9469cfc6cn;
const TORCH_PROTOCOL = 1001;

const KNOWN_GLOBALS = new Set([
  'torch._utils _rebuild_tensor_v2',
  'torch._utils _rebuild_tensor',
  'torch.storage _load_from_bytes',
  'collections OrderedDict',
  '_codecs encode',
  'numpy dtype',
  'numpy.core.multiarray scalar',
  'numpy._core.multiarray scalar',
  ...Object.keys(STORAGE_DTYPES).map((s) => `torch ${s}`),
]);

const MARK = Symbol('mark');
const LATIN1 = new TextDecoder('latin1');
const UTF8 = new TextDecoder('utf-8', { fatal: true });
type Slot = PyValue | typeof MARK;

/** Read one pickle from `bytes` (a whole file): its value. `where` prefixes error messages. */
export function readPickle(bytes: Uint8Array, where: string): PyValue {
  const { value, end } = readPickleAt(bytes, 0, where);
  if (end !== bytes.length) {
    throw new GraphpeError(
      'E_PARSE',
      `${where}: ${bytes.length - end} bytes after the pickle's STOP at byte ${end - 1}`,
      { offset: end },
    );
  }
  return value;
}

/**
 * Read the pickle that starts at `start`; returns its value and the offset after its STOP opcode.
 * `persistentLoad` resolves BINPERSID (only legacy torch blobs use it). `inBlob`: the pickle is part of a
 * torch storage blob, where another blob is refused (nesting would only deepen the recursion).
 */
function readPickleAt(
  bytes: Uint8Array,
  start: number,
  where: string,
  persistentLoad?: (pid: PyValue, at: number) => PyValue,
  inBlob = false,
): { value: PyValue; end: number } {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stack: Slot[] = [];
  const marks: number[] = [];
  const memo = new Map<number, PyValue>();
  let p = start;
  let op = 0;
  let opAt = start;
  const fail = (msg: string, at = opAt): GraphpeError =>
    new GraphpeError('E_PARSE', `${where}: pickle byte ${at}: ${msg}`, { offset: at });
  const need = (n: number) => {
    if (n < 0 || p + n > bytes.length) throw fail(`truncated (opcode 0x${hex(op)} needs ${n} more bytes)`);
  };
  const u8 = () => {
    need(1);
    return bytes[p++];
  };
  const u16 = () => {
    need(2);
    const v = dv.getUint16(p, true);
    p += 2;
    return v;
  };
  const u32 = () => {
    need(4);
    const v = dv.getUint32(p, true);
    p += 4;
    return v;
  };
  const u64 = () => {
    need(8);
    const v = dv.getBigUint64(p, true);
    p += 8;
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw fail(`length ${v} is too large`);
    return Number(v);
  };
  const take = (n: number) => {
    need(n);
    const v = bytes.subarray(p, p + n);
    p += n;
    return v;
  };
  const line = () => {
    const nl = bytes.indexOf(0x0a, p);
    if (nl < 0) throw fail('truncated (no end of line)');
    const s = LATIN1.decode(bytes.subarray(p, nl));
    p = nl + 1;
    return s;
  };
  const utf8 = (n: number) => {
    try {
      return UTF8.decode(take(n));
    } catch {
      throw fail('a string is not valid UTF-8');
    }
  };
  const pop = (): PyValue => {
    if (stack.length === 0 || stack[stack.length - 1] === MARK) throw fail('stack underflow');
    return stack.pop() as PyValue;
  };
  const top = (): PyValue => {
    if (stack.length === 0 || stack[stack.length - 1] === MARK) throw fail('stack underflow');
    return stack[stack.length - 1] as PyValue;
  };
  const popMark = (): PyValue[] => {
    const m = marks.pop();
    if (m === undefined) throw fail('no MARK on the stack');
    // The MARK itself sits at index m.
    return stack.splice(m).slice(1) as PyValue[];
  };
  const asList = (v: PyValue, what: string): PyValue[] => {
    if (!Array.isArray(v)) throw fail(`${what} on a ${typeName(v)}, not a list`);
    return v;
  };
  const asDict = (v: PyValue, what: string): Map<PyKey, PyValue> => {
    if (!(v instanceof Map)) throw fail(`${what} on a ${typeName(v)}, not a dict`);
    return v;
  };
  const setItems = (d: Map<PyKey, PyValue>, kv: PyValue[]) => {
    if (kv.length % 2 !== 0) throw fail('SETITEMS with an odd number of items');
    for (let i = 0; i < kv.length; i += 2) d.set(asKey(kv[i], fail), kv[i + 1]);
  };
  const global = (module: string, name: string): PyGlobal => {
    if (!KNOWN_GLOBALS.has(`${module} ${name}`)) {
      throw fail(`refers to ${module}.${name}, which this reader does not load`);
    }
    return { kind: 'global', module, name };
  };
  const int = (v: bigint): number | bigint =>
    v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;

  for (;;) {
    opAt = p;
    op = u8();
    switch (op) {
      case 0x80: {
        // PROTO
        const proto = u8();
        if (proto < 2 || proto > 5) throw fail(`pickle protocol ${proto} (this reader reads 2 to 5)`);
        break;
      }
      case 0x95: // FRAME: the length is advisory
        u64();
        break;
      case 0x2e: {
        // STOP
        const value = pop();
        if (stack.length !== 0) throw fail(`STOP with ${stack.length} more values on the stack`);
        return { value, end: p };
      }
      case 0x28: // MARK
        marks.push(stack.length);
        stack.push(MARK);
        break;
      case 0x29: // EMPTY_TUPLE
        stack.push({ kind: 'tuple', items: [] });
        break;
      case 0x5d: // EMPTY_LIST
        stack.push([]);
        break;
      case 0x7d: // EMPTY_DICT
        stack.push(new Map());
        break;
      case 0x74: {
        // TUPLE
        const items = popMark();
        stack.push({ kind: 'tuple', items });
        break;
      }
      case 0x85:
      case 0x86:
      case 0x87: {
        // TUPLE1..3
        const n = op - 0x84;
        const items: PyValue[] = [];
        for (let i = 0; i < n; i++) items.unshift(pop());
        stack.push({ kind: 'tuple', items });
        break;
      }
      case 0x6c: {
        // LIST
        const items = popMark();
        stack.push(items);
        break;
      }
      case 0x64: {
        // DICT
        const kv = popMark();
        const d = new Map<PyKey, PyValue>();
        setItems(d, kv);
        stack.push(d);
        break;
      }
      case 0x61: {
        // APPEND
        const v = pop();
        asList(top(), 'APPEND').push(v);
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popMark();
        const list = asList(top(), 'APPENDS');
        for (const v of items) list.push(v);
        break;
      }
      case 0x73: {
        // SETITEM
        const v = pop();
        const k = pop();
        asDict(top(), 'SETITEM').set(asKey(k, fail), v);
        break;
      }
      case 0x75: {
        // SETITEMS
        const kv = popMark();
        setItems(asDict(top(), 'SETITEMS'), kv);
        break;
      }
      case 0x4e: // NONE
        stack.push(null);
        break;
      case 0x88: // NEWTRUE
        stack.push(true);
        break;
      case 0x89: // NEWFALSE
        stack.push(false);
        break;
      case 0x4a: // BININT
        need(4);
        stack.push(dv.getInt32(p, true));
        p += 4;
        break;
      case 0x4b: // BININT1
        stack.push(u8());
        break;
      case 0x4d: // BININT2
        stack.push(u16());
        break;
      case 0x8a: // LONG1
        stack.push(int(littleSigned(take(u8()))));
        break;
      case 0x8b: {
        // LONG4
        const n = u32();
        stack.push(int(littleSigned(take(n))));
        break;
      }
      case 0x47: // BINFLOAT
        need(8);
        stack.push(dv.getFloat64(p, false));
        p += 8;
        break;
      case 0x58: // BINUNICODE
        stack.push(utf8(u32()));
        break;
      case 0x8c: // SHORT_BINUNICODE
        stack.push(utf8(u8()));
        break;
      case 0x8d: // BINUNICODE8
        stack.push(utf8(u64()));
        break;
      case 0x42: // BINBYTES
        stack.push(take(u32()));
        break;
      case 0x43: // SHORT_BINBYTES
        stack.push(take(u8()));
        break;
      case 0x8e: // BINBYTES8
        stack.push(take(u64()));
        break;
      case 0x63: {
        // GLOBAL
        const module = line();
        stack.push(global(module, line()));
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string')
          throw fail('STACK_GLOBAL without two strings');
        stack.push(global(module, name));
        break;
      }
      case 0x52: {
        // REDUCE
        const args = pop();
        const fn = pop();
        if (!isTuple(args)) throw fail(`REDUCE with ${typeName(args)} arguments, not a tuple`);
        stack.push(call(fn, args.items, where, fail, inBlob));
        break;
      }
      case 0x62: {
        // BUILD: the empty state of an OrderedDict, or a NumPy dtype's (version, byte order, …)
        const state = pop();
        const obj = top();
        if (isDtype(obj) && isTuple(state) && typeof state.items[1] === 'string') {
          obj.order = state.items[1];
          break;
        }
        if (!(obj instanceof Map) || state !== null) throw fail(`BUILD of a ${typeName(obj)}`);
        break;
      }
      case 0x51: {
        // BINPERSID
        const pid = pop();
        if (!persistentLoad) throw fail('a persistent id outside a torch storage blob');
        stack.push(persistentLoad(pid, opAt));
        break;
      }
      case 0x71: // BINPUT
        memo.set(u8(), top());
        break;
      case 0x72: // LONG_BINPUT
        memo.set(u32(), top());
        break;
      case 0x94: // MEMOIZE
        memo.set(memo.size, top());
        break;
      case 0x68:
      case 0x6a: {
        // BINGET, LONG_BINGET
        const i = op === 0x68 ? u8() : u32();
        if (!memo.has(i)) throw fail(`memo entry ${i} was never stored`);
        stack.push(memo.get(i)!);
        break;
      }
      default:
        throw fail(`opcode 0x${hex(op)} is not one this reader knows`);
    }
  }
}

/** Call a known global on its arguments. */
function call(
  fn: PyValue,
  args: readonly PyValue[],
  where: string,
  fail: (msg: string) => GraphpeError,
  inBlob: boolean,
): PyValue {
  if (!isGlobal(fn)) throw fail(`REDUCE on a ${typeName(fn)}, not a function`);
  const name = `${fn.module}.${fn.name}`;
  switch (name) {
    case 'collections.OrderedDict': {
      const d = new Map<PyKey, PyValue>();
      if (args.length > 0) throw fail('OrderedDict with arguments');
      return d;
    }
    case '_codecs.encode': {
      const [text, encoding] = args;
      if (typeof text !== 'string' || (encoding !== 'latin1' && encoding !== 'latin-1')) {
        throw fail('_codecs.encode other than of a string to latin1');
      }
      const out = new Uint8Array(text.length);
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c > 0xff) throw fail('_codecs.encode of a character beyond latin1');
        out[i] = c;
      }
      return out;
    }
    case 'numpy.dtype': {
      const [code] = args;
      if (typeof code !== 'string' || !/^[iuf](1|2|4|8)$/.test(code) || code === 'f1') {
        throw fail(`numpy.dtype('${String(code)}') is not a number type this reader reads`);
      }
      return { kind: 'npdtype', code, order: '<' };
    }
    case 'numpy.core.multiarray.scalar':
    case 'numpy._core.multiarray.scalar': {
      const [dtype, data] = args;
      if (!isDtype(dtype) || !(data instanceof Uint8Array) || data.length !== Number(dtype.code.slice(1))) {
        throw fail('numpy scalar without a number dtype and its bytes');
      }
      return numpyScalar(dtype, data);
    }
    case 'torch.storage._load_from_bytes': {
      const [blob] = args;
      if (inBlob) throw fail('a torch storage blob inside another one');
      if (args.length !== 1 || !(blob instanceof Uint8Array))
        throw fail('_load_from_bytes without one bytes argument');
      return readTorchLegacy(blob, `${where} (torch storage blob)`);
    }
    case 'torch._utils._rebuild_tensor_v2':
    case 'torch._utils._rebuild_tensor': {
      const [storage, offset, size, stride] = args;
      if (!isStorage(storage)) throw fail(`${fn.name} of a ${typeName(storage)}, not a storage`);
      const shape = intTuple(size, 'size', fail);
      const strides = intTuple(stride, 'stride', fail);
      if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0)
        throw fail('a tensor offset that is not a count');
      if (shape.length !== strides.length)
        throw fail(`a tensor of ${shape.length} sizes and ${strides.length} strides`);
      let last = offset;
      const empty = shape.some((s) => s === 0);
      for (let d = 0; d < shape.length; d++) last += (shape[d] - 1) * strides[d];
      if (!empty && last >= storage.numel) {
        throw fail(`a tensor reaching element ${last} of a storage of ${storage.numel}`);
      }
      return { kind: 'tensor', dtype: storage.dtype, shape, stride: strides, offset, storage };
    }
    default:
      throw fail(`${name} is not a function this reader calls`);
  }
}

/**
 * A legacy `torch.save` blob of one storage: the magic number, protocol version and system info pickles, the
 * object pickle (a persistent id naming the storage), the list of storage keys, then per key its element
 * count (int64) and raw bytes.
 */
function readTorchLegacy(blob: Uint8Array, where: string): TorchStorage {
  const fail = (msg: string) => new GraphpeError('E_PARSE', `${where}: ${msg}`);
  const magic = readPickleAt(blob, 0, where, undefined, true);
  if (magic.value !== TORCH_MAGIC) throw fail('not a legacy torch.save blob (wrong magic number)');
  const proto = readPickleAt(blob, magic.end, where, undefined, true);
  if (proto.value !== TORCH_PROTOCOL)
    throw fail(`torch.save protocol ${String(proto.value)}, expected ${TORCH_PROTOCOL}`);
  const info = readPickleAt(blob, proto.end, where, undefined, true);
  if (!(info.value instanceof Map) || info.value.get('little_endian') !== true) {
    throw fail('the blob was not written little-endian');
  }
  const refs = new Map<string, { dtype: TorchDtype; numel: number }>();
  const obj = readPickleAt(
    blob,
    info.end,
    where,
    (pid, at) => {
      const items = isTuple(pid) ? pid.items : [];
      const [tag, type, key, , numel, view] = items;
      const dtype =
        isGlobal(type) && type.module === 'torch' && Object.hasOwn(STORAGE_DTYPES, type.name)
          ? STORAGE_DTYPES[type.name]
          : undefined;
      if (
        items.length !== 6 ||
        tag !== 'storage' ||
        dtype === undefined ||
        typeof key !== 'string' ||
        typeof numel !== 'number' ||
        !Number.isInteger(numel) ||
        numel < 0
      ) {
        throw new GraphpeError(
          'E_PARSE',
          `${where}: pickle byte ${at}: a persistent id that is not a torch storage`,
        );
      }
      if (view !== null) throw new GraphpeError('E_PARSE', `${where}: pickle byte ${at}: a storage view`);
      const ref = { kind: 'storage-ref', key, dtype, numel };
      refs.set(key, { dtype, numel });
      return ref as unknown as PyValue;
    },
    true,
  );
  const keys = readPickleAt(blob, obj.end, where, undefined, true);
  if (!Array.isArray(keys.value) || keys.value.some((k) => typeof k !== 'string')) {
    throw fail('the storage keys are not a list of strings');
  }
  const dv = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  let p = keys.end;
  const storages = new Map<string, TorchStorage>();
  for (const key of keys.value as string[]) {
    const ref = refs.get(key);
    if (!ref) throw fail(`storage key '${key}' is not referenced by the object`);
    if (p + 8 > blob.length) throw fail(`storage '${key}' is truncated`);
    const numel = Number(dv.getBigInt64(p, true));
    p += 8;
    const n = numel * ELEMENT_SIZE[ref.dtype];
    if (numel !== ref.numel || p + n > blob.length) {
      throw fail(
        `storage '${key}' holds ${numel} elements of the ${ref.numel} its reference names, or is truncated`,
      );
    }
    storages.set(key, { kind: 'storage', dtype: ref.dtype, numel, data: blob.subarray(p, p + n) });
    p += n;
  }
  if (p !== blob.length) throw fail(`${blob.length - p} bytes after the last storage`);
  const ref = obj.value as unknown as { kind?: string; key?: string };
  if (ref === null || ref.kind !== 'storage-ref' || !storages.has(ref.key!)) {
    throw fail('the blob does not hold one storage');
  }
  return storages.get(ref.key!)!;
}

/** The elements of a tensor in row-major order, as numbers (int64 beyond 2^53 loses precision). */
export function tensorValues(t: TorchTensor): number[] {
  const { data } = t.storage;
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const size = ELEMENT_SIZE[t.dtype];
  const n = t.shape.reduce((a, b) => a * b, 1);
  const out = new Array<number>(n);
  const idx = new Array<number>(t.shape.length).fill(0);
  for (let i = 0; i < n; i++) {
    let e = t.offset;
    for (let d = 0; d < idx.length; d++) e += idx[d] * t.stride[d];
    out[i] = readElement(dv, e * size, t.dtype);
    for (let d = idx.length - 1; d >= 0; d--) {
      if (++idx[d] < t.shape[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

function readElement(dv: DataView, at: number, dtype: TorchDtype): number {
  switch (dtype) {
    case 'float64':
      return dv.getFloat64(at, true);
    case 'float32':
      return dv.getFloat32(at, true);
    case 'float16':
      return half(dv.getUint16(at, true));
    case 'bfloat16': {
      const b = new DataView(new ArrayBuffer(4));
      b.setUint32(0, dv.getUint16(at, true) << 16, true);
      return b.getFloat32(0, true);
    }
    case 'int64':
      return Number(dv.getBigInt64(at, true));
    case 'int32':
      return dv.getInt32(at, true);
    case 'int16':
      return dv.getInt16(at, true);
    case 'int8':
      return dv.getInt8(at);
    case 'uint8':
    case 'bool':
      return dv.getUint8(at);
  }
}

function numpyScalar(dtype: NumpyDtype, data: Uint8Array): number {
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const le = dtype.order !== '>';
  switch (dtype.code) {
    case 'i1':
      return dv.getInt8(0);
    case 'u1':
      return dv.getUint8(0);
    case 'i2':
      return dv.getInt16(0, le);
    case 'u2':
      return dv.getUint16(0, le);
    case 'i4':
      return dv.getInt32(0, le);
    case 'u4':
      return dv.getUint32(0, le);
    case 'i8':
      return Number(dv.getBigInt64(0, le));
    case 'u8':
      return Number(dv.getBigUint64(0, le));
    case 'f2':
      return half(dv.getUint16(0, le));
    case 'f4':
      return dv.getFloat32(0, le);
    default:
      return dv.getFloat64(0, le);
  }
}

function half(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? Number.NaN : s * Number.POSITIVE_INFINITY;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

const HEX_BYTE = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** A little-endian two's-complement integer (LONG1/LONG4), read in linear time through one hex string. */
function littleSigned(b: Uint8Array): bigint {
  if (b.length === 0) return 0n;
  const digits = new Array<string>(b.length);
  for (let i = 0; i < b.length; i++) digits[b.length - 1 - i] = HEX_BYTE[b[i]];
  let v = BigInt(`0x${digits.join('')}`);
  if (b[b.length - 1] & 0x80) v -= 1n << BigInt(8 * b.length);
  return v;
}

function asKey(v: PyValue, fail: (msg: string) => GraphpeError): PyKey {
  if (v === null || ['string', 'number', 'bigint', 'boolean'].includes(typeof v)) return v as PyKey;
  throw fail(`a dict key that is a ${typeName(v)}`);
}

function intTuple(v: PyValue, what: string, fail: (msg: string) => GraphpeError): number[] {
  if (!isTuple(v) || v.items.some((x) => typeof x !== 'number' || !Number.isInteger(x) || x < 0)) {
    throw fail(`a tensor ${what} that is not a tuple of counts`);
  }
  return v.items as number[];
}

function isTuple(v: PyValue): v is PyTuple {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && (v as PyTuple).kind === 'tuple';
}

function isGlobal(v: PyValue): v is PyGlobal {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && (v as PyGlobal).kind === 'global';
}

function isDtype(v: PyValue): v is NumpyDtype {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && (v as NumpyDtype).kind === 'npdtype';
}

function isStorage(v: PyValue): v is TorchStorage {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && (v as TorchStorage).kind === 'storage';
}

/** A short Python-ish name of a value's type, for messages. */
export function typeName(v: PyValue): string {
  if (v === null) return 'None';
  if (Array.isArray(v)) return 'list';
  if (v instanceof Map) return 'dict';
  if (v instanceof Uint8Array) return 'bytes';
  switch (typeof v) {
    case 'string':
      return 'str';
    case 'number':
      return Number.isInteger(v) ? 'int' : 'float';
    case 'bigint':
      return 'int';
    case 'boolean':
      return 'bool';
    default:
      return v.kind === 'global' ? `${v.module}.${v.name}` : v.kind;
  }
}

const hex = (x: number): string => x.toString(16).padStart(2, '0');
