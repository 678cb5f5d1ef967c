/**
 * Shared types of the fixed positional encodings: every PE is a small transform
 * `(g, ctx?) => Record<string, PeArray>` (PyTorch Geometric `BaseTransform` style), combined with
 * {@link compose}. Arrays are row-major typed arrays with an explicit shape.
 */
import { checkOption, type Graph } from '@graphpe/spectral';
import type { PeContext } from './context.js';

/** Element type of an output array. */
export type PeDtype = 'float64' | 'float32';

/**
 * One named output of a PE: row-major `data` with its `shape`. Node-level encodings are `[n, d]`;
 * graph-level ones document their own layout (e.g. `lap_val` `[k]`, projectors `[G, n, n]`).
 * `mask`, when present, flags the valid entries along the axis named in the PE's docs
 * (1 = real / invariant, 0 = padding / not invariant).
 */
export interface PeArray {
  readonly data: Float64Array | Float32Array;
  readonly shape: readonly number[];
  readonly mask?: Uint8Array;
}

/** Named arrays returned by a PE transform. */
export type PeOutput = Record<string, PeArray>;

/**
 * A positional-encoding transform. `ctx` caches eigendecompositions per graph so that several spectral
 * PEs (composed or called one after another with the same ctx) solve each Laplacian once; when
 * omitted, a fresh context is made.
 */
export type PeTransform = (g: Graph, ctx?: PeContext) => PeOutput;

/** Copy (float32) or pass through (float64) a Float64Array according to `dtype`. */
export function castDtype(a: Float64Array, dtype: PeDtype): Float64Array | Float32Array {
  return dtype === 'float32' ? Float32Array.from(a) : a;
}

/** Validate the options shared by all fixed PEs (output name prefix and dtype). */
export function checkCommon(where: string, name: unknown, dtype: unknown): void {
  checkOption(
    typeof name === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(name),
    where,
    'name must be an identifier-like string',
    name,
  );
  checkOption(
    dtype === 'float64' || dtype === 'float32',
    where,
    "dtype must be 'float64' or 'float32'",
    dtype,
  );
}

/** Reject keys that a transform does not know, so a misspelt option never passes silently. */
export function checkKeys(where: string, options: object, allowed: readonly string[]): void {
  checkOption(options !== null && typeof options === 'object', where, 'options must be an object', options);
  for (const key of Object.keys(options)) {
    checkOption(allowed.includes(key), where, `unknown option '${key}' (known: ${allowed.join(', ')})`);
  }
}
