import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import {
  connectedComponents,
  createRng,
  edgeCount,
  fromDenseAdjacency,
  fromEdgeList,
  fromGraphology,
  type Graph,
  GraphpeError,
  type GraphpeErrorCode,
  graphologyNodes,
  parseEdgeList,
  readEdgeList,
  spectrum,
} from '@graphpe/spectral';
import * as graphology from 'graphology';
import { DirectedGraph, MultiUndirectedGraph, UndirectedGraph } from 'graphology';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** graphology's default `Graph`: mixed and simple (its typings' default export does not resolve under NodeNext). */
const MixedGraph = (graphology as unknown as { default: typeof UndirectedGraph }).default;

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../../datasets/fixtures');

/** Assert that `fn` throws a GraphpeError with `code` whose message matches every part. */
function expectError(fn: () => unknown, code: GraphpeErrorCode, ...parts: (string | RegExp)[]): GraphpeError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  return checkError(caught, code, parts);
}

async function expectRejects(
  p: Promise<unknown>,
  code: GraphpeErrorCode,
  ...parts: (string | RegExp)[]
): Promise<GraphpeError> {
  let caught: unknown;
  try {
    await p;
  } catch (err) {
    caught = err;
  }
  return checkError(caught, code, parts);
}

function checkError(caught: unknown, code: GraphpeErrorCode, parts: (string | RegExp)[]): GraphpeError {
  expect(caught, 'expected a GraphpeError').toBeInstanceOf(GraphpeError);
  const err = caught as GraphpeError;
  expect(err.code, err.message).toBe(code);
  for (const part of parts) {
    if (typeof part === 'string') expect(err.message).toContain(part);
    else expect(err.message).toMatch(part);
  }
  return err;
}

/** Plain-array view of a CSR graph for deep equality. */
function csr(g: Graph): { n: number; indptr: number[]; indices: number[]; weights: number[] } {
  return {
    n: g.n,
    indptr: Array.from(g.indptr),
    indices: Array.from(g.indices),
    weights: Array.from(g.weights),
  };
}

/** Dense row-major adjacency of a CSR graph. */
function toDense(g: Graph): Float64Array {
  const a = new Float64Array(g.n * g.n);
  for (let i = 0; i < g.n; i++) {
    for (let p = g.indptr[i]; p < g.indptr[i + 1]; p++) a[i * g.n + g.indices[p]] = g.weights[p];
  }
  return a;
}

