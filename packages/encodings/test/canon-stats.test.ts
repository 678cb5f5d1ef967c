import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type CanonStats, canonStats } from '@graphpe/encodings';
import { fromEdgeList, type Graph, spectrum } from '@graphpe/spectral';
import { describe, expect, it } from 'vitest';

const cycle = (n: number) => fromEdgeList(Array.from({ length: n }, (_, i) => [i, (i + 1) % n] as const));
const path = (n: number) => fromEdgeList(Array.from({ length: n - 1 }, (_, i) => [i, i + 1] as const));
const star5 = fromEdgeList([1, 2, 3, 4, 5].map((v) => [0, v] as const));
const eight = fromEdgeList([
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

describe('canonStats on hand-checkable graph sets', () => {
  // P4 (λ_Â = 1, ±1/2, −1; the two antisymmetric vectors are flagged), star5 (λ_Â = ±1 simple and
  // canonizable, 0 with d = 4: not basis-canonizable), C6 (constant: canonized; alternating: flagged;
  // two pairs: not basis-canonizable).
  const set: Graph[] = [path(4), star5, cycle(6)];

  it('{P4, star5, C6}: 3/8 simple eigenvectors flagged, 0/3 eigenspaces canonizable, 2/3 graphs repeated', () => {
    const s = canonStats(set);
    expect(s).toMatchObject({
      graphs: 3,
      skipped: 0,
      eigenvectors: 16,
      simple: 8,
      signNoncanonizable: 3,
      zeroSum: 3, // P4's two antisymmetric vectors and C6's alternating one
      eigenspaces: 3,
      eigenspaceVectors: 8,
      partial: 0,
      basisCanonizable: { map: 0, oap: 0, oapDiag: 0 },
      graphsWithRepeated: 2,
    });
    expect(s.signNoncanonizableShare).toBeCloseTo(3 / 8, 15);
    expect(s.graphsWithRepeatedShare).toBeCloseTo(2 / 3, 15);
    expect(s.graphsWithMultiplicity).toEqual([0, 3, 1, 0, 1]); // all have a simple one; C6 m = 2; star5 m = 4
    expect(s.graphsWithMultiplicityAtLeast).toEqual([0, 3, 2, 1, 1]);
    expect(s.eigenvectorsCanonizedShare.oap).toBeCloseTo(5 / 16, 15);
  });

  it('adding the 8-node graph (6 canonizable simple vectors, one d = 2 space only OAP canonizes)', () => {
    const s = canonStats([...set, eight]);
    expect(s).toMatchObject({
      simple: 14,
      signNoncanonizable: 3,
      eigenspaces: 4,
      basisCanonizable: { map: 0, oap: 1, oapDiag: 1 },
      graphsWithRepeated: 3,
    });
    expect(s.basisCanonizableShare.oap).toBeCloseTo(1 / 4, 15);
    expect(s.eigenvectorsCanonizedShare.map).toBeCloseTo(11 / 24, 15);
    expect(s.eigenvectorsCanonizedShare.oap).toBeCloseTo(13 / 24, 15);
  });

  it('counts per eigenvector, not per graph (the reference count_sign_assumption stops at the first violation)', () => {
    // C10 has one flagged simple vector (alternating) and P8 has four (its antisymmetric ones); the reference counts 2.
    const s = canonStats([cycle(10), path(8)]);
    expect(s.signNoncanonizable).toBe(5);
  });

  it('minNodes (the MAP scripts skip n ≤ 5), dropTrivial, and spectra with a k window', () => {
    expect(canonStats(set, { minNodes: 6 })).toMatchObject({ graphs: 2, skipped: 1, eigenvectors: 12 });
    expect(canonStats(set, { dropTrivial: true })).toMatchObject({
      eigenvectors: 13,
      simple: 5,
      signNoncanonizable: 3,
    });
    const w = canonStats([spectrum(cycle(6), { k: 2 }), spectrum(path(4), { k: 4 })]);
    expect(w).toMatchObject({
      graphs: 2,
      eigenvectors: 6,
      simple: 5,
      partial: 1,
      eigenspaces: 0,
      signNoncanonizable: 2,
    });
    expect(Number.isNaN(w.basisCanonizableShare.oap)).toBe(true);
    expect(() => canonStats(set, { laplacian: 'rw' })).toThrow(/orthonormal/);
  });
});

const dataDir = process.env.GRAPHPE_DATA_DIR;
const zincFile = dataDir ? join(dataDir, 'zinc', 'zinc12k.csv') : '';
const haveZinc = zincFile !== '' && existsSync(zincFile);
const zincName = haveZinc
  ? 'ZINC-12k, first 500 molecules: canonStats next to the published figures'
  : `ZINC-12k canonStats (skipped: ${dataDir ? `${zincFile} not found` : 'GRAPHPE_DATA_DIR is not set'})`;

describe('canonStats on ZINC (integration)', () => {
  it.skipIf(!haveZinc)(zincName, async () => {
    const helper = join(process.cwd(), 'scripts', 'bench', 'lib', 'zinc.mjs');
    const { readZincSmiles, smilesToGraphs } = (await import(helper)) as {
      readZincSmiles: (file: string) => { smiles: string }[];
      smilesToGraphs: (rows: unknown[]) => Promise<{ n: number; src: Int32Array; dst: Int32Array }[]>;
    };
    const rows = readZincSmiles(zincFile).slice(0, 500);
    const graphs = (await smilesToGraphs(rows)).map((m) =>
      fromEdgeList({ src: m.src, dst: m.dst }, { n: m.n }),
    );
    const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
    const line = (name: string, s: CanonStats) =>
      `${name.padEnd(34)} simple flagged ${pct(s.signNoncanonizableShare)} (${s.signNoncanonizable}/${s.simple}), ` +
      `sum-0 ${pct(s.zeroSumShare)}, eigenspaces ${s.eigenspaces} canonizable map/oap/diag ` +
      `${pct(s.basisCanonizableShare.map)}/${pct(s.basisCanonizableShare.oap)}/${pct(s.basisCanonizableShare.oapDiag)}, ` +
      `graphs repeated ${pct(s.graphsWithRepeatedShare)}, m=2 ${pct(s.graphsWithMultiplicityShare[2] ?? 0)}, ` +
      `m=3 ${pct(s.graphsWithMultiplicityShare[3] ?? 0)}, m≥2 ${pct(s.graphsWithMultiplicityAtLeastShare[2] ?? 0)}, ` +
      `m≥3 ${pct(s.graphsWithMultiplicityAtLeastShare[3] ?? 0)}, eigenvectors canonized map/oap ` +
      `${pct(s.eigenvectorsCanonizedShare.map)}/${pct(s.eigenvectorsCanonizedShare.oap)}`;
    const runs: [string, CanonStats][] = [
      ['sym, groupTol 1e-6 (default)', canonStats(graphs)],
      ['sym, groupTol 1e-4 (Hordan et al.)', canonStats(graphs, { groupTol: 1e-4 })],
      ['sym, n ≥ 6 (MAP scripts)', canonStats(graphs, { minNodes: 6 })],
      ['sym, trivial dropped', canonStats(graphs, { dropTrivial: true })],
      ['comb, groupTol 1e-4', canonStats(graphs, { laplacian: 'comb', groupTol: 1e-4 })],
    ];
    console.log(
      [
        `canonStats, ZINC-12k first ${graphs.length} molecules (published: MAP ">90% of eigenvectors canonized";`,
        '  Hordan et al. 10.93% simple uncanonizable, 11.15% sum to 0, 59.3% graphs m=2, 26.2% m=3)',
        ...runs.map(([name, s]) => `  ${line(name, s)}`),
      ].join('\n'),
    );
    const s = runs[0][1];
    expect(s.graphs).toBe(500);
    expect(s.signNoncanonizableShare).toBeGreaterThan(0.01);
    expect(s.signNoncanonizableShare).toBeLessThan(0.3);
    expect(s.eigenvectorsCanonizedShare.oap).toBeGreaterThan(0.7);
  });
});
