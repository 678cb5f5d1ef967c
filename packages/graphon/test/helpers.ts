/** Shared test helpers: small graphs, dense references. */
import { createRng, fromCoo, type Graph, laplacianDense, spectrum } from '@graphpe/spectral';

/** Erdős–Rényi G(n, p) by a plain pair loop (independent of the package's samplers). */
export function erGraph(n: number, p: number, seed: number): Graph {
  const rng = createRng(seed);
  const src: number[] = [];
  const dst: number[] = [];
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++)
      if (rng.next() < p) {
        src.push(i);
        dst.push(j);
      }
  return fromCoo(src, dst, undefined, { n });
}

/** Disjoint union of graphs (node ids shifted). */
export function disjointUnion(gs: Graph[]): Graph {
  const src: number[] = [];
  const dst: number[] = [];
  const w: number[] = [];
  let off = 0;
  for (const g of gs) {
    for (let i = 0; i < g.n; i++) {
      for (let p = g.indptr[i]; p < g.indptr[i + 1]; p++) {
        const j = g.indices[p];
        if (j > i) {
          src.push(i + off);
          dst.push(j + off);
          w.push(g.weights[p]);
        }
      }
    }
    off += g.n;
  }
  return fromCoo(src, dst, w, { n: off });
}

/** Graph with every weight multiplied by c. */
export function scaled(g: Graph, c: number): Graph {
  return { ...g, weights: g.weights.map((w) => w * c) };
}

/** Full dense spectrum of L_sym: values ascending, vectors n×n (column j). */
export function fullSpectrum(g: Graph): { values: Float64Array; vectors: Float64Array } {
  const s = spectrum(g, { k: g.n, solver: 'dense' });
  return { values: s.values, vectors: s.vectors };
}

/** L_sym as a dense n×n array. */
export const denseL = (g: Graph): Float64Array => laplacianDense(g, 'sym');

/** Columns [0, j) of the rows S of an n×n row-major matrix. */
export function rowsCols(V: Float64Array, n: number, S: ArrayLike<number>, j: number): Float64Array {
  const out = new Float64Array(S.length * j);
  for (let t = 0; t < S.length; t++) for (let c = 0; c < j; c++) out[t * j + c] = V[S[t] * n + c];
  return out;
}

export function norm(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return Math.sqrt(s);
}
