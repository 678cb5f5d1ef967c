/**
 * `fetchDataset('zinc' | 'zinc-full')`: the ZINC benchmark (Dwivedi et al., JMLR 2023) rebuilt as a SMILES CSV
 * from its public originals — the junction-tree VAE's train/valid/test SMILES (ZINC-full's splits in file
 * order), benchmarking-gnns' subset indices (`{train,val,test}.index`, ZINC-12k only) and the targets PyTorch
 * Geometric's `molecules.zip` stores (`molecules/{train,val,test}.pickle`: per molecule `num_atom`,
 * `atom_type`, `bond_type` and `logP_SA_cycle_normalized`). Every download is held in memory and checked
 * (SHA-256 of the content where the registry knows it; every pickled molecule's atom count against the
 * heavy atoms of the SMILES at the same position) before one file is written through a temporary folder.
 */
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { GraphpeError } from '@graphpe/spectral';
import type { DatasetInfo, DownloadSource } from './datasets.js';
import type { FetchedDownload, FetchOptions, FetchResult } from './fetch.js';
import { download, gunzipDownloaded, install, sha256Hex } from './fetch-io.js';
import { type PyValue, readPickle, type TorchTensor, tensorValues, typeName } from './pickle.js';
import { writtenAtoms } from './smiles-atoms.js';
import { readZip } from './zip.js';

const SPLITS = [
  { name: 'train', smiles: 'train.csv.gz', index: 'train.index', pickle: 'molecules/train.pickle' },
  { name: 'val', smiles: 'valid.csv.gz', index: 'val.index', pickle: 'molecules/val.pickle' },
  { name: 'test', smiles: 'test.csv.gz', index: 'test.index', pickle: 'molecules/test.pickle' },
] as const;

/** The file the loader reads for each ZINC dataset, under `<dataDir>/zinc`. */
const OUTPUT: Readonly<Record<string, string>> = { zinc: 'zinc12k.csv', 'zinc-full': 'zinc_full.csv.gz' };

/** One molecule's stored record: its atom count and target. */
interface Stored {
  readonly numAtom: number;
  readonly y: number;
}

/** Download, check and join ZINC's sources into `<dataDir>/zinc/<file>`. */
export async function fetchZinc(
  info: DatasetInfo,
  dataDir: string,
  options: FetchOptions,
  where: string,
): Promise<FetchResult> {
  const output = OUTPUT[info.name];
  const sources = info.sources ?? [];
  if (!output || sources.length === 0) {
    throw new GraphpeError('E_DATASET', `${where}: '${info.name}' has no public download; ${info.howToGet}`, {
      name: info.name,
    });
  }
  if (options.sha256 !== undefined) {
    throw new GraphpeError(
      'E_OPTION',
      `${where}: sha256 names one archive's checksum, but '${info.name}' is built from ${sources.length} downloads whose checksums the registry holds; leave it out`,
      { value: options.sha256 },
    );
  }
  const base = options.url?.replace(/\/+$/, '');
  const content = new Map<string, Uint8Array>();
  const downloads: FetchedDownload[] = [];
  for (const src of sources) {
    const url = base ? `${base}/${src.file}` : src.url;
    const bytes = await download(url, info.name, where);
    options.onDownload?.({ url, bytes: bytes.length });
    const data = src.gzip ? gunzip(bytes, `${where}: ${url}`) : bytes;
    const checksum = verify(src, url, data, options, where);
    downloads.push({ url, sha256: sha256Hex(bytes), bytes: bytes.length, checksum });
    content.set(src.file, data);
  }
  const smiles = SPLITS.map((s) => readSmilesLines(content.get(s.smiles)!, `${where}: ${s.smiles}`));
  const stored = readStored(content.get('molecules.zip')!, where);
  for (let k = 0; k < SPLITS.length; k++) checkCorrespondence(SPLITS[k], smiles[k], stored[k], where);

  let text: string;
  if (info.name === 'zinc') {
    const rows = ['split,subset_idx,full_idx,smiles,y'];
    for (let k = 0; k < SPLITS.length; k++) {
      const file = SPLITS[k].index;
      const idx = readIndex(content.get(file)!, smiles[k].length, `${where}: ${file}`);
      idx.forEach((j, i) => {
        rows.push(`${SPLITS[k].name},${i},${j},${smiles[k][j]},${float32Text(stored[k][j].y)}`);
      });
    }
    text = `${rows.join('\n')}\n`;
  } else {
    const rows = ['split,split_idx,smiles,y'];
    for (let k = 0; k < SPLITS.length; k++) {
      smiles[k].forEach((s, i) => {
        rows.push(`${SPLITS[k].name},${i},${s},${float32Text(stored[k][i].y)}`);
      });
    }
    text = `${rows.join('\n')}\n`;
  }
  const bytes = Buffer.from(text, 'utf8');
  const out = output.endsWith('.gz') ? new Uint8Array(gzipSync(bytes, { level: 9 })) : new Uint8Array(bytes);
  const files = install(new Map([[output, out]]), dataDir, join(dataDir, info.folder), where, () => {});
  const checksum =
    options.verify === false
      ? 'skipped'
      : downloads.every((d) => d.checksum === 'verified')
        ? 'verified'
        : 'unknown';
  return {
    files,
    sha256: downloads[0].sha256,
    checksum,
    url: downloads[0].url,
    archiveVerified: false,
    verifiedMembers: [],
    downloads,
  };
}

