import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GraphpeError } from '@graphpe/spectral';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  directionalBonds,
  getRDKit,
  loadSmilesCsv,
  murckoScaffoldSmiles,
  type RDKitModule,
  randomSplit,
  type Splits,
  scaffoldSplitFromKeys,
  sizeSplit,
  splitDataset,
} from '../src/index.js';

function expectPartition(s: Splits, n: number): void {
  const seen = new Uint8Array(n);
  for (const k of ['train', 'valid', 'test'] as const) {
    for (const i of s[k]) {
      expect(seen[i]).toBe(0);
      seen[i] = 1;
    }
  }
  expect(seen.every((x) => x === 1)).toBe(true);
}

async function loadSmilesCsvFromRows(smiles: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'graphpe-gnn-split-'));
  const file = join(dir, 'x.csv');
  writeFileSync(file, `smiles,y\n${smiles.map((s, i) => `${s},${i}`).join('\n')}\n`);
  return loadSmilesCsv(file, { targetCol: 'y', featurizer: false });
}

let rdkit: RDKitModule;
beforeAll(async () => {
  rdkit = await getRDKit();
});

describe('murckoScaffoldSmiles', () => {
  it.each([
    ['CC(=O)Oc1ccccc1C(=O)O', 'c1ccccc1'],
    ['CCCC', ''],
    ['Cn1ccc2ccccc21', 'c1ccc2[nH]ccc2c1'],
    ['O=C1CCCN1CCc1ccccc1', 'O=C1CCCN1CCc1ccccc1'],
    // chirality survives where no neighbour was removed, is dropped where one was (RDKit's rule)
    ['C[C@H]1CC[C@@H](c2ccccc2)O1', 'c1ccc([C@@H]2CCCO2)cc1'],
    ['C[C@@H](N)c1ccccc1', 'c1ccccc1'],
    ['c1ccccc1/C=C/c1ccccc1', 'C(=C/c1ccccc1)\\c1ccccc1'],
    ['c1ccccc1/C=C\\c1ccccc1', 'C(=C\\c1ccccc1)\\c1ccccc1'],
    // double-bond stereo needs a kept written direction at each end
    ['C/C(=N\\Cc1ccccc1)c1ccccc1O', 'C(=NCc1ccccc1)c1ccccc1'],
    ['c1cc(ccc1)/C(/F)=C/C1CC1', 'C(=C/C1CC1)\\c1ccccc1'],
    // rejected by this RDKit's sanitization, but its scaffold is fine (as in RDKit 2022)
    ['NC(=O)NC1N=C(O[AlH3](O)O)NC1=O', 'O=C1CN=CN1'],
  ])('%s → %s (Python RDKit 2022.09 MurckoScaffoldSmiles)', (smiles, scaffold) => {
    // Compare canonical forms of this RDKit-js build (canonical SMILES strings differ between releases).
    const mol = rdkit.get_mol(scaffold)!;
    const expected = scaffold === '' ? '' : mol.get_smiles();
    mol.delete();
    expect(murckoScaffoldSmiles(rdkit, smiles)).toBe(expected);
  });

  it('finds the bonds written with a direction', () => {
    expect(directionalBonds('C/C(=N\\Cc1ccccc1)c1ccccc1O')).toEqual([
      [0, 1],
      [2, 3],
    ]);
    expect(directionalBonds('F/C=C/1.CC/1')).toEqual([
      [0, 1],
      [2, 4],
    ]);
  });

  it('is undefined for an unparsable SMILES', () => {
    expect(murckoScaffoldSmiles(rdkit, 'C1CC(')).toBeUndefined();
  });
});

