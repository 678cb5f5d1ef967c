/**
 * Block LOBPCG (Knyazev 2001) for the smallest eigenpairs of a symmetric operator, in the robust
 * form of scipy's implementation: residuals orthogonalized against X, W and P orthonormalized by
 * SVQB, explicit Gram matrices and a generalized Rayleigh–Ritz on [X W P] (Cholesky of the Gram),
 * P dropped and the step retried when that Gram is ill-conditioned, soft locking of converged
 * columns, optional preconditioner T ≈ A⁻¹ and deflation of known eigenvectors.
 */
import { GraphpeError } from '../../errors.js';
import type { Rng } from '../../util/rng.js';
import {
  columnNorms,
  gram,
  gramSelf,
  gramSym,
  mulSmall,
  residualBlock,
  selectColumns,
  svqb,
  svqbCoef,
} from './block.js';
import type { Deflation } from './deflation.js';
import type { BlockOperator } from './operator.js';
import { choleskyInPlace, symEigSmall } from './small.js';
import type { EigshProgress, EigshResult } from './types.js';

export interface LobpcgParams {
  /** Wanted pairs (the k smallest). */
  k: number;
  /** Block size m ≥ k (extra columns are guard vectors that speed up the last wanted ones). */
  blockSize: number;
  tol: number;
  maxIter: number;
  rng: Rng;
  /** Initial block (n × x0Cols), completed with random columns. */
  X0?: Float64Array;
  x0Cols?: number;
  /**
   * Initial block built on demand (instead of X0/x0Cols): called once, so the n × cols block is
   * garbage as soon as the start is copied, rather than held by the caller for the whole run.
   */
  start?: () => { block: Float64Array; cols: number };
  precond?: BlockOperator;
  deflation?: Deflation;
  onProgress?: (info: EigshProgress) => void;
  /** Module name for errors. */
  where: string;
  /**
   * Block inverse-iteration steps X ← orth(T X) before the first Rayleigh–Ritz (default 0): with an
   * AMG preconditioner they remove the high-frequency part of the random start for the price of one
   * preconditioner application, much cheaper than a LOBPCG step.
   */
  warmSteps?: number;
}

/** Generalized Rayleigh–Ritz on blocks: returns Ritz values and coefficient matrix C (s × s), or null if Gram B is not PD. */
function rayleighRitz(
  GA: Float64Array,
  GB: Float64Array,
  s: number,
): { theta: Float64Array; C: Float64Array } | null {
  const Lc = Float64Array.from(GB);
  if (!choleskyInPlace(Lc, s)) return null;
  let minPiv = Number.POSITIVE_INFINITY;
  let maxPiv = 0;
  for (let i = 0; i < s; i++) {
    minPiv = Math.min(minPiv, Lc[i * s + i]);
    maxPiv = Math.max(maxPiv, Lc[i * s + i]);
  }
  if (minPiv < 1e-7 * maxPiv) return null;
  // H = L⁻¹ GA L⁻ᵀ: solve L Y = GA (columns), then L Hᵀ = Yᵀ.
  const Y = Float64Array.from(GA);
  for (let c = 0; c < s; c++) {
    for (let i = 0; i < s; i++) {
      let v = Y[i * s + c];
      for (let p = 0; p < i; p++) v -= Lc[i * s + p] * Y[p * s + c];
      Y[i * s + c] = v / Lc[i * s + i];
    }
  }
  const H = new Float64Array(s * s);
  for (let r = 0; r < s; r++) {
    for (let i = 0; i < s; i++) {
      let v = Y[r * s + i];
      for (let p = 0; p < i; p++) v -= Lc[i * s + p] * H[r * s + p];
      H[r * s + i] = v / Lc[i * s + i];
    }
  }
  for (let i = 0; i < s; i++) {
    for (let j = 0; j < i; j++) {
      const a = 0.5 * (H[i * s + j] + H[j * s + i]);
      H[i * s + j] = a;
      H[j * s + i] = a;
    }
  }
  const { values, vectors } = symEigSmall(H, s);
  // C = L⁻ᵀ V (back substitution, column by column).
  const C = new Float64Array(s * s);
  for (let c = 0; c < s; c++) {
    for (let i = s - 1; i >= 0; i--) {
      let v = vectors[i * s + c];
      for (let p = i + 1; p < s; p++) v -= Lc[p * s + i] * C[p * s + c];
      C[i * s + c] = v / Lc[i * s + i];
    }
  }
  return { theta: values, C };
}

