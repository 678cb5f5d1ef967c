/**
 * Dense path for small sparse problems (dimension ≲ 3 × block size), where block iterations have no
 * room: the operator is applied to the identity, deflated directions are shifted to the top of the
 * spectrum, and the matrix is diagonalized by Jacobi (see small.ts).
 */
import { GraphpeError } from '../../errors.js';
import { gram } from './block.js';
import type { Deflation } from './deflation.js';
import type { BlockOperator } from './operator.js';
import { symEigSmall } from './small.js';
import type { EigshResult } from './types.js';

/** k smallest eigenpairs of A restricted to the complement of `deflation`, by a dense eigendecomposition. */
export function denseSmallest(
  A: BlockOperator,
  k: number,
  tol: number,
  deflation: Deflation | undefined,
  where: string,
): EigshResult {
  const n = A.n;
  const I = new Float64Array(n * n);
  for (let i = 0; i < n; i++) I[i * n + i] = 1;
  // Q = I − Z Zᵀ (columns of the deflated identity); M = Q A Q + σ (I − Q).
  const Q = Float64Array.from(I);
  deflation?.project(Q, n);
  const AQ = new Float64Array(n * n);
  A.apply(Q, AQ, n);
  const M = gram(Q, n, AQ, n, n);
  let scale = 0;
  for (let t = 0; t < n * n; t++) scale += M[t] * M[t];
  const sigma = 2 * Math.sqrt(scale) + 1;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) M[i * n + j] += sigma * (I[i * n + j] - Q[i * n + j]);
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const a = 0.5 * (M[i * n + j] + M[j * n + i]);
      M[i * n + j] = a;
      M[j * n + i] = a;
    }
  }
  const { values, vectors } = symEigSmall(M, n);
  const V = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) V[i * k + j] = vectors[i * n + j];
  const AV = new Float64Array(n * k);
  A.apply(V, AV, k);
  const residuals = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const r = AV[i * k + j] - values[j] * V[i * k + j];
      s += r * r;
    }
    residuals[j] = Math.sqrt(s);
  }
  const worst = Math.max(...residuals);
  if (!(worst <= tol)) {
    throw new GraphpeError(
      'E_NOT_CONVERGED',
      `${where}: dense fallback reached residual ${worst.toExponential(2)} > tol ${tol} (tol below rounding level?)`,
      { residuals, tol },
    );
  }
  return {
    values: values.slice(0, k),
    vectors: V,
    residuals,
    iterations: 1,
    matvecs: 2 * n + k,
    converged: true,
  };
}
