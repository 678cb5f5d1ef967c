import type { Command } from 'commander';
import type { CliIo } from '../io/types.js';

/** Registers `graphpe stats` (issue 7; being written). */
export function registerStats(_program: Command, _io: CliIo): void {}