/** Place block `src` (rows × sc) into the square matrix G (s × s) at (r0, c0), and its transpose at (c0, r0). */
function putBlock(
  G: Float64Array,
  s: number,
  r0: number,
  c0: number,
  src: Float64Array,
  rows: number,
  sc: number,
): void {
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < sc; j++) {
      G[(r0 + i) * s + c0 + j] = src[i * sc + j];
      G[(c0 + j) * s + r0 + i] = src[i * sc + j];
    }
  }
}

/** Rows [r0, r0+rows) of C restricted to the given columns, as a rows × cols.length matrix. */
function subCoef(
  C: Float64Array,
  s: number,
  r0: number,
  rows: number,
  cols: ArrayLike<number>,
): Float64Array {
  const out = new Float64Array(rows * cols.length);
  for (let i = 0; i < rows; i++)
    for (let t = 0; t < cols.length; t++) out[i * cols.length + t] = C[(r0 + i) * s + cols[t]];
  return out;
}

/** Run LOBPCG; throws GraphpeError('E_NOT_CONVERGED') if the k wanted residuals are not ≤ tol within maxIter. */
export function lobpcg(A: BlockOperator, p: LobpcgParams): EigshResult {
  const n = A.n;
  const { k, tol, maxIter, rng, precond, deflation } = p;
  const m = p.blockSize;
  let matvecs = 0;
  const applyA = (X: Float64Array, Y: Float64Array, b: number): void => {
    if (b > 0) A.apply(X, Y, b);
    matvecs += b;
  };

  // Initial block: given columns first, then random; deflated and orthonormalized.
  let X: Float64Array = new Float64Array(n * m);
  {
    const given = p.start?.();
    const X0 = given?.block ?? p.X0;
    const c0 = X0 ? Math.min(given ? given.cols : (p.x0Cols ?? 1), m) : 0;
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < m; c++) X[i * m + c] = c < c0 ? X0![i * c0 + c] : rng.normal();
    }
  }
  deflation?.project(X, m);
  let orth = svqb(X, m, n);
  for (let attempt = 0; orth.cols < m && attempt < 3; attempt++) {
    for (let i = 0; i < n; i++) for (let c = 0; c < m; c++) X[i * m + c] += 1e-3 * rng.normal();
    deflation?.project(X, m);
    orth = svqb(X, m, n);
  }
  if (orth.cols < m) {
    throw new GraphpeError(
      'E_OPTION',
      `${p.where}: cannot build ${m} independent start vectors in dimension ${n}`,
      {
        blockSize: m,
      },
    );
  }
  X = orth.block;
  // Warm-up: block inverse iteration X ← orth(T X), kept only if no direction is lost.
  for (let step = 0; precond && step < (p.warmSteps ?? 0); step++) {
    const TX = new Float64Array(n * m);
    precond.apply(X, TX, m);
    deflation?.project(TX, m);
    const q = svqb(TX, m, n);
    if (q.cols < m) break;
    X = q.block;
  }
  const AX: Float64Array = new Float64Array(n * m);
  applyA(X, AX, m);
  {
    const H = gram(X, m, AX, m, n);
    const { values, vectors } = symEigSmall(symmetrize(H, m), m);
    X = mulSmall(X, m, vectors, m, n, new Float64Array(n * m));
    applyA(X, AX, m);
    void values;
  }
  let theta: Float64Array = new Float64Array(m);
  {
    const H = gram(X, m, AX, m, n);
    for (let j = 0; j < m; j++) theta[j] = H[j * m + j];
  }

  // Work blocks (n × m), allocated once and reused: each iteration's blocks are views of the width
  // it needs. The new X is built in R's block and the new P in AW's block, then the roles swap.
  let Rbuf: Float64Array = new Float64Array(n * m);
  const Wbuf = new Float64Array(n * m);
  let AWbuf: Float64Array = new Float64Array(n * m);
  let Pbuf: Float64Array = new Float64Array(n * m);
  const APbuf = new Float64Array(n * m);
  const view = (buf: Float64Array, b: number): Float64Array => (b === m ? buf : buf.subarray(0, n * b));
  let hasP = false;
  let pCols: number[] = [];
  const res = new Float64Array(m);
  const all: number[] = Array.from({ length: m }, (_, j) => j);
  let iteration = 0;
  for (;;) {
    // Residuals R = AX − X diag(θ) and their norms.
    residualBlock(AX, X, theta, m, n, Rbuf, res);
    let conv = 0;
    let maxRes = 0;
    for (let j = 0; j < k; j++) {
      if (res[j] <= tol) conv++;
      maxRes = Math.max(maxRes, res[j]);
    }
    p.onProgress?.({ iteration, converged: conv, wanted: k, maxResidual: maxRes, matvecs });
    if (conv === k) break;
    if (iteration >= maxIter) {
      const residuals = res.slice(0, k);
      throw new GraphpeError(
        'E_NOT_CONVERGED',
        `${p.where}: ${conv} of ${k} eigenpairs converged after ${iteration} iterations (max residual ${maxRes.toExponential(2)} > tol ${tol}); raise maxIter or tol`,
        { residuals, values: theta.slice(0, k), iterations: iteration, tol, matvecs },
      );
    }
    iteration++;

    const active: number[] = [];
    for (let j = 0; j < m; j++) if (res[j] > tol) active.push(j);
    const na = active.length;
    // W = T R_active, deflated and orthogonalized against X. Its SVQB transform Cw (W' = W Cw has
    // orthonormal columns) is never applied to the n-row block: the Gram matrices and the update
    // coefficients are transformed instead (small products in place of an n × na one).
    if (na < m) selectColumns(Rbuf, m, active, n, Rbuf);
    const W = view(Wbuf, na);
    if (precond) precond.apply(view(Rbuf, na), W, na);
    else W.set(view(Rbuf, na));
    deflation?.project(W, na);
    {
      const XW = gram(X, m, W, na, n);
      for (let t = 0; t < XW.length; t++) XW[t] = -XW[t];
      mulSmall(X, m, XW, na, n, W, true);
    }
    // Again: subtracting X XᵀW brings back X's rounding-level component along the deflated vectors,
    // and SVQB then scales it up with W (whose norm is tiny near convergence); a deflated eigenvector
    // would re-enter the basis as a spurious converged pair.
    deflation?.project(W, na);
    const wq = svqbCoef(gramSelf(W, na, n), na);
    const Cw = wq.C;
    const nw = wq.cols;
    const AW = view(AWbuf, na);
    if (nw > 0) applyA(W, AW, na);

    // P restricted to still-active columns; its SVQB transform Cq is kept apart like Cw.
    let np = 0;
    let npr = 0;
    let P: Float64Array | null = null;
    let AP: Float64Array | null = null;
    let Cq: Float64Array | null = null;
    if (hasP) {
      const keep: number[] = [];
      for (let t = 0; t < pCols.length; t++) if (res[pCols[t]] > tol) keep.push(t);
      npr = keep.length;
      if (npr < pCols.length) selectColumns(Pbuf, pCols.length, keep, n, Pbuf);
      P = view(Pbuf, npr);
      const pq = svqbCoef(gramSelf(P, npr, n), npr);
      np = pq.cols;
      Cq = pq.C;
      if (np > 0) {
        AP = view(APbuf, npr);
        applyA(P, AP, npr);
      }
    }

    // Gram matrices of S = [X W' P'] (W' = W Cw, P' = P Cq).
    let usingP = np > 0;
    let rr: { theta: Float64Array; C: Float64Array } | null = null;
    // X is orthonormal with XᵀAX = diag(θ) after each Rayleigh–Ritz; recompute these two Grams
    // explicitly only every few iterations to stop rounding drift (scipy uses them implicitly).
    const explicit = iteration % 4 === 1;
    const XAX = explicit ? gramSym(X, AX, m, n) : diagonal(theta, m);
    const XAW = sandwich(null, m, gram(X, m, AW, na, n), m, na, Cw, nw);
    const WAW = sandwich(Cw, nw, gramSym(W, AW, na, n), na, na, Cw, nw);
    // W was just orthogonalized against X, so XᵀW' = 0 up to rounding: taken as 0 between the explicit
    // iterations, like XᵀX = I (scipy does the same).
    const XW = explicit ? sandwich(null, m, gram(X, m, W, na, n), m, na, Cw, nw) : new Float64Array(m * nw);
    const XX = explicit ? gramSelf(X, m, n) : identity(m);
    const WW = identity(nw); // W' and P' are orthonormal (SVQB)
    let XAP: Float64Array | null = null;
    let WAP: Float64Array | null = null;
    let PAP: Float64Array | null = null;
    let XP: Float64Array | null = null;
    let WP: Float64Array | null = null;
    let PP: Float64Array | null = null;
    if (usingP) {
      XAP = sandwich(null, m, gram(X, m, AP!, npr, n), m, npr, Cq!, np);
      WAP = sandwich(Cw, nw, gram(W, na, AP!, npr, n), na, npr, Cq!, np);
      PAP = sandwich(Cq!, np, gramSym(P!, AP!, npr, n), npr, npr, Cq!, np);
      XP = sandwich(null, m, gram(X, m, P!, npr, n), m, npr, Cq!, np);
      WP = sandwich(Cw, nw, gram(W, na, P!, npr, n), na, npr, Cq!, np);
      PP = identity(np);
    }
    let s = 0;
    for (let attempt = 0; attempt < 2 && !rr; attempt++) {
      if (attempt === 1) {
        if (!usingP) break;
        usingP = false;
      }
      s = m + nw + (usingP ? np : 0);
      const GA = new Float64Array(s * s);
      const GB = new Float64Array(s * s);
      putBlock(GA, s, 0, 0, XAX, m, m);
      putBlock(GA, s, 0, m, XAW, m, nw);
      putBlock(GA, s, m, m, WAW, nw, nw);
      putBlock(GB, s, 0, 0, XX, m, m);
      putBlock(GB, s, 0, m, XW, m, nw);
      putBlock(GB, s, m, m, WW, nw, nw);
      if (usingP) {
        const o = m + nw;
        putBlock(GA, s, 0, o, XAP!, m, np);
        putBlock(GA, s, m, o, WAP!, nw, np);
        putBlock(GA, s, o, o, PAP!, np, np);
        putBlock(GB, s, 0, o, XP!, m, np);
        putBlock(GB, s, m, o, WP!, nw, np);
        putBlock(GB, s, o, o, PP!, np, np);
      }
      rr = rayleighRitz(GA, GB, s);
    }
    if (!rr) {
      throw new GraphpeError(
        'E_NOT_CONVERGED',
        `${p.where}: the search basis lost independence at iteration ${iteration} (max residual ${maxRes.toExponential(2)}); try another seed or a larger tol`,
        { residuals: res.slice(0, k), iterations: iteration, tol, matvecs },
      );
    }
    const { C } = rr;
    // X ← X C_X + W (Cw C_W) + P (Cq C_P); P ← W (Cw C_W[:, active]) + P (Cq C_P[:, active]),
    // with C_X, C_W, C_P the rows of C for X, W', P'.
    // Q = W (Cw C_W) + P (Cq C_P) on all m columns: the new P is Q's active columns and the new X is
    // Q + X C_X (one n × (nw+np) × na product fewer than building X and P apart).
    const Xn = Rbuf;
    const Pn = view(AWbuf, na);
    mulSmall(W, na, sandwich(null, na, Cw, na, nw, subCoef(C, s, m, nw, all), m), m, n, Xn);
    if (usingP) {
      const o = m + nw;
      mulSmall(P!, npr, sandwich(null, npr, Cq!, npr, np, subCoef(C, s, o, np, all), m), m, n, Xn, true);
    }
    selectColumns(Xn, m, active, n, Pn);
    mulSmall(X, m, subCoef(C, s, 0, m, all), m, n, Xn, true);
    Rbuf = X;
    X = Xn;
    const freeP = Pbuf;
    Pbuf = AWbuf;
    AWbuf = freeP;
    hasP = true;
    pCols = active;
    applyA(X, AX, m);
    theta = rr.theta.slice(0, m);
  }

  // Output: first k columns. Residuals were computed with these X and θ; if rounding left a column
  // off unit norm, normalize it, rescale its residual, and refuse it if that breaks the tolerance.
  const values = theta.slice(0, k);
  const vectors = selectColumns(
    X,
    m,
    Array.from({ length: k }, (_, j) => j),
    n,
  );
  const norms = columnNorms(vectors, k, n);
  const residuals = res.slice(0, k);
  for (let j = 0; j < k; j++) {
    if (Math.abs(norms[j] - 1) > 1e-12) {
      for (let i = 0; i < n; i++) vectors[i * k + j] /= norms[j];
      residuals[j] /= norms[j];
      if (!(residuals[j] <= tol)) {
        throw new GraphpeError('E_NOT_CONVERGED', `${p.where}: pair ${j} drifted off unit norm`, {
          residuals,
          iterations: iteration,
          tol,
        });
      }
    }
  }
  return { values, vectors, residuals, iterations: iteration, matvecs, converged: true };
}

