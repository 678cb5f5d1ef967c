/**
 * Spectral-proxy greedy of Anis, Gadde & Ortega (IEEE TSP 2016; docs/graphon.md, "Sampling-set selection
 * methods") on a graph: ω_k(f) = (‖L^k f‖/‖f‖)^{1/k}, cutoff estimate
 * Ω_k(S) = σ_min((L^{2k})_{S^c,S^c})^{1/(2k)}; every f ∈ PW_ω with ω < Ω_k(S) is recovered from f_S. Greedy: add
 * argmax φ_i² of the minimizer φ, until |S| = budget or Ω_k(S) > λ. Matrix-free for large graphs: LOBPCG on
 * P L^{2k} P with S shifted away, warm-started from the previous φ; O(|E| + n) memory, no stored basis.
 */
import {
  checkOption,
  eigshSmallest,
  type Graph,
  type LaplacianCsr,
  laplacianCsr,
  laplacianDense,
} from '@graphpe/spectral';
import { matPow } from '../linalg/eig.js';
import { checkGraph, checkInt, checkNodeSet, checkReal, checkSeed, complement } from '../util/check.js';
import { argmaxSquared, denseCutoff, proxyGreedyDense } from './proxy-dense.js';
import type { SamplingSet } from './types.js';

/** Options of {@link proxySelect}; defaults in brackets. Give `budget`, `lambda`, or both. */
export interface ProxyOptions {
  /** Largest |S| (M) [n when only lambda is given]. */
  budget?: number;
  /** Bandwidth: stop as soon as Ω_k(S) > λ (PW_λ is then recoverable from S). */
  lambda?: number;
  /** Proxy order k ≥ 1 (Ω_k → true cutoff as k grows; cost ∝ k) [2]. */
  order?: number;
  /** `dense` (exact eigh, n ≤ 3000), `iterative` (matrix-free LOBPCG) or `auto` (dense when n ≤ 400) ['auto']. */
  solver?: 'auto' | 'dense' | 'iterative';
  /** Nodes forced into S first. */
  initial?: ArrayLike<number>;
  /** LOBPCG seed [0]. */
  seed?: number;
  /** LOBPCG residual tolerance, relative to 4^k ≥ ‖L^{2k}‖ [1e-10]. */
  tol?: number;
  /** LOBPCG iteration cap per step [5000]. */
  maxIter?: number;
}

/** A proxy-greedy sampling set with its cutoff trace. */
export interface ProxySet extends SamplingSet {
  readonly method: 'proxy';
  readonly order: number;
  /** Ω_k(S_t) after each addition (non-decreasing up to solver tolerance). */
  readonly omega: Float64Array;
  /** Final cutoff estimate Ω_k(S). */
  readonly cutoff: number;
  /** True when the loop stopped because Ω_k(S) > λ. */
  readonly reachedLambda: boolean;
}

const WHERE = 'graphon.proxySelect';

/** Anis–Gadde–Ortega greedy on the normalized Laplacian of `g` (see the module header). */
export function proxySelect(g: Graph, options: ProxyOptions): ProxySet {
  checkGraph(g, WHERE);
  const n = g.n;
  checkOption(
    options.budget !== undefined || options.lambda !== undefined,
    WHERE,
    'give budget, lambda or both',
    options,
  );
  const budget = checkInt(options.budget ?? n, WHERE, 'budget', 1, n);
  if (options.lambda !== undefined) checkReal(options.lambda, WHERE, 'lambda', 0);
  const order = checkInt(options.order ?? 2, WHERE, 'order', 1, 64);
  const solver = options.solver ?? 'auto';
  checkOption(
    ['auto', 'dense', 'iterative'].includes(solver),
    WHERE,
    "solver must be 'auto', 'dense' or 'iterative'",
    solver,
  );
  const initial = checkNodeSet(options.initial ?? [], n, WHERE, 'initial');
  const dense = solver === 'dense' || (solver === 'auto' && n <= 400);
  if (dense) {
    checkOption(n <= 3000, WHERE, "solver 'dense' allows n ≤ 3000", n);
    const t = proxyGreedyDense(laplacianDense(g, 'sym'), n, {
      order,
      budget,
      lambda: options.lambda,
      initial,
    });
    return {
      method: 'proxy',
      order,
      nodes: t.nodes,
      omega: t.omega,
      cutoff: last(t.omega),
      reachedLambda: t.reachedLambda,
    };
  }
  const it = iterativeOptions(options);
  const L = laplacianCsr(g, 'sym');
  const inS = new Uint8Array(n);
  const nodes: number[] = [];
  const omega: number[] = [];
  for (const v of initial) {
    inS[v] = 1;
    nodes.push(v);
  }
  let cur = iterativeCutoff(L, inS, order, it, null);
  if (nodes.length > 0) omega.push(cur.omega);
  let reached = options.lambda !== undefined && cur.omega > options.lambda;
  while (!reached && nodes.length < budget && nodes.length < n) {
    const free = complement(nodes, n);
    const phiFree = new Float64Array(free.length);
    for (let t = 0; t < free.length; t++) phiFree[t] = cur.phi[free[t]];
    const v = free[argmaxSquared(phiFree, free)];
    inS[v] = 1;
    nodes.push(v);
    cur = iterativeCutoff(L, inS, order, it, cur.phi);
    omega.push(cur.omega);
    reached = options.lambda !== undefined && cur.omega > options.lambda;
  }
  return {
    method: 'proxy',
    order,
    nodes: Int32Array.from(nodes),
    omega: Float64Array.from(omega),
    cutoff: last(omega),
    reachedLambda: reached,
  };
}

