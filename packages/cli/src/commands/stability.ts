import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { initBackend } from '@graphpe/encodings/learned';
import { cacheSummary, datasetInfo, GraphModel, loadPreparedDataset } from '@graphpe/gnn';
import { GraphpeError } from '@graphpe/spectral';
import {
  changeVsEditsSvg,
  changeVsGapSvg,
  columnChangeVsGapSvg,
  type EditKind,
  reproductionVerdict,
  STABILITY_PES,
  type StabilityPe,
  stabilityAudit,
  stabilityMarkdown,
  summarizeStability,
  type TrainedEncoder,
} from '@graphpe/studies';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { startProgress } from '../io/progress.js';
import type { CliIo } from '../io/types.js';

const WHERE = 'graphpe stability';

/** Parsed options of `graphpe stability`. */
export interface StabilityCliOptions {
  dataset: string;
  limit?: number;
  edits: string;
  pe: string;
  kinds: string;
  reweight: number;
  keepConnected: boolean;
  relabel: boolean;
  k: number;
  rwseSteps: number;
  learnedLimit?: number;
  threshold: number;
  seed: number;
  checkpoint?: string;
  backend?: string;
  dataDir?: string;
  out?: string;
  quiet: boolean;
}

/** `1..5`, `1,2,4` or `3` → sorted distinct integers ≥ 1. */
export function parseEdits(text: string): number[] {
  const t = text.trim();
  const range = /^(\d+)\s*\.\.\s*(\d+)$/.exec(t);
  let out: number[];
  if (range) {
    const a = Number(range[1]);
    const b = Number(range[2]);
    if (b < a || b - a > 100) throw bad(`--edits ${text}: a range a..b needs a ≤ b (at most 100 values)`);
    out = Array.from({ length: b - a + 1 }, (_, i) => a + i);
  } else {
    out = t.split(',').map((s) => Number(s.trim()));
  }
  if (out.length === 0 || out.some((e) => !Number.isInteger(e) || e < 1))
    throw bad(`--edits ${text}: expected integers ≥ 1 as a list (1,2,3) or a range (1..5)`);
  return [...new Set(out)].sort((a, b) => a - b);
}

function bad(message: string): GraphpeError {
  return new GraphpeError('E_OPTION', `${WHERE}: ${message}`);
}

function parseList<T extends string>(text: string, allowed: readonly T[], flag: string): T[] {
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.length === 0) throw bad(`${flag} is empty`);
  for (const it of items) {
    if (!(allowed as readonly string[]).includes(it))
      throw bad(`${flag}: unknown value '${it}' (allowed: ${allowed.join(', ')})`);
  }
  return [...new Set(items)] as T[];
}

/** A checkpoint's learned PE encoder as a {@link TrainedEncoder}. */
async function loadTrained(dir: string): Promise<{ encoder: TrainedEncoder; dispose: () => void }> {
  const model = await GraphModel.load(dir);
  const pe = String(model.config.pe);
  if (!model.peEncoder || !['spe', 'signnet', 'basisnet'].includes(pe)) {
    model.dispose();
    throw bad(
      `--checkpoint ${dir}: the model's PE is '${pe}'; only checkpoints with a learned eigenvector encoder (spe, signnet, basisnet) can be audited`,
    );
  }
  const layer = model.peEncoder;
  return {
    encoder: {
      name: `${pe}@checkpoint`,
      layer,
      eigK: model.config.eigK,
      fixedK: (layer as unknown as { rho?: string }).rho === 'mlp',
    },
    dispose: () => model.dispose(),
  };
}