/**
 * Lᵀ G R (r1 × r2) for G (b1 × b2), L (b1 × r1) and R (b2 × r2), all row-major; L null stands for the
 * identity (r1 = b1). Small matrices only (Gram blocks and coefficients).
 */
function sandwich(
  L: Float64Array | null,
  r1: number,
  G: Float64Array,
  b1: number,
  b2: number,
  R: Float64Array,
  r2: number,
): Float64Array {
  const GR = new Float64Array(b1 * r2);
  for (let i = 0; i < b1; i++) {
    for (let q = 0; q < b2; q++) {
      const g = G[i * b2 + q];
      if (g === 0) continue;
      for (let j = 0; j < r2; j++) GR[i * r2 + j] += g * R[q * r2 + j];
    }
  }
  if (!L) return GR;
  const out = new Float64Array(r1 * r2);
  for (let i = 0; i < b1; i++) {
    for (let a = 0; a < r1; a++) {
      const l = L[i * r1 + a];
      if (l === 0) continue;
      for (let j = 0; j < r2; j++) out[a * r2 + j] += l * GR[i * r2 + j];
    }
  }
  return out;
}

function diagonal(d: Float64Array, m: number): Float64Array {
  const D = new Float64Array(m * m);
  for (let i = 0; i < m; i++) D[i * m + i] = d[i];
  return D;
}

function identity(m: number): Float64Array {
  const I = new Float64Array(m * m);
  for (let i = 0; i < m; i++) I[i * m + i] = 1;
  return I;
}

/** (G + Gᵀ)/2 in place for an m×m matrix. */
function symmetrize(G: Float64Array, m: number): Float64Array {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < i; j++) {
      const a = 0.5 * (G[i * m + j] + G[j * m + i]);
      G[i * m + j] = a;
      G[j * m + i] = a;
    }
  }
  return G;
}
