import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realZincMirror } from '../../gnn/test/fetch-zinc-mirror.js';
import { run } from './helpers.js';

const enc = (t: string) => new Uint8Array(gzipSync(Buffer.from(t)));
const layout = {
  'bbbp/mapping/mol.csv.gz': enc('p_np,smiles,mol_id\n1,CCO,a\n0,CCN,b\n'),
  'bbbp/split/scaffold/train.csv.gz': enc('0\n'),
  'bbbp/split/scaffold/valid.csv.gz': enc('1\n'),
  'bbbp/split/scaffold/test.csv.gz': enc('1\n'),
};
/** OGB's own freesolv files, as in the gnn package's fixtures. */
const FREESOLV = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'gnn',
  'test',
  'fixtures',
  'ogb-freesolv',
);
const FREESOLV_FILES = [
  'mapping/mol.csv.gz',
  ...['train', 'valid', 'test'].map((s) => `split/scaffold/${s}.csv.gz`),
];
const ARCHIVES: Record<string, Uint8Array> = {
  '/freesolv.zip': zipSync(
    Object.fromEntries(
      FREESOLV_FILES.map((f) => [`freesolv/${f}`, new Uint8Array(readFileSync(join(FREESOLV, f)))]),
    ),
  ),
  '/bbbp.zip': zipSync(layout),
  '/empty.zip': zipSync({}),
  '/symlink.zip': zipSync({
    ...layout,
    'bbbp/link': [new TextEncoder().encode('/tmp'), { os: 3, attrs: (0o120777 << 16) >>> 0 }],
    'bbbp/link/x.txt': new Uint8Array([1]),
  }),
};
const good = createHash('sha256').update(ARCHIVES['/bbbp.zip']).digest('hex');

/** The gnn package's miniature ZINC mirror (fixtures/zinc-fetch), served under /zinc/. */
const ZINC = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'gnn',
  'test',
  'fixtures',
  'zinc-fetch',
);
const ZINC_FILES = [
  'train.csv.gz',
  'valid.csv.gz',
  'test.csv.gz',
  'molecules.zip',
  'train.index',
  'val.index',
  'test.index',
];
for (const f of ZINC_FILES) ARCHIVES[`/zinc/${f}`] = new Uint8Array(readFileSync(join(ZINC, f)));

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
const fetchAs = (name: string, dataDir: string, zip: string, ...extra: string[]) =>
  run('datasets', 'fetch', name, '--data-dir', dataDir, '--url', `${base}${zip}`, ...extra);

