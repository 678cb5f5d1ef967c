import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { GraphpeError } from '@graphpe/spectral';
import { type Zippable, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetInfo, type FetchOptions, fetchDataset, listDatasets, loadDataset } from '../src/index.js';

// A miniature of OGB's esol.zip: esol/mapping/mol.csv.gz and the scaffold split.
const SMILES = ['CCO', 'c1ccccc1', 'CC(=O)O', 'CCN', 'C1CCCCC1', 'OCC(O)CO'];
const mol = `measured log solubility in mols per litre,smiles,mol_id\n${SMILES.map((s, i) => `${-i / 2},${s} ,m${i}`).join('\n')}\n`;
const enc = (t: string) => new Uint8Array(gzipSync(Buffer.from(t)));
const layout = (top: string): Zippable => ({
  [`${top}/mapping/mol.csv.gz`]: enc(mol),
  [`${top}/split/scaffold/train.csv.gz`]: enc('0\n1\n2\n3\n'),
  [`${top}/split/scaffold/valid.csv.gz`]: enc('4\n'),
  [`${top}/split/scaffold/test.csv.gz`]: enc('5\n'),
});
const SYMLINK = { os: 3, attrs: (0o120777 << 16) >>> 0 };
const FIFO = { os: 3, attrs: (0o010644 << 16) >>> 0 };
/** A stored zip of one member whose data byte is flipped after writing (the CRC no longer matches). */
function corruptCrc(): Uint8Array {
  const z = zipSync({ 'esol/mapping/mol.csv.gz': enc(mol) }, { level: 0 });
  z[30 + 'esol/mapping/mol.csv.gz'.length + 12] ^= 0xff;
  return z;
}
/** OGB's own freesolv files (mapping and scaffold split), byte for byte. */
const FREESOLV_DIR = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'ogb-freesolv');
const freesolv = (rel: string) => new Uint8Array(readFileSync(join(FREESOLV_DIR, rel)));
const FREESOLV_FILES = [
  'mapping/mol.csv.gz',
  ...['train', 'valid', 'test'].map((s) => `split/scaffold/${s}.csv.gz`),
];
const freesolvZip = (replace: Record<string, Uint8Array> = {}): Uint8Array =>
  zipSync(Object.fromEntries(FREESOLV_FILES.map((f) => [`freesolv/${f}`, replace[f] ?? freesolv(f)])));
const ARCHIVES: Record<string, Uint8Array | string> = {
  '/freesolv.zip': freesolvZip(),
  '/freesolv-altered.zip': freesolvZip({ 'split/scaffold/test.csv.gz': enc('0\n') }),
  '/esol.zip': zipSync(layout('esol')),
  '/tox21.zip': zipSync(layout('tox21')),
  '/broken.zip': 'this is not a zip',
  '/empty.zip': zipSync({}),
  '/partial.zip': zipSync({ 'esol/mapping/mol.csv.gz': enc(mol) }),
  '/crc.zip': corruptCrc(),
  '/notgzip.zip': zipSync({
    ...layout('esol'),
    'esol/split/scaffold/valid.csv.gz': new Uint8Array([1, 2, 3]),
  }),
  '/badsplit.zip': zipSync({ ...layout('esol'), 'esol/split/scaffold/test.csv.gz': enc('6\n') }),
  '/ragged.zip': zipSync({
    ...layout('esol'),
    'esol/mapping/mol.csv.gz': enc('y,smiles,mol_id\n1,CCO,m0\n2\n'),
  }),
  '/escape.zip': zipSync({ ...layout('esol'), 'esol/../../escaped.txt': new Uint8Array([1]) }),
  '/outside.zip': zipSync({ ...layout('esol'), '../outside.txt': new Uint8Array([2]) }),
  '/absolute.zip': zipSync({ ...layout('esol'), '/tmp/graphpe-absolute.txt': new Uint8Array([2]) }),
  // A symlink entry and a file "under" it: the file would be written through the link.
  '/symlink.zip': zipSync({
    ...layout('esol'),
    'esol/link': [new TextEncoder().encode('/tmp'), SYMLINK],
    'esol/link/x.txt': new Uint8Array([1]),
  }),
  '/fifo.zip': zipSync({ ...layout('esol'), 'esol/pipe': [new Uint8Array(0), FIFO] }),
  '/clash.zip': zipSync({ ...layout('esol'), 'esol/split': new Uint8Array([1]) }),
  '/twotops.zip': zipSync({ ...layout('esol'), 'other/mapping/mol.csv.gz': enc(mol) }),
};
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

