/**
 * Progress bar with ETA on stderr (cli-progress formats it): on a terminal it is drawn on the
 * terminal's status line ({@link StatusLine}: log lines print above it, its final state stays as a
 * line of its own), otherwise it is printed as a line every few seconds (logs, CI, tests through
 * {@link CliIo}).
 */
import { SingleBar } from 'cli-progress';
import type { CliIo } from './types.js';

/** A started progress bar. */
export interface Progress {
  update(done: number): void;
  stop(): void;
}

const SILENT: Progress = { update: () => {}, stop: () => {} };

/** Start a bar `label [████░░] 42% | 1234/5000 graphs | 3.1 s elapsed | ETA 4s` (a no-op when `quiet`). */
export function startProgress(
  io: CliIo,
  label: string,
  total: number,
  options: { quiet?: boolean; unit?: string; intervalMs?: number } = {},
): Progress {
  if (options.quiet || total <= 0) return SILENT;
  const status = io.status;
  const interval = options.intervalMs ?? (status ? 200 : 2000);
  let stopped = false;
  // cli-progress only formats: it is given a non-TTY stream, so it never moves the cursor itself
  // (its TTY mode saves and restores the cursor position, which overwrites lines printed meanwhile),
  // and each rendering arrives as one line. On a terminal that line goes to the status line;
  // otherwise it is printed, without the empty line cli-progress adds on stop().
  let pending = '';
  let atLineStart = true;
  const write = (s: string) => {
    if (status) {
      pending += s;
      for (let i = pending.indexOf('\n'); i >= 0; i = pending.indexOf('\n')) {
        const line = pending.slice(0, i);
        pending = pending.slice(i + 1);
        if (line.length > 0 && !stopped) status.show(line);
      }
      return true;
    }
    if (s === '\n' && atLineStart) return true;
    io.stderr(s);
    atLineStart = s.endsWith('\n');
    return true;
  };
  const stream = { isTTY: false, columns: status ? 1000 : 120, write } as unknown as NodeJS.WriteStream;
  const bar = new SingleBar({
    stream,
    format: `${label} [{bar}] {percentage}% | {value}/{total} ${options.unit ?? 'graphs'} | {duration_formatted} elapsed | ETA {eta_formatted}`,
    barCompleteChar: '█',
    barIncompleteChar: '░',
    barsize: 24,
    noTTYOutput: true,
    notTTYSchedule: interval,
    etaBuffer: 50,
    gracefulExit: false, // true swallows the first SIGINT/SIGTERM while a bar shows (a long run would not stop)
  });
  // cli-progress redraws a non-TTY bar only from a timer, which never fires while a synchronous loop
  // (the stability audit, spectra of a dataset) holds the event loop; so print from update() too.
  let lastLine = Date.now();
  bar.on('redraw-post', () => {
    lastLine = Date.now();
  });
  bar.start(total, 0);
  return {
    update: (done) => {
      if (stopped) return;
      bar.update(done);
      if (Date.now() - lastLine >= interval) bar.render();
    },
    stop: () => {
      if (stopped) return;
      bar.stop(); // renders the final state
      stopped = true;
      status?.end();
    },
  };
}
