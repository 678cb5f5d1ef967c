import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { GraphpeError } from '@graphpe/spectral';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readZip } from '../src/data/zip.js';
import { datasetInfo, type FetchOptions, fetchDataset, loadDataset } from '../src/index.js';
import { moleculesPickle, realZincMirror } from './fetch-zinc-mirror.js';

/** The miniature mirror written by fixtures/zinc-fetch/make_fixture.py (6 / 3 / 2 molecules). */
const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'zinc-fetch');
const FILES = [
  'train.csv.gz',
  'valid.csv.gz',
  'test.csv.gz',
  'molecules.zip',
  'train.index',
  'val.index',
  'test.index',
];
const mirror: Record<string, Uint8Array> = Object.fromEntries(
  FILES.map((f) => [f, new Uint8Array(readFileSync(join(FIXTURE, f)))]),
);
const lines = (f: string) => gunzipSync(mirror[f]).toString('utf8').trimEnd().split('\n');
const gz = (text: string) => new Uint8Array(gzipSync(Buffer.from(text)));
const TRAIN = lines('train.csv.gz');
const VAL = lines('valid.csv.gz');
const TEST = lines('test.csv.gz');
const zipMembers = readZip(mirror['molecules.zip'], 'fixture');
const zipWithout = (name: string) =>
  zipSync(Object.fromEntries(zipMembers.filter((m) => m.name !== name).map((m) => [m.name, m.data])));
const zipReplacing = (name: string, data: Uint8Array) =>
  zipSync(Object.fromEntries(zipMembers.map((m) => [m.name, m.name === name ? data : m.data])));

/** Mirrors: the fixture, and variants with one file changed (`null`: the file is missing). */
const MIRRORS: Record<string, Record<string, Uint8Array | null>> = {
  good: {},
  swapped: { 'train.csv.gz': gz(`${[TRAIN[1], TRAIN[0], ...TRAIN.slice(2)].join('\n')}\n`) },
  short: { 'valid.csv.gz': gz(`${VAL.slice(0, 2).join('\n')}\n`) },
  nopickle: { 'molecules.zip': zipWithout('molecules/test.pickle') },
  truncated: {
    'molecules.zip': zipReplacing(
      'molecules/val.pickle',
      zipMembers.find((m) => m.name === 'molecules/val.pickle')!.data.subarray(0, 300),
    ),
  },
  evil: {
    'molecules.zip': zipReplacing(
      'molecules/train.pickle',
      new Uint8Array([0x80, 2, ...Buffer.from('cos\nsystem\nX\x02\x00\x00\x00ls'), 0x85, 0x52, 0x2e]),
    ),
  },
  badindex: { 'train.index': new TextEncoder().encode('3,0,9\r\n') },
  noindex: { 'test.index': null },
  notgzip: { 'test.csv.gz': new TextEncoder().encode(`${TEST.join('\n')}\n`) },
};

