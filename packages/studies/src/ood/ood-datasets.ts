/**
 * The datasets of `graphpe bench ood` and their in-distribution (ID) / out-of-distribution (OOD) splits.
 * Every bench dataset ends up with the five DrugOOD sets — `train`, `iid_val`, `iid_test`, `ood_val`,
 * `ood_test` — with model selection on `ood_val` (DrugOOD's protocol; `valid` aliases it) and `test`
 * aliasing `ood_test`:
 *
 * - `drugood-ec50-{assay,scaffold,size}`: the official DrugOOD LBAP-core EC50 domain splits, as shipped.
 * - `zinc-size`: ZINC-12k (all 12,000 molecules, the official split ignored), ordered by heavy-atom count
 *   (ties by row): the smallest 80% form the ID pool, the next 10% `ood_val`, the largest 10% `ood_test`;
 *   `iid_val` and `iid_test` are each a seeded random eighth of the ID pool (10% of the dataset each), the
 *   rest (60%) is `train`.
 * - `bbbp-scaffold` / `hiv-scaffold`: the OGB scaffold split (official files for BBBP, the reproduced
 *   OGB-equivalent one for HIV): `valid` → `ood_val`, `test` → `ood_test`; `iid_val` and `iid_test` are each
 *   a seeded random eighth of the scaffold-train pool.
 *
 * The carve-out seed is fixed (0), so every training seed sees the same split. A budget can then drop
 * molecules above a heavy-atom count from every set and keep a seeded random sample of each (`limit`).
 */

import { type PreparedDataset, type Splits, sizeSplit } from '@graphpe/gnn';
import { createRng, GraphpeError } from '@graphpe/spectral';

/** A bench dataset key and what it is built from. */
export interface OodDatasetSpec {
  readonly key: string;
  /** Registered dataset it loads. */
  readonly dataset: string;
  /** How ID and OOD are defined (docs, result.json). */
  readonly splitDefinition: string;
}

/** Version of the split definitions (part of every cell's config: a change re-runs finished cells). */
export const OOD_SPLIT_VERSION = 2;

const drugood = (domain: string): OodDatasetSpec => ({
  key: `drugood-ec50-${domain}`,
  dataset: `drugood-ec50-${domain}`,
  splitDefinition: `official DrugOOD LBAP-core EC50 ${domain} split: ID = iid_test, OOD = ood_test, model selection on ood_val`,
});

/** The bench datasets, by key. */
export const OOD_DATASETS: Readonly<Record<string, OodDatasetSpec>> = {
  'drugood-ec50-assay': drugood('assay'),
  'drugood-ec50-scaffold': drugood('scaffold'),
  'drugood-ec50-size': drugood('size'),
  'zinc-size': {
    key: 'zinc-size',
    dataset: 'zinc',
    splitDefinition:
      'ZINC-12k by heavy-atom count: smallest 80% = ID pool (train 60%, iid_val 10%, iid_test 10% of the dataset, random), next 10% = ood_val, largest 10% = ood_test; model selection on ood_val',
  },
  'bbbp-scaffold': {
    key: 'bbbp-scaffold',
    dataset: 'ogbg-molbbbp',
    splitDefinition:
      'official OGB scaffold split of BBBP: valid = ood_val, test = ood_test; iid_val and iid_test each a random eighth of scaffold-train; model selection on ood_val',
  },
  'hiv-scaffold': {
    key: 'hiv-scaffold',
    dataset: 'hiv',
    splitDefinition:
      'OGB-equivalent scaffold split of HIV: valid = ood_val, test = ood_test; iid_val and iid_test each a random eighth of scaffold-train; model selection on ood_val',
  },
};

/** The spec of a bench dataset key; `E_OPTION` naming the known keys otherwise. */
export function oodDatasetSpec(key: string): OodDatasetSpec {
  const s = OOD_DATASETS[key];
  if (!s) {
    throw new GraphpeError(
      'E_OPTION',
      `studies.bench: unknown OOD dataset '${key}' (known: ${Object.keys(OOD_DATASETS).join(', ')})`,
      { value: key },
    );
  }
  return s;
}

/** The five sets every bench dataset has (plus the `valid`/`test` aliases). */
export const OOD_SET_NAMES = ['train', 'iid_val', 'iid_test', 'ood_val', 'ood_test'] as const;

