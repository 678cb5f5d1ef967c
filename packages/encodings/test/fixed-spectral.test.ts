import { createRng, fromEdgeList, type Graph, GraphpeError, type Spectrum } from '@graphpe/spectral';
import { describe, expect, it } from 'vitest';
import {
  compose,
  eigenspaceProjectors,
  heatKernelDiag,
  heatKernelDiagFromSpectrum,
  lapPE,
  PeContext,
  projectorsFromSpectrum,
  rwse,
} from '../src/index.js';
import { permuteGraph, randomPerm } from './fixed-helpers.js';

/** Random graph; with `twin` the disjoint union G ⊔ G (every eigenvalue repeated). */
function randomGraph(seed: number, maxN = 14, twin = false): Graph {
  const rng = createRng(seed);
  const n = 1 + rng.int(maxN);
  const weighted = rng.next() < 0.3;
  const src: number[] = [];
  const dst: number[] = [];
  const weight: number[] = [];
  for (let i = 1; i < n; i++) {
    if (rng.next() < 0.9) {
      src.push(i);
      dst.push(rng.int(i));
      weight.push(weighted ? 0.5 + rng.next() : 1);
    }
  }
  const extra = rng.int(n);
  for (let e = 0; e < extra; e++) {
    const u = rng.int(n);
    const v = rng.int(n);
    if (u === v) continue;
    src.push(u);
    dst.push(v);
    weight.push(weighted ? 0.5 + rng.next() : 1);
  }
  if (twin) {
    const m = src.length;
    for (let e = 0; e < m; e++) {
      src.push(src[e] + n);
      dst.push(dst[e] + n);
      weight.push(weight[e]);
    }
  }
  return fromEdgeList({ src, dst, weight }, { n: twin ? 2 * n : n, duplicates: 'sum' });
}

const cycle = (n: number): Graph =>
  fromEdgeList(Array.from({ length: n }, (_, i) => [i, (i + 1) % n] as const));
const petersen = (): Graph =>
  fromEdgeList([
    ...Array.from({ length: 5 }, (_, i) => [i, (i + 1) % 5] as const),
    ...Array.from({ length: 5 }, (_, i) => [i, i + 5] as const),
    ...Array.from({ length: 5 }, (_, i) => [5 + i, 5 + ((i + 2) % 5)] as const),
  ]);

/** Random Q ∈ O(d) (Gram–Schmidt of a Gaussian matrix, then a reflection with probability ½), row-major. */
function randomOrthogonal(d: number, rng: ReturnType<typeof createRng>): Float64Array {
  const Q = new Float64Array(d * d);
  for (let c = 0; c < d; c++) {
    for (;;) {
      const v = Array.from({ length: d }, () => rng.normal());
      for (let b = 0; b < c; b++) {
        let s = 0;
        for (let r = 0; r < d; r++) s += v[r] * Q[r * d + b];
        for (let r = 0; r < d; r++) v[r] -= s * Q[r * d + b];
      }
      const norm = Math.hypot(...v);
      if (norm < 1e-6) continue;
      for (let r = 0; r < d; r++) Q[r * d + c] = v[r] / norm;
      break;
    }
  }
  if (rng.next() < 0.5) for (let r = 0; r < d; r++) Q[r * d] = -Q[r * d];
  return Q;
}

/** Copy of a spectrum with V_g → V_g Q_g inside every group (Q_g random orthogonal; 1×1 groups: a random sign). */
function rotateInGroups(s: Spectrum, rng: ReturnType<typeof createRng>, onlyComplete = false): Spectrum {
  const { n, k } = s;
  const vectors = s.vectors.slice();
  for (const grp of s.groups) {
    if (onlyComplete && grp.status !== 'complete') continue;
    const d = grp.size;
    const Q = randomOrthogonal(d, rng);
    for (let i = 0; i < n; i++)
      for (let c = 0; c < d; c++) {
        let acc = 0;
        for (let r = 0; r < d; r++) acc += s.vectors[i * k + grp.start + r] * Q[r * d + c];
        vectors[i * k + grp.start + c] = acc;
      }
  }
  return { ...s, vectors };
}

