/**
 * Bookkeeping of the promises a worker pool still has out, so that closing the pool can wait for
 * them. piscina's destroy() with a task in flight drops that task's bookkeeping: a result the worker
 * has already posted then surfaces as an uncaught "Unexpected message from Worker" error, and a worker
 * cut off while piscina starts a replacement can abort the whole process (node 20's require(esm)
 * assertion). Pools therefore settle every tracked task before they terminate their threads.
 */
export interface InFlight {
  /** Register `p` until it settles; returns `p` itself. */
  track<T>(p: Promise<T>): Promise<T>;
  /** Resolves once every promise tracked so far has settled (fulfilled or rejected). */
  drain(): Promise<void>;
  /** Promises tracked and not settled yet. */
  readonly size: number;
}

/** A fresh {@link InFlight} set. */
export function inFlight(): InFlight {
  const pending = new Set<Promise<unknown>>();
  return {
    track<T>(p: Promise<T>): Promise<T> {
      pending.add(p);
      const drop = () => {
        pending.delete(p);
      };
      p.then(drop, drop);
      return p;
    },
    async drain() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
    get size() {
      return pending.size;
    },
  };
}
