import { GraphpeError } from '@graphpe/spectral';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  featurizeOne,
  featurizeSmiles,
  getRDKit,
  type MolGraph,
  OGB_ATOM_DIMS,
  OGB_BOND_DIMS,
  ogbFeaturizer,
  type RDKitModule,
  type RowError,
  writtenAtoms,
  ZINC_ATOM_TYPES,
  zincAtomKey,
  zincFeaturizer,
} from '../src/index.js';

/**
 * Expected OGB features, written out from Python RDKit 2022.09.3 running OGB's `smiles2graph` logic
 * (`ogb/utils/features.py`, `atom_to_feature_vector` / `bond_to_feature_vector`) on these SMILES.
 * Atoms: [atomic num−1, chirality, degree, charge+5, numH, radicals, hybridization, aromatic, ring].
 * Bonds: [u, v, type, stereo, conjugated] in RDKit bond order.
 */
const OGB_EXPECTED: { smiles: string; a: number[][]; b: number[][] }[] = [
  {
    smiles: 'c1ccccc1',
    a: Array.from({ length: 6 }, () => [5, 0, 3, 5, 1, 0, 1, 1, 1]),
    b: [0, 1, 2, 3, 4, 5].map((i) => [i, (i + 1) % 6, 3, 0, 1]),
  },
  {
    smiles: 'c1cc[nH+]cc1',
    a: [
      [5, 0, 3, 5, 1, 0, 1, 1, 1],
      [5, 0, 3, 5, 1, 0, 1, 1, 1],
      [5, 0, 3, 5, 1, 0, 1, 1, 1],
      [6, 0, 3, 6, 1, 0, 1, 1, 1],
      [5, 0, 3, 5, 1, 0, 1, 1, 1],
      [5, 0, 3, 5, 1, 0, 1, 1, 1],
    ],
    b: [0, 1, 2, 3, 4, 5].map((i) => [i, (i + 1) % 6, 3, 0, 1]),
  },
  {
    smiles: 'C[C@@H](N)C(=O)O',
    a: [
      [5, 0, 4, 5, 3, 0, 2, 0, 0],
      [5, 1, 4, 5, 1, 0, 2, 0, 0],
      [6, 0, 3, 5, 2, 0, 2, 0, 0],
      [5, 0, 3, 5, 0, 0, 1, 0, 0],
      [7, 0, 1, 5, 0, 0, 1, 0, 0],
      [7, 0, 2, 5, 1, 0, 1, 0, 0],
    ],
    b: [
      [0, 1, 0, 0, 0],
      [1, 2, 0, 0, 0],
      [1, 3, 0, 0, 0],
      [3, 4, 1, 0, 1],
      [3, 5, 0, 0, 1],
    ],
  },
  {
    smiles: 'C[N+](C)(C)CC(=O)[O-]',
    a: [
      [5, 0, 4, 5, 3, 0, 2, 0, 0],
      [6, 0, 4, 6, 0, 0, 2, 0, 0],
      [5, 0, 4, 5, 3, 0, 2, 0, 0],
      [5, 0, 4, 5, 3, 0, 2, 0, 0],
      [5, 0, 4, 5, 2, 0, 2, 0, 0],
      [5, 0, 3, 5, 0, 0, 1, 0, 0],
      [7, 0, 1, 5, 0, 0, 1, 0, 0],
      [7, 0, 1, 4, 0, 0, 1, 0, 0],
    ],
    b: [
      [0, 1, 0, 0, 0],
      [1, 2, 0, 0, 0],
      [1, 3, 0, 0, 0],
      [1, 4, 0, 0, 0],
      [4, 5, 0, 0, 0],
      [5, 6, 1, 0, 1],
      [5, 7, 0, 0, 1],
    ],
  },
  {
    smiles: 'F/C=C/Cl',
    a: [
      [8, 0, 1, 5, 0, 0, 2, 0, 0],
      [5, 0, 3, 5, 1, 0, 1, 0, 0],
      [5, 0, 3, 5, 1, 0, 1, 0, 0],
      [16, 0, 1, 5, 0, 0, 2, 0, 0],
    ],
    b: [
      [0, 1, 0, 0, 0],
      [1, 2, 1, 2, 0],
      [2, 3, 0, 0, 0],
    ],
  },
  {
    smiles: 'C#N',
    a: [
      [5, 0, 2, 5, 1, 0, 0, 0, 0],
      [6, 0, 1, 5, 0, 0, 0, 0, 0],
    ],
    b: [[0, 1, 2, 0, 0]],
  },
  {
    smiles: 'O=S(=O)(O)c1ccc2[nH]ccc2c1',
    a: [
      [7, 0, 1, 5, 0, 0, 1, 0, 0],
      [15, 0, 4, 5, 0, 0, 2, 0, 0],
      [7, 0, 1, 5, 0, 0, 1, 0, 0],
      [7, 0, 2, 5, 1, 0, 2, 0, 0],
      [5, 0, 3, 5, 0, 0, 1, 1, 1],
      [5, 0, 3, 5, 1, 0, 1, 1, 1],
      [5, 0, 3, 5, 1, 0, 1, 1, 1],
      [5, 0, 3, 5, 0, 0, 1, 1, 1],
      [6, 0, 3, 5, 1, 0, 1, 1, 1],
      [5, 0, 3, 5, 1, 0, 1, 1, 1],
      [5, 0, 3, 5, 1, 0, 1, 1, 1],
      [5, 0, 3, 5, 0, 0, 1, 1, 1],
      [5, 0, 3, 5, 1, 0, 1, 1, 1],
    ],
    b: [
      [0, 1, 1, 0, 0],
      [1, 2, 1, 0, 0],
      [1, 3, 0, 0, 0],
      [1, 4, 0, 0, 0],
      [4, 5, 3, 0, 1],
      [5, 6, 3, 0, 1],
      [6, 7, 3, 0, 1],
      [7, 8, 3, 0, 1],
      [8, 9, 3, 0, 1],
      [9, 10, 3, 0, 1],
      [10, 11, 3, 0, 1],
      [11, 12, 3, 0, 1],
      [12, 4, 3, 0, 1],
      [11, 7, 3, 0, 1],
    ],
  },
  {
    smiles: 'CC(=O)Oc1ccccc1C(=O)O',
    a: [
      [5, 0, 4, 5, 3, 0, 2, 0, 0],
      [5, 0, 3, 5, 0, 0, 1, 0, 0],
      [7, 0, 1, 5, 0, 0, 1, 0, 0],
      [7, 0, 2, 5, 0, 0, 1, 0, 0],
      [5, 0, 3, 5, 0, 0, 1, 1, 1],
      [5, 0, 3, 5, 1, 0, 1, 1, 1],
      [5, 0, 3, 5, 1, 0, 1, 1, 1],
      [5, 0, 3, 5, 1, 0, 1, 1, 1],
      [5, 0, 3, 5, 1, 0, 1, 1, 1],
      [5, 0, 3, 5, 0, 0, 1, 1, 1],
      [5, 0, 3, 5, 0, 0, 1, 0, 0],
      [7, 0, 1, 5, 0, 0, 1, 0, 0],
      [7, 0, 2, 5, 1, 0, 1, 0, 0],
    ],
    b: [
      [0, 1, 0, 0, 0],
      [1, 2, 1, 0, 1],
      [1, 3, 0, 0, 1],
      [3, 4, 0, 0, 1],
      [4, 5, 3, 0, 1],
      [5, 6, 3, 0, 1],
      [6, 7, 3, 0, 1],
      [7, 8, 3, 0, 1],
      [8, 9, 3, 0, 1],
      [9, 10, 0, 0, 1],
      [10, 11, 1, 0, 1],
      [10, 12, 0, 0, 1],
      [9, 4, 3, 0, 1],
    ],
  },
  {
    smiles: '[Na+].[Cl-]',
    a: [
      [10, 0, 0, 6, 0, 0, 5, 0, 0],
      [16, 0, 0, 4, 0, 0, 2, 0, 0],
    ],
    b: [],
  },
  {
    // rejected by RDKit ≥ 2024 (hypervalent Al) but featurized by OGB's RDKit: read unsanitized
    smiles: 'CC(=O)O[AlH3](O)O',
    a: [
      [5, 0, 4, 5, 3, 0, 2, 0, 0],
      [5, 0, 3, 5, 0, 0, 1, 0, 0],
      [7, 0, 1, 5, 0, 0, 1, 0, 0],
      [7, 0, 2, 5, 0, 0, 1, 0, 0],
      [12, 0, 6, 5, 3, 0, 3, 0, 0],
      [7, 0, 2, 5, 1, 0, 2, 0, 0],
      [7, 0, 2, 5, 1, 0, 2, 0, 0],
    ],
    b: [
      [0, 1, 0, 0, 0],
      [1, 2, 1, 0, 1],
      [1, 3, 0, 0, 1],
      [3, 4, 0, 0, 0],
      [4, 5, 0, 0, 0],
      [4, 6, 0, 0, 0],
    ],
  },
  {
    // RDKit ≤ 2023 gives a bare transition metal (outer electrons − charge) mod 2 radicals; RDKit-js does not
    smiles: '[Cu]I',
    a: [
      [28, 0, 1, 5, 0, 1, 4, 0, 0],
      [52, 0, 1, 5, 0, 0, 2, 0, 0],
    ],
    b: [[0, 1, 0, 0, 0]],
  },
  {
    smiles: 'C1CC1C=O',
    a: [
      [5, 0, 4, 5, 2, 0, 2, 0, 1],
      [5, 0, 4, 5, 2, 0, 2, 0, 1],
      [5, 0, 4, 5, 1, 0, 2, 0, 1],
      [5, 0, 3, 5, 1, 0, 1, 0, 0],
      [7, 0, 1, 5, 0, 0, 1, 0, 0],
    ],
    b: [
      [0, 1, 0, 0, 0],
      [1, 2, 0, 0, 0],
      [2, 3, 0, 0, 0],
      [3, 4, 1, 0, 0],
      [2, 0, 0, 0, 0],
    ],
  },
];

