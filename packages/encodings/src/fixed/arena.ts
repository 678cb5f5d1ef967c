/**
 * Output arrays of the fixed PEs. Called on their own, transforms return fresh typed arrays. Inside the
 * batch runner's {@link withArena} they are zeroed views into one buffer reused chunk after chunk: the
 * runner copies every output into its packed columns and drops it before the next chunk, and a fresh
 * Float64Array of a molecule's size costs ~1 µs (its own backing store) against ~0.1 µs for a view.
 */

const ALIGN = 8;
let active = false;
let buffer = new ArrayBuffer(0);
let used = 0;

function carve(bytes: number): number {
  const need = (bytes + ALIGN - 1) & ~(ALIGN - 1);
  if (used + need > buffer.byteLength) {
    // Views already handed out keep the old buffer alive until the chunk is packed.
    buffer = new ArrayBuffer(Math.max(1 << 20, 2 * buffer.byteLength, 2 * need));
    used = 0;
  }
  const at = used;
  used += need;
  return at;
}

/** A zeroed Float64Array of `length`: an arena view inside {@link withArena}, else a new array. */
export function newF64(length: number): Float64Array {
  if (!active) return new Float64Array(length);
  const at = carve(8 * length); // first: it may replace the buffer
  const a = new Float64Array(buffer, at, length);
  a.fill(0);
  return a;
}

/** A zeroed Uint8Array of `length`: an arena view inside {@link withArena}, else a new array. */
export function newU8(length: number): Uint8Array {
  if (!active) return new Uint8Array(length);
  const at = carve(length);
  const a = new Uint8Array(buffer, at, length);
  a.fill(0);
  return a;
}

/**
 * Run `fn` with the arena on, starting from the beginning of the buffer: every array taken from it
 * during a previous call must be dead by now (the batch runner packs, i.e. copies, and drops them).
 * Not re-entrant.
 */
export function withArena<T>(fn: () => T): T {
  if (active) throw new Error('encodings: withArena is not re-entrant');
  active = true;
  used = 0;
  try {
    return fn();
  } finally {
    active = false;
  }
}
