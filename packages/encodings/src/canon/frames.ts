/**
 * Sign frames for Laplacian eigenvectors (frame averaging, Puny et al., ICLR 2022, "Frame Averaging for
 * Invariant and Equivariant Network Design"), restricted by canonization as in Ma et al. 2024 (OAP,
 * arXiv 2405.18378): canonize what can be canonized (Ma et al. 2023, MAP, arXiv 2310.18716), then
 * enumerate the 2^m sign patterns over the m sign-non-canonizable columns only ("canonical FA"; 2^m ≪ 2^k),
 * or all 2^k patterns over the raw columns (`over: 'all'`, the full sign frame).
 *
 * Eigenspaces the basis rule cannot fix (and eigenspaces cut by k) get no finite frame from this
 * construction: by default they are dropped (zeroed), which keeps the frame average exactly invariant;
 * `unresolved: 'sign'` puts their columns in the sign frame instead (sign- but not basis-invariant), and
 * `unresolved: 'error'` refuses them.
 */
import { checkOption, GraphpeError, type Spectrum } from '@graphpe/spectral';
import { type CanonizeOptions, type CanonizeResult, canonize } from './canonize.js';
import { scaleByEigenvalues } from './scale.js';

/** Options of {@link signFrame}; defaults in brackets. Canonization options apply to `over: 'noncanonizable'`. */
export interface SignFrameOptions extends CanonizeOptions {
  /** Flip only the sign-non-canonizable columns of the canonized spectrum, or every real column of the raw one [noncanonizable]. */
  over?: 'noncanonizable' | 'all';
  /** Largest frame size 2^m allowed; past it {@link signFrame} throws `E_TOO_LARGE` [4096]. */
  cap?: number;
  /** What to do with `basis_noncanonizable`/`partial` columns: zero them, flip them in the frame, or throw [drop]. */
  unresolved?: 'drop' | 'sign' | 'error';
}

/** A sign frame: `size` = 2^m elements, element p = base·diag(signs(p)). */
export interface SignFrame {
  readonly n: number;
  readonly k: number;
  /** n×k: the canonized vectors (dropped columns zeroed), or the raw vectors for `over: 'all'`. */
  readonly base: Float64Array;
  /** The m columns whose signs the frame enumerates (bit b of an element index flips columns[b]). */
  readonly columns: Int32Array;
  /** Columns zeroed because no finite frame makes them invariant (`unresolved: 'drop'`). */
  readonly dropped: Int32Array;
  /** 2^m. */
  readonly size: number;
  /**
   * k×k row-major, block-diagonal map from base coordinates back to the input's (T with input ≈ base·T on
   * the kept columns): t_j = ±1 for a sign-canonized column, VᵀU for a basis-canonized eigenspace, 1 for
   * framed columns, 0 for dropped ones. Equivariant frame averaging multiplies outputs by it.
   */
  readonly back: Float64Array;
  /** The canonization behind the frame (absent for `over: 'all'`). */
  readonly canon?: CanonizeResult;
  /** Signs of element `index` (length k; +1 outside `columns`), written to `out` when given. */
  signs(index: number, out?: Float64Array): Float64Array;
  /** Element `index`: base·diag(signs(index)) (n×k), written to `out` when given. */
  element(index: number, out?: Float64Array): Float64Array;
}

const DEFAULT_CAP = 4096;

/**
 * Build the sign frame of a spectrum. Throws `E_TOO_LARGE` when 2^m exceeds `cap`, naming m and the
 * columns (raise the cap, lower k, or canonize first with `over: 'noncanonizable'`).
 */
