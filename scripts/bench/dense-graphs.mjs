// Seeded graph generators shared by the dense-solver micro-benchmarks (scripts/bench/dense-*.mjs).
import { createRng, fromCoo } from '../../packages/spectral/dist/index.js';

/**
 * Molecule-like graph (ZINC-like): a random tree with max degree 4 (heavy-atom skeleton), plus
 * ring closures between nodes 4–5 tree steps apart (5/6-rings) until the mean degree is ≈ 2.15.
 */
export function moleculeGraph(rng) {
  const n = Math.max(10, Math.min(38, Math.round(23 + 4.5 * rng.normal())));
  const adj = Array.from({ length: n }, () => []);
  const src = [];
  const dst = [];
  const add = (u, v) => {
    adj[u].push(v);
    adj[v].push(u);
    src.push(u);
    dst.push(v);
  };
  for (let v = 1; v < n; v++) {
    let u = rng.int(v);
    for (let t = 0; t < 8 && adj[u].length >= 4; t++) u = rng.int(v);
    add(u, v);
  }
  const target = Math.round((2.15 * n) / 2);
  for (let tries = 0; src.length < target && tries < 50; tries++) {
    const u = rng.int(n);
    if (adj[u].length >= 3) continue;
    const steps = 4 + rng.int(2);
    let prev = -1;
    let v = u;
    for (let s = 0; s < steps; s++) {
      const nb = adj[v].filter((x) => x !== prev);
      if (nb.length === 0) break;
      prev = v;
      v = nb[rng.int(nb.length)];
    }
    if (v === u || adj[v].length >= 3 || adj[u].includes(v)) continue;
    add(u, v);
  }
  return fromCoo(src, dst, undefined, { n });
}

/** Erdős–Rényi-style random graph with about n·meanDegree/2 distinct edges. */
export function randomGraph(n, meanDegree, rng) {
  const m = Math.min(Math.round((n * meanDegree) / 2), (n * (n - 1)) / 2);
  const seen = new Set();
  const src = [];
  const dst = [];
  while (src.length < m) {
    const u = rng.int(n);
    const v = rng.int(n);
    if (u === v) continue;
    const key = u < v ? u * n + v : v * n + u;
    if (seen.has(key)) continue;
    seen.add(key);
    src.push(u);
    dst.push(v);
  }
  return fromCoo(src, dst, undefined, { n });
}

export function moleculeGraphs(count, seed) {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => moleculeGraph(rng));
}
