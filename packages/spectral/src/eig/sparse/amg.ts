/**
 * Smoothed-aggregation algebraic multigrid (Vaněk, Mandel & Brezina 1996) used as a preconditioner
 * T ≈ A⁺ for the eigensolver: greedy aggregation on strong connections, tentative prolongator
 * fitted to a near-null vector (D^{1/2}1 for L_sym, 1 for D − A), one damped-Jacobi smoothing of the
 * prolongator, Galerkin coarse operators, symmetric Gauss–Seidel V-cycle, pseudo-inverse at the bottom.
 */
import { type Csr, fromSym, spgemm, toSym, transpose } from './csr.js';
import type { BlockOperator, SymCsr } from './operator.js';
import { spmm } from './operator.js';
import { symEigSmall } from './small.js';

export interface AmgOptions {
  /** Stop coarsening at this many unknowns (default 200); the bottom is solved densely. */
  maxCoarse?: number;
  /**
   * Largest bottom level solved by a dense pseudo-inverse (default 3000). When aggregation stalls above
   * it (dense graphs coarsen poorly), the bottom gets symmetric Gauss–Seidel sweeps instead of an
   * n_c × n_c matrix, so memory stays O(nnz).
   */
  maxDenseBottom?: number;
  /** Maximum number of levels (default 25). */
  maxLevels?: number;
  /** Gauss–Seidel sweeps before and after the coarse correction (default 1). */
  sweeps?: number;
  /** V-cycles per application (default 1); more cycles = a stronger, costlier preconditioner. */
  cycles?: number;
  /** Strength threshold ε at the finest level (|a_ij| ≥ ε·√(a_ii a_jj)), halved per level (default 0.08). */
  strength?: number;
}

interface Level {
  A: SymCsr;
  P: Csr;
  R: Csr;
  /** Strictly lower and upper off-diagonal parts of A, for the sweep from zero and the residual after it. */
  lower: Triangle;
  upper: Triangle;
}

/** One strict triangle of a {@link SymCsr}'s off-diagonal entries (each row in the original order). */
export interface Triangle {
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly values: Float64Array;
}

/** The strictly lower (j < i) and strictly upper (j > i) off-diagonal parts of A. */
export function splitTriangles(A: SymCsr): { lower: Triangle; upper: Triangle } {
  const { n, indptr, indices, values } = A;
  const lp = new Int32Array(n + 1);
  const up = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    let nl = 0;
    for (let p = indptr[i]; p < indptr[i + 1]; p++) if (indices[p] < i) nl++;
    lp[i + 1] = lp[i] + nl;
    up[i + 1] = up[i] + (indptr[i + 1] - indptr[i] - nl);
  }
  const li = new Int32Array(lp[n]);
  const lv = new Float64Array(lp[n]);
  const ui = new Int32Array(up[n]);
  const uv = new Float64Array(up[n]);
  for (let i = 0; i < n; i++) {
    let ql = lp[i];
    let qu = up[i];
    for (let p = indptr[i]; p < indptr[i + 1]; p++) {
      const j = indices[p];
      if (j < i) {
        li[ql] = j;
        lv[ql++] = values[p];
      } else {
        ui[qu] = j;
        uv[qu++] = values[p];
      }
    }
  }
  return { lower: { indptr: lp, indices: li, values: lv }, upper: { indptr: up, indices: ui, values: uv } };
}

/**
 * Forward Gauss–Seidel sweep from x = 0 on A x = rhs (n × w blocks): x_i = (rhs_i − Σ_{j<i} a_ij x_j)/a_ii,
 * 0 where a_ii = 0. The entries above the diagonal multiply zeros, so only the lower triangle is read.
 */
