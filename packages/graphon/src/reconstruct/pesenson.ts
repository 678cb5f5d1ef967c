/**
 * Pesenson's removability constant (Trans. AMS 2008, "Sampling in Paley–Wiener spaces on
 * combinatorial graphs", Lemma 3.3/Thm 3.4): ‖f‖ ≤ Λ‖Lf‖ for every f supported on T, best
 * Λ(T) = 1/σ_min(L[:,T]); then V∖T is a uniqueness set for PW_ω whenever ω < 1/Λ(T).
 * Equals 1/Ω_1(V∖T) (Anis et al. 2016 with k = 1).
 */
import type { Graph } from '@graphpe/spectral';
import { type CutoffOptions, cutoffEstimate } from '../select/proxy.js';
import { checkGraph, checkNodeSet, complement } from '../util/check.js';

/** Λ(T) = 1/σ_min(L[:,T]) (Infinity when σ_min = 0, e.g. T contains a whole component). */
export function pesensonConstant(
  g: Graph,
  T: ArrayLike<number>,
  options: Omit<CutoffOptions, 'order'> = {},
): number {
  const where = 'graphon.pesensonConstant';
  checkGraph(g, where);
  const set = checkNodeSet(T, g.n, where, 'T');
  if (set.length === 0) return 0;
  const s = cutoffEstimate(g, complement(set, g.n), { ...options, order: 1 });
  return s > 0 ? 1 / s : Number.POSITIVE_INFINITY;
}
