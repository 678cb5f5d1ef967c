/**
 * The status line of a terminal: one line (a progress bar) kept at the bottom of stderr while log
 * lines and output scroll above it. Every write through {@link streamIo} first clears the status
 * line, prints its text, and draws the status line again below; ending the status leaves its last
 * state as an ordinary line. The cursor only moves within the current line (carriage return and
 * erase-line), never up, so nothing printed earlier is ever overwritten.
 */
import type { CliIo } from './types.js';

/** A stream the CLI writes to (`process.stdout`, `process.stderr` or a stand-in in tests). */
export interface OutStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

const CLEAR_LINE = '\r\x1b[2K';

/** The status line at the bottom of a terminal's stderr (see the module comment). */
export class StatusLine {
  private text: string | null = null;
  private drawn = false;
  /** The last text written to the terminal did not end with a newline. */
  private midLine = false;

  constructor(
    private readonly err: OutStream,
    private readonly out: OutStream,
  ) {}

  /** Writes `text` to stdout or stderr above the status line. */
  write(to: 'stdout' | 'stderr', text: string): void {
    const stream = to === 'stdout' ? this.out : this.err;
    const onTerminal = to === 'stderr' || this.out.isTTY === true;
    if (!onTerminal) {
      stream.write(text);
      return;
    }
    if (this.drawn) {
      this.err.write(CLEAR_LINE);
      this.drawn = false;
    }
    if (text.length === 0) return;
    stream.write(text);
    this.midLine = !text.endsWith('\n');
    if (this.text !== null && !this.midLine) this.draw();
  }

  /** Shows `text` as the status line (replacing the previous one). */
  show(text: string): void {
    this.text = text;
    if (!this.midLine) this.draw();
  }

  /** Leaves the current status on its own line and shows none until the next {@link show}. */
  end(): void {
    if (this.text === null) return;
    if (!this.drawn) {
      if (this.midLine) this.err.write('\n');
      this.draw();
    }
    this.err.write('\n');
    this.text = null;
    this.drawn = false;
    this.midLine = false;
  }

  private draw(): void {
    if (this.text === null) return;
    // One character short of the width: a line that fills the terminal would wrap, and the carriage
    // return of the next redraw would then only reach the start of its last row.
    const width = Math.max(20, (this.err.columns || 80) - 1); // a pseudo-terminal may report 0
    this.err.write(`\r${[...this.text].slice(0, width).join('')}\x1b[K`);
    this.drawn = true;
  }
}

/**
 * A {@link CliIo} writing to `stdout` and `stderr`; when stderr is a terminal, writes go through a
 * {@link StatusLine} so that progress bars stay below the log lines.
 */
export function streamIo(stdout: OutStream, stderr: OutStream): CliIo {
  if (stderr.isTTY !== true) {
    return { stdout: (t) => void stdout.write(t), stderr: (t) => void stderr.write(t) };
  }
  const status = new StatusLine(stderr, stdout);
  return {
    stdout: (t) => status.write('stdout', t),
    stderr: (t) => status.write('stderr', t),
    status,
  };
}