/** Small deterministic generator (mulberry32). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TRIANGLE = {
  n: 3,
  indptr: [0, 2, 4, 6],
  indices: [1, 2, 0, 2, 0, 1],
  weights: [1, 1, 1, 1, 1, 1],
};

describe('fromEdgeList', () => {
  it('builds symmetric sorted CSR from tuples', () => {
    expect(
      csr(
        fromEdgeList([
          [0, 1],
          [2, 1],
          [0, 2],
        ]),
      ),
    ).toEqual(TRIANGLE);
  });

  it('accepts weighted and unweighted tuples mixed (missing weight = 1)', () => {
    const g = fromEdgeList([
      [0, 1, 2.5],
      [1, 2],
      [2, 0, 0.5],
    ]);
    expect(csr(g)).toEqual({
      n: 3,
      indptr: [0, 2, 4, 6],
      indices: [1, 2, 0, 2, 0, 1],
      weights: [2.5, 0.5, 2.5, 1, 0.5, 1],
    });
  });

  it('accepts { src, dst, weight } typed or plain arrays, same result as tuples', () => {
    const a = fromEdgeList({ src: Int32Array.of(0, 2, 0), dst: [1, 1, 2] });
    expect(csr(a)).toEqual(TRIANGLE);
    const b = fromEdgeList({ src: [0, 1], dst: [1, 2], weight: Float64Array.of(3, 4) });
    expect(csr(b)).toEqual(
      csr(
        fromEdgeList([
          [0, 1, 3],
          [1, 2, 4],
        ]),
      ),
    );
  });

  it('rejects a tuple of the wrong arity, naming its index', () => {
    const bad = [[0, 1], [1, 2], [3]] as unknown as [number, number][];
    const err = expectError(
      () => fromEdgeList(bad),
      'E_SHAPE',
      'spectral.fromEdgeList',
      'edge 2',
      '1 entries',
    );
    expect(err.details.edge).toBe(2);
    const long = [[0, 1, 1, 1]] as unknown as [number, number][];
    expectError(() => fromEdgeList(long), 'E_SHAPE', 'edge 0', '4 entries');
    const notTuple = [[0, 1], 7] as unknown as [number, number][];
    expectError(() => fromEdgeList(notTuple), 'E_SHAPE', 'edge 1');
  });

  it('rejects bad ids and weights, naming the edge', () => {
    expectError(
      () =>
        fromEdgeList([
          [0, 1],
          [1, -2],
        ]),
      'E_NODE_ID',
      'spectral.fromEdgeList',
      'edge 1',
      '-2',
    );
    expectError(() => fromEdgeList([[0, 1.5]]), 'E_NODE_ID', 'edge 0', '1.5');
    const strId = [[0, '1']] as unknown as [number, number][];
    expectError(() => fromEdgeList(strId), 'E_NODE_ID', 'edge 0', 'not a number');
    expectError(
      () =>
        fromEdgeList([
          [0, 1],
          [1, 2, -1],
        ]),
      'E_WEIGHT',
      'edge 1',
      '-1',
    );
    expectError(() => fromEdgeList([[0, 1, 0]]), 'E_WEIGHT', 'edge 0');
    expectError(() => fromEdgeList([[0, 1, Infinity]]), 'E_WEIGHT', 'edge 0');
    expectError(
      () =>
        fromEdgeList([
          [0, 1],
          [1, 2, Number.NaN],
        ]),
      'E_NAN',
      'edge 1',
    );
    expectError(
      () =>
        fromEdgeList(
          [
            [0, 1],
            [1, 5],
          ],
          { n: 3 },
        ),
      'E_NODE_ID',
      'edge 1',
      'out of range for n = 3',
    );
    expectError(() => fromEdgeList({ src: [0, 1], dst: [1] }), 'E_SHAPE', 'same length');
  });

  it('merges duplicate edges (either direction) by summing, or rejects them', () => {
    const edges: [number, number, number][] = [
      [0, 1, 1],
      [1, 2, 1],
      [1, 0, 2],
    ];
    const g = fromEdgeList(edges);
    expect(csr(g)).toEqual({ n: 3, indptr: [0, 1, 3, 4], indices: [1, 0, 2, 1], weights: [3, 3, 1, 1] });
    expectError(
      () => fromEdgeList(edges, { duplicates: 'error' }),
      'E_DUPLICATE_EDGE',
      'edge 2',
      'first seen at edge 0',
    );
  });

  it('keeps or drops self-loops (stored once)', () => {
    const edges: [number, number][] = [
      [0, 0],
      [0, 1],
    ];
    expect(csr(fromEdgeList(edges))).toEqual({
      n: 2,
      indptr: [0, 2, 3],
      indices: [0, 1, 0],
      weights: [1, 1, 1],
    });
    expect(csr(fromEdgeList(edges, { selfLoops: 'drop' }))).toEqual({
      n: 2,
      indptr: [0, 1, 2],
      indices: [1, 0],
      weights: [1, 1],
    });
  });

  it('gives an edgeless graph for an empty list with n, and pads isolated nodes', () => {
    expect(csr(fromEdgeList([], { n: 3 }))).toEqual({ n: 3, indptr: [0, 0, 0, 0], indices: [], weights: [] });
    expect(fromEdgeList([[0, 1]], { n: 4 }).indptr).toEqual(Int32Array.of(0, 1, 2, 2, 2));
  });
});

describe('parseEdgeList', () => {
  it('parses whitespace, tabs, commas, CRLF, BOM, comments and blank lines', () => {
    const text = '\uFEFF# a triangle\r\n% another comment\r\n\r\n0 1\r\n  2\t1 # inline\r\n0 , 2\r\n';
    expect(csr(parseEdgeList(text))).toEqual(TRIANGLE);
    expect(csr(parseEdgeList('0,1\n1,2\n2,0'))).toEqual(TRIANGLE);
  });

  it('parses weights exactly as Number() does', () => {
    const tokens = [
      '0.1',
      '1e-3',
      '2.5E2',
      '7',
      '3.',
      '.5',
      '+4',
      '123456789012345678',
      '0.30000000000000004',
    ];
    const text = tokens.map((w, i) => `${i} ${i + 1} ${w}`).join('\n');
    const g = parseEdgeList(text);
    for (let i = 0; i < tokens.length; i++) {
      // Edge (i, i+1) is the last entry of row i.
      expect(g.weights[g.indptr[i + 1] - 1]).toBe(Number(tokens[i]));
    }
  });

  it('rejects a header line with E_PARSE naming line, column and token', () => {
    const err = expectError(
      () => parseEdgeList('source target\n0 1\n'),
      'E_PARSE',
      'spectral.parseEdgeList: line 1: column 1',
      "'source'",
      'header',
    );
    expect(err.details).toMatchObject({ line: 1, column: 1, token: 'source' });
    expectError(() => parseEdgeList('# c\n\nu,v,w\n0,1,1\n'), 'E_PARSE', 'line 3', "'u'");
    expectError(() => parseEdgeList('0 1 1\n1 2 heavy\n'), 'E_PARSE', 'line 2: column 5', "'heavy'");
    expectError(() => parseEdgeList('0 1\n1 0x2\n'), 'E_PARSE', 'line 2', "'0x2'");
  });

  it('rejects bad node ids naming the line', () => {
    expectError(() => parseEdgeList('0 1\n1 2\n2 -3\n'), 'E_NODE_ID', 'line 3: column 3', '-3', 'negative');
    expectError(
      () => parseEdgeList('0 1\n1.5 2\n'),
      'E_NODE_ID',
      'line 2: column 1',
      '1.5',
      'not an integer',
    );
    expectError(() => parseEdgeList('0 1\n1 99999999999\n'), 'E_NODE_ID', 'line 2', 'maximum');
    // Integer-valued float spellings are ids.
    expect(csr(parseEdgeList('0 1.0\n1 2e0\n2 0\n'))).toEqual(TRIANGLE);
    // Out of range for an explicit n: checked by fromCoo, still named by line.
    expectError(
      () => parseEdgeList('0 1\n\n1 7\n', { n: 3 }),
      'E_NODE_ID',
      'line 3',
      'out of range for n = 3',
    );
  });

  it('rejects zero, negative, infinite and NaN weights naming the line', () => {
    expectError(() => parseEdgeList('0 1 1\n1 2 0\n'), 'E_WEIGHT', 'line 2: column 5', 'is zero');
    expectError(() => parseEdgeList('0 1 -0.5\n'), 'E_WEIGHT', 'line 1', '-0.5', 'negative');
    expectError(() => parseEdgeList('0 1 2\n# x\n1 2 inf\n'), 'E_WEIGHT', 'line 3', 'not finite');
    expectError(() => parseEdgeList('0 1 1e999\n'), 'E_WEIGHT', 'line 1', 'not finite');
    expectError(() => parseEdgeList('0 1 1\n1 2 NaN\n'), 'E_NAN', 'line 2', 'NaN');
    expectError(() => parseEdgeList('0 1 nan\n'), 'E_NAN', 'line 1');
  });

  it('rejects a wrong number of fields naming the line', () => {
    expectError(() => parseEdgeList('0 1\n2\n'), 'E_PARSE', 'line 2', 'expected 2 or 3 fields', 'got 1');
    expectError(() => parseEdgeList('0 1 1 1\n'), 'E_PARSE', 'line 1', 'got 4');
    expectError(
      () => parseEdgeList('0 1 1\n1 2 1\n2 3\n'),
      'E_PARSE',
      'line 3',
      'expected 3 fields as on line 1',
    );
    expectError(() => parseEdgeList('0 1\n1,,2\n'), 'E_PARSE', 'line 2: column 3', 'empty field');
    expectError(() => parseEdgeList('0,1,\n'), 'E_PARSE', 'line 1', 'empty field');
  });

  it('E_EMPTY for no edges unless n is given', () => {
    expectError(() => parseEdgeList(''), 'E_EMPTY', 'spectral.parseEdgeList', 'no edges found');
    expectError(() => parseEdgeList('# only\n% comments\n\n  \n'), 'E_EMPTY', 'no edges found');
    expect(csr(parseEdgeList('# none\n', { n: 2 }))).toEqual({
      n: 2,
      indptr: [0, 0, 0],
      indices: [],
      weights: [],
    });
  });

  it('merges or rejects duplicates and keeps or drops self-loops, naming lines', () => {
    const text = '0 1 1\n1 1 4\n1 0 2\n';
    expect(csr(parseEdgeList(text))).toEqual({
      n: 2,
      indptr: [0, 1, 3],
      indices: [1, 0, 1],
      weights: [3, 3, 4],
    });
    expect(csr(parseEdgeList(text, { selfLoops: 'drop' }))).toEqual({
      n: 2,
      indptr: [0, 1, 2],
      indices: [1, 0],
      weights: [3, 3],
    });
    expectError(
      () => parseEdgeList(text, { duplicates: 'error' }),
      'E_DUPLICATE_EDGE',
      'at line 3',
      'first seen at line 1',
    );
  });

  it('parses 2·10^5 edges quickly and correctly', () => {
    const n = 50_000;
    const m = 200_000;
    const r = rng(7);
    const src = new Int32Array(m);
    const dst = new Int32Array(m);
    const w = new Float64Array(m);
    const parts: string[] = [];
    for (let e = 0; e < m; e++) {
      src[e] = Math.floor(r() * n);
      dst[e] = Math.floor(r() * n);
      w[e] = Math.round(r() * 1e4 + 1) / 1e3;
      parts.push(`${src[e]}\t${dst[e]}\t${w[e]}\n`);
    }
    const text = parts.join('');
    const t0 = performance.now();
    const g = parseEdgeList(text, { n });
    const ms = performance.now() - t0;
    expect(csr(g)).toEqual(csr(fromEdgeList({ src, dst, weight: w }, { n })));
    // Independent check: total stored weight = Σ 2w over edges plus Σ w over self-loops.
    let want = 0;
    for (let e = 0; e < m; e++) want += src[e] === dst[e] ? w[e] : 2 * w[e];
    expect(g.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(want, 6);
    expect(ms).toBeLessThan(3000);
  });
});

describe('fromDenseAdjacency', () => {
  const A = [
    [0, 2, 0],
    [2, 1, 3],
    [0, 3, 0],
  ];

  it('reads array-of-rows and flat row-major input; diagonal = self-loops', () => {
    const want = { n: 3, indptr: [0, 1, 4, 5], indices: [1, 0, 1, 2, 1], weights: [2, 2, 1, 3, 3] };
    expect(csr(fromDenseAdjacency(A))).toEqual(want);
    expect(csr(fromDenseAdjacency(Float64Array.from(A.flat())))).toEqual(want);
    expect(csr(fromDenseAdjacency(A.flat(), 3))).toEqual(want);
    expect(csr(fromDenseAdjacency(A, { selfLoops: 'drop' }))).toEqual({
      n: 3,
      indptr: [0, 1, 3, 4],
      indices: [1, 0, 2, 1],
      weights: [2, 2, 3, 3],
    });
  });

  it('rejects an asymmetric matrix naming (i, j) and both values', () => {
    const B = [
      [0, 1, 0],
      [1, 0, 2],
      [0, 2.5, 0],
    ];
    const err = expectError(
      () => fromDenseAdjacency(B),
      'E_ASYMMETRIC',
      'spectral.fromDenseAdjacency',
      '(1, 2) = 2',
      '(2, 1) = 2.5',
    );
    expect(err.details).toMatchObject({ i: 1, j: 2, value: 2, transposed: 2.5 });
    // Within the relative tolerance 1e-12·max|a|: accepted, averaged.
    const C = Float64Array.of(0, 1e6, 1e6 + 1e-7, 0);
    const g = fromDenseAdjacency(C);
    expect(g.weights[0]).toBeCloseTo(1e6, 6);
    expect(g.weights[0]).toBe(g.weights[1]);
    expectError(() => fromDenseAdjacency(C, { rtol: 0 }), 'E_ASYMMETRIC', '(0, 1)');
  });

  it('rejects negative, infinite, NaN and non-number entries naming (i, j)', () => {
    expectError(
      () =>
        fromDenseAdjacency([
          [0, -1],
          [-1, 0],
        ]),
      'E_WEIGHT',
      '(0, 1)',
      '-1',
      'negative',
    );
    expectError(
      () =>
        fromDenseAdjacency([
          [0, 1],
          [1, Infinity],
        ]),
      'E_WEIGHT',
      '(1, 1)',
      'not finite',
    );
    expectError(() => fromDenseAdjacency(Float64Array.of(0, 1, 1, Number.NaN)), 'E_NAN', '(1, 1)');
    const strEntry = [
      [0, '1'],
      [1, 0],
    ] as unknown as number[][];
    expectError(() => fromDenseAdjacency(strEntry), 'E_WEIGHT', '(0, 1)', 'not a number');
  });

  it('rejects a non-square matrix', () => {
    expectError(() => fromDenseAdjacency([[0, 1], [1]]), 'E_SHAPE', 'row 1', 'length 1');
    expectError(
      () =>
        fromDenseAdjacency([
          [0, 1, 0],
          [1, 0, 0],
        ]),
      'E_SHAPE',
      'row 0',
    );
    expectError(() => fromDenseAdjacency(new Float64Array(5)), 'E_SHAPE', 'length 5');
    expectError(() => fromDenseAdjacency(new Float64Array(9), { n: 4 }), 'E_SHAPE', 'length 9');
    expectError(() => fromDenseAdjacency(A, 4), 'E_SHAPE', '3 rows', 'n = 4');
  });

  it('round trip: edge list ↔ dense adjacency give identical CSR', () => {
    const r = rng(11);
    for (let trial = 0; trial < 5; trial++) {
      const n = 5 + Math.floor(r() * 25);
      const edges: [number, number, number][] = [];
      for (let i = 0; i < n; i++) {
        for (let j = i; j < n; j++) {
          if (r() < 0.25) edges.push(r() < 0.5 ? [i, j, 0.5 + r()] : [j, i, 1 + Math.floor(r() * 4)]);
        }
      }
      // Reference adjacency written straight from the (duplicate-free) edge list.
      const dense = new Float64Array(n * n);
      for (const [u, v, w] of edges) {
        dense[u * n + v] = w;
        dense[v * n + u] = w;
      }
      const g = fromEdgeList(edges, { n, duplicates: 'error' });
      expect(toDense(g)).toEqual(dense);
      expect(csr(fromDenseAdjacency(dense))).toEqual(csr(g));
      // And back through the text format (shortest round-trip float spelling).
      const text = edges.map(([u, v, w]) => `${u} ${v} ${w}`).join('\n');
      expect(csr(parseEdgeList(text, { n }))).toEqual(csr(g));
      const rows = Array.from({ length: n }, (_, i) => Array.from(dense.subarray(i * n, (i + 1) * n)));
      expect(csr(fromDenseAdjacency(rows))).toEqual(csr(g));
    }
  });
});

describe('fromGraphology', () => {
  it('converts an undirected graph: node order, weights, missing weight = 1', () => {
    const G = new UndirectedGraph();
    G.addNode('a');
    G.addNode('b');
    G.addNode('c');
    G.addNode('lonely');
    G.addEdge('a', 'b', { weight: 2 });
    G.addEdge('c', 'b');
    const graph = fromGraphology(G);
    expect(graphologyNodes(G)).toEqual(['a', 'b', 'c', 'lonely']);
    expect(csr(graph)).toEqual({
      n: 4,
      indptr: [0, 1, 3, 4, 4],
      indices: [1, 0, 2, 1],
      weights: [2, 2, 1, 1],
    });
    expect(csr(graph)).toEqual(
      csr(
        fromEdgeList(
          [
            [0, 1, 2],
            [2, 1],
          ],
          { n: 4 },
        ),
      ),
    );
  });

  it('honours nodeOrder and rejects one that is not a permutation', () => {
    const G = new UndirectedGraph();
    G.mergeEdge('a', 'b', { weight: 2 });
    G.mergeEdge('b', 'c', { weight: 3 });
    const graph = fromGraphology(G, { nodeOrder: ['c', 'a', 'b'] });
    expect(graphologyNodes(G, { nodeOrder: ['c', 'a', 'b'] })).toEqual(['c', 'a', 'b']);
    expect(csr(graph)).toEqual(
      csr(
        fromEdgeList([
          [1, 2, 2],
          [2, 0, 3],
        ]),
      ),
    );
    expectError(() => fromGraphology(G, { nodeOrder: ['a', 'b', 'x'] }), 'E_OPTION', "nodeOrder[2] = 'x'");
    expectError(() => fromGraphology(G, { nodeOrder: ['a', 'b', 'a'] }), 'E_OPTION', 'repeats nodeOrder[0]');
    expectError(() => fromGraphology(G, { nodeOrder: ['a', 'b'] }), 'E_OPTION', "missing 'c'");
    expectError(
      () => graphologyNodes(G, { nodeOrder: ['a', 'b', 'x'] }),
      'E_OPTION',
      "spectral.graphologyNodes: nodeOrder[2] = 'x'",
    );
  });

  it('reads a custom weight attribute, or ignores weights with null', () => {
    const G = new UndirectedGraph();
    G.mergeEdge('0', '1', { w: 4, weight: 9 });
    expect(Array.from(fromGraphology(G, { weightAttribute: 'w' }).weights)).toEqual([4, 4]);
    expect(Array.from(fromGraphology(G, { weightAttribute: null }).weights)).toEqual([1, 1]);
    expect(Array.from(fromGraphology(G).weights)).toEqual([9, 9]);
  });

  it('rejects bad weights naming the edge key', () => {
    const G = new UndirectedGraph();
    G.mergeEdgeWithKey('e0', 'a', 'b', { weight: 1 });
    G.mergeEdgeWithKey('e1', 'b', 'c', { weight: -2 });
    expectError(() => fromGraphology(G), 'E_WEIGHT', 'spectral.fromGraphology', "'e1'", "'b' – 'c'", '-2');
    G.setEdgeAttribute('e1', 'weight', Number.NaN);
    expectError(() => fromGraphology(G), 'E_NAN', "'e1'");
    G.setEdgeAttribute('e1', 'weight', '3');
    expectError(() => fromGraphology(G), 'E_WEIGHT', "'e1'", 'not a number');
    G.setEdgeAttribute('e1', 'weight', 0);
    expectError(() => fromGraphology(G), 'E_WEIGHT', "'e1'");
  });

  it('rejects directed edges unless symmetrize, naming the first one', () => {
    const D = new DirectedGraph();
    D.mergeEdgeWithKey('ab', 'a', 'b');
    const err = expectError(() => fromGraphology(D), 'E_DIRECTED', "'ab'", "'a' → 'b'", 'symmetrize: true');
    expect(err.details).toMatchObject({ edge: 'ab', type: 'directed' });
    // The default graphology Graph is 'mixed': addEdge adds a directed edge.
    const M = new MixedGraph();
    M.mergeUndirectedEdgeWithKey('u', 'x', 'y');
    expect(csr(fromGraphology(M))).toEqual(csr(fromEdgeList([[0, 1]])));
    M.mergeEdgeWithKey('d', 'y', 'z');
    expectError(() => fromGraphology(M), 'E_DIRECTED', "'d'", 'mixed');
  });

  it('symmetrizes directed arcs with weight max(w_uv, w_vu)', () => {
    const D = new DirectedGraph();
    D.addNode('0');
    D.addNode('1');
    D.addNode('2');
    D.addEdge('0', '1', { weight: 2 });
    D.addEdge('1', '0', { weight: 5 }); // reciprocal: max(2, 5) = 5
    D.addEdge('1', '2', { weight: 3 }); // single arc: 3
    D.addEdge('2', '2', { weight: 7 }); // self-loop: 7, once
    const graph = fromGraphology(D, { symmetrize: true });
    expect(csr(graph)).toEqual({
      n: 3,
      indptr: [0, 1, 3, 5],
      indices: [1, 0, 2, 1, 2],
      weights: [5, 5, 3, 3, 7],
    });
    expect(csr(fromGraphology(D, { symmetrize: true, selfLoops: 'drop' })).weights).toEqual([5, 5, 3, 3]);
    // A digraph listing every edge both ways (as PyG stores undirected graphs) is unchanged.
    const S = new DirectedGraph();
    S.mergeEdge('0', '1', { weight: 4 });
    S.mergeEdge('1', '0', { weight: 4 });
    expect(csr(fromGraphology(S, { symmetrize: true }))).toEqual(csr(fromEdgeList([[0, 1, 4]])));
    // A mixed graph: an undirected edge counts as both arcs.
    const M = new MixedGraph();
    M.mergeUndirectedEdge('0', '1', { weight: 3 });
    M.mergeDirectedEdge('1', '2', { weight: 1 });
    M.mergeDirectedEdge('2', '1', { weight: 6 });
    expect(csr(fromGraphology(M, { symmetrize: true }))).toEqual(
      csr(
        fromEdgeList([
          [0, 1, 3],
          [1, 2, 6],
        ]),
      ),
    );
  });

  it('sums or rejects parallel edges of a multi-graph', () => {
    const G = new MultiUndirectedGraph();
    for (const key of ['0', '1', '2']) G.addNode(key);
    G.addEdgeWithKey('p', '0', '1', { weight: 1 });
    G.addEdgeWithKey('q', '1', '0', { weight: 2.5 });
    G.addEdgeWithKey('r', '1', '2');
    expect(csr(fromGraphology(G))).toEqual(
      csr(
        fromEdgeList([
          [0, 1, 3.5],
          [1, 2],
        ]),
      ),
    );
    expectError(() => fromGraphology(G, { duplicates: 'error' }), 'E_DUPLICATE_EDGE', "'q'", "'p'");
  });

  it('keeps or drops self-loops', () => {
    const G = new UndirectedGraph();
    G.mergeEdge('a', 'a', { weight: 2 });
    G.mergeEdge('a', 'b');
    expect(csr(fromGraphology(G))).toEqual(
      csr(
        fromEdgeList([
          [0, 0, 2],
          [0, 1],
        ]),
      ),
    );
    expect(csr(fromGraphology(G, { selfLoops: 'drop' }))).toEqual(csr(fromEdgeList([[0, 1]])));
  });

  it('rejects bad options', () => {
    const G = new UndirectedGraph();
    G.mergeEdge('a', 'b');
    const dup = { duplicates: 'merge' } as unknown as { duplicates: 'sum' };
    expectError(() => fromGraphology(G, dup), 'E_OPTION', 'duplicates');
    const notGraph = {} as unknown as UndirectedGraph;
    expectError(() => fromGraphology(notGraph), 'E_OPTION', 'graphology graph');
    expectError(() => graphologyNodes(notGraph), 'E_OPTION', 'spectral.graphologyNodes', 'graphology graph');
  });

  it('returns a Graph that spectrum() and the other entry points take as it is', () => {
    const G = new UndirectedGraph();
    G.mergeEdge('a', 'b');
    G.mergeEdge('b', 'c');
    const g = fromGraphology(G);
    expect(Object.keys(g).sort()).toEqual(['indices', 'indptr', 'n', 'weights']);
    const s = spectrum(g, { k: 3 });
    // Path P3, sym Laplacian: eigenvalues 0, 1, 2.
    expect(Array.from(s.values, (v) => Math.round(v * 1e12) / 1e12)).toEqual([0, 1, 2]);
    expect(connectedComponents(g).count).toBe(1);
    expect(edgeCount(g)).toBe(2);
  });

  it('round trip: graphology → Graph → edges keyed by graphologyNodes gives the same weighted edge set (seeded)', () => {
    const rng = createRng(11);
    for (let t = 0; t < 30; t++) {
      const G = new UndirectedGraph();
      const n = 1 + rng.int(12);
      const names = Array.from({ length: n }, (_, i) => `v${(i * 7 + t) % 97}-${i}`);
      for (const name of names) G.addNode(name);
      const want = new Map<string, number>();
      for (let e = 0; e < rng.int(3 * n); e++) {
        const a = names[rng.int(n)];
        const b = names[rng.int(n)];
        if (G.hasEdge(a, b)) continue;
        const w = 0.5 + rng.int(8);
        G.addEdge(a, b, { weight: w });
        want.set([a, b].sort().join('|'), w);
      }
      // Half the time a shuffled nodeOrder: the key list follows it.
      let order: string[] | undefined;
      if (rng.next() < 0.5) {
        order = [...names];
        for (let i = n - 1; i > 0; i--) {
          const j = rng.int(i + 1);
          [order[i], order[j]] = [order[j], order[i]];
        }
      }
      const options = order === undefined ? {} : { nodeOrder: order };
      const g = fromGraphology(G, options);
      const keys = graphologyNodes(G, options);
      expect(keys).toEqual(order ?? names);
      expect(g.n).toBe(n);
      const got = new Map<string, number>();
      for (let i = 0; i < g.n; i++) {
        for (let p = g.indptr[i]; p < g.indptr[i + 1]; p++) {
          const j = g.indices[p];
          if (j >= i) got.set([keys[i], keys[j]].sort().join('|'), g.weights[p]);
        }
      }
      expect(got).toEqual(want);
      expect(edgeCount(g)).toBe(G.size);
    }
  });
});

describe('readEdgeList', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'graphpe-graph-input-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads plain and gzipped files identically', async () => {
    const text = '# weighted path\n0 1 0.5\n1 2 2\n';
    const plain = join(dir, 'path.edges');
    const gz = join(dir, 'path.edges.gz');
    const magicOnly = join(dir, 'path-gz.txt');
    writeFileSync(plain, text);
    writeFileSync(gz, gzipSync(text));
    writeFileSync(magicOnly, gzipSync(text));
    const want = csr(parseEdgeList(text));
    expect(csr(await readEdgeList(plain))).toEqual(want);
    expect(csr(await readEdgeList(gz))).toEqual(want);
    expect(csr(await readEdgeList(magicOnly))).toEqual(want);
  });

  it('E_FILE naming the path for a missing file, a directory or a corrupt .gz', async () => {
    const missing = join(dir, 'nope.edges');
    const err = await expectRejects(readEdgeList(missing), 'E_FILE', missing, 'no such file');
    expect(err.details.path).toBe(missing);
    const sub = join(dir, 'subdir');
    mkdirSync(sub);
    await expectRejects(readEdgeList(sub), 'E_FILE', sub);
    const corrupt = join(dir, 'corrupt.edges.gz');
    writeFileSync(corrupt, '0 1\n');
    await expectRejects(readEdgeList(corrupt), 'E_FILE', corrupt, 'gunzip');
  });

  it('E_EMPTY naming the path for an empty or comment-only file; n gives an edgeless graph', async () => {
    const empty = join(dir, 'empty.edges');
    writeFileSync(empty, '');
    await expectRejects(readEdgeList(empty), 'E_EMPTY', empty);
    const emptyGz = join(dir, 'empty.edges.gz');
    writeFileSync(emptyGz, gzipSync(''));
    await expectRejects(readEdgeList(emptyGz), 'E_EMPTY', emptyGz);
    const comments = join(dir, 'comments.edges');
    writeFileSync(comments, '# nothing here\n');
    await expectRejects(readEdgeList(comments), 'E_EMPTY', comments, 'no edges found');
    expect((await readEdgeList(empty, { n: 3 })).n).toBe(3);
  });

  it('parser errors name the path and the line', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, '0,1,1\n1,2,-4\n');
    await expectRejects(readEdgeList(bad), 'E_WEIGHT', `spectral.readEdgeList: ${bad}: line 2`);
    const dup = join(dir, 'dup.edges');
    writeFileSync(dup, '0 1\n1 0\n');
    await expectRejects(readEdgeList(dup, { duplicates: 'error' }), 'E_DUPLICATE_EDGE', dup, 'line 2');
  });

  it('reads the shared fixtures', async () => {
    const c6 = await readEdgeList(join(FIXTURES, 'c6.edges'));
    expect(c6.n).toBe(6);
    expect(Array.from(c6.indptr)).toEqual([0, 2, 4, 6, 8, 10, 12]);
    expect(Array.from(c6.indices.subarray(0, 2))).toEqual([1, 5]);
    const tri = await readEdgeList(join(FIXTURES, 'two-triangles.edges'));
    expect(tri.indices.length).toBe(12);
    expect(connectedComponents(tri).count).toBe(2);
    const w = await readEdgeList(join(FIXTURES, 'weighted.csv'));
    expect(csr(w)).toEqual(
      csr(
        fromEdgeList([
          [0, 1, 1.5],
          [1, 2, 2],
          [2, 3, 0.25],
          [3, 0, 1],
          [0, 2, 3],
        ]),
      ),
    );
  });
});
