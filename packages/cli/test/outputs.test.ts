// Output files of graphpe encode / spectrum / train: checked before the work, written atomically under
// a temporary name unique to the run, never left half-written, and errors surfaced as GraphpeErrors.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tableFromIPC } from 'apache-arrow';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { run, zincFixtureDataDir } from './helpers.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const bin = join(root, 'packages/cli/bin/graphpe.js');
const dir = mkdtempSync(join(tmpdir(), 'graphpe-outputs-'));

/** A folder of `count` graphs: cycles (kind 'c') or stars (kind 's') of growing size. */
function graphFolder(name: string, kind: 'c' | 's', count: number): string {
  const folder = join(dir, name);
  mkdirSync(folder);
  for (let i = 0; i < count; i++) {
    const n = 4 + (i % 9);
    const lines: string[] = [];
    for (let v = 1; v < n; v++) lines.push(kind === 'c' ? `${v - 1} ${v}` : `0 ${v}`);
    if (kind === 'c') lines.push(`${n - 1} 0`);
    writeFileSync(join(folder, `g${String(i).padStart(3, '0')}.edges`), `${lines.join('\n')}\n`);
  }
  return folder;
}

const cycles = graphFolder('cycles', 'c', 40);
const stars = graphFolder('stars', 's', 40);
const k4 = join(dir, 'k4.edges');
writeFileSync(k4, '0 1\n0 2\n0 3\n1 2\n1 3\n2 3\n');
const PE = 'lap:k=4,rwse:steps=6';

/** Names in `folder` that look like temporary files. */
const temps = (folder: string) => readdirSync(folder).filter((f) => f.endsWith('.tmp') || f.includes('.tmp'));

