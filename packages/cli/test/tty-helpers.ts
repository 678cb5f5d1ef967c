// Runs the built CLI under a pseudo-terminal (util-linux `script`, or BSD `script` on macOS) and
// renders what it wrote through a small terminal model, so tests can assert on the final screen.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));
/** The installed bin (runs dist/; build with `npx tsc -b` first). */
export const bin = join(root, 'packages/cli/bin/graphpe.js');

const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;

/**
 * Runs `graphpe <args>` with a terminal of `columns` columns on stdin, stdout and stderr; returns
 * everything the terminal received (stdout and stderr interleaved, as a user sees them) and the exit
 * code.
 */
export function runInTerminal(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; columns?: number; cwd?: string } = {},
): { code: number | null; output: string } {
  const cmd = `stty cols ${options.columns ?? 150} rows 50 2>/dev/null; exec ${[process.execPath, bin, ...args].map(quote).join(' ')}`;
  const scriptArgs =
    process.platform === 'linux' ? ['-qfec', cmd, '/dev/null'] : ['-q', '/dev/null', 'sh', '-c', cmd];
  const r = spawnSync('script', scriptArgs, {
    encoding: 'utf8',
    env: { ...process.env, ...options.env },
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 120_000,
  });
  if (r.error) throw r.error;
  return { code: r.status, output: r.stdout };
}

/**
 * The lines left on the screen of a terminal that received `data`: printable characters overwrite
 * the cell under the cursor; handled controls are CR, LF (down one row), BS, ESC 7 / ESC 8 (save and
 * restore the cursor), CSI n A/B/C/D (cursor up/down/right/left), CSI n G (column), CSI n K (erase
 * in line), CSI J (erase below); other CSI sequences (colours, cursor visibility, wrapping modes)
 * leave the text alone. Lines do not wrap.
 */
export function renderScreen(data: string): string[] {
  const rows: string[][] = [[]];
  let row = 0;
  let col = 0;
  let saved = { row: 0, col: 0 };
  const line = () => {
    while (rows.length <= row) rows.push([]);
    return rows[row] as string[];
  };
  const chars = [...data];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] as string;
    if (c === '\r') col = 0;
    else if (c === '\n') row++;
    else if (c === '\b') col = Math.max(0, col - 1);
    else if (c === '\x1b') {
      const next = chars[i + 1];
      if (next === '7') {
        saved = { row, col };
        i++;
      } else if (next === '8') {
        ({ row, col } = saved);
        i++;
      } else if (next === '[') {
        let j = i + 2;
        let params = '';
        while (j < chars.length && /[0-9;?]/.test(chars[j] as string)) params += chars[j++];
        const final = chars[j];
        i = j;
        const n = params.startsWith('?') ? 0 : Number.parseInt(params || '0', 10);
        const l = rows[row] ?? [];
        if (final === 'A') row = Math.max(0, row - Math.max(1, n));
        else if (final === 'B') row += Math.max(1, n);
        else if (final === 'C') col += Math.max(1, n);
        else if (final === 'D') col = Math.max(0, col - Math.max(1, n));
        else if (final === 'G') col = Math.max(0, n - 1);
        else if (final === 'K') {
          if (n === 0) l.length = Math.min(l.length, col);
          else if (n === 1) for (let k = 0; k <= col && k < l.length; k++) l[k] = ' ';
          else if (n === 2) l.length = 0;
        } else if (final === 'J') {
          l.length = Math.min(l.length, col);
          rows.length = Math.min(rows.length, row + 1);
        }
      }
    } else if (c >= ' ') {
      const l = line();
      while (l.length < col) l.push(' ');
      l[col++] = c;
    }
  }
  return rows.map((r) => r.join('').trimEnd());
}
