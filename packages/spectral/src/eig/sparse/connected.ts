/**
 * The s smallest nonzero eigenpairs of one connected graph's Laplacian (`sym` or `comb`) by block
 * LOBPCG (Knyazev 2001) preconditioned by smoothed-aggregation AMG (Vaněk, Mandel & Brezina 1996),
 * with the exact null vector (D^{1/2}1 for sym, 1 for comb) deflated. The solve runs in BFS order
 * (cache locality of the sparse products) and is mapped back.
 */
import { GraphpeError } from '../../errors.js';
import type { LaplacianCsr } from '../../laplacian/operator.js';
import { createRng } from '../../util/rng.js';
import { smoothedAggregation } from './amg.js';
import { disjointDeflation } from './deflation.js';
import { lobpcg } from './lobpcg.js';
import { csrBlockOperator } from './operator.js';
import { bfsOrder, permuteSym } from './reorder.js';
import type { EigshProgress, EigshResult } from './types.js';

/** Largest |zᵀv| accepted between a returned unit vector and the unit null vector z. */
const NULL_LEAK_TOL = 1e-8;

/** Settings of one iterative component solve. */
export interface ConnectedSolveOptions {
  /** Number of nonzero pairs wanted (1 ≤ s ≤ n − 2 in practice; the caller solves tiny blocks densely). */
  s: number;
  /** Block size (≥ s). */
  blockSize: number;
  tol: number;
  maxIter: number;
  seed: number;
  precondition: boolean;
  onProgress?: (info: EigshProgress) => void;
  /** Error-message prefix naming the component. */
  where: string;
}

/**
 * Smallest s nonzero eigenpairs of the connected Laplacian `L` (n×n, `L.degree` its degrees),
 * vectors n×s row-major in L's node order; throws `E_NOT_CONVERGED` past `maxIter`.
 */
export function connectedEigsh(L: LaplacianCsr, o: ConnectedSolveOptions): EigshResult {
  const n = L.n;
  const sym = L.kind !== 'comb';
  const perm = bfsOrder(L);
  const Lp = permuteSym(L, perm);
  const label = new Int32Array(n);
  const z = new Float64Array(n);
  const b = new Float64Array(n);
  let norm2 = 0;
  for (let t = 0; t < n; t++) {
    b[t] = sym ? Math.sqrt(L.degree[perm[t]]) : 1;
    norm2 += b[t] * b[t];
  }
  const inv = 1 / Math.sqrt(norm2);
  for (let t = 0; t < n; t++) z[t] = b[t] * inv;
  const precond = o.precondition ? smoothedAggregation(Lp, b) : undefined;
  // Start from the coarsest level's low modes, prolongated (27 → 24 iterations at n = 1e5; an extra
  // inverse-iteration warm step on top saved one more iteration but cost more than it).
  const r = lobpcg(csrBlockOperator(Lp), {
    k: o.s,
    blockSize: o.blockSize,
    start: precond ? () => precond.coarseModes(o.blockSize) : undefined,
    tol: o.tol,
    maxIter: o.maxIter,
    rng: createRng(o.seed),
    precond,
    deflation: disjointDeflation(label, z, 1),
    onProgress: o.onProgress,
    where: o.where,
  });
  const s = o.s;
  // Never silently wrong: every returned vector must be orthogonal to the null vector, or the deflation
  // has failed and the deflated vector re-entered as a spurious pair. The values of a connected
  // component's other eigenvectors are positive; one computed at or below 0 (a λ₂ below rounding, as
  // weights of 1e-17 give) is reported as the smallest positive double, so that exact zeros stay the
  // null space and nothing else.
  const values = Float64Array.from(r.values);
  for (let j = 0; j < s; j++) {
    let dot = 0;
    for (let t = 0; t < n; t++) dot += z[t] * r.vectors[t * s + j];
    if (!(Math.abs(dot) <= NULL_LEAK_TOL)) {
      throw new GraphpeError(
        'E_NOT_CONVERGED',
        `${o.where}: pair ${j} (λ = ${r.values[j]}) has a component ${Math.abs(dot).toExponential(2)} along the deflated null vector (the solve lost the deflation)`,
        { value: r.values[j] },
      );
    }
    if (!(values[j] > 0)) values[j] = Number.MIN_VALUE;
  }
  const V = new Float64Array(n * s);
  for (let t = 0; t < n; t++) {
    const dst = perm[t] * s;
    for (let j = 0; j < s; j++) V[dst + j] = r.vectors[t * s + j];
  }
  return { ...r, values, vectors: V };
}
