import { initBackend, tf } from '@graphpe/encodings/learned';
import { GraphpeError } from '@graphpe/spectral';
import { afterEach, describe, expect, it } from 'vitest';

const saved = process.env.GRAPHPE_BACKEND;
afterEach(() => {
  if (saved === undefined) delete process.env.GRAPHPE_BACKEND;
  else process.env.GRAPHPE_BACKEND = saved;
});

describe('initBackend', () => {
  it('webgpu falls back cleanly with one line saying why when no adapter or package exists', async () => {
    const lines: string[] = [];
    const info = await initBackend({ backend: 'webgpu', log: (l) => lines.push(l) });
    expect(lines).toHaveLength(1);
    if (info.name === 'webgpu') return; // a machine with a GPU adapter
    expect(info.requested).toBe('webgpu');
    expect(['tensorflow', 'wasm', 'cpu']).toContain(info.name);
    expect(info.skipped[0]).toMatch(/^webgpu/);
    expect(lines[0]).toMatch(/webgpu (not usable|: no adapter)/);
  });

  it('auto tries the native backends and webgpu before wasm, and says why it skipped each', async () => {
    delete process.env.GRAPHPE_BACKEND;
    const info = await initBackend({ log: null });
    if (info.name === 'tensorflow' || info.name === 'webgpu') return; // a machine with those installed
    expect(info.name).toBe('wasm');
    expect(info.skipped.map((w) => w.split(' ')[0])).toEqual([
      '@tensorflow/tfjs-node-gpu',
      '@tensorflow/tfjs-node',
      'webgpu',
    ]);
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
