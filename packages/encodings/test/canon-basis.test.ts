import { type BasisResult, mapBasis, oapBasis } from '@graphpe/encodings';
import { createRng, fromEdgeList, GraphpeError, type Rng, type Spectrum, spectrum } from '@graphpe/spectral';
import { describe, expect, it } from 'vitest';

type Rule = 'map' | 'oap' | 'oap-diag';
const RULES: Rule[] = ['map', 'oap', 'oap-diag'];
const run = (rule: Rule, U: Float64Array, n: number, d: number): BasisResult =>
  rule === 'map' ? mapBasis(U, n, d) : oapBasis(U, n, d, { key: rule === 'oap' ? 'oap' : 'diag' });

/** Orthonormalize the columns of an n×d row-major block in place (modified Gram–Schmidt). */
function orthonormalize(X: Float64Array, n: number, d: number): Float64Array {
  for (let a = 0; a < d; a++) {
    for (let b = 0; b < a; b++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += X[i * d + a] * X[i * d + b];
      for (let i = 0; i < n; i++) X[i * d + a] -= dot * X[i * d + b];
    }
    let s = 0;
    for (let i = 0; i < n; i++) s += X[i * d + a] ** 2;
    for (let i = 0; i < n; i++) X[i * d + a] /= Math.sqrt(s);
  }
  return X;
}

/** Random Q ∈ O(d); half of them with det −1 (a reflection). */
function randomOrthogonal(d: number, rng: Rng): Float64Array {
  const Q = orthonormalize(
    Float64Array.from({ length: d * d }, () => rng.normal()),
    d,
    d,
  );
  if (rng.int(2)) for (let a = 0; a < d; a++) Q[a * d] = -Q[a * d];
  return Q;
}

