import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { smoothedAggregation } from '../src/eig/sparse/amg.js';
import { gram, gramSym } from '../src/eig/sparse/block.js';
import { eigshSmallest } from '../src/eig/sparse/eigsh.js';
import { laplacianEigsh } from '../src/eig/sparse/laplacian-eigsh.js';
import { spmm } from '../src/eig/sparse/operator.js';
import { JACOBI_MAX, symEigJacobi, symEigSmall } from '../src/eig/sparse/small.js';
import { GraphpeError } from '../src/errors.js';
import { edgeListInt32 } from '../src/generators/edge-binary.js';
import { randomGeometricGraph } from '../src/generators/geometric.js';
import { largestComponent } from '../src/generators/largest-component.js';
import { fromCoo } from '../src/graph/coo.js';
import type { Graph, LaplacianKind } from '../src/graph/types.js';
import { laplacianDense } from '../src/laplacian/dense.js';
import { laplacianCsr, laplacianOperator } from '../src/laplacian/operator.js';
import { createRng } from '../src/util/rng.js';

/** Dense reference: ascending eigenvalues and eigenvectors (n×n row-major, column j ↔ value j). */
function denseEig(M: Float64Array, n: number): { values: number[]; vectors: Float64Array } {
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) rows.push(Array.from(M.subarray(i * n, (i + 1) * n)));
  const e = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true });
  const vals = e.realEigenvalues;
  const order = vals.map((_, i) => i).sort((a, b) => vals[a] - vals[b]);
  const V = e.eigenvectorMatrix;
  const vectors = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) vectors[i * n + j] = V.get(i, order[j]);
  return { values: order.map((i) => vals[i]), vectors };
}

/** ‖V Vᵀ − U Uᵀ‖_max for n×k (row-major, stride sv) and n×k (stride su) blocks. */
function projectorDistance(
  V: Float64Array,
  sv: number,
  U: Float64Array,
  su: number,
  n: number,
  k: number,
): number {
  let worst = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let a = 0;
      let b = 0;
      for (let c = 0; c < k; c++) {
        a += V[i * sv + c] * V[j * sv + c];
        b += U[i * su + c] * U[j * su + c];
      }
      worst = Math.max(worst, Math.abs(a - b));
    }
  }
  return worst;
}

/** max_j ‖M v_j − λ_j v_j‖ for a dense M. */
function denseResidual(M: Float64Array, n: number, values: Float64Array, V: Float64Array, k: number): number {
  let worst = 0;
  for (let j = 0; j < k; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) {
      let r = -values[j] * V[i * k + j];
      for (let l = 0; l < n; l++) r += M[i * n + l] * V[l * k + j];
      s += r * r;
    }
    worst = Math.max(worst, Math.sqrt(s));
  }
  return worst;
}

function cycle(n: number): Graph {
  const src = Array.from({ length: n }, (_, i) => i);
  return fromCoo(
    src,
    src.map((i) => (i + 1) % n),
    undefined,
  );
}

function disjointUnion(gs: Graph[], extraIsolated = 0): Graph {
  const src: number[] = [];
  const dst: number[] = [];
  let off = 0;
  for (const g of gs) {
    for (let u = 0; u < g.n; u++) {
      for (let p = g.indptr[u]; p < g.indptr[u + 1]; p++) {
        if (g.indices[p] > u) {
          src.push(u + off);
          dst.push(g.indices[p] + off);
        }
      }
    }
    off += g.n;
  }
  return fromCoo(src, dst, undefined, { n: off + extraIsolated });
}

function erdosRenyi(n: number, p: number, seed: number): Graph {
  const rng = createRng(seed);
  const src: number[] = [];
  const dst: number[] = [];
  for (let u = 0; u < n; u++) {
    for (let v = u + 1; v < n; v++) {
      if (rng.next() < p) {
        src.push(u);
        dst.push(v);
      }
    }
  }
  return fromCoo(src, dst, undefined, { n });
}

