import { createRng, eigh, GraphpeError, laplacianDense, spectralDiagonals } from '@graphpe/spectral';
import { afterEach, describe, expect, it } from 'vitest';
import { denseKernels, setDenseKernels } from '../src/eig/dense/wasm/loader.js';
import { cycle, path } from './dense-helpers.js';

/** Independent reference: plain double loop over the selected columns, squares flushed below 1e-100. */
function reference(
  V: Float64Array,
  n: number,
  k: number,
  cols: Int32Array,
  c: number,
  coef: Float64Array,
  m: number,
): Float64Array {
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++)
    for (let t = 0; t < m; t++) {
      let s = 0;
      for (let a = 0; a < c; a++) {
        const v = V[i * k + cols[a]];
        const w = v * v < 1e-100 ? 0 : v * v;
        s += w * coef[t * c + a];
      }
      out[i * m + t] = s;
    }
  return out;
}

/** A random case: n×k vectors, a sorted subset of c ≤ k columns, m coefficient rows. */
function randomCase(seed: number) {
  const rng = createRng(seed);
  const n = 1 + rng.int(40);
  const k = n + rng.int(3);
  const V = new Float64Array(n * k);
  for (let q = 0; q < V.length; q++) V[q] = rng.next() * 2 - 1;
  // A few exact and round-off zeros.
  for (let z = 0; z < 3; z++) V[rng.int(V.length)] = rng.next() < 0.5 ? 0 : 1e-60;
  const picked: number[] = [];
  for (let j = 0; j < k; j++) if (rng.next() < 0.8) picked.push(j);
  const cols = Int32Array.from(picked);
  const c = cols.length;
  const m = 1 + rng.int(23);
  const coef = new Float64Array(m * c);
  for (let q = 0; q < coef.length; q++) coef[q] = rng.next() * 2 - 1;
  return { n, k, V, cols, c, m, coef };
}

const run = (x: ReturnType<typeof randomCase>) => {
  const out = new Float64Array(x.n * x.m);
  spectralDiagonals(x.V, x.n, x.k, x.cols, x.c, x.coef, x.m, out);
  return out;
};

describe('spectralDiagonals', () => {
  afterEach(() => setDenseKernels('wasm'));

  it('equals the plain double loop on 300 random cases (odd and even column counts, any number of rows)', () => {
    for (let trial = 0; trial < 300; trial++) {
      const x = randomCase(500 + trial);
      const ref = reference(x.V, x.n, x.k, x.cols, x.c, x.coef, x.m);
      const out = run(x);
      let worst = 0;
      for (let q = 0; q < out.length; q++)
        worst = Math.max(worst, Math.abs(out[q] - ref[q]) / ((1 + Math.abs(ref[q])) * x.c));
      expect(worst, `case ${trial}`).toBeLessThanOrEqual(1e-14);
    }
  });

  it('gives bit-identical results with the wasm and the JS kernels (same summation order)', () => {
    expect(setDenseKernels('wasm')).toBe('wasm');
    const cases = Array.from({ length: 100 }, (_, i) => randomCase(900 + i));
    const wasm = cases.map(run);
    setDenseKernels('js');
    expect(denseKernels()).toBe('js');
    cases.forEach((x, i) => {
      const js = run(x);
      expect(Array.from(js)).toEqual(Array.from(wasm[i]));
    });
  });

  it('gives diag(L^t) from a full eigendecomposition: path and cycle closed-walk counts', () => {
    // coef row t = λ_j^(t+1) over all columns: out[i, t] = (L^(t+1))_ii for the combinatorial Laplacian.
    for (const g of [path(5), cycle(6)]) {
      const { n } = g;
      const L = laplacianDense(g, 'comb');
      const { values, vectors } = eigh(L, n);
      const m = 4;
      const cols = Int32Array.from({ length: n }, (_, j) => j);
      const coef = new Float64Array(m * n);
      for (let t = 0; t < m; t++) for (let j = 0; j < n; j++) coef[t * n + j] = values[j] ** (t + 1);
      const out = new Float64Array(n * m);
      spectralDiagonals(vectors, n, n, cols, n, coef, m, out);
      // Reference: plain matrix powers of L.
      let P = Float64Array.from(L);
      for (let t = 0; t < m; t++) {
        for (let i = 0; i < n; i++) expect(out[i * m + t]).toBeCloseTo(P[i * n + i], 10);
        const next = new Float64Array(n * n);
        for (let i = 0; i < n; i++)
          for (let j = 0; j < n; j++) {
            let s = 0;
            for (let l = 0; l < n; l++) s += P[i * n + l] * L[l * n + j];
            next[i * n + j] = s;
          }
        P = next;
      }
    }
    // Hand value: diag(L) of the path P5 is its degree sequence.
    const g = path(5);
    const { values, vectors } = eigh(laplacianDense(g, 'comb'), 5);
    const out = new Float64Array(5);
    spectralDiagonals(vectors, 5, 5, Int32Array.from([0, 1, 2, 3, 4]), 5, values, 1, out);
    expect(Array.from(out, (x) => Math.round(x * 1e9) / 1e9)).toEqual([1, 2, 2, 2, 1]);
  });

  it('rejects arrays too short for the sizes with E_OPTION', () => {
    const V = new Float64Array(4);
    const call = () =>
      spectralDiagonals(V, 2, 2, Int32Array.from([0, 1]), 2, new Float64Array(3), 2, new Float64Array(4));
    expect(call).toThrow(GraphpeError);
    expect(call).toThrow(/too short/);
  });
});
