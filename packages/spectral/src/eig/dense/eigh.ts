import { GraphpeError } from '../../errors.js';
import { applyReflectors } from './backtransform.js';
import { splitTridiagEigenvalues, tridiagEigInverseIteration } from './invit.js';
import { MAX_QL_ITER, tridiagQL } from './ql.js';
import { argsortAscending, writeSorted } from './sort.js';
import { tridiagonalize } from './tridiag.js';
import { tridiagonalizeFused } from './tridiag-fused.js';
import { type DenseWasm, denseWasm } from './wasm/loader.js';
import { EighWorkspace } from './workspace.js';

/** Options of {@link eigh}. */
export interface EighOptions {
  /** Compute eigenvectors (default true); without them only O(n²) work follows the reduction. */
  vectors?: boolean;
  /** Scratch memory reused across calls (default: a fresh one per call). */
  workspace?: EighWorkspace;
  /** Write into these arrays (values length ≥ n, vectors length ≥ n²) instead of allocating. */
  out?: { values: Float64Array; vectors?: Float64Array };
  /** Scan the input for NaN/±Infinity first (default true). */
  check?: boolean;
}

/** Eigenpairs of a symmetric matrix. */
export interface EighResult {
  /** Eigenvalues in ascending order. */
  values: Float64Array;
  /** n×n row-major; column j is the unit eigenvector of `values[j]`. Empty when `vectors: false`. */
  vectors: Float64Array;
}

const WHERE = 'spectral.eigh';

/** Throw `E_NAN` naming the first (row-major) entry of the n×n matrix at `a[off…]` that is not finite. */
export function checkFinite(a: Float64Array, n: number, where = WHERE, off = 0): void {
  const nn = n * n;
  for (let p = 0; p < nn; p++) {
    const x = a[off + p];
    if (x - x !== 0) {
      const i = Math.floor(p / n);
      const j = p - i * n;
      throw new GraphpeError('E_NAN', `${where}: entry (${i}, ${j}) is ${x}; the matrix must be finite`, {
        i,
        j,
        value: x,
      });
    }
  }
}

/**
 * Smallest n for which the inverse-iteration path is used (below it, tql2 rotating Q is faster:
 * fewer passes of short loops). Mutable only through {@link setInverseIterationThreshold}.
 */
let invitMinN = 64;
/** Tuning hook for benchmarks: the crossover between the two eigenvector paths (default 64). */
export function setInverseIterationThreshold(n: number): void {
  invitMinN = n;
}

/**
 * Solve the eigenproblem held in `ws.w` (n×n, upper triangle read): Householder
 * tridiagonalization, then, for n < 64, implicit QL with Wilkinson shifts rotating the accumulated
 * Q (EISPACK tred2/tql2); otherwise QL eigenvalues + inverse iteration on T + back-transformation
 * by the reflectors (LAPACK dsterf/dstein/dormtr: 2n³ instead of ~6n³ flops for the vectors).
 * Leaves the (unsorted) eigenvalues in `ws.d` and, with `vectors`, the eigenvector of `ws.d[j]` in
 * row j of the returned matrix (`ws.w` or `ws.w3`, stride n). Values-only mode returns the same
 * eigenvalues, bit for bit. The O(n³) kernels run in WebAssembly SIMD where available
 * (wasm/loader.ts: the same algorithms with pairwise sums, so results differ from the JS kernels by
 * rounding only); `setDenseKernels('js')` or `GRAPHPE_WASM=0` selects the JS reference kernels.
 */
