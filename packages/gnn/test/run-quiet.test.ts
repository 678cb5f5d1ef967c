// runTraining({ log: null }) writes nothing to stderr, the backend's line included. A fresh process
// (the built package, `npx tsc -b` first): in this one the backend may already be started, and a
// started backend says nothing.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('runTraining with log: null', () => {
  it('prints nothing on stderr; with the default log the backend line is there', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'graphpe-gnn-run-quiet-'));
    mkdirSync(join(dataDir, 'zinc'));
    copyFileSync(
      fileURLToPath(new URL('./fixtures/zinc32.csv', import.meta.url)),
      join(dataDir, 'zinc', 'zinc12k.csv'),
    );
    const gnn = fileURLToPath(new URL('../dist/index.js', import.meta.url));
    const train = (log: string) => {
      const script = `const { runTraining } = await import(${JSON.stringify(gnn)});
await runTraining({ dataset: 'zinc', pe: 'none', epochs: 1, maxStepsPerEpoch: 1, batchSize: 8, hidden: 8,
  layers: 1, workers: 0, dataDir: ${JSON.stringify(dataDir)}${log} });`;
      const env: NodeJS.ProcessEnv = { ...process.env, GRAPHPE_CACHE_DIR: join(dataDir, 'cache') };
      delete env.GRAPHPE_BACKEND;
      return spawnSync(process.execPath, ['--input-type=module', '-e', script], {
        encoding: 'utf8',
        env,
        timeout: 120_000,
      });
    };
    const quiet = train(', log: null');
    expect(quiet.status, quiet.stderr).toBe(0);
    expect(quiet.stderr).toBe('');
    const loud = train('');
    expect(loud.status, loud.stderr).toBe(0);
    expect(loud.stderr).toMatch(/^graphpe: tfjs backend \w+ \(auto: /m);
  });
});
