/**
 * Reconstruction of a bandlimited signal from its samples (docs/graphon.md, "Reconstruction"; Pesenson 2008;
 * Anis et al. 2016 eq. 5): c* = argmin ‖U_K[S,:]c − x_S‖ by pivoted Householder QR, x̂ = U_K c*.
 */
import { checkOption, GraphpeError } from '@graphpe/spectral';
import { lstsqPivoted } from '../linalg/qr.js';
import { conditionNumber } from '../linalg/svd.js';
import { basisRows } from '../select/ge.js';
import type { BandlimitedBasis } from '../select/types.js';
import { checkNodeSet } from '../util/check.js';

/** A reconstructed signal. */
export interface Reconstruction {
  /** x̂ = U_K c*, length n. */
  readonly signal: Float64Array;
  /** c*, length K (0 for the coefficients a rank-deficient U_K[S,:] cannot determine). */
  readonly coefficients: Float64Array;
  /** Numerical rank of U_K[S,:] (K when S is a uniqueness set). */
  readonly rank: number;
  /** cond(U_K[S,:]) (Infinity when |S| < K or rank-deficient). */
  readonly condition: number;
  /** ‖U_K[S,:]c* − x_S‖ (0 for a bandlimited x and a uniqueness set). */
  readonly residual: number;
}

/** Least-squares reconstruction of x from `samples` = x_S (length |S|, in the order of `nodes`; see {@link restrictSignal}). */
export function reconstruct(
  basis: BandlimitedBasis,
  nodes: ArrayLike<number>,
  samples: ArrayLike<number>,
  options: { rcond?: number } = {},
): Reconstruction {
  const where = 'graphon.reconstruct';
  const { n, K, vectors } = basis;
  const S = checkNodeSet(nodes, n, where);
  const m = S.length;
  checkOption(m >= 1, where, 'the sampling set is empty', m);
  checkOption(samples.length === m, where, `samples must have length |S| = ${m}`, samples.length);
  const xS = new Float64Array(m);
  for (let t = 0; t < m; t++) {
    const v = samples[t];
    if (!Number.isFinite(v)) {
      throw new GraphpeError('E_NAN', `${where}: sample ${t} (node ${S[t]}) is ${v}`, {
        position: t,
        value: v,
      });
    }
    xS[t] = v;
  }
  const A = basisRows(basis, S);
  const { x: c, rank, residual } = lstsqPivoted(A, m, K, xS, options.rcond ?? 1e-12);
  const signal = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < K; j++) s += vectors[i * K + j] * c[j];
    signal[i] = s;
  }
  const condition = rank < K ? Number.POSITIVE_INFINITY : conditionNumber(A, m, K);
  return { signal, coefficients: c, rank, condition, residual };
}

/** ‖x̂ − x‖₂ / ‖x‖₂ (‖x̂ − x‖₂ when x = 0). */
export function relativeError(xhat: ArrayLike<number>, x: ArrayLike<number>): number {
  checkOption(
    xhat.length === x.length,
    'graphon.relativeError',
    'lengths differ',
    `${xhat.length} vs ${x.length}`,
  );
  let num = 0;
  let den = 0;
  for (let i = 0; i < x.length; i++) {
    num += (xhat[i] - x[i]) ** 2;
    den += x[i] * x[i];
  }
  return den > 0 ? Math.sqrt(num / den) : Math.sqrt(num);
}

/** A random bandlimited signal x = U_K c with c ~ N(0, I) (for tests and benchmarks). */
export function bandlimitedSignal(basis: BandlimitedBasis, rng: { normal(): number }): Float64Array {
  const { n, K, vectors } = basis;
  const c = new Float64Array(K);
  for (let j = 0; j < K; j++) c[j] = rng.normal();
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < K; j++) s += vectors[i * K + j] * c[j];
    x[i] = s;
  }
  return x;
}

/** x_S: the entries of x at `nodes`, in that order. */
export function restrictSignal(x: ArrayLike<number>, nodes: ArrayLike<number>): Float64Array {
  const out = new Float64Array(nodes.length);
  for (let t = 0; t < nodes.length; t++) out[t] = x[nodes[t]];
  return out;
}
