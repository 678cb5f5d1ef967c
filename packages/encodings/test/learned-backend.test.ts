import { initBackend, tf } from '@graphpe/encodings/learned';
import { GraphpeError } from '@graphpe/spectral';
import { afterEach, describe, expect, it } from 'vitest';

const saved = process.env.GRAPHPE_BACKEND;
afterEach(() => {
  if (saved === undefined) delete process.env.GRAPHPE_BACKEND;
  else process.env.GRAPHPE_BACKEND = saved;
});

describe('initBackend', () => {
  it('an explicit webgpu that cannot start is E_BACKEND naming what is missing and how to get it', async () => {
    const before = tf.getBackend();
    const lines: string[] = [];
    let err: unknown;
    try {
      const info = await initBackend({ backend: 'webgpu', log: (l) => lines.push(l) });
      expect(info.name).toBe('webgpu'); // a machine with the packages and a GPU adapter
      return;
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(GraphpeError);
    expect((err as GraphpeError).code).toBe('E_BACKEND');
    const msg = (err as Error).message;
    expect(msg).toMatch(/^backend: 'webgpu' cannot be used: /);
    // what is missing: an npm package, or the GPU adapter
    expect(msg).toMatch(
      /the npm package (webgpu|@tensorflow\/tfjs-backend-webgpu) is not installed|no GPU adapter/,
    );
    // how to get it
    expect(msg).toMatch(/npm install webgpu @tensorflow\/tfjs-backend-webgpu|machine with a GPU/);
    expect(msg).toMatch(/or choose 'auto'/);
    expect(lines).toEqual([]); // no fallback, no line
    expect(tf.getBackend()).toBe(before);
  });

  it('an explicit native backend that is not installed is E_BACKEND with the npm install line', async () => {
    for (const [choice, pkg] of [
      ['tfjs-node-gpu', '@tensorflow/tfjs-node-gpu'],
      ['tfjs-node', '@tensorflow/tfjs-node'],
    ] as const) {
      let err: unknown;
      try {
        await initBackend({ backend: choice, log: null });
        continue; // installed on this machine
      } catch (e) {
        err = e;
      }
      expect((err as GraphpeError).code).toBe('E_BACKEND');
      expect((err as Error).message).toContain(`backend: '${choice}' cannot be used: the npm package ${pkg}`);
      expect((err as Error).message).toContain(`'npm install ${pkg}'`);
    }
  });

  it('auto tries the native backends and webgpu before wasm, says why it skipped each, and logs one line', async () => {
    delete process.env.GRAPHPE_BACKEND;
    const lines: string[] = [];
    const info = await initBackend({ backend: 'auto', log: (l) => lines.push(l) });
    if (info.name === 'tensorflow' || info.name === 'webgpu') return; // a machine with those installed
    expect(info.name).toBe('wasm');
    expect(info.skipped.map((w) => w.split(':')[0])).toEqual(['tfjs-node-gpu', 'tfjs-node', 'webgpu']);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^graphpe: tfjs backend wasm \(auto: wasm, (no )?SIMD, 1 thread\)$/);
  });

  it('GRAPHPE_BACKEND overrides the default, and the choice is what tfjs runs on', async () => {
    process.env.GRAPHPE_BACKEND = 'cpu';
    const info = await initBackend({ log: null });
    expect(info.name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(info.threads).toBe(1);
    const wasm = await initBackend({ backend: 'wasm', log: null });
    expect(wasm).toMatchObject({ name: 'wasm', threads: 1 });
    expect(tf.getBackend()).toBe('wasm');
  });

  it('rejects an unknown backend with E_OPTION naming the choices', async () => {
    await expect(initBackend({ backend: 'cuda', log: null })).rejects.toThrow(GraphpeError);
    await expect(initBackend({ backend: 'cuda', log: null })).rejects.toThrow(/unknown backend 'cuda'.*wasm/);
  });
});