export function forwardSweepFromZero(
  lower: Triangle,
  diag: Float64Array,
  rhs: Float64Array,
  x: Float64Array,
  n: number,
  w: number,
): void {
  const { indptr, indices, values } = lower;
  const w8 = w & ~7;
  const w4 = w & ~3;
  for (let i = 0; i < n; i++) {
    const o = i * w;
    const d = diag[i];
    if (d === 0) {
      x.fill(0, o, o + w);
      continue;
    }
    const p0 = indptr[i];
    const end = indptr[i + 1];
    let c = 0;
    for (; c < w8; c += 8) {
      const q = o + c;
      let a0 = rhs[q],
        a1 = rhs[q + 1],
        a2 = rhs[q + 2],
        a3 = rhs[q + 3],
        a4 = rhs[q + 4],
        a5 = rhs[q + 5],
        a6 = rhs[q + 6],
        a7 = rhs[q + 7];
      for (let p = p0; p < end; p++) {
        const v = values[p];
        const jo = indices[p] * w + c;
        a0 -= v * x[jo];
        a1 -= v * x[jo + 1];
        a2 -= v * x[jo + 2];
        a3 -= v * x[jo + 3];
        a4 -= v * x[jo + 4];
        a5 -= v * x[jo + 5];
        a6 -= v * x[jo + 6];
        a7 -= v * x[jo + 7];
      }
      x[q] = a0 / d;
      x[q + 1] = a1 / d;
      x[q + 2] = a2 / d;
      x[q + 3] = a3 / d;
      x[q + 4] = a4 / d;
      x[q + 5] = a5 / d;
      x[q + 6] = a6 / d;
      x[q + 7] = a7 / d;
    }
    for (; c < w4; c += 4) {
      const q = o + c;
      let a0 = rhs[q],
        a1 = rhs[q + 1],
        a2 = rhs[q + 2],
        a3 = rhs[q + 3];
      for (let p = p0; p < end; p++) {
        const v = values[p];
        const jo = indices[p] * w + c;
        a0 -= v * x[jo];
        a1 -= v * x[jo + 1];
        a2 -= v * x[jo + 2];
        a3 -= v * x[jo + 3];
      }
      x[q] = a0 / d;
      x[q + 1] = a1 / d;
      x[q + 2] = a2 / d;
      x[q + 3] = a3 / d;
    }
    for (; c + 1 < w; c += 2) {
      const q = o + c;
      let a0 = rhs[q],
        a1 = rhs[q + 1];
      for (let p = p0; p < end; p++) {
        const v = values[p];
        const jo = indices[p] * w + c;
        a0 -= v * x[jo];
        a1 -= v * x[jo + 1];
      }
      x[q] = a0 / d;
      x[q + 1] = a1 / d;
    }
    if (c < w) {
      let a0 = rhs[o + c];
      for (let p = p0; p < end; p++) a0 -= values[p] * x[indices[p] * w + c];
      x[o + c] = a0 / d;
    }
  }
}

/**
 * r = rhs − A x right after {@link forwardSweepFromZero}: on a row with a_ii ≠ 0 the sweep made
 * rhs_i − a_ii x_i − Σ_{j<i} a_ij x_j vanish, so r_i = −Σ_{j>i} a_ij x_j and only the upper triangle is
 * read; a row with a_ii = 0 (x_i = 0) gets rhs_i − Σ_{j≠i} a_ij x_j.
 */
