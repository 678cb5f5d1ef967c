/**
 * Download of the OGB MoleculeNet archives (`csv_mol_download/<folder>.zip`, Hu et al., NeurIPS 2020) into
 * the data directory: fetched with the global `fetch`, unpacked with fflate, the archive's top folder mapped
 * onto `<dataDir>/<folder>`. Never called by the tests.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize, sep } from 'node:path';
import { GraphpeError } from '@graphpe/spectral';
import { unzipSync } from 'fflate';
import { defaultDataDir } from './csv.js';
import { datasetInfo } from './datasets.js';

/** Download and unpack an OGB dataset (`ogbg-molesol`, …, and the OGB layouts of `lipophilicity`, `tox21`, `hiv`). Returns the files written. */
export async function fetchDataset(name: string, dataDir: string = defaultDataDir()): Promise<string[]> {
  const info = datasetInfo(name);
  if (!info.url) {
    throw new GraphpeError(
      'E_DATASET',
      `gnn.fetchDataset: '${name}' has no public download; ${info.howToGet}`,
      { name },
    );
  }
  let bytes: Uint8Array;
  try {
    const res = await fetch(info.url);
    if (!res.ok) throw new Error(`HTTP ${res.status} ${res.statusText}`);
    bytes = new Uint8Array(await res.arrayBuffer());
  } catch (err) {
    throw new GraphpeError(
      'E_DATASET',
      `gnn.fetchDataset('${name}'): download of ${info.url} failed: ${(err as Error).message}`,
      {
        name,
        url: info.url,
      },
    );
  }
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes);
  } catch (err) {
    throw new GraphpeError(
      'E_DATASET',
      `gnn.fetchDataset('${name}'): ${info.url} is not a valid zip: ${(err as Error).message}`,
    );
  }
  const root = join(dataDir, info.folder);
  const written: string[] = [];
  for (const [path, data] of Object.entries(entries)) {
    if (path.endsWith('/')) continue;
    const parts = path.split('/').filter((p) => p !== '' && p !== '.');
    if (parts.includes('..')) continue;
    // OGB archives hold `<folder>/mapping/...`; drop that top folder.
    const rel = parts.length > 1 ? parts.slice(1) : parts;
    const target = normalize(join(root, ...rel));
    if (!target.startsWith(root + sep)) continue;
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, data);
    written.push(target);
  }
  return written;
}
