/**
 * The one place that picks the TensorFlow.js backend for graphpe's learned encoders and training.
 *
 * `auto` tries, in order: `@tensorflow/tfjs-node-gpu`, `@tensorflow/tfjs-node` (native libtensorflow,
 * optional and usually not installable offline), `webgpu` (`@tensorflow/tfjs-backend-webgpu` on the
 * `webgpu` npm package, Dawn; only when both are installed and a GPU adapter exists), the `wasm` backend
 * (SIMD; single-threaded under Node), then the plain `cpu` backend, and logs one line saying which it
 * chose. A backend asked for explicitly is used or is an `E_BACKEND` error naming what is missing
 * (an npm package, a GPU adapter) and how to get it; it never falls back silently.
 * `GRAPHPE_BACKEND` overrides the default choice.
 *
 * The wasm backend lacks the `UnsortedSegmentSum` kernel, so `grad(tf.gather)` fails there;
 * {@link registerWasmSegmentSum} registers a small JS implementation so that
 * models which do gather still train on wasm. graphpe's own layers avoid gather in trainable paths.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { GraphpeError } from '@graphpe/spectral';
import type * as Tf from '@tensorflow/tfjs';
import { tf } from './tf.js';

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

/** Why a backend cannot be used: what is missing, and how to get it. */
interface Unusable {
  reason: string;
  fix: string;
}

/** Whether `pkg` is installed where graphpe can load it (its package.json resolves). */
function isInstalled(pkg: string): boolean {
  try {
    require.resolve(`${pkg}/package.json`);
    return true;
  } catch (e) {
    return (e as { code?: unknown }).code === 'ERR_PACKAGE_PATH_NOT_EXPORTED';
  }
}

/** Imports `pkg`, or says why it cannot be. */
async function load(pkg: string, install: string): Promise<Unusable | null> {
  if (!isInstalled(pkg)) {
    return { reason: `the npm package ${pkg} is not installed`, fix: `install it with ${install}` };
  }
  try {
    await importOptional(pkg);
    return null;
  } catch (e) {
    return {
      reason: `${pkg} is installed but does not load (${firstLine(e)})`,
      fix: `reinstall it with ${install}`,
    };
  }
}

async function tryNative(
  pkg: '@tensorflow/tfjs-node-gpu' | '@tensorflow/tfjs-node',
): Promise<Unusable | null> {
  const install =
    pkg === '@tensorflow/tfjs-node-gpu'
      ? "'npm install @tensorflow/tfjs-node-gpu' (Linux x64 with an NVIDIA GPU, CUDA and cuDNN)"
      : "'npm install @tensorflow/tfjs-node' (it downloads libtensorflow for this platform)";
  const missing = await load(pkg, install);
  if (missing) return missing;
  if (!(await tf.setBackend('tensorflow'))) {
    return { reason: `${pkg} loaded but its backend did not start`, fix: `reinstall it with ${install}` };
  }
  await tf.ready();
  return null;
}

function firstLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0]?.slice(0, 160) ?? '';
}

async function tryWasm(): Promise<Unusable | null> {
  const install = "'npm install @tensorflow/tfjs-backend-wasm'";
  try {
    const wasm = (await import(
      '@tensorflow/tfjs-backend-wasm'
    )) as typeof import('@tensorflow/tfjs-backend-wasm');
    const dir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
    wasm.setWasmPaths(`${dir}${path.sep}`);
    if (!(await tf.setBackend('wasm'))) {
      return { reason: 'the wasm backend did not start', fix: `reinstall it with ${install}` };
    }
    await tf.ready();
    registerWasmSegmentSum();
    registerWasmNoCopyIdentity();
    return null;
  } catch (e) {
    return {
      reason: `the wasm backend does not load (${firstLine(e)})`,
      fix: `reinstall it with ${install}`,
    };
  }
}

async function tryWebgpu(): Promise<Unusable | null> {
  const install =
    "'npm install webgpu @tensorflow/tfjs-backend-webgpu' (on a machine with a GPU and its driver)";
  const noWebgpu = await load('webgpu', install);
  if (noWebgpu) return noWebgpu;
  try {
    const webgpu = (await importOptional('webgpu')) as {
      create?: (opts: string[]) => unknown;
      globals?: Record<string, unknown>;
    };
    if (webgpu.globals) Object.assign(globalThis, webgpu.globals);
    const g = globalThis as { navigator?: { gpu?: unknown } };
    if (!g.navigator) Object.defineProperty(globalThis, 'navigator', { value: {}, configurable: true });
    if (webgpu.create && g.navigator) (g.navigator as { gpu?: unknown }).gpu = webgpu.create([]);
    // tfjs-backend-webgpu registers itself on import only when navigator.gpu exists, so it comes second.
    const noBackend = await load('@tensorflow/tfjs-backend-webgpu', install);
    if (noBackend) return noBackend;
    const gpu = g.navigator?.gpu as { requestAdapter?: () => Promise<unknown> } | undefined;
    const adapter = await gpu?.requestAdapter?.();
    if (!adapter) {
      return {
        reason: 'no GPU adapter: WebGPU (Dawn) found no usable GPU on this machine',
        fix: 'run on a machine with a GPU and its Vulkan, Metal or Direct3D 12 driver',
      };
    }
    if (!(await tf.setBackend('webgpu'))) {
      return { reason: 'the webgpu backend did not start', fix: `reinstall with ${install}` };
    }
    await tf.ready();
    return null;
  } catch (e) {
    return { reason: `WebGPU does not start (${firstLine(e)})`, fix: `reinstall with ${install}` };
  }
}