let rdkit: RDKitModule;
beforeAll(async () => {
  rdkit = await getRDKit();
});

function graphOf(smiles: string, f = ogbFeaturizer): MolGraph {
  const g = featurizeOne(rdkit, f, smiles, 0);
  if ('reason' in g) throw new Error(g.reason);
  return g;
}

/** CSR position of the directed edge u → v. */
function edge(g: MolGraph, u: number, v: number): number {
  for (let p = g.graph.indptr[u]; p < g.graph.indptr[u + 1]; p++) if (g.graph.indices[p] === v) return p;
  return -1;
}

describe('ogb featurizer', () => {
  it.each(OGB_EXPECTED)('matches Python RDKit + OGB smiles2graph on $smiles', ({ smiles, a, b }) => {
    const g = graphOf(smiles);
    expect(g.n).toBe(a.length);
    expect(g.numBonds).toBe(b.length);
    expect(g.atomDim).toBe(9);
    expect(g.bondDim).toBe(3);
    const atoms = Array.from({ length: g.n }, (_, i) =>
      Array.from(g.atomFeatures.subarray(i * 9, i * 9 + 9)),
    );
    expect(atoms).toEqual(a);
    for (const [u, v, type, stereo, conj] of b) {
      for (const [s, t] of [
        [u, v],
        [v, u],
      ]) {
        const p = edge(g, s, t);
        expect(p).toBeGreaterThanOrEqual(0);
        expect(Array.from(g.bondFeatures.subarray(p * 3, p * 3 + 3))).toEqual([type, stereo, conj]);
      }
    }
  });

  it('reads the dative bonds RDKit-js makes around metals as the single bonds OGB saw', () => {
    // HIV row; Python RDKit 2022 + OGB: every bond SINGLE, no radicals
    const g = graphOf(
      'C1C[N+]23CCC[N+]4(C1)CC[S-]1[Fe+2]24([SH+]CC3)[S-]2CC[N+]34CCC[N+]5(CCC3)CC[SH+][Fe+2]1254',
    );
    for (let p = 0; p < 2 * g.numBonds; p++) expect(g.bondFeatures[p * 3]).toBe(0);
    for (let i = 0; i < g.n; i++) expect(g.atomFeatures[i * 9 + 5]).toBe(0);
  });

  it('stores each bond as two directed CSR edges with sorted rows and unit weights', () => {
    const g = graphOf('CC(=O)Oc1ccccc1C(=O)O');
    expect(g.graph.indices.length).toBe(2 * g.numBonds);
    expect(g.graph.weights.every((w) => w === 1)).toBe(true);
    for (let i = 0; i < g.n; i++) {
      for (let p = g.graph.indptr[i] + 1; p < g.graph.indptr[i + 1]; p++) {
        expect(g.graph.indices[p]).toBeGreaterThan(g.graph.indices[p - 1]);
      }
    }
    // edgeBond pairs the two directions of each bond.
    const count = new Int32Array(g.numBonds);
    for (const e of g.edgeBond) count[e]++;
    expect(Array.from(count).every((c) => c === 2)).toBe(true);
  });

  it('keeps every feature inside its vocabulary', () => {
    const g = graphOf('C[C@H](O)c1ccc(cc1)[N+](=O)[O-]');
    for (let i = 0; i < g.n; i++) {
      OGB_ATOM_DIMS.forEach((d, c) => {
        expect(g.atomFeatures[i * 9 + c]).toBeLessThan(d);
      });
    }
    for (let p = 0; p < 2 * g.numBonds; p++) {
      OGB_BOND_DIMS.forEach((d, c) => {
        expect(g.bondFeatures[p * 3 + c]).toBeLessThan(d);
      });
    }
  });

  it('reports invalid SMILES and empty molecules per row instead of throwing', () => {
    const bad = featurizeOne(rdkit, ogbFeaturizer, 'C1CC(', 7) as RowError;
    expect(bad.row).toBe(7);
    expect(bad.smiles).toBe('C1CC(');
    expect(bad.code).toBe('E_SMILES');
    expect(bad.reason.length).toBeGreaterThan(0);
    expect((featurizeOne(rdkit, ogbFeaturizer, '', 1) as RowError).reason).toMatch(/empty/);
    expect((featurizeOne(rdkit, ogbFeaturizer, 'c1cccc1', 2) as RowError).code).toBe('E_SMILES');
    // a carbon valence violation stays an error (only metal/metalloid valences are read leniently)
    expect((featurizeOne(rdkit, ogbFeaturizer, 'CC(C)(C)(C)(C)C', 3) as RowError).reason).toMatch(/valence/);
    expect((featurizeOne(rdkit, ogbFeaturizer, 'CC(=O)O[AlH3](O)O', 4, false) as RowError).code).toBe(
      'E_SMILES',
    );
  });
});