/** Independent heat-kernel reference: diag(expm(−tL)) − 1/|component| (the removed zero modes), L = D − A. */
function referenceHeat(g: Graph, times: number[]): Float64Array {
  const { n, indptr, indices, weights } = g;
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let p = indptr[i]; p < indptr[i + 1]; p++) {
      const j = indices[p];
      if (j === i) continue;
      L[i * n + j] -= weights[p];
      L[i * n + i] += weights[p];
    }
  const comp = new Int32Array(n).fill(-1);
  const size: number[] = [];
  for (let s = 0; s < n; s++) {
    if (comp[s] >= 0) continue;
    const c = size.length;
    const stack = [s];
    comp[s] = c;
    let cnt = 0;
    while (stack.length) {
      const u = stack.pop()!;
      cnt++;
      for (let p = indptr[u]; p < indptr[u + 1]; p++)
        if (comp[indices[p]] < 0) {
          comp[indices[p]] = c;
          stack.push(indices[p]);
        }
    }
    size.push(cnt);
  }
  const mul = (A: Float64Array, B: Float64Array): Float64Array => {
    const C = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let c = 0; c < n; c++) {
        const a = A[i * n + c];
        if (a !== 0) for (let j = 0; j < n; j++) C[i * n + j] += a * B[c * n + j];
      }
    return C;
  };
  const out = new Float64Array(n * times.length);
  let norm = 0;
  for (let i = 0; i < n; i++) {
    let r = 0;
    for (let j = 0; j < n; j++) r += Math.abs(L[i * n + j]);
    norm = Math.max(norm, r);
  }
  times.forEach((t, ti) => {
    const sq = Math.max(0, Math.ceil(Math.log2((t * norm) / 0.25 + 1e-300)));
    const A = L.map((x) => (-t * x) / 2 ** sq);
    // Taylor series of exp(A), ‖A‖ ≤ 1/4.
    let E: Float64Array = new Float64Array(n * n);
    let term: Float64Array = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      E[i * n + i] = 1;
      term[i * n + i] = 1;
    }
    for (let m = 1; m <= 24; m++) {
      term = mul(term, A).map((x) => x / m);
      for (let p = 0; p < n * n; p++) E[p] += term[p];
    }
    for (let s = 0; s < sq; s++) E = mul(E, E);
    for (let i = 0; i < n; i++) out[i * times.length + ti] = E[i * n + i] - 1 / size[comp[i]];
  });
  return out;
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

function expectOption(fn: () => unknown, label: string): void {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err, label).toBeInstanceOf(GraphpeError);
  expect((err as GraphpeError).code, label).toBe('E_OPTION');
}

describe('heatKernelDiag', () => {
  it('equals diag(expm(−tL)) minus the zero modes on 150 random graphs (isolated nodes → 0)', () => {
    const times = [0.5, 1, 3, 10];
    for (let trial = 0; trial < 150; trial++) {
      const g = randomGraph(300 + trial, 12, trial % 5 === 0);
      const out = heatKernelDiag({ times })(g).hk;
      expect(out.shape).toEqual([g.n, 4]);
      expect(maxDiff(out.data, referenceHeat(g, times))).toBeLessThan(1e-9);
    }
    const iso = fromEdgeList([[0, 1]], { n: 3 });
    const h = heatKernelDiag({ times: [1, 2] })(iso).hk.data;
    expect(h[4]).toBe(0);
    expect(h[5]).toBe(0);
    // K2: λ = 2 with φ = (1, −1)/√2 → H_t = e^{−2t}/2.
    expect(h[0]).toBeCloseTo(Math.exp(-2) / 2, 14);
  });

  it('is permutation-equivariant, 300 seeded trials (incl. repeated eigenvalues)', () => {
    const times = [1, 2, 5];
    for (let trial = 0; trial < 300; trial++) {
      const g = randomGraph(2000 + trial, 12, trial % 3 === 0);
      const perm = randomPerm(g.n, 7000 + trial);
      const a = heatKernelDiag({ times })(g).hk.data;
      const b = heatKernelDiag({ times })(permuteGraph(g, perm)).hk.data;
      for (let i = 0; i < g.n; i++)
        for (let t = 0; t < 3; t++) expect(Math.abs(b[perm[i] * 3 + t] - a[i * 3 + t])).toBeLessThan(1e-10);
    }
  });

  it('is invariant to the eigenbasis (random O(d) inside each eigenspace) and shares the comb spectrum', () => {
    const rng = createRng(17);
    for (let trial = 0; trial < 100; trial++) {
      const g = randomGraph(4000 + trial, 10, trial % 2 === 0);
      const ctx = new PeContext(g);
      const s = ctx.spectrum('comb', g.n);
      const a = heatKernelDiagFromSpectrum(s, [1, 4]);
      const b = heatKernelDiagFromSpectrum(rotateInGroups(s, rng), [1, 4]);
      expect(maxDiff(a, b)).toBeLessThan(1e-12);
      compose(heatKernelDiag(), lapPE({ k: 4, laplacian: 'comb' }))(g, ctx);
      expect(ctx.solves).toBe(1);
    }
  });

  it('rejects bad options (E_OPTION) and graphs past maxNodes (E_TOO_LARGE)', () => {
    for (const o of [{ times: [] }, { times: [1, -1] }, { times: [Number.NaN] }, { maxNodes: 0 }, { t: [1] }])
      expectOption(() => heatKernelDiag(o as never), JSON.stringify(o));
    expect(() => heatKernelDiag({ maxNodes: 3 })(cycle(5))).toThrowError(
      expect.objectContaining({ code: 'E_TOO_LARGE' }),
    );
  });
});

