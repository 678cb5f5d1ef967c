import { describe, expect, it } from 'vitest';
import { startProgress } from '../src/io/progress.js';

function busyWait(ms: number): void {
  const t = Date.now();
  while (Date.now() - t < ms) {
    // a synchronous loop: no timer can fire
  }
}

describe('startProgress (non-TTY)', () => {
  it('prints periodic lines from a synchronous loop that never yields to the event loop', () => {
    let err = '';
    const bar = startProgress({ stdout: () => {}, stderr: (t) => (err += t) }, 'work', 10, {
      intervalMs: 50,
    });
    for (let i = 1; i <= 10; i++) {
      busyWait(20);
      bar.update(i);
    }
    bar.stop();
    const lines = err.trim().split('\n');
    // the start line, ≥ 2 intermediate ones (200 ms of work, one line per 50 ms) and the final one
    expect(lines.length).toBeGreaterThanOrEqual(4);
    expect(lines[0]).toMatch(/^work \[.*\] 0% \| 0\/10 graphs/);
    expect(lines.some((l) => /\| [1-9]\/10 graphs/.test(l))).toBe(true);
    expect(lines.at(-1)).toMatch(/100% \| 10\/10 graphs/);
  });

  it('prints nothing when quiet', () => {
    let err = '';
    const bar = startProgress({ stdout: () => {}, stderr: (t) => (err += t) }, 'work', 10, { quiet: true });
    bar.update(5);
    bar.stop();
    expect(err).toBe('');
  });
});