describe('featurizeSmiles', () => {
  const rows = ['CCO', 'not a smiles', 'c1ccccc1', 'C(C'];

  it("fails on bad rows with onInvalid 'error', naming row and SMILES", async () => {
    const err = await featurizeSmiles(rows, 'ogb').catch((e) => e);
    expect(err).toBeInstanceOf(GraphpeError);
    expect(err.code).toBe('E_SMILES');
    expect(err.message).toContain("row 1 'not a smiles'");
    expect(err.message).toContain("row 3 'C(C'");
    expect(err.details.errors).toHaveLength(2);
  });

  it("skips and counts bad rows with onInvalid 'skip'", async () => {
    const progress: number[] = [];
    const out = await featurizeSmiles(rows, 'ogb', {
      onInvalid: 'skip',
      onProgress: (d) => progress.push(d),
      progressEvery: 2,
    });
    expect(out.skipped).toBe(2);
    expect(Array.from(out.rows)).toEqual([0, 2]);
    expect(out.graphs.map((g) => g.n)).toEqual([3, 6]);
    expect(out.errors.map((e) => e.row)).toEqual([1, 3]);
    expect(progress).toEqual([2, 4]);
  });
});

describe('zinc featurizer', () => {
  it('reads the written bracket atoms', () => {
    const w = writtenAtoms('C[C@@H]1CC[NH3+].[nH]1c[n-]cc1Cl')!;
    expect(w.symbols).toEqual(['C', 'C', 'C', 'C', 'N', 'n', 'c', 'n', 'c', 'c', 'Cl']);
    expect(Array.from(w.hydrogens)).toEqual([0, 1, 0, 0, 3, 1, 0, 0, 0, 0, 0]);
    expect(Array.from(w.charge)).toEqual([0, 0, 0, 0, 1, 0, 0, -1, 0, 0, 0]);
  });

  it('builds the dictionary keys of the benchmark', () => {
    expect(zincAtomKey('C', 1, 0)).toBe('C H1');
    expect(zincAtomKey('N', 1, 1)).toBe('N H1 +');
    expect(zincAtomKey('n', 1, 0)).toBe('N'); // aromatic [nH] is plain N in the dataset
    expect(zincAtomKey('n', 1, 1)).toBe('N H1 +');
    expect(zincAtomKey('O', 0, -1)).toBe('O -');
    expect(ZINC_ATOM_TYPES).toHaveLength(28);
  });

  // Rows of zinc12k.csv (train subset_idx 1 and 3) with atom types written out by hand from the dictionary.
  it.each([
    {
      smiles: 'CC(C)[NH+](CCNC(=O)N1CCN(C(=O)c2ccncc2)CC1)C1CC1',
      types: ['C', 'C', 'C', 'N H1 +', 'C', 'C', 'N', 'C', 'O', 'N', 'C', 'C', 'N', 'C', 'O'].concat([
        'C',
        'C',
        'C',
        'N',
        'C',
        'C',
        'C',
        'C',
        'C',
        'C',
        'C',
      ]),
    },
    {
      smiles: 'C[C@@H]1CC(Nc2cncc(-c3nncn3C)c2)C[C@@H](C)C1',
      types: ['C', 'C H1', 'C', 'C', 'N', 'C', 'C', 'N', 'C', 'C', 'C', 'N', 'N', 'C', 'N', 'C', 'C'].concat([
        'C',
        'C H1',
        'C',
        'C',
      ]),
    },
    {
      smiles: 'O=C([O-])c1cc[nH+]c(-c2ccc[nH]2)c1',
      types: ['O', 'C', 'O -', 'C', 'C', 'C', 'N H1 +', 'C', 'C', 'C', 'C', 'C', 'N', 'C'],
    },
  ])('maps ZINC atoms of $smiles', ({ smiles, types }) => {
    const g = graphOf(smiles, zincFeaturizer);
    expect(Array.from(g.atomFeatures, (t) => ZINC_ATOM_TYPES[t])).toEqual(types);
  });

  it('uses Kekulé bond types 1/2/3', () => {
    const g = graphOf('c1ccccc1C#N', zincFeaturizer);
    const counts = [0, 0, 0, 0];
    for (const t of g.bondFeatures) counts[t]++;
    expect(counts).toEqual([0, 2 * 4, 2 * 3, 2 * 1]);
  });

  it('rejects an atom outside the vocabulary with E_VOCAB naming row and SMILES', async () => {
    const err = await featurizeSmiles(['CCO', 'CC[Si](C)C'], 'zinc').catch((e) => e);
    expect(err).toBeInstanceOf(GraphpeError);
    expect(err.code).toBe('E_VOCAB');
    expect(err.message).toContain("row 1 'CC[Si](C)C'");
    expect(err.message).toContain("'Si'");
  });
});