describe('graphpe datasets fetch', () => {
  it('a symlink entry is exit 2 with one line naming it (after the download line), no stack, and no files', async () => {
    const dataDir = join(root, 'symlink');
    const r = await fetchCli(dataDir, '/symlink.zip');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `graphpe datasets fetch: downloaded ${base}/symlink.zip (${ARCHIVES['/symlink.zip'].length} bytes)\ngraphpe: gnn.fetchDataset('ogbg-molbbbp'): ${base}/symlink.zip: entry 'bbbp/link' is a symbolic link; the archive is refused\n`,
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
    // tox21 has no registered checksums of OGB's files: the archive's digest is only reported.
    const unknown = await fetchAs('tox21', join(root, 'ok'), '/bbbp.zip');
    expect(unknown.code).toBe(0);
    expect(unknown.stdout).toBe(
      `tox21: 4 files written under ${join(root, 'ok')} (SHA-256 unknown: ${good})\n`,
    );
    expect(unknown.stderr).toContain(`graphpe datasets fetch: downloaded ${base}/bbbp.zip (`);
    expect(unknown.stderr).toContain(`no SHA-256 is known for ${base}/bbbp.zip`);
    expect(unknown.stderr).toContain(`Its SHA-256 is ${good} (pin it with --sha256)`);
    const pinned = await fetchCli(join(root, 'pinned'), '/bbbp.zip', '--sha256', good);
    expect(pinned.code).toBe(0);
    expect(pinned.stdout).toContain(`(SHA-256 verified: ${good})`);
    expect(pinned.stderr).toBe(
      `graphpe datasets fetch: downloaded ${base}/bbbp.zip (${ARCHIVES['/bbbp.zip'].length} bytes)\n`,
    );
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

  it("checks the files of OGB's archive against the registry: verified for OGB's own, exit 2 naming the member otherwise", async () => {
    const ok = await fetchAs('ogbg-molfreesolv', join(root, 'freesolv'), '/freesolv.zip');
    expect(ok.code).toBe(0);
    const digest = createHash('sha256').update(ARCHIVES['/freesolv.zip']).digest('hex');
    expect(ok.stdout).toBe(
      `ogbg-molfreesolv: 4 files written under ${join(root, 'freesolv')} (SHA-256 of its 4 files verified; archive SHA-256: ${digest})\n`,
    );
    expect(ok.stderr).not.toContain('no SHA-256 is known');
    const miniature = await fetchCli(join(root, 'notogb'), '/bbbp.zip');
    expect(miniature.code).toBe(2);
    expect(miniature.stdout).toBe('');
    expect(miniature.stderr).toContain(
      `${base}/bbbp.zip: member bbbp/mapping/mol.csv.gz has SHA-256 ${createHash('sha256').update(layout['bbbp/mapping/mol.csv.gz']).digest('hex')}, expected 7ec2b3b15450d30547e0f9ce2e17d1ba88f43f71e2a5a4e9df69bbb03c34c5c7 (registry)`,
    );
    expect(miniature.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(root, 'notogb'))).toBe(false);
  });

  it('fetches zinc from a mirror folder (--url base): one line per download, the CSV the loader reads', async () => {
    const dataDir = join(root, 'zinc-ok');
    const r = await fetchAs('zinc', dataDir, '/zinc', '--no-verify');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`zinc: 1 file written under ${dataDir} (SHA-256 not checked (--no-verify))\n`);
    expect(r.stderr).toBe(
      ZINC_FILES.map(
        (f) =>
          `graphpe datasets fetch: downloaded ${base}/zinc/${f} (${ARCHIVES[`/zinc/${f}`].length} bytes)\n`,
      ).join(''),
    );
    expect(readdirSync(join(dataDir, 'zinc'))).toEqual(['zinc12k.csv']);
    const full = await fetchAs('zinc-full', join(root, 'zinc-full'), '/zinc/', '--no-verify');
    expect(full.code).toBe(0);
    expect(readdirSync(join(root, 'zinc-full', 'zinc'))).toEqual(['zinc_full.csv.gz']);
  });

  it('zinc: a checksum mismatch or --sha256 is exit 2 with one line, no stack, and nothing written', async () => {
    const dataDir = join(root, 'zinc-bad');
    const r = await fetchAs('zinc', dataDir, '/zinc');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const last = r.stderr.trimEnd().split('\n').pop();
    expect(last).toMatch(
      /^graphpe: gnn\.fetchDataset\('zinc'\): http:\/\/127\.0\.0\.1:\d+\/zinc\/train\.csv\.gz decompresses to content with SHA-256 [0-9a-f]{64}, expected a3b0ec77/,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const pinned = await fetchAs('zinc', dataDir, '/zinc', '--sha256', '0'.repeat(64));
    expect(pinned.code).toBe(2);
    expect(pinned.stderr).toContain("but 'zinc' is built from 7 downloads");
    expect(existsSync(dataDir)).toBe(false);
  });

  it('datasets list says zinc-full can be fetched and lists its sources', async () => {
    const dataDir = join(root, 'list-empty');
    const text = await run('datasets', 'list', '--data-dir', dataDir);
    expect(text.stdout).toMatch(/\nzinc-full +regression +mae +missing \(graphpe datasets fetch\)\n/);
    expect(text.stdout).toMatch(/\ndrugood-ec50-assay +binary +rocauc +missing\n/);
    const json = JSON.parse((await run('datasets', 'list', '--data-dir', dataDir, '--json')).stdout);
    const full = json.datasets.find((d: { name: string }) => d.name === 'zinc-full');
    expect(full.download).toBeNull();
    expect(full.sources).toHaveLength(4);
    expect(full.sources[3]).toBe('https://www.dropbox.com/s/feo9qle74kg48gy/molecules.zip?dl=1');
  });
});

const dataDirEnv =
  process.env.GRAPHPE_DATA_DIR && existsSync(process.env.GRAPHPE_DATA_DIR)
    ? process.env.GRAPHPE_DATA_DIR
    : undefined;

describe.skipIf(!dataDirEnv)(
  'graphpe datasets fetch zinc on the real SMILES and index files (GRAPHPE_DATA_DIR)',
  () => {
    it('verifies six downloads and says which one has no known checksum and what was checked instead', async () => {
      for (const [f, bytes] of Object.entries(realZincMirror(dataDirEnv!))) ARCHIVES[`/real/${f}`] = bytes;
      const dataDir = join(root, 'zinc-real');
      const r = await fetchAs('zinc', dataDir, '/real');
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`zinc: 1 file written under ${dataDir} (SHA-256 of 6 of 7 downloads verified)\n`);
      const digest = createHash('sha256').update(ARCHIVES['/real/molecules.zip']).digest('hex');
      expect(r.stderr).toContain(
        `graphpe datasets fetch: no SHA-256 is known for ${base}/real/molecules.zip; every molecule in it was checked against the SMILES at the same position (atom count), not its checksum. Its SHA-256 is ${digest}.\n`,
      );
      expect(r.stderr.match(/no SHA-256 is known/g)).toHaveLength(1);
      expect(readFileSync(join(dataDir, 'zinc', 'zinc12k.csv'), 'utf8').split('\n')).toHaveLength(12_002);
    }, 300_000);
  },
);
