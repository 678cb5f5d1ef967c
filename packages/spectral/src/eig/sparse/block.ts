/**
 * Kernels on blocks of vectors stored row-major (n × b: entry (i, c) at i·b + c), the layout that
 * lets a sparse product read each matrix row once for all b vectors. Small matrices are row-major too.
 */
import { symEigSmall } from './small.js';

const CHUNK = 256;

/**
 * out (bx × by) = Xᵀ Y for X n×bx, Y n×by: rows in cache-sized chunks, 4×4 register tiles of the
 * result (16 multiply–adds per 8 loads), scalar edges.
 */
export function gram(
  X: Float64Array,
  bx: number,
  Y: Float64Array,
  by: number,
  n: number,
  out = new Float64Array(bx * by),
  upper = false,
): Float64Array {
  out.fill(0, 0, bx * by);
  const bx4 = bx & ~3;
  const by4 = by & ~3;
  for (let i0 = 0; i0 < n; i0 += CHUNK) {
    const i1 = Math.min(n, i0 + CHUNK);
    for (let a = 0; a < bx4; a += 4) {
      for (let c = upper ? a : 0; c < by4; c += 4) {
        let s00 = 0,
          s01 = 0,
          s02 = 0,
          s03 = 0,
          s10 = 0,
          s11 = 0,
          s12 = 0,
          s13 = 0;
        let s20 = 0,
          s21 = 0,
          s22 = 0,
          s23 = 0,
          s30 = 0,
          s31 = 0,
          s32 = 0,
          s33 = 0;
        for (let i = i0; i < i1; i++) {
          const xo = i * bx + a;
          const yo = i * by + c;
          const x0 = X[xo],
            x1 = X[xo + 1],
            x2 = X[xo + 2],
            x3 = X[xo + 3];
          const y0 = Y[yo],
            y1 = Y[yo + 1],
            y2 = Y[yo + 2],
            y3 = Y[yo + 3];
          s00 += x0 * y0;
          s01 += x0 * y1;
          s02 += x0 * y2;
          s03 += x0 * y3;
          s10 += x1 * y0;
          s11 += x1 * y1;
          s12 += x1 * y2;
          s13 += x1 * y3;
          s20 += x2 * y0;
          s21 += x2 * y1;
          s22 += x2 * y2;
          s23 += x2 * y3;
          s30 += x3 * y0;
          s31 += x3 * y1;
          s32 += x3 * y2;
          s33 += x3 * y3;
        }
        let o = a * by + c;
        out[o] += s00;
        out[o + 1] += s01;
        out[o + 2] += s02;
        out[o + 3] += s03;
        o += by;
        out[o] += s10;
        out[o + 1] += s11;
        out[o + 2] += s12;
        out[o + 3] += s13;
        o += by;
        out[o] += s20;
        out[o + 1] += s21;
        out[o + 2] += s22;
        out[o + 3] += s23;
        o += by;
        out[o] += s30;
        out[o + 1] += s31;
        out[o + 2] += s32;
        out[o + 3] += s33;
      }
    }
    // Edges: 1×4 tiles for rows a ≥ bx4, 4×1 tiles for columns c ≥ by4, scalars in the corner.
    for (let a = bx4; a < bx; a++) {
      for (let c = 0; c < (upper ? 0 : by4); c += 4) {
        let s0 = 0,
          s1 = 0,
          s2 = 0,
          s3 = 0;
        for (let i = i0; i < i1; i++) {
          const xa = X[i * bx + a];
          const yo = i * by + c;
          s0 += xa * Y[yo];
          s1 += xa * Y[yo + 1];
          s2 += xa * Y[yo + 2];
          s3 += xa * Y[yo + 3];
        }
        const o = a * by + c;
        out[o] += s0;
        out[o + 1] += s1;
        out[o + 2] += s2;
        out[o + 3] += s3;
      }
      for (let c = by4; c < by; c++) {
        let s0 = 0;
        for (let i = i0; i < i1; i++) s0 += X[i * bx + a] * Y[i * by + c];
        out[a * by + c] += s0;
      }
    }
    for (let c = by4; c < by; c++) {
      for (let a = 0; a < bx4; a += 4) {
        let s0 = 0,
          s1 = 0,
          s2 = 0,
          s3 = 0;
        for (let i = i0; i < i1; i++) {
          const yc = Y[i * by + c];
          const xo = i * bx + a;
          s0 += X[xo] * yc;
          s1 += X[xo + 1] * yc;
          s2 += X[xo + 2] * yc;
          s3 += X[xo + 3] * yc;
        }
        out[a * by + c] += s0;
        out[(a + 1) * by + c] += s1;
        out[(a + 2) * by + c] += s2;
        out[(a + 3) * by + c] += s3;
      }
    }
  }
  return out;
}

