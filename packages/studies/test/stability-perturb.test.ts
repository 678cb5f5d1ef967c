import { randomPermutation } from '@graphpe/gnn';
import { createRng, fromEdgeList, type Graph } from '@graphpe/spectral';
import { componentCount, permuteRows, perturbEdges, relabelGraph, undirectedEdges } from '@graphpe/studies';
import { describe, expect, it } from 'vitest';

/** A random connected graph: a random tree plus `extra` random chords. */
function randomGraph(n: number, extra: number, seed: number): Graph {
  const rng = createRng(seed);
  const edges = new Set<string>();
  const list: [number, number][] = [];
  const add = (u: number, v: number) => {
    const a = Math.min(u, v);
    const b = Math.max(u, v);
    if (a === b || edges.has(`${a},${b}`)) return;
    edges.add(`${a},${b}`);
    list.push([a, b]);
  };
  for (let i = 1; i < n; i++) add(i, rng.int(i));
  for (let t = 0; t < extra; t++) add(rng.int(n), rng.int(n));
  return fromEdgeList(list, { n });
}

function checkSimple(g: Graph): void {
  for (let i = 0; i < g.n; i++) {
    const row = Array.from(g.indices.subarray(g.indptr[i], g.indptr[i + 1]));
    expect(row).not.toContain(i);
    expect(new Set(row).size).toBe(row.length);
  }
}

describe('perturbEdges', () => {
  it('deletes / adds exactly e edges, no self-loops or duplicates, same n', () => {
    for (let seed = 0; seed < 30; seed++) {
      const g = randomGraph(8 + (seed % 12), 6, seed);
      const m = undirectedEdges(g).length;
      for (const e of [1, 2, 3, 4, 5]) {
        const add = perturbEdges(g, { kind: 'add', edits: e, seed });
        expect(add).not.toBeNull();
        expect(add!.graph.n).toBe(g.n);
        expect(undirectedEdges(add!.graph).length).toBe(m + e);
        expect(add!.added.length).toBe(e);
        checkSimple(add!.graph);
        const del = perturbEdges(g, { kind: 'delete', edits: e, seed, keepConnected: false });
        expect(undirectedEdges(del!.graph).length).toBe(m - e);
        expect(del!.removed.length).toBe(e);
        checkSimple(del!.graph);
        // removed edges were edges of G and are gone; added ones were not edges of G
        const before = new Set(undirectedEdges(g).map(([u, v]) => `${u},${v}`));
        const afterDel = new Set(undirectedEdges(del!.graph).map(([u, v]) => `${u},${v}`));
        for (const [u, v] of del!.removed) {
          expect(before.has(`${u},${v}`)).toBe(true);
          expect(afterDel.has(`${u},${v}`)).toBe(false);
        }
        for (const [u, v] of add!.added) expect(before.has(`${u},${v}`)).toBe(false);
      }
    }
  });

  it('keepConnected: deletions never disconnect; a tree has nothing to delete', () => {
    for (let seed = 0; seed < 30; seed++) {
      const g = randomGraph(10 + (seed % 10), 5, seed);
      const cyclomatic = undirectedEdges(g).length - g.n + 1;
      for (let e = 1; e <= cyclomatic; e++) {
        const p = perturbEdges(g, { kind: 'delete', edits: e, seed: seed + 100 });
        expect(p).not.toBeNull();
        expect(componentCount(p!.graph.n, undirectedEdges(p!.graph))).toBe(1);
      }
      expect(perturbEdges(g, { kind: 'delete', edits: cyclomatic + 1, seed })).toBeNull();
    }
    const tree = randomGraph(12, 0, 3);
    expect(perturbEdges(tree, { kind: 'delete', edits: 1 })).toBeNull();
    const cut = perturbEdges(tree, { kind: 'delete', edits: 1, keepConnected: false });
    expect(componentCount(12, undirectedEdges(cut!.graph))).toBe(2);
    // complete graph: nothing to add
    const k4 = fromEdgeList([
      [0, 1],
      [0, 2],
      [0, 3],
      [1, 2],
      [1, 3],
      [2, 3],
    ]);
    expect(perturbEdges(k4, { kind: 'add', edits: 1 })).toBeNull();
  });

  it('reweight: same edges, e of them with weight × factor', () => {
    const g = randomGraph(15, 5, 7);
    const m = undirectedEdges(g).length;
    const p = perturbEdges(g, { kind: 'reweight', edits: 3, factor: 0.5, seed: 2 })!;
    expect(undirectedEdges(p.graph)).toEqual(undirectedEdges(g));
    const w = Array.from(p.graph.weights).sort();
    expect(w.filter((x) => x === 0.5).length).toBe(6); // 3 undirected edges, stored twice
    expect(w.filter((x) => x === 1).length).toBe(2 * m - 6);
    expect(p.removed.length).toBe(3);
    expect(perturbEdges(g, { kind: 'reweight', edits: m + 1 })).toBeNull();
    expect(() => perturbEdges(g, { kind: 'reweight', edits: 1, factor: 1 })).toThrow(/factor/);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const g = randomGraph(20, 8, 1);
    const a = perturbEdges(g, { kind: 'delete', edits: 3, seed: 5, keepConnected: false })!;
    const b = perturbEdges(g, { kind: 'delete', edits: 3, seed: 5, keepConnected: false })!;
    expect(a.removed).toEqual(b.removed);
    expect(Array.from(a.graph.indices)).toEqual(Array.from(b.graph.indices));
    const c = perturbEdges(g, { kind: 'add', edits: 3, seed: 5 })!;
    const d = perturbEdges(g, { kind: 'add', edits: 3, seed: 5 })!;
    expect(c.added).toEqual(d.added);
    const others = [6, 7, 8, 9].map((s) => perturbEdges(g, { kind: 'add', edits: 3, seed: s })!.added);
    expect(others.some((x) => JSON.stringify(x) !== JSON.stringify(c.added))).toBe(true);
    expect(() => perturbEdges(g, { kind: 'add', edits: -1 })).toThrow(/edits/);
  });

  it('relabelGraph and permuteRows agree: edge (u, v) becomes (p[u], p[v])', () => {
    const g = randomGraph(9, 4, 2);
    const perm = randomPermutation(9, createRng(4));
    expect([...perm].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    const pg = relabelGraph(g, perm);
    const mapped = new Set(
      undirectedEdges(g).map(([u, v]) => `${Math.min(perm[u]!, perm[v]!)},${Math.max(perm[u]!, perm[v]!)}`),
    );
    expect(new Set(undirectedEdges(pg).map(([u, v]) => `${u},${v}`))).toEqual(mapped);
    const x = Float64Array.from({ length: 18 }, (_, i) => i);
    const px = permuteRows(x, 9, 2, perm);
    for (let i = 0; i < 9; i++) expect([px[perm[i]! * 2], px[perm[i]! * 2 + 1]]).toEqual([2 * i, 2 * i + 1]);
  });
});
