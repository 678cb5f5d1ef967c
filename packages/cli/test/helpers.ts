// Shared by the CLI tests: run `graphpe` in-process through the CliIo seam, and a data directory
// holding the 32-molecule ZINC fixture as zinc/zinc12k.csv (24 train / 4 val / 4 test).
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../src/program.js';

/** Runs the CLI on `argv`, capturing stdout, stderr and the exit code. */
export async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
  });
  return { code, stdout, stderr };
}

/** A fresh data directory with the ZINC fixture; caches go to its cache/ folder (GRAPHPE_CACHE_DIR). */
export function zincFixtureDataDir(prefix: string): string {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  mkdirSync(join(dataDir, 'zinc'));
  copyFileSync(
    fileURLToPath(new URL('../../gnn/test/fixtures/zinc32.csv', import.meta.url)),
    join(dataDir, 'zinc', 'zinc12k.csv'),
  );
  process.env.GRAPHPE_CACHE_DIR = join(dataDir, 'cache');
  return dataDir;
}
