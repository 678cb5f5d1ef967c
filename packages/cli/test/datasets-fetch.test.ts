import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from './helpers.js';

const enc = (t: string) => new Uint8Array(gzipSync(Buffer.from(t)));
const layout = {
  'bbbp/mapping/mol.csv.gz': enc('p_np,smiles,mol_id\n1,CCO,a\n0,CCN,b\n'),
  'bbbp/split/scaffold/train.csv.gz': enc('0\n'),
  'bbbp/split/scaffold/valid.csv.gz': enc('1\n'),
  'bbbp/split/scaffold/test.csv.gz': enc('1\n'),
};
const ARCHIVES: Record<string, Uint8Array> = {
  '/bbbp.zip': zipSync(layout),
  '/empty.zip': zipSync({}),
  '/symlink.zip': zipSync({
    ...layout,
    'bbbp/link': [new TextEncoder().encode('/tmp'), { os: 3, attrs: (0o120777 << 16) >>> 0 }],
    'bbbp/link/x.txt': new Uint8Array([1]),
  }),
};
const good = createHash('sha256').update(ARCHIVES['/bbbp.zip']).digest('hex');

let server: Server;
let base = '';
const root = mkdtempSync(join(tmpdir(), 'graphpe-cli-fetch-'));
beforeAll(async () => {
  server = createServer((req, res) => {
    const body = ARCHIVES[req.url ?? ''];
    res.writeHead(body ? 200 : 404);
    res.end(body ? Buffer.from(body) : undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(root, { recursive: true, force: true });
});

const fetchCli = (dataDir: string, zip: string, ...extra: string[]) =>
  run('datasets', 'fetch', 'ogbg-molbbbp', '--data-dir', dataDir, '--url', `${base}${zip}`, ...extra);

describe('graphpe datasets fetch', () => {
  it('a symlink entry is exit 2 with one line naming it, no stack, and no files', async () => {
    const dataDir = join(root, 'symlink');
    const r = await fetchCli(dataDir, '/symlink.zip');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `graphpe: gnn.fetchDataset('ogbg-molbbbp'): ${base}/symlink.zip: entry 'bbbp/link' is a symbolic link; the archive is refused\n`,
    );
    expect(existsSync(dataDir)).toBe(false);
  });

  it('an empty zip is exit 2 (E_FILE), not "0 files written"', async () => {
    const r = await fetchCli(join(root, 'empty'), '/empty.zip');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/the archive lacks bbbp\/mapping\/mol\.csv\.gz, .*\(it holds 0 files\)\n$/);
  });

  it('reports the SHA-256 (unknown, verified with --sha256, skipped with --no-verify) and refuses a mismatch', async () => {
    const unknown = await fetchCli(join(root, 'ok'), '/bbbp.zip');
    expect(unknown.code).toBe(0);
    expect(unknown.stdout).toContain(
      `ogbg-molbbbp: 4 files written under ${join(root, 'ok')} (SHA-256 unknown: ${good})`,
    );
    expect(unknown.stderr).toContain(`no SHA-256 is known for ${base}/bbbp.zip`);
    expect(unknown.stderr).toContain(`Its SHA-256 is ${good} (pin it with --sha256)`);
    const pinned = await fetchCli(join(root, 'pinned'), '/bbbp.zip', '--sha256', good);
    expect(pinned.code).toBe(0);
    expect(pinned.stdout).toContain(`(SHA-256 verified: ${good})`);
    expect(pinned.stderr).toBe('');
    const skipped = await fetchCli(join(root, 'skipped'), '/bbbp.zip', '--no-verify');
    expect(skipped.code).toBe(0);
    expect(skipped.stdout).toContain('SHA-256 not checked (--no-verify)');
    const wrong = await fetchCli(join(root, 'wrong'), '/bbbp.zip', '--sha256', 'f'.repeat(64));
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain(`has SHA-256 ${good}, expected ${'f'.repeat(64)}`);
    expect(existsSync(join(root, 'wrong'))).toBe(false);
    const bad = await fetchCli(join(root, 'bad'), '/bbbp.zip', '--sha256', 'xyz');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("sha256 must be 64 hex digits (got 'xyz')");
    expect(readdirSync(join(root, 'pinned', 'bbbp')).sort()).toEqual(['mapping', 'split']);
  });
});
