/**
 * GE selection (Le, Ruiz & Jegelka, ICLR 2024, Alg. 1 / Thm 3; docs/graphon.md, "Sampling-set selection
 * methods"): Gaussian elimination with partial pivoting on U_Kᵀ picks K rows i_1..i_K with U_K[S,:]
 * invertible, so S is a uniqueness set for span(U_K). O(nK²) after the eigensolve.
 */
import { GraphpeError } from '@graphpe/spectral';
import { conditionNumber } from '../linalg/svd.js';
import { checkReal } from '../util/check.js';
import type { BandlimitedBasis, SamplingSet } from './types.js';

/** Options of {@link geSelect}. */
export interface GeOptions {
  /** Smallest admissible pivot |R[i_j, j]| (U_K has unit columns) [1e-10]; below it: rank-deficient. */
  tol?: number;
}

/** A GE or QR sampling set with its pivots and cond(U_K[S,:]). */
export interface PivotedSet extends SamplingSet {
  readonly method: 'ge' | 'qr';
  /** |pivot| at each step (GE: |R[i_j, j]|; QR: residual row norm). */
  readonly pivots: Float64Array;
  /** 2-norm condition number of U_K[S,:] (rows in selection order). */
  readonly condition: number;
}

/** Rows U_K[S,:] (|S|×K). */
export function basisRows(basis: BandlimitedBasis, nodes: ArrayLike<number>): Float64Array {
  const { K, vectors } = basis;
  const out = new Float64Array(nodes.length * K);
  for (let t = 0; t < nodes.length; t++) out.set(vectors.subarray(nodes[t] * K, nodes[t] * K + K), t * K);
  return out;
}

/**
 * Pivoted elimination on U_K (docs/graphon.md, "Sampling-set selection methods", GE); throws E_SHAPE (reason
 * 'rank-deficient') on a tiny pivot.
 */
export function geSelect(basis: BandlimitedBasis, options: GeOptions = {}): PivotedSet {
  const where = 'graphon.geSelect';
  const tol = checkReal(options.tol ?? 1e-10, where, 'tol', 0);
  const { n, K } = basis;
  const R = basis.vectors.slice(0, n * K);
  const taken = new Uint8Array(n);
  const nodes = new Int32Array(K);
  const pivots = new Float64Array(K);
  const ratio = new Float64Array(K);
  for (let j = 0; j < K; j++) {
    let best = -1;
    let bestAbs = -1;
    for (let i = 0; i < n; i++) {
      const v = Math.abs(R[i * K + j]);
      if (!taken[i] && v > bestAbs) {
        bestAbs = v;
        best = i;
      }
    }
    if (!(bestAbs >= tol) || best < 0) {
      throw new GraphpeError(
        'E_SHAPE',
        `${where}: U_K is rank-deficient at column ${j} (largest pivot ${bestAbs} < tol ${tol}); lower K or tol`,
        { reason: 'rank-deficient', column: j, pivot: bestAbs, selected: Array.from(nodes.subarray(0, j)) },
      );
    }
    taken[best] = 1;
    nodes[j] = best;
    pivots[j] = bestAbs;
    // R[:, l] −= R[:, j]·R[i_j, l]/R[i_j, j] for l > j (row-major: one pass over the rows).
    const p = R[best * K + j];
    for (let l = j + 1; l < K; l++) ratio[l] = R[best * K + l] / p;
    for (let i = 0; i < n; i++) {
      const f = R[i * K + j];
      if (f === 0) continue;
      const o = i * K;
      for (let l = j + 1; l < K; l++) R[o + l] -= f * ratio[l];
    }
  }
  return { method: 'ge', nodes, pivots, condition: conditionNumber(basisRows(basis, nodes), K, K) };
}
