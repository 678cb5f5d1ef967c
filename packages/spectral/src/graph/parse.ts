/**
 * Edge-list text parser: one `u v [w]` edge per line, fields separated by spaces, tabs or a comma;
 * `#` and `%` start comments (SNAP, Matrix Market, KONECT style); blank lines are skipped.
 * The string is scanned once by char code into growable typed arrays (no per-line objects).
 */
import { GraphpeError } from '../errors.js';
import { fromCoo } from './coo.js';
import type { EdgeListOptions } from './edge-list.js';
import type { Graph } from './types.js';

const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
const HASH = 35;
const PERCENT = 37;
const COMMA = 44;
const DOT = 46;
const ZERO = 48;
const BOM = 0xfeff;
/** Largest node id a CSR with Int32Array indices can hold. */
const MAX_ID = 2 ** 31 - 2;
/** Powers of ten that are exact doubles (Clinger's fast path: mantissa < 2^53, exponent ≤ 22). */
const POW10 = Float64Array.from({ length: 23 }, (_, k) => 10 ** k);
const NUMERIC = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const SPECIAL = /^([+-]?)(nan|inf|infinity)$/i;

/**
 * Parse an edge list (`u v` or `u v w` per line; whitespace- or comma-separated; `#`/`%` comments)
 * into a {@link Graph}. Every line must have the field count of the first edge line. Errors name the
 * 1-based line (and column for a bad token): `E_PARSE` for a non-numeric token (e.g. a header line,
 * which is never skipped silently) or a wrong field count, `E_NODE_ID` for a negative, non-integer or
 * out-of-range id, `E_WEIGHT` for a zero, negative or infinite weight, `E_NAN` for a NaN weight,
 * `E_EMPTY` when there are no edges and no explicit `n` (with `n`, an edgeless graph is returned).
 */
export function parseEdgeList(text: string, options: EdgeListOptions = {}): Graph {
  return parseEdgeListText(text, options, 'spectral.parseEdgeList');
}

