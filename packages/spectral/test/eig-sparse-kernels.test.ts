import { describe, expect, it } from 'vitest';
import {
  forwardSweepFromZero,
  residualAfterForwardSweep,
  smoothedAggregation,
  splitTriangles,
} from '../src/eig/sparse/amg.js';
import {
  gram,
  gramSym,
  mulSmall,
  residualBlock,
  selectColumns,
  svqb,
  svqbCoef,
} from '../src/eig/sparse/block.js';
import { disjointDeflation } from '../src/eig/sparse/deflation.js';
import { spmm } from '../src/eig/sparse/operator.js';
import { randomGeometricGraph } from '../src/generators/geometric.js';
import { largestComponent } from '../src/generators/largest-component.js';
import { degrees } from '../src/laplacian/degree.js';
import { laplacianCsr } from '../src/laplacian/operator.js';
import { createRng } from '../src/util/rng.js';

/** n×b row-major block of standard normal entries. */
function randomBlock(n: number, b: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const X = new Float64Array(n * b);
  for (let t = 0; t < X.length; t++) X[t] = rng.normal();
  return X;
}

function maxAbsDiff(a: Float64Array, b: Float64Array, len = a.length): number {
  let worst = 0;
  for (let t = 0; t < len; t++) worst = Math.max(worst, Math.abs(a[t] - b[t]));
  return worst;
}

/** Naive Xᵀ Y (bx × by). */
function naiveGram(X: Float64Array, bx: number, Y: Float64Array, by: number, n: number): Float64Array {
  const out = new Float64Array(bx * by);
  for (let a = 0; a < bx; a++)
    for (let c = 0; c < by; c++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += X[i * bx + a] * Y[i * by + c];
      out[a * by + c] = s;
    }
  return out;
}

/** Naive X C (n × bc). */
function naiveMul(X: Float64Array, bx: number, C: Float64Array, bc: number, n: number): Float64Array {
  const out = new Float64Array(n * bc);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < bc; c++) {
      let s = 0;
      for (let a = 0; a < bx; a++) s += X[i * bx + a] * C[a * bc + c];
      out[i * bc + c] = s;
    }
  return out;
}

// Odd shapes: widths around the 4-wide tiles, row counts around the 2/4-row tiles and the 256-row chunk.
const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [3, 5, 2],
  [7, 4, 9],
  [257, 17, 17],
  [513, 8, 3],
  [1030, 13, 6],
  [5, 0, 4],
  [6, 3, 0],
];

describe('sparse block kernels against naive references', () => {
  it('gram (full and upper) and gramSym equal the triple loop', () => {
    for (const [n, bx, by] of SHAPES) {
      const X = randomBlock(n, bx, 1 + n);
      const Y = randomBlock(n, by, 2 + n);
      const ref = naiveGram(X, bx, Y, by, n);
      expect(maxAbsDiff(gram(X, bx, Y, by, n), ref)).toBeLessThan(1e-12 * Math.max(1, n));
      const refS = naiveGram(X, bx, X, bx, n);
      expect(maxAbsDiff(gramSym(X, X, bx, n), refS)).toBeLessThan(1e-12 * Math.max(1, n));
    }
  });

  it('mulSmall (overwrite and accumulate) equals the triple loop, also into a longer buffer', () => {
    for (const [n, bx, bc] of SHAPES) {
      const X = randomBlock(n, bx, 4 + n);
      const C = randomBlock(bx, bc, 5 + n);
      const ref = naiveMul(X, bx, C, bc, n);
      const out = new Float64Array(n * bc + 7).fill(9);
      mulSmall(X, bx, C, bc, n, out);
      expect(maxAbsDiff(out, ref, n * bc)).toBeLessThan(1e-12);
      expect(Array.from(out.subarray(n * bc))).toEqual(new Array(7).fill(9));
      const base = randomBlock(n, bc, 6 + n);
      const acc = Float64Array.from(base);
      mulSmall(X, bx, C, bc, n, acc, true);
      for (let t = 0; t < n * bc; t++) expect(acc[t]).toBeCloseTo(base[t] + ref[t], 11);
    }
  });

  it('residualBlock gives AX − Xθ and its column norms', () => {
    for (const [n, b] of [
      [1, 1],
      [9, 5],
      [300, 17],
    ]) {
      const AX = randomBlock(n, b, 7);
      const X = randomBlock(n, b, 8);
      const theta = randomBlock(1, b, 9);
      const R = new Float64Array(n * b);
      const norms = new Float64Array(b).fill(5);
      residualBlock(AX, X, theta, b, n, R, norms);
      for (let c = 0; c < b; c++) {
        let s = 0;
        for (let i = 0; i < n; i++) {
          const r = AX[i * b + c] - theta[c] * X[i * b + c];
          expect(R[i * b + c]).toBe(r);
          s += r * r;
        }
        expect(norms[c]).toBeCloseTo(Math.sqrt(s), 12);
      }
    }
  });

  it('selectColumns in place (out = X, increasing columns) equals a copy', () => {
    const n = 37;
    const b = 11;
    const X = randomBlock(n, b, 10);
    for (const cols of [[0], [10], [1, 2, 3], [0, 4, 5, 9, 10], Array.from({ length: b }, (_, j) => j)]) {
      const ref = selectColumns(X, b, cols, n);
      const Y = Float64Array.from(X);
      selectColumns(Y, b, cols, n, Y);
      expect(Array.from(Y.subarray(0, n * cols.length))).toEqual(Array.from(ref));
    }
  });

  it('svqbCoef: X C is orthonormal, and svqb equals X · svqbCoef(XᵀX)', () => {
    const n = 200;
    const b = 7;
    const X = randomBlock(n, b, 11);
    // Make column 6 a combination of 0 and 1 (dependent) and column 3 zero: both are dropped.
    for (let i = 0; i < n; i++) {
      X[i * b + 6] = 2 * X[i * b] - 0.5 * X[i * b + 1];
      X[i * b + 3] = 0;
    }
    const G = naiveGram(X, b, X, b, n);
    const G0 = Float64Array.from(G);
    const { C, cols } = svqbCoef(G, b);
    expect(Array.from(G)).toEqual(Array.from(G0)); // not modified
    expect(cols).toBe(5);
    const Q = naiveMul(X, b, C, cols, n);
    const QQ = naiveGram(Q, cols, Q, cols, n);
    for (let a = 0; a < cols; a++)
      for (let c = 0; c < cols; c++) expect(QQ[a * cols + c]).toBeCloseTo(a === c ? 1 : 0, 10);
    const q = svqb(X, b, n);
    expect(q.cols).toBe(cols);
    expect(maxAbsDiff(q.block, Q)).toBeLessThan(1e-12);
    expect(svqbCoef(new Float64Array(0), 0).cols).toBe(0);
  });
});

