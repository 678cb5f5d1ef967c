import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gunzipDownloaded } from '../src/data/fetch-io.js';
import { cacheCodeVersions, loadPreparedDataset, resolveFeaturizer } from '../src/index.js';

const tmp = (p: string) => mkdtempSync(join(tmpdir(), p));
const installed = (pkg: string) =>
  JSON.parse(
    readFileSync(
      fileURLToPath(new URL(`../../../node_modules/${pkg}/package.json`, import.meta.url)),
      'utf8',
    ),
  ).version as string;

describe('preprocessing cache key', () => {
  it('names the installed versions of every library that computes the stored arrays', () => {
    const v = cacheCodeVersions();
    expect(v).toContain(`@graphpe/spectral@${installed('@graphpe/spectral')}`);
    expect(v).toContain(`@graphpe/encodings@${installed('@graphpe/encodings')}`);
    expect(v).toContain(`@rdkit/rdkit@${installed('@rdkit/rdkit')}`);
    expect(v.join(' ')).not.toContain('@?');
  });

  it('a custom featurizer object is computed, never read from or written to the built-in entry', async () => {
    const cacheDir = tmp('graphpe-cache-key-');
    const builtin = await loadPreparedDataset('zinc', { limit: 12, cacheDir });
    expect(builtin.fromCache).toBe(false);
    expect(readdirSync(cacheDir).filter((f) => f.endsWith('.gpec'))).toHaveLength(1);
    const zinc = resolveFeaturizer('zinc');
    // Claims the built-in name but maps every atom to type 0: it must not get the built-in's cached graphs.
    const custom = {
      ...zinc,
      featurize: (mol: Parameters<typeof zinc.featurize>[0], smiles: string) => {
        const g = zinc.featurize(mol, smiles);
        return { ...g, atomFeatures: new Int32Array(g.atomFeatures.length) };
      },
    };
    const other = await loadPreparedDataset('zinc', { limit: 12, cacheDir, featurizer: custom });
    expect(other.fromCache).toBe(false);
    expect(other.cacheFile).toBeUndefined();
    expect(other.graphs.every((g) => g.atomFeatures.every((a) => a === 0))).toBe(true);
    expect(builtin.graphs.some((g) => g.atomFeatures.some((a) => a !== 0))).toBe(true);
    expect(readdirSync(cacheDir).filter((f) => f.endsWith('.gpec'))).toHaveLength(1);
    const again = await loadPreparedDataset('zinc', { limit: 12, cacheDir });
    expect(again.fromCache).toBe(true);
    expect(again.graphs.some((g) => g.atomFeatures.some((a) => a !== 0))).toBe(true);
  });
});

describe('downloaded gzip members', () => {
  it('refuse to expand past the limit (E_TOO_LARGE) and reject non-gzip data (E_PARSE)', () => {
    const bomb = gzipSync(new Uint8Array(1 << 20));
    expect(gunzipDownloaded(bomb, 'm.gz').length).toBe(1 << 20);
    expect(() => gunzipDownloaded(bomb, 'm.gz', 1 << 16)).toThrow(
      expect.objectContaining({ code: 'E_TOO_LARGE', message: expect.stringContaining('m.gz expands past') }),
    );
    expect(() => gunzipDownloaded(new Uint8Array([1, 2, 3]), 'x.gz')).toThrow(
      expect.objectContaining({ code: 'E_PARSE' }),
    );
  });
});