/** {@link parseEdgeList} with the error prefix `where` (used by `readEdgeList` to name the file). */
export function parseEdgeListText(text: string, options: EdgeListOptions, where: string): Graph {
  if (typeof text !== 'string') {
    throw new GraphpeError('E_PARSE', `${where}: expected the edge list as a string (got ${typeof text})`);
  }
  const len = text.length;
  let cap = Math.max(16, Math.min(len >> 3, 1 << 24));
  let src = new Int32Array(cap);
  let dst = new Int32Array(cap);
  let lines = new Int32Array(cap);
  let wts: Float64Array | undefined;
  let m = 0;
  let fieldsExpected = 0;
  let firstLine = 0;
  let line = 0;
  let i = len > 0 && text.charCodeAt(0) === BOM ? 1 : 0;

  const fail = (
    code: 'E_PARSE' | 'E_NODE_ID' | 'E_WEIGHT' | 'E_NAN',
    msg: string,
    details: object,
  ): never => {
    throw new GraphpeError(code, `${where}: line ${line}: ${msg}`, { line, ...details });
  };
  const badToken = (s: number, e: number, lineStart: number, what: string): never => {
    const token = text.slice(s, e);
    const hint = fieldsExpected === 0 ? ' (a header line? remove it or comment it out with #)' : '';
    return fail('E_PARSE', `column ${s - lineStart + 1}: non-numeric ${what} '${token}'${hint}`, {
      column: s - lineStart + 1,
      token,
    });
  };
  const parseId = (s: number, e: number, lineStart: number): number => {
    let v = 0;
    let k = s;
    for (; k < e; k++) {
      const d = text.charCodeAt(k) - ZERO;
      if (d < 0 || d > 9) break;
      v = v * 10 + d;
    }
    if (k === e && v <= MAX_ID) return v;
    const token = text.slice(s, e);
    if (!NUMERIC.test(token)) return badToken(s, e, lineStart, 'node id');
    const x = Number(token);
    const column = s - lineStart + 1;
    if (x < 0)
      return fail('E_NODE_ID', `column ${column}: node id ${token} is negative`, { column, value: x });
    if (!Number.isInteger(x)) {
      return fail('E_NODE_ID', `column ${column}: node id ${token} is not an integer`, { column, value: x });
    }
    if (x > MAX_ID) {
      return fail('E_NODE_ID', `column ${column}: node id ${token} exceeds the maximum ${MAX_ID}`, {
        column,
        value: x,
      });
    }
    return x;
  };
  const parseWeight = (s: number, e: number, lineStart: number): number => {
    // Fast path: plain decimal with at most 15 digits, exact by one correctly rounded division.
    let mant = 0;
    let digits = 0;
    let frac = -1;
    let k = s;
    for (; k < e; k++) {
      const c = text.charCodeAt(k);
      const d = c - ZERO;
      if (d >= 0 && d <= 9) {
        mant = mant * 10 + d;
        digits++;
        if (frac >= 0) frac++;
      } else if (c === DOT && frac < 0) {
        frac = 0;
      } else break;
    }
    let w: number;
    if (k === e && digits > 0 && digits <= 15) {
      w = frac > 0 ? mant / POW10[frac] : mant;
    } else {
      const token = text.slice(s, e);
      const special = SPECIAL.exec(token);
      if (special) {
        const name = special[2].toLowerCase();
        w = name === 'nan' ? Number.NaN : special[1] === '-' ? -Infinity : Infinity;
      } else if (NUMERIC.test(token)) {
        w = Number(token);
      } else {
        return badToken(s, e, lineStart, 'weight');
      }
    }
    if (w > 0 && w < Infinity) return w;
    const column = s - lineStart + 1;
    const token = text.slice(s, e);
    if (Number.isNaN(w))
      return fail('E_NAN', `column ${column}: weight ${token} is NaN`, { column, value: w });
    const why = w === 0 ? 'is zero' : w < 0 ? 'is negative' : 'is not finite';
    return fail('E_WEIGHT', `column ${column}: weight ${token} ${why} (weights must be finite and > 0)`, {
      column,
      value: w,
    });
  };

  while (i < len) {
    line++;
    const lineStart = i;
    // Tokenize one line: up to three token spans, and the total field count.
    let nf = 0;
    let s0 = 0;
    let e0 = 0;
    let s1 = 0;
    let e1 = 0;
    let s2 = 0;
    let e2 = 0;
    let pendingComma = -1;
    for (;;) {
      let c = 0;
      while (i < len) {
        c = text.charCodeAt(i);
        if (c !== SPACE && c !== TAB && c !== CR) break;
        i++;
      }
      if (i >= len || c === LF || c === HASH || c === PERCENT) break;
      if (c === COMMA) {
        if (nf === 0 || pendingComma >= 0) {
          fail('E_PARSE', `column ${i - lineStart + 1}: empty field before ','`, {
            column: i - lineStart + 1,
          });
        }
        pendingComma = i;
        i++;
        continue;
      }
      const s = i;
      while (i < len) {
        c = text.charCodeAt(i);
        if (c === SPACE || c === TAB || c === CR || c === LF || c === COMMA || c === HASH || c === PERCENT)
          break;
        i++;
      }
      if (nf === 0) {
        s0 = s;
        e0 = i;
      } else if (nf === 1) {
        s1 = s;
        e1 = i;
      } else if (nf === 2) {
        s2 = s;
        e2 = i;
      }
      nf++;
      pendingComma = -1;
    }
    if (pendingComma >= 0) {
      fail('E_PARSE', `column ${pendingComma - lineStart + 1}: empty field after ','`, {
        column: pendingComma - lineStart + 1,
      });
    }
    // Skip a trailing comment, then the newline.
    while (i < len && text.charCodeAt(i) !== LF) i++;
    i++;
    if (nf === 0) continue;

    const u = parseId(s0, e0, lineStart);
    if (nf < 2 || nf > 3) {
      fail('E_PARSE', `expected 2 or 3 fields (u v [w]), got ${nf}`, { fields: nf });
    }
    const v = parseId(s1, e1, lineStart);
    if (fieldsExpected === 0) {
      fieldsExpected = nf;
      firstLine = line;
      if (nf === 3) wts = new Float64Array(cap);
    } else if (nf !== fieldsExpected) {
      fail('E_PARSE', `expected ${fieldsExpected} fields as on line ${firstLine}, got ${nf}`, { fields: nf });
    }
    const w = nf === 3 ? parseWeight(s2, e2, lineStart) : 1;
    if (m === cap) {
      cap *= 2;
      src = grow(src, cap);
      dst = grow(dst, cap);
      lines = grow(lines, cap);
      if (wts) wts = grow(wts, cap);
    }
    src[m] = u;
    dst[m] = v;
    lines[m] = line;
    if (wts) wts[m] = w;
    m++;
  }

  if (m === 0 && options.n === undefined) {
    throw new GraphpeError(
      'E_EMPTY',
      `${where}: no edges found (the input is empty or holds only comments and blank lines); pass n to build an edgeless graph`,
      { lines: line },
    );
  }
  return fromCoo(src.subarray(0, m), dst.subarray(0, m), wts?.subarray(0, m), {
    n: options.n,
    duplicates: options.duplicates,
    selfLoops: options.selfLoops,
    where,
    lines: lines.subarray(0, m),
  });
}

function grow<T extends Int32Array | Float64Array>(a: T, cap: number): T {
  const b = new (a.constructor as new (k: number) => T)(cap);
  b.set(a);
  return b;
}