export function residualAfterForwardSweep(
  lower: Triangle,
  upper: Triangle,
  diag: Float64Array,
  rhs: Float64Array,
  x: Float64Array,
  r: Float64Array,
  n: number,
  w: number,
): void {
  const { indptr, indices, values } = upper;
  const w8 = w & ~7;
  const w4 = w & ~3;
  for (let i = 0; i < n; i++) {
    const o = i * w;
    const p0 = indptr[i];
    const end = indptr[i + 1];
    if (diag[i] === 0) {
      for (let c = 0; c < w; c++) {
        let a0 = rhs[o + c];
        for (let p = p0; p < end; p++) a0 -= values[p] * x[indices[p] * w + c];
        for (let p = lower.indptr[i]; p < lower.indptr[i + 1]; p++)
          a0 -= lower.values[p] * x[lower.indices[p] * w + c];
        r[o + c] = a0;
      }
      continue;
    }
    let c = 0;
    for (; c < w8; c += 8) {
      let a0 = 0,
        a1 = 0,
        a2 = 0,
        a3 = 0,
        a4 = 0,
        a5 = 0,
        a6 = 0,
        a7 = 0;
      for (let p = p0; p < end; p++) {
        const v = values[p];
        const jo = indices[p] * w + c;
        a0 -= v * x[jo];
        a1 -= v * x[jo + 1];
        a2 -= v * x[jo + 2];
        a3 -= v * x[jo + 3];
        a4 -= v * x[jo + 4];
        a5 -= v * x[jo + 5];
        a6 -= v * x[jo + 6];
        a7 -= v * x[jo + 7];
      }
      const q = o + c;
      r[q] = a0;
      r[q + 1] = a1;
      r[q + 2] = a2;
      r[q + 3] = a3;
      r[q + 4] = a4;
      r[q + 5] = a5;
      r[q + 6] = a6;
      r[q + 7] = a7;
    }
    for (; c < w4; c += 4) {
      let a0 = 0,
        a1 = 0,
        a2 = 0,
        a3 = 0;
      for (let p = p0; p < end; p++) {
        const v = values[p];
        const jo = indices[p] * w + c;
        a0 -= v * x[jo];
        a1 -= v * x[jo + 1];
        a2 -= v * x[jo + 2];
        a3 -= v * x[jo + 3];
      }
      const q = o + c;
      r[q] = a0;
      r[q + 1] = a1;
      r[q + 2] = a2;
      r[q + 3] = a3;
    }
    for (; c + 1 < w; c += 2) {
      let a0 = 0,
        a1 = 0;
      for (let p = p0; p < end; p++) {
        const v = values[p];
        const jo = indices[p] * w + c;
        a0 -= v * x[jo];
        a1 -= v * x[jo + 1];
      }
      r[o + c] = a0;
      r[o + c + 1] = a1;
    }
    if (c < w) {
      let a0 = 0;
      for (let p = p0; p < end; p++) a0 -= values[p] * x[indices[p] * w + c];
      r[o + c] = a0;
    }
  }
}

/** A V-cycle preconditioner with its hierarchy statistics. */
export interface AmgPreconditioner extends BlockOperator {
  /** Unknowns per level, finest first. */
  readonly sizes: number[];
  /** Σ nnz(A_l) / nnz(A_0) (operator complexity). */
  readonly complexity: number;
  /**
   * Up to `w` eigenvectors of the coarsest operator for its smallest non-zero eigenvalues, prolongated
   * to the finest level (n × cols, row-major): smooth approximations of the wanted low modes, a start
   * block that spares LOBPCG the iterations a random one spends on smoothing.
   */
  coarseModes(w: number): { block: Float64Array; cols: number };
}

