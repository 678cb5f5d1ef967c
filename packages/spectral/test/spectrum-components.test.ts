// Component-aware sparse spectra on seeded random disconnected graphs: hundreds of components of mixed
// sizes, isolated nodes, identical components (equal eigenvalues across components), node labels
// shuffled so components interleave; the sparse path must equal the dense path for every k.
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { laplacianEigenpairs, laplacianEigsh } from '../src/eig/sparse/laplacian-eigsh.js';
import { randomGeometricGraph } from '../src/generators/geometric.js';
import { largestComponent } from '../src/generators/largest-component.js';
import { connectedComponents } from '../src/graph/components.js';
import { fromCoo } from '../src/graph/coo.js';
import type { Graph, LaplacianKind } from '../src/graph/types.js';
import { spectrum } from '../src/spectrum/spectrum.js';
import type { Spectrum } from '../src/spectrum/types.js';
import { createRng, type Rng } from '../src/util/rng.js';
import { expectSpectrumMatches, maxResidual, orthonormalityError } from './spectrum-checks.js';

type Edges = { n: number; src: number[]; dst: number[]; w: number[] };

const fixed = (n: number, pairs: [number, number][]): Edges => ({
  n,
  src: pairs.map((p) => p[0]),
  dst: pairs.map((p) => p[1]),
  w: pairs.map(() => 1),
});
const pathE = (n: number) =>
  fixed(
    n,
    Array.from({ length: n - 1 }, (_, i) => [i, i + 1]),
  );
const cycleE = (n: number) =>
  fixed(
    n,
    Array.from({ length: n }, (_, i) => [i, (i + 1) % n]),
  );
const starE = (n: number) =>
  fixed(
    n,
    Array.from({ length: n - 1 }, (_, i) => [0, i + 1]),
  );
const completeE = (n: number) => {
  const p: [number, number][] = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) p.push([i, j]);
  return fixed(n, p);
};

/** A random connected graph: a random tree plus a few extra edges, weights 1 or uniform in [0.5, 2]. */
function randomConnected(rng: Rng, n: number, weighted: boolean): Edges {
  const e: Edges = { n, src: [], dst: [], w: [] };
  const seen = new Set<number>();
  const add = (a: number, b: number) => {
    const key = Math.min(a, b) * n + Math.max(a, b);
    if (a === b || seen.has(key)) return;
    seen.add(key);
    e.src.push(a);
    e.dst.push(b);
    e.w.push(weighted ? 0.5 + 1.5 * rng.next() : 1);
  };
  for (let i = 1; i < n; i++) add(i, rng.int(i));
  for (let t = 0; t < Math.floor(n / 3); t++) add(rng.int(n), rng.int(n));
  return e;
}

function fromGraph(g: Graph): Edges {
  const e: Edges = { n: g.n, src: [], dst: [], w: [] };
  for (let i = 0; i < g.n; i++) {
    for (let p = g.indptr[i]; p < g.indptr[i + 1]; p++) {
      if (g.indices[p] > i) {
        e.src.push(i);
        e.dst.push(g.indices[p]);
        e.w.push(g.weights[p]);
      }
    }
  }
  return e;
}

/** Disjoint union of the parts with node labels shuffled (seeded). */
function shuffledUnion(parts: Edges[], rng: Rng): Graph {
  const n = parts.reduce((a, p) => a + p.n, 0);
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [perm[i], perm[j]] = [perm[j], perm[i]];
  }
  const src: number[] = [];
  const dst: number[] = [];
  const w: number[] = [];
  let o = 0;
  for (const p of parts) {
    for (let t = 0; t < p.src.length; t++) {
      src.push(perm[o + p.src[t]]);
      dst.push(perm[o + p.dst[t]]);
      w.push(p.w[t]);
    }
    o += p.n;
  }
  return fromCoo(src, dst, w, { n });
}

/**
 * ~2,300 nodes in ~215 components: 50 isolated nodes; repeated P3, C5, K4, star S5; random small graphs
 * (some weighted); two identical random geometric components of ~310 nodes and one of ~360, which the
 * sparse path solves by LOBPCG (larger than the dense cut-off of 256 nodes).
 */
