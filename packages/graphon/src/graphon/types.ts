/**
 * Graphons (Lovász & Szegedy 2006): symmetric measurable W: [0,1]² → [0,1]. A graph G(n, W) draws
 * latent x_i ~ U[0,1] and edges A_ij ~ Bernoulli(ρ W(x_i, x_j)) (Lovász 2012, §10.1).
 */

/** A step (block) graphon: W = Σ_ab probs[a·K+b] on I_a × I_b with I_a = [bounds[a], bounds[a+1]). */
export interface BlockStructure {
  /** K + 1 increasing boundaries, bounds[0] = 0, bounds[K] = 1. */
  readonly bounds: Float64Array;
  /** K×K symmetric row-major block probabilities in [0, 1]. */
  readonly probs: Float64Array;
}

/** A graphon with what the samplers and spectra can exploit. */
export interface Graphon {
  /** Short name, e.g. `xy`, `sbm(3)`. */
  readonly name: string;
  /** W(x, y) ∈ [0, 1], symmetric. */
  value(x: number, y: number): number;
  /**
   * An upper bound of W on the cell [x0, x1] × [y0, y1] (exact where known). Present for every
   * library graphon; it makes the thinning sampler exact. Wrong bounds are detected when sampling.
   */
  cellMax?(x0: number, x1: number, y0: number, y1: number): number;
  /** Present for step graphons: sampled by geometric skipping, spectra by exact block reduction. */
  readonly blocks?: BlockStructure;
}