/** Greedy aggregation (Vaněk et al. 1996, passes 1–3) on strong connections; returns aggregate per node and count. */
function aggregate(A: SymCsr, eps: number): { agg: Int32Array; count: number } {
  const { n, indptr, indices, values, diag } = A;
  const strong = new Uint8Array(indptr[n]);
  for (let i = 0; i < n; i++) {
    for (let p = indptr[i]; p < indptr[i + 1]; p++) {
      const j = indices[p];
      strong[p] = Math.abs(values[p]) >= eps * Math.sqrt(Math.abs(diag[i] * diag[j])) ? 1 : 0;
    }
  }
  const agg = new Int32Array(n).fill(-1);
  let count = 0;
  // Pass 1: a node whose strong neighbourhood is entirely free seeds an aggregate with it.
  for (let i = 0; i < n; i++) {
    if (agg[i] >= 0) continue;
    let free = true;
    let any = false;
    for (let p = indptr[i]; p < indptr[i + 1]; p++) {
      if (!strong[p]) continue;
      any = true;
      if (agg[indices[p]] >= 0) {
        free = false;
        break;
      }
    }
    if (!free || !any) continue;
    agg[i] = count;
    for (let p = indptr[i]; p < indptr[i + 1]; p++) if (strong[p]) agg[indices[p]] = count;
    count++;
  }
  // Pass 2: a remaining node joins the aggregate of its strongest aggregated neighbour.
  const pass1 = agg.slice();
  for (let i = 0; i < n; i++) {
    if (agg[i] >= 0) continue;
    let best = -1;
    let bestW = -1;
    for (let p = indptr[i]; p < indptr[i + 1]; p++) {
      const j = indices[p];
      if (strong[p] && pass1[j] >= 0 && Math.abs(values[p]) > bestW) {
        bestW = Math.abs(values[p]);
        best = pass1[j];
      }
    }
    if (best >= 0) agg[i] = best;
  }
  // Pass 3: leftovers form aggregates with their free strong neighbours (singletons if none).
  for (let i = 0; i < n; i++) {
    if (agg[i] >= 0) continue;
    agg[i] = count;
    for (let p = indptr[i]; p < indptr[i + 1]; p++) {
      if (strong[p] && agg[indices[p]] < 0) agg[indices[p]] = count;
    }
    count++;
  }
  return { agg, count };
}

/** Spectral radius bound of D^{-1}A: a few power steps, ×1.05, capped by Gershgorin. */
function radiusDinvA(A: SymCsr): number {
  const { n, indptr, values, diag } = A;
  let gersh = 0;
  for (let i = 0; i < n; i++) {
    let s = Math.abs(diag[i]);
    for (let p = indptr[i]; p < indptr[i + 1]; p++) s += Math.abs(values[p]);
    if (diag[i] !== 0) gersh = Math.max(gersh, s / Math.abs(diag[i]));
  }
  let x = new Float64Array(n);
  let y = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = 1 + ((i * 2654435761) % 1000) / 1000;
  let rho = 0;
  for (let it = 0; it < 12; it++) {
    spmm(A, x, y, 1);
    let num = 0;
    let den = 0;
    for (let i = 0; i < n; i++) {
      const d = diag[i] !== 0 ? diag[i] : 1;
      y[i] /= d;
      num += y[i] * y[i] * d;
      den += x[i] * y[i] * d;
    }
    rho = Math.sqrt(num) / Math.max(Math.sqrt(Math.abs(den)), 1e-300);
    let s = 0;
    for (let i = 0; i < n; i++) s += y[i] * y[i];
    s = 1 / Math.sqrt(s || 1);
    for (let i = 0; i < n; i++) y[i] *= s;
    [x, y] = [y, x];
  }
  return Math.min(gersh, 1.05 * rho) || gersh || 1;
}

/** Tentative prolongator (one nonzero per row, columns normalised to fit `b`) and the coarse near-null vector. */
function tentative(agg: Int32Array, count: number, b: Float64Array): { P0: Csr; bc: Float64Array } {
  const n = agg.length;
  const norm2 = new Float64Array(count);
  const size = new Int32Array(count);
  for (let i = 0; i < n; i++) {
    norm2[agg[i]] += b[i] * b[i];
    size[agg[i]]++;
  }
  const bc = new Float64Array(count);
  for (let J = 0; J < count; J++) bc[J] = Math.sqrt(norm2[J]);
  const indptr = new Int32Array(n + 1);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    indptr[i + 1] = i + 1;
    const J = agg[i];
    values[i] = bc[J] > 0 ? b[i] / bc[J] : 1 / Math.sqrt(size[J]);
  }
  return { P0: { rows: n, cols: count, indptr, indices: agg.slice(), values }, bc };
}

