/**
 * The one place that picks the TensorFlow.js backend for graphpe's learned encoders and training.
 *
 * `auto` tries, in order: `@tensorflow/tfjs-node-gpu`, `@tensorflow/tfjs-node` (native libtensorflow,
 * optional and usually not installable offline), `webgpu` (`@tensorflow/tfjs-backend-webgpu` on the
 * `webgpu` npm package, Dawn; only when both are installed and a GPU adapter exists), the `wasm` backend
 * (SIMD; single-threaded under Node), then the plain `cpu` backend. Asked for explicitly, `webgpu` falls
 * back the same way with one log line saying why.
 * `GRAPHPE_BACKEND` overrides the default choice; the choice is logged once per process.
 *
 * The wasm backend lacks the `UnsortedSegmentSum` kernel, so `grad(tf.gather)` fails there;
 * {@link registerWasmSegmentSum} registers a small JS implementation so that
 * models which do gather still train on wasm. graphpe's own layers avoid gather in trainable paths.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { GraphpeError } from '@graphpe/spectral';
import * as tf from '@tensorflow/tfjs';

/** Backends a user can ask for. `tensorflow` is the native tfjs-node(-gpu) backend. */
export type BackendChoice = 'auto' | 'tfjs-node-gpu' | 'tfjs-node' | 'wasm' | 'cpu' | 'webgpu';

export const BACKEND_CHOICES: readonly BackendChoice[] = [
  'auto',
  'tfjs-node-gpu',
  'tfjs-node',
  'wasm',
  'cpu',
  'webgpu',
];

/** What {@link initBackend} ended up with. */
export interface BackendInfo {
  /** What was asked for (after `GRAPHPE_BACKEND`). */
  requested: BackendChoice;
  /** The tfjs backend name now active (`tensorflow`, `wasm`, `cpu`, `webgpu`). */
  name: string;
  /** The package that provided it. */
  provider: string;
  /** Threads the backend computes with (1 for wasm under Node and for cpu). */
  threads: number;
  /** Whether wasm SIMD is in use (wasm only). */
  simd?: boolean;
  /** Why earlier candidates were skipped, in order. */
  skipped: string[];
}

export interface InitBackendOptions {
  /** Backend to use; default `process.env.GRAPHPE_BACKEND ?? 'auto'`. */
  backend?: BackendChoice | string;
  /** Where the one log line goes; `null` silences it. Default: stderr. */
  log?: ((line: string) => void) | null;
}

let current: BackendInfo | undefined;
let logged = false;
let segmentSumRegistered = false;

const require = createRequire(import.meta.url);

function isChoice(s: string): s is BackendChoice {
  return (BACKEND_CHOICES as readonly string[]).includes(s);
}

async function importOptional(name: string): Promise<unknown> {
  // A variable specifier keeps bundlers and tsc from resolving packages that are not installed.
  const spec: string = name;
  return import(spec);
}

async function tryNative(pkg: '@tensorflow/tfjs-node-gpu' | '@tensorflow/tfjs-node'): Promise<string | null> {
  try {
    await importOptional(pkg);
  } catch (e) {
    return `${pkg} not usable (${firstLine(e)})`;
  }
  if (!(await tf.setBackend('tensorflow'))) return `${pkg} imported but its backend did not start`;
  await tf.ready();
  return null;
}

function firstLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0]?.slice(0, 160) ?? '';
}

async function tryWasm(): Promise<string | null> {
  try {
    const wasm = (await import(
      '@tensorflow/tfjs-backend-wasm'
    )) as typeof import('@tensorflow/tfjs-backend-wasm');
    const dir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
    wasm.setWasmPaths(`${dir}${path.sep}`);
    if (!(await tf.setBackend('wasm'))) return 'wasm backend did not start';
    await tf.ready();
    registerWasmSegmentSum();
    registerWasmNoCopyIdentity();
    return null;
  } catch (e) {
    return `wasm not usable (${firstLine(e)})`;
  }
}

async function tryWebgpu(): Promise<string | null> {
  try {
    const webgpu = (await importOptional('webgpu')) as {
      create?: (opts: string[]) => unknown;
      globals?: Record<string, unknown>;
    };
    if (webgpu.globals) Object.assign(globalThis, webgpu.globals);
    const g = globalThis as { navigator?: { gpu?: unknown } };
    if (!g.navigator) Object.defineProperty(globalThis, 'navigator', { value: {}, configurable: true });
    if (webgpu.create && g.navigator) (g.navigator as { gpu?: unknown }).gpu = webgpu.create([]);
    const gpu = g.navigator?.gpu as { requestAdapter?: () => Promise<unknown> } | undefined;
    const adapter = await gpu?.requestAdapter?.();
    if (!adapter) return 'webgpu: no adapter on this machine';
    await importOptional('@tensorflow/tfjs-backend-webgpu');
    if (!(await tf.setBackend('webgpu'))) return 'webgpu backend did not start';
    await tf.ready();
    return null;
  } catch (e) {
    return `webgpu not usable (${firstLine(e)})`;
  }
}

/**
 * Selects and initialises the tfjs backend (once per process; later calls asking for the same
 * choice return the cached info, a different explicit choice switches backend).
 */
