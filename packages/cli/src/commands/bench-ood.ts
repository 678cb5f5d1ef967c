import type { Command } from 'commander';
import type { CliIo } from '../io/types.js';

/** Registers `graphpe bench ood` (issue 7; being written). */
export function registerBenchOod(_program: Command, _io: CliIo): void {}
