import { describe, expect, it } from 'vitest';
import { newF64, newU8, withArena } from '../src/fixed/arena.js';

describe('output arena', () => {
  it('hands out fresh arrays outside withArena', () => {
    const a = newF64(5);
    const b = newU8(3);
    expect(a.buffer.byteLength).toBe(40);
    expect(b.buffer.byteLength).toBe(3);
    expect(newF64(5).buffer === a.buffer).toBe(false);
  });

  it('inside, hands out zeroed, disjoint views, zeroed again when the buffer is reused', () => {
    const first = withArena(() => {
      const x = newF64(7);
      const m = newU8(5);
      const y = newF64(3);
      expect(x.buffer === y.buffer).toBe(true);
      // Disjoint and 8-byte aligned.
      expect(m.byteOffset).toBeGreaterThanOrEqual(x.byteOffset + x.byteLength);
      expect(y.byteOffset % 8).toBe(0);
      expect(y.byteOffset).toBeGreaterThanOrEqual(m.byteOffset + m.byteLength);
      x.fill(7);
      m.fill(255);
      y.fill(-1);
      expect(Array.from(x)).toEqual(new Array(7).fill(7));
      return { x, y };
    });
    withArena(() => {
      const x = newF64(7);
      const m = newU8(5);
      const y = newF64(3);
      // The same memory as the first call, all zero again.
      expect(x.buffer === first.x.buffer).toBe(true);
      expect(x.byteOffset).toBe(first.x.byteOffset);
      expect(Array.from(x)).toEqual(new Array(7).fill(0));
      expect(Array.from(m)).toEqual(new Array(5).fill(0));
      expect(Array.from(y)).toEqual([0, 0, 0]);
    });
  });

  it('grows past its buffer without touching the views already handed out', () => {
    withArena(() => {
      const small = newF64(4);
      small.set([1, 2, 3, 4]);
      const big = newF64(300_000); // 2.4 MB: a new, larger buffer
      big.fill(9);
      expect(big.buffer === small.buffer).toBe(false);
      expect(Array.from(small)).toEqual([1, 2, 3, 4]);
      const after = newF64(2);
      expect(after.buffer === big.buffer).toBe(true); // room was left after the large one
      expect(Array.from(after)).toEqual([0, 0]);
    });
  });

  it('is not re-entrant and switches off after a throw', () => {
    expect(() => withArena(() => withArena(() => 1))).toThrow(/re-entrant/);
    expect(() =>
      withArena(() => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(newF64(2).buffer.byteLength).toBe(16); // fresh again
  });
});
