import { readFileSync } from 'node:fs';
import {
  batchItem,
  createRng,
  eigh,
  type Graph,
  laplacianDense,
  laplacianEighBatch,
  laplacianEighBatchParallel,
} from '@graphpe/spectral';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { compileKernels, renderModule, TARGET } from '../asm/build.mjs';
import { setInverseIterationThreshold } from '../src/eig/dense/eigh.js';
import { denseKernels, setDenseKernels } from '../src/eig/dense/wasm/loader.js';
import { cycle, edges, quality, randomGraph, randomSymmetric, star } from './dense-helpers.js';

const TOL = 1e-10;

const triangles = (k: number) => {
  const l: [number, number][] = [];
  for (let t = 0; t < k; t++) l.push([3 * t, 3 * t + 1], [3 * t + 1, 3 * t + 2], [3 * t + 2, 3 * t]);
  return edges(3 * k, l);
};
/** Molecule-like: a tree with a few ring closures, 20–30 atoms, degree ≤ 4. */
function molecule(seed: number): Graph {
  const rng = createRng(seed);
  const n = 20 + rng.int(11);
  const deg = new Int32Array(n);
  const l: [number, number][] = [];
  for (let i = 1; i < n; i++) {
    let p = rng.int(i);
    while (deg[p] >= 4) p = rng.int(i);
    deg[p]++;
    deg[i]++;
    l.push([p, i]);
  }
  for (let r = 0; r < 3; r++) {
    const a = rng.int(n);
    const b = rng.int(n);
    if (
      a !== b &&
      deg[a] < 4 &&
      deg[b] < 4 &&
      !l.some(([x, y]) => (x === a && y === b) || (x === b && y === a))
    ) {
      deg[a]++;
      deg[b]++;
      l.push([a, b]);
    }
  }
  return edges(n, l);
}

/**
 * Two eigendecompositions of the same matrix agree: eigenvalues to 1e-12 relative to max|λ|, and
 * eigenvectors up to sign, compared as spectral projectors over clusters of (numerically) equal
 * eigenvalues, so repeated eigenvalues may have any basis of their eigenspace.
 */
function expectSameEig(n: number, a: { values: Float64Array; vectors: Float64Array }, b: typeof a) {
  let scale = 1e-300;
  for (let j = 0; j < n; j++) scale = Math.max(scale, Math.abs(a.values[j]));
  for (let j = 0; j < n; j++) expect(Math.abs(a.values[j] - b.values[j])).toBeLessThan(1e-12 * scale);
  let j0 = 0;
  while (j0 < n) {
    let j1 = j0 + 1;
    while (j1 < n && a.values[j1] - a.values[j1 - 1] < 1e-8 * scale) j1++;
    if (j1 === j0 + 1) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += a.vectors[i * n + j0] * b.vectors[i * n + j0];
      expect(1 - Math.abs(dot)).toBeLessThan(TOL);
    } else {
      // ‖P_a − P_b‖_max over the cluster's projectors.
      let err = 0;
      for (let p = 0; p < n; p++) {
        for (let q = p; q < n; q++) {
          let s = 0;
          for (let j = j0; j < j1; j++) {
            s += a.vectors[p * n + j] * a.vectors[q * n + j] - b.vectors[p * n + j] * b.vectors[q * n + j];
          }
          err = Math.max(err, Math.abs(s));
        }
      }
      expect(err).toBeLessThan(TOL);
    }
    j0 = j1;
  }
}

function withKernels<T>(kind: 'js' | 'wasm', f: () => T): T {
  const prev = denseKernels();
  expect(setDenseKernels(kind)).toBe(kind);
  try {
    return f();
  } finally {
    setDenseKernels(prev);
  }
}

/** eigh with the JS and the wasm kernels: both accurate, and equal up to rounding. */
function compareEigh(a: Float64Array, n: number) {
  const js = withKernels('js', () => eigh(a, n));
  const wasm = withKernels('wasm', () => eigh(a, n));
  for (const r of [js, wasm]) {
    const q = quality(a, n, r.values, r.vectors);
    expect(q.res).toBeLessThan(TOL);
    expect(q.orth).toBeLessThan(TOL);
  }
  expectSameEig(n, js, wasm);
  const vals = withKernels('wasm', () => eigh(a, n, { vectors: false }).values);
  expect(vals).toEqual(wasm.values); // values-only mode: bit for bit
}

afterEach(() => {
  setInverseIterationThreshold(64);
  vi.unstubAllEnvs();
});

