/**
 * Dense core of the Anis–Gadde–Ortega greedy (IEEE TSP 2016, "Efficient sampling set selection for
 * bandlimited graph signals using graph spectral proxies", Alg. 1) on an explicit symmetric m×m
 * Laplacian: exact eigensolves of (L^{2k})_{S^c,S^c}, deterministic (replaces the reference code's
 * Nelder–Mead; docs/graphon.md, "Where graphpe deviates from the reference code"). Used for coarse q×q graphs
 * and small full graphs.
 */
import { matPow, submatrix, symEig } from '../linalg/eig.js';

/** Options of {@link proxyGreedyDense}. */
export interface ProxyDenseOptions {
  /** Spectral-proxy order k ≥ 1. */
  order: number;
  /** Largest |S| (M). */
  budget: number;
  /** Stop once Ω_k(S) > lambda (the cutoff then exceeds the bandwidth). */
  lambda?: number;
  /** Nodes already in S. */
  initial?: Int32Array;
}

/** Result of the greedy: S in selection order and Ω_k after each addition. */
export interface ProxyTrace {
  readonly nodes: Int32Array;
  /** Ω_k(S_t) for t = 1..|S| (S_t = first t nodes, initial nodes included). */
  readonly omega: Float64Array;
  /** True when the loop stopped because Ω_k(S) > λ. */
  readonly reachedLambda: boolean;
}

/** argmax φ_i² over the free entries; near-ties (relative 1e-9) go to the smallest index, so ulp noise cannot flip it. */
export function argmaxSquared(phi: Float64Array, free: ArrayLike<number>): number {
  let max = 0;
  for (let t = 0; t < free.length; t++) max = Math.max(max, phi[t] * phi[t]);
  for (let t = 0; t < free.length; t++) if (phi[t] * phi[t] >= max * (1 - 1e-9)) return t;
  return 0;
}

/** Ω_k(S) and the minimizing φ on S^c from the dense L^{2k} (clamped at 0). */
export function denseCutoff(
  L2k: Float64Array,
  m: number,
  free: Int32Array,
  order: number,
): { omega: number; phi: Float64Array } {
  const f = free.length;
  if (f === 0) return { omega: Number.POSITIVE_INFINITY, phi: new Float64Array(0) };
  const { values, vectors } = symEig(submatrix(L2k, m, free, free), f);
  const phi = new Float64Array(f);
  for (let t = 0; t < f; t++) phi[t] = vectors[t * f];
  return { omega: Math.max(0, values[0]) ** (1 / (2 * order)), phi };
}

/** Greedy on a dense Laplacian L (m×m): add argmax φ², φ the smallest eigenvector of (L^{2k})_{S^c,S^c}. */
export function proxyGreedyDense(L: Float64Array, m: number, options: ProxyDenseOptions): ProxyTrace {
  const { order, budget, lambda } = options;
  const L2k = matPow(L, m, 2 * order);
  const inS = new Uint8Array(m);
  const nodes: number[] = [];
  const omega: number[] = [];
  const freeOf = (): Int32Array => {
    const out = new Int32Array(m - nodes.length);
    let c = 0;
    for (let i = 0; i < m; i++) if (!inS[i]) out[c++] = i;
    return out;
  };
  for (const v of options.initial ?? []) {
    inS[v] = 1;
    nodes.push(v);
  }
  let free = freeOf();
  let cur = denseCutoff(L2k, m, free, order);
  if (nodes.length > 0) omega.push(cur.omega);
  let reached = lambda !== undefined && cur.omega > lambda;
  while (!reached && nodes.length < budget && free.length > 0) {
    const v = free[argmaxSquared(cur.phi, free)];
    inS[v] = 1;
    nodes.push(v);
    free = freeOf();
    cur = denseCutoff(L2k, m, free, order);
    omega.push(cur.omega);
    reached = lambda !== undefined && cur.omega > lambda;
  }
  return { nodes: Int32Array.from(nodes), omega: Float64Array.from(omega), reachedLambda: reached };
}