export function solveInWorkspace(ws: EighWorkspace, n: number, vectors: boolean): Float64Array {
  const { w, d, e } = ws;
  if (n === 1) {
    d[0] = w[0];
    w[0] = 1;
    return w;
  }
  if (n < invitMinN) {
    const k = denseWasm();
    if (k !== null && solveSmallWasm(k, ws, n, vectors)) return w;
    tridiagonalize(w, n, d, e, vectors);
    tridiagQL(d, e, n, vectors ? w : null, ws.cs, ws.sn);
    return w;
  }
  const wasm = denseWasm();
  if (wasm !== null && solveLargeWasm(wasm, ws, n, vectors)) return vectors ? ws.w3 : w;
  const hv = ws.sn;
  const v = ws.v;
  tridiagonalizeFused(w, n, d, e, hv, v[0], v[1], v[2]);
  if (!vectors) {
    splitTridiagEigenvalues(d, e, n, v[0], v[1], v[7], v[8], v[9]);
    d.set(v[7].subarray(0, n));
    return w;
  }
  const z = ws.w3;
  const bstart = ws.perm;
  tridiagEigInverseIteration(d, e, n, ws.cs, z, bstart, ws.vi, v);
  d.set(ws.cs.subarray(0, n));
  applyReflectors(w, hv, n, z, bstart, v[0], v[1]);
  return z;
}

/**
 * The n < 64 path of {@link solveInWorkspace} in WebAssembly SIMD (asm/dense.ts smallEigh: the
 * tridiagonalization accumulating Q and implicit QL rotating its rows, as tridiagonalize +
 * tridiagQL, in one call): w in, eigenvalues to `ws.d` and (with `vectors`) eigenvectors to the rows
 * of `ws.w`. Throws `E_NOT_CONVERGED` like {@link tridiagQL}.
 */
function solveSmallWasm(k: DenseWasm, ws: EighWorkspace, n: number, vectors: boolean): boolean {
  const nn = n * n;
  const vec = (n + 2 + 1) & ~1;
  const pw = k.base;
  const pd = pw + nn * 8 + (nn & 1) * 8;
  const pe = pd + vec * 8;
  const pc = pe + vec * 8;
  const ps = pc + vec * 8;
  if (!k.reserve(ps + vec * 8 - k.base)) return false;
  const f = k.f64;
  const w = ws.w;
  f.set(nn === w.length ? w : w.subarray(0, nn), pw >> 3);
  const status = k.x.smallEigh(pw, n, pd, pe, pc, ps, vectors ? 1 : 0, MAX_QL_ITER);
  if (status !== 0) {
    const l = status - 1;
    throw new GraphpeError(
      'E_NOT_CONVERGED',
      `spectral.eigh: implicit QL did not converge for eigenvalue ${l} of ${n} after ${MAX_QL_ITER} sweeps`,
      { index: l, n, iterations: MAX_QL_ITER },
    );
  }
  ws.d.set(f.subarray(pd >> 3, (pd >> 3) + n));
  if (vectors) w.set(f.subarray(pw >> 3, (pw >> 3) + nn));
  return true;
}

/**
 * The n ≥ 64 path of {@link solveInWorkspace} with the reduction and the back-transformation in
 * WebAssembly SIMD (asm/dense.ts: the same algorithms as tridiagonalizeFused / applyReflectors, sums
 * evaluated pairwise): A is copied into wasm memory once, the reflectors stay there, inverse
 * iteration runs in JS on d/e, and the back-transformed vectors are copied to `ws.w3`. False (nothing
 * done) when the wasm memory cannot hold the problem.
 */