/** Options of {@link cutoffEstimate}. */
export interface CutoffOptions {
  /** Proxy order k [1]. */
  order?: number;
  /** As in {@link ProxyOptions} ['auto': dense when n ≤ 1000]. */
  solver?: 'auto' | 'dense' | 'iterative';
  seed?: number;
  tol?: number;
  maxIter?: number;
}

/** Ω_k(S) = σ_min((L^{2k})_{S^c,S^c})^{1/(2k)} (Anis et al. 2016, eq. 22); +∞ when S = V. */
export function cutoffEstimate(g: Graph, S: ArrayLike<number>, options: CutoffOptions = {}): number {
  const where = 'graphon.cutoffEstimate';
  checkGraph(g, where);
  const n = g.n;
  const set = checkNodeSet(S, n, where, 'S');
  const order = checkInt(options.order ?? 1, where, 'order', 1, 64);
  const solver = options.solver ?? 'auto';
  checkOption(
    ['auto', 'dense', 'iterative'].includes(solver),
    where,
    "solver must be 'auto', 'dense' or 'iterative'",
    solver,
  );
  if (set.length === n) return Number.POSITIVE_INFINITY;
  if (solver === 'dense' || (solver === 'auto' && n <= 1000)) {
    const L2k = matPow(laplacianDense(g, 'sym'), n, 2 * order);
    return denseCutoff(L2k, n, complement(set, n), order).omega;
  }
  const inS = new Uint8Array(n);
  for (const v of set) inS[v] = 1;
  return iterativeCutoff(laplacianCsr(g, 'sym'), inS, order, iterativeOptions(options), null).omega;
}

interface IterOpts {
  seed: number;
  tol: number;
  maxIter: number;
}

function iterativeOptions(o: { seed?: number; tol?: number; maxIter?: number }): IterOpts {
  return {
    seed: checkSeed(o.seed ?? 0, WHERE),
    tol: checkReal(o.tol ?? 1e-10, WHERE, 'tol', 0, 1, false),
    maxIter: checkInt(o.maxIter ?? 5000, WHERE, 'maxIter', 1),
  };
}

/** y = L x for b row-major vectors (CSR with separate diagonal). */
function lapBlock(L: LaplacianCsr, X: Float64Array, Y: Float64Array, b: number): void {
  const { n, indptr, indices, values, diag } = L;
  for (let i = 0; i < n; i++) {
    const o = i * b;
    const d = diag[i];
    for (let c = 0; c < b; c++) Y[o + c] = d * X[o + c];
    for (let p = indptr[i]; p < indptr[i + 1]; p++) {
      const v = values[p];
      const jo = indices[p] * b;
      for (let c = 0; c < b; c++) Y[o + c] += v * X[jo + c];
    }
  }
}

/** Smallest eigenpair of P L^{2k} P + c(I − P) (P zeroes S; c = 4^k + 1 > ‖L^{2k}‖) by LOBPCG. */
function iterativeCutoff(
  L: LaplacianCsr,
  inS: Uint8Array,
  order: number,
  it: IterOpts,
  start: Float64Array | null,
): { omega: number; phi: Float64Array } {
  const n = L.n;
  const shift = 4 ** order + 1;
  let bufA = new Float64Array(0);
  let bufB = new Float64Array(0);
  const op = {
    n,
    apply(X: Float64Array, Y: Float64Array, b: number): void {
      if (bufA.length !== n * b) {
        bufA = new Float64Array(n * b);
        bufB = new Float64Array(n * b);
      }
      let a = bufA;
      let c = bufB;
      a.set(X.subarray(0, n * b));
      for (let i = 0; i < n; i++) if (inS[i]) a.fill(0, i * b, i * b + b);
      for (let s = 0; s < 2 * order; s++) {
        lapBlock(L, a, c, b);
        const t = a;
        a = c;
        c = t;
      }
      for (let i = 0; i < n; i++) {
        const o = i * b;
        if (inS[i]) for (let q = 0; q < b; q++) Y[o + q] = shift * X[o + q];
        else for (let q = 0; q < b; q++) Y[o + q] = a[o + q];
      }
    },
  };
  let v0: Float64Array | undefined;
  if (start) {
    v0 = start.slice();
    for (let i = 0; i < n; i++) if (inS[i]) v0[i] = 0;
  }
  const r = eigshSmallest(op, {
    k: 1,
    tol: it.tol * 4 ** order,
    maxIter: it.maxIter,
    seed: it.seed,
    ...(v0 ? { v0 } : {}),
    ncv: Math.min(n, 4),
  });
  return { omega: Math.max(0, r.values[0]) ** (1 / (2 * order)), phi: r.vectors.slice(0, n) };
}

function last(a: ArrayLike<number>): number {
  return a.length > 0 ? a[a.length - 1] : 0;
}
