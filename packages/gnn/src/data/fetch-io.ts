/**
 * What the dataset downloads share: GET into memory, SHA-256, and the install of checked files into the data
 * directory through a temporary folder moved into place whole.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { GraphpeError } from '@graphpe/spectral';

/** SHA-256 (hex) of `bytes`. */
/** Most bytes a downloaded gzip member may expand to (the largest real one, ZINC-full's train SMILES, is ≈ 10 MB). */
export const MAX_GUNZIP_BYTES = 1 << 30;

/**
 * Decompress a downloaded gzip member, refusing one that expands past `limit` bytes (a corrupt or hostile
 * mirror) with `E_TOO_LARGE` before it exhausts memory, and invalid data with `E_PARSE`; `what` names it.
 */
export function gunzipDownloaded(bytes: Uint8Array, what: string, limit = MAX_GUNZIP_BYTES): Uint8Array {
  try {
    return new Uint8Array(gunzipSync(bytes, { maxOutputLength: limit }));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError) {
      throw new GraphpeError('E_TOO_LARGE', `${what} expands past ${limit} bytes; refused`, { limit });
    }
    throw new GraphpeError('E_PARSE', `${what} is not valid gzip data (${e.message})`);
  }
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** GET `url` into memory; `E_DATASET` naming the address on an HTTP error or a failed connection. */
export async function download(url: string, name: string, where: string): Promise<Uint8Array> {
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

/** `a`, `a/b` for `a/b/c`. */
export function ancestors(rel: string): string[] {
  const parts = rel.split('/');
  return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join('/'));
}

/**
 * Write `files` into a fresh hidden folder in `dataDir`, run `check` on it, then move each file to
 * `<root>/<rel>` (the whole folder at once when `root` does not exist, else all files or none). On any
 * failure nothing under `root` changes and the temporary folder is removed; temporary folders a killed run
 * left more than a day ago are removed first.
 */
export function install(
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
  removeStaleTemps(dataDir);
  let tmp: string | undefined;
  let done = false;
  try {
    // mkdir, not mkdtemp: the folder may become the dataset folder, which keeps the usual permissions
    // (mkdtemp's are private). A name that exists already fails here rather than being shared.
    const fresh = join(dataDir, `.graphpe-fetch-${randomBytes(8).toString('hex')}`);
    mkdirSync(fresh);
    tmp = fresh;
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
      replaceFiles(tmp, root, [...files.keys()]);
    }
    done = true;
    return written;
  } finally {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    if (!done && created) rmSync(created, { recursive: true, force: true });
  }
}

/**
 * Move `rels` from `tmp` into `root` all or nothing: the files they replace are first renamed aside, and
 * put back (the new ones removed) when any move fails; the set-aside copies are deleted once all moved.
 */
function replaceFiles(tmp: string, root: string, rels: readonly string[]): void {
  const tag = `.graphpe-old-${randomBytes(6).toString('hex')}`;
  const aside: string[] = [];
  const moved: string[] = [];
  try {
    for (const rel of rels) {
      const target = join(root, rel);
      if (existsSync(target)) {
        renameSync(target, target + tag);
        aside.push(target);
      }
    }
    for (const rel of rels) {
      const target = join(root, rel);
      mkdirSync(dirname(target), { recursive: true });
      renameSync(join(tmp, rel), target);
      moved.push(target);
    }
  } catch (err) {
    for (const target of moved) rmSync(target, { force: true });
    for (const target of aside) renameSync(target + tag, target);
    throw err;
  }
  for (const target of aside) rmSync(target + tag, { force: true });
}

/** A fetch's temporary folder untouched this long was left by a killed run and is removed. */
const STALE_TEMP_MS = 24 * 3600 * 1000;

function removeStaleTemps(dataDir: string): void {
  let names: string[];
  try {
    names = readdirSync(dataDir);
  } catch {
    return;
  }
  const now = Date.now();
  for (const name of names) {
    if (!name.startsWith('.graphpe-fetch-')) continue;
    const st = lstatOrNull(join(dataDir, name));
    if (st?.isDirectory() && now - Number(st.mtimeMs) > STALE_TEMP_MS) {
      rmSync(join(dataDir, name), { recursive: true, force: true });
    }
  }
}

function lstatOrNull(p: string): ReturnType<typeof lstatSync> | null {
  try {
    return lstatSync(p);
  } catch {
    return null;
  }
}
