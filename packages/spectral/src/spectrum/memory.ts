/**
 * Up-front memory check of the eigensolvers: a request whose dense n×n or n×k Float64 buffers would
 * exceed a limit is refused before anything is allocated, with the size it would need.
 */
import { checkOption, GraphpeError } from '../errors.js';

/** Default cap on the Float64 buffers one solve may allocate: 8 GiB. */
export const DEFAULT_MAX_BYTES = 8 * 2 ** 30;

/** Bytes of the dense all-pairs solve of an n-node graph: n×n vectors plus the 3·n² workspace. */
export function denseSolveBytes(n: number): number {
  return 8 * 4 * n * n;
}

/** Validate a `maxBytes` option (a number > 0, Infinity allowed) and fill the default. */
export function maxBytesOption(maxBytes: number | undefined, where: string): number {
  const v = maxBytes ?? DEFAULT_MAX_BYTES;
  checkOption(typeof v === 'number' && v > 0, where, 'maxBytes must be a number > 0', maxBytes);
  return v;
}

/** Human-readable size: `12.3 GiB`, `512 MiB`. */
export function formatBytes(bytes: number): string {
  if (bytes >= 2 ** 30) return `${(bytes / 2 ** 30).toPrecision(3)} GiB`;
  return `${(bytes / 2 ** 20).toPrecision(3)} MiB`;
}

/**
 * Throw `E_TOO_LARGE` when `bytes` exceeds `maxBytes`: the message says what needs the memory, how
 * much, and how to proceed (`hint`, or raising `maxBytes`).
 */
export function checkMemory(
  bytes: number,
  maxBytes: number,
  where: string,
  what: string,
  hint: string,
): void {
  if (bytes <= maxBytes) return;
  throw new GraphpeError(
    'E_TOO_LARGE',
    `${where}: ${what} needs about ${formatBytes(bytes)} of Float64 buffers, more than maxBytes = ${formatBytes(maxBytes)}; ${hint}, or raise maxBytes`,
    { bytes, maxBytes },
  );
}
