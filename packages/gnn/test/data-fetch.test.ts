import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { GraphpeError } from '@graphpe/spectral';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchDataset, loadDataset } from '../src/index.js';

// A miniature of OGB's esol.zip: esol/mapping/mol.csv.gz and the scaffold split, plus two entries that try
// to escape the data directory (they must not be written).
const SMILES = ['CCO', 'c1ccccc1', 'CC(=O)O', 'CCN', 'C1CCCCC1', 'OCC(O)CO'];
const mol = `measured log solubility in mols per litre,smiles,mol_id\n${SMILES.map((s, i) => `${-i / 2},${s} ,m${i}`).join('\n')}\n`;
const enc = (t: string) => new Uint8Array(gzipSync(Buffer.from(t)));
const archive = zipSync({
  'esol/mapping/mol.csv.gz': enc(mol),
  'esol/split/scaffold/train.csv.gz': enc('0\n1\n2\n3\n'),
  'esol/split/scaffold/valid.csv.gz': enc('4\n'),
  'esol/split/scaffold/test.csv.gz': enc('5\n'),
  'esol/../../escaped.txt': new Uint8Array([1]),
  '../outside.txt': new Uint8Array([2]),
});

let server: Server;
let base = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/esol.zip') {
      res.writeHead(200, { 'content-type': 'application/zip' });
      res.end(Buffer.from(archive));
    } else if (req.url === '/broken.zip') {
      res.writeHead(200);
      res.end('this is not a zip');
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('fetchDataset (OGB zip over HTTP, served locally)', () => {
  it('unpacks the archive into <dataDir>/<folder> so that loadDataset reads it with the official split', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'graphpe-fetch-'));
    try {
      const files = await fetchDataset('ogbg-molesol', join(dir, 'data'), { url: `${base}/esol.zip` });
      expect(files.map((f) => f.slice(join(dir, 'data').length + 1)).sort()).toEqual([
        'esol/mapping/mol.csv.gz',
        'esol/split/scaffold/test.csv.gz',
        'esol/split/scaffold/train.csv.gz',
        'esol/split/scaffold/valid.csv.gz',
      ]);
      // Entries naming a path outside the dataset folder are not written anywhere.
      expect(existsSync(join(dir, 'escaped.txt'))).toBe(false);
      expect(existsSync(join(dir, 'data', 'escaped.txt'))).toBe(false);
      expect(existsSync(join(dir, 'outside.txt'))).toBe(false);
      expect(readFileSync(join(dir, 'data', 'esol', 'split', 'scaffold', 'valid.csv.gz'))).toEqual(
        Buffer.from(enc('4\n')),
      );
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

  it('fails with E_DATASET naming the address on an HTTP error, a non-zip body, or a refused connection', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'graphpe-fetch-'));
    try {
      const attempt = async (url: string) => {
        try {
          await fetchDataset('ogbg-molesol', dir, { url });
        } catch (err) {
          return err as GraphpeError;
        }
        throw new Error('no error');
      };
      const notFound = await attempt(`${base}/missing.zip`);
      expect(notFound).toBeInstanceOf(GraphpeError);
      expect(notFound.code).toBe('E_DATASET');
      expect(notFound.message).toContain(`${base}/missing.zip`);
      expect(notFound.message).toContain('HTTP 404');
      const broken = await attempt(`${base}/broken.zip`);
      expect(broken.code).toBe('E_DATASET');
      expect(broken.message).toMatch(/is not a valid zip/);
      const refused = await attempt('http://127.0.0.1:9/esol.zip');
      expect(refused.code).toBe('E_DATASET');
      expect(refused.message).toMatch(/download of http:\/\/127\.0\.0\.1:9\/esol\.zip failed/);
      // Nothing half-written.
      expect(existsSync(join(dir, 'esol'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says where to get a dataset that has no public download', async () => {
    await expect(fetchDataset('zinc', '/nonexistent')).rejects.toThrow(/has no public download/);
  });
});
