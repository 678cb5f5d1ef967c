/** Graph and matrix fixtures shared by the dense eigensolver tests. */
import { createRng, fromCoo, type Graph } from '@graphpe/spectral';

/** Random simple graph with about n·meanDegree/2 edges (weights in [0.5, 1.5) when `weighted`). */
export function randomGraph(n: number, meanDegree: number, seed: number, weighted = false): Graph {
  const rng = createRng(seed);
  const m = Math.min(Math.round((n * meanDegree) / 2), (n * (n - 1)) / 2);
  const seen = new Set<number>();
  const src: number[] = [];
  const dst: number[] = [];
  const w: number[] = [];
  while (src.length < m) {
    const u = rng.int(n);
    const v = rng.int(n);
    if (u === v || seen.has(u < v ? u * n + v : v * n + u)) continue;
    seen.add(u < v ? u * n + v : v * n + u);
    src.push(u);
    dst.push(v);
    w.push(0.5 + rng.next());
  }
  return fromCoo(src, dst, weighted ? w : undefined, { n });
}

/** Unweighted graph on n nodes from an edge list. */
export function edges(n: number, list: [number, number][]): Graph {
  return fromCoo(
    list.map((e) => e[0]),
    list.map((e) => e[1]),
    undefined,
    { n },
  );
}

export const path = (n: number): Graph =>
  edges(
    n,
    Array.from({ length: n - 1 }, (_, i) => [i, i + 1] as [number, number]),
  );
export const cycle = (n: number): Graph =>
  edges(
    n,
    Array.from({ length: n }, (_, i) => [i, (i + 1) % n] as [number, number]),
  );
export const star = (n: number): Graph =>
  edges(
    n,
    Array.from({ length: n - 1 }, (_, i) => [0, i + 1] as [number, number]),
  );

/** Random symmetric n×n (full), with zero rows/columns when `holes` (exercises H_i = I). */
export function randomSymmetric(n: number, seed: number, holes = false): Float64Array {
  const rng = createRng(seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const x = holes && (i % 7 === 3 || j % 7 === 3) ? 0 : rng.next() - 0.5;
      a[i * n + j] = x;
      a[j * n + i] = x;
    }
  }
  return a;
}

/** max |A v_j − λ_j v_j| / max|A| and max |VᵀV − I| for column eigenvectors. */
export function quality(
  a: Float64Array,
  n: number,
  values: Float64Array,
  vectors: Float64Array,
): { res: number; orth: number } {
  let res = 0;
  let orth = 0;
  let norm = 0;
  for (let i = 0; i < n * n; i++) norm = Math.max(norm, Math.abs(a[i]));
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += (a[i * n + k] as number) * (vectors[k * n + j] as number);
      res = Math.max(res, Math.abs(s - values[j] * vectors[i * n + j]));
    }
  }
  for (let p = 0; p < n; p++) {
    for (let q = p; q < n; q++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += vectors[k * n + p] * vectors[k * n + q];
      orth = Math.max(orth, Math.abs(s - (p === q ? 1 : 0)));
    }
  }
  return { res: res / Math.max(norm, 1e-300), orth };
}
