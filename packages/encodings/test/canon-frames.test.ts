import { canonize, frameAverage, signFrame } from '@graphpe/encodings';
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
const EIGHT: Edge[] = [
  [0, 1],
  [1, 4],
  [2, 5],
  [2, 6],
  [2, 7],
  [3, 6],
  [4, 5],
  [4, 7],
  [6, 7],
];

function randomEdges(rng: Rng): { n: number; edges: Edge[] } {
  const n = 6 + rng.int(11);
  const edges: Edge[] = [];
  for (let i = 1; i < n; i++) edges.push([i, rng.int(i)]);
  if (rng.int(2)) {
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
/** Column signs s: U·diag(s). */
function flip(s: Spectrum, signs: number[]): Spectrum {
  const v = s.vectors.slice();
  for (let i = 0; i < s.n; i++) for (let j = 0; j < s.k; j++) v[i * s.k + j] *= signs[j];
  return { ...s, vectors: v };
}
/** Rotate the columns start..start+d−1 by Q (d×d row-major). */
function rotate(s: Spectrum, start: number, d: number, Q: Float64Array): Spectrum {
  const v = s.vectors.slice();
  for (let i = 0; i < s.n; i++)
    for (let b = 0; b < d; b++) {
      let t = 0;
      for (let a = 0; a < d; a++) t += s.vectors[i * s.k + start + a] * Q[a * d + b];
      v[i * s.k + start + b] = t;
    }
  return { ...s, vectors: v };
}
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

/** A non-invariant φ: per node Σ_j w_j U_ij³ + U_ij (n outputs). */
const phiRows =
  (k: number, w: number[]) =>
  (U: Float64Array): Float64Array => {
    const n = U.length / k;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) out[i] += w[j] * U[i * k + j] ** 3 + U[i * k + j];
    return out;
  };

describe('signFrame: size 2^m and cap', () => {
  it('P5 (k = 5): m = 2 flagged columns, 4 elements; the full frame has 2^5', () => {
    const s = spectrum(path(5), { k: 5, solver: 'dense' });
    const f = signFrame(s);
    expect(Array.from(f.columns)).toEqual([1, 3]);
    expect(f.size).toBe(4);
    expect(Array.from(f.signs(3))).toEqual([1, -1, 1, -1, 1]);
    expect(signFrame(s, { over: 'all' }).size).toBe(32);
  });

  it('over 300 random graphs the frame size equals 2^(number of sign_noncanonizable columns)', () => {
    const rng = createRng(3);
    for (let t = 0; t < 300; t++) {
      const { n, edges } = randomEdges(rng);
      const s = spectrum(fromEdgeList(edges, { n }), { k: Math.min(n, 8), solver: 'dense' });
      const f = signFrame(s, { cap: 2 ** 20 });
      const c = canonize(s);
      expect(f.size).toBe(2 ** c.signNoncanonizable.length);
      expect(Array.from(f.columns)).toEqual(Array.from(c.signNoncanonizable));
      expect(Array.from(f.dropped)).toEqual(Array.from(c.unresolved));
    }
  });

  it('past the cap: a clear E_TOO_LARGE naming 2^m and the columns', () => {
    const s = spectrum(path(14), { k: 13, solver: 'dense' });
    let err: unknown;
    try {
      signFrame(s, { over: 'all' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(GraphpeError);
    expect((err as GraphpeError).code).toBe('E_TOO_LARGE');
    expect((err as GraphpeError).message).toMatch(/2\^13 = 8192 .*cap = 4096/);
    expect(signFrame(s, { over: 'all', cap: 8192 }).size).toBe(8192);
    expect(() => signFrame(s, { cap: 0 })).toThrow(/cap must be/);
  });

  it('unresolved eigenspaces: dropped (zeroed) by default, framed with unresolved: sign, refused with error', () => {
    const s = spectrum(cycle(6), { k: 6, solver: 'dense' });
    const drop = signFrame(s);
    expect(Array.from(drop.dropped)).toEqual([1, 2, 3, 4]);
    expect(drop.size).toBe(2);
    for (let i = 0; i < 6; i++) for (const j of [1, 2, 3, 4]) expect(drop.base[i * 6 + j]).toBe(0);
    expect(signFrame(s, { unresolved: 'sign' }).size).toBe(32);
    expect(() => signFrame(s, { unresolved: 'error' })).toThrow(/basis_noncanonizable/);
  });
});

describe('frameAverage (docs/canonization.md, "Frames")', () => {
  it('a sign-invariant φ averages to φ itself (simple spectra, 200 random graphs)', () => {
    const rng = createRng(4);
    let tested = 0;
    for (let t = 0; t < 200; t++) {
      const { n, edges } = randomEdges(rng);
      const s = spectrum(fromEdgeList(edges, { n }), { k: Math.min(n, 8), solver: 'dense' });
      if (s.groups.some((g) => g.size > 1 || g.status === 'partial')) continue;
      tested++;
      const phi = (U: Float64Array): Float64Array => U.map((x) => x * x + Math.abs(x));
      expect(maxDiff(frameAverage(phi, s), phi(s.vectors))).toBeLessThan(1e-14);
      const phiSum = (U: Float64Array): number => U.reduce((a, x) => a + x ** 4, 0);
      expect(frameAverage(phiSum, s)).toBeCloseTo(phiSum(s.vectors), 12);
    }
    expect(tested).toBeGreaterThan(30);
  });

  it('for a non-invariant φ (Σ w·U³ + U), Φ(U·diag(s)) = Φ(U) and Φ(U·Q) = Φ(U) on eigenspaces (300 trials)', () => {
    const rng = createRng(5);
    const base = [
      spectrum(fromEdgeList(EIGHT), { k: 8, solver: 'dense' }),
      spectrum(cycle(6), { k: 6, solver: 'dense' }),
    ];
    for (let t = 0; t < 300; t++) {
      let s: Spectrum;
      if (t < 40) s = base[t % 2];
      else {
        const { n, edges } = randomEdges(rng);
        s = spectrum(fromEdgeList(edges, { n }), { k: Math.min(n, 8), solver: 'dense' });
      }
      const w = Array.from({ length: s.k }, () => rng.normal());
      const phi = phiRows(s.k, w);
      const ref = frameAverage(phi, s);
      const signs = Array.from({ length: s.k }, () => (rng.int(2) ? 1 : -1));
      let other = flip(s, signs);
      for (const g of s.groups) {
        if (g.size < 2) continue;
        const Q = Float64Array.from({ length: g.size * g.size }, () => rng.normal());
        // Orthonormalize Q's columns (Gram–Schmidt) → Q ∈ O(d).
        for (let a = 0; a < g.size; a++) {
          for (let b = 0; b < a; b++) {
            let dot = 0;
            for (let c = 0; c < g.size; c++) dot += Q[c * g.size + a] * Q[c * g.size + b];
            for (let c = 0; c < g.size; c++) Q[c * g.size + a] -= dot * Q[c * g.size + b];
          }
          let nrm = 0;
          for (let c = 0; c < g.size; c++) nrm += Q[c * g.size + a] ** 2;
          for (let c = 0; c < g.size; c++) Q[c * g.size + a] /= Math.sqrt(nrm);
        }
        if (g.status === 'complete') other = rotate(other, g.start, g.size, Q);
      }
      expect(maxDiff(frameAverage(phi, other), ref)).toBeLessThan(1e-9);
    }
  });

  it('the reference "FA" ablation (φ(U) + φ(−U))/2 is not per-eigenvector sign invariant; frameAverage is', () => {
    const s = spectrum(path(5), { k: 5, solver: 'dense' });
    // φ_i = (Σ_j w_j U_ij)²: even under a global flip, not under one column's flip.
    const w = [0.3, -1.2, 0.7, 2.1, -0.4];
    const phi = (U: Float64Array): Float64Array =>
      Float64Array.from({ length: 5 }, (_, i) => w.reduce((a, wj, j) => a + wj * U[i * 5 + j], 0) ** 2);
    const ablation = (x: Spectrum) => {
      const a = phi(x.vectors);
      const b = phi(x.vectors.map((v) => -v));
      return a.map((v, i) => (v + b[i]) / 2);
    };
    const flipped = flip(s, [1, -1, 1, 1, 1]);
    expect(maxDiff(ablation(flipped), ablation(s))).toBeGreaterThan(1e-3);
    expect(maxDiff(frameAverage(phi, flipped), frameAverage(phi, s))).toBeLessThan(1e-12);
  });

  it('permutation equivariance: a row-wise φ gives Φ(PU) = P·Φ(U), graphs relabeled and solved afresh (200 trials)', () => {
    const rng = createRng(6);
    for (let t = 0; t < 200; t++) {
      const { n, edges } = randomEdges(rng);
      const perm = shuffled(n, rng);
      const g: Graph = fromEdgeList(edges, { n });
      const h: Graph = fromEdgeList(
        edges.map(([a, b]) => [perm[a], perm[b]] as const),
        { n },
      );
      const k = Math.min(n, 8);
      const s = spectrum(g, { k, solver: 'dense' });
      const sh = spectrum(h, { k, solver: 'dense' });
      if (s.groups.some((x) => x.status === 'partial')) continue; // a cut eigenspace is dropped either way
      const phi = phiRows(
        k,
        Array.from({ length: k }, () => rng.normal()),
      );
      const a = frameAverage(phi, s);
      const b = frameAverage(phi, sh);
      for (let i = 0; i < n; i++) expect(Math.abs(b[perm[i]] - a[i])).toBeLessThan(1e-9);
    }
  });

  it('equivariant averaging: Φ(U·diag(s)) = Φ(U)·diag(s), and Φ(U·Q) = Φ(U)·Q on the 8-node OAP eigenspace', () => {
    const rng = createRng(7);
    const cube = (U: Float64Array) => U.map((x) => x ** 3 + 0.5 * x * x);
    for (const s of [
      spectrum(path(7), { k: 7, solver: 'dense' }),
      spectrum(fromEdgeList(EIGHT), { k: 8, solver: 'dense' }),
    ]) {
      const { n, k } = s;
      const ref = frameAverage(cube, s, { equivariant: true });
      for (let t = 0; t < 50; t++) {
        const signs = Array.from({ length: k }, () => (rng.int(2) ? 1 : -1));
        const out = frameAverage(cube, flip(s, signs), { equivariant: true });
        for (let i = 0; i < n; i++)
          for (let j = 0; j < k; j++) expect(out[i * k + j]).toBeCloseTo(ref[i * k + j] * signs[j], 10);
      }
      const g = s.groups.find((x) => x.size === 2);
      if (!g) continue;
      const c = Math.cos(0.7);
      const sn = Math.sin(0.7);
      const Q = Float64Array.from([c, sn, sn, -c]); // a reflection
      const out = frameAverage(cube, rotate(s, g.start, 2, Q), { equivariant: true });
      for (let i = 0; i < n; i++)
        for (let b = 0; b < 2; b++) {
          const want = ref[i * k + g.start] * Q[b] + ref[i * k + g.start + 1] * Q[2 + b];
          expect(out[i * k + g.start + b]).toBeCloseTo(want, 10);
        }
    }
    expect(() =>
      frameAverage(() => new Float64Array(3), spectrum(path(5), { k: 5 }), { equivariant: true }),
    ).toThrow(/r×k/);
  });
});
