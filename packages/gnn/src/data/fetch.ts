/**
 * Download of the OGB MoleculeNet archives (`csv_mol_download/<folder>.zip`, Hu et al., NeurIPS 2020) into
 * the data directory: fetched with the global `fetch`, unpacked with fflate, the archive's top folder mapped
 * onto `<dataDir>/<folder>`. The tests serve a zip of OGB's layout from a local HTTP server (`url`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize, sep } from 'node:path';
import { GraphpeError } from '@graphpe/spectral';
import { unzipSync } from 'fflate';
import { defaultDataDir } from './csv.js';
import { datasetInfo } from './datasets.js';

/** Options of {@link fetchDataset}. */
export interface FetchOptions {
  /** Download from this address instead of OGB's (a mirror, or a local copy served over HTTP). */
  url?: string;
}

/** Download and unpack an OGB dataset (`ogbg-molesol`, …, and the OGB layouts of `lipophilicity`, `tox21`, `hiv`). Returns the files written. */
export async function fetchDataset(
  name: string,
  dataDir: string = defaultDataDir(),
  options: FetchOptions = {},
): Promise<string[]> {
  const info = datasetInfo(name);
  const url = options.url ?? info.url;
  if (!url) {
    throw new GraphpeError(
      'E_DATASET',
      `gnn.fetchDataset: '${name}' has no public download; ${info.howToGet}`,
      { name },
    );
  }
  let bytes: Uint8Array;
  try {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`HTTP ${res.status} ${res.statusText}`);
    bytes = new Uint8Array(await res.arrayBuffer());
  } catch (err) {
    throw new GraphpeError(
      'E_DATASET',
      `gnn.fetchDataset('${name}'): download of ${url} failed: ${(err as Error).message}`,
      {
        name,
        url,
      },
    );
  }
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes);
  } catch (err) {
    throw new GraphpeError(
      'E_DATASET',
      `gnn.fetchDataset('${name}'): ${url} is not a valid zip: ${(err as Error).message}`,
      { name, url },
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
