import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GraphpeError } from '@graphpe/spectral';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSmilesCsv, parseCsv } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'graphpe-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function parseError(text: string): GraphpeError {
  try {
    parseCsv(text, 'test');
  } catch (err) {
    return err as GraphpeError;
  }
  throw new Error('no error');
}

describe('parseCsv: rows must match the header', () => {
  it('names the line and the missing column of a short row (not a padded empty cell)', () => {
    const err = parseError('smiles,y\nCCO,1\n\nCCN\nCCC,3\n');
    expect(err).toBeInstanceOf(GraphpeError);
    expect(err.code).toBe('E_PARSE');
    expect(err.message).toBe("test: line 4 has 1 fields, the header has 2: no value for column 'y'");
    expect(err.details).toMatchObject({ line: 4, column: 'y' });
  });

  it('counts the newlines inside quoted fields and lists every missing column', () => {
    const err = parseError('smiles,note,a,b\nCCO,"two\nlines",1,2\nCCN,x\n');
    expect(err.code).toBe('E_PARSE');
    expect(err.message).toContain("line 4 has 2 fields, the header has 4: no value for columns 'a', 'b'");
  });

  it('refuses a row with more fields than the header instead of dropping the extra one', () => {
    const err = parseError('smiles,y\r\nCCO,1\r\nCCN,2,7\r\n');
    expect(err.code).toBe('E_PARSE');
    expect(err.message).toContain("line 3 has 3 fields, the header has 2: field 3 ('7')");
  });

  it('refuses a header without rows (E_EMPTY) and keeps the line of each row', () => {
    const err = parseError('smiles,y\n\n');
    expect(err.code).toBe('E_EMPTY');
    expect(err.message).toContain('no data rows after the header');
    const t = parseCsv('a,b\n1,2\n\n"x\ny",3\n4,5\n');
    expect(t.rows).toBe(3);
    expect(Array.from(t.lines)).toEqual([2, 4, 6]);
    expect(t.columns[0]).toEqual(['1', 'x\ny', '4']);
  });

  it('loadSmilesCsv: a missing target cell at the end of a row is an error naming file, line and column', async () => {
    const file = join(dir, 'ragged.csv');
    writeFileSync(file, 'smiles,y\nCCO,1\nCCN\n');
    const err = await loadSmilesCsv(file, { targetCol: 'y', featurizer: false }).catch((e) => e);
    expect(err).toBeInstanceOf(GraphpeError);
    expect(err.code).toBe('E_PARSE');
    expect(err.message).toContain(file);
    expect(err.message).toContain("line 3 has 1 fields, the header has 2: no value for column 'y'");
    const empty = join(dir, 'empty.csv');
    writeFileSync(empty, 'smiles,y\n');
    const e2 = await loadSmilesCsv(empty, { targetCol: 'y', featurizer: false }).catch((e) => e);
    expect(e2.code).toBe('E_EMPTY');
    expect(e2.message).toContain(empty);
  });
});
