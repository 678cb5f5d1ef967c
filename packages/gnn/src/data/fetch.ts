/**
 * Download of the OGB MoleculeNet archives (`csv_mol_download/<folder>.zip`, Hu et al., NeurIPS 2020) into
 * the data directory: fetched with the global `fetch`, checked against a SHA-256 when one is known or given,
 * read strictly (every member's CRC-32; symlinks, special files and entries naming a path outside the
 * dataset folder refuse the archive), checked for the dataset's expected files (gzip members must
 * decompress, the mapping and split must load), unpacked into a temporary folder next to the destination
 * and moved into `<dataDir>/<folder>` only when complete. The archive's top folder maps onto
 * `<dataDir>/<folder>`. The tests serve zips from a local HTTP server (`url`).
 */
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { GraphpeError } from '@graphpe/spectral';
import { defaultDataDir } from './csv.js';
import { type DatasetInfo, datasetInfo } from './datasets.js';
import { readOgbFolder } from './loaders.js';
import { readZip, type ZipMember } from './zip.js';

/** Options of {@link fetchDataset}. */
export interface FetchOptions {
  /** Download from this address instead of OGB's (a mirror, or a local copy served over HTTP). */
  url?: string;
  /** Expected SHA-256 of the archive (64 hex digits); overrides the registry's. */
  sha256?: string;
  /** `false` skips the SHA-256 check even when a checksum is known [true]. */
  verify?: boolean;
}

/** What {@link fetchDataset} did. */
export interface FetchResult {
  /** Files written, absolute under `<dataDir>/<folder>`. */
  readonly files: string[];
  /** SHA-256 (hex) of the downloaded archive. */
  readonly sha256: string;
  /** `verified`: matched the known or given checksum; `unknown`: none known; `skipped`: `verify: false`. */
  readonly checksum: 'verified' | 'unknown' | 'skipped';
  readonly url: string;
}

/**
 * Download and unpack an OGB dataset (`ogbg-molesol`, …, and the OGB layouts of `lipophilicity`, `tox21`,
 * `hiv`). A failure of any check leaves the data directory as it was.
 */
export async function fetchDataset(
  name: string,
  dataDir: string = defaultDataDir(),
  options: FetchOptions = {},
): Promise<FetchResult> {
  const info = datasetInfo(name);
  const where = `gnn.fetchDataset('${name}')`;
  const expected = expectedChecksum(options, info, where);
  const url = options.url ?? info.url;
  if (!url) {
    throw new GraphpeError(
      'E_DATASET',
      `gnn.fetchDataset: '${name}' has no public download; ${info.howToGet}`,
      { name },
    );
  }
  const bytes = await download(url, name, where);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (expected && sha256 !== expected) {
    throw new GraphpeError(
      'E_FILE',
      `${where}: ${url} has SHA-256 ${sha256}, expected ${expected} (${options.sha256 ? '--sha256 / options.sha256' : 'registry'}); the download is corrupt or not the published archive`,
      { name, url, sha256, expected },
    );
  }
  const archive = `${where}: ${url}`;
  let members: ZipMember[];
  try {
    members = readZip(bytes, `${archive} is not a valid zip`);
  } catch (err) {
    if (err instanceof GraphpeError) Object.assign(err.details, { name, url });
    throw err;
  }
  const files = archiveFiles(members, archive);
  checkExpected(files, info, archive);
  const root = join(dataDir, info.folder);
  const written = install(files, dataDir, root, where, (tmp) => checkLoads(tmp, root, info, archive));
  return {
    files: written,
    sha256,
    checksum: expected ? 'verified' : options.verify === false ? 'skipped' : 'unknown',
    url,
  };
}

function expectedChecksum(options: FetchOptions, info: DatasetInfo, where: string): string | undefined {
  if (options.sha256 !== undefined) {
    if (options.verify === false) {
      throw new GraphpeError('E_OPTION', `${where}: a SHA-256 was given together with verify: false`, {
        value: options.sha256,
      });
    }
    if (!/^[0-9a-fA-F]{64}$/.test(options.sha256)) {
      throw new GraphpeError('E_OPTION', `${where}: sha256 must be 64 hex digits (got '${options.sha256}')`, {
        value: options.sha256,
      });
    }
    return options.sha256.toLowerCase();
  }
  return options.verify === false ? undefined : info.sha256?.toLowerCase();
}

async function download(url: string, name: string, where: string): Promise<Uint8Array> {
  try {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`HTTP ${res.status} ${res.statusText}`);
    return new Uint8Array(await res.arrayBuffer());
  } catch (err) {
    throw new GraphpeError('E_DATASET', `${where}: download of ${url} failed: ${(err as Error).message}`, {
      name,
      url,
    });
  }
}

/**
 * The regular files of the archive keyed by their path relative to the dataset folder (the top folder
 * dropped). Symlinks, special files, paths that are absolute or climb with `..`, and two entries that
 * land on one path (or a file where another entry needs a folder) refuse the archive.
 */
