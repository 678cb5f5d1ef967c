/** @graphpe/cli — the `graphpe` command, usable in-process for tests and scripting. */

export type { SpectrumCommandOptions } from './commands/spectrum.js';
export { spectrumCommand, spectrumToJson } from './commands/spectrum.js';
export type { NpyArray } from './io/npy.js';
export { encodeNpy } from './io/npy.js';
export type { CliIo } from './io/types.js';
export { processIo } from './io/types.js';
export { createProgram, main, VERSION } from './program.js';