/** `graphpe …` as a child process of the built CLI. */
function spawnCli(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('graphpe encode: concurrent runs to one output', () => {
  for (const ext of ['arrow', 'npz']) {
    it(`in-process, interleaved chunk by chunk (${ext}): both succeed, the file is exactly one run's output, no temporary file is left`, async () => {
      const folder = join(dir, `race-${ext}`);
      mkdirSync(folder);
      const refA = join(folder, `ref-a.${ext}`);
      const refB = join(folder, `ref-b.${ext}`);
      const args = ['--pe', PE, '--chunk-size', '1', '-q'];
      expect((await run('encode', cycles, ...args, '-o', refA)).code).toBe(0);
      expect((await run('encode', stars, ...args, '-o', refB)).code).toBe(0);
      const a = readFileSync(refA);
      const b = readFileSync(refB);
      expect(a.equals(b)).toBe(false);
      const out = join(folder, `same.${ext}`);
      for (let trial = 0; trial < 3; trial++) {
        const [ra, rb] = await Promise.all([
          run('encode', cycles, ...args, '-o', out),
          run('encode', stars, ...args, '-o', out),
        ]);
        expect(ra.stderr).toBe('');
        expect(rb.stderr).toBe('');
        expect([ra.code, rb.code]).toEqual([0, 0]);
        const got = readFileSync(out);
        expect(got.equals(a) || got.equals(b)).toBe(true);
        expect(temps(folder)).toEqual([]);
      }
      if (ext === 'arrow') expect(tableFromIPC(readFileSync(out)).numRows).toBe(40);
      else expect(Object.keys(unzipSync(readFileSync(out)))).toContain('rwse.npy');
    });
  }

  it('two processes of the built CLI: both exit 0, the file is exactly one run’s output, no temporary file is left', async () => {
    const folder = join(dir, 'race-bin');
    mkdirSync(folder);
    const refA = join(folder, 'ref-a.arrow');
    const refB = join(folder, 'ref-b.arrow');
    const args = ['--pe', PE, '--chunk-size', '1', '-q'];
    expect((await run('encode', cycles, ...args, '-o', refA)).code).toBe(0);
    expect((await run('encode', stars, ...args, '-o', refB)).code).toBe(0);
    const a = readFileSync(refA);
    const b = readFileSync(refB);
    const out = join(folder, 'same.arrow');
    for (let trial = 0; trial < 2; trial++) {
      const [ra, rb] = await Promise.all([
        spawnCli(['encode', cycles, ...args, '-o', out]),
        spawnCli(['encode', stars, ...args, '-o', out]),
      ]);
      expect(ra, ra.stderr).toMatchObject({ code: 0, stderr: '' });
      expect(rb, rb.stderr).toMatchObject({ code: 0, stderr: '' });
      const got = readFileSync(out);
      expect(got.equals(a) || got.equals(b)).toBe(true);
      expect(temps(folder)).toEqual([]);
    }
  }, 60_000);
});

describe('graphpe encode: an error while encoding', () => {
  // K4 has one eigenvalue 4/3 of multiplicity 3: proj with k = 2 cuts it.
  for (const format of ['arrow', 'npz', 'npy'] as const) {
    for (const workers of ['1', '2']) {
      it(`is a clear exit 2 and leaves no file (${format}, --workers ${workers})`, async () => {
        const folder = join(dir, `err-${format}-${workers}`);
        mkdirSync(folder);
        const out = join(folder, format === 'npy' ? 'npy-out' : `k4.${format}`);
        const r = await run(
          'encode',
          k4,
          '--pe',
          'proj:k=2:partial=error',
          '--format',
          format,
          '-o',
          out,
          '--workers',
          workers,
          '-q',
        );
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(
          /^graphpe encode: k4\.edges: graph 0: .*eigenspace of λ = 1\.33.* is cut by k/,
        );
        expect(r.stderr.trim().split('\n')).toHaveLength(1);
        expect(readdirSync(folder)).toEqual([]);
      });
    }
  }

  for (const workers of ['1', '2']) {
    it(`after record batches were written (arrow, --chunk-size 1, --workers ${workers}): exit 2 naming the file, no file`, async () => {
      const input = join(dir, `late-error-${workers}`);
      mkdirSync(input);
      for (let i = 0; i < 6; i++) writeFileSync(join(input, `a${i}.edges`), '0 1\n1 2\n2 3\n');
      writeFileSync(join(input, 'z-k4.edges'), readFileSync(k4));
      const folder = join(dir, `late-error-out-${workers}`);
      mkdirSync(folder);
      const r = await run(
        'encode',
        input,
        '--pe',
        'proj:k=2:partial=error',
        '-o',
        join(folder, 'x.arrow'),
        '--chunk-size',
        '1',
        '--workers',
        workers,
        '-q',
      );
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^graphpe encode: z-k4\.edges: graph 6: .*is cut by k/);
      expect(readdirSync(folder)).toEqual([]);
    });
  }

  it('the installed bin surfaces it from the Arrow writer and a worker (exit 2, no stack, no file)', async () => {
    const folder = join(dir, 'err-bin');
    mkdirSync(folder);
    const r = await spawnCli([
      'encode',
      k4,
      '--pe',
      'proj:k=2:partial=error',
      '-o',
      join(folder, 'k4.arrow'),
      '--workers',
      '2',
      '-q',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^graphpe encode: k4\.edges: graph 0: .*is cut by k/);
    expect(r.stderr).not.toMatch(/UnhandledPromiseRejection|\n\s+at /);
    expect(readdirSync(folder)).toEqual([]);
  });
});

describe('graphpe encode / spectrum / train: the output location is checked before the work', () => {
  const file = join(dir, 'a-file.txt');
  writeFileSync(file, 'not a folder\n');

  it('encode: a missing folder, a folder, a file where npy wants a folder', async () => {
    const missing = await run('encode', k4, '--pe', 'rwse', '-o', join(dir, 'nope', 'x.arrow'), '-q');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(
      /^graphpe encode: --out .*nope\/x\.arrow: the folder .*nope does not exist\n$/,
    );
    expect(existsSync(join(dir, 'nope'))).toBe(false);
    const folder = join(dir, 'a-folder');
    mkdirSync(folder);
    for (const fmt of [[], ['--format', 'arrow'], ['--format', 'npz']]) {
      const r = await run('encode', k4, '--pe', 'rwse', '-o', folder, ...fmt, '-q');
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^graphpe encode: --out .*a-folder: is a folder/);
    }
    expect(readdirSync(folder)).toEqual([]);
    const npy = await run('encode', k4, '--pe', 'rwse', '--format', 'npy', '-o', file, '-q');
    expect(npy.code).toBe(2);
    expect(npy.stderr).toMatch(/--out .*a-file\.txt: is an existing file, expected a folder/);
    expect(readFileSync(file, 'utf8')).toBe('not a folder\n');
    const under = await run('encode', k4, '--pe', 'rwse', '-o', join(file, 'x.npz'), '-q');
    expect(under.code).toBe(2);
    expect(under.stderr).toMatch(/a-file\.txt is not a folder/);
  });

  it('encode: an unknown --out extension names the supported ones (was: Arrow written silently)', async () => {
    for (const name of ['x.parquet', 'x.json', 'x']) {
      const r = await run('encode', k4, '--pe', 'rwse', '-o', join(dir, name), '-q');
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/unknown output extension .*supported: \.arrow, \.feather, \.ipc .* \.npz/);
      expect(existsSync(join(dir, name))).toBe(false);
    }
    const { outputFormat } = await import('../src/commands/encode.js');
    expect(outputFormat('a/B.NPZ')).toBe('npz');
    expect(outputFormat('b.feather')).toBe('arrow');
    expect(outputFormat('x.parquet', 'arrow')).toBe('arrow');
    const help = await run('encode', '--help');
    expect(help.stdout.replace(/\s+/g, ' ')).toMatch(
      /from the --out extension: \.npz → npz, \.arrow\/\.feather\/\.ipc → arrow/,
    );
  });

  it('spectrum: fails before solving (no summary line) on a missing folder, a folder, a file for npy', async () => {
    const cases: [string[], RegExp][] = [
      [['-o', join(dir, 'nope', 's.json')], /the folder .*nope does not exist/],
      [['-o', dir], /is a folder, expected a file name/],
      [['--format', 'npy', '-o', file], /is an existing file, expected a folder/],
    ];
    for (const [args, message] of cases) {
      const r = await run('spectrum', k4, '--k', '3', ...args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/spectrum: n=/);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    const npy = join(dir, 'spectrum-npy');
    expect((await run('spectrum', k4, '--k', '3', '--format', 'npy', '-o', npy, '-q')).code).toBe(0);
    expect(readdirSync(npy).sort()).toEqual([
      'groups.npy',
      'mask.npy',
      'meta.json',
      'residuals.npy',
      'values.npy',
      'vectors.npy',
    ]);
    expect(temps(dir)).toEqual([]);
  });

  it('train: --out an existing file is E_FILE before the dataset is loaded', async () => {
    const dataDir = zincFixtureDataDir('graphpe-outputs-train-');
    const r = await run(
      'train',
      '--dataset',
      'zinc',
      '--epochs',
      '1',
      '--max-steps',
      '1',
      '--limit',
      '8',
      '--hidden',
      '8',
      '--layers',
      '1',
      '--backend',
      'wasm',
      '--data-dir',
      dataDir,
      '--out',
      file,
      '-q',
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^graphpe train: --out .*a-file\.txt: is an existing file, expected a folder/);
    expect(existsSync(join(dataDir, 'cache'))).toBe(false);
  }, 60_000);
});