describe('eigenspaceProjectors', () => {
  it('C6: groups λ = 0, .5 (×2), 1.5 (×2), 2 with ranks 1, 2, 2, 1 summing to I; k = 2 flags the cut pair', () => {
    const out = eigenspaceProjectors({ k: 'all' })(cycle(6));
    expect(out.proj.shape).toEqual([4, 6, 6]);
    expect(Array.from(out.proj_dim.data)).toEqual([1, 2, 2, 1]);
    expect(Array.from(out.proj_mult.data)).toEqual([1, 2, 2, 1]);
    expect(Array.from(out.proj.mask!)).toEqual([1, 1, 1, 1]);
    const vals = Array.from(out.proj_val.data);
    for (const [i, v] of [0, 0.5, 1.5, 2].entries()) expect(vals[i]).toBeCloseTo(v, 12);
    const sum = new Float64Array(36);
    for (let q = 0; q < 4; q++) for (let p = 0; p < 36; p++) sum[p] += out.proj.data[q * 36 + p];
    expect(
      maxDiff(
        sum,
        Array.from({ length: 36 }, (_, p) => (p % 7 === 0 ? 1 : 0)),
      ),
    ).toBeLessThan(1e-12);
    const cut = eigenspaceProjectors({ k: 2 })(cycle(6));
    expect(Array.from(cut.proj.mask!)).toEqual([1, 0]);
    expect(Array.from(cut.proj_dim.data)).toEqual([1, 1]);
    expect(Array.from(cut.proj_mult.data)).toEqual([1, 2]);
    expect(eigenspaceProjectors({ k: 2, partial: 'drop' })(cycle(6)).proj.shape).toEqual([1, 6, 6]);
    expect(() => eigenspaceProjectors({ k: 2, partial: 'error' })(cycle(6))).toThrowError(/cut by k/);
  });

  it('complete projectors are invariant under random O(d) (reflections included) and sign flips; 300 trials', () => {
    const rng = createRng(99);
    let multi = 0;
    const graphs = [cycle(6), cycle(8), petersen()];
    for (let trial = 0; trial < 300; trial++) {
      const g = trial < 30 ? graphs[trial % 3] : randomGraph(6000 + trial, 10, trial % 2 === 0);
      const k = trial % 4 === 0 ? g.n : 1 + (trial % 9);
      const ctx = new PeContext(g);
      const s = ctx.spectrum('sym', k);
      const a = projectorsFromSpectrum(s);
      const b = projectorsFromSpectrum(rotateInGroups(s, rng, true));
      expect(b.count).toBe(a.count);
      const nn = g.n * g.n;
      for (let q = 0; q < a.count; q++) {
        if (!a.complete[q]) continue;
        if (a.dims[q] > 1) multi++;
        let m = 0;
        for (let p = 0; p < nn; p++) m = Math.max(m, Math.abs(a.data[q * nn + p] - b.data[q * nn + p]));
        expect(m).toBeLessThan(1e-12);
      }
    }
    expect(multi).toBeGreaterThan(100);
  });

  it('a partial projector is basis-dependent (negative test) — hence mask 0', () => {
    // C6, k = 2: only one vector of the λ = .5 pair is kept; rotating the full pair changes its projector.
    const g = cycle(6);
    const full = new PeContext(g).spectrum('sym', 6);
    const rng = createRng(3);
    const rotated = rotateInGroups(full, rng);
    const cutA = projectorsFromSpectrum({
      ...full,
      k: 2,
      vectors: sliceCols(full.vectors, 6, 6, 2),
      groups: cutGroups(),
    });
    const cutB = projectorsFromSpectrum({
      ...full,
      k: 2,
      vectors: sliceCols(rotated.vectors, 6, 6, 2),
      groups: cutGroups(),
    });
    expect(cutA.complete[1]).toBe(0);
    expect(maxDiff(cutA.data.subarray(36), cutB.data.subarray(36))).toBeGreaterThan(1e-3);
    expect(maxDiff(cutA.data.subarray(0, 36), cutB.data.subarray(0, 36))).toBeLessThan(1e-12);
  });

  it('is permutation-equivariant on complete groups, 300 seeded trials', () => {
    for (let trial = 0; trial < 300; trial++) {
      const g = randomGraph(8000 + trial, 10, trial % 3 === 0);
      const perm = randomPerm(g.n, 11000 + trial);
      const k = trial % 2 ? 'all' : 1 + (trial % 7);
      const a = eigenspaceProjectors({ k })(g);
      const b = eigenspaceProjectors({ k })(permuteGraph(g, perm));
      const G = a.proj.shape[0];
      expect(b.proj.shape[0]).toBe(G);
      expect(Array.from(b.proj.mask!)).toEqual(Array.from(a.proj.mask!));
      const { n } = g;
      for (let q = 0; q < G; q++) {
        expect(Math.abs(b.proj_val.data[q] - a.proj_val.data[q])).toBeLessThan(1e-10);
        if (!a.proj.mask![q]) continue;
        for (let i = 0; i < n; i++)
          for (let j = 0; j < n; j++)
            expect(
              Math.abs(b.proj.data[q * n * n + perm[i] * n + perm[j]] - a.proj.data[q * n * n + i * n + j]),
            ).toBeLessThan(1e-9);
      }
    }
  });

  it('disconnected graphs: the zero eigenspace is one group of its multiplicity; isolated node → e_i e_iᵀ', () => {
    const g = fromEdgeList(
      [
        [0, 1],
        [2, 3],
      ],
      { n: 5 },
    );
    const out = eigenspaceProjectors({ k: 'all' })(g);
    expect(out.proj_mult.data[0]).toBe(2);
    const one = Array.from(out.proj_val.data).findIndex((v) => Math.abs(v - 1) < 1e-9);
    expect(out.proj_mult.data[one]).toBe(1);
    expect(out.proj.data[one * 25 + 4 * 5 + 4]).toBeCloseTo(1, 14);
  });

  it('rejects bad options with E_OPTION; past maxEntries → E_TOO_LARGE', () => {
    for (const o of [
      { k: 0 },
      { k: 'some' },
      { laplacian: 'rw' },
      { partial: 'ignore' },
      { maxEntries: -1 },
      { name: '' },
      { groups: 2 },
    ])
      expectOption(() => eigenspaceProjectors(o as never), JSON.stringify(o));
    expect(() => eigenspaceProjectors({ maxEntries: 10 })(cycle(6))).toThrowError(
      expect.objectContaining({ code: 'E_TOO_LARGE' }),
    );
  });
});

