// Helpers shared by the fixed-PE property tests.
import { createRng, fromEdgeList, type Graph } from '@graphpe/spectral';

/** Relabel node i as perm[i] (the graph PAPᵀ), keeping weights and self-loops. */
export function permuteGraph(g: Graph, perm: Int32Array): Graph {
  const src: number[] = [];
  const dst: number[] = [];
  const weight: number[] = [];
  for (let i = 0; i < g.n; i++)
    for (let p = g.indptr[i]; p < g.indptr[i + 1]; p++) {
      const j = g.indices[p];
      if (j < i) continue;
      src.push(perm[i]);
      dst.push(perm[j]);
      weight.push(g.weights[p]);
    }
  return fromEdgeList({ src, dst, weight }, { n: g.n });
}

/** A seeded uniformly random permutation of 0..n−1 (Fisher–Yates). */
export function randomPerm(n: number, seed: number): Int32Array {
  const rng = createRng(seed);
  const p = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}
