import { KERNELS_WASM_BASE64 } from './kernels.wasm.js';

/**
 * WebAssembly SIMD kernels of the dense eigensolver (AssemblyScript, asm/dense.ts): instantiated
 * synchronously, once per thread (main thread and each piscina worker alike), on first use. The JS
 * kernels remain the reference and the fallback: when WebAssembly or wasm SIMD is unavailable, when
 * `GRAPHPE_WASM=0` is set in the environment, or after `setDenseKernels('js')`.
 */

/** Which implementation of the dense O(n³) kernels `eigh` and the batched solvers use. */
export type DenseKernels = 'js' | 'wasm';

/** Exports of the compiled module; every array argument is a byte address in `memory`. */
export interface DenseWasmExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  heapBase(): number;
  tridiagFused(
    w: number,
    n: number,
    d: number,
    e: number,
    h: number,
    u2: number,
    p2: number,
    col: number,
  ): void;
  applyReflectors(
    w: number,
    h: number,
    n: number,
    z: number,
    blockStart: number,
    c: number,
    c2: number,
  ): void;
  smallEigh(
    w: number,
    n: number,
    d: number,
    e: number,
    cs: number,
    sn: number,
    vectors: number,
    maxIter: number,
  ): number;
  squaredProduct(
    vectors: number,
    n: number,
    k: number,
    cols: number,
    c: number,
    coef: number,
    m: number,
    sq: number,
    out: number,
  ): void;
}

interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

const PAGE = 65536;

/** One instance with typed-array views over its linear memory, re-created whenever it grows. */
export class DenseWasm {
  readonly x: DenseWasmExports;
  /** First usable byte address (16-aligned, after the module's static data). */
  readonly base: number;
  f64: Float64Array;
  i32: Int32Array;

  constructor(x: DenseWasmExports) {
    this.x = x;
    this.base = (x.heapBase() + 15) & ~15;
    this.f64 = new Float64Array(x.memory.buffer);
    this.i32 = new Int32Array(x.memory.buffer);
  }

  /**
   * Make bytes [base, base + bytes) addressable, growing the memory when needed; refreshes `f64` /
   * `i32` (views over the old buffer detach on growth). False when the memory cannot grow that far.
   */
  reserve(bytes: number): boolean {
    const need = this.base + bytes;
    const mem = this.x.memory;
    if (need > mem.buffer.byteLength) {
      if (need > 2 ** 32 - PAGE) return false;
      try {
        mem.grow(Math.ceil((need - mem.buffer.byteLength) / PAGE));
      } catch {
        return false;
      }
    }
    if (this.f64.buffer !== mem.buffer) {
      this.f64 = new Float64Array(mem.buffer);
      this.i32 = new Int32Array(mem.buffer);
    }
    return true;
  }
}

function envDefault(): DenseKernels {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const v = env?.GRAPHPE_WASM;
  return v === '0' || v === 'false' || v === 'off' ? 'js' : 'wasm';
}

function instantiate(): DenseWasm | null {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (api === undefined || typeof atob !== 'function') return null;
  try {
    const bin = atob(KERNELS_WASM_BASE64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    // Validation fails (CompileError) where wasm SIMD is not supported: fall back to JS.
    const inst = new api.Instance(new api.Module(bytes), {});
    return new DenseWasm(inst.exports as DenseWasmExports);
  } catch {
    return null;
  }
}

let requested: DenseKernels = envDefault();
/** undefined: not instantiated yet; null: unavailable in this thread. */
let instance: DenseWasm | null | undefined;

/** The wasm kernels when they are selected and available in this thread, else null (use JS). */
export function denseWasm(): DenseWasm | null {
  if (requested === 'js') return null;
  if (instance === undefined) instance = instantiate();
  return instance;
}

/**
 * Select the dense kernels of this thread (tests, benchmarks; the default is 'wasm' unless
 * `GRAPHPE_WASM=0`). Returns the kernels now in effect: 'js' when 'wasm' was asked for but is not
 * available. Worker threads of the parallel batch solver read only `GRAPHPE_WASM`.
 */
export function setDenseKernels(kind: DenseKernels): DenseKernels {
  requested = kind;
  return denseKernels();
}

/** The dense kernels in effect in this thread. */
export function denseKernels(): DenseKernels {
  return denseWasm() === null ? 'js' : 'wasm';
}
