import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { expect } from 'vitest';
import { loadDataset, scaffoldSplit } from '../src/index.js';

/** GRAPHPE_DATA_DIR when it is set and exists (.ci/run sets it), else undefined. */
export const dataDir: string | undefined =
  process.env.GRAPHPE_DATA_DIR && existsSync(process.env.GRAPHPE_DATA_DIR)
    ? process.env.GRAPHPE_DATA_DIR
    : undefined;

function officialSplit(folder: string, split: string, kind: string): number[] {
  const text = gunzipSync(readFileSync(join(dataDir!, folder, 'split', kind, `${split}.csv.gz`))).toString();
  return text
    .trim()
    .split('\n')
    .map((l) => Number(l));
}

/** Our scaffold split of a dataset equals its split files (`split/<kind>/*.csv.gz`) row for row. */
export async function expectOfficialScaffoldSplit(
  name: string,
  folder: string,
  kind = 'scaffold',
): Promise<void> {
  const ds = await loadDataset(name, { dataDir, featurizer: false });
  const mine = await scaffoldSplit(ds.smiles);
  for (const s of ['train', 'valid', 'test'] as const) {
    const official = officialSplit(folder, s, kind);
    expect(Array.from(ds.splits[s])).toEqual(official); // the loader reads the official files
    expect(Array.from(mine[s])).toEqual(official);
  }
}
