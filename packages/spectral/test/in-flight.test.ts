import { describe, expect, it } from 'vitest';
import { inFlight } from '../src/util/in-flight.js';

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('inFlight', () => {
  it('tracks promises until they settle and returns them unchanged', async () => {
    const set = inFlight();
    const a = deferred<number>();
    const b = deferred<number>();
    expect(set.track(a.promise)).toBe(a.promise);
    set.track(b.promise).catch(() => {});
    expect(set.size).toBe(2);
    a.resolve(1);
    await a.promise;
    await Promise.resolve();
    expect(set.size).toBe(1);
    b.reject(new Error('x'));
    await b.promise.catch(() => {});
    await Promise.resolve();
    expect(set.size).toBe(0);
  });

  it('drain() waits for every tracked promise, rejected ones and ones added while draining included', async () => {
    const set = inFlight();
    const order: string[] = [];
    const a = deferred<void>();
    const b = deferred<void>();
    const late = deferred<void>();
    set.track(a.promise);
    set.track(b.promise).catch(() => {});
    const drained = set.drain().then(() => order.push('drained'));
    a.resolve();
    await a.promise;
    set.track(late.promise);
    order.push('late tracked');
    b.reject(new Error('failed chunk'));
    await b.promise.catch(() => {});
    await new Promise((r) => setTimeout(r, 5));
    expect(order).toEqual(['late tracked']);
    late.resolve();
    await drained;
    expect(order).toEqual(['late tracked', 'drained']);
    expect(set.size).toBe(0);
    await set.drain(); // nothing left: resolves at once
  });
});
