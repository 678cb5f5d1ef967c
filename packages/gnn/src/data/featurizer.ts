/** The featurizer interface shared by the OGB and ZINC featurizers. */
import type { MolGraph } from './mol-graph.js';
import type { ParsedMol } from './mol-json.js';

/** Names of the built-in featurizers. */
export type FeaturizerName = 'ogb' | 'zinc';

/** Turns a parsed molecule into integer atom/bond features (categorical indices). */
export interface Featurizer {
  readonly name: FeaturizerName;
  /** Vocabulary size of each atom feature column (indices are in `[0, atomDims[c])`). */
  readonly atomDims: readonly number[];
  /** Vocabulary size of each bond feature column. */
  readonly bondDims: readonly number[];
  /**
   * Features of one molecule. Throws a `GraphpeError` `E_VOCAB` when the molecule has an atom or bond the
   * featurizer has no index for (message without row: the caller adds it).
   */
  featurize(mol: ParsedMol, smiles: string): MolGraph;
}
