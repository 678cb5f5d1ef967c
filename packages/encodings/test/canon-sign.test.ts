import { canonize, canonizeSign, type SignMode } from '@graphpe/encodings';
import { createRng, fromEdgeList, GraphpeError, type Rng, spectrum } from '@graphpe/spectral';
import { describe, expect, it } from 'vitest';

const MODES: SignMode[] = ['reference', 'descending'];
const path = (n: number) => fromEdgeList(Array.from({ length: n - 1 }, (_, i) => [i, i + 1] as const));

function normalize(u: number[]): number[] {
  const s = Math.sqrt(u.reduce((a, x) => a + x * x, 0)) || 1;
  return u.map((x) => x / s);
}

function shuffle<T>(a: T[], rng: Rng): T[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/** Random vectors with many ties and many symmetric (non-canonizable) cases. */
function randomVector(rng: Rng): number[] {
  const kind = rng.int(4);
  const n = 2 + rng.int(11);
  if (kind === 0) return normalize(Array.from({ length: n }, () => rng.normal()));
  if (kind === 1) return normalize(Array.from({ length: n }, () => rng.int(7) - 3));
  // Symmetric multiset {u_i} = {−u_i}, shuffled, optionally with zeros and noise far below tol.
  const half = Array.from({ length: 1 + rng.int(6) }, () => (kind === 2 ? rng.int(4) + 1 : rng.normal()));
  const u = [...half, ...half.map((x) => -x), ...Array.from({ length: rng.int(3) }, () => 0)];
  const noise = kind === 3 ? 1e-13 : 0;
  return normalize(shuffle(u, rng).map((x) => x + noise * rng.normal()));
}

const isSymmetric = (u: number[]): boolean => {
  const a = [...u].sort((x, y) => x - y);
  const b = u.map((x) => -x).sort((x, y) => x - y);
  return a.every((x, i) => Math.abs(x - b[i]) < 1e-9);
};

describe('canonizeSign: fixtures (docs/canonization.md, "Sign canonization")', () => {
  it('(1,2,3) stays (1,2,3) in both modes, from either sign', () => {
    for (const mode of MODES) {
      expect(Array.from(canonizeSign([1, 2, 3], { mode }).vector)).toEqual([1, 2, 3]);
      expect(Array.from(canonizeSign([-1, -2, -3], { mode }).vector)).toEqual([1, 2, 3]);
    }
  });

  it('(1,−1,0,0)/√2 is flagged and returned unchanged', () => {
    const u = [1, -1, 0, 0].map((x) => x / Math.SQRT2);
    for (const mode of MODES) {
      const r = canonizeSign(u, { mode });
      expect(r.status).toBe('sign_noncanonizable');
      expect(r.sign).toBe(1);
      expect(Array.from(r.vector)).toEqual(u);
    }
  });

  it('(4,5,−6): reference keeps it, descending negates it — different, equally valid', () => {
    expect(Array.from(canonizeSign([4, 5, -6]).vector)).toEqual([4, 5, -6]);
    expect(Array.from(canonizeSign([-4, -5, 6]).vector)).toEqual([4, 5, -6]);
    expect(Array.from(canonizeSign([4, 5, -6], { mode: 'descending' }).vector)).toEqual([-4, -5, 6]);
    expect(Array.from(canonizeSign([-4, -5, 6], { mode: 'descending' }).vector)).toEqual([-4, -5, 6]);
  });

  it('normalized-adjacency P5 eigenvectors: λ=−1 and λ=0 in both modes, λ=±0.7071 flagged', () => {
    // L_sym = I − Â: λ_Â = −1, 0, ±1/√2 are λ_L = 2, 1, 1 ∓ 1/√2 (columns 4, 2, 1 and 3).
    const s = spectrum(path(5), { k: 5, solver: 'dense' });
    const col = (j: number) => Array.from({ length: 5 }, (_, i) => s.vectors[i * 5 + j]);
    const r = Math.SQRT1_2;
    const want: [number, number[]][] = [
      [4, [Math.SQRT2 / 4, -0.5, 0.5, -0.5, Math.SQRT2 / 4]],
      [2, [0.5, 0, -r, 0, 0.5]],
    ];
    for (const [j, ref] of want) {
      expect(s.values[j]).toBeCloseTo(j === 4 ? 2 : 1, 12);
      for (const sign of [1, -1]) {
        const u = col(j).map((x) => sign * x);
        const a = canonizeSign(u).vector;
        const b = canonizeSign(u, { mode: 'descending' }).vector;
        for (let i = 0; i < 5; i++) {
          expect(a[i]).toBeCloseTo(ref[i], 10);
          expect(b[i]).toBeCloseTo(-ref[i], 10);
        }
      }
    }
    for (const j of [1, 3]) {
      expect(Math.abs(1 - s.values[j])).toBeCloseTo(r, 12);
      for (const mode of MODES) expect(canonizeSign(col(j), { mode }).status).toBe('sign_noncanonizable');
    }
    expect(canonize(s).status).toEqual([
      'canonized',
      'sign_noncanonizable',
      'canonized',
      'sign_noncanonizable',
      'canonized',
    ]);
  });

  it('a zero vector is trivially canonical; non-finite entries throw E_NAN; bad options throw E_OPTION', () => {
    expect(canonizeSign([0, 0, 0]).status).toBe('canonized');
    expect(() => canonizeSign([1, Number.NaN])).toThrow(GraphpeError);
    expect(() => canonizeSign([1, 2], { mode: 'up' as SignMode })).toThrow(/mode must be/);
    expect(() => canonizeSign([1, 2], { tol: 0 })).toThrow(/tol must be/);
  });
});

describe('canonizeSign: fixed defects of the reference code', () => {
  it('magnitudes equal up to noise form one class even across a 14-decimal rounding boundary', () => {
    const a = 0.3 + 0.5e-14 - 1e-15;
    const b = a + 2e-15;
    // The reference's round(·, 14) puts a and b in different classes, so it would "canonize" noise.
    expect(Math.round(a * 1e14)).not.toBe(Math.round(b * 1e14));
    const u = normalize([a, -b, 0.7, -0.7]);
    for (const mode of MODES) expect(canonizeSign(u, { mode }).status).toBe('sign_noncanonizable');
  });

  it('tolerances are relative to ‖u‖: the decision does not change with the scale of u', () => {
    for (const scale of [1e-12, 1e-6, 1, 1e6, 1e12]) {
      for (const mode of MODES) {
        const r = canonizeSign([4 * scale, 5 * scale, -6 * scale], { mode });
        expect(r.status).toBe('canonized');
        expect(r.sign).toBe(mode === 'reference' ? 1 : -1);
        expect(canonizeSign([scale, -scale * (1 + 1e-14), 0], { mode }).status).toBe('sign_noncanonizable');
      }
    }
  });
});

describe('canonizeSign: properties over 600 seeded random vectors per mode', () => {
  for (const mode of MODES) {
    it(`${mode}: output ∈ {u,−u}, sign invariance, permutation equivariance, idempotence, status ⇔ sort(u) ≈ sort(−u)`, () => {
      const rng = createRng(mode === 'reference' ? 11 : 12);
      let flagged = 0;
      for (let t = 0; t < 600; t++) {
        const u = randomVector(rng);
        const n = u.length;
        const r = canonizeSign(u, { mode });
        const c = Array.from(r.vector);
        // Output is u or −u, exactly.
        expect(c.every((x, i) => x === u[i]) || c.every((x, i) => x === -u[i])).toBe(true);
        // Status ⇔ the multiset of entries is symmetric.
        expect(r.status === 'sign_noncanonizable').toBe(isSymmetric(u));
        if (r.status === 'sign_noncanonizable') flagged++;
        // Sign invariance (canonizable) / unchanged (flagged).
        const m = Array.from(
          canonizeSign(
            u.map((x) => -x),
            { mode },
          ).vector,
        );
        if (r.status === 'canonized') expect(m).toEqual(c);
        else expect(m).toEqual(u.map((x) => -x));
        // Permutation equivariance, both statuses.
        const perm = shuffle(
          Array.from({ length: n }, (_, i) => i),
          rng,
        );
        const pu = perm.map((p) => u[p]);
        const pr = canonizeSign(pu, { mode });
        expect(pr.status).toBe(r.status);
        expect(Array.from(pr.vector)).toEqual(perm.map((p) => c[p]));
        // Idempotence.
        expect(Array.from(canonizeSign(c, { mode }).vector)).toEqual(c);
      }
      expect(flagged).toBeGreaterThan(150);
      expect(flagged).toBeLessThan(450);
    });
  }

  it('O(n log n): a vector of 200 000 entries is canonized in well under a second', () => {
    const rng = createRng(5);
    const u = Array.from({ length: 200_000 }, () => rng.normal());
    const t0 = performance.now();
    expect(canonizeSign(u).status).toBe('canonized');
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});