/** `graphpe stability`: the PE stability audit on a registered dataset; JSON, Markdown and SVGs under --out. */
export async function stabilityCommand(opts: StabilityCliOptions, io: CliIo): Promise<void> {
  datasetInfo(opts.dataset);
  const edits = parseEdits(opts.edits);
  const pes = parseList<StabilityPe>(opts.pe, STABILITY_PES, '--pe');
  const kinds = parseList<EditKind>(opts.kinds, ['delete', 'add', 'reweight'], '--kinds');
  if (!(opts.reweight > 0 && opts.reweight !== 1)) throw bad('--reweight must be > 0 and ≠ 1');
  if (!(opts.threshold > 0)) throw bad('--threshold must be > 0');
  const outDir = opts.out ?? join('results', 'stability', opts.dataset);
  const learned = pes.includes('spe') || pes.includes('signnet') || opts.checkpoint !== undefined;
  if (learned) {
    await initBackend({
      ...(opts.backend === undefined ? {} : { backend: opts.backend }),
      log: opts.quiet ? null : (line) => io.stderr(`${line}\n`),
    });
  }
  let trained: { encoder: TrainedEncoder; dispose: () => void } | undefined;
  if (opts.checkpoint !== undefined) trained = await loadTrained(opts.checkpoint);
  try {
    const t0 = performance.now();
    const ds = await loadPreparedDataset(opts.dataset, {
      ...(opts.limit === undefined ? {} : { limit: opts.limit }),
      ...(opts.dataDir === undefined ? {} : { dataDir: opts.dataDir }),
      eigen: false,
      pe: '',
    });
    const graphs = ds.graphs.map((g) => g.graph);
    if (!opts.quiet) {
      io.stderr(
        `${WHERE}: ${graphs.length} graphs of ${ds.name}${ds.fromCache ? ' (from the cache)' : ''}\n`,
      );
      const cacheLine = cacheSummary([ds]);
      if (cacheLine !== null) io.stderr(`${cacheLine}\n`);
    }
    const bar = startProgress(io, 'stability', graphs.length, { quiet: opts.quiet });
    let res: ReturnType<typeof stabilityAudit>;
    try {
      res = stabilityAudit(graphs, {
        pes,
        edits,
        kinds,
        relabel: opts.relabel,
        keepConnected: opts.keepConnected,
        reweightFactor: opts.reweight,
        seed: opts.seed,
        k: opts.k,
        rwseSteps: opts.rwseSteps,
        ...(opts.learnedLimit === undefined ? {} : { learnedLimit: opts.learnedLimit }),
        ...(trained ? { trained: [trained.encoder] } : {}),
        onProgress: (done) => bar.update(done),
      });
    } finally {
      bar.stop();
    }
    const seconds = (performance.now() - t0) / 1000;
    const summary = summarizeStability(res, opts.threshold);
    mkdirSync(outDir, { recursive: true });
    const meta = { dataset: ds.name, seconds };
    writeFileSync(
      join(outDir, 'result.json'),
      `${JSON.stringify({ dataset: ds.name, checkpoint: opts.checkpoint ?? null, seconds, summary }, jsonSafe, 2)}\n`,
    );
    writeFileSync(
      join(outDir, 'records.jsonl'),
      `${res.records.map((r) => JSON.stringify(r, jsonSafe)).join('\n')}\n`,
    );
    writeFileSync(join(outDir, 'summary.md'), stabilityMarkdown(summary, meta));
    for (const kind of kinds)
      writeFileSync(join(outDir, `change-vs-edits-${kind}.svg`), changeVsEditsSvg(summary, kind));
    const scatterKeys = res.keys.filter((k) => k !== 'lap:raw' && k !== 'lap+oap:canon');
    const regimes: [string, string[]][] = [];
    if (kinds.includes('delete') || kinds.includes('add')) regimes.push(['flip', ['delete', 'add']]);
    if (kinds.includes('reweight')) regimes.push(['reweight', ['reweight']]);
    for (const [name, ks] of regimes) {
      writeFileSync(join(outDir, `change-vs-gap-${name}.svg`), changeVsGapSvg(res, scatterKeys, ks));
      if (pes.includes('lap'))
        writeFileSync(join(outDir, `column-change-vs-gap-${name}.svg`), columnChangeVsGapSvg(res, ks));
    }
    io.stdout(
      `${[
        `${WHERE}: ${res.graphs} graphs of ${ds.name} (${res.learnedGraphs} through learned encoders), ${res.records.length} perturbed copies, ${seconds.toFixed(1)} s`,
        ...reproductionVerdict(summary),
        `results in ${outDir}/ (result.json, records.jsonl, summary.md, change-vs-edits-*.svg, change-vs-gap-*.svg, column-change-vs-gap-*.svg)`,
      ].join('\n')}\n`,
    );
  } finally {
    trained?.dispose();
  }
}