describe('disjoint deflation', () => {
  it('equals classical Gram–Schmidt twice against the per-label vectors (bit for bit), nodes in no vector untouched', () => {
    const n = 101;
    const b = 6;
    const count = 3;
    const rng = createRng(12);
    const label = new Int32Array(n);
    for (let i = 0; i < n; i++) label[i] = i % 7 === 0 ? -1 : Math.floor(rng.next() * count);
    const z = new Float64Array(n);
    const norm2 = new Float64Array(count);
    for (let i = 0; i < n; i++) {
      if (label[i] < 0) continue;
      z[i] = 0.5 + rng.next();
      norm2[label[i]] += z[i] * z[i];
    }
    for (let i = 0; i < n; i++) if (label[i] >= 0) z[i] /= Math.sqrt(norm2[label[i]]);
    const X = randomBlock(n, b, 13);
    const ref = Float64Array.from(X);
    for (let pass = 0; pass < 2; pass++) {
      const coef = new Float64Array(count * b);
      for (let i = 0; i < n; i++)
        if (label[i] >= 0) for (let q = 0; q < b; q++) coef[label[i] * b + q] += z[i] * ref[i * b + q];
      for (let i = 0; i < n; i++)
        if (label[i] >= 0) for (let q = 0; q < b; q++) ref[i * b + q] -= z[i] * coef[label[i] * b + q];
    }
    const d = disjointDeflation(label, z, count);
    const Y = Float64Array.from(X);
    d.project(Y, b);
    expect(Array.from(Y)).toEqual(Array.from(ref));
    for (let i = 0; i < n; i++)
      if (label[i] < 0) for (let q = 0; q < b; q++) expect(Y[i * b + q]).toBe(X[i * b + q]);
    // Narrower block through the same (grown) scratch.
    const Z = randomBlock(n, 2, 14);
    d.project(Z, 2);
    for (let c = 0; c < count; c++)
      for (let q = 0; q < 2; q++) {
        let s = 0;
        for (let i = 0; i < n; i++) if (label[i] === c) s += z[i] * Z[i * 2 + q];
        expect(Math.abs(s)).toBeLessThan(1e-14);
      }
  });
});

/** A random symmetric SymCsr (unsorted rows) with some zero diagonal entries and an empty row. */
function randomSymCsr(n: number, seed: number) {
  const rng = createRng(seed);
  const rows: Map<number, number>[] = Array.from({ length: n }, () => new Map());
  for (let e = 0; e < 4 * n; e++) {
    const i = rng.int(n);
    const j = rng.int(n);
    if (i === j || i === n - 1 || j === n - 1) continue;
    const v = rng.normal();
    rows[i].set(j, v);
    rows[j].set(i, v);
  }
  const indptr = new Int32Array(n + 1);
  const idx: number[] = [];
  const val: number[] = [];
  for (let i = 0; i < n; i++) {
    const entries = [...rows[i]].sort(() => rng.next() - 0.5);
    for (const [j, v] of entries) {
      idx.push(j);
      val.push(v);
    }
    indptr[i + 1] = idx.length;
  }
  const diag = new Float64Array(n);
  for (let i = 0; i < n; i++) diag[i] = i % 5 === 2 ? 0 : 3 + rng.next();
  return { n, indptr, indices: Int32Array.from(idx), values: Float64Array.from(val), diag };
}