async function tryCpu(): Promise<Unusable | null> {
  if (!(await tf.setBackend('cpu'))) {
    return {
      reason: 'the cpu backend did not start',
      fix: "reinstall it with 'npm install @tensorflow/tfjs'",
    };
  }
  await tf.ready();
  // The cpu backend prints a banner recommending tfjs-node on its first tensor under Node; graphpe
  // chooses backends itself and says which one it runs on.
  const cpu = tf.findBackend('cpu') as { firstUse?: boolean } | null;
  if (cpu && typeof cpu.firstUse === 'boolean') cpu.firstUse = false;
  return null;
}

async function tryBackend(cand: Exclude<BackendChoice, 'auto'>): Promise<Unusable | null> {
  if (cand === 'tfjs-node-gpu') return tryNative('@tensorflow/tfjs-node-gpu');
  if (cand === 'tfjs-node') return tryNative('@tensorflow/tfjs-node');
  if (cand === 'wasm') return tryWasm();
  if (cand === 'webgpu') return tryWebgpu();
  return tryCpu();
}

/**
 * Selects and initialises the tfjs backend (once per process; later calls asking for the same
 * choice return the cached info, a different explicit choice switches backend). An explicit choice
 * that cannot be set up is an `E_BACKEND` error saying what is missing and how to get it.
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
  const order: Exclude<BackendChoice, 'auto'>[] =
    raw === 'auto' ? ['tfjs-node-gpu', 'tfjs-node', 'webgpu', 'wasm', 'cpu'] : [raw];
  for (const cand of order) {
    const unusable = await tryBackend(cand);
    if (unusable && raw !== 'auto') {
      throw new GraphpeError(
        'E_BACKEND',
        `backend: '${raw}' cannot be used: ${unusable.reason}. To use it, ${unusable.fix}; or choose 'auto' (the best backend available)`,
        { backend: raw },
      );
    }
    if (unusable === null) {
      const name = tf.getBackend();
      const simd = name === 'wasm' ? tf.env().getBool('WASM_HAS_SIMD_SUPPORT') : undefined;
      const threads = name === 'tensorflow' || name === 'webgpu' ? nativeThreads() : 1;
      current = { requested: raw, name, provider: cand, threads, skipped };
      if (simd !== undefined) current.simd = simd;
      const log = options.log === undefined ? (l: string) => process.stderr.write(`${l}\n`) : options.log;
      if (log && (!logged || raw !== 'auto')) {
        logged = true;
        const extra = simd === undefined ? '' : simd ? ', SIMD' : ', no SIMD';
        // auto: say why a GPU backend whose packages are installed was passed over.
        const gpuWhy = skipped.filter(
          (w) => /^(webgpu|tfjs-node-gpu): /.test(w) && !w.includes('not installed'),
        );
        log(
          `graphpe: tfjs backend ${name} (${raw === 'auto' ? 'auto: ' : ''}${cand}${extra}, ${threads} thread${threads === 1 ? '' : 's'})${gpuWhy.length > 0 ? `; ${gpuWhy.join('; ')}` : ''}`,
        );
      }
      return current;
    }
    skipped.push(`${cand}: ${unusable.reason}`);
  }
  throw new GraphpeError('E_BACKEND', `backend: no tfjs backend could start: ${skipped.join('; ')}`);
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
      const { x, segmentIds } = inputs as { x: Tf.TensorInfo; segmentIds: Tf.TensorInfo };
      const numSegments = (attrs as { numSegments: number }).numSegments;
      const b = backend as unknown as {
        readSync(id: object): ArrayLike<number>;
        makeOutput(
          shape: number[],
          dtype: Tf.DataType,
          offset?: number,
          values?: ArrayLike<number>,
        ): Tf.TensorInfo;
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
      const x = (inputs as { x: Tf.TensorInfo }).x;
      if (x.dtype === 'string')
        throw new GraphpeError('E_BACKEND', 'backend: string tensors are not used by graphpe');
      (backend as unknown as { incRef(id: object): void }).incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    },
  });
}

export { tf };
