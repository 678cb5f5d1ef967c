/**
 * Edge-list files (Node only): reads the file, gunzips `.gz` (or any gzip-magic) content, and parses
 * it with {@link parseEdgeList}. `node:fs` and `node:zlib` are imported lazily so that the package
 * entry point still loads in a browser.
 */
import { GraphpeError } from '../errors.js';
import type { EdgeListOptions } from './edge-list.js';
import { parseEdgeListText } from './parse.js';
import type { Graph } from './types.js';

const WHERE = 'spectral.readEdgeList';

/**
 * Read an edge-list file (format of {@link parseEdgeList}; `.gz` transparently decompressed) into a
 * {@link Graph}. Every error message names the file: `E_FILE` when it cannot be read or decompressed,
 * `E_EMPTY` for an empty file or one without edges (unless `n` is given: then an edgeless graph),
 * `E_TOO_LARGE` past the engine's string limit, and the parser's errors with their line numbers.
 */
export async function readEdgeList(path: string, options: EdgeListOptions = {}): Promise<Graph> {
  const where = `${WHERE}: ${path}`;
  const [{ readFile }, { gunzip }, { promisify }, { constants }] = await Promise.all([
    import('node:fs/promises'),
    import('node:zlib'),
    import('node:util'),
    import('node:buffer'),
  ]);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why =
      e.code === 'ENOENT'
        ? 'no such file'
        : e.code === 'EISDIR'
          ? 'is a directory'
          : e.code === 'EACCES'
            ? 'permission denied'
            : e.message;
    throw new GraphpeError('E_FILE', `${where}: cannot read the file: ${why}`, { path, cause: e.code });
  }
  const gzipped = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
  if (bytes.length > 0 && (gzipped || path.endsWith('.gz'))) {
    try {
      bytes = await promisify(gunzip)(bytes);
    } catch (err) {
      throw new GraphpeError('E_FILE', `${where}: cannot gunzip the file: ${(err as Error).message}`, {
        path,
      });
    }
  }
  if (bytes.length === 0 && options.n === undefined) throw emptyFile(where, path);
  if (bytes.length > constants.MAX_STRING_LENGTH) {
    throw new GraphpeError(
      'E_TOO_LARGE',
      `${where}: ${bytes.length} bytes exceed the engine's string limit (${constants.MAX_STRING_LENGTH}); split the file`,
      { path, bytes: bytes.length },
    );
  }
  return parseEdgeListText(bytes.toString('utf8'), options, where);
}

function emptyFile(where: string, path: string): GraphpeError {
  return new GraphpeError('E_EMPTY', `${where}: the file is empty (no edges found)`, { path });
}
