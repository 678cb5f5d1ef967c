/**
 * Batch featurization of SMILES rows with per-row error reports: invalid SMILES, empty molecules and atoms
 * outside a featurizer's vocabulary become `{ row, smiles, reason }` entries; the caller chooses whether they
 * fail the whole batch (`onInvalid: 'error'`, the default) or are skipped and counted (`'skip'`).
 */
import { checkOption, GraphpeError } from '@graphpe/spectral';
import type { Featurizer, FeaturizerName } from './featurizer.js';
import type { MolGraph } from './mol-graph.js';
import { parseMolJson } from './mol-json.js';
import { ogbFeaturizer } from './ogb-featurizer.js';
import { getRDKit, parseSmiles, parseSmilesLenient, type RDKitModule } from './rdkit.js';
import { zincFeaturizer } from './zinc-featurizer.js';

/** What to do with a row that cannot be featurized. */
export type OnInvalid = 'error' | 'skip';

/** One row that could not be featurized. */
export interface RowError {
  /** 0-based row index in the input. */
  readonly row: number;
  readonly smiles: string;
  readonly reason: string;
  readonly code: 'E_SMILES' | 'E_VOCAB';
}

/** The built-in featurizer of a name, or the featurizer itself. */
export function resolveFeaturizer(f: FeaturizerName | Featurizer): Featurizer {
  if (typeof f !== 'string') return f;
  if (f === 'ogb') return ogbFeaturizer;
  if (f === 'zinc') return zincFeaturizer;
  throw new GraphpeError('E_OPTION', `gnn.featurize: unknown featurizer '${String(f)}' (ogb | zinc)`, {
    value: f,
  });
}

/**
 * Featurize one SMILES (row index for messages). Returns the graph or a {@link RowError}; never throws for
 * bad input. `rdkit` is the module from {@link getRDKit}. With `lenient` (default), a molecule rejected only
 * for the valence of a metal/metalloid is read unsanitized ({@link parseSmilesLenient}), as OGB's RDKit read it.
 */
export function featurizeOne(
  rdkit: RDKitModule,
  featurizer: Featurizer,
  smiles: string,
  row = 0,
  lenient = true,
): MolGraph | RowError {
  const parsed = lenient ? parseSmilesLenient(rdkit, smiles) : parseSmiles(rdkit, smiles);
  if ('reason' in parsed) return { row, smiles, reason: parsed.reason, code: 'E_SMILES' };
  let json: string;
  try {
    json = parsed.mol.get_json();
  } finally {
    parsed.mol.delete();
  }
  const mol = parseMolJson(json);
  if (mol.n === 0) return { row, smiles, reason: 'empty molecule (no atoms)', code: 'E_SMILES' };
  try {
    return featurizer.featurize(mol, smiles);
  } catch (err) {
    if (err instanceof GraphpeError && err.code === 'E_VOCAB') {
      return { row, smiles, reason: err.message, code: 'E_VOCAB' };
    }
    throw err;
  }
}

/** Options of {@link featurizeSmiles}. */
export interface FeaturizeOptions {
  /** Fail on the first batch with bad rows (`'error'`, default) or drop them (`'skip'`). */
  onInvalid?: OnInvalid;
  /** Called every `progressEvery` rows and at the end. */
  onProgress?: (done: number, total: number) => void;
  /** [1000] */
  progressEvery?: number;
  /** Read molecules rejected only for a metal/metalloid valence unsanitized (see {@link featurizeOne}) [true]. */
  lenient?: boolean;
}

/** Featurized rows. */
export interface FeaturizeResult {
  readonly graphs: MolGraph[];
  /** Input row of each graph (all rows, in order, unless some were skipped). */
  readonly rows: Int32Array;
  /** The rows that failed (empty with `onInvalid: 'error'`, which throws instead). */
  readonly errors: RowError[];
  readonly skipped: number;
}

/** A `GraphpeError` summarising row errors (code of the first; `details.errors` holds them all). */
export function rowErrorsToError(where: string, errors: readonly RowError[]): GraphpeError {
  const shown = errors
    .slice(0, 5)
    .map((e) => `row ${e.row} '${e.smiles}': ${e.reason}`)
    .join('; ');
  return new GraphpeError(
    errors[0].code,
    `${where}: ${errors.length} invalid row${errors.length === 1 ? '' : 's'} (${shown}${errors.length > 5 ? '; …' : ''}); pass onInvalid: 'skip' to drop them`,
    { errors },
  );
}

/** Featurize SMILES strings with a featurizer (`'ogb'`, `'zinc'` or a custom one). */
export async function featurizeSmiles(
  smiles: readonly string[],
  featurizer: FeaturizerName | Featurizer,
  options: FeaturizeOptions = {},
): Promise<FeaturizeResult> {
  const onInvalid = options.onInvalid ?? 'error';
  checkOption(
    onInvalid === 'error' || onInvalid === 'skip',
    'gnn.featurizeSmiles',
    "onInvalid must be 'error' or 'skip'",
    onInvalid,
  );
  const every = options.progressEvery ?? 1000;
  const f = resolveFeaturizer(featurizer);
  const rdkit = await getRDKit();
  const graphs: MolGraph[] = [];
  const rows: number[] = [];
  const errors: RowError[] = [];
  for (let r = 0; r < smiles.length; r++) {
    const out = featurizeOne(rdkit, f, smiles[r], r, options.lenient ?? true);
    if ('reason' in out) errors.push(out);
    else {
      graphs.push(out);
      rows.push(r);
    }
    if (options.onProgress && ((r + 1) % every === 0 || r + 1 === smiles.length))
      options.onProgress(r + 1, smiles.length);
  }
  if (errors.length > 0 && onInvalid === 'error') throw rowErrorsToError('gnn.featurizeSmiles', errors);
  return { graphs, rows: Int32Array.from(rows), errors, skipped: errors.length };
}