function archiveFiles(members: readonly ZipMember[], archive: string): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  /** The entry that first used each path, as a file or as a folder. */
  const entryOf = new Map<string, string>();
  const dirs = new Set<string>();
  for (const m of members) {
    const parts = m.name.split('/').filter((p) => p !== '' && p !== '.');
    const unsafe =
      m.name.startsWith('/') ||
      m.name.includes('\\') ||
      m.name.includes('\0') ||
      /^[A-Za-z]:/.test(m.name) ||
      parts.includes('..');
    if (unsafe) {
      throw new GraphpeError(
        'E_FILE',
        `${archive}: entry '${m.name}' names a path outside the dataset folder; the archive is refused`,
        { entry: m.name },
      );
    }
    if (m.type === 'symlink' || m.type === 'special') {
      throw new GraphpeError(
        'E_FILE',
        `${archive}: entry '${m.name}' is a ${m.type === 'symlink' ? 'symbolic link' : 'special file (FIFO, device or socket)'}; the archive is refused`,
        { entry: m.name },
      );
    }
    if (m.type === 'directory' || parts.length === 0) continue;
    // OGB archives hold `<folder>/mapping/...`; drop that top folder.
    const rel = (parts.length > 1 ? parts.slice(1) : parts).join('/');
    const clash = out.has(rel) || dirs.has(rel) ? rel : ancestors(rel).find((a) => out.has(a));
    if (clash !== undefined) {
      throw new GraphpeError(
        'E_PARSE',
        `${archive}: entries '${entryOf.get(clash)}' and '${m.name}' both need the path '${clash}' in the dataset folder`,
        { entry: m.name, path: clash },
      );
    }
    for (const a of ancestors(rel)) {
      dirs.add(a);
      if (!entryOf.has(a)) entryOf.set(a, m.name);
    }
    out.set(rel, m.data);
    entryOf.set(rel, m.name);
  }
  return out;
}

/** `a`, `a/b` for `a/b/c`. */
function ancestors(rel: string): string[] {
  const parts = rel.split('/');
  return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join('/'));
}

/** Every file the dataset needs is in the archive, and each `.gz` member decompresses. */
function checkExpected(files: Map<string, Uint8Array>, info: DatasetInfo, archive: string): void {
  const missing = (info.archiveFiles ?? []).filter((f) => !files.has(f));
  if (files.size === 0 || missing.length > 0) {
    throw new GraphpeError(
      'E_FILE',
      `${archive}: the archive lacks ${missing.length > 0 ? missing.map((f) => `${info.folder}/${f}`).join(', ') : 'any file'} (it holds ${files.size} file${files.size === 1 ? '' : 's'}${files.size > 0 ? `: ${[...files.keys()].slice(0, 5).join(', ')}${files.size > 5 ? ', …' : ''}` : ''})`,
      { missing },
    );
  }
  for (const [rel, data] of files) {
    if (!rel.endsWith('.gz')) continue;
    try {
      gunzipSync(data);
    } catch (err) {
      throw new GraphpeError(
        'E_PARSE',
        `${archive}: member ${info.folder}/${rel} is not valid gzip data (${(err as Error).message})`,
        { member: rel },
      );
    }
  }
}

/** The unpacked OGB layout loads and its split indices are rows of the mapping file. */
function checkLoads(tmp: string, root: string, info: DatasetInfo, archive: string): void {
  if (!(info.archiveFiles ?? []).includes('mapping/mol.csv.gz')) return;
  try {
    const raw = readOgbFolder(tmp, { name: info.name, task: info.task, metric: info.metric });
    const rows = raw.smiles.length;
    for (const [split, idx] of Object.entries(raw.splits)) {
      for (let i = 0; i < idx.length; i++) {
        if (idx[i] >= rows) {
          throw new GraphpeError(
            'E_PARSE',
            `split/scaffold/${split}.csv.gz line ${i + 1}: row ${idx[i]} is past the ${rows} rows of mapping/mol.csv.gz`,
          );
        }
      }
    }
  } catch (err) {
    if (!(err instanceof GraphpeError)) throw err;
    throw new GraphpeError(
      err.code,
      `${archive}: the unpacked archive does not load: ${err.message.split(tmp).join(root)}`,
      err.details,
    );
  }
}

/**
 * Write `files` into a fresh hidden folder in `dataDir`, run `check` on it, then move each file to
 * `<root>/<rel>` (the whole folder at once when `root` does not exist). On any failure nothing under
 * `root` changes and the temporary folder is removed.
 */
function install(
  files: Map<string, Uint8Array>,
  dataDir: string,
  root: string,
  where: string,
  check: (tmp: string) => void,
): string[] {
  // Refuse before touching anything when a file would replace a folder or sit under a file.
  for (const rel of files.keys()) {
    for (const p of [...ancestors(rel).map((a) => join(root, a)), join(root, rel)]) {
      const st = lstatOrNull(p);
      const isTarget = p === join(root, rel);
      if (st && (isTarget ? st.isDirectory() : !st.isDirectory())) {
        throw new GraphpeError(
          'E_FILE',
          `${where}: ${p} is a ${st.isDirectory() ? 'folder' : 'file'} where the archive needs a ${isTarget ? 'file' : 'folder'}; move it away and fetch again`,
          { path: p },
        );
      }
    }
  }
  const created = mkdirSync(dataDir, { recursive: true });
  let tmp: string | undefined;
  let done = false;
  try {
    tmp = mkdtempSync(join(dataDir, '.graphpe-fetch-'));
    for (const [rel, data] of files) {
      const target = join(tmp, rel);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, data);
    }
    check(tmp);
    const written = [...files.keys()].map((rel) => join(root, rel));
    if (!existsSync(root)) {
      mkdirSync(dirname(root), { recursive: true });
      renameSync(tmp, root);
      tmp = undefined;
    } else {
      for (const rel of files.keys()) {
        mkdirSync(dirname(join(root, rel)), { recursive: true });
        renameSync(join(tmp, rel), join(root, rel));
      }
    }
    done = true;
    return written;
  } finally {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    if (!done && created) rmSync(created, { recursive: true, force: true });
  }
}

function lstatOrNull(p: string): ReturnType<typeof lstatSync> | null {
  try {
    return lstatSync(p);
  } catch {
    return null;
  }
}
