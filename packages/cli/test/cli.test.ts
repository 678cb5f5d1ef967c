import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { run } from './helpers.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'graphpe-cli-'));
const c6 = join(dir, 'c6.edges');
writeFileSync(c6, '# 6-cycle\n0 1\n1 2\n2 3\n3 4\n4 5\n5 0\n');

describe('graphpe CLI', () => {
  it('prints help and version', async () => {
    const help = await run('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/spectrum/);
    const version = await run('--version');
    expect(version.stdout.trim()).toBe(
      JSON.parse(readFileSync(join(root, 'packages/cli/package.json'), 'utf8')).version,
    );
  });

  it('spectrum prints C6 eigenpairs as JSON and reports the cut λ = 0.5 pair as partial for k = 2', async () => {
    const r = await run('spectrum', c6, '--k', '2', '--quiet');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.n).toBe(6);
    expect(s.values[0]).toBeCloseTo(0, 12);
    expect(s.values[1]).toBeCloseTo(0.5, 12);
    expect(s.vectors).toHaveLength(6);
    expect(s.groups[1]).toMatchObject({ start: 1, size: 1, multiplicity: 2, status: 'partial' });
    expect(Math.max(...s.residuals)).toBeLessThan(1e-10);
  });

  it('pads with NaN → null in JSON and a mask when k > n', async () => {
    const r = await run('spectrum', c6, '--k', '8', '--pad', 'nan', '--quiet', '--laplacian', 'comb');
    const s = JSON.parse(r.stdout);
    expect(s.mask).toEqual([1, 1, 1, 1, 1, 1, 0, 0]);
    expect(s.values[6]).toBeNull();
    expect(s.values[5]).toBeCloseTo(4, 12); // comb Laplacian of C6: 2 − 2cos(2πj/6), max 4
  });

  it('writes npy files and meta.json', async () => {
    const out = join(dir, 'npy');
    const r = await run('spectrum', c6, '--k', '4', '--format', 'npy', '--out', out, '--quiet');
    expect(r.code).toBe(0);
    const vec = readFileSync(join(out, 'vectors.npy'));
    expect(vec.subarray(1, 6).toString()).toBe('NUMPY');
    expect(vec.toString('latin1', 10, 80)).toContain("'shape': (6, 4)");
    const headerBytes = 10 + (vec[8] | (vec[9] << 8));
    expect(vec.length).toBe(headerBytes + 6 * 4 * 8);
    const meta = JSON.parse(readFileSync(join(out, 'meta.json'), 'utf8'));
    expect(meta.groups.map((g: { multiplicity: number }) => g.multiplicity)).toEqual([1, 2, 2]);
  });

  it('fails with exit code 2 and a clear message on bad input', async () => {
    const missing = await run('spectrum', join(dir, 'nope.edges'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.edges');
    const badK = await run('spectrum', c6, '--k', '0');
    expect(badK.code).toBe(2);
    expect(badK.stderr).toMatch(/--k must be an integer/);
    const bad = join(dir, 'bad.edges');
    writeFileSync(bad, '0 1\n1 x\n');
    const parse = await run('spectrum', bad);
    expect(parse.code).toBe(2);
    expect(parse.stderr).toMatch(/line 2/);
    const npyNoOut = await run('spectrum', c6, '--format', 'npy', '--quiet');
    expect(npyNoOut.code).toBe(2);
    expect(npyNoOut.stderr).toMatch(/--out/);
  });

  it('the installed bin runs from dist/', () => {
    const r = spawnSync(
      process.execPath,
      [join(root, 'packages/cli/bin/graphpe.js'), 'spectrum', c6, '--k', '3', '-q'],
      {
        encoding: 'utf8',
      },
    );
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).k).toBe(3);
  });
});

describe('error messages', () => {
  it('name the command once: "graphpe spectrum: …"; library errors read "graphpe: spectral.…"', async () => {
    const own = await run('spectrum', c6, '--format', 'npy');
    expect(own.code).toBe(2);
    expect(own.stderr).toBe('graphpe spectrum: --format npy needs --out <directory>\n');
    const lib = await run('spectrum', join(dir, 'missing.edges'));
    expect(lib.code).toBe(2);
    expect(lib.stderr).toMatch(/^graphpe: spectral\.\w+: /);
    expect(lib.stderr).not.toMatch(/graphpe: graphpe/);
  });
});