function solveLargeWasm(k: DenseWasm, ws: EighWorkspace, n: number, vectors: boolean): boolean {
  const nn = n * n;
  const vec = (n + 2 + 1) & ~1; // length-n scratch, 16-byte aligned
  const pw = k.base;
  const pz = pw + nn * 8 + (nn & 1) * 8;
  const pd = pz + (vectors ? nn * 8 + (nn & 1) * 8 : 0);
  const pe = pd + vec * 8;
  const ph = pe + vec * 8;
  const p1 = ph + vec * 8;
  const p2 = p1 + vec * 8;
  const p3 = p2 + vec * 8;
  const pb = p3 + vec * 8;
  if (!k.reserve(pb + vec * 4 - k.base)) return false;
  const { w, d, e, v } = ws;
  let f = k.f64;
  f.set(w.subarray(0, nn), pw >> 3);
  k.x.tridiagFused(pw, n, pd, pe, ph, p1, p2, p3);
  d.set(f.subarray(pd >> 3, (pd >> 3) + n));
  e.set(f.subarray(pe >> 3, (pe >> 3) + n));
  if (!vectors) {
    splitTridiagEigenvalues(d, e, n, v[0], v[1], v[7], v[8], v[9]);
    d.set(v[7].subarray(0, n));
    return true;
  }
  const z = ws.w3;
  const bstart = ws.perm;
  tridiagEigInverseIteration(d, e, n, ws.cs, z, bstart, ws.vi, v);
  d.set(ws.cs.subarray(0, n));
  f = k.f64;
  f.set(z.subarray(0, nn), pz >> 3);
  k.i32.set(bstart.subarray(0, n), pb >> 2);
  k.x.applyReflectors(pw, ph, n, pz, pb, p1, p2);
  z.set(f.subarray(pz >> 3, (pz >> 3) + nn));
  return true;
}

/**
 * Scratch for calls without a `workspace`: one per thread, held weakly, so back-to-back calls reuse
 * its buffers (three n×n matrices) instead of allocating them each time — in a process with a large
 * heap that allocation costs more than the solve (GC), e.g. ≈ 40 vs 22 ms at n = 300 — while the
 * garbage collector may still reclaim it between calls. Safe because `eigh` is synchronous and never
 * re-entered; results are always copied out.
 */
let shared: WeakRef<EighWorkspace> | null = null;
function sharedWorkspace(): EighWorkspace {
  let ws = shared?.deref();
  if (ws === undefined) {
    ws = new EighWorkspace(0);
    shared = new WeakRef(ws);
  }
  return ws;
}

/**
 * All eigenpairs of a real symmetric n×n matrix stored row-major in `a` (Householder
 * tridiagonalization + implicit QL with Wilkinson shifts: EISPACK tred2/tql2, Golub & Van Loan
 * §8.3). Only the upper triangle (`a[i*n+j]`, j ≥ i) is read, so a non-symmetric input is
 * silently treated as its symmetrized upper triangle — symmetry is the caller's responsibility.
 * `a` is never modified. Throws `E_NAN` (first non-finite entry) and `E_NOT_CONVERGED`. Without a
 * `workspace`, a weakly held per-thread one is reused across calls.
 */
export function eigh(a: Float64Array, n: number, options: EighOptions = {}): EighResult {
  if (!Number.isInteger(n) || n < 0) {
    throw new GraphpeError('E_OPTION', `${WHERE}: n must be a non-negative integer (got ${n})`, { value: n });
  }
  if (a.length < n * n) {
    throw new GraphpeError('E_SHAPE', `${WHERE}: matrix has ${a.length} entries, expected n² = ${n * n}`, {
      value: a.length,
    });
  }
  const wantVectors = options.vectors ?? true;
  if (options.check ?? true) checkFinite(a, n);
  const out = options.out;
  const values = out?.values ?? new Float64Array(n);
  const vectors = wantVectors ? (out?.vectors ?? new Float64Array(n * n)) : new Float64Array(0);
  if (values.length < n || vectors.length < (wantVectors ? n * n : 0)) {
    throw new GraphpeError('E_SHAPE', `${WHERE}: out arrays are too short for n = ${n}`, { value: n });
  }
  if (n === 0) return { values, vectors };
  const ws = (options.workspace ?? sharedWorkspace()).ensure(n);
  ws.w.set(n * n === a.length ? a : a.subarray(0, n * n));
  const z = solveInWorkspace(ws, n, wantVectors);
  argsortAscending(ws.d, n, ws.perm, ws.i1);
  writeSorted(ws.d, wantVectors ? z : null, n, ws.perm, values, 0, wantVectors ? vectors : null, 0);
  return { values, vectors };
}
