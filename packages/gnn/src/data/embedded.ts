import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The data shipped with @graphpe/gnn (ZINC-12k, gzipped): the package's `data/` folder. */
export function embeddedDataDir(): string {
  // src/data/embedded.ts and dist/data/embedded.js both sit two levels below the package root.
  return fileURLToPath(new URL('../../data/', import.meta.url));
}

/**
 * The preprocessing cache's default folder: `GRAPHPE_CACHE_DIR`, else `$XDG_CACHE_HOME/graphpe/cache`, else
 * `~/.cache/graphpe/cache` — the user's cache, never a data folder.
 */
export function defaultCacheDir(): string {
  const env = process.env.GRAPHPE_CACHE_DIR;
  if (env && env.trim() !== '') return env;
  const xdg = process.env.XDG_CACHE_HOME;
  return join(xdg && xdg.trim() !== '' ? xdg : join(homedir(), '.cache'), 'graphpe', 'cache');
}
