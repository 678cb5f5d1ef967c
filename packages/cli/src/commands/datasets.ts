import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defaultDataDir, fetchDataset, listDatasets } from '@graphpe/gnn';
import type { CliIo } from '../io/types.js';

/** `graphpe datasets list`: every registered dataset, its task, metric, split and whether its files are present. */
export function datasetsListCommand(opts: { dataDir?: string; json: boolean }, io: CliIo): void {
  const dataDir = opts.dataDir ?? defaultDataDir();
  const rows = listDatasets().map((d) => ({
    name: d.name,
    task: d.task,
    metric: d.metric,
    tasks: d.numTasks,
    split: d.split,
    present:
      d.files.every((f) => existsSync(join(dataDir, f))) ||
      existsSync(join(dataDir, d.folder, 'mapping', 'mol.csv.gz')),
    download: d.url ?? null,
  }));
  if (opts.json) {
    io.stdout(`${JSON.stringify({ dataDir, datasets: rows }, null, 2)}\n`);
    return;
  }
  const w = Math.max(...rows.map((r) => r.name.length));
  io.stdout(`data directory: ${dataDir}\n`);
  for (const r of rows) {
    const where = r.present ? 'present' : r.download ? 'missing (graphpe datasets fetch)' : 'missing';
    io.stdout(`${r.name.padEnd(w)}  ${r.task.padEnd(16)} ${r.metric.padEnd(6)} ${where}\n`);
  }
}

/** `graphpe datasets fetch <name>`: download OGB's public zip into the data directory, checked and unpacked whole. */
export async function datasetsFetchCommand(
  name: string,
  opts: { dataDir?: string; url?: string; sha256?: string; verify?: boolean },
  io: CliIo,
): Promise<void> {
  const dataDir = opts.dataDir ?? defaultDataDir();
  const r = await fetchDataset(name, dataDir, {
    ...(opts.url ? { url: opts.url } : {}),
    ...(opts.sha256 !== undefined ? { sha256: opts.sha256 } : {}),
    ...(opts.verify === false ? { verify: false } : {}),
  });
  if (r.checksum === 'unknown') {
    io.stderr(
      `graphpe datasets fetch: no SHA-256 is known for ${r.url}; the zip's CRC-32s and expected files were checked, not its checksum. Its SHA-256 is ${r.sha256} (pin it with --sha256).\n`,
    );
  }
  const how =
    r.checksum === 'verified'
      ? 'SHA-256 verified'
      : r.checksum === 'skipped'
        ? 'SHA-256 not checked (--no-verify)'
        : 'SHA-256 unknown';
  io.stdout(`${name}: ${r.files.length} files written under ${dataDir} (${how}: ${r.sha256})\n`);
}
