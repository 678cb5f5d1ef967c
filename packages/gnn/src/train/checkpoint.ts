/**
 * The training run's checkpoint folders (`last/`, `best/`) replaced as a whole: the new checkpoint is
 * written completely into a unique sibling folder (files, then `checkpoint.json`), then swapped in by two
 * renames. A process killed at any point leaves either the old folder, or the old and the new one under
 * their temporary names; {@link recoverCheckpointDir} puts the newest complete one back in place.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { GraphpeError } from '@graphpe/spectral';
import {
  type CheckpointManifest,
  openCheckpoint,
  readCheckpointManifest,
  writeCheckpointFiles,
} from '../model/io.js';

function siblingName(dir: string, kind: 'tmp' | 'old'): string {
  return `${dir}.${kind}-${process.pid}-${randomBytes(6).toString('hex')}`;
}

/** Folders next to `dir` left by an interrupted {@link commitCheckpointDir}. */
async function leftovers(dir: string): Promise<string[]> {
  const parent = path.dirname(dir);
  const base = path.basename(dir);
  const re = new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(tmp|old)-\\d+-[0-9a-f]{12}$`);
  if (!existsSync(parent)) return [];
  return (await readdir(parent)).filter((e) => re.test(e)).map((e) => path.join(parent, e));
}

/** Replaces the checkpoint folder `dir` by `files` (+ manifest with `meta`) as a whole. */
export async function commitCheckpointDir(
  dir: string,
  files: Record<string, string | Uint8Array>,
  meta: Record<string, unknown>,
): Promise<void> {
  const staging = siblingName(dir, 'tmp');
  await writeCheckpointFiles(staging, files, meta);
  let old: string | null = null;
  if (existsSync(dir)) {
    old = siblingName(dir, 'old');
    await rename(dir, old);
  }
  await rename(staging, dir);
  if (old) await rm(old, { recursive: true, force: true });
}

/** Whether `dir` is a complete checkpoint: a valid manifest and every listed file matching it. */
async function completeManifest(dir: string): Promise<CheckpointManifest | null> {
  try {
    const manifest = await readCheckpointManifest(dir);
    if (!manifest) return null;
    const ckpt = await openCheckpoint(dir, { warn: null });
    for (const name of Object.keys(manifest.files)) await ckpt.read(name);
    return manifest;
  } catch (e) {
    if (e instanceof GraphpeError) return null;
    throw e;
  }
}

/**
 * Completes or rolls back a swap that a killed process left half done: when `dir` is missing, the newest
 * complete leftover (by `meta.epoch`) takes its place; leftovers are then removed. Returns whether `dir`
 * was restored from a leftover.
 */
export async function recoverCheckpointDir(dir: string): Promise<boolean> {
  const rest = await leftovers(dir);
  let restored = false;
  if (!existsSync(dir) && rest.length > 0) {
    let best: { dir: string; epoch: number } | null = null;
    for (const d of rest) {
      const m = await completeManifest(d);
      if (!m) continue;
      const epoch = Number(m.meta.epoch ?? -1);
      if (!best || epoch > best.epoch) best = { dir: d, epoch };
    }
    if (best) {
      await rename(best.dir, dir);
      restored = true;
    }
  }
  for (const d of rest) if (existsSync(d)) await rm(d, { recursive: true, force: true });
  return restored;
}
