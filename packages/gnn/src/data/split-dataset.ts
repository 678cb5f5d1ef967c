/**
 * One entry point for the split of a loaded dataset: its own (`official`), seeded `random`, OGB `scaffold`
 * or heavy-atom `size` (see splits.ts for the definitions).
 */
import { GraphpeError } from '@graphpe/spectral';
import type { MolDataset } from './dataset.js';
import { getRDKit, parseSmiles } from './rdkit.js';
import { randomSplit, type SplitFractions, type Splits, scaffoldSplit, sizeSplit } from './splits.js';

/** Which split {@link splitDataset} returns. */
export type SplitKind = 'official' | 'random' | 'scaffold' | 'size';

/** Heavy-atom counts per row: from the graphs when featurized, else from RDKit (0 for unparsable rows). */
export async function heavyAtomCounts(dataset: MolDataset): Promise<Int32Array> {
  if (dataset.graphs) return Int32Array.from(dataset.graphs, (g) => g.n);
  const rdkit = await getRDKit();
  return Int32Array.from(dataset.smiles, (s) => {
    const p = parseSmiles(rdkit, s);
    if ('reason' in p) return 0;
    try {
      return p.mol.get_num_atoms();
    } finally {
      p.mol.delete();
    }
  });
}

/** The `kind` split of a dataset (`official` = the one it was loaded with). */
export async function splitDataset(
  dataset: MolDataset,
  kind: SplitKind,
  options: { seed?: number; fractions?: SplitFractions } = {},
): Promise<Splits> {
  switch (kind) {
    case 'official':
      return dataset.splits;
    case 'random':
      return randomSplit(dataset.smiles.length, options);
    case 'scaffold':
      return scaffoldSplit(dataset.smiles, { fractions: options.fractions });
    case 'size':
      return sizeSplit(await heavyAtomCounts(dataset), options.fractions);
    default:
      throw new GraphpeError(
        'E_OPTION',
        `gnn.splitDataset: unknown split '${String(kind)}' (official | random | scaffold | size)`,
        { value: kind },
      );
  }
}