/** P = (I − ω D^{-1} A) P0 with ω = (4/3)/ρ(D^{-1}A). */
function smoothProlongator(A: SymCsr, Afull: Csr, P0: Csr): Csr {
  const omega = 4 / 3 / radiusDinvA(A);
  const AP = spgemm(Afull, P0);
  const { diag } = A;
  for (let i = 0; i < AP.rows; i++) {
    const s = diag[i] !== 0 ? -omega / diag[i] : 0;
    for (let p = AP.indptr[i]; p < AP.indptr[i + 1]; p++) AP.values[p] *= s;
  }
  // Add P0 (one entry per row) into AP's pattern (it is there: A has its diagonal).
  for (let i = 0; i < AP.rows; i++) {
    const J = P0.indices[i];
    let found = false;
    for (let p = AP.indptr[i]; p < AP.indptr[i + 1]; p++) {
      if (AP.indices[p] === J) {
        AP.values[p] += P0.values[i];
        found = true;
        break;
      }
    }
    if (!found) throw new Error('spectral.amg: internal error, prolongator pattern');
  }
  return AP;
}

/** Build a smoothed-aggregation hierarchy for a symmetric positive semidefinite A with near-null vector `b`. */
export function smoothedAggregation(
  A0: SymCsr,
  b0: Float64Array,
  options: AmgOptions = {},
): AmgPreconditioner {
  const maxCoarse = options.maxCoarse ?? 200;
  const maxLevels = options.maxLevels ?? 25;
  let eps = options.strength ?? 0.08;
  const sweeps = options.sweeps ?? 1;
  const cycles = options.cycles ?? 1;
  const levels: Level[] = [];
  let A = A0;
  let b = b0;
  const sizes = [A0.n];
  let nnzTotal = A0.indptr[A0.n] + A0.n;
  const nnz0 = nnzTotal;
  while (A.n > maxCoarse && levels.length + 1 < maxLevels) {
    const { agg, count } = aggregate(A, eps);
    if (count >= A.n * 0.9 || count === 0) break;
    const Afull = fromSym(A);
    const { P0, bc } = tentative(agg, count, b);
    const P = smoothProlongator(A, Afull, P0);
    const R = transpose(P);
    const Ac = toSym(spgemm(R, spgemm(Afull, P)));
    levels.push({ A, P, R, ...splitTriangles(A) });
    A = Ac;
    b = bc;
    eps *= 0.5;
    sizes.push(A.n);
    nnzTotal += A.indptr[A.n] + A.n;
  }
  // Bottom: pseudo-inverse from a dense eigendecomposition (A may be singular: one zero per component),
  // or Gauss–Seidel sweeps when the bottom is too large to hold densely.
  const nc = A.n;
  const denseBottom = nc <= (options.maxDenseBottom ?? 3000);
  let eigVectors: Float64Array = new Float64Array(0);
  let invVals: Float64Array = new Float64Array(0);
  if (denseBottom) {
    const dense = new Float64Array(nc * nc);
    for (let i = 0; i < nc; i++) {
      dense[i * nc + i] = A.diag[i];
      for (let p = A.indptr[i]; p < A.indptr[i + 1]; p++) dense[i * nc + A.indices[p]] += A.values[p];
    }
    for (let i = 0; i < nc; i++) {
      for (let j = 0; j < i; j++) {
        const s = 0.5 * (dense[i * nc + j] + dense[j * nc + i]);
        dense[i * nc + j] = s;
        dense[j * nc + i] = s;
      }
    }
    const eig = symEigSmall(dense, nc);
    const lmax = Math.max(Math.abs(eig.values[0]), Math.abs(eig.values[nc - 1]));
    eigVectors = eig.vectors;
    invVals = eig.values.map((v) => (Math.abs(v) > 1e-10 * lmax ? 1 / v : 0));
  }
  const bottom = A;

  // Scratch per level and block width.
  const scratch = new Map<string, Float64Array>();
  const buf = (key: string, len: number): Float64Array => {
    let a = scratch.get(key);
    if (!a || a.length < len) {
      a = new Float64Array(len);
      scratch.set(key, a);
    }
    return a;
  };

  const solveBottom = (rhs: Float64Array, x: Float64Array, w: number): void => {
    if (!denseBottom) {
      // Symmetric Gauss–Seidel from zero: a symmetric positive (semi)definite approximate inverse.
      x.fill(0, 0, nc * w);
      for (let t = 0; t < 2; t++) {
        gaussSeidel(bottom, rhs, x, w, true);
        gaussSeidel(bottom, rhs, x, w, false);
      }
      return;
    }
    const V = eigVectors;
    const t = buf('bt', nc * w);
    t.fill(0, 0, nc * w);
    for (let i = 0; i < nc; i++) {
      for (let j = 0; j < nc; j++) {
        const v = V[i * nc + j];
        for (let c = 0; c < w; c++) t[j * w + c] += v * rhs[i * w + c];
      }
    }
    for (let j = 0; j < nc; j++) for (let c = 0; c < w; c++) t[j * w + c] *= invVals[j];
    x.fill(0, 0, nc * w);
    for (let i = 0; i < nc; i++) {
      for (let j = 0; j < nc; j++) {
        const v = V[i * nc + j];
        for (let c = 0; c < w; c++) x[i * w + c] += v * t[j * w + c];
      }
    }
  };

  /**
   * One Gauss–Seidel sweep (forward or backward) on A x = rhs, all w columns at once, in register
   * tiles of 4 and 2 columns (rows hold off-diagonal entries only, so a row never reads its own x).
   */
  const gaussSeidel = (L: SymCsr, rhs: Float64Array, x: Float64Array, w: number, forward: boolean): void => {
    const { n, indptr, indices, values, diag } = L;
    const w4 = w & ~3;
    for (let s = 0; s < n; s++) {
      const i = forward ? s : n - 1 - s;
      const o = i * w;
      const d = diag[i];
      if (d === 0) continue;
      const p0 = indptr[i];
      const end = indptr[i + 1];
      let c = 0;
      for (; c < w4; c += 4) {
        const q = o + c;
        let a0 = rhs[q],
          a1 = rhs[q + 1],
          a2 = rhs[q + 2],
          a3 = rhs[q + 3];
        for (let p = p0; p < end; p++) {
          const v = values[p];
          const jo = indices[p] * w + c;
          a0 -= v * x[jo];
          a1 -= v * x[jo + 1];
          a2 -= v * x[jo + 2];
          a3 -= v * x[jo + 3];
        }
        x[q] = a0 / d;
        x[q + 1] = a1 / d;
        x[q + 2] = a2 / d;
        x[q + 3] = a3 / d;
      }
      for (; c + 1 < w; c += 2) {
        const q = o + c;
        let a0 = rhs[q],
          a1 = rhs[q + 1];
        for (let p = p0; p < end; p++) {
          const v = values[p];
          const jo = indices[p] * w + c;
          a0 -= v * x[jo];
          a1 -= v * x[jo + 1];
        }
        x[q] = a0 / d;
        x[q + 1] = a1 / d;
      }
      if (c < w) {
        let a0 = rhs[o + c];
        for (let p = p0; p < end; p++) a0 -= values[p] * x[indices[p] * w + c];
        x[o + c] = a0 / d;
      }
    }
  };

  /** y (+)= M x for a general CSR M (rows × cols) on w columns, in register tiles of 4 and 2 columns. */
  const csrMul = (M: Csr, x: Float64Array, y: Float64Array, w: number, add: boolean): void => {
    const w4 = w & ~3;
    for (let i = 0; i < M.rows; i++) {
      const o = i * w;
      const p0 = M.indptr[i];
      const end = M.indptr[i + 1];
      let c = 0;
      for (; c < w4; c += 4) {
        const q = o + c;
        let s0 = add ? y[q] : 0,
          s1 = add ? y[q + 1] : 0,
          s2 = add ? y[q + 2] : 0,
          s3 = add ? y[q + 3] : 0;
        for (let p = p0; p < end; p++) {
          const v = M.values[p];
          const jo = M.indices[p] * w + c;
          s0 += v * x[jo];
          s1 += v * x[jo + 1];
          s2 += v * x[jo + 2];
          s3 += v * x[jo + 3];
        }
        y[q] = s0;
        y[q + 1] = s1;
        y[q + 2] = s2;
        y[q + 3] = s3;
      }
      for (; c + 1 < w; c += 2) {
        const q = o + c;
        let s0 = add ? y[q] : 0,
          s1 = add ? y[q + 1] : 0;
        for (let p = p0; p < end; p++) {
          const v = M.values[p];
          const jo = M.indices[p] * w + c;
          s0 += v * x[jo];
          s1 += v * x[jo + 1];
        }
        y[q] = s0;
        y[q + 1] = s1;
      }
      if (c < w) {
        let s0 = add ? y[o + c] : 0;
        for (let p = p0; p < end; p++) s0 += M.values[p] * x[M.indices[p] * w + c];
        y[o + c] = s0;
      }
    }
  };

  const vcycle = (l: number, rhs: Float64Array, x: Float64Array, w: number): void => {
    if (l === levels.length) {
      solveBottom(rhs, x, w);
      return;
    }
    const { A: L, P, R, lower, upper } = levels[l];
    const n = L.n;
    const r = buf(`r${l}`, n * w);
    // Pre-smoothing from zero and the residual after it read the lower and the upper triangle once
    // each (together one pass over A, where a full sweep and a product were two).
    if (sweeps === 0) {
      x.fill(0, 0, n * w);
      r.set(rhs.subarray(0, n * w));
    } else if (sweeps === 1) {
      forwardSweepFromZero(lower, L.diag, rhs, x, n, w);
      residualAfterForwardSweep(lower, upper, L.diag, rhs, x, r, n, w);
    } else {
      forwardSweepFromZero(lower, L.diag, rhs, x, n, w);
      for (let t = 1; t < sweeps; t++) gaussSeidel(L, rhs, x, w, true);
      spmm(L, x, r, w);
      for (let t = 0; t < n * w; t++) r[t] = rhs[t] - r[t];
    }
    const nc2 = R.rows;
    const rc = buf(`rc${l}`, nc2 * w);
    const xc = buf(`xc${l}`, nc2 * w);
    csrMul(R, r, rc, w, false);
    vcycle(l + 1, rc, xc, w);
    csrMul(P, xc, x, w, true);
    for (let t = 0; t < sweeps; t++) gaussSeidel(L, rhs, x, w, false);
  };

  return {
    n: A0.n,
    sizes,
    complexity: nnzTotal / nnz0,
    coarseModes(w) {
      if (!denseBottom) return { block: new Float64Array(0), cols: 0 };
      const idx: number[] = [];
      for (let j = 0; j < nc && idx.length < w; j++) if (invVals[j] !== 0) idx.push(j);
      const cols = idx.length;
      let x = new Float64Array(nc * cols);
      for (let i = 0; i < nc; i++)
        for (let t = 0; t < cols; t++) x[i * cols + t] = eigVectors[i * nc + idx[t]];
      for (let l = levels.length - 1; l >= 0; l--) {
        const y = new Float64Array(levels[l].P.rows * cols);
        csrMul(levels[l].P, x, y, cols, false);
        x = y;
      }
      return { block: x, cols };
    },
    apply(X, Y, w) {
      if (levels.length === 0 && bottom === A0) {
        solveBottom(X, Y, w);
        return;
      }
      vcycle(0, X, Y, w);
      for (let c = 1; c < cycles; c++) {
        // Y ← Y + V(X − A Y): another stationary step, still symmetric.
        const res = buf('cyc-r', A0.n * w);
        const cor = buf('cyc-x', A0.n * w);
        spmm(A0, Y, res, w);
        for (let t = 0; t < A0.n * w; t++) res[t] = X[t] - res[t];
        vcycle(0, res, cor, w);
        for (let t = 0; t < A0.n * w; t++) Y[t] += cor[t];
      }
    },
  };
}