function disconnectedGraph(seed: number): Graph {
  const rng = createRng(seed);
  const parts: Edges[] = [];
  for (let t = 0; t < 50; t++) parts.push({ n: 1, src: [], dst: [], w: [] });
  for (let t = 0; t < 30; t++) parts.push(pathE(3));
  for (let t = 0; t < 20; t++) parts.push(cycleE(5));
  for (let t = 0; t < 15; t++) parts.push(completeE(4));
  for (let t = 0; t < 15; t++) parts.push(starE(5));
  for (let t = 0; t < 80; t++) parts.push(randomConnected(rng, 2 + rng.int(20), t % 3 === 0));
  const twin = fromGraph(
    largestComponent(randomGeometricGraph(320, { meanDegree: 10, seed: seed + 1 })).graph,
  );
  parts.push(twin, twin);
  parts.push(fromGraph(largestComponent(randomGeometricGraph(370, { meanDegree: 8, seed: seed + 2 })).graph));
  return shuffledUnion(parts, rng);
}

describe('component-aware sparse spectra on random disconnected graphs', () => {
  beforeEach(() => new Promise<void>((resolve) => setImmediate(resolve)));
  for (const [seed, stride] of [
    [1, 1],
    [2, 4],
  ] as const) {
    const g = disconnectedGraph(seed);
    const comps = connectedComponents(g);
    const isolated = Array.from(comps.sizes).filter((s) => s === 1).length;
    for (const kind of ['sym', 'comb', 'rw'] as const satisfies readonly LaplacianKind[]) {
      const nullity = kind === 'comb' ? comps.count : comps.count - isolated;
      // Every k through the null space and well past it (sym, seed 1); a stride otherwise.
      const last = nullity + 60;
      const ks: number[] = [];
      for (let k = 1; k <= last; k += kind === 'sym' ? stride : 9) ks.push(k);
      let dense: Spectrum;
      beforeAll(() => {
        dense = spectrum(g, { k: g.n, laplacian: kind, solver: 'dense', pad: 'none' });
      }, 120_000);
      it(`seed ${seed}, ${kind}: n = ${g.n}, ${comps.count} components, null space of multiplicity ${nullity}; LOBPCG used`, () => {
        expect(dense.groups[0].multiplicity).toBe(nullity);
        // The iterative path is exercised: three components are solved by LOBPCG past the null space.
        expect(laplacianEigenpairs(g, { k: last, laplacian: kind }).iterativeComponents).toBe(3);
      });
      // Chunks of k per test, so that no synchronous test runs for long.
      for (let c = 0; c < ks.length; c += 30) {
        const chunk = ks.slice(c, c + 30);
        it(`seed ${seed}, ${kind}: sparse = dense for k = ${chunk[0]}…${chunk[chunk.length - 1]}`, () => {
          for (const k of chunk) {
            const s = spectrum(g, { k, laplacian: kind, solver: 'sparse' });
            expectSpectrumMatches(s, dense.values, 1e-8, `seed ${seed} ${kind} k=${k}`);
            expect(s.groups[0]).toMatchObject({ value: 0, multiplicityIsLowerBound: false });
            expect(s.groups[0].multiplicity).toBe(nullity);
            expect(maxResidual(s)).toBeLessThanOrEqual(kind === 'rw' ? 1e-7 : 1e-8);
            if (kind !== 'rw') expect(orthonormalityError(s)).toBeLessThanOrEqual(1e-8);
          }
        });
      }
    }
  }

  it('identical components give one eigenspace across them, with the summed multiplicity', () => {
    const g = disconnectedGraph(1);
    const dense = spectrum(g, { k: g.n, solver: 'dense', pad: 'none' });
    // Some nonzero eigenvalue of the twin RGG components (or the repeated small ones) has multiplicity ≥ 2.
    const repeated = dense.groups.filter((gr) => gr.value > 0 && gr.multiplicity >= 2);
    expect(repeated.length).toBeGreaterThan(0);
    const k = repeated[0].start + 1; // cuts the first repeated nonzero eigenspace after one column
    const s = spectrum(g, { k, solver: 'sparse' });
    const last = s.groups[s.groups.length - 1];
    expect(last.status).toBe('partial');
    expect(last.multiplicity).toBe(repeated[0].multiplicity);
  });

  it('laplacianEigsh (public) returns the k smallest across components, exact zeros first', () => {
    const g = disconnectedGraph(3);
    const dense = spectrum(g, { k: g.n, solver: 'dense', pad: 'none' });
    for (const k of [1, 100, 180, 230]) {
      const r = laplacianEigsh(g, { k });
      for (let j = 0; j < k; j++) expect(Math.abs(r.values[j] - dense.values[j])).toBeLessThanOrEqual(1e-8);
      for (const x of r.residuals) expect(x).toBeLessThanOrEqual(1e-8);
    }
  });
});