function carve(
  pool: Int32Array,
  seed: number,
): { train: Int32Array; iidVal: Int32Array; iidTest: Int32Array } {
  const rng = createRng(seed);
  const perm = pool.slice();
  for (let i = perm.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = perm[i] as number;
    perm[i] = perm[j] as number;
    perm[j] = t;
  }
  const m = Math.round(pool.length / 8);
  return {
    iidVal: perm.slice(0, m).sort(),
    iidTest: perm.slice(m, 2 * m).sort(),
    train: perm.slice(2 * m).sort(),
  };
}

function fiveSets(sets: Record<(typeof OOD_SET_NAMES)[number], Int32Array>): Splits {
  return { ...sets, valid: sets.ood_val, test: sets.ood_test } as unknown as Splits;
}

/** The full (unfiltered) ID/OOD splits of a bench dataset (see the module comment). */
export function oodSplitsOf(key: string, ds: Pick<PreparedDataset, 'graphs' | 'splits'>): Splits {
  const spec = oodDatasetSpec(key);
  if (key.startsWith('drugood-')) {
    for (const s of OOD_SET_NAMES) {
      if (!ds.splits[s]) {
        throw new GraphpeError('E_DATASET', `studies.bench: ${spec.dataset} has no '${s}' set`);
      }
    }
    return fiveSets({
      train: ds.splits.train,
      iid_val: ds.splits.iid_val as Int32Array,
      iid_test: ds.splits.iid_test as Int32Array,
      ood_val: ds.splits.ood_val as Int32Array,
      ood_test: ds.splits.ood_test as Int32Array,
    });
  }
  if (key === 'zinc-size') {
    const counts = Int32Array.from(ds.graphs, (g) => g.n);
    const s = sizeSplit(counts, [0.8, 0.1, 0.1]);
    const c = carve(s.train, 0);
    return fiveSets({
      train: c.train,
      iid_val: c.iidVal,
      iid_test: c.iidTest,
      ood_val: s.valid,
      ood_test: s.test,
    });
  }
  // scaffold datasets
  const c = carve(ds.splits.train, 0);
  return fiveSets({
    train: c.train,
    iid_val: c.iidVal,
    iid_test: c.iidTest,
    ood_val: ds.splits.valid,
    ood_test: ds.splits.test,
  });
}

/** Splits after a budget's filters, and how many molecules the atom cap dropped. */
export interface BudgetedSplits {
  readonly splits: Splits;
  /** Molecules dropped by `maxAtoms` (over the five sets). */
  readonly droppedByAtoms: number;
}

/**
 * Drops molecules with more than `maxAtoms` heavy atoms from every set, then keeps about `limit` molecules
 * in all: a seeded random sample (seed 0, the same for every training seed) of every set in proportion to
 * its size, at least one per non-empty set, each sorted ascending. Random rather than the first rows
 * because DrugOOD files are ordered by domain: a prefix would hold a handful of assays or scaffolds.
 * Aliases (`valid` = `ood_val`) stay aliases.
 */
export function budgetSplits(
  splits: Splits,
  graphs: readonly { n: number }[],
  options: { maxAtoms?: number | null; limit?: number | null },
): BudgetedSplits {
  const limit = options.limit ?? null;
  if (limit !== null && !(Number.isInteger(limit) && limit >= 1)) {
    throw new GraphpeError('E_OPTION', `studies.bench: limit must be a positive integer (got ${limit})`, {
      value: limit,
    });
  }
  const filtered = new Map<Int32Array, Int32Array>();
  let dropped = 0;
  for (const rows of Object.values(splits)) {
    if (filtered.has(rows)) continue;
    const cap = options.maxAtoms;
    const f = cap == null ? rows : rows.filter((r) => (graphs[r]?.n ?? 0) <= cap);
    dropped += rows.length - f.length;
    filtered.set(rows, f);
  }
  let total = 0;
  for (const f of filtered.values()) total += f.length;
  const rng = createRng(0);
  const sampled = new Map<Int32Array, Int32Array>();
  for (const [orig, f] of filtered) {
    if (limit === null || total <= limit || f.length === 0) {
      sampled.set(orig, f);
      continue;
    }
    const keep = Math.min(f.length, Math.max(1, Math.round((limit * f.length) / total)));
    const perm = f.slice();
    for (let i = 0; i < keep; i++) {
      const j = i + rng.int(perm.length - i);
      const t = perm[i] as number;
      perm[i] = perm[j] as number;
      perm[j] = t;
    }
    sampled.set(orig, perm.slice(0, keep).sort());
  }
  const out: Record<string, Int32Array> = {};
  for (const [name, rows] of Object.entries(splits)) out[name] = sampled.get(rows) as Int32Array;
  return { splits: out as unknown as Splits, droppedByAtoms: dropped };
}
