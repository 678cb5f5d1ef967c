/**
 * Molecules as `graphpe encode` input: a registered dataset name (`zinc`, `ogbg-molbbbp`, …, read from the
 * data directory) or a SMILES CSV (`--smiles-col`). Each molecule becomes its heavy-atom graph (RDKit-js
 * featurizer; bonds as unit-weight undirected edges); invalid rows fail with their row and SMILES, or are
 * skipped and counted with `--on-invalid skip`.
 */
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import {
  csvColumn,
  datasetInfo,
  type FeaturizerName,
  featurizeSmiles,
  listDatasets,
  loadDataset,
  parseCsv,
  readTextFile,
  rowErrorsToError,
} from '@graphpe/gnn';
import type { Graph } from '@graphpe/spectral';

/** What {@link readMolecules} returns: graphs, a name per graph (its SMILES) and the skipped rows. */
export interface MoleculeInput {
  graphs: Graph[];
  names: string[];
  /** Source row per graph. */
  rows: Int32Array;
  skipped: number;
  source: string;
}

export interface MoleculeOptions {
  smilesCol?: string;
  featurizer?: FeaturizerName;
  onInvalid?: 'error' | 'skip';
  dataDir?: string;
  onProgress?: (done: number, total: number) => void;
}

const isCsv = (p: string) => /\.csv(\.gz)?$/i.test(p);

/** Whether `input` names molecules (a registered dataset that is not a path, or a .csv/.csv.gz file). */
export function isMoleculeInput(input: string): boolean {
  if (isCsv(input)) return true;
  return !existsSync(input) && listDatasets().some((d) => d.name === input);
}

/** Reads the molecules of a dataset name or SMILES CSV (see the module comment). */
export async function readMolecules(input: string, o: MoleculeOptions = {}): Promise<MoleculeInput> {
  const onInvalid = o.onInvalid ?? 'error';
  if (!isCsv(input)) {
    datasetInfo(input);
    const opts: Parameters<typeof loadDataset>[1] = { onInvalid };
    if (o.featurizer) opts.featurizer = o.featurizer;
    if (o.dataDir) opts.dataDir = o.dataDir;
    if (o.onProgress) opts.onProgress = o.onProgress;
    const ds = await loadDataset(input, opts);
    const graphs = (ds.graphs ?? []).map((g) => g.graph);
    return { graphs, names: ds.smiles.slice(), rows: ds.rows, skipped: ds.skipped, source: ds.source };
  }
  const table = parseCsv(readTextFile(input), `graphpe encode (${input})`);
  const smiles = csvColumn(table, o.smilesCol ?? 'smiles', input).map((s) => s.trim());
  const fopts: Parameters<typeof featurizeSmiles>[2] = { onInvalid };
  if (o.onProgress) fopts.onProgress = o.onProgress;
  const res = await featurizeSmiles(smiles, o.featurizer ?? 'ogb', fopts);
  if (onInvalid === 'error' && res.errors.length > 0)
    throw rowErrorsToError(`graphpe encode (${basename(input)})`, res.errors);
  return {
    graphs: res.graphs.map((g) => g.graph),
    names: Array.from(res.rows, (r) => smiles[r] as string),
    rows: res.rows,
    skipped: res.skipped,
    source: input,
  };
}
