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
    sources: d.sources?.map((x) => x.url) ?? null,
  }));
  if (opts.json) {
    io.stdout(`${JSON.stringify({ dataDir, datasets: rows }, null, 2)}\n`);
    return;
  }
  const w = Math.max(...rows.map((r) => r.name.length));
  io.stdout(`data directory: ${dataDir}\n`);
  for (const r of rows) {
    const where = r.present
      ? 'present'
      : r.download || r.sources
        ? 'missing (graphpe datasets fetch)'
        : 'missing';
    io.stdout(`${r.name.padEnd(w)}  ${r.task.padEnd(16)} ${r.metric.padEnd(6)} ${where}\n`);
  }
}

/** Bytes as `812 bytes` or `9.5 MB`. */
function size(bytes: number): string {
  return bytes < 1_000_000 ? `${bytes} bytes` : `${(bytes / 1_000_000).toFixed(1)} MB`;
}

/**
 * `graphpe datasets fetch <name>`: download a dataset's public originals (OGB's zip; ZINC's SMILES, subset
 * indices and stored targets), checked, into the data directory. One line per download on stderr.
 */
export async function datasetsFetchCommand(
  name: string,
  opts: { dataDir?: string; url?: string; sha256?: string; verify?: boolean; quiet?: boolean },
  io: CliIo,
): Promise<void> {
  const dataDir = opts.dataDir ?? defaultDataDir();
  const r = await fetchDataset(name, dataDir, {
    ...(opts.url ? { url: opts.url } : {}),
    ...(opts.sha256 !== undefined ? { sha256: opts.sha256 } : {}),
    ...(opts.verify === false ? { verify: false } : {}),
    onDownload: ({ url, bytes }) => {
      if (!opts.quiet) io.stderr(`graphpe datasets fetch: downloaded ${url} (${size(bytes)})\n`);
    },
  });
  const written = `${r.files.length} file${r.files.length === 1 ? '' : 's'} written under ${dataDir}`;
  if (r.downloads.length > 1) {
    for (const d of r.downloads.filter((x) => x.checksum === 'unknown')) {
      io.stderr(
        `graphpe datasets fetch: no SHA-256 is known for ${d.url}; every molecule in it was checked against the SMILES at the same position (atom count), not its checksum. Its SHA-256 is ${d.sha256}.\n`,
      );
    }
    const verified = r.downloads.filter((d) => d.checksum === 'verified').length;
    const how =
      r.checksum === 'skipped'
        ? 'SHA-256 not checked (--no-verify)'
        : `SHA-256 of ${verified} of ${r.downloads.length} downloads verified`;
    io.stdout(`${name}: ${written} (${how})\n`);
    return;
  }
  if (r.checksum === 'unknown') {
    io.stderr(
      `graphpe datasets fetch: no SHA-256 is known for ${r.url}; the zip's CRC-32s and expected files were checked, not its checksum. Its SHA-256 is ${r.sha256} (pin it with --sha256).\n`,
    );
  }
  const how =
    r.checksum === 'skipped'
      ? 'SHA-256 not checked (--no-verify)'
      : r.checksum === 'unknown'
        ? 'SHA-256 unknown'
        : r.archiveVerified
          ? 'SHA-256 verified'
          : `SHA-256 of its ${r.verifiedMembers.length} files verified; archive SHA-256`;
  io.stdout(`${name}: ${written} (${how}: ${r.sha256})\n`);
}
