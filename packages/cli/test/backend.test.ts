// Backend choice through the CLI: an explicit backend that cannot start is exit 2 naming what is
// missing; the cpu backend prints no tfjs banner; error messages carry one 'graphpe' prefix.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, zincFixtureDataDir } from './helpers.js';
import { bin } from './tty-helpers.js';

const dataDir = zincFixtureDataDir('graphpe-backend-');
const env: NodeJS.ProcessEnv = { ...process.env, GRAPHPE_CACHE_DIR: join(dataDir, 'cache') };
delete env.GRAPHPE_BACKEND;

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Whether an optional package is installed (then the backend may start on this machine). */
function installed(pkg: string): boolean {
  try {
    createRequire(import.meta.url).resolve(`${pkg}/package.json`);
    return true;
  } catch {
    return false;
  }
}

const trainArgs = (out: string) => [
  ...['train', '--dataset', 'zinc', '--data-dir', dataDir, '--epochs', '1', '--max-steps', '1'],
  ...['--hidden', '8', '--layers', '1', '--out', join(dataDir, out)],
];

describe('graphpe --backend', () => {
  it('an explicit webgpu that cannot start is exit 2 naming the backend, what is missing and how to get it', () => {
    const r = cli(...trainArgs('webgpu'), '--backend', 'webgpu');
    if (installed('webgpu') && r.code === 0) return; // a machine with the webgpu packages and a GPU adapter
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^graphpe: backend: 'webgpu' cannot be used: (the npm package \S+ is not installed|no GPU adapter)/,
    );
    expect(r.stderr).toMatch(/npm install webgpu @tensorflow\/tfjs-backend-webgpu|machine with a GPU/);
    expect(r.stderr).not.toMatch(/internal error|tfjs backend wasm|\n\s+at /);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toBe('');
  });

  it('eval with an explicit tfjs-node-gpu that is not installed is exit 2 with the install line', async () => {
    const r = await run('eval', join(dataDir, 'none'), '--dataset', 'zinc', '--backend', 'tfjs-node-gpu');
    if (installed('@tensorflow/tfjs-node-gpu')) return; // installed here
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^graphpe: backend: 'tfjs-node-gpu' cannot be used: .*'npm install @tensorflow\/tfjs-node-gpu'/,
    );
  });

  it('--backend cpu prints no tfjs banner, and names the backend in one line', () => {
    const r = cli(...trainArgs('cpu'), '--backend', 'cpu');
    expect(r.code, r.stderr).toBe(0);
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/looks like you are running TensorFlow\.js|={10}/);
    expect(r.stderr.match(/^graphpe: tfjs backend cpu \(cpu, 1 thread\)$/gm)).toHaveLength(1);
  });
});

describe('error messages carry one prefix', () => {
  it.each([
    [['spectrum', join(dataDir, 'missing.edges')]],
    [['encode', join(dataDir, 'missing.edges'), '--pe', 'lap']],
    [['graphon', 'sample', '--graphon', 'nope', '--n', '5', '--out', join(dataDir, 'g.txt')]],
    [['sample', join(dataDir, 'missing.edges')]],
    [['train', '--dataset', 'nope', '--epochs', '1']],
    [['eval', join(dataDir, 'none'), '--dataset', 'zinc', '--backend', 'nope']],
    [['stats', '--dataset', 'nope', '--data-dir', dataDir]],
    [['stability', '--dataset', 'nope', '--data-dir', dataDir]],
    [['bench', 'ood', '--dataset', 'nope', '--budget', 'tiny', '--estimate-only']],
  ])('%j', async (argv) => {
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^graphpe[ :]/);
    expect(r.stderr).not.toMatch(/graphpe:? [\w ]*graphpe[ :]/);
    expect(r.stderr).not.toMatch(/internal error/);
  });
});