function gunzip(bytes: Uint8Array, what: string): Uint8Array {
  return gunzipDownloaded(bytes, what);
}

/** Compare the content's SHA-256 with the registry's; `E_FILE` with both digests on a mismatch. */
function verify(
  src: DownloadSource,
  url: string,
  data: Uint8Array,
  options: FetchOptions,
  where: string,
): FetchedDownload['checksum'] {
  if (options.verify === false) return 'skipped';
  if (!src.sha256) return 'unknown';
  const got = sha256Hex(data);
  if (got !== src.sha256) {
    throw new GraphpeError(
      'E_FILE',
      `${where}: ${url} ${src.gzip ? 'decompresses to content with' : 'has'} SHA-256 ${got}, expected ${src.sha256} (registry, ${src.file}); the download is corrupt or not the published file (--no-verify skips the check)`,
      { url, sha256: got, expected: src.sha256 },
    );
  }
  return 'verified';
}

/** One SMILES per line (the last line may end the file without a newline). */
function readSmilesLines(data: Uint8Array, what: string): string[] {
  const text = new TextDecoder('utf-8').decode(data);
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((raw, i) => {
    const s = raw.trim();
    if (s === '' || /[\s,"]/.test(s)) {
      throw new GraphpeError(
        'E_PARSE',
        `${what} line ${i + 1}: ${s === '' ? 'empty' : `'${s}' is not one SMILES`} (the file holds one SMILES per line)`,
        { line: i + 1 },
      );
    }
    return s;
  });
}

/** A benchmarking-gnns `.index` file: comma-separated rows of the full split (a final newline allowed). */
function readIndex(data: Uint8Array, rows: number, what: string): number[] {
  const text = new TextDecoder('utf-8').decode(data).trimEnd();
  const seen = new Set<number>();
  return text.split(',').map((cell, i) => {
    const t = cell.trim();
    const v = Number(t);
    if (!/^\d+$/.test(t) || v >= rows || seen.has(v)) {
      throw new GraphpeError(
        'E_PARSE',
        `${what}: entry ${i + 1} ('${t}') is ${/^\d+$/.test(t) ? (v >= rows ? `past the ${rows} molecules of the split` : 'a repeat') : 'not a row number'}`,
        { entry: i + 1 },
      );
    }
    seen.add(v);
    return v;
  });
}

/** Each split's molecules of `molecules.zip`, as stored. */
function readStored(zip: Uint8Array, where: string): Stored[][] {
  const what = `${where}: molecules.zip`;
  const members = new Map(readZip(zip, `${what} is not a valid zip`).map((m) => [m.name, m]));
  return SPLITS.map((s) => {
    const m = members.get(s.pickle);
    if (m?.type !== 'file') {
      throw new GraphpeError(
        'E_FILE',
        `${what} lacks ${s.pickle} (it holds ${[...members.keys()].join(', ') || 'nothing'})`,
        {
          member: s.pickle,
        },
      );
    }
    const at = `${what} ${s.pickle}`;
    const list = readPickle(m.data, at);
    if (!Array.isArray(list))
      throw new GraphpeError('E_PARSE', `${at}: a ${typeName(list)}, not a list of molecules`);
    return list.map((mol, i) => storedMolecule(mol, `${at}: molecule ${i}`));
  });
}

function storedMolecule(mol: PyValue, what: string): Stored {
  const bad = (msg: string) => new GraphpeError('E_PARSE', `${what}: ${msg}`);
  if (!(mol instanceof Map)) throw bad(`a ${typeName(mol)}, not a dict`);
  const numAtom = mol.get('num_atom');
  if (typeof numAtom !== 'number' || !Number.isInteger(numAtom) || numAtom < 1) {
    throw bad(`num_atom is ${numAtom === undefined ? 'missing' : String(numAtom)}, not an atom count`);
  }
  const atoms = mol.get('atom_type');
  // PyG reads atom_type with .view(-1, 1): any shape of num_atom entries.
  if (!isTensor(atoms) || atoms.shape.reduce((a, b) => a * b, 1) !== numAtom) {
    throw bad(`atom_type is not a tensor of num_atom = ${numAtom} entries`);
  }
  const bonds = mol.get('bond_type');
  if (
    !isTensor(bonds) ||
    bonds.shape.length !== 2 ||
    bonds.shape[0] !== numAtom ||
    bonds.shape[1] !== numAtom
  ) {
    throw bad(`bond_type is not a ${numAtom} × ${numAtom} tensor`);
  }
  const target = mol.get('logP_SA_cycle_normalized');
  // The shape is checked before any element is read: a zero-stride view may name billions of entries.
  const values = isTensor(target)
    ? target.shape.every((d) => d === 1)
      ? tensorValues(target)
      : []
    : typeof target === 'number'
      ? [target]
      : [];
  if (values.length !== 1 || !Number.isFinite(values[0])) {
    throw bad('logP_SA_cycle_normalized is not one finite number');
  }
  return { numAtom, y: Math.fround(values[0]) };
}

function isTensor(v: PyValue | undefined): v is TorchTensor {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    !(v instanceof Map) &&
    'kind' in v &&
    v.kind === 'tensor'
  );
}

