/**
 * Progress bar with ETA on stderr (cli-progress): redrawn in place on a TTY, printed as a line every
 * few seconds otherwise (logs, CI, tests through {@link CliIo}).
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
  const tty = io.stderrStream?.isTTY === true;
  const interval = options.intervalMs ?? 2000;
  let atLineStart = true;
  // A minimal non-TTY stream (cli-progress only calls write() when isTTY is false); the empty line
  // cli-progress adds on stop() is dropped.
  const write = (s: string) => {
    if (s === '\n' && atLineStart) return true;
    io.stderr(s);
    atLineStart = s.endsWith('\n');
    return true;
  };
  const stream = tty
    ? io.stderrStream
    : ({ isTTY: false, columns: 120, write } as unknown as NodeJS.WriteStream);
  const bar = new SingleBar({
    stream,
    format: `${label} [{bar}] {percentage}% | {value}/{total} ${options.unit ?? 'graphs'} | {duration_formatted} elapsed | ETA {eta_formatted}`,
    barCompleteChar: '█',
    barIncompleteChar: '░',
    barsize: 24,
    hideCursor: tty,
    noTTYOutput: true,
    notTTYSchedule: interval,
    etaBuffer: 50,
    fps: 5,
    gracefulExit: false, // true swallows the first SIGINT/SIGTERM while a bar shows (a long run would not stop)
  });
  // cli-progress redraws a non-TTY bar only from a timer, which never fires while a synchronous loop
  // (the stability audit, spectra of a dataset) holds the event loop; so print from update() too.
  let lastLine = Date.now();
  bar.on('redraw-post', () => {
    lastLine = Date.now();
  });
  bar.start(total, 0);
  let stopped = false;
  return {
    update: (done) => {
      if (stopped) return;
      bar.update(done);
      if (!tty && Date.now() - lastLine >= interval) bar.render();
    },
    stop: () => {
      if (stopped) return;
      stopped = true;
      bar.stop();
    },
  };
}