export function signFrame(s: Spectrum, options: SignFrameOptions = {}): SignFrame {
  const where = 'encodings.signFrame';
  const over = options.over ?? 'noncanonizable';
  const cap = options.cap ?? DEFAULT_CAP;
  const unresolved = options.unresolved ?? 'drop';
  checkOption(
    over === 'noncanonizable' || over === 'all',
    where,
    "over must be 'noncanonizable' or 'all'",
    over,
  );
  checkOption(
    Number.isInteger(cap) && cap >= 1 && cap <= 2 ** 30,
    where,
    'cap must be an integer in [1, 2^30]',
    cap,
  );
  checkOption(
    unresolved === 'drop' || unresolved === 'sign' || unresolved === 'error',
    where,
    "unresolved must be 'drop', 'sign' or 'error'",
    unresolved,
  );
  const { n, k } = s;
  const back = new Float64Array(k * k);
  const columns: number[] = [];
  const dropped: number[] = [];
  let base: Float64Array;
  let canon: CanonizeResult | undefined;
  if (over === 'all') {
    base = s.vectors.slice();
    for (let j = 0; j < k; j++) {
      back[j * k + j] = 1;
      if (s.mask[j]) columns.push(j);
    }
  } else {
    canon = canonize(s, { ...options, eigenvalueScaling: 'none' });
    base = canon.vectors.slice();
    for (const g of canon.groups) {
      const { start, size } = g;
      if (g.status === 'canonized') {
        // T block = VᵀU: the input columns are base·T on this eigenspace (t_j = ±1 when size = 1).
        for (let a = 0; a < size; a++) {
          for (let b = 0; b < size; b++) {
            let t = 0;
            for (let i = 0; i < n; i++) t += base[i * k + start + a] * s.vectors[i * k + start + b];
            back[(start + a) * k + start + b] = size === 1 ? Math.sign(t) : t;
          }
        }
      } else if (g.status === 'sign_noncanonizable') {
        back[start * k + start] = 1;
        columns.push(start);
      } else if (unresolved === 'error') {
        throw new GraphpeError(
          'E_OPTION',
          `${where}: columns ${start}..${start + size - 1} (λ = ${g.value}) are ${g.status} (${g.reason}); no finite sign frame makes them invariant — use unresolved: 'drop' or 'sign'`,
          { start, size, status: g.status, reason: g.reason },
        );
      } else if (unresolved === 'sign') {
        for (let j = start; j < start + size; j++) {
          back[j * k + j] = 1;
          columns.push(j);
        }
      } else {
        for (let j = start; j < start + size; j++) {
          dropped.push(j);
          for (let i = 0; i < n; i++) base[i * k + j] = 0;
        }
      }
    }
    columns.sort((a, b) => a - b);
    for (let j = 0; j < k; j++) if (!s.mask[j]) back[j * k + j] = 1;
    scaleByEigenvalues(base, n, k, s.values, s.mask, options.eigenvalueScaling ?? 'none', s.laplacian, where);
  }
  const m = columns.length;
  if (m > 30 || 2 ** m > cap) {
    throw new GraphpeError(
      'E_TOO_LARGE',
      `${where}: the sign frame has 2^${m} = ${2 ** m} elements (over ${m} columns: ${columns.join(', ')}), more than cap = ${cap}; raise cap, lower k, or use over: 'noncanonizable'`,
      { m, size: 2 ** m, cap, columns },
    );
  }
  const cols = Int32Array.from(columns);
  const signs = (index: number, out = new Float64Array(k)): Float64Array => {
    checkOption(
      Number.isInteger(index) && index >= 0 && index < 2 ** m,
      where,
      `element index must be in [0, ${2 ** m})`,
      index,
    );
    out.fill(1, 0, k);
    for (let b = 0; b < m; b++) if ((index >>> b) & 1) out[cols[b]] = -1;
    return out;
  };
  const sg = new Float64Array(k);
  const element = (index: number, out = new Float64Array(n * k)): Float64Array => {
    signs(index, sg);
    for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) out[i * k + j] = base[i * k + j] * sg[j];
    return out;
  };
  return {
    n,
    k,
    base,
    columns: cols,
    dropped: Int32Array.from(dropped),
    size: 2 ** m,
    back,
    ...(canon ? { canon } : {}),
    signs,
    element,
  };
}
