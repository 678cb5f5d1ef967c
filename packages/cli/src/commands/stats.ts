import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheSummary, datasetInfo, loadPreparedDataset } from '@graphpe/gnn';
import { datasetStats, multiplicitySvg, sizeHistogramSvg, statsMarkdown } from '@graphpe/studies';
import { type Command, InvalidArgumentError } from 'commander';
import type { CliIo } from '../io/types.js';

/** Parsed options of `graphpe stats`. */
export interface StatsCliOptions {
  dataset: string;
  limit?: number;
  dataDir?: string;
  out?: string;
  quiet: boolean;
}

/** `graphpe stats`: size distribution, eigenvalue multiplicity and canonizability of a dataset. */
export async function statsCommand(opts: StatsCliOptions, io: CliIo): Promise<void> {
  datasetInfo(opts.dataset);
  const outDir = opts.out ?? join('results', 'stats', opts.dataset);
  const ds = await loadPreparedDataset(opts.dataset, {
    ...(opts.limit === undefined ? {} : { limit: opts.limit }),
    ...(opts.dataDir === undefined ? {} : { dataDir: opts.dataDir }),
    eigen: false,
    pe: '',
  });
  if (!opts.quiet) {
    io.stderr(
      `graphpe stats: ${ds.graphs.length} graphs of ${ds.name}${ds.fromCache ? ' (from the cache)' : ''}\n`,
    );
    const cacheLine = cacheSummary([ds]);
    if (cacheLine !== null) io.stderr(`${cacheLine}\n`);
  }
  const s = datasetStats(ds.graphs.map((g) => g.graph));
  mkdirSync(outDir, { recursive: true });
  const md = statsMarkdown(s, ds.name);
  const json = JSON.stringify(
    { dataset: ds.name, ...s },
    (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v),
    2,
  );
  writeFileSync(join(outDir, 'stats.json'), `${json}\n`);
  writeFileSync(join(outDir, 'stats.md'), md);
  writeFileSync(join(outDir, 'sizes.svg'), sizeHistogramSvg(s, ds.name));
  writeFileSync(join(outDir, 'multiplicity.svg'), multiplicitySvg(s, ds.name));
  io.stdout(`${md}\nresults in ${outDir}/ (stats.json, stats.md, sizes.svg, multiplicity.svg)\n`);
}

const intArg =
  (name: string, min: number) =>
  (value: string): number => {
    const x = Number(value);
    if (!Number.isInteger(x) || x < min)
      throw new InvalidArgumentError(`${name} must be an integer ≥ ${min}`);
    return x;
  };

/** Registers `graphpe stats` (issue 7). */
export function registerStats(program: Command, io: CliIo): void {
  program
    .command('stats')
    .description(
      'dataset statistics: size distribution, eigenvalue multiplicity, canonizability (sign, MAP/OAP basis), next to published figures',
    )
    .requiredOption('--dataset <name>', 'registered dataset (graphpe datasets list), e.g. zinc')
    .option('--limit <n>', 'only the first n molecules', intArg('--limit', 1))
    .option('--data-dir <dir>', 'datasets folder [GRAPHPE_DATA_DIR, else ~/.cache/graphpe]')
    .option('-o, --out <dir>', 'output folder [results/stats/<dataset>]')
    .option('-q, --quiet', 'no progress on stderr', false)
    .action(async (opts) => statsCommand(opts, io));
}
