import { readFileSync } from 'node:fs';
import { GraphpeError } from '@graphpe/spectral';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { spectrumCommand } from './commands/spectrum.js';
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
      io.stderr(`graphpe: ${err.message}\n`);
      return 2;
    }
    io.stderr(
      `graphpe: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    return 1;
  }
}
