import { readFileSync } from 'node:fs';
import { GraphpeError } from '@graphpe/spectral';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { registerBenchOod } from './commands/bench-ood.js';
import { datasetsFetchCommand, datasetsListCommand } from './commands/datasets.js';
import { encodeCommand } from './commands/encode.js';
import { GRAPHON_NAMES, graphonSampleCommand } from './commands/graphon.js';
import { sampleCommand } from './commands/sample.js';
import { spectrumCommand } from './commands/spectrum.js';
import { registerStability } from './commands/stability.js';
import { registerStats } from './commands/stats.js';
import { evalCommand, METRIC_CHOICES, TRAIN_PES, trainCommand } from './commands/train.js';
import { type CliIo, processIo } from './io/types.js';

/** The CLI's version, read from its package.json. */
export const VERSION: string = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
).version;

const intArg =
  (name: string, min: number) =>
  (value: string): number => {
    const x = Number(value);
    if (!Number.isInteger(x) || x < min)
      throw new InvalidArgumentError(`${name} must be an integer ≥ ${min}`);
    return x;
  };
const positiveArg = (value: string): number => {
  const x = Number(value);
  if (!(x > 0) || !Number.isFinite(x)) throw new InvalidArgumentError('must be a positive number');
  return x;
};

/** Build the `graphpe` command tree (commander), writing through `io`. */
export function createProgram(io: CliIo = processIo): Command {
  const program = new Command('graphpe')
    .description(
      'Graph positional encodings: Laplacian spectra, fixed and learned PEs, graphon sampling, molecular GNNs.',
    )
    .version(VERSION, '-v, --version')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride()
    .showHelpAfterError('(run graphpe --help for usage)');
  program
    .command('spectrum')
    .description(
      'eigenvalues, eigenvectors and eigenspace groups of a graph Laplacian (edge list: "u v [w]" lines)',
    )
    .argument(
      '<edge-list>',
      'edge-list file (whitespace or CSV "u v [w]", # comments, .gz ok); node ids 0-based',
    )
    .option(
      '-k, --k <k>',
      'number of eigenpairs, smallest first (trivial one included)',
      intArg('--k', 1),
      16,
    )
    .addOption(new Option('--laplacian <kind>', 'Laplacian').choices(['sym', 'rw', 'comb']).default('sym'))
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'npy']).default('json'))
    .option('-o, --out <path>', 'output file (json; default stdout) or directory (npy)')
    .addOption(
      new Option('--pad <mode>', 'padding when n < k').choices(['zero', 'nan', 'none']).default('zero'),
    )
    .addOption(
      new Option('--sign <convention>', 'deterministic sign convention (reproducibility, not invariance)')
        .choices(['none', 'max-abs-positive'])
        .default('none'),
    )
    .addOption(
      new Option('--solver <solver>', 'eigensolver').choices(['auto', 'dense', 'sparse']).default('auto'),
    )
    .option('--tol <tol>', 'sparse solver residual tolerance', positiveArg)
    .option('--seed <seed>', 'seed of the sparse solver', intArg('--seed', 0), 0)
    .addOption(new Option('--duplicates <policy>', 'repeated edges').choices(['sum', 'error']).default('sum'))
    .addOption(
      new Option('--self-loops <policy>', 'self-loops in the input')
        .choices(['keep', 'drop'])
        .default('keep'),
    )
    .option('-q, --quiet', 'no progress or summary on stderr', false)
    .action(async (file: string, opts) => spectrumCommand(file, opts, io));
  program
    .command('encode')
    .description(
      'positional encodings (LapPE, RWSE, heat kernel, projectors, canonization) of many graphs → Arrow / NPZ / NPY',
    )
    .argument(
      '<input>',
      'an edge-list file ("u v [w]" lines, .gz ok), a folder of them (one graph per file, sorted by name), a SMILES CSV (.csv/.csv.gz, see --smiles-col) or a registered molecular dataset name (graphpe datasets list)',
    )
    .requiredOption(
      '--pe <spec>',
      'PE pipeline, comma-separated items with ":"-separated options, e.g. lap:k=16,rwse:steps=20,canon:oap. Items: lap (k, laplacian=sym|rw|comb, drop, pad=zero|nan, eigenvalues=true|false|per-node, presets pyg|graphgps|spe), rwse (steps), hk (steps | times=1/2/4), proj (k, laplacian), canon (oap|oap-diag|map|none, reference|descending); every item takes name= and dtype=',
    )
    .option('-o, --out <file>', 'output file (arrow, npz) or folder (npy)')
    .addOption(
      new Option(
        '--format <format>',
        'output format [default: from the --out extension: .npz → npz, .arrow/.feather/.ipc → arrow]',
      ).choices(['arrow', 'npz', 'npy']),
    )
    .option(
      '--workers <n>',
      'threads that encode: 1 = the main thread only, n ≥ 2 = the main thread and n − 1 worker threads',
      intArg('--workers', 1),
      1,
    )
    .option('-k, --k <k>', 'k of lap/proj items that do not set k=', intArg('--k', 1), 16)
    .addOption(
      new Option('--dtype <dtype>', 'float type of items that do not set dtype=')
        .choices(['float32', 'float64'])
        .default('float32'),
    )
    .option(
      '--chunk-size <n>',
      'graphs per chunk (Arrow record batch, worker task)',
      intArg('--chunk-size', 1),
      256,
    )
    .addOption(new Option('--duplicates <policy>', 'repeated edges').choices(['sum', 'error']).default('sum'))
    .addOption(
      new Option('--self-loops <policy>', 'self-loops in the input')
        .choices(['keep', 'drop'])
        .default('keep'),
    )
    .option('--smiles-col <name>', 'SMILES CSV input: the SMILES column', 'smiles')
    .addOption(
      new Option('--featurizer <name>', 'molecule input: RDKit-js featurizer').choices(['ogb', 'zinc']),
    )
    .addOption(
      new Option('--on-invalid <policy>', 'molecule input: invalid SMILES')
        .choices(['error', 'skip'])
        .default('error'),
    )
    .option('--data-dir <dir>', 'molecule input: datasets folder [GRAPHPE_DATA_DIR, else ~/.cache/graphpe]')
    .option('-q, --quiet', 'no progress bar or summary on stderr', false)
    .addHelpText(
      'after',
      `
Output (Arrow, one row per graph): graph_id, name, n, num_edges, and per PE output <name> (list of
float32/float64, row-major), <name>_shape (its shape) and <name>_mask. In Python:
  import pyarrow as pa, numpy as np
  t = pa.ipc.open_file("out.arrow").read_all()
  lap = np.asarray(t["lap_vec"].combine_chunks().values).reshape(-1, 16)  # all nodes, PyG-style
  ptr = np.concatenate([[0], np.cumsum(t["n"].to_numpy())])             # graph b: lap[ptr[b]:ptr[b+1]]
NPZ/NPY: np.load("out.npz") → n, ptr, name, lap_vec [Σn, k], lap_val [G, k], lap_vec_mask [G, k], rwse [Σn, steps], …`,
    )
    .action(async (input: string, opts) => encodeCommand(input, opts, io));
  program
    .command('graphon')
    .description('graphons: sample graphs G(n, ρW)')
    .command('sample')
    .description('draw G(n, ρW) from a library graphon and write it as an edge list ("u v" lines)')
    .requiredOption(
      '--graphon <spec>',
      `graphon: sbm:sizes=0.5,0.5:p=0.8,0.1,0.1,0.8 (K sizes, K×K probabilities), planted:k=3:p=0.5:q=0.1, or one of ${GRAPHON_NAMES.join(', ')}`,
    )
    .requiredOption('--n <n>', 'number of nodes', intArg('--n', 1))
    .requiredOption('-o, --out <file>', 'output edge list')
    .option('--seed <seed>', 'seed', intArg('--seed', 0), 0)
    .option('--rho <rho>', 'sparsity ρ ∈ (0, 1]: edge probability ρW', positiveArg, 1)
    .addOption(
      new Option('--latent <mode>', 'latent positions').choices(['uniform', 'grid']).default('uniform'),
    )
    .option('--latent-out <file>', 'also write the latent positions, one per line in node order')
    .option(
      '--max-edges <m>',
      'refuse samples with more expected (or drawn) edges than m (≈ 48 bytes each; at most 2^30 − 1)',
      intArg('--max-edges', 1),
      500000000,
    )
    .option('-q, --quiet', 'no summary on stderr', false)
    .action(async (opts) => graphonSampleCommand(opts, io));
  program
    .command('sample')
    .description(
      'select a sampling set for bandlimited signals (GE, QR, spectral proxies, intervals, random) and report cond(U_K[S,:]) and the reconstruction error',
    )
    .argument('<edge-list>', 'edge-list file ("u v [w]" lines, .gz ok); node ids 0-based')
    .addOption(
      new Option('--method <method>', 'selection method')
        .choices(['ge', 'qr', 'proxy', 'intervals', 'random'])
        .default('ge'),
    )
    .option(
      '-k, --k <k>',
      'bandwidth K (U_K = K smallest L_sym eigenvectors); ge/qr select K nodes, proxy/random k',
      intArg('--k', 1),
      32,
    )
    .option(
      '--lambda <lambda>',
      'bandwidth λ instead of K: K = #{λ_i ≤ λ}; proxy/intervals stop once Ω > λ',
      positiveArg,
    )
    .option('--seed <seed>', 'seed (solver, random sets, random signal)', intArg('--seed', 0), 0)
    .option('--signal <file>', 'signal, one number per line (n lines) [a seeded random bandlimited signal]')
    .option(
      '--n <n>',
      'number of nodes, when the highest ids are isolated (absent from the edge list)',
      intArg('--n', 1),
    )
    .option('--q <q>', 'intervals: number of intervals', intArg('--q', 1), 20)
    .option('--p <p>', 'intervals: intervals selected', intArg('--p', 1), 10)
    .option('--r <r>', 'intervals: nodes drawn per selected interval', intArg('--r', 1), 20)
    .option(
      '--order <order>',
      'proxy/intervals: spectral-proxy order [proxy 2, intervals 5]',
      intArg('--order', 1),
    )
    .addOption(
      new Option('--node-order <order>', 'intervals: node order (id = latent order of graphon samples)')
        .choices(['id', 'degree'])
        .default('id'),
    )
    .option('-o, --out <file>', 'output JSON (default stdout)')
    .option('-q, --quiet', 'no summary on stderr', false)
    .action(async (file: string, opts) => sampleCommand(file, opts, io));
  program
    .command('train')
    .description(
      'train a GINE model with a positional encoding on a molecular dataset (test metric at the best validation epoch)',
    )
    .requiredOption(
      '--dataset <name>',
      'registered dataset (graphpe datasets list), e.g. zinc, ogbg-molbbbp, drugood-ec50-scaffold',
    )
    .addOption(new Option('--pe <pe>', 'positional encoding').choices([...TRAIN_PES]).default('none'))
    .requiredOption('--epochs <n>', 'epochs (budgets are explicit)', intArg('--epochs', 1))
    .addOption(
      new Option('--split <split>', 'split')
        .choices(['official', 'random', 'scaffold', 'size'])
        .default('official'),
    )
    .option('-k, --k <k>', 'eigenpairs for lap / learned PEs [all: the largest molecule]', intArg('--k', 1))
    .option('--rwse-steps <n>', 'RWSE steps', intArg('--rwse-steps', 1), 20)
    .option('--no-basis-invariant', 'allow --pe spe/basisnet with a --k that may split eigenspaces')
    .option('--batch-size <n>', 'batch size', intArg('--batch-size', 1), 128)
    .option('--lr <lr>', 'peak learning rate (Adam, 100-step warm-up, linear decay)', positiveArg, 1e-3)
    .option('--hidden <n>', 'hidden width', intArg('--hidden', 1), 128)
    .option('--layers <n>', 'GINE layers', intArg('--layers', 1), 4)
    .option('--max-steps <n>', 'cap on optimizer steps per epoch (small budgets)', intArg('--max-steps', 1))
    .option('--limit <n>', 'only the first n molecules (small budgets)', intArg('--limit', 1))
    .option('--patience <n>', 'early stopping after n epochs without improvement', intArg('--patience', 1))
    .addOption(
      new Option(
        '--metric <name>',
        "model-selection metric (best checkpoint, early stopping), reported first: mae or rmse for regression, rocauc for classification [the dataset's official metric, as in graphpe datasets list]",
      ).choices([...METRIC_CHOICES]),
    )
    .option(
      '--json',
      'one JSON summary on stdout (dataset, split, metric, best epoch, n and metrics per set, output folder, timings); the human summary goes to stderr (none with -q)',
      false,
    )
    .option('--seed <seed>', 'seed (init, shuffling, sign flips, random splits)', intArg('--seed', 0), 0)
    .option('--spe-m <m>', 'SPE: number of φ channels m', intArg('--spe-m', 1))
    .option('--spe-rho-layers <n>', 'SPE: GIN layers of ρ', intArg('--spe-rho-layers', 1))
    .option(
      '--pe-hidden <n>',
      'hidden width of the learned PE encoder (SPE ρ, SignNet, BasisNet)',
      intArg('--pe-hidden', 1),
    )
    .option(
      '--backend <backend>',
      'tfjs backend: auto, wasm, cpu, tfjs-node, tfjs-node-gpu, webgpu [GRAPHPE_BACKEND or auto]',
    )
    .option('-o, --out <dir>', 'output folder [runs/<dataset>-<pe>-s<seed>]')
    .option('--resume', 'continue from <out>/last when it exists', false)
    .option('--data-dir <dir>', 'datasets folder [GRAPHPE_DATA_DIR, else ~/.cache/graphpe]')
    .option('--workers <n>', 'worker threads for preprocessing', intArg('--workers', 1))
    .option(
      '--train-workers <n>',
      'data-parallel training replicas on worker threads (fixed PEs none/lap/rwse; same result up to float32 summation order)',
      intArg('--train-workers', 1),
    )
    .option('-q, --quiet', 'no progress or per-epoch lines on stderr', false)
    .action(async (opts) => trainCommand(opts, io));
  program
    .command('eval')
    .description('metrics of a saved checkpoint (a folder with model.json) on dataset splits')
    .argument('<checkpoint>', 'checkpoint folder, e.g. runs/zinc-spe-s0/best')
    .requiredOption('--dataset <name>', 'registered dataset')
    .addOption(
      new Option('--split <split>', 'split')
        .choices(['official', 'random', 'scaffold', 'size'])
        .default('official'),
    )
    .option('--on <sets>', 'comma-separated sets to evaluate, or all', 'all')
    .option(
      '--limit <n>',
      'about n molecules: the first rows of every split in proportion to its size, as train --limit',
      intArg('--limit', 1),
    )
    .option('--batch-size <n>', 'batch size', intArg('--batch-size', 1), 256)
    .option('--seed <seed>', 'seed of random splits', intArg('--seed', 0), 0)
    .addOption(
      new Option(
        '--metric <name>',
        "metric reported first: mae or rmse for regression, rocauc for classification [the checkpoint's selection metric, else the dataset's official one]",
      ).choices([...METRIC_CHOICES]),
    )
    .option(
      '--json',
      'one JSON document on stdout (checkpoint, dataset, split, metric, n and metrics per set, timings); the human lines go to stderr (none with -q)',
      false,
    )
    .option('--backend <backend>', 'tfjs backend')
    .option('--data-dir <dir>', 'datasets folder')
    .option('-q, --quiet', 'no backend line on stderr', false)
    .action(async (checkpoint: string, opts) => evalCommand(checkpoint, opts, io));
  const datasets = program.command('datasets').description('molecular datasets: list, fetch');
  datasets
    .command('list')
    .description(
      'registered datasets, their task and metric, and whether their files are in the data directory',
    )
    .option('--data-dir <dir>', 'datasets folder [GRAPHPE_DATA_DIR, else ~/.cache/graphpe]')
    .option('--json', 'JSON output', false)
    .option('-q, --quiet', 'nothing on stderr (the list goes to stdout)', false)
    .action((opts) => datasetsListCommand(opts, io));
  datasets
    .command('fetch')
    .description(
      "download a dataset's public originals into the data directory, checked: OGB's MoleculeNet zips, or ZINC's SMILES, subset indices and stored targets joined into the CSV the loader reads",
    )
    .argument('<name>', 'dataset name, e.g. ogbg-molbbbp, zinc, zinc-full')
    .option('--data-dir <dir>', 'datasets folder')
    .option(
      '--url <url>',
      'download from a mirror: for an OGB dataset the address of the zip; for zinc and zinc-full the base address of a folder holding train.csv.gz, valid.csv.gz, test.csv.gz, molecules.zip (and train.index, val.index, test.index for zinc)',
    )
    .option(
      '--sha256 <hex>',
      "the OGB archive's expected SHA-256 (64 hex digits), checked instead of the registry's checksums",
    )
    .option('--no-verify', 'skip the SHA-256 checks (the files themselves are still checked)')
    .option('-q, --quiet', 'no download lines on stderr (warnings about unknown checksums stay)', false)
    .action(async (name: string, opts) => datasetsFetchCommand(name, opts, io));
  registerBenchOod(program, io);
  registerStability(program, io);
  registerStats(program, io);
  return program;
}

/** Run the CLI on `argv` (without node and script), returning the exit code: 0 ok, 2 bad input/usage, 1 bug. */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const program = createProgram(io);
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof GraphpeError) {
      // Messages of the commands already start with 'graphpe <command>:'; library messages get the prefix.
      const text = err.message.startsWith('graphpe ') ? err.message : `graphpe: ${err.message}`;
      io.stderr(`${text}\n`);
      return 2;
    }
    io.stderr(
      `graphpe: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    return 1;
  }
}
