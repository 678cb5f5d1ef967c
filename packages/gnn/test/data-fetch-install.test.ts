import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { install } from '../src/data/fetch-io.js';

const enc = (s: string) => new TextEncoder().encode(s);

function existing(): { dataDir: string; root: string } {
  const dataDir = mkdtempSync(join(tmpdir(), 'graphpe-install-'));
  const root = join(dataDir, 'ds');
  mkdirSync(join(root, 'split'), { recursive: true });
  writeFileSync(join(root, 'a.txt'), 'old a');
  writeFileSync(join(root, 'split', 'b.txt'), 'old b');
  writeFileSync(join(root, 'mine.txt'), 'user file');
  return { dataDir, root };
}

const files = () =>
  new Map([
    ['a.txt', enc('new a')],
    ['split/b.txt', enc('new b')],
  ]);

describe('install into an existing dataset folder', () => {
  it('replaces all files and leaves no set-aside copies or temporary folder', () => {
    const { dataDir, root } = existing();
    install(files(), dataDir, root, 'test', () => {});
    expect(readFileSync(join(root, 'a.txt'), 'utf8')).toBe('new a');
    expect(readFileSync(join(root, 'split', 'b.txt'), 'utf8')).toBe('new b');
    expect(readFileSync(join(root, 'mine.txt'), 'utf8')).toBe('user file');
    expect(readdirSync(root).sort()).toEqual(['a.txt', 'mine.txt', 'split']);
    expect(readdirSync(join(root, 'split'))).toEqual(['b.txt']);
    expect(readdirSync(dataDir)).toEqual(['ds']);
  });

  it('is all or nothing: a move failing half-way puts every replaced file back', () => {
    const { dataDir, root } = existing();
    // The check removes the second file from the temporary folder, so its move fails after the first.
    expect(() =>
      install(files(), dataDir, root, 'test', (tmp) => rmSync(join(tmp, 'split', 'b.txt'))),
    ).toThrow();
    expect(readFileSync(join(root, 'a.txt'), 'utf8')).toBe('old a');
    expect(readFileSync(join(root, 'split', 'b.txt'), 'utf8')).toBe('old b');
    expect(readdirSync(root).sort()).toEqual(['a.txt', 'mine.txt', 'split']);
    expect(readdirSync(join(root, 'split'))).toEqual(['b.txt']);
    expect(readdirSync(dataDir)).toEqual(['ds']);
  });

  it('removes temporary folders a killed run left more than a day ago, and no others', () => {
    const { dataDir, root } = existing();
    const stale = join(dataDir, '.graphpe-fetch-0123456789abcdef');
    const recent = join(dataDir, '.graphpe-fetch-fedcba9876543210');
    mkdirSync(stale);
    writeFileSync(join(stale, 'x'), 'x');
    mkdirSync(recent);
    const old = new Date(Date.now() - 2 * 24 * 3600 * 1000);
    utimesSync(stale, old, old);
    install(files(), dataDir, root, 'test', () => {});
    expect(readdirSync(dataDir).sort()).toEqual(['.graphpe-fetch-fedcba9876543210', 'ds']);
  });
});