let server: Server;
let base = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    const body = ARCHIVES[req.url ?? ''];
    if (body === undefined) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/zip' });
    res.end(typeof body === 'string' ? body : Buffer.from(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const tmp = () => mkdtempSync(join(tmpdir(), 'graphpe-fetch-'));

/**
 * The error of a fetch that must fail. The miniature archives are not OGB's, so the registered checksums of
 * esol's files are skipped unless `options` says otherwise.
 */
async function fetchError(
  dataDir: string,
  path: string,
  options: FetchOptions = { verify: false },
  name = 'ogbg-molesol',
) {
  try {
    await fetchDataset(name, dataDir, { url: `${base}${path}`, ...options });
  } catch (err) {
    expect(err).toBeInstanceOf(GraphpeError);
    return err as GraphpeError;
  }
  throw new Error(`no error for ${path}`);
}

/** Every path under `dir`, relative, sorted. */
function tree(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

describe('fetchDataset (OGB zip over HTTP, served locally)', () => {
  it('unpacks the archive into <dataDir>/<folder> so that loadDataset reads it with the official split', async () => {
    const dir = tmp();
    try {
      const r = await fetchDataset('ogbg-molesol', join(dir, 'data'), {
        url: `${base}/esol.zip`,
        verify: false,
      });
      expect(r.files.map((f) => f.slice(join(dir, 'data').length + 1)).sort()).toEqual([
        'esol/mapping/mol.csv.gz',
        'esol/split/scaffold/test.csv.gz',
        'esol/split/scaffold/train.csv.gz',
        'esol/split/scaffold/valid.csv.gz',
      ]);
      expect(r.checksum).toBe('skipped');
      expect(r.sha256).toBe(sha(ARCHIVES['/esol.zip'] as Uint8Array));
      expect(readFileSync(join(dir, 'data', 'esol', 'split', 'scaffold', 'valid.csv.gz'))).toEqual(
        Buffer.from(enc('4\n')),
      );
      // No temporary folder is left behind.
      expect(readdirSync(join(dir, 'data'))).toEqual(['esol']);
      const ds = await loadDataset('ogbg-molesol', { dataDir: join(dir, 'data'), featurizer: false });
      expect(ds.smiles).toEqual(SMILES);
      expect(Array.from(ds.targets)).toEqual(SMILES.map((_, i) => 0 - i / 2));
      expect(Array.from(ds.splits.train)).toEqual([0, 1, 2, 3]);
      expect(Array.from(ds.splits.valid)).toEqual([4]);
      expect(Array.from(ds.splits.test)).toEqual([5]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails with E_DATASET naming the address on an HTTP error or a refused connection', async () => {
    const dir = tmp();
    try {
      const notFound = await fetchError(dir, '/missing.zip');
      expect(notFound.code).toBe('E_DATASET');
      expect(notFound.message).toContain(`${base}/missing.zip`);
      expect(notFound.message).toContain('HTTP 404');
      const refused = await fetchDataset('ogbg-molesol', dir, { url: 'http://127.0.0.1:9/esol.zip' }).catch(
        (e) => e,
      );
      expect(refused.code).toBe('E_DATASET');
      expect(refused.message).toMatch(/download of http:\/\/127\.0\.0\.1:9\/esol\.zip failed/);
      expect(tree(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses an archive with an entry outside the dataset folder, naming the entry, and writes nothing', async () => {
    const dir = tmp();
    try {
      for (const [path, entry] of [
        ['/escape.zip', 'esol/../../escaped.txt'],
        ['/outside.zip', '../outside.txt'],
        ['/absolute.zip', '/tmp/graphpe-absolute.txt'],
      ]) {
        const err = await fetchError(join(dir, 'data'), path);
        expect(err.code).toBe('E_FILE');
        expect(err.message).toContain(`entry '${entry}' names a path outside the dataset folder`);
        expect(err.message).toContain(`${base}${path}`);
      }
      expect(tree(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses symlink and special-file entries (E_FILE naming the entry) and leaves an existing folder as it was', async () => {
    const dir = tmp();
    try {
      mkdirSync(join(dir, 'esol'));
      writeFileSync(join(dir, 'esol', 'keep.txt'), 'mine');
      const link = await fetchError(dir, '/symlink.zip');
      expect(link.code).toBe('E_FILE');
      expect(link.message).toContain("entry 'esol/link' is a symbolic link; the archive is refused");
      const fifo = await fetchError(dir, '/fifo.zip');
      expect(fifo.code).toBe('E_FILE');
      expect(fifo.message).toContain("entry 'esol/pipe' is a special file");
      expect(tree(dir)).toEqual(['esol', join('esol', 'keep.txt')]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails with E_PARSE on a body that is not a zip, a CRC mismatch, a member that is not gzip, or colliding entries', async () => {
    const dir = tmp();
    try {
      const broken = await fetchError(dir, '/broken.zip');
      expect(broken.code).toBe('E_PARSE');
      expect(broken.message).toContain(`${base}/broken.zip is not a valid zip`);
      const crc = await fetchError(dir, '/crc.zip');
      expect(crc.code).toBe('E_PARSE');
      expect(crc.message).toMatch(/entry 'esol\/mapping\/mol\.csv\.gz': CRC-32 [0-9a-f]{8} does not match/);
      const gz = await fetchError(dir, '/notgzip.zip');
      expect(gz.code).toBe('E_PARSE');
      expect(gz.message).toContain('member esol/split/scaffold/valid.csv.gz is not valid gzip data');
      const clash = await fetchError(dir, '/clash.zip');
      expect(clash.code).toBe('E_PARSE');
      expect(clash.message).toContain("and 'esol/split' both need the path 'split'");
      const two = await fetchError(dir, '/twotops.zip');
      expect(two.message).toContain(
        "entries 'esol/mapping/mol.csv.gz' and 'other/mapping/mol.csv.gz' both need the path 'mapping/mol.csv.gz'",
      );
      expect(tree(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("fails with E_FILE on an empty archive or one that lacks the dataset's files", async () => {
    const dir = tmp();
    try {
      const empty = await fetchError(dir, '/empty.zip');
      expect(empty.code).toBe('E_FILE');
      expect(empty.message).toContain('the archive lacks esol/mapping/mol.csv.gz');
      expect(empty.message).toContain('(it holds 0 files)');
      const partial = await fetchError(dir, '/partial.zip');
      expect(partial.code).toBe('E_FILE');
      expect(partial.message).toContain(
        'lacks esol/split/scaffold/train.csv.gz, esol/split/scaffold/valid.csv.gz, esol/split/scaffold/test.csv.gz',
      );
      expect(tree(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('checks that the unpacked layout loads (ragged mapping, split row out of range) and leaves no partial files', async () => {
    const dir = tmp();
    try {
      const split = await fetchError(join(dir, 'data'), '/badsplit.zip');
      expect(split.code).toBe('E_PARSE');
      expect(split.message).toContain('split/scaffold/test.csv.gz line 1: row 6 is past the 6 rows');
      const ragged = await fetchError(join(dir, 'data'), '/ragged.zip');
      expect(ragged.code).toBe('E_PARSE');
      expect(ragged.message).toContain(join(dir, 'data', 'esol', 'mapping', 'mol.csv.gz'));
      expect(ragged.message).toContain('line 3 has 1 fields');
      // Neither the data directory (created for the fetch) nor a temporary folder is left.
      expect(tree(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('checks a given SHA-256 (mismatch: E_FILE with both digests, nothing written), and can skip the check', async () => {
    const dir = tmp();
    try {
      const good = sha(ARCHIVES['/esol.zip'] as Uint8Array);
      const wrong = '0'.repeat(64);
      const bad = await fetchError(dir, '/esol.zip', { sha256: wrong });
      expect(bad.code).toBe('E_FILE');
      expect(bad.message).toContain(`has SHA-256 ${good}, expected ${wrong}`);
      expect(tree(dir)).toEqual([]);
      const short = await fetchError(dir, '/esol.zip', { sha256: 'abc' });
      expect(short.code).toBe('E_OPTION');
      expect(short.message).toContain("sha256 must be 64 hex digits (got 'abc')");
      const both = await fetchError(dir, '/esol.zip', { sha256: good, verify: false });
      expect(both.code).toBe('E_OPTION');
      const ok = await fetchDataset('ogbg-molesol', dir, {
        url: `${base}/esol.zip`,
        sha256: good.toUpperCase(),
      });
      // A matching archive checksum replaces the registry's checks of the members (this archive is not OGB's).
      expect(ok.checksum).toBe('verified');
      expect(ok.archiveVerified).toBe(true);
      expect(ok.verifiedMembers).toEqual([]);
      const skipped = await fetchDataset('ogbg-molesol', dir, { url: `${base}/esol.zip`, verify: false });
      expect(skipped.checksum).toBe('skipped');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('adds the OGB layout to an existing MoleculeNet folder without touching its other files', async () => {
    const dir = tmp();
    try {
      mkdirSync(join(dir, 'tox21', 'split', 'scaffold_reproduced'), { recursive: true });
      writeFileSync(join(dir, 'tox21', 'tox21.csv'), 'smiles\n');
      writeFileSync(join(dir, 'tox21', 'split', 'scaffold_reproduced', 'train.csv.gz'), 'x');
      const r = await fetchDataset('tox21', dir, { url: `${base}/tox21.zip` });
      expect(r.files).toHaveLength(4);
      expect(tree(join(dir, 'tox21'))).toEqual(
        [
          'mapping',
          'mapping/mol.csv.gz',
          'split',
          'split/scaffold',
          'split/scaffold/test.csv.gz',
          'split/scaffold/train.csv.gz',
          'split/scaffold/valid.csv.gz',
          'split/scaffold_reproduced',
          'split/scaffold_reproduced/train.csv.gz',
          'tox21.csv',
        ].map((p) => join(...p.split('/'))),
      );
      expect(readdirSync(dir)).toEqual(['tox21']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses, before writing, when a folder stands where the archive puts a file', async () => {
    const dir = tmp();
    try {
      mkdirSync(join(dir, 'esol', 'mapping', 'mol.csv.gz'), { recursive: true });
      const err = await fetchError(dir, '/esol.zip');
      expect(err.code).toBe('E_FILE');
      expect(err.message).toContain(
        `${join(dir, 'esol', 'mapping', 'mol.csv.gz')} is a folder where the archive needs a file`,
      );
      expect(tree(join(dir, 'esol'))).toEqual(['mapping', join('mapping', 'mol.csv.gz')]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('downloads from https by default and lists the files each archive must hold', () => {
    for (const d of listDatasets().filter((x) => x.url)) {
      expect(d.url).toMatch(/^https:\/\//);
      expect(d.archiveFiles).toContain('mapping/mol.csv.gz');
    }
    expect(datasetInfo('ogbg-molesol').archiveFiles).toEqual([
      'mapping/mol.csv.gz',
      'split/scaffold/train.csv.gz',
      'split/scaffold/valid.csv.gz',
      'split/scaffold/test.csv.gz',
    ]);
  });

  it('says where to get a dataset that has no public download', async () => {
    await expect(fetchDataset('drugood-ec50-assay', '/nonexistent')).rejects.toThrow(
      /'drugood-ec50-assay' has no public download; the DrugOOD curator output/,
    );
  });
});

describe('fetchDataset: registered SHA-256 of the files in the OGB archives', () => {
  it("verifies every member of OGB's freesolv archive against the registry and says so", async () => {
    const dir = tmp();
    try {
      const r = await fetchDataset('ogbg-molfreesolv', dir, { url: `${base}/freesolv.zip` });
      expect(r.checksum).toBe('verified');
      expect(r.archiveVerified).toBe(false);
      expect([...r.verifiedMembers].sort()).toEqual([...FREESOLV_FILES].sort());
      expect(r.downloads).toEqual([
        {
          url: `${base}/freesolv.zip`,
          sha256: r.sha256,
          bytes: (ARCHIVES['/freesolv.zip'] as Uint8Array).length,
          checksum: 'verified',
        },
      ]);
      for (const f of FREESOLV_FILES)
        expect(sha(readFileSync(join(dir, 'freesolv', f)))).toBe(
          datasetInfo('ogbg-molfreesolv').memberSha256?.[f],
        );
      const ds = await loadDataset('ogbg-molfreesolv', { dataDir: dir, featurizer: false });
      expect(ds.smiles).toHaveLength(642);
      expect([ds.splits.train.length, ds.splits.valid.length, ds.splits.test.length]).toEqual([513, 64, 65]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses an archive with one altered member (E_FILE naming it and both digests) and leaves the data folder as it was', async () => {
    const dir = tmp();
    try {
      mkdirSync(join(dir, 'freesolv'));
      writeFileSync(join(dir, 'freesolv', 'keep.txt'), 'mine');
      const err = await fetchError(dir, '/freesolv-altered.zip', {}, 'ogbg-molfreesolv');
      expect(err.code).toBe('E_FILE');
      const want = datasetInfo('ogbg-molfreesolv').memberSha256?.['split/scaffold/test.csv.gz'];
      expect(want).toBe('03bd483c8c2b4997aa560dd9e2c201faacb1768fb6411df7cfc5b96959e73a6d');
      expect(err.message).toContain(
        `${base}/freesolv-altered.zip: member freesolv/split/scaffold/test.csv.gz has SHA-256 ${sha(enc('0\n'))}, expected ${want} (registry)`,
      );
      expect(err.details).toMatchObject({ member: 'split/scaffold/test.csv.gz', expected: want });
      expect(tree(dir)).toEqual(['freesolv', join('freesolv', 'keep.txt')]);
      // The miniature esol archive is refused the same way, at its first member.
      const esol = await fetchError(dir, '/esol.zip', {});
      expect(esol.message).toContain('member esol/mapping/mol.csv.gz has SHA-256');
      expect(esol.message).toContain(
        'expected 9d35028b2adf47376c1a74d89bb1f21aa584605d17eca8193b37b0c88ef2515d',
      );
      // --no-verify skips the member checks: the altered archive is written.
      const skipped = await fetchDataset('ogbg-molfreesolv', dir, {
        url: `${base}/freesolv-altered.zip`,
        verify: false,
      });
      expect(skipped.checksum).toBe('skipped');
      expect(skipped.verifiedMembers).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says unknown for a dataset whose OGB files have no registered checksum', async () => {
    const dir = tmp();
    try {
      expect(datasetInfo('tox21').memberSha256).toBeUndefined();
      const r = await fetchDataset('tox21', dir, { url: `${base}/tox21.zip` });
      expect(r.checksum).toBe('unknown');
      expect(r.verifiedMembers).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("registers checksums for exactly the OGB datasets whose files were compared with OGB's", () => {
    const known = listDatasets()
      .filter((d) => d.memberSha256)
      .map((d) => d.name);
    expect(known).toEqual(['ogbg-molesol', 'ogbg-molfreesolv', 'ogbg-molbbbp', 'ogbg-molbace']);
    for (const name of known) {
      expect(Object.keys(datasetInfo(name).memberSha256!).sort()).toEqual([...FREESOLV_FILES].sort());
    }
  });
});

const dataDir =
  process.env.GRAPHPE_DATA_DIR && existsSync(process.env.GRAPHPE_DATA_DIR)
    ? process.env.GRAPHPE_DATA_DIR
    : undefined;

describe.skipIf(!dataDir)('registered OGB member checksums = the OGB files (GRAPHPE_DATA_DIR)', () => {
  it('each registered SHA-256 is that of the file in the data directory', () => {
    for (const d of listDatasets().filter((x) => x.memberSha256)) {
      for (const [rel, want] of Object.entries(d.memberSha256!)) {
        expect(sha(readFileSync(join(dataDir!, d.folder, rel))), `${d.folder}/${rel}`).toBe(want);
      }
    }
  });
});
