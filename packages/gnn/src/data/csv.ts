/**
 * Minimal RFC 4180 CSV reading (quoted fields, doubled quotes, CRLF) and gzip-aware file reading for the
 * dataset loaders; columns are returned as string arrays so a loader touches only the columns it needs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { GraphpeError } from '@graphpe/spectral';

/** The data directory: `GRAPHPE_DATA_DIR`, else `~/.cache/graphpe`. */
export function defaultDataDir(): string {
  const env = process.env.GRAPHPE_DATA_DIR;
  return env && env.trim() !== '' ? env : join(homedir(), '.cache', 'graphpe');
}

/** A file's text, gunzipped when the name ends in `.gz`. `E_FILE` when it cannot be read. */
export function readTextFile(file: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
    if (file.endsWith('.gz')) bytes = gunzipSync(bytes);
  } catch (err) {
    throw new GraphpeError('E_FILE', `gnn.readTextFile: cannot read ${file}: ${(err as Error).message}`, {
      file,
    });
  }
  return bytes.toString('utf8');
}

/** Whether a path exists. */
export const fileExists = (file: string): boolean => existsSync(file);

/** A parsed CSV: header names and one string array per column. */
export interface CsvTable {
  readonly header: readonly string[];
  readonly columns: readonly string[][];
  readonly rows: number;
  /** 1-based line of the file where each data row starts. */
  readonly lines: Int32Array;
}

/**
 * Parse CSV text with a header row. Blank lines are skipped. A row with fewer or more fields than the
 * header is an `E_PARSE` error naming its line and the column; a header without rows is `E_EMPTY`.
 */
export function parseCsv(text: string, where = 'gnn.parseCsv'): CsvTable {
  const records: string[][] = [];
  const starts: number[] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  let line = 1;
  let rowLine = 1;
  const n = text.length;
  const endRow = () => {
    row.push(field);
    field = '';
    if (!(row.length === 1 && row[0] === '')) {
      records.push(row);
      starts.push(rowLine);
    }
    row = [];
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    if (quoted) {
      if (c === 34) {
        if (text.charCodeAt(i + 1) === 34) {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      const next = text.indexOf('"', i);
      const stop = next < 0 ? n : next;
      for (let j = text.indexOf('\n', i); j >= 0 && j < stop; j = text.indexOf('\n', j + 1)) line++;
      field += text.slice(i, stop);
      i = stop;
      continue;
    }
    if (c === 34 && field === '') {
      quoted = true;
      i++;
    } else if (c === 44) {
      row.push(field);
      field = '';
      i++;
    } else if (c === 10) {
      endRow();
      i++;
      line++;
      rowLine = line;
    } else if (c === 13) {
      i++;
    } else {
      // Fast path: copy up to the next delimiter.
      let j = i + 1;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === 44 || d === 10 || d === 13 || d === 34) break;
        j++;
      }
      field += text.slice(i, j);
      i = j;
    }
  }
  if (quoted) throw new GraphpeError('E_PARSE', `${where}: unterminated quoted field at end of file`);
  if (field !== '' || row.length > 0) endRow();
  if (records.length === 0) throw new GraphpeError('E_PARSE', `${where}: empty CSV (no header)`);
  const header = records[0].map((h) => h.trim());
  if (records.length === 1) {
    throw new GraphpeError('E_EMPTY', `${where}: no data rows after the header (line ${starts[0]})`, {
      line: starts[0],
    });
  }
  const columns = header.map(() => new Array<string>(records.length - 1));
  for (let r = 1; r < records.length; r++) {
    const rec = records[r];
    if (rec.length !== header.length) throw raggedRow(where, header, rec, starts[r]);
    for (let c = 0; c < header.length; c++) columns[c][r - 1] = rec[c];
  }
  return { header, columns, rows: records.length - 1, lines: Int32Array.from(starts.slice(1)) };
}

/** `E_PARSE` for a row whose field count differs from the header's. */
function raggedRow(
  where: string,
  header: readonly string[],
  rec: readonly string[],
  line: number,
): GraphpeError {
  const short = rec.length < header.length;
  const column = short ? header[rec.length] : `#${header.length + 1}`;
  const missing = header.slice(rec.length).map((h) => `'${h}'`);
  const what = short
    ? `no value for column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`
    : `field ${header.length + 1} ('${rec[header.length]}') is past the header's last column '${header[header.length - 1]}'`;
  return new GraphpeError(
    'E_PARSE',
    `${where}: line ${line} has ${rec.length} fields, the header has ${header.length}: ${what}`,
    { line, column, fields: rec.length, expected: header.length },
  );
}

/** The column named `name`; `E_DATASET` naming the file and the available columns otherwise. */
export function csvColumn(table: CsvTable, name: string, file: string): string[] {
  const c = table.header.indexOf(name);
  if (c < 0) {
    throw new GraphpeError(
      'E_DATASET',
      `gnn: column '${name}' not found in ${file} (columns: ${table.header.join(', ')})`,
      { file, column: name },
    );
  }
  return table.columns[c];
}

/** A numeric label cell: '' (or NA/nan) → NaN; anything else must parse as a finite number. */
export function parseLabel(cell: string, file: string, row: number, column: string): number {
  const t = cell.trim();
  if (t === '' || t === 'NA' || t.toLowerCase() === 'nan') return Number.NaN;
  const x = Number(t);
  if (!Number.isFinite(x)) {
    throw new GraphpeError(
      'E_PARSE',
      `gnn: ${file} row ${row}: column '${column}' is not a number ('${cell}')`,
      {
        file,
        row,
        column,
        value: cell,
      },
    );
  }
  return x;
}

/** Row indices of an OGB split file (`*.csv.gz`, one 0-based index per line). */
export function readIndexFile(file: string): Int32Array {
  const text = readTextFile(file);
  const out: number[] = [];
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (t === '') continue;
    const v = Number(t);
    if (!Number.isInteger(v) || v < 0) {
      throw new GraphpeError('E_PARSE', `gnn: ${file}: '${t}' is not a row index`, { file, value: t });
    }
    out.push(v);
  }
  return Int32Array.from(out);
}