describe('the null space is exact when a nonzero eigenvalue is below rounding', () => {
  /** Two random connected clusters of m nodes joined by one edge of weight w, plus a path on 3 nodes. */
  function weaklyJoined(m: number, w: number, seed: number): Graph {
    const rng = createRng(seed);
    const a = randomConnected(rng, m, false);
    const b = randomConnected(rng, m, false);
    const src = [...a.src, ...b.src.map((x) => x + m), m - 1, 2 * m, 2 * m + 1];
    const dst = [...a.dst, ...b.dst.map((x) => x + m), m, 2 * m + 1, 2 * m + 2];
    const wt = [...a.w, ...b.w, w, 1, 1];
    return fromCoo(src, dst, wt, { n: 2 * m + 3 });
  }
  for (const [m, w] of [
    [100, 1e-16],
    [100, 1e-17],
    [400, 1e-17],
  ] as const) {
    for (const kind of ['sym', 'comb'] as const) {
      it(`two ${m}-node clusters joined by weight ${w}, ${kind}: 2 exact zeros, λ₂ of the joined pair apart`, () => {
        const g = weaklyJoined(m, w, 7);
        for (const solver of ['dense', 'sparse'] as const) {
          const s = spectrum(g, { k: 6, laplacian: kind, solver });
          expect(s.groups[0], solver).toMatchObject({
            start: 0,
            value: 0,
            multiplicity: 2,
            status: 'complete',
          });
          expect(s.values[0]).toBe(0);
          expect(s.values[1]).toBe(0);
          expect(s.values[2], solver).toBeGreaterThan(0);
          expect(s.values[2], solver).toBeLessThan(1e-12);
        }
      });
    }
  }

  it('a path with a 1e-17 middle edge, a triangle and an edge: 3 exact zeros, not 4', () => {
    const g = fromCoo([0, 1, 2, 4, 5, 6, 7], [1, 2, 3, 5, 6, 4, 8], [1, 1e-17, 1, 1, 1, 1, 1], { n: 9 });
    for (const kind of ['sym', 'comb'] as const) {
      for (const solver of ['dense', 'sparse'] as const) {
        const s = spectrum(g, { k: 5, laplacian: kind, solver });
        expect(s.groups[0], `${kind} ${solver}`).toMatchObject({ multiplicity: 3, value: 0 });
        expect(s.values[3], `${kind} ${solver}`).toBeGreaterThan(0);
      }
    }
  });

  it('self-loops are ignored by every path (as PyG get_laplacian)', () => {
    const base = disconnectedGraph(4);
    const src: number[] = [];
    const dst: number[] = [];
    const w: number[] = [];
    for (let i = 0; i < base.n; i++) {
      for (let p = base.indptr[i]; p < base.indptr[i + 1]; p++) {
        if (base.indices[p] >= i) {
          src.push(i);
          dst.push(base.indices[p]);
          w.push(base.weights[p]);
        }
      }
      if (i % 5 === 0) {
        src.push(i);
        dst.push(i);
        w.push(2.5);
      }
    }
    const looped = fromCoo(src, dst, w, { n: base.n });
    const k = 200;
    const a = spectrum(base, { k, solver: 'sparse' });
    const b = spectrum(looped, { k, solver: 'sparse' });
    for (let j = 0; j < k; j++) expect(Math.abs(a.values[j] - b.values[j])).toBeLessThanOrEqual(1e-10);
    expect(b.groups.map((x) => x.multiplicity)).toEqual(a.groups.map((x) => x.multiplicity));
  });
});
