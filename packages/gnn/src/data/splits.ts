/**
 * Dataset splits as 0-based row index arrays: seeded random, scaffold (exactly the OGB / pretrain-gnns /
 * DeepChem `scaffold_split`) and size (small molecules in train, the largest in test; for OOD studies).
 */
import { checkOption, createRng, type Rng } from '@graphpe/spectral';
import { getRDKit } from './rdkit.js';
import { murckoScaffoldSmiles } from './scaffold.js';

/** Named index sets; `train`/`valid`/`test` always, others (e.g. DrugOOD's `ood_test`) when a dataset has them. */
export interface Splits {
  readonly train: Int32Array;
  readonly valid: Int32Array;
  readonly test: Int32Array;
  readonly [name: string]: Int32Array;
}

/** Train/valid/test fractions (must sum to 1 within 1e-9). */
export type SplitFractions = readonly [number, number, number];

const DEFAULT_FRACTIONS: SplitFractions = [0.8, 0.1, 0.1];

function checkFractions(f: SplitFractions, where: string): void {
  checkOption(
    f.length === 3 && f.every((x) => Number.isFinite(x) && x >= 0) && Math.abs(f[0] + f[1] + f[2] - 1) < 1e-9,
    where,
    'fractions must be three non-negative numbers summing to 1',
    f.join(','),
  );
}

/** A uniformly random permutation of 0..n−1 (perm[i] = new label of node i). */
export function randomPermutation(n: number, rng: Rng): Int32Array {
  const p = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = p[i] as number;
    p[i] = p[j] as number;
    p[j] = t;
  }
  return p;
}

/** Fisher–Yates permutation of 0..n−1 from graphpe's seeded generator (`createRng(seed)`). */
export function seededPermutation(n: number, seed: number): Int32Array {
  return randomPermutation(n, createRng(seed));
}

/**
 * Seeded random split: a Fisher–Yates permutation of the rows (graphpe's xoshiro128** from `seed`), the first
 * `round(f₀·n)` to train, the next `round(f₁·n)` to valid, the rest to test; each set sorted ascending.
 */
export function randomSplit(n: number, options: { seed?: number; fractions?: SplitFractions } = {}): Splits {
  const fractions = options.fractions ?? DEFAULT_FRACTIONS;
  checkFractions(fractions, 'gnn.randomSplit');
  checkOption(Number.isInteger(n) && n >= 0, 'gnn.randomSplit', 'n must be an integer ≥ 0', n);
  const perm = seededPermutation(n, options.seed ?? 0);
  const nTrain = Math.round(fractions[0] * n);
  const nValid = Math.min(n - nTrain, Math.round(fractions[1] * n));
  return {
    train: perm.slice(0, nTrain).sort(),
    valid: perm.slice(nTrain, nTrain + nValid).sort(),
    test: perm.slice(nTrain + nValid).sort(),
  };
}

/**
 * Scaffold split from per-row scaffold keys, exactly `scaffold_split` of OGB / pretrain-gnns
 * (Hu et al., ICLR 2020, `splitters.py`; DeepChem `ScaffoldSplitter`): rows grouped by scaffold, groups
 * sorted by `(size, first row)` descending — Python's `sorted(..., key=lambda x: (len(x[1]), x[1][0]),
 * reverse=True)`, so equal-size groups go latest-first — then each whole group goes to train if
 * `len(train) + len(group) ≤ f₀·n`, else to valid if `len(train) + len(valid) + len(group) ≤ (f₀+f₁)·n`,
 * else to test. Each set is returned sorted ascending (OGB's file order).
 */
export function scaffoldSplitFromKeys(
  keys: readonly string[],
  fractions: SplitFractions = DEFAULT_FRACTIONS,
): Splits {
  checkFractions(fractions, 'gnn.scaffoldSplit');
  const groups = new Map<string, number[]>();
  for (let i = 0; i < keys.length; i++) {
    const g = groups.get(keys[i]);
    if (g) g.push(i);
    else groups.set(keys[i], [i]);
  }
  const sets = [...groups.values()].sort((a, b) => b.length - a.length || b[0] - a[0]);
  const n = keys.length;
  const trainCutoff = fractions[0] * n;
  const validCutoff = (fractions[0] + fractions[1]) * n;
  const train: number[] = [];
  const valid: number[] = [];
  const test: number[] = [];
  for (const set of sets) {
    if (train.length + set.length > trainCutoff) {
      if (train.length + valid.length + set.length > validCutoff) test.push(...set);
      else valid.push(...set);
    } else train.push(...set);
  }
  // Sorted ascending, as OGB stores them (split/scaffold/*.csv.gz).
  return {
    train: Int32Array.from(train).sort(),
    valid: Int32Array.from(valid).sort(),
    test: Int32Array.from(test).sort(),
  };
}

/**
 * Scaffold split of SMILES rows (Murcko scaffolds with chirality, see {@link murckoScaffoldSmiles}).
 * Rows RDKit cannot parse get their own singleton group keyed by the raw SMILES.
 */
export async function scaffoldSplit(
  smiles: readonly string[],
  options: { fractions?: SplitFractions; includeChirality?: boolean } = {},
): Promise<Splits> {
  const rdkit = await getRDKit();
  const keys = smiles.map(
    (s) =>
      murckoScaffoldSmiles(rdkit, s, { includeChirality: options.includeChirality ?? true }) ?? `\u0000${s}`,
  );
  return scaffoldSplitFromKeys(keys, options.fractions);
}

/**
 * Size split for out-of-distribution studies: rows ordered by heavy-atom count (ties by row index), the
 * smallest `round(f₀·n)` to train, the next `round(f₁·n)` to valid and the largest rest to test. So every
 * train molecule has at most as many atoms as any valid one, and every valid one at most as many as any test
 * one (boundary sizes may be shared between neighbouring sets).
 */
export function sizeSplit(
  atomCounts: ArrayLike<number>,
  fractions: SplitFractions = DEFAULT_FRACTIONS,
): Splits {
  checkFractions(fractions, 'gnn.sizeSplit');
  const n = atomCounts.length;
  const order = Int32Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => atomCounts[a] - atomCounts[b] || a - b,
  );
  const nTrain = Math.round(fractions[0] * n);
  const nValid = Math.min(n - nTrain, Math.round(fractions[1] * n));
  return {
    train: order.slice(0, nTrain).sort(),
    valid: order.slice(nTrain, nTrain + nValid).sort(),
    test: order.slice(nTrain + nValid).sort(),
  };
}
