/** @graphpe/cli — the `graphpe` command, usable in-process for tests and scripting. */

export type { EncodeCommandOptions } from './commands/encode.js';
export { encodeCommand, listInputs } from './commands/encode.js';
export type { GraphonSampleOptions } from './commands/graphon.js';
export {
  GRAPHON_NAMES,
  graphonSampleCommand,
  parseGraphonSpec,
  writeEdgeListText,
} from './commands/graphon.js';
export type { SampleCommandOptions } from './commands/sample.js';
export { readSignal, sampleCommand } from './commands/sample.js';
export type { SpectrumCommandOptions } from './commands/spectrum.js';
export { spectrumCommand, spectrumToJson } from './commands/spectrum.js';
export type { GraphMeta } from './io/arrow.js';
export { chunkToRecordBatch, writeArrowFile } from './io/arrow.js';
export type { NpyArray } from './io/npy.js';
export { encodeNpy, encodeNpyRaw } from './io/npy.js';
export { batchToNpy, encodeNpyStrings, writeNpyDir, writeNpz } from './io/npz.js';
export type { CliIo } from './io/types.js';
export { processIo } from './io/types.js';
export { createProgram, main, VERSION } from './program.js';
