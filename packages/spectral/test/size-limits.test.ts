import {
  fromCoo,
  fromEdgeList,
  type Graph,
  GraphpeError,
  type GraphpeErrorCode,
  laplacianEigsh,
  spectrum,
} from '@graphpe/spectral';
import { describe, expect, it } from 'vitest';

function expectError(fn: () => unknown, code: GraphpeErrorCode, ...parts: (string | RegExp)[]): void {
  let err: unknown;
  try {
    fn();
  } catch (x) {
    err = x;
  }
  expect(err, 'expected a GraphpeError').toBeInstanceOf(GraphpeError);
  expect((err as GraphpeError).code, (err as Error).message).toBe(code);
  for (const part of parts) {
    if (typeof part === 'string') expect((err as Error).message).toContain(part);
    else expect((err as Error).message).toMatch(part);
  }
}

/** Path graph on n nodes (cheap at 10⁵). */
function path(n: number): Graph {
  const src = new Int32Array(n - 1);
  const dst = new Int32Array(n - 1);
  for (let i = 0; i + 1 < n; i++) {
    src[i] = i;
    dst[i] = i + 1;
  }
  return fromCoo(src, dst, undefined);
}

describe('sizes beyond int32 CSR are refused before allocating', () => {
  it('n above 2^31 − 1', () => {
    expectError(() => fromEdgeList([[0, 1]], { n: 3e9 }), 'E_TOO_LARGE', 'n = 3000000000', '2147483647');
  });
  it('a node id of 2^31 or more', () => {
    expectError(
      () => fromCoo([0], [2 ** 31], undefined),
      'E_TOO_LARGE',
      'node id 2147483648 at edge 0',
      '2147483646',
    );
  });
  it('a node id of 2^31 − 1 (n would be 2^31)', () => {
    expectError(() => fromCoo([0], [2 ** 31 - 1], undefined), 'E_TOO_LARGE', 'node id 2147483647');
  });
});

describe('eigensolver memory is checked before allocating', () => {
  const g = path(100_000);
  it("spectrum(solver: 'dense') on n = 10⁵ needs ~300 GiB: E_TOO_LARGE naming the size and the way out", () => {
    expectError(
      () => spectrum(g, { solver: 'dense', k: 2 }),
      'E_TOO_LARGE',
      'spectral.spectrum: the dense solve of all 100000 eigenpairs',
      /needs about 29\d GiB/,
      'maxBytes = 8.00 GiB',
      "use solver 'sparse' with a small k",
      'raise maxBytes',
    );
  });
  it('spectrum(k = 10⁵) on n = 10⁵ (auto picks dense since k + guard ≥ n)', () => {
    expectError(() => spectrum(g, { k: 100_000 }), 'E_TOO_LARGE', 'k + guard = 100004 ≥ n', 'fewer pairs');
  });
  it('laplacianEigsh with a k that routes the whole component to the dense solver', () => {
    expectError(
      () => laplacianEigsh(g, { k: 60_000 }),
      'E_TOO_LARGE',
      'spectral.laplacianEigsh',
      'fewer pairs (k)',
    );
    expectError(
      () => laplacianEigsh(g, { k: 5_000, maxBytes: 2 ** 30 }),
      'E_TOO_LARGE',
      'k = 5000 eigenvectors of n = 100000 nodes',
      'maxBytes = 1.00 GiB',
    );
  });
  it('a small request passes, and maxBytes can be lowered', () => {
    const s = spectrum(path(3000), { k: 4 });
    expect(s.solver).toBe('sparse');
    expectError(() => spectrum(path(500), { k: 4, maxBytes: 1e6 }), 'E_TOO_LARGE', 'needs about 7.6');
  });
});
