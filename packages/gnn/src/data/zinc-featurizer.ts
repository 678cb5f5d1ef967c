/**
 * ZINC benchmark featurizer (Dwivedi et al., "Benchmarking Graph Neural Networks", JMLR 2023; PyG `ZINC`):
 * one atom-type index per atom from the dataset's 28-entry dictionary and one bond type per directed edge
 * (single 1, double 2, triple 3) on the Kekulé form. The atom key is the element, then the H count written in
 * the SMILES bracket atom (` H<k>`), then the charge sign (` +`/` -`): `[C@H]` → `C H1`, `[NH+]` → `N H1 +`.
 * As in the dataset, an uncharged aromatic `[nH]` is plain `N` (the dictionary has no `N H1`). An atom or
 * bond outside the vocabulary is an `E_VOCAB` error, never a silent drop.
 */
import { GraphpeError } from '@graphpe/spectral';
import type { Featurizer } from './featurizer.js';
import { bondsToCsr, type MolGraph, unitGraph } from './mol-graph.js';
import type { ParsedMol } from './mol-json.js';
import { writtenAtoms } from './smiles-atoms.js';

/** The ZINC atom dictionary, in index order (benchmarking-gnns `atom_dict`). */
export const ZINC_ATOM_TYPES: readonly string[] = [
  'C',
  'O',
  'N',
  'F',
  'C H1',
  'S',
  'Cl',
  'O -',
  'N H1 +',
  'Br',
  'N H3 +',
  'N H2 +',
  'N +',
  'N -',
  'S -',
  'I',
  'P',
  'O H1 +',
  'N H1 -',
  'O +',
  'S +',
  'P H1',
  'P H2',
  'C H2 -',
  'P +',
  'S H1 +',
  'C H1 -',
  'P H1 +',
];

const INDEX = new Map(ZINC_ATOM_TYPES.map((k, i) => [k, i]));

/** The dictionary key of a written atom (see the module header). */
export function zincAtomKey(symbol: string, hydrogens: number, charge: number): string {
  const element = symbol[0].toUpperCase() + symbol.slice(1);
  const aromaticNH = symbol === 'n' && hydrogens === 1 && charge === 0;
  const h = hydrogens > 0 && !aromaticNH ? ` H${hydrogens}` : '';
  return `${element}${h}${charge > 0 ? ' +' : charge < 0 ? ' -' : ''}`;
}

/** ZINC features of a parsed molecule (`smiles` supplies the written bracket H counts). */
export function zincFeatures(mol: ParsedMol, smiles: string): MolGraph {
  const { n, numBonds } = mol;
  const written = writtenAtoms(smiles);
  if (!written || written.count !== n) {
    throw new GraphpeError(
      'E_VOCAB',
      `zinc featurizer: cannot align the written atoms with RDKit's (${written?.count ?? 'unreadable'} written, ${n} parsed; explicit [H] atoms are not supported)`,
    );
  }
  const atomFeatures = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const key = zincAtomKey(written.symbols[i], written.hydrogens[i], mol.charge[i]);
    const idx = INDEX.get(key);
    if (idx === undefined) {
      throw new GraphpeError(
        'E_VOCAB',
        `zinc featurizer: atom ${i} '${key}' is not in the ZINC atom vocabulary`,
        {
          atom: i,
          key,
        },
      );
    }
    atomFeatures[i] = idx;
  }
  const csr = bondsToCsr(n, mol.bondBegin, mol.bondEnd);
  const bondFeatures = new Int32Array(csr.indices.length);
  for (let p = 0; p < bondFeatures.length; p++) {
    const bo = mol.bondOrder[csr.edgeBond[p]];
    if (bo < 1 || bo > 3) {
      throw new GraphpeError(
        'E_VOCAB',
        `zinc featurizer: bond ${csr.edgeBond[p]} has order ${bo} (only 1, 2, 3)`,
        {
          bond: csr.edgeBond[p],
          order: bo,
        },
      );
    }
    bondFeatures[p] = bo;
  }
  return {
    n,
    numBonds,
    atomDim: 1,
    bondDim: 1,
    atomFeatures,
    bondFeatures,
    edgeBond: csr.edgeBond,
    graph: unitGraph(n, csr.indptr, csr.indices),
  };
}

/** The ZINC featurizer: atom vocabulary 28, bond vocabulary 4 (0 = no bond, used by dense batches). */
export const zincFeaturizer: Featurizer = {
  name: 'zinc',
  atomDims: [ZINC_ATOM_TYPES.length],
  bondDims: [4],
  featurize: zincFeatures,
};