export async function initBackend(options: InitBackendOptions = {}): Promise<BackendInfo> {
  const raw = (options.backend ?? process.env.GRAPHPE_BACKEND ?? 'auto').trim();
  if (!isChoice(raw)) {
    throw new GraphpeError(
      'E_OPTION',
      `backend: unknown backend '${raw}' (expected one of ${BACKEND_CHOICES.join(', ')})`,
    );
  }
  if (current && (current.requested === raw || (raw !== 'auto' && current.provider === raw))) {
    if (tf.getBackend() === current.name) return current;
  }
  const skipped: string[] = [];
  const order: BackendChoice[] =
    raw === 'auto'
      ? ['tfjs-node-gpu', 'tfjs-node', 'webgpu', 'wasm', 'cpu']
      : raw === 'webgpu'
        ? ['webgpu', 'tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu']
        : [raw];
  for (const cand of order) {
    let why: string | null;
    if (cand === 'tfjs-node-gpu') why = await tryNative('@tensorflow/tfjs-node-gpu');
    else if (cand === 'tfjs-node') why = await tryNative('@tensorflow/tfjs-node');
    else if (cand === 'wasm') why = await tryWasm();
    else if (cand === 'webgpu') why = await tryWebgpu();
    else {
      why = (await tf.setBackend('cpu')) ? null : 'cpu backend did not start';
      await tf.ready();
    }
    if (why === null) {
      const name = tf.getBackend();
      const simd = name === 'wasm' ? tf.env().getBool('WASM_HAS_SIMD_SUPPORT') : undefined;
      const threads = name === 'tensorflow' || name === 'webgpu' ? nativeThreads() : 1;
      current = { requested: raw, name, provider: cand, threads, skipped };
      if (simd !== undefined) current.simd = simd;
      const log = options.log === undefined ? (l: string) => process.stderr.write(`${l}\n`) : options.log;
      if (log && (!logged || raw !== 'auto')) {
        logged = true;
        const extra = simd === undefined ? '' : simd ? ', SIMD' : ', no SIMD';
        // Say why webgpu was passed over when it was asked for, or when auto found its package but no adapter.
        const gpuWhy = skipped.filter(
          (w) => w.startsWith('webgpu') && (raw === 'webgpu' || !w.includes('Cannot find package')),
        );
        const why =
          raw === 'webgpu' ? `; ${skipped.join('; ')}` : gpuWhy.length > 0 ? `; ${gpuWhy.join('; ')}` : '';
        log(
          `graphpe: tfjs backend ${name} (${cand}${extra}, ${threads} thread${threads === 1 ? '' : 's'})${why}`,
        );
      }
      return current;
    }
    skipped.push(why);
  }
  throw new GraphpeError('E_BACKEND', `backend: '${raw}' could not start: ${skipped.join('; ')}`);
}

function nativeThreads(): number {
  // libtensorflow uses all cores by default.
  return Math.max(
    1,
    (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1,
  );
}

/** The backend chosen by the last {@link initBackend} call, if any. */
export function backendInfo(): BackendInfo | undefined {
  return current;
}

/**
 * Registers `UnsortedSegmentSum` for the wasm backend (a plain JS loop over the heap views), so
 * that `grad(tf.gather)` works there. Idempotent.
 */
export function registerWasmSegmentSum(): void {
  if (segmentSumRegistered) return;
  segmentSumRegistered = true;
  if (tf.getKernel('UnsortedSegmentSum', 'wasm')) return;
  tf.registerKernel({
    kernelName: 'UnsortedSegmentSum',
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
      const numSegments = (attrs as { numSegments: number }).numSegments;
      const b = backend as unknown as {
        readSync(id: object): ArrayLike<number>;
        makeOutput(
          shape: number[],
          dtype: tf.DataType,
          offset?: number,
          values?: ArrayLike<number>,
        ): tf.TensorInfo;
      };
      const xv = b.readSync(x.dataId);
      const ids = b.readSync(segmentIds.dataId);
      const rows = ids.length;
      const inner = rows === 0 ? 0 : xv.length / rows;
      const outShape = [numSegments, ...x.shape.slice(segmentIds.shape.length)];
      const out =
        x.dtype === 'int32' ? new Int32Array(numSegments * inner) : new Float32Array(numSegments * inner);
      for (let r = 0; r < rows; r++) {
        const s = ids[r] as number;
        if (s < 0 || s >= numSegments) continue; // TF semantics: out-of-range ids are dropped
        const o = s * inner;
        const xo = r * inner;
        for (let c = 0; c < inner; c++) out[o + c] = (out[o + c] as number) + (xv[xo + c] as number);
      }
      return b.makeOutput(outShape, x.dtype, undefined, out);
    },
  });
}

let identityRegistered = false;

/**
 * Replaces the wasm backend's `Identity` kernel (a full copy of the buffer) with the reference-
 * counted alias the cpu backend uses (and wasm's own `Reshape`): tensors are immutable and
 * variables are reassigned, never written in place, so sharing the buffer is safe. tfjs clones
 * every tensor it keeps for a backward pass, so this removes one copy per saved activation
 * (about 20% of an SPE training step in measurements on this machine). Idempotent.
 */
export function registerWasmNoCopyIdentity(): void {
  if (identityRegistered) return;
  identityRegistered = true;
  if (tf.getKernel('Identity', 'wasm')) tf.unregisterKernel('Identity', 'wasm');
  tf.registerKernel({
    kernelName: 'Identity',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend }) => {
      const x = (inputs as { x: tf.TensorInfo }).x;
      if (x.dtype === 'string')
        throw new GraphpeError('E_BACKEND', 'backend: string tensors are not used by graphpe');
      (backend as unknown as { incRef(id: object): void }).incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    },
  });
}

export { tf };
