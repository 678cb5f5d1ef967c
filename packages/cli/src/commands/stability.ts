import type { Command } from 'commander';
import type { CliIo } from '../io/types.js';

/** Registers `graphpe stability` (issue 7; being written). */
export function registerStability(_program: Command, _io: CliIo): void {}
