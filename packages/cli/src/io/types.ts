/** Where the CLI writes: injected so commands can be tested in-process. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /**
   * The stream behind `stderr` when it is a real one (a progress bar redraws in place on a TTY);
   * without it, progress is printed as plain lines through `stderr`.
   */
  stderrStream?: NodeJS.WriteStream;
}

/** The process's own streams. */
export const processIo: CliIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  stderrStream: process.stderr,
};