describe('graphpe encode --format npy into an existing folder', () => {
  it('replaces its own files, keeps the others and leaves no temporary folder', async () => {
    const parent = join(dir, 'npy-parent');
    mkdirSync(parent);
    const out = join(parent, 'pe');
    mkdirSync(out);
    writeFileSync(join(out, 'notes.txt'), 'keep me\n');
    writeFileSync(join(out, 'rwse.npy'), 'stale');
    const r = await run('encode', k4, '--pe', 'rwse:steps=3', '--format', 'npy', '-o', out, '-q');
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('keep me\n');
    expect(readFileSync(join(out, 'rwse.npy')).subarray(1, 6).toString()).toBe('NUMPY');
    expect(JSON.parse(readFileSync(join(out, 'meta.json'), 'utf8')).spec).toBe('rwse:steps=3:dtype=float32');
    expect(readdirSync(parent)).toEqual(['pe']);
  });
});

describe('graphpe encode: empty input and worker count', () => {
  it('a CSV without molecules, or with every molecule skipped, is exit 2 naming the file, and writes nothing', async () => {
    const header = join(dir, 'header-only.csv');
    writeFileSync(header, 'smiles\n');
    const out = join(dir, 'empty.npz');
    const r = await run('encode', header, '--pe', 'rwse', '-o', out, '-q');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/header-only\.csv.*no data rows/);
    const invalid = join(dir, 'all-invalid.csv');
    writeFileSync(invalid, 'smiles\nC1CC\nXx\n');
    const s = await run('encode', invalid, '--pe', 'rwse', '-o', out, '--on-invalid', 'skip', '-q');
    expect(s.code).toBe(2);
    expect(s.stderr).toMatch(
      /all-invalid\.csv: no graphs to encode \(all 2 molecule\(s\) were invalid and skipped\)/,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('--workers is capped at the chunks of work and the cores, with one line unless --quiet', async () => {
    const { capWorkers } = await import('../src/commands/encode.js');
    expect(capWorkers(1000, 1, 16)).toBe(1);
    expect(capWorkers(1000, 50, 16)).toBe(16);
    expect(capWorkers(4, 50, 16)).toBe(4);
    expect(capWorkers(4, 0, 16)).toBe(1);
    const out = join(dir, 'capped.arrow');
    const r = await run('encode', k4, '--pe', 'rwse', '-o', out, '--workers', '8');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /^encode: --workers 8 capped to 1 \(1 graph\(s\) in 1 chunk\(s\) of --chunk-size 256; \d+ cores\)$/m,
    );
    const q = await run('encode', k4, '--pe', 'rwse', '-o', out, '--workers', '8', '-q');
    expect(q).toMatchObject({ code: 0, stderr: '' });
    expect(tableFromIPC(readFileSync(out)).numRows).toBe(1);
  });
});
