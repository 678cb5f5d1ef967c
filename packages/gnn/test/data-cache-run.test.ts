import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatBytes, runTraining } from '../src/index.js';

describe('runTraining: the preprocessing cache on the log', () => {
  it('one line per run: the cache folder, written then hit, and the entry size', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'graphpe-gnn-cache-run-'));
    mkdirSync(join(dataDir, 'zinc'));
    copyFileSync(
      fileURLToPath(new URL('./fixtures/zinc32.csv', import.meta.url)),
      join(dataDir, 'zinc', 'zinc12k.csv'),
    );
    const cacheDir = join(dataDir, 'cache');
    const keep = process.env.GRAPHPE_CACHE_DIR;
    process.env.GRAPHPE_CACHE_DIR = cacheDir;
    try {
      const cacheLines = async () => {
        const lines: string[] = [];
        await runTraining({
          dataset: 'zinc',
          pe: 'none',
          epochs: 1,
          maxStepsPerEpoch: 1,
          batchSize: 8,
          hidden: 8,
          layers: 1,
          workers: 0,
          dataDir,
          backend: 'wasm',
          log: (l) => lines.push(l),
        });
        return lines.filter((l) => l.startsWith('cache'));
      };
      const first = await cacheLines();
      const [entry] = readdirSync(cacheDir);
      const size = formatBytes(statSync(join(cacheDir, entry as string)).size);
      expect(first).toEqual([`cache: ${cacheDir} (written, ${size})`]);
      expect(await cacheLines()).toEqual([`cache: ${cacheDir} (hit, ${size})`]);
    } finally {
      if (keep === undefined) delete process.env.GRAPHPE_CACHE_DIR;
      else process.env.GRAPHPE_CACHE_DIR = keep;
    }
  });
});