const matmul = (A: Float64Array, n: number, d: number, B: Float64Array, m: number): Float64Array => {
  const C = new Float64Array(n * m);
  for (let i = 0; i < n; i++)
    for (let a = 0; a < d; a++) for (let b = 0; b < m; b++) C[i * m + b] += A[i * d + a] * B[a * m + b];
  return C;
};
const permuteRows = (U: Float64Array, d: number, perm: number[]): Float64Array => {
  const out = new Float64Array(U.length);
  perm.forEach((p, i) => {
    for (let a = 0; a < d; a++) out[i * d + a] = U[p * d + a];
  });
  return out;
};
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};
function shuffled(n: number, rng: Rng): number[] {
  const a = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/** Random orthonormal n×d basis; with `ties`, some rows are copies of others (tied keys, fewer classes). */
function randomBasis(rng: Rng, ties: boolean): { U: Float64Array; n: number; d: number } {
  const n = 4 + rng.int(11);
  const d = 2 + rng.int(Math.min(3, n - 3));
  const X = Float64Array.from({ length: n * d }, () => rng.normal());
  if (ties) {
    const copies = 1 + rng.int(n - 1);
    for (let c = 0; c < copies; c++) {
      // Rows 0..d−1 stay independent, so the block keeps rank d.
      const from = rng.int(n);
      const to = d + rng.int(n - d);
      const sign = rng.int(2) ? 1 : -1;
      for (let a = 0; a < d; a++) X[to * d + a] = sign * X[from * d + a];
    }
  }
  return { U: orthonormalize(X, n, d), n, d };
}

/** The eigenspace block (n×d) of the group whose eigenvalue is closest to `lambda`. */
function block(s: Spectrum, lambda: number): { U: Float64Array; d: number } {
  const g = s.groups.reduce((b, x) => (Math.abs(x.value - lambda) < Math.abs(b.value - lambda) ? x : b));
  const { n, k } = s;
  const U = new Float64Array(n * g.size);
  for (let i = 0; i < n; i++)
    for (let a = 0; a < g.size; a++) U[i * g.size + a] = s.vectors[i * k + g.start + a];
  return { U, d: g.size };
}

const EIGHT_EDGES: [number, number][] = [
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
const OAP_COL1 = [0.051571, 0, 0.089324, 0.360997, -0.089324, 0.58346, 0, -0.71459];
const OAP_COL2 = [0.353553, 0, 0.612372, -0.353553, -0.612372, 0, 0, 0];

describe('basis canonization: properties over seeded random eigenspaces (docs/canonization.md, "Basis canonization")', () => {
  for (const rule of RULES) {
    it(`${rule}: C(UQ) = C(U) for Q ∈ O(d) incl. reflections, C(PU) = P·C(U), CᵀC = I, CCᵀ = UUᵀ, idempotent`, () => {
      const rng = createRng(rule.length * 31 + 7);
      let canonized = 0;
      let failed = 0;
      for (let t = 0; t < 400; t++) {
        const { U, n, d } = randomBasis(rng, t % 2 === 1);
        const r = run(rule, U, n, d);
        const C = r.basis;
        // Rotated/reflected input: same output (canonized) or same status with the input returned.
        const UQ = matmul(U, n, d, randomOrthogonal(d, rng), d);
        const rq = run(rule, UQ, n, d);
        expect(rq.status).toBe(r.status);
        const perm = shuffled(n, rng);
        const rp = run(rule, permuteRows(U, d, perm), n, d);
        expect(rp.status).toBe(r.status);
        if (r.status !== 'canonized') {
          failed++;
          expect(Array.from(C)).toEqual(Array.from(U));
          expect(Array.from(rq.basis)).toEqual(Array.from(UQ));
          continue;
        }
        canonized++;
        expect(maxDiff(rq.basis, C)).toBeLessThan(1e-9);
        expect(maxDiff(rp.basis, permuteRows(C, d, perm))).toBeLessThan(1e-9);
        // Orthonormal, same span (same projector), idempotent.
        const CtC = new Float64Array(d * d);
        for (let i = 0; i < n; i++)
          for (let a = 0; a < d; a++)
            for (let b = 0; b < d; b++) CtC[a * d + b] += C[i * d + a] * C[i * d + b];
        expect(
          maxDiff(
            CtC,
            Float64Array.from({ length: d * d }, (_, p) => (p % (d + 1) === 0 ? 1 : 0)),
          ),
        ).toBeLessThan(1e-12);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) {
            let p = 0;
            let q = 0;
            for (let a = 0; a < d; a++) {
              p += C[i * d + a] * C[j * d + a];
              q += U[i * d + a] * U[j * d + a];
            }
            expect(Math.abs(p - q)).toBeLessThan(1e-12);
          }
        }
        expect(maxDiff(run(rule, C, n, d).basis, C)).toBeLessThan(1e-12);
      }
      expect(canonized).toBeGreaterThan(100);
      expect(failed).toBeGreaterThan(5);
    });
  }
});

describe('basis canonization: flagged graph eigenspaces', () => {
  const cycle = (n: number) => fromEdgeList(Array.from({ length: n }, (_, i) => [i, (i + 1) % n] as const));
  const complete = (n: number) =>
    fromEdgeList(
      Array.from({ length: n * n }, (_, p) => [Math.floor(p / n), p % n] as const).filter(([u, v]) => u < v),
    );
  const petersen = fromEdgeList([
    ...Array.from({ length: 5 }, (_, i) => [i, (i + 1) % 5] as const),
    ...Array.from({ length: 5 }, (_, i) => [i, i + 5] as const),
    ...Array.from({ length: 5 }, (_, i) => [5 + i, 5 + ((i + 2) % 5)] as const),
  ]);
  const star5 = fromEdgeList([1, 2, 3, 4, 5].map((v) => [0, v] as const));
  // λ_L = 1 − λ_Â: C6 λ_Â = ±1/2 (d = 2), K4 −1/3 (d = 3), Petersen 1/3 (d = 5) and −2/3 (d = 4), star5 0 (d = 4).
  const cases: [string, ReturnType<typeof cycle>, number, number][] = [
    ['C6', cycle(6), 0.5, 2],
    ['C6', cycle(6), 1.5, 2],
    ['K4', complete(4), 4 / 3, 3],
    ['Petersen', petersen, 2 / 3, 5],
    ['Petersen', petersen, 5 / 3, 4],
    ['star5', star5, 1, 4],
  ];
  for (const [name, g, lambda, dim] of cases) {
    it(`${name} at λ_L = ${lambda.toFixed(4)} (d = ${dim}) is basis_noncanonizable by every rule`, () => {
      const s = spectrum(g, { k: g.n, solver: 'dense' });
      const { U, d } = block(s, lambda);
      expect(d).toBe(dim);
      for (const rule of RULES) {
        const r = run(rule, U, g.n, d);
        expect(r.status).toBe('basis_noncanonizable');
        expect(['too-few-key-classes', 'rank-deficient']).toContain(r.reason);
        expect(Array.from(r.basis)).toEqual(Array.from(U));
      }
    });
  }
});