/** JSON replacer: non-finite numbers become null (Infinity gaps of tiny graphs, NaN shares). */
function jsonSafe(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}

const intArg =
  (name: string, min: number) =>
  (value: string): number => {
    const x = Number(value);
    if (!Number.isInteger(x) || x < min)
      throw new InvalidArgumentError(`${name} must be an integer ≥ ${min}`);
    return x;
  };

/** Registers `graphpe stability` (issue 7). */
export function registerStability(program: Command, io: CliIo): void {
  program
    .command('stability')
    .description(
      "PE stability audit: perturb each graph (delete/add e edges, relabel nodes) and measure each PE's change (raw and after sign/basis alignment) against ‖L − L′‖ and the eigengap",
    )
    .requiredOption('--dataset <name>', 'registered dataset (graphpe datasets list), e.g. zinc')
    .option('--limit <n>', 'only the first n molecules', intArg('--limit', 1))
    .option('--edits <list>', 'perturbation sizes e: a range 1..5 or a list 1,2,3', '1..5')
    .option('--pe <list>', `PEs, comma-separated (${STABILITY_PES.join(', ')})`, STABILITY_PES.join(','))
    .option(
      '--kinds <list>',
      'edit kinds: delete, add (edge flips), reweight (multiply e edge weights by --reweight: a small, continuous perturbation)',
      'delete,add',
    )
    .addOption(
      new Option('--reweight <factor>', 'weight factor of reweight edits')
        .default(0.9)
        .argParser((v: string) => {
          const x = Number(v);
          if (!(x > 0) || !Number.isFinite(x)) throw new InvalidArgumentError('must be a positive number');
          return x;
        }),
    )
    .option('--no-keep-connected', 'allow deletions that disconnect the graph')
    .option('--no-relabel', 'skip the node relabelling check')
    .option('-k, --k <k>', 'LapPE columns (after the trivial eigenvector)', intArg('--k', 1), 8)
    .option('--rwse-steps <n>', 'RWSE steps', intArg('--rwse-steps', 1), 16)
    .option(
      '--learned-limit <n>',
      'only the first n graphs go through the learned encoders (signnet, spe, checkpoint)',
      intArg('--learned-limit', 1),
    )
    .addOption(
      new Option('--threshold <x>', 'single-edge-flip instability threshold on sign-aligned LapPE')
        .default(0.5)
        .argParser((v: string) => {
          const x = Number(v);
          if (!(x > 0) || !Number.isFinite(x)) throw new InvalidArgumentError('must be a positive number');
          return x;
        }),
    )
    .option(
      '--seed <seed>',
      'seed of perturbations, relabellings and random-init encoders',
      intArg('--seed', 0),
      0,
    )
    .option('--checkpoint <dir>', 'also audit the PE encoder of a trained model (graphpe train …/best)')
    .option('--backend <backend>', 'tfjs backend for the learned encoders [GRAPHPE_BACKEND or auto]')
    .option('--data-dir <dir>', 'datasets folder [GRAPHPE_DATA_DIR, else ~/.cache/graphpe]')
    .option('-o, --out <dir>', 'output folder [results/stability/<dataset>]')
    .option('-q, --quiet', 'no progress on stderr', false)
    .action(async (opts) => stabilityCommand(opts, io));
}
