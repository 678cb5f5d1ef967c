// The user documentation against the code it describes: the lap_canon status-code tables (README, CLI
// README, docs/examples/attach_pe.py) against CANON_STATUS_CODES, and the CLI README against the command
// tree — every command has a row and every option of it is mentioned.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createProgram } from '@graphpe/cli';
import { CANON_STATUS_CODES } from '@graphpe/encodings';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const read = (path: string) => readFileSync(join(root, path), 'utf8');

/** `| code | \`status\` |` rows of a Markdown table, as status → code. */
function markdownCodes(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^\| (\d+) \| `([a-z_]+)` \|/gm)) out[m[2]] = Number(m[1]);
  return out;
}

/** `N: "status",` entries of attach_pe.py's CANON_STATUS dict, as status → code. */
function pythonCodes(text: string): Record<string, number> {
  const dict = text.slice(
    text.indexOf('CANON_STATUS = {'),
    text.indexOf('}', text.indexOf('CANON_STATUS = {')),
  );
  const out: Record<string, number> = {};
  for (const m of dict.matchAll(/^\s+(\d+): "([a-z_]+)"/gm)) out[m[2]] = Number(m[1]);
  return out;
}

/** The `## ` section of `text` whose heading names `graphpe <name>` (else `graphpe <first word>`). */
function section(text: string, name: string): string {
  const headings = [...text.matchAll(/^## .*$/gm)];
  const find = (needle: string) => headings.find((h) => h[0].includes(needle));
  const h = find(`\`graphpe ${name}\``) ?? find(`\`graphpe ${name.split(' ')[0]}`);
  if (!h || h.index === undefined) return '';
  const next = text.indexOf('\n## ', h.index + 1);
  return text.slice(h.index, next < 0 ? undefined : next);
}

/** Leaf commands of the CLI with their full names (`datasets fetch`). */
function leaves(cmd: Command, prefix = ''): { name: string; cmd: Command }[] {
  return cmd.commands.flatMap((c) => {
    const name = `${prefix}${c.name()}`;
    return c.commands.length > 0 ? leaves(c, `${name} `) : [{ name, cmd: c }];
  });
}

describe('lap_canon status codes in the documentation', () => {
  const expected = { ...CANON_STATUS_CODES };

  it('README.md quickstart table', () => {
    expect(markdownCodes(read('README.md'))).toEqual(expected);
  });

  it('packages/cli/README.md encode table', () => {
    expect(markdownCodes(read('packages/cli/README.md'))).toEqual(expected);
  });

  it('docs/examples/attach_pe.py CANON_STATUS', () => {
    expect(pythonCodes(read('docs/examples/attach_pe.py'))).toEqual(expected);
  });
});

describe('packages/cli/README.md documents every command', () => {
  const readme = read('packages/cli/README.md');
  const start = readme.indexOf('## Behaviour common to all commands');
  const common = readme.slice(start, readme.indexOf('\n## ', start + 1));
  const commands = leaves(createProgram()).filter((c) => c.name !== 'help');

  it('finds the command tree', () => {
    expect(commands.map((c) => c.name)).toContain('datasets fetch');
    expect(commands.length).toBeGreaterThanOrEqual(11);
  });

  for (const { name, cmd } of commands) {
    it(`graphpe ${name}: a row in the command table and every option mentioned`, () => {
      expect(readme, `no row for '${name}' in the command table`).toContain(`| [\`${name}\`](#`);
      const text = section(readme, name);
      expect(text, `no '## \`graphpe ${name}\`' section`).not.toBe('');
      const missing = cmd.options
        .map((o) => o.long)
        .filter((long): long is string => long !== undefined && long !== '--help')
        .filter((long) => !new RegExp(`${long}(?![\\w-])`).test(text + common));
      expect(
        missing,
        `options of graphpe ${name} that its section of packages/cli/README.md does not mention`,
      ).toEqual([]);
    });
  }
});