describe('compose', () => {
  it('returns every named array from one context and rejects non-transforms', () => {
    const g = randomGraph(77, 20);
    const pe = compose(lapPE({ k: 16 }), rwse({ steps: 20 }), heatKernelDiag(), eigenspaceProjectors());
    const out = pe(g);
    expect(Object.keys(out).sort()).toEqual(
      ['hk', 'lap_val', 'lap_vec', 'proj', 'proj_dim', 'proj_mult', 'proj_val', 'rwse'].sort(),
    );
    expect(out.lap_vec.shape).toEqual([g.n, 16]);
    expect(out.rwse.shape).toEqual([g.n, 20]);
    expectOption(() => compose(lapPE(), 3 as never), 'non-function');
    const ctx = new PeContext(g, { solver: 'dense' });
    pe.withOptions({ solver: 'dense' })(g, ctx);
    expect(ctx.solves).toBe(2);
  });
});

function sliceCols(v: Float64Array, n: number, k: number, m: number): Float64Array {
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) out[i * m + j] = v[i * k + j];
  return out;
}

function cutGroups(): Spectrum['groups'] {
  return [
    { start: 0, size: 1, value: 0, multiplicity: 1, multiplicityIsLowerBound: false, status: 'complete' },
    { start: 1, size: 1, value: 0.5, multiplicity: 2, multiplicityIsLowerBound: false, status: 'partial' },
  ];
}