/** Symmetric Xᵀ X (b × b). */
export function gramSelf(X: Float64Array, b: number, n: number, out = new Float64Array(b * b)): Float64Array {
  return gramSym(X, X, b, n, out);
}

/**
 * Xᵀ Y (b × b) for a product known to be symmetric (Xᵀ X, Xᵀ A X with A symmetric): only the 4×4
 * tiles on and above the diagonal are computed (about half the work), the lower triangle is the
 * mirror of the upper one.
 */
export function gramSym(
  X: Float64Array,
  Y: Float64Array,
  b: number,
  n: number,
  out = new Float64Array(b * b),
): Float64Array {
  gram(X, b, Y, b, n, out, true);
  for (let a = 0; a < b; a++) for (let c = 0; c < a; c++) out[a * b + c] = out[c * b + a];
  return out;
}

/**
 * out (n × bc) (+)= X C for X n×bx and C bx×bc (row-major). With `accumulate` the product is added.
 * Two rows × four columns of the result per register tile. `out` must not alias X.
 */
export function mulSmall(
  X: Float64Array,
  bx: number,
  C: Float64Array,
  bc: number,
  n: number,
  out: Float64Array,
  accumulate = false,
): Float64Array {
  if (!accumulate) out.fill(0, 0, n * bc);
  const bc4 = bc & ~3;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const xo = i * bx;
    const xo2 = xo + bx;
    const oo = i * bc;
    const oo2 = oo + bc;
    for (let c = 0; c < bc4; c += 4) {
      let s0 = 0,
        s1 = 0,
        s2 = 0,
        s3 = 0,
        t0 = 0,
        t1 = 0,
        t2 = 0,
        t3 = 0;
      for (let a = 0; a < bx; a++) {
        const xa = X[xo + a];
        const xb = X[xo2 + a];
        const co = a * bc + c;
        const c0 = C[co],
          c1 = C[co + 1],
          c2 = C[co + 2],
          c3 = C[co + 3];
        s0 += xa * c0;
        s1 += xa * c1;
        s2 += xa * c2;
        s3 += xa * c3;
        t0 += xb * c0;
        t1 += xb * c1;
        t2 += xb * c2;
        t3 += xb * c3;
      }
      out[oo + c] += s0;
      out[oo + c + 1] += s1;
      out[oo + c + 2] += s2;
      out[oo + c + 3] += s3;
      out[oo2 + c] += t0;
      out[oo2 + c + 1] += t1;
      out[oo2 + c + 2] += t2;
      out[oo2 + c + 3] += t3;
    }
    for (let c = bc4; c < bc; c++) {
      let s = 0;
      let t = 0;
      for (let a = 0; a < bx; a++) {
        s += X[xo + a] * C[a * bc + c];
        t += X[xo2 + a] * C[a * bc + c];
      }
      out[oo + c] += s;
      out[oo2 + c] += t;
    }
  }
  for (; i < n; i++) {
    const xo = i * bx;
    const oo = i * bc;
    for (let c = 0; c < bc; c++) {
      let s = 0;
      for (let a = 0; a < bx; a++) s += X[xo + a] * C[a * bc + c];
      out[oo + c] += s;
    }
  }
  return out;
}

/** Column c of an n×b block into a length-n vector. */
export function getColumn(X: Float64Array, b: number, c: number, n: number, out: Float64Array): Float64Array {
  for (let i = 0; i < n; i++) out[i] = X[i * b + c];
  return out;
}