describe('the 8-node graph with a near-zero MAP residual: MAP must fail, OAP must return the listed basis', () => {
  const g = fromEdgeList(EIGHT_EDGES);
  const s = spectrum(g, { k: 8, solver: 'dense' });
  const { U, d } = block(s, 1); // λ_Â = 0
  const n = 8;

  it('MAP fails (assumption 2, relative test) for every input rotation — the exact `!= 0` test would not', () => {
    expect(d).toBe(2);
    const rng = createRng(21);
    for (let t = 0; t < 200; t++) {
      const r = mapBasis(matmul(U, n, d, randomOrthogonal(d, rng), d), n, d);
      expect(r.status).toBe('basis_noncanonizable');
      expect(r.reason).toBe('rank-deficient');
    }
  });

  it('OAP returns the listed basis to 1e-6 for 200 random rotations and reflections', () => {
    const rng = createRng(22);
    for (let t = 0; t < 200; t++) {
      const r = oapBasis(matmul(U, n, d, randomOrthogonal(d, rng), d), n, d);
      expect(r.status).toBe('canonized');
      for (let i = 0; i < n; i++) {
        expect(Math.abs(r.basis[i * 2] - OAP_COL1[i])).toBeLessThan(1e-6);
        expect(Math.abs(r.basis[i * 2 + 1] - OAP_COL2[i])).toBeLessThan(1e-6);
      }
    }
  });

  it('OAP returns the listed basis (relabeled) for 100 node relabelings, each solved afresh', () => {
    const rng = createRng(23);
    for (let t = 0; t < 100; t++) {
      const perm = shuffled(n, rng); // node i gets label perm[i]
      const h = fromEdgeList(EIGHT_EDGES.map(([a, b]) => [perm[a], perm[b]] as const));
      const sh = spectrum(h, { k: 8, solver: 'dense' });
      const bh = block(sh, 1);
      expect(mapBasis(bh.U, n, 2).status).toBe('basis_noncanonizable');
      const r = oapBasis(bh.U, n, 2);
      expect(r.status).toBe('canonized');
      for (let i = 0; i < n; i++) {
        expect(Math.abs(r.basis[perm[i] * 2] - OAP_COL1[i])).toBeLessThan(1e-6);
        expect(Math.abs(r.basis[perm[i] * 2 + 1] - OAP_COL2[i])).toBeLessThan(1e-6);
      }
    }
  });
});

describe('basis canonization: input checks', () => {
  it('non-orthonormal input, bad shapes and NaN are refused with GraphpeError', () => {
    expect(() => mapBasis(Float64Array.from([1, 1, 1, 0, 0, 1]), 3, 2)).toThrow(/orthonormal/);
    expect(() => oapBasis(new Float64Array(3), 3, 2)).toThrow(GraphpeError);
    expect(() => oapBasis(Float64Array.from([1, 0, Number.NaN, 1]), 2, 2)).toThrow(/NaN/);
    expect(() => oapBasis(Float64Array.from([1, 0, 0, 1]), 2, 2, { keyTol: -1 })).toThrow(/keyTol/);
  });
});