describe('AMG smoother kernels against naive references', () => {
  it('splitTriangles keeps every off-diagonal entry on its side, rows in the original order', () => {
    const A = randomSymCsr(40, 15);
    const { lower, upper } = splitTriangles(A);
    for (let i = 0; i < A.n; i++) {
      const row: [number, number][] = [];
      for (let p = A.indptr[i]; p < A.indptr[i + 1]; p++) row.push([A.indices[p], A.values[p]]);
      const lo: [number, number][] = [];
      const up: [number, number][] = [];
      for (let p = lower.indptr[i]; p < lower.indptr[i + 1]; p++)
        lo.push([lower.indices[p], lower.values[p]]);
      for (let p = upper.indptr[i]; p < upper.indptr[i + 1]; p++)
        up.push([upper.indices[p], upper.values[p]]);
      expect(lo).toEqual(row.filter(([j]) => j < i));
      expect(up).toEqual(row.filter(([j]) => j > i));
    }
  });

  it('forward sweep from zero equals a full Gauss–Seidel sweep from zero; the residual after it equals rhs − A x', () => {
    const A = randomSymCsr(53, 16);
    const { lower, upper } = splitTriangles(A);
    for (const w of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 17]) {
      const rhs = randomBlock(A.n, w, 17 + w);
      // Naive full forward sweep from zero (rows with a zero diagonal stay 0).
      const ref = new Float64Array(A.n * w);
      for (let i = 0; i < A.n; i++) {
        if (A.diag[i] === 0) continue;
        for (let c = 0; c < w; c++) {
          let a = rhs[i * w + c];
          for (let p = A.indptr[i]; p < A.indptr[i + 1]; p++) a -= A.values[p] * ref[A.indices[p] * w + c];
          ref[i * w + c] = a / A.diag[i];
        }
      }
      const x = new Float64Array(A.n * w).fill(7);
      forwardSweepFromZero(lower, A.diag, rhs, x, A.n, w);
      expect(maxAbsDiff(x, ref)).toBeLessThan(1e-12);
      const r = new Float64Array(A.n * w).fill(7);
      residualAfterForwardSweep(lower, upper, A.diag, rhs, x, r, A.n, w);
      for (let i = 0; i < A.n; i++) {
        for (let c = 0; c < w; c++) {
          let a = rhs[i * w + c] - A.diag[i] * x[i * w + c];
          for (let p = A.indptr[i]; p < A.indptr[i + 1]; p++) a -= A.values[p] * x[A.indices[p] * w + c];
          expect(Math.abs(r[i * w + c] - a)).toBeLessThan(1e-12 * (1 + Math.abs(rhs[i * w + c])));
        }
      }
    }
  });
});

describe('block products equal column-by-column ones, bit for bit, at every tile width', () => {
  const g = largestComponent(randomGeometricGraph(1500, { meanDegree: 10, seed: 3 })).graph;
  const L = laplacianCsr(g, 'sym');
  const A = { n: L.n, indptr: L.indptr, indices: L.indices, values: L.values, diag: L.diag };
  const widths = [1, 2, 3, 5, 6, 7, 10, 11, 17];

  it('spmm', () => {
    for (const w of widths) {
      const X = randomBlock(A.n, w, 20 + w);
      const Y = new Float64Array(A.n * w);
      spmm(A, X, Y, w);
      const x = new Float64Array(A.n);
      const y = new Float64Array(A.n);
      for (let c = 0; c < w; c++) {
        for (let i = 0; i < A.n; i++) x[i] = X[i * w + c];
        spmm(A, x, y, 1);
        let differ = 0;
        for (let i = 0; i < A.n; i++) if (!Object.is(Y[i * w + c], y[i])) differ++;
        expect(differ).toBe(0);
      }
    }
  });

  it('the AMG V-cycle (sweeps, residual, restriction, prolongation, bottom solve)', () => {
    const b = Float64Array.from(degrees(g), Math.sqrt);
    const amg = smoothedAggregation(A, b, { maxCoarse: 50 });
    expect(amg.sizes.length).toBeGreaterThan(2);
    for (const w of widths) {
      const X = randomBlock(A.n, w, 40 + w);
      const Y = new Float64Array(A.n * w);
      amg.apply(X, Y, w);
      const x = new Float64Array(A.n);
      const y = new Float64Array(A.n);
      for (let c = 0; c < w; c++) {
        for (let i = 0; i < A.n; i++) x[i] = X[i * w + c];
        amg.apply(x, y, 1);
        let differ = 0;
        for (let i = 0; i < A.n; i++) if (!Object.is(Y[i * w + c], y[i])) differ++;
        expect(differ).toBe(0);
      }
    }
  });
});