/** The stored molecules are the SMILES of the same split, in the same order (atom count by atom count). */
function checkCorrespondence(
  split: (typeof SPLITS)[number],
  smiles: readonly string[],
  stored: readonly Stored[],
  where: string,
): void {
  if (smiles.length !== stored.length) {
    throw new GraphpeError(
      'E_DATASET',
      `${where}: molecules.zip ${split.pickle} holds ${stored.length} molecules, ${split.smiles} ${smiles.length} SMILES; they are not the same split`,
      { split: split.name },
    );
  }
  for (let i = 0; i < smiles.length; i++) {
    const atoms = writtenAtoms(smiles[i]);
    if (!atoms) {
      throw new GraphpeError(
        'E_PARSE',
        `${where}: ${split.smiles} line ${i + 1}: cannot read the atoms of '${smiles[i]}'`,
        {
          split: split.name,
          position: i,
        },
      );
    }
    const heavy = atoms.symbols.filter((s) => s !== 'H').length;
    if (heavy !== stored[i].numAtom) {
      throw new GraphpeError(
        'E_DATASET',
        `${where}: ${split.name} molecule ${i}: molecules.zip ${split.pickle} stores ${stored[i].numAtom} atoms, the SMILES at line ${i + 1} of ${split.smiles} has ${heavy} heavy atoms ('${smiles[i]}'); the files do not correspond`,
        { split: split.name, position: i },
      );
    }
  }
}

/** The shortest decimal that reads back as the same float32. */
export function float32Text(v: number): string {
  for (let p = 1; p < 9; p++) {
    const s = Number(v.toPrecision(p));
    if (Math.fround(s) === v) return String(s);
  }
  return String(Number(v.toPrecision(9)));
}
