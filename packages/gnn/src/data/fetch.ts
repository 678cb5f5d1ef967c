/**
 * Download of the OGB MoleculeNet archives (`csv_mol_download/<folder>.zip`, Hu et al., NeurIPS 2020) into
 * the data directory: fetched with the global `fetch`, checked against the archive's SHA-256 when one is
 * given and against the registered SHA-256 of each unpacked file where those are known, read strictly (every member's CRC-32; symlinks, special files and entries naming a path outside the
 * dataset folder refuse the archive), checked for the dataset's expected files (gzip members must
 * decompress, the mapping and split must load), unpacked into a temporary folder next to the destination
 * and moved into `<dataDir>/<folder>` only when complete. The archive's top folder maps onto
 * `<dataDir>/<folder>`. The tests serve zips from a local HTTP server (`url`). ZINC's multi-file download is
 * in fetch-zinc.ts.
 */
import { join } from 'node:path';
import { GraphpeError } from '@graphpe/spectral';
import { defaultDataDir } from './csv.js';
import { type DatasetInfo, datasetInfo } from './datasets.js';
import { ancestors, download, gunzipDownloaded, install, sha256Hex } from './fetch-io.js';
import { fetchZinc } from './fetch-zinc.js';
import { readOgbFolder } from './loaders.js';
import { readZip, type ZipMember } from './zip.js';

/** Options of {@link fetchDataset}. */
export interface FetchOptions {
  /**
   * Download from this address instead of the public original: for an OGB dataset the zip's address (a
   * mirror, or a local copy served over HTTP); for ZINC the base address of a folder holding the files of
   * the dataset's `sources` under their `file` names.
   */
  url?: string;
  /** Expected SHA-256 of the archive (64 hex digits; OGB datasets); overrides the registry's. */
  sha256?: string;
  /** `false` skips the SHA-256 checks even when checksums are known [true]. */
  verify?: boolean;
  /** Called after each file is downloaded (address and size in bytes). */
  onDownload?: (info: { url: string; bytes: number }) => void;
}

/** One downloaded file and how its checksum was checked. */
export interface FetchedDownload {
  readonly url: string;
  /** SHA-256 (hex) of the bytes as downloaded. */
  readonly sha256: string;
  readonly bytes: number;
  /** `verified`: its checksum (or that of its content) matched; `unknown`: none known; `skipped`: `verify: false`. */
  readonly checksum: 'verified' | 'unknown' | 'skipped';
}

/** What {@link fetchDataset} did. */
export interface FetchResult {
  /** Files written, absolute under `<dataDir>/<folder>`. */
  readonly files: string[];
  /** SHA-256 (hex) of the downloaded archive (the first download for a multi-file dataset). */
  readonly sha256: string;
  /**
   * `verified`: every download matched a known or given checksum, or, for an OGB zip, its archive checksum
   * or every member's known checksum matched; `unknown`: something had no known checksum; `skipped`:
   * `verify: false`.
   */
  readonly checksum: 'verified' | 'unknown' | 'skipped';
  readonly url: string;
  /** The archive's SHA-256 matched a given or registered one (OGB datasets). */
  readonly archiveVerified: boolean;
  /** Archive members whose SHA-256 matched the registry's (OGB datasets), relative to the dataset folder. */
  readonly verifiedMembers: readonly string[];
  /** Every file downloaded, in order. */
  readonly downloads: readonly FetchedDownload[];
}

/**
 * Download and unpack an OGB dataset (`ogbg-molesol`, …, and the OGB layouts of `lipophilicity`, `tox21`,
 * `hiv`), or download and join the public originals of ZINC (`zinc`, `zinc-full`). A failure of any check
 * leaves the data directory as it was.
 */
export async function fetchDataset(
  name: string,
  dataDir: string = defaultDataDir(),
  options: FetchOptions = {},
): Promise<FetchResult> {
  const info = datasetInfo(name);
  const where = `gnn.fetchDataset('${name}')`;
  if (info.sources) return fetchZinc(info, dataDir, options, where);
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
  options.onDownload?.({ url, bytes: bytes.length });
  const sha256 = sha256Hex(bytes);
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
  checkMissing(files, info, archive);
  // A given archive checksum that matched is the caller's pin; it replaces the registry's member checks.
  const verifiedMembers =
    options.verify === false || options.sha256 !== undefined ? [] : checkMembers(files, info, archive);
  checkGzip(files, info, archive);
  const root = join(dataDir, info.folder);
  const written = install(files, dataDir, root, where, (tmp) => checkLoads(tmp, root, info, archive));
  const checksum =
    options.verify === false ? 'skipped' : expected || verifiedMembers.length > 0 ? 'verified' : 'unknown';
  return {
    files: written,
    sha256,
    checksum,
    url,
    archiveVerified: expected !== undefined,
    verifiedMembers,
    downloads: [{ url, sha256, bytes: bytes.length, checksum }],
  };
}

/**
 * Every member with a registered SHA-256 matches it (`E_FILE` naming the member and both digests
 * otherwise); returns the members checked.
 */
function checkMembers(files: Map<string, Uint8Array>, info: DatasetInfo, archive: string): string[] {
  const known = info.memberSha256 ?? {};
  for (const [rel, want] of Object.entries(known)) {
    const got = sha256Hex(files.get(rel)!);
    if (got !== want) {
      throw new GraphpeError(
        'E_FILE',
        `${archive}: member ${info.folder}/${rel} has SHA-256 ${got}, expected ${want} (registry); the archive is not the published one (--no-verify skips the check)`,
        { member: rel, sha256: got, expected: want },
      );
    }
  }
  return Object.keys(known);
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

/** Every file the dataset needs (and every file with a registered checksum) is in the archive. */
function checkMissing(files: Map<string, Uint8Array>, info: DatasetInfo, archive: string): void {
  const needed = [...new Set([...(info.archiveFiles ?? []), ...Object.keys(info.memberSha256 ?? {})])];
  const missing = needed.filter((f) => !files.has(f));
  if (files.size === 0 || missing.length > 0) {
    throw new GraphpeError(
      'E_FILE',
      `${archive}: the archive lacks ${missing.length > 0 ? missing.map((f) => `${info.folder}/${f}`).join(', ') : 'any file'} (it holds ${files.size} file${files.size === 1 ? '' : 's'}${files.size > 0 ? `: ${[...files.keys()].slice(0, 5).join(', ')}${files.size > 5 ? ', …' : ''}` : ''})`,
      { missing },
    );
  }
}

/** Each `.gz` member decompresses (to at most fetch-io's MAX_GUNZIP_BYTES). */
function checkGzip(files: Map<string, Uint8Array>, info: DatasetInfo, archive: string): void {
  for (const [rel, data] of files) {
    if (!rel.endsWith('.gz')) continue;
    try {
      gunzipDownloaded(data, `${archive}: member ${info.folder}/${rel}`);
    } catch (err) {
      if (err instanceof GraphpeError) Object.assign(err.details, { member: rel });
      throw err;
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