describe('dense wasm kernels: artifact', () => {
  it('the committed kernels.wasm.ts is what asc compiles from asm/dense.ts', async () => {
    const fresh = renderModule(await compileKernels());
    expect(readFileSync(TARGET, 'utf8')).toBe(fresh);
  }, 60_000);

  it('wasm SIMD is available in this Node and selected by default', () => {
    expect(denseKernels()).toBe(process.env.GRAPHPE_WASM === '0' ? 'js' : 'wasm');
  });

  it('GRAPHPE_WASM=0 selects the JS kernels; the setter switches both ways', async () => {
    vi.stubEnv('GRAPHPE_WASM', '0');
    vi.resetModules();
    const fresh = await import('../src/eig/dense/wasm/loader.js');
    expect(fresh.denseKernels()).toBe('js');
    expect(fresh.setDenseKernels('wasm')).toBe('wasm');
    expect(fresh.setDenseKernels('js')).toBe('js');
    vi.stubEnv('GRAPHPE_WASM', '1');
    vi.resetModules();
    const again = await import('../src/eig/dense/wasm/loader.js');
    expect(again.denseKernels()).toBe('wasm');
  });
});

describe('dense wasm kernels agree with the JS kernels', () => {
  for (const n of [1, 2, 3, 63, 64, 65, 100, 257]) {
    it(`random graph Laplacian and dense random symmetric, n = ${n}`, () => {
      compareEigh(laplacianDense(randomGraph(n, 3, 700 + n, true), 'sym'), n);
      compareEigh(randomSymmetric(n, 800 + n), n);
    });
  }

  it('the n ≥ 64 kernels on small n (inverse-iteration path forced), with zero columns', () => {
    setInverseIterationThreshold(2);
    for (const n of [2, 3, 4, 5, 6, 7, 8, 9, 13, 31]) {
      compareEigh(randomSymmetric(n, 900 + n), n);
      compareEigh(randomSymmetric(n, 950 + n, true), n);
    }
  });

  it('zero columns (H_i = I) and split tridiagonals at n ≥ 64', () => {
    compareEigh(randomSymmetric(70, 71, true), 70);
    compareEigh(randomSymmetric(131, 72, true), 131);
    const g = laplacianDense(randomGraph(90, 1.2, 73), 'comb'); // several components
    compareEigh(g, 90);
  });

  it('repeated eigenvalues: star, cycle, disjoint triangles', () => {
    for (const g of [star(100), cycle(96), triangles(33), star(20), cycle(17), triangles(5)]) {
      compareEigh(laplacianDense(g, 'sym'), g.n);
      compareEigh(laplacianDense(g, 'comb'), g.n);
    }
  });

  it('eigh really runs the wasm kernels on both paths (results differ from JS in the last bits)', () => {
    for (const n of [23, 100]) {
      const a = randomSymmetric(n, 1234 + n);
      const js = withKernels('js', () => eigh(a, n));
      const wasm = withKernels('wasm', () => eigh(a, n));
      expect(Buffer.from(wasm.vectors.buffer).equals(Buffer.from(js.vectors.buffer))).toBe(false);
    }
  });

  it('memory growth between calls (views re-created): small, large, small again', () => {
    for (const n of [65, 300, 64, 130]) compareEigh(randomSymmetric(n, 1000 + n), n);
  });

  it('laplacianEighBatch: molecule-like graphs and large graphs, wasm vs JS', () => {
    const graphs = [
      ...Array.from({ length: 12 }, (_, s) => molecule(40 + s)),
      randomGraph(80, 2.5, 5),
      star(70),
      triangles(25),
    ];
    for (const kind of ['sym', 'comb', 'rw'] as const) {
      const js = withKernels('js', () => laplacianEighBatch(graphs, { laplacian: kind }));
      const wasm = withKernels('wasm', () => laplacianEighBatch(graphs, { laplacian: kind }));
      graphs.forEach((g, b) => {
        const x = batchItem(js, b);
        const y = batchItem(wasm, b);
        const L = laplacianDense(g, kind);
        const q = quality(L, g.n, y.values, y.vectors);
        expect(q.res).toBeLessThan(TOL);
        if (kind !== 'rw') {
          expect(q.orth).toBeLessThan(TOL);
          expectSameEig(g.n, x, y);
        } else {
          for (let j = 0; j < g.n; j++) expect(Math.abs(x.values[j] - y.values[j])).toBeLessThan(1e-12);
        }
      });
    }
  });

  it('laplacianEighBatchParallel: workers use the kernels of the caller (bit for bit with the single thread)', async () => {
    const graphs = [...Array.from({ length: 20 }, (_, s) => molecule(90 + s)), randomGraph(70, 3, 9)];
    for (const kind of ['js', 'wasm'] as const) {
      const ref = withKernels(kind, () => laplacianEighBatch(graphs));
      const prev = denseKernels();
      setDenseKernels(kind);
      try {
        const par = await laplacianEighBatchParallel(graphs, { workers: 2, chunkSize: 5 });
        expect(par.values).toEqual(ref.values);
        expect(par.vectors).toEqual(ref.vectors);
      } finally {
        setDenseKernels(prev);
      }
    }
  });
});
