/**
 * Column-pivoted QR selection (Businger & Golub 1965) on U_Kᵀ: at each step the node whose row of
 * U_K has the largest component orthogonal to the rows already chosen. The stable alternative to GE
 * (docs/graphon.md, "Sampling-set selection methods"); O(nK²).
 */
import { GraphpeError } from '@graphpe/spectral';
import { conditionNumber } from '../linalg/svd.js';
import { checkReal } from '../util/check.js';
import { basisRows, type PivotedSet } from './ge.js';
import type { BandlimitedBasis } from './types.js';

/** Pivoted QR on U_Kᵀ; throws E_SHAPE (reason 'rank-deficient') when the best residual norm is < tol [1e-10]. */
export function qrSelect(basis: BandlimitedBasis, options: { tol?: number } = {}): PivotedSet {
  const where = 'graphon.qrSelect';
  const tol = checkReal(options.tol ?? 1e-10, where, 'tol', 0);
  const { n, K } = basis;
  const R = basis.vectors.slice(0, n * K);
  const taken = new Uint8Array(n);
  const nodes = new Int32Array(K);
  const pivots = new Float64Array(K);
  const q = new Float64Array(K);
  for (let j = 0; j < K; j++) {
    let best = -1;
    let bestNorm = -1;
    for (let i = 0; i < n; i++) {
      if (taken[i]) continue;
      let s = 0;
      for (let l = 0; l < K; l++) s += R[i * K + l] ** 2;
      if (s > bestNorm) {
        bestNorm = s;
        best = i;
      }
    }
    const norm = Math.sqrt(bestNorm);
    if (!(norm >= tol) || best < 0) {
      throw new GraphpeError(
        'E_SHAPE',
        `${where}: U_K is rank-deficient at step ${j} (largest residual ${norm} < tol ${tol}); lower K or tol`,
        { reason: 'rank-deficient', column: j, pivot: norm, selected: Array.from(nodes.subarray(0, j)) },
      );
    }
    taken[best] = 1;
    nodes[j] = best;
    pivots[j] = norm;
    for (let l = 0; l < K; l++) q[l] = R[best * K + l] / norm;
    // Project every row off q (twice: classical Gram–Schmidt with one reorthogonalization).
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < n; i++) {
        const o = i * K;
        let d = 0;
        for (let l = 0; l < K; l++) d += R[o + l] * q[l];
        if (d !== 0) for (let l = 0; l < K; l++) R[o + l] -= d * q[l];
      }
    }
  }
  return { method: 'qr', nodes, pivots, condition: conditionNumber(basisRows(basis, nodes), K, K) };
}