/** Check values (1e-8), residuals (≤ tol, recomputed densely), and the spanned subspace against the dense reference. */
function checkAgainstDense(
  g: Graph,
  kind: LaplacianKind,
  k: number,
  values: Float64Array,
  vectors: Float64Array,
) {
  const n = g.n;
  const M = laplacianDense(g, kind);
  const ref = denseEig(kind === 'rw' ? laplacianDense(g, 'sym') : M, n);
  for (let j = 0; j < k; j++) expect(Math.abs(values[j] - ref.values[j])).toBeLessThan(1e-8);
  if (kind !== 'rw') {
    // Compare projectors on the span of all pairs strictly below the first gap at or after k.
    let kk = k;
    while (kk > 0 && ref.values[kk] - ref.values[kk - 1] < 1e-6) kk--;
    if (kk > 0) expect(projectorDistance(vectors, k, ref.vectors, n, n, kk)).toBeLessThan(1e-6);
  }
  return M;
}

describe('laplacianEigsh agrees with a dense reference', () => {
  const cases: [string, Graph][] = [
    [
      'RGG n=400 (largest component)',
      largestComponent(randomGeometricGraph(400, { meanDegree: 10, seed: 3 })).graph,
    ],
    ['Erdős–Rényi n=500', erdosRenyi(500, 0.02, 5)],
    ['RGG n=300 whole (fragments)', randomGeometricGraph(300, { meanDegree: 6, seed: 2 })],
  ];
  for (const [name, g] of cases) {
    for (const kind of ['sym', 'comb', 'rw'] as const) {
      it(`${name}, ${kind}`, () => {
        const k = 10;
        const tol = kind === 'comb' ? 1e-8 : 1e-10;
        const r = laplacianEigsh(g, { k, laplacian: kind, tol });
        expect(r.converged).toBe(true);
        const M = checkAgainstDense(g, kind, k, r.values, r.vectors);
        if (kind !== 'rw') {
          for (const x of r.residuals) expect(x).toBeLessThanOrEqual(tol);
          expect(denseResidual(M, g.n, r.values, r.vectors, k)).toBeLessThan(2 * tol);
        } else {
          expect(denseResidual(M, g.n, r.values, r.vectors, k)).toBeLessThan(1e-8);
        }
      });
    }
  }
});