/** Length-n vector into column c of an n×b block. */
export function setColumn(X: Float64Array, b: number, c: number, n: number, v: Float64Array): void {
  for (let i = 0; i < n; i++) X[i * b + c] = v[i];
}

/**
 * Select columns `cols` of an n×b block into an n×cols.length block. `out` may be X itself when
 * `cols` is strictly increasing: every write lands at or before the entry being read, never on one
 * still to be read.
 */
export function selectColumns(
  X: Float64Array,
  b: number,
  cols: ArrayLike<number>,
  n: number,
  out: Float64Array = new Float64Array(n * cols.length),
): Float64Array {
  const bo = cols.length;
  for (let i = 0; i < n; i++) for (let c = 0; c < bo; c++) out[i * bo + c] = X[i * b + cols[c]];
  return out;
}

/**
 * R = AX − X diag(θ) (n × b) and the Euclidean norm of each of its columns, in one pass (the residual
 * block of a Ritz block). R may alias neither AX nor X.
 */
export function residualBlock(
  AX: Float64Array,
  X: Float64Array,
  theta: Float64Array,
  b: number,
  n: number,
  R: Float64Array,
  norms: Float64Array,
): void {
  norms.fill(0, 0, b);
  for (let i = 0; i < n; i++) {
    const o = i * b;
    for (let c = 0; c < b; c++) {
      const r = AX[o + c] - theta[c] * X[o + c];
      R[o + c] = r;
      norms[c] += r * r;
    }
  }
  for (let c = 0; c < b; c++) norms[c] = Math.sqrt(norms[c]);
}

/** Euclidean norm of every column of an n×b block. */
export function columnNorms(X: Float64Array, b: number, n: number, out = new Float64Array(b)): Float64Array {
  out.fill(0, 0, b);
  for (let i = 0; i < n; i++) {
    const o = i * b;
    for (let c = 0; c < b; c++) out[c] += X[o + c] * X[o + c];
  }
  for (let c = 0; c < b; c++) out[c] = Math.sqrt(out[c]);
  return out;
}

/**
 * The SVQB transform (Stathopoulos & Wu 2002) of a block from its Gram matrix G = XᵀX (b × b, not
 * modified): C = D^{-1/2} U Λ^{-1/2} (b × r) from the eigendecomposition of the scaled Gram matrix
 * D^{-1/2} G D^{-1/2}, so that X C has orthonormal columns. Directions with Λ below `drop`·max(Λ) are
 * discarded, and so are zero columns (r ≤ b).
 */
export function svqbCoef(G: Float64Array, b: number, drop = 1e-14): { C: Float64Array; cols: number } {
  if (b === 0) return { C: new Float64Array(0), cols: 0 };
  const S = new Float64Array(b * b);
  const s = new Float64Array(b);
  for (let c = 0; c < b; c++) s[c] = G[c * b + c] > 0 ? 1 / Math.sqrt(G[c * b + c]) : 0;
  for (let a = 0; a < b; a++) for (let c = 0; c < b; c++) S[a * b + c] = G[a * b + c] * (s[a] * s[c]);
  const { values, vectors } = symEigSmall(S, b);
  const top = values[b - 1];
  const keep: number[] = [];
  for (let j = 0; j < b; j++) if (values[j] > drop * top && values[j] > 0) keep.push(j);
  const r = keep.length;
  const C = new Float64Array(b * r);
  for (let a = 0; a < b; a++) {
    for (let t = 0; t < r; t++) {
      const j = keep[t];
      C[a * r + t] = (s[a] * vectors[a * b + j]) / Math.sqrt(values[j]);
    }
  }
  return { C, cols: r };
}

/**
 * Orthonormalize the columns of an n×b block by SVQB ({@link svqbCoef}): returns the new block
 * (n × r, r ≤ b) and r.
 */
export function svqb(
  X: Float64Array,
  b: number,
  n: number,
  drop = 1e-14,
): { block: Float64Array; cols: number } {
  if (b === 0) return { block: X, cols: 0 };
  const { C, cols: r } = svqbCoef(gramSelf(X, b, n), b, drop);
  return { block: mulSmall(X, b, C, r, n, new Float64Array(n * r)), cols: r };
}
