import { type CanonizeResult, canonize, type SignMode } from '@graphpe/encodings';
import {
  createRng,
  fromEdgeList,
  type Graph,
  GraphpeError,
  type Rng,
  type Spectrum,
  spectrum,
} from '@graphpe/spectral';
import { describe, expect, it } from 'vitest';

type Edge = readonly [number, number];
const cycle = (n: number) => fromEdgeList(Array.from({ length: n }, (_, i) => [i, (i + 1) % n] as const));
const path = (n: number) => fromEdgeList(Array.from({ length: n - 1 }, (_, i) => [i, i + 1] as const));

/** Random tree, unicyclic graph or sparse graph (many automorphisms, hence flags and repeated eigenvalues). */
function randomEdges(rng: Rng): { n: number; edges: Edge[] } {
  const n = 6 + rng.int(15);
  const edges: Edge[] = [];
  const star = rng.int(3) === 0;
  for (let i = 1; i < n; i++) edges.push([i, star ? rng.int(Math.min(i, 3)) : rng.int(i)]);
  const extra = rng.int(3);
  for (let e = 0; e < extra; e++) {
    const u = rng.int(n);
    const v = rng.int(n);
    if (u !== v && !edges.some(([a, b]) => (a === u && b === v) || (a === v && b === u))) edges.push([u, v]);
  }
  return { n, edges };
}
function shuffled(n: number, rng: Rng): number[] {
  const a = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/** The same eigenspaces with other solver choices: random column signs and random O(d) per complete group. */
function scramble(s: Spectrum, rng: Rng): Spectrum {
  const { n, k } = s;
  const v = s.vectors.slice();
  for (const g of s.groups) {
    const d = g.size;
    const Q = Float64Array.from({ length: d * d }, () => rng.normal());
    for (let a = 0; a < d; a++) {
      for (let b = 0; b < a; b++) {
        let dot = 0;
        for (let c = 0; c < d; c++) dot += Q[c * d + a] * Q[c * d + b];
        for (let c = 0; c < d; c++) Q[c * d + a] -= dot * Q[c * d + b];
      }
      let nrm = 0;
      for (let c = 0; c < d; c++) nrm += Q[c * d + a] ** 2;
      const sign = rng.int(2) ? 1 : -1;
      for (let c = 0; c < d; c++) Q[c * d + a] *= sign / Math.sqrt(nrm);
    }
    for (let i = 0; i < n; i++) {
      for (let b = 0; b < d; b++) {
        let t = 0;
        for (let a = 0; a < d; a++) t += s.vectors[i * k + g.start + a] * Q[a * d + b];
        v[i * k + g.start + b] = t;
      }
    }
  }
  return { ...s, vectors: v };
}

/** max |a − b| over the columns of a that are canonized. */
function canonDiff(a: CanonizeResult, b: Float64Array, rowOf: (i: number) => number = (i) => i): number {
  let m = 0;
  for (let j = 0; j < a.k; j++) {
    if (a.status[j] !== 'canonized') continue;
    for (let i = 0; i < a.n; i++) m = Math.max(m, Math.abs(a.vectors[i * a.k + j] - b[rowOf(i) * a.k + j]));
  }
  return m;
}

describe('canonize(spectrum): statuses and the reference-code defects', () => {
  it('C6: trivial canonized, λ=±0.5 pairs basis_noncanonizable (reported, not a silent fallback), alternating flagged', () => {
    const s = spectrum(cycle(6), { k: 6, solver: 'dense' });
    const r = canonize(s);
    expect(r.status).toEqual([
      'canonized',
      'basis_noncanonizable',
      'basis_noncanonizable',
      'basis_noncanonizable',
      'basis_noncanonizable',
      'sign_noncanonizable',
    ]);
    expect(r.groups.map((g) => g.reason)).toEqual([
      undefined,
      'too-few-key-classes',
      'too-few-key-classes',
      'symmetric-magnitudes',
    ]);
    expect(Array.from(r.signNoncanonizable)).toEqual([5]);
    expect(Array.from(r.unresolved)).toEqual([1, 2, 3, 4]);
    for (let i = 0; i < 6; i++)
      for (let j = 1; j < 6; j++) expect(r.vectors[i * 6 + j]).toBe(s.vectors[i * 6 + j]);
    expect(r.counts).toEqual({
      canonized: 1,
      sign_noncanonizable: 1,
      basis_noncanonizable: 4,
      partial: 0,
      padding: 0,
    });
  });

  it('an eigenspace cut by k is partial and left unchanged (the reference sign-canonizes it as if simple)', () => {
    for (const k of [2, 4]) {
      const s = spectrum(cycle(6), { k, solver: 'dense' });
      const r = canonize(s);
      expect(r.status[k - 1]).toBe('partial');
      expect(r.reasons[k - 1]).toBe('cut-by-k');
      for (let i = 0; i < 6; i++) expect(r.vectors[i * k + k - 1]).toBe(s.vectors[i * k + k - 1]);
      // The other columns stay invariant under another basis of the cut pair.
      expect(canonDiff(r, canonize(scramble(s, createRng(k))).vectors)).toBeLessThan(1e-12);
    }
  });

  it('padding columns (n < k) have status padding and stay zero', () => {
    const r = canonize(spectrum(path(3), { k: 5 }));
    expect(r.status.slice(3)).toEqual(['padding', 'padding']);
    expect(r.counts.padding).toBe(2);
    for (let i = 0; i < 3; i++) expect([r.vectors[i * 5 + 3], r.vectors[i * 5 + 4]]).toEqual([0, 0]);
  });

  it('the 8-node graph: basis map fails (rank-deficient), oap canonizes λ_Â = 0', () => {
    const g = fromEdgeList([
      [0, 1],
      [1, 4],
      [2, 5],
      [2, 6],
      [2, 7],
      [3, 6],
      [4, 5],
      [4, 7],
      [6, 7],
    ]);
    const s = spectrum(g, { k: 8, solver: 'dense' });
    const gi = s.groups.findIndex((x) => Math.abs(x.value - 1) < 1e-9);
    expect(canonize(s, { basis: 'map' }).groups[gi]).toMatchObject({
      status: 'basis_noncanonizable',
      reason: 'rank-deficient',
    });
    expect(canonize(s, { basis: 'oap' }).groups[gi].status).toBe('canonized');
    expect(canonize(s, { basis: 'none' }).groups[gi]).toMatchObject({
      status: 'basis_noncanonizable',
      reason: 'basis-disabled',
    });
  });

  it('eigenvalue scaling (MAP reference): √relu(1 − λ_L) zeroes columns with λ_Â < 0; map-pyg uses Â + I', () => {
    const s = spectrum(path(5), { k: 5, solver: 'dense' });
    const plain = canonize(s);
    const scaled = canonize(s, { eigenvalueScaling: 'map' });
    const pyg = canonize(s, { eigenvalueScaling: 'map-pyg' });
    for (let j = 0; j < 5; j++) {
      const f = Math.sqrt(Math.max(0, 1 - s.values[j]));
      const fp = Math.sqrt(Math.max(0, 2 - s.values[j]));
      for (let i = 0; i < 5; i++) {
        expect(scaled.vectors[i * 5 + j]).toBeCloseTo(plain.vectors[i * 5 + j] * f, 14);
        expect(pyg.vectors[i * 5 + j]).toBeCloseTo(plain.vectors[i * 5 + j] * fp, 14);
      }
    }
    for (let i = 0; i < 5; i++) expect(scaled.vectors[i * 5 + 4]).toBe(0); // λ_Â = −1
    expect(() => canonize(spectrum(path(5), { laplacian: 'comb' }), { eigenvalueScaling: 'map' })).toThrow(
      /sym/,
    );
  });

  it('rw spectra: signs are canonized, bases refused with a clear E_OPTION unless basis: none', () => {
    const s = spectrum(cycle(6), { k: 6, laplacian: 'rw', solver: 'dense' });
    expect(() => canonize(s)).toThrow(GraphpeError);
    expect(() => canonize(s)).toThrow(/orthonormal/);
    expect(canonize(s, { basis: 'none' }).status[0]).toBe('canonized');
    expect(() => canonize(s, { basis: 'qr' as 'none' })).toThrow(/basis must be/);
  });
});

describe('canonize(spectrum): invariance properties over seeded random graphs', () => {
  for (const mode of ['reference', 'descending'] as SignMode[]) {
    it(`${mode}: sign/basis invariance (300 scrambles), idempotence, and every column has a status`, () => {
      const rng = createRng(mode === 'reference' ? 101 : 102);
      const seen = {
        canonized: 0,
        sign_noncanonizable: 0,
        basis_noncanonizable: 0,
        partial: 0,
        basisCanonized: 0,
      };
      for (let t = 0; t < 300; t++) {
        const { n, edges } = randomEdges(rng);
        const k = 1 + rng.int(n);
        const s = spectrum(fromEdgeList(edges, { n }), { k, solver: 'dense' });
        const r = canonize(s, { mode });
        const r2 = canonize(scramble(s, rng), { mode });
        expect(r2.status).toEqual(r.status);
        expect(canonDiff(r, r2.vectors)).toBeLessThan(1e-8);
        expect(canonDiff(r, canonize({ ...s, vectors: r.vectors }, { mode }).vectors)).toBe(0);
        for (let j = 0; j < k; j++) {
          expect(r.status[j]).not.toBe('padding');
          seen[r.status[j] as keyof typeof seen]++;
        }
        seen.basisCanonized += r.groups.filter((g) => g.size > 1 && g.status === 'canonized').length;
      }
      expect(seen.canonized).toBeGreaterThan(500);
      expect(seen.sign_noncanonizable).toBeGreaterThan(50);
      expect(seen.basis_noncanonizable).toBeGreaterThan(50);
      expect(seen.partial).toBeGreaterThan(5);
    });

    it(`${mode}: permutation equivariance through relabeled graphs solved afresh (200 trials)`, () => {
      const rng = createRng(mode === 'reference' ? 201 : 202);
      for (let t = 0; t < 200; t++) {
        const { n, edges } = randomEdges(rng);
        const perm = shuffled(n, rng); // node i becomes perm[i]
        const g: Graph = fromEdgeList(edges, { n });
        const h: Graph = fromEdgeList(
          edges.map(([a, b]) => [perm[a], perm[b]] as const),
          { n },
        );
        const r = canonize(spectrum(g, { k: n, solver: 'dense' }), { mode });
        const rh = canonize(spectrum(h, { k: n, solver: 'dense' }), { mode });
        expect(rh.status).toEqual(r.status);
        expect(canonDiff(r, rh.vectors, (i) => perm[i])).toBeLessThan(1e-8);
      }
    });
  }
});