describe('eigshSmallest (general operator)', () => {
  it('agrees with the dense reference on L_sym of an RGG n=300 and reports residuals ≤ tol', () => {
    const g = largestComponent(randomGeometricGraph(300, { meanDegree: 12, seed: 7 })).graph;
    const tol = 1e-9;
    const r = eigshSmallest(laplacianOperator(g, 'sym'), { k: 6, tol });
    checkAgainstDense(g, 'sym', 6, r.values, r.vectors);
    for (const x of r.residuals) expect(x).toBeLessThanOrEqual(tol);
    expect(denseResidual(laplacianDense(g, 'sym'), g.n, r.values, r.vectors, 6)).toBeLessThan(2 * tol);
  });

  it('finds c zeros for c components without deflation', () => {
    const g = disjointUnion([cycle(40), cycle(50), cycle(60), erdosRenyi(60, 0.1, 1)]);
    const r = eigshSmallest(laplacianOperator(g, 'sym'), { k: 6, tol: 1e-9 });
    for (let j = 0; j < 4; j++) expect(Math.abs(r.values[j])).toBeLessThan(1e-9);
    expect(r.values[4]).toBeGreaterThan(1e-3);
  });

  it('finds the pairs of C_n: 1 − cos(2πj/n) with multiplicity 2', () => {
    const n = 120;
    const r = eigshSmallest(laplacianOperator(cycle(n), 'sym'), { k: 7, tol: 1e-10 });
    const want = [0, 1, 1, 2, 2, 3, 3].map((j) => 1 - Math.cos((2 * Math.PI * j) / n));
    for (let j = 0; j < 7; j++) expect(Math.abs(r.values[j] - want[j])).toBeLessThan(1e-10);
  });

  it('deflates given vectors and honours v0', () => {
    const n = 150;
    const g = cycle(n);
    const z = new Float64Array(n).fill(1 / Math.sqrt(n));
    const r = eigshSmallest(laplacianOperator(g, 'sym'), {
      k: 4,
      deflate: z,
      v0: new Float64Array(n).fill(1).map((_, i) => Math.sin(i)),
    });
    const want = [1, 1, 2, 2].map((j) => 1 - Math.cos((2 * Math.PI * j) / n));
    for (let j = 0; j < 4; j++) expect(Math.abs(r.values[j] - want[j])).toBeLessThan(1e-9);
  });

  it('throws E_NOT_CONVERGED with the residuals reached when maxIter is too small', () => {
    const g = largestComponent(randomGeometricGraph(400, { meanDegree: 10, seed: 3 })).graph;
    let err: unknown;
    try {
      eigshSmallest(laplacianOperator(g, 'sym'), { k: 8, maxIter: 2 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(GraphpeError);
    expect((err as GraphpeError).code).toBe('E_NOT_CONVERGED');
    expect((err as GraphpeError).details.residuals).toBeInstanceOf(Float64Array);
    // laplacianEigsh solves a component of ≤ 2,500 nodes densely when LOBPCG stalls; a larger one throws.
    expect(laplacianEigsh(g, { k: 8, maxIter: 1 }).residuals.every((r) => r < 1e-12)).toBe(true);
    const big = largestComponent(randomGeometricGraph(3000, { meanDegree: 10, seed: 3 })).graph;
    expect(() => laplacianEigsh(big, { k: 8, maxIter: 1 })).toThrow(/component of \d+ nodes.*converged/);
  });

  it('validates options', () => {
    const op = laplacianOperator(cycle(10), 'sym');
    expect(() => eigshSmallest(op, { k: 0 })).toThrow(GraphpeError);
    expect(() => eigshSmallest(op, { k: 11 })).toThrow(/k must be/);
    expect(() => eigshSmallest(op, { k: 2, tol: -1 })).toThrow(/tol/);
  });
});

describe('laplacianEigsh structure', () => {
  it('c components give c exact zeros, then the smallest nonzero values', () => {
    const parts = [cycle(30), cycle(40), erdosRenyi(80, 0.08, 2)];
    const g = disjointUnion(parts);
    const r = laplacianEigsh(g, { k: 6 });
    expect(r.componentCount).toBe(3);
    expect(Array.from(r.values.subarray(0, 3))).toEqual([0, 0, 0]);
    checkAgainstDense(g, 'sym', 6, r.values, r.vectors);
  });

  it('more zero modes than k: returns k of them', () => {
    const g = disjointUnion(Array.from({ length: 8 }, () => cycle(5)));
    const r = laplacianEigsh(g, { k: 5 });
    expect(Array.from(r.values)).toEqual([0, 0, 0, 0, 0]);
    expect(denseResidual(laplacianDense(g, 'sym'), g.n, r.values, r.vectors, 5)).toBeLessThan(1e-14);
  });

  it('isolated nodes: λ = 1 for sym/rw (one-hot vectors), λ = 0 for comb', () => {
    const g = disjointUnion([cycle(6), cycle(8)], 3); // 14 cycle nodes + 3 isolated
    const sym = laplacianEigsh(g, { k: 17 });
    checkAgainstDense(g, 'sym', 17, sym.values, sym.vectors);
    expect(sym.values.filter((v) => Math.abs(v - 1) < 1e-12).length).toBeGreaterThanOrEqual(3);
    const comb = laplacianEigsh(g, { k: 6, laplacian: 'comb' });
    expect(Array.from(comb.values.subarray(0, 5))).toEqual([0, 0, 0, 0, 0]);
    expect(comb.componentCount).toBe(5);
    checkAgainstDense(g, 'comb', 6, comb.values, comb.vectors);
    const big = disjointUnion([largestComponent(randomGeometricGraph(300, { seed: 9 })).graph], 20);
    const r = laplacianEigsh(big, { k: 8, tol: 1e-10 });
    checkAgainstDense(big, 'sym', 8, r.values, r.vectors);
  });

  it('C_n pairs through the Laplacian entry point', () => {
    const n = 200;
    const r = laplacianEigsh(cycle(n), { k: 9, tol: 1e-10 });
    for (let j = 0; j < 9; j++) {
      const want = 1 - Math.cos((2 * Math.PI * Math.ceil(j / 2)) / n);
      expect(Math.abs(r.values[j] - want)).toBeLessThan(1e-10);
    }
  });

  it('same seed → identical output; progress is reported', () => {
    const g = largestComponent(randomGeometricGraph(2000, { meanDegree: 10, seed: 4 })).graph;
    const seen: number[] = [];
    const a = laplacianEigsh(g, { k: 8, seed: 11, onProgress: (p) => seen.push(p.maxResidual) });
    const b = laplacianEigsh(g, { k: 8, seed: 11 });
    expect(Array.from(a.values)).toEqual(Array.from(b.values));
    expect(Array.from(a.vectors)).toEqual(Array.from(b.vectors));
    expect(seen.length).toBe(a.iterations + 1);
    expect(seen[seen.length - 1]).toBeLessThanOrEqual(1e-8);
    for (const x of a.residuals) expect(x).toBeLessThanOrEqual(1e-8);
  });
});

describe('randomGeometricGraph', () => {
  it('is symmetric, sorted, seeded, with about the requested mean degree', () => {
    const g = randomGeometricGraph(20000, { meanDegree: 10, seed: 1 });
    const h = randomGeometricGraph(20000, { meanDegree: 10, seed: 1 });
    expect(Array.from(g.indices.subarray(0, 100))).toEqual(Array.from(h.indices.subarray(0, 100)));
    const mean = g.indices.length / g.n;
    expect(mean).toBeGreaterThan(9);
    expect(mean).toBeLessThan(10.5);
    for (let u = 0; u < 500; u++) {
      for (let p = g.indptr[u]; p < g.indptr[u + 1]; p++) {
        const v = g.indices[p];
        if (p > g.indptr[u]) expect(v).toBeGreaterThan(g.indices[p - 1]);
        let found = false;
        for (let q = g.indptr[v]; q < g.indptr[v + 1]; q++) if (g.indices[q] === u) found = true;
        expect(found).toBe(true);
        const dx = g.coords[2 * u] - g.coords[2 * v];
        const dy = g.coords[2 * u + 1] - g.coords[2 * v + 1];
        expect(Math.hypot(dx, dy)).toBeLessThanOrEqual(g.radius * (1 + 1e-12));
      }
    }
    const e = edgeListInt32(g);
    expect(e.length).toBe(g.indices.length);
  });
});

describe('sparse solver kernels', () => {
  it('symEigSmall above the Jacobi size (tridiagonal QL) gives A V = V Λ, ascending, orthonormal', () => {
    for (const m of [JACOBI_MAX + 1, 40]) {
      const rng = createRng(3);
      const A = new Float64Array(m * m);
      for (let i = 0; i < m; i++) {
        for (let j = 0; j <= i; j++) {
          const v = rng.normal();
          A[i * m + j] = v;
          A[j * m + i] = v;
        }
      }
      const { values, vectors } = symEigSmall(A, m);
      const jac = symEigJacobi(A, m);
      for (let j = 0; j < m; j++) {
        expect(Math.abs(values[j] - jac.values[j])).toBeLessThan(1e-12);
        if (j > 0) expect(values[j]).toBeGreaterThanOrEqual(values[j - 1]);
        for (let i = 0; i < m; i++) {
          let av = 0;
          for (let p = 0; p < m; p++) av += A[i * m + p] * vectors[p * m + j];
          expect(Math.abs(av - values[j] * vectors[i * m + j])).toBeLessThan(1e-12);
        }
      }
    }
  });

  it('gramSym equals the full Gram product, SpMM tiles equal a column-by-column product', () => {
    const rng = createRng(5);
    const n = 37;
    for (const b of [1, 3, 4, 5, 9, 17]) {
      const X = Float64Array.from({ length: n * b }, () => rng.normal());
      const full = gram(X, b, X, b, n);
      const sym = gramSym(X, X, b, n);
      for (let t = 0; t < b * b; t++) expect(sym[t]).toBe(full[t]);
    }
    const g = largestComponent(randomGeometricGraph(300, { meanDegree: 8, seed: 2 })).graph;
    const L = laplacianCsr(g, 'sym');
    for (const b of [2, 5, 8, 13, 17]) {
      const X = Float64Array.from({ length: L.n * b }, () => rng.normal());
      const Y = new Float64Array(L.n * b);
      spmm(L, X, Y, b);
      const x = new Float64Array(L.n);
      const y = new Float64Array(L.n);
      for (let c = 0; c < b; c++) {
        for (let i = 0; i < L.n; i++) x[i] = X[i * b + c];
        spmm(L, x, y, 1);
        for (let i = 0; i < L.n; i++) expect(Y[i * b + c]).toBe(y[i]);
      }
    }
  });

  it('AMG coarse modes: a smooth n × cols start block (cols ≤ w, no null vector, small Rayleigh quotients)', () => {
    const g = largestComponent(randomGeometricGraph(3000, { meanDegree: 10, seed: 4 })).graph;
    const L = laplacianCsr(g, 'sym');
    const deg = new Float64Array(L.n);
    for (let i = 0; i < L.n; i++) deg[i] = Math.sqrt(L.indptr[i + 1] - L.indptr[i]);
    const amg = smoothedAggregation(L, deg);
    const w = 8;
    const { block, cols } = amg.coarseModes(w);
    expect(cols).toBeGreaterThan(0);
    expect(cols).toBeLessThanOrEqual(w);
    expect(block.length).toBe(L.n * cols);
    const AX = new Float64Array(L.n * cols);
    spmm(L, block, AX, cols);
    for (let c = 0; c < cols; c++) {
      let xx = 0;
      let xax = 0;
      let xz = 0;
      let zz = 0;
      for (let i = 0; i < L.n; i++) {
        xx += block[i * cols + c] ** 2;
        xax += block[i * cols + c] * AX[i * cols + c];
        xz += block[i * cols + c] * deg[i];
        zz += deg[i] ** 2;
      }
      expect(xx).toBeGreaterThan(0);
      expect(xax / xx).toBeLessThan(0.2); // low end of the spectrum of L_sym ⊂ [0, 2]
      expect(Math.abs(xz) / Math.sqrt(xx * zz)).toBeLessThan(0.5); // not the null vector D^{1/2}1
    }
  });

  it('AMG with a bottom too large to hold densely: Gauss–Seidel bottom, no n_c² memory, same eigenpairs', () => {
    const g = largestComponent(randomGeometricGraph(1500, { meanDegree: 10, seed: 6 })).graph;
    const L = laplacianCsr(g, 'sym');
    const z = new Float64Array(L.n);
    let zz = 0;
    for (let i = 0; i < L.n; i++) {
      z[i] = Math.sqrt(L.degree[i]);
      zz += z[i] * z[i];
    }
    for (let i = 0; i < L.n; i++) z[i] /= Math.sqrt(zz);
    // maxDenseBottom 10 forces the sweep bottom on every hierarchy this graph builds.
    const amg = smoothedAggregation(L, z, { maxDenseBottom: 10 });
    expect(amg.coarseModes(4).cols).toBe(0);
    const op = { n: L.n, matvec: (x: Float64Array, y: Float64Array) => spmm(L, x, y, 1) };
    const opts = { k: 6, tol: 1e-8, seed: 1, deflate: z, maxIter: 500 };
    const withGs = eigshSmallest(op, { ...opts, preconditioner: amg });
    const withDense = eigshSmallest(op, { ...opts, preconditioner: smoothedAggregation(L, z) });
    for (let j = 0; j < 6; j++) expect(withGs.values[j]).toBeCloseTo(withDense.values[j], 9);
    expect(Math.max(...withGs.residuals)).toBeLessThanOrEqual(1e-8);
  });
});