describe('scaffoldSplitFromKeys', () => {
  it('fills train, valid, test with whole groups sorted by (size, first row) descending', () => {
    // groups: a = {0,3,6,9} (4), b = {1,4,7} (3), c = {2,5} (2), d = {8} (1)
    const keys = ['a', 'b', 'c', 'a', 'b', 'c', 'a', 'b', 'd', 'a'];
    const s = scaffoldSplitFromKeys(keys, [0.7, 0.2, 0.1]);
    expect(Array.from(s.train)).toEqual([0, 1, 3, 4, 6, 7, 9]); // a (4) + b (3) = 7 ≤ 7
    expect(Array.from(s.valid)).toEqual([2, 5]); // c: 7 + 2 ≤ 9
    expect(Array.from(s.test)).toEqual([8]);
    expectPartition(s, keys.length);
  });

  it('breaks size ties by the later first row first (Python reverse=True)', () => {
    const s = scaffoldSplitFromKeys(['x', 'y', 'z', 'w'], [0.5, 0.25, 0.25]);
    expect(Array.from(s.train)).toEqual([2, 3]);
    expect(Array.from(s.valid)).toEqual([1]);
    expect(Array.from(s.test)).toEqual([0]);
  });

  it('rejects fractions that do not sum to 1', () => {
    expect(() => scaffoldSplitFromKeys(['a'], [0.5, 0.1, 0.1])).toThrow(GraphpeError);
  });
});

describe('randomSplit', () => {
  it('is a seeded partition with the requested sizes', () => {
    const a = randomSplit(101, { seed: 7 });
    const b = randomSplit(101, { seed: 7 });
    const c = randomSplit(101, { seed: 8 });
    expectPartition(a, 101);
    expect([a.train.length, a.valid.length, a.test.length]).toEqual([81, 10, 10]);
    expect(Array.from(a.train)).toEqual(Array.from(b.train));
    expect(Array.from(a.train)).not.toEqual(Array.from(c.train));
  });
});

describe('splitDataset', () => {
  it('computes official, random, scaffold and size splits of a loaded dataset', async () => {
    const smiles = [
      'CCO',
      'c1ccccc1CC',
      'c1ccccc1CCC',
      'C1CCCCC1N',
      'CCCCCCCC',
      'c1ccncc1',
      'CC',
      'c1ccccc1O',
      'N',
      'C1CC1',
    ];
    const ds = await loadSmilesCsvFromRows(smiles);
    const official = await splitDataset(ds, 'official');
    expect(official).toBe(ds.splits);
    expectPartition(await splitDataset(ds, 'random', { seed: 3 }), smiles.length);
    const scaffold = await splitDataset(ds, 'scaffold');
    expectPartition(scaffold, smiles.length);
    expect(Array.from(scaffold.train)).toContain(1); // the benzene group (4 rows) is the largest
    const size = await splitDataset(ds, 'size', { fractions: [0.6, 0.2, 0.2] });
    expect(Array.from(size.test).sort()).toEqual([2, 4]); // the two 8-9-atom molecules
    await expect(splitDataset(ds, 'bogus' as never)).rejects.toThrow(/unknown split/);
  });
});

describe('sizeSplit', () => {
  it('puts the smallest molecules in train and the largest in test', () => {
    const counts = Int32Array.from({ length: 200 }, (_, i) => ((i * 37) % 23) + 5);
    const s = sizeSplit(counts);
    expectPartition(s, counts.length);
    expect([s.train.length, s.valid.length, s.test.length]).toEqual([160, 20, 20]);
    const max = (idx: Int32Array) => Math.max(...Array.from(idx, (i) => counts[i]));
    const min = (idx: Int32Array) => Math.min(...Array.from(idx, (i) => counts[i]));
    expect(max(s.train)).toBeLessThanOrEqual(min(s.valid));
    expect(max(s.valid)).toBeLessThanOrEqual(min(s.test));
    // each set is sorted and ties are broken by row index (deterministic)
    for (const k of ['train', 'valid', 'test'] as const) {
      expect(Array.from(s[k])).toEqual(Array.from(s[k]).sort((x, y) => x - y));
    }
    expect(Array.from(sizeSplit(counts).test)).toEqual(Array.from(s.test));
  });

  it('handles fewer molecules than sets', () => {
    const s = sizeSplit([3]);
    expect([s.train.length, s.valid.length, s.test.length]).toEqual([1, 0, 0]);
  });
});
