// The CLI under a real (pseudo-)terminal: progress bars on the status line with log lines above
// them, final summaries intact. Runs the built CLI (`npx tsc -b` first).
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startProgress } from '../src/io/progress.js';
import { streamIo } from '../src/io/terminal.js';
import { zincFixtureDataDir } from './helpers.js';
import { renderScreen, runInTerminal } from './tty-helpers.js';

const dataDir = zincFixtureDataDir('graphpe-tty-');
const env = { GRAPHPE_CACHE_DIR: join(dataDir, 'cache'), GRAPHPE_BACKEND: undefined };
const BAR = /[█░]/;

function train(out: string, ...extra: string[]) {
  return runInTerminal(
    [
      'train',
      '--dataset',
      'zinc',
      '--data-dir',
      dataDir,
      '--epochs',
      '2',
      '--max-steps',
      '2',
      '--batch-size',
      '4',
      '--hidden',
      '8',
      '--layers',
      '1',
      '--backend',
      'cpu',
      '--out',
      out,
      ...extra,
    ],
    { env },
  );
}

describe('graphpe under a terminal', () => {
  it('renderScreen models carriage return, erase-line, cursor up and save/restore', () => {
    expect(renderScreen('abc\r\x1b[2Kxy\r\nnext\r\n')).toEqual(['xy', 'next']);
    expect(renderScreen('one\r\ntwo\r\n\x1b[1Athree')).toEqual(['one', 'three']);
    expect(renderScreen('\x1b7bar\r\nlog\r\n\x1b8\r\nsummary')).toEqual(['bar', 'summary']);
    expect(renderScreen('long line\rab\x1b[K')).toEqual(['ab']);
  });

  it('streamIo on a terminal: lines print above the bar, stop leaves its final state, nothing after', () => {
    let tty = '';
    let piped = '';
    // a terminal's line discipline turns \n into \r\n
    const term = { isTTY: true, columns: 60, write: (t: string) => (tty += t.replaceAll('\n', '\r\n')) };
    const io = streamIo({ isTTY: false, write: (t: string) => (piped += t) }, term);
    expect(io.status).toBeDefined();
    const bar = startProgress(io, 'work', 4, { intervalMs: 0 });
    bar.update(1);
    io.stderr('log one\n');
    io.stdout('{"piped": true}\n'); // stdout is not the terminal: the bar stays as it is
    bar.update(2);
    io.stderr('log ');
    io.stderr('two\n');
    bar.update(4);
    bar.stop();
    const atStop = tty;
    io.stderr('after\n');
    bar.update(3);
    bar.stop();
    expect(piped).toBe('{"piped": true}\n');
    expect(tty).toBe(`${atStop}after\r\n`);
    const screen = renderScreen(tty);
    expect(screen).toEqual([
      'log one',
      'log two',
      expect.stringMatching(/^work \[█{24}\] 100% \| 4\/4 graphs \| /),
      'after',
    ]);
    // the bar is cut to the terminal's width (a wrapped line could not be redrawn in place)
    expect(
      tty.split(/[\r\n]/).every((l) => [...l.replaceAll('\x1b[K', '').replaceAll('\x1b[2K', '')].length < 60),
    ).toBe(true);
  });

  it('train: epoch lines print above the bar, the bars end on their own lines and the summary stays', () => {
    const out = join(mkdtempSync(join(dataDir, 'run-')), 'run');
    const r = train(out);
    expect(r.code, r.output).toBe(0);
    const screen = renderScreen(r.output);
    const text = screen.join('\n');
    // each epoch line intact, on a line of its own
    for (const e of [1, 2]) {
      const lines = screen.filter((l) => l.includes(`epoch ${e}/2 `));
      expect(lines, text).toHaveLength(1);
      expect(lines[0], text).toMatch(
        new RegExp(`^epoch ${e}/2 train_loss \\S+ .* \\(best \\d, eta \\S+\\)$`),
      );
    }
    // no bar drawn into a log line
    for (const l of screen) expect(BAR.test(l) && /epoch|graphpe/.test(l), l).toBe(false);
    // each bar left in its final state, once
    expect(
      screen.filter((l) => /^train \[█{24}\] 100% \| 4\/4 steps/.test(l)),
      text,
    ).toHaveLength(1);
    expect(
      screen.filter((l) => BAR.test(l)).every((l) => / 100% \| /.test(l)),
      text,
    ).toBe(true);
    // the summary is the last thing on the screen, after the last epoch line, not overwritten
    const rest = screen
      .slice(screen.findIndex((l) => l.startsWith('epoch 2/2 ')) + 1)
      .filter((l) => l !== '');
    expect(rest[0], text).toMatch(/^train \[█+\] 100%/);
    expect(rest[1], text).toMatch(/^best epoch \d\/2: val mae \d+\.\d{4}, test mae \d+\.\d{4}$/);
    expect(rest[2], text).toMatch(/^\d+ parameters, backend cpu, .* results in /);
    expect(rest, text).toHaveLength(3);
    // tfjs's banner recommending tfjs-node is not printed on the cpu backend
    expect(r.output).not.toMatch(/looks like you are running TensorFlow\.js/);
  });

  it('train -q: only the summary reaches the terminal', () => {
    const out = join(mkdtempSync(join(dataDir, 'run-')), 'run');
    const r = train(out, '-q');
    expect(r.code, r.output).toBe(0);
    const screen = renderScreen(r.output).filter((l) => l !== '');
    expect(screen, r.output).toHaveLength(2);
    expect(screen[0]).toMatch(/^best epoch \d\/2: /);
    expect(screen[1]).toMatch(/^\d+ parameters, backend cpu, /);
  });
});
