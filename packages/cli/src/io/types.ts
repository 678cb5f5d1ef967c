import { type StatusLine, streamIo } from './terminal.js';

/** Where the CLI writes: injected so commands can be tested in-process. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /**
   * The status line of the terminal behind `stderr`, when it is one: a progress bar is drawn there,
   * below what `stdout` and `stderr` print. Without it, progress is printed as plain lines.
   */
  status?: StatusLine;
}

/** The process's own streams. */
export const processIo: CliIo = streamIo(process.stdout, process.stderr);
