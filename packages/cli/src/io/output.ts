/**
 * Output paths of the CLI: checked before any work is done, written under a temporary name unique to
 * the run (`<name>.tmp-<pid>-<random>` in the target's folder) and renamed into place when complete,
 * so a failed run leaves nothing and concurrent runs to one path each leave a complete file.
 */
import { constants, type Stats } from 'node:fs';
import { access, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { tempNameFor, writeFileAtomic } from '@graphpe/gnn';
import { GraphpeError } from '@graphpe/spectral';

/** Atomic file writes are gnn's (temporary file in the same folder, flushed, renamed into place). */
export { writeFileAtomic };

async function statOrNull(path: string): Promise<Stats | null> {
  try {
    return await stat(path);
  } catch {
    return null;
  }
}

async function checkWritableFolder(folder: string, path: string, where: string, flag: string) {
  try {
    await access(folder, constants.W_OK | constants.X_OK);
  } catch {
    throw new GraphpeError('E_FILE', `${where}: ${flag} ${path}: the folder ${folder} is not writable`, {
      path,
      folder,
    });
  }
}

/**
 * `E_FILE` unless a file can be written at `path`: its folder exists and is a writable folder, and
 * `path` is not a folder.
 */
export async function checkOutputFile(path: string, where: string, flag = '--out'): Promise<void> {
  const folder = dirname(resolve(path));
  const info = await statOrNull(path);
  if (info?.isDirectory()) {
    throw new GraphpeError('E_FILE', `${where}: ${flag} ${path}: is a folder, expected a file name`, {
      path,
    });
  }
  const parent = await statOrNull(folder);
  if (!parent) {
    throw new GraphpeError('E_FILE', `${where}: ${flag} ${path}: the folder ${folder} does not exist`, {
      path,
      folder,
    });
  }
  if (!parent.isDirectory()) {
    throw new GraphpeError('E_FILE', `${where}: ${flag} ${path}: ${folder} is not a folder`, {
      path,
      folder,
    });
  }
  await checkWritableFolder(folder, path, where, flag);
}

/**
 * `E_FILE` unless a folder can be written at `path`: it is a folder or does not exist, and its nearest
 * existing ancestor is a writable folder (missing ones are created on write).
 */
export async function checkOutputDir(path: string, where: string, flag = '--out'): Promise<void> {
  const info = await statOrNull(path);
  if (info && !info.isDirectory()) {
    throw new GraphpeError(
      'E_FILE',
      `${where}: ${flag} ${path}: is an existing file, expected a folder (or a path that does not exist)`,
      { path },
    );
  }
  let folder = info ? resolve(path) : dirname(resolve(path));
  for (;;) {
    const up = await statOrNull(folder);
    if (up) {
      if (!up.isDirectory()) {
        throw new GraphpeError('E_FILE', `${where}: ${flag} ${path}: ${folder} is a file, not a folder`, {
          path,
          folder,
        });
      }
      break;
    }
    const next = dirname(folder);
    if (next === folder) break;
    folder = next;
  }
  await checkWritableFolder(folder, path, where, flag);
}

/** A file-system error while writing `path` as `E_FILE` (other errors unchanged). */
export function outputError(err: unknown, where: string, path: string, flag = '--out'): unknown {
  if (err instanceof GraphpeError || !(err instanceof Error)) return err;
  const code = (err as NodeJS.ErrnoException).code;
  if (typeof code !== 'string' || !/^E[A-Z]+$/.test(code)) return err;
  return new GraphpeError('E_FILE', `${where}: ${flag} ${path}: cannot write: ${err.message}`, {
    path,
    errno: code,
  });
}

/**
 * Runs `write(tmp)` on a fresh temporary name next to `path`, then renames it to `path`; on any
 * failure the temporary file is removed and the error rethrown.
 */
export async function withTempFile(path: string, write: (tmp: string) => Promise<void>): Promise<void> {
  const tmp = tempNameFor(path);
  try {
    await write(tmp);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/**
 * Writes `files` (name → contents, in order; put the file that marks completion last) into the folder
 * `dir`: staged in a temporary folder next to it, which becomes `dir` when `dir` is absent or empty;
 * otherwise each file is renamed into `dir` (replacing files of the same name, keeping the others).
 */
export async function writeDirAtomic(dir: string, files: Map<string, Uint8Array | string>): Promise<void> {
  await mkdir(dirname(resolve(dir)), { recursive: true });
  const stage = tempNameFor(dir);
  try {
    await mkdir(stage);
    await Promise.all([...files].map(([name, data]) => writeFile(join(stage, name), data)));
    try {
      await rename(stage, dir);
      return;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw err;
    }
    for (const name of files.keys()) await rename(join(stage, name), join(dir, name));
    await rm(stage, { recursive: true, force: true });
  } catch (err) {
    await rm(stage, { recursive: true, force: true });
    throw err;
  }
}
