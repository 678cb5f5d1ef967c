/**
 * TensorFlow.js for the learned encoders, loaded by a dynamic import so that a project without it gets an
 * `E_BACKEND` error saying what to install instead of Node's bare ERR_MODULE_NOT_FOUND. (A static import
 * of a missing package fails while the module graph is linked, before any guard could run.) Modules of
 * `./learned` take the runtime namespace from here and its types from `import type`.
 */
import { GraphpeError } from '@graphpe/spectral';
import type * as Tf from '@tensorflow/tfjs';

/** What a user installs to use `@graphpe/encodings/learned`. */
const TFJS_INSTALL = 'npm install @tensorflow/tfjs @tensorflow/tfjs-backend-wasm';

/** True for a module-not-found error about a `@tensorflow/` package (tfjs itself or one of its parts). */
function missingTfjs(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  return (
    (e?.code === 'ERR_MODULE_NOT_FOUND' || e?.code === 'MODULE_NOT_FOUND') &&
    String(e.message).includes('@tensorflow/')
  );
}

async function loadTfjs(): Promise<typeof Tf> {
  try {
    return await import('@tensorflow/tfjs');
  } catch (err) {
    if (!missingTfjs(err)) throw err;
    const first = String((err as Error).message).split('\n')[0];
    const error = new GraphpeError(
      'E_BACKEND',
      `@graphpe/encodings/learned needs @tensorflow/tfjs (and @tensorflow/tfjs-backend-wasm): ${TFJS_INSTALL}\n(${first})`,
      { install: TFJS_INSTALL },
    );
    error.cause = err;
    throw error;
  }
}

/** The `@tensorflow/tfjs` namespace. */
export const tf: typeof Tf = await loadTfjs();