let server: Server;
let base = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    const [, name, file] = (req.url ?? '').split('/');
    const variant = MIRRORS[name];
    const body = variant && file in variant ? variant[file] : variant ? mirror[file] : undefined;
    res.writeHead(body ? 200 : 404);
    res.end(body ? Buffer.from(body) : undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const tmp = () => mkdtempSync(join(tmpdir(), 'graphpe-fetch-zinc-'));
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
function tree(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

/** The fixture's files are not the real ones, so their registered checksums are skipped unless asked. */
async function fetchError(
  name: string,
  dir: string,
  mirrorName: string,
  options: FetchOptions = { verify: false },
) {
  try {
    await fetchDataset(name, dir, { url: `${base}/${mirrorName}`, ...options });
  } catch (err) {
    expect(err).toBeInstanceOf(GraphpeError);
    return err as GraphpeError;
  }
  throw new Error(`no error for ${mirrorName}`);
}

const y = (v: number) => Number(Math.fround(v).toPrecision(7));

describe("fetchDataset('zinc' | 'zinc-full') from a mirror (served locally)", () => {
  it('joins the SMILES, the subset indices and the stored targets into zinc/zinc12k.csv, which loadDataset reads', async () => {
    const dir = tmp();
    try {
      const seen: string[] = [];
      const r = await fetchDataset('zinc', dir, {
        url: `${base}/good/`,
        verify: false,
        onDownload: ({ url, bytes }) => seen.push(`${url} ${bytes}`),
      });
      expect(seen).toEqual(FILES.map((f) => `${base}/good/${f} ${mirror[f].length}`));
      expect(r.files).toEqual([join(dir, 'zinc', 'zinc12k.csv')]);
      expect(r.checksum).toBe('skipped');
      expect(r.downloads.map((d) => [d.url, d.sha256, d.checksum])).toEqual(
        FILES.map((f) => [`${base}/good/${f}`, sha(mirror[f]), 'skipped']),
      );
      expect(readFileSync(join(dir, 'zinc', 'zinc12k.csv'), 'utf8')).toBe(
        [
          'split,subset_idx,full_idx,smiles,y',
          `train,0,3,${TRAIN[3]},-1.935299`,
          `train,1,0,${TRAIN[0]},3.04645`,
          `train,2,5,${TRAIN[5]},0.045225`,
          `val,0,2,${VAL[2]},-1.313041`,
          `val,1,0,${VAL[0]},2.099053`,
          `test,0,1,${TEST[1]},0.172025`,
          '',
        ].join('\n'),
      );
      expect(readdirSync(dir)).toEqual(['zinc']);
      // The dataset folder has the permissions of any new folder (not the private mode of a temporary one).
      mkdirSync(join(dir, 'plain'));
      const mode = (p: string) => statSync(p).mode & 0o777;
      expect(mode(join(dir, 'zinc'))).toBe(mode(join(dir, 'plain')));
      rmSync(join(dir, 'plain'), { recursive: true });
      const ds = await loadDataset('zinc', { dataDir: dir, featurizer: false });
      expect(ds.smiles).toEqual([TRAIN[3], TRAIN[0], TRAIN[5], VAL[2], VAL[0], TEST[1]]);
      expect(Array.from(ds.targets).map(y)).toEqual([
        -1.935299, 3.04645, 0.045225, -1.313041, 2.099053, 0.172025,
      ]);
      expect([Array.from(ds.splits.train), Array.from(ds.splits.valid), Array.from(ds.splits.test)]).toEqual([
        [0, 1, 2],
        [3, 4],
        [5],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('writes every molecule of the full splits, in file order, into zinc/zinc_full.csv.gz (no index files needed)', async () => {
    const dir = tmp();
    try {
      const r = await fetchDataset('zinc-full', dir, { url: `${base}/noindex`, verify: false });
      expect(r.downloads.map((d) => d.url)).toEqual(FILES.slice(0, 4).map((f) => `${base}/noindex/${f}`));
      expect(r.files).toEqual([join(dir, 'zinc', 'zinc_full.csv.gz')]);
      const text = gunzipSync(readFileSync(join(dir, 'zinc', 'zinc_full.csv.gz'))).toString('utf8');
      expect(text.split('\n').slice(0, 3)).toEqual([
        'split,split_idx,smiles,y',
        `train,0,${TRAIN[0]},3.04645`,
        `train,1,${TRAIN[1]},0.490605`,
      ]);
      expect(text.split('\n').slice(-4)).toEqual([
        `val,2,${VAL[2]},-1.313041`,
        `test,0,${TEST[0]},3.138076`,
        `test,1,${TEST[1]},0.172025`,
        '',
      ]);
      const ds = await loadDataset('zinc-full', { dataDir: dir, featurizer: false });
      expect(ds.smiles).toEqual([...TRAIN, ...VAL, ...TEST]);
      expect([ds.splits.train.length, ds.splits.valid.length, ds.splits.test.length]).toEqual([6, 3, 2]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses stored molecules that do not match the SMILES at the same position (E_DATASET naming split and position); the data folder stays as it was', async () => {
    const dir = tmp();
    try {
      mkdirSync(join(dir, 'zinc'));
      writeFileSync(join(dir, 'zinc', 'zinc12k.csv'), 'mine');
      const swapped = await fetchError('zinc', dir, 'swapped');
      expect(swapped.code).toBe('E_DATASET');
      expect(swapped.message).toBe(
        `gnn.fetchDataset('zinc'): train molecule 0: molecules.zip molecules/train.pickle stores 33 atoms, the SMILES at line 1 of train.csv.gz has 18 heavy atoms ('${TRAIN[1]}'); the files do not correspond`,
      );
      expect(swapped.details).toMatchObject({ split: 'train', position: 0 });
      const short = await fetchError('zinc-full', dir, 'short');
      expect(short.code).toBe('E_DATASET');
      expect(short.message).toContain(
        'molecules.zip molecules/val.pickle holds 3 molecules, valid.csv.gz 2 SMILES',
      );
      expect(tree(dir)).toEqual(['zinc', join('zinc', 'zinc12k.csv')]);
      expect(readFileSync(join(dir, 'zinc', 'zinc12k.csv'), 'utf8')).toBe('mine');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a molecules.zip without a split, with a truncated pickle, or one naming a function it does not know', async () => {
    const dir = tmp();
    try {
      const missing = await fetchError('zinc', dir, 'nopickle');
      expect(missing.code).toBe('E_FILE');
      expect(missing.message).toContain(
        'molecules.zip lacks molecules/test.pickle (it holds molecules/train.pickle, ',
      );
      const truncated = await fetchError('zinc', dir, 'truncated');
      expect(truncated.code).toBe('E_PARSE');
      expect(truncated.message).toMatch(/molecules\.zip molecules\/val\.pickle: pickle byte \d+: truncated/);
      const evil = await fetchError('zinc-full', dir, 'evil');
      expect(evil.code).toBe('E_PARSE');
      expect(evil.message).toContain(
        'molecules.zip molecules/train.pickle: pickle byte 2: refers to os.system, which this reader does not load',
      );
      expect(tree(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a stored molecule without a consistent atom_type or a finite target, and a pickle that is not a list', async () => {
    const train = TRAIN.map((smiles) => ({
      numAtom: (smiles.match(/\[[^\]]*\]|Br|Cl|[BCNOPSFIbcnops]/g) ?? []).length,
      y: 0.5,
    }));
    const withTrain = (pickle: Uint8Array) => ({
      'molecules.zip': zipReplacing('molecules/train.pickle', pickle),
    });
    MIRRORS.written = withTrain(moleculesPickle(train));
    MIRRORS.atoms = withTrain(moleculesPickle(train.map((m, i) => (i === 1 ? { ...m, atoms: 17 } : m))));
    MIRRORS.nan = withTrain(moleculesPickle(train.map((m, i) => (i === 4 ? { ...m, y: Number.NaN } : m))));
    MIRRORS.dict = withTrain(new Uint8Array([0x80, 2, 0x7d, 0x2e]));
    // 2^32 entries over one stored float: refused by its shape, not expanded.
    MIRRORS.broadcast = withTrain(
      moleculesPickle(train.map((m, i) => (i === 2 ? { ...m, yShape: [65536, 65536] } : m))),
    );
    const dir = tmp();
    try {
      // The writer's own pickle of the same molecules is read (the failures below are the changes).
      const ok = await fetchDataset('zinc-full', dir, { url: `${base}/written`, verify: false });
      expect(ok.files).toHaveLength(1);
      rmSync(join(dir, 'zinc'), { recursive: true });
      const atoms = await fetchError('zinc-full', dir, 'atoms');
      expect(atoms.code).toBe('E_PARSE');
      expect(atoms.message).toContain(
        'molecules.zip molecules/train.pickle: molecule 1: atom_type is not a tensor of num_atom = 18 entries',
      );
      const nan = await fetchError('zinc-full', dir, 'nan');
      expect(nan.message).toContain('molecule 4: logP_SA_cycle_normalized is not one finite number');
      const dict = await fetchError('zinc-full', dir, 'dict');
      expect(dict.message).toContain('molecules/train.pickle: a dict, not a list of molecules');
      const broadcast = await fetchError('zinc-full', dir, 'broadcast');
      expect(broadcast.message).toContain('molecule 2: logP_SA_cycle_normalized is not one finite number');
      expect(tree(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a bad index file, a missing download and a SMILES file that is not gzip', async () => {
    const dir = tmp();
    try {
      const badIndex = await fetchError('zinc', dir, 'badindex');
      expect(badIndex.code).toBe('E_PARSE');
      expect(badIndex.message).toContain("train.index: entry 3 ('9') is past the 6 molecules of the split");
      const noIndex = await fetchError('zinc', dir, 'noindex');
      expect(noIndex.code).toBe('E_DATASET');
      expect(noIndex.message).toContain(`download of ${base}/noindex/test.index failed: HTTP 404`);
      const notGzip = await fetchError('zinc', dir, 'notgzip');
      expect(notGzip.code).toBe('E_PARSE');
      expect(notGzip.message).toContain(`${base}/notgzip/test.csv.gz is not valid gzip data`);
      expect(tree(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('checks the SMILES and index files against the registered SHA-256 of their content (the fixture is not the real files)', async () => {
    const dir = tmp();
    try {
      const err = await fetchError('zinc', dir, 'good', {});
      expect(err.code).toBe('E_FILE');
      const content = sha(gunzipSync(mirror['train.csv.gz']));
      expect(err.message).toBe(
        `gnn.fetchDataset('zinc'): ${base}/good/train.csv.gz decompresses to content with SHA-256 ${content}, expected a3b0ec77d45a6d5cc6884532145de6fc310f4a6da77d25babcd9449e03a027c7 (registry, train.csv.gz); the download is corrupt or not the published file (--no-verify skips the check)`,
      );
      const pinned = await fetchError('zinc', dir, 'good', { sha256: '0'.repeat(64) });
      expect(pinned.code).toBe('E_OPTION');
      expect(pinned.message).toContain("but 'zinc' is built from 7 downloads");
      expect(tree(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('registers the public originals: JT-VAE SMILES via DD-VAE, benchmarking-gnns indices, PyG molecules.zip', () => {
    const zinc = datasetInfo('zinc').sources!;
    expect(zinc.map((s) => s.file)).toEqual(FILES);
    expect(zinc.every((s) => s.url.startsWith('https://'))).toBe(true);
    expect(zinc.filter((s) => !s.sha256).map((s) => s.file)).toEqual(['molecules.zip']);
    expect(datasetInfo('zinc-full').sources!.map((s) => s.file)).toEqual(FILES.slice(0, 4));
    expect(datasetInfo('zinc').howToGet).toContain('graphpe datasets fetch zinc');
  });
});

const dataDir =
  process.env.GRAPHPE_DATA_DIR && existsSync(process.env.GRAPHPE_DATA_DIR)
    ? process.env.GRAPHPE_DATA_DIR
    : undefined;

describe.skipIf(!dataDir)('registered ZINC checksums = the real files (GRAPHPE_DATA_DIR)', () => {
  it("the SMILES files' SHA-256 are those of the SMILES column of zinc_full.csv.gz, one per line", () => {
    const rows = gunzipSync(readFileSync(join(dataDir!, 'zinc', 'zinc_full.csv.gz')))
      .toString('utf8')
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','));
    const sources = datasetInfo('zinc').sources!;
    for (const [split, file] of [
      ['train', 'train.csv.gz'],
      ['val', 'valid.csv.gz'],
      ['test', 'test.csv.gz'],
    ]) {
      const text = rows
        .filter((r) => r[0] === split)
        .map((r) => `${r[2]}\n`)
        .join('');
      const want = sources.find((s) => s.file === file)!.sha256;
      expect(sha(Buffer.from(text)), file).toBe(want);
    }
    for (const file of ['train.index', 'val.index', 'test.index']) {
      const bytes = readFileSync(join(dataDir!, 'zinc', 'benchmarking-gnns-index', file));
      expect(sha(bytes), file).toBe(sources.find((s) => s.file === file)!.sha256);
    }
  });

  it("fetches zinc from the real SMILES and index files (every checksum verified but the targets') and reproduces the reference subset row for row", async () => {
    // molecules.zip cannot be here; realZincMirror writes it in PyG's format from the reference targets.
    const files = realZincMirror(dataDir!);
    const realServer = createServer((req, res) => {
      const body = files[(req.url ?? '').slice(1)];
      res.writeHead(body ? 200 : 404);
      res.end(body ? Buffer.from(body) : undefined);
    });
    await new Promise<void>((resolve) => realServer.listen(0, '127.0.0.1', resolve));
    const dir = tmp();
    try {
      const url = `http://127.0.0.1:${(realServer.address() as AddressInfo).port}`;
      const r = await fetchDataset('zinc', dir, { url });
      expect(r.downloads.map((d) => d.checksum)).toEqual(
        FILES.map((f) => (f === 'molecules.zip' ? 'unknown' : 'verified')),
      );
      expect(r.checksum).toBe('unknown');
      const got = readFileSync(join(dir, 'zinc', 'zinc12k.csv'), 'utf8')
        .trimEnd()
        .split('\n')
        .map((l) => l.split(','));
      const ref = readFileSync(join(dataDir!, 'zinc', 'zinc12k.csv'), 'utf8')
        .trimEnd()
        .split('\n')
        .map((l) => l.split(','));
      expect(got).toHaveLength(12_001);
      expect(got.map((c) => c.slice(0, 4))).toEqual(ref.map((c) => c.slice(0, 4)));
      expect(got.slice(1).map((c) => Math.fround(Number(c[4])))).toEqual(
        ref.slice(1).map((c) => Math.fround(Number(c[4]))),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await new Promise<void>((resolve) => realServer.close(() => resolve()));
    }
  }, 300_000);
});
