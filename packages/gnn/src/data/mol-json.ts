/**
 * RDKit's JSON molecule (`Mol.get_json()`, CommonChem + the `rdkitRepresentation` extension) read into
 * typed arrays: one pass over the JSON, no per-atom objects kept.
 *
 * Fields used (RDKit `MolInterchange`): atom `z`, `impHs` (= `GetTotalNumHs()`), `chg`, `nRad`, `isotope`,
 * `stereo` (`unspecified|cw|ccw|other`); bond `atoms`, `bo` (Kekulé bond order), `stereo`
 * (`unspecified|cis|trans|either`) with `stereoAtoms`; extension `aromaticAtoms`, `aromaticBonds`, `cipRanks`.
 * Reference: CommonChem JSON, https://github.com/CommonChem/CommonChem ; RDKit `Code/GraphMol/MolInterchange`.
 */

/** Atom chirality as OGB indexes it: CHI_UNSPECIFIED 0, CHI_TETRAHEDRAL_CW 1, CHI_TETRAHEDRAL_CCW 2, CHI_OTHER 3, anything else 4. */
const CHIRAL: Record<string, number> = { unspecified: 0, cw: 1, ccw: 2, other: 3 };

/** Bond stereo as RDKit's `BondStereo` (OGB's order): NONE 0, Z 1, E 2, CIS 3, TRANS 4, ANY 5. */
export const BOND_STEREO = { none: 0, z: 1, e: 2, cis: 3, trans: 4, any: 5 } as const;

/** A molecule as flat arrays (atoms and bonds in RDKit order). */
export interface ParsedMol {
  readonly n: number;
  readonly numBonds: number;
  readonly z: Int32Array;
  /** Total hydrogen count (implicit + explicit, `GetTotalNumHs()`). */
  readonly hs: Int32Array;
  readonly charge: Int32Array;
  readonly radicals: Int32Array;
  readonly isotope: Int32Array;
  /** See {@link CHIRAL}. */
  readonly chiral: Int32Array;
  readonly aromaticAtom: Uint8Array;
  readonly bondBegin: Int32Array;
  readonly bondEnd: Int32Array;
  /** Kekulé bond order (0 for zero-order bonds). */
  readonly bondOrder: Int32Array;
  readonly aromaticBond: Uint8Array;
  /** {@link BOND_STEREO} codes (E/Z resolved from `cipRanks` when present). */
  readonly bondStereo: Int32Array;
}

interface JsonAtom {
  z?: number;
  impHs?: number;
  chg?: number;
  nRad?: number;
  isotope?: number;
  stereo?: string;
}
interface JsonBond {
  atoms: [number, number];
  bo?: number;
  stereo?: string;
  stereoAtoms?: [number, number];
}
interface JsonMol {
  atoms?: JsonAtom[];
  bonds?: JsonBond[];
  extensions?: { name: string; aromaticAtoms?: number[]; aromaticBonds?: number[]; cipRanks?: number[] }[];
}
interface JsonDoc {
  defaults?: { atom?: JsonAtom; bond?: Omit<JsonBond, 'atoms'> };
  molecules: JsonMol[];
}

/** Parse the text of `Mol.get_json()` (first molecule). */
export function parseMolJson(text: string): ParsedMol {
  const doc = JSON.parse(text) as JsonDoc;
  const da = doc.defaults?.atom ?? {};
  const db = doc.defaults?.bond ?? {};
  const mol = doc.molecules[0] ?? {};
  const atoms = mol.atoms ?? [];
  const bonds = mol.bonds ?? [];
  const ext = mol.extensions?.find((e) => e.name === 'rdkitRepresentation');
  const n = atoms.length;
  const m = bonds.length;
  const z = new Int32Array(n);
  const hs = new Int32Array(n);
  const charge = new Int32Array(n);
  const radicals = new Int32Array(n);
  const isotope = new Int32Array(n);
  const chiral = new Int32Array(n);
  const aromaticAtom = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const a = atoms[i];
    z[i] = a.z ?? da.z ?? 6;
    hs[i] = a.impHs ?? da.impHs ?? 0;
    charge[i] = a.chg ?? da.chg ?? 0;
    radicals[i] = a.nRad ?? da.nRad ?? 0;
    isotope[i] = a.isotope ?? da.isotope ?? 0;
    chiral[i] = CHIRAL[a.stereo ?? da.stereo ?? 'unspecified'] ?? 4;
  }
  for (const i of ext?.aromaticAtoms ?? []) aromaticAtom[i] = 1;
  const bondBegin = new Int32Array(m);
  const bondEnd = new Int32Array(m);
  const bondOrder = new Int32Array(m);
  const aromaticBond = new Uint8Array(m);
  const bondStereo = new Int32Array(m);
  for (const e of ext?.aromaticBonds ?? []) aromaticBond[e] = 1;
  for (let e = 0; e < m; e++) {
    const b = bonds[e];
    bondBegin[e] = b.atoms[0];
    bondEnd[e] = b.atoms[1];
    bondOrder[e] = b.bo ?? db.bo ?? 1;
  }
  const cip = ext?.cipRanks;
  for (let e = 0; e < m; e++) {
    const b = bonds[e];
    const s = b.stereo ?? db.stereo ?? 'unspecified';
    if (s === 'unspecified' || s === 'none') continue;
    if (s === 'either' || s === 'any') {
      bondStereo[e] = BOND_STEREO.any;
      continue;
    }
    const cis = s === 'cis';
    if (!cip || !b.stereoAtoms) {
      bondStereo[e] = cis ? BOND_STEREO.cis : BOND_STEREO.trans;
      continue;
    }
    // E/Z: cis/trans relative to the CIP-highest neighbour of each end (legacy `_CIPRank`).
    let flips = 0;
    for (let end = 0; end < 2; end++) {
      const a = bondBegin[e];
      const c = bondEnd[e];
      const atom = end === 0 ? a : c;
      const other = end === 0 ? c : a;
      const ref = b.stereoAtoms[end];
      let best = -1;
      for (let f = 0; f < m; f++) {
        if (f === e) continue;
        const nb = bondBegin[f] === atom ? bondEnd[f] : bondEnd[f] === atom ? bondBegin[f] : -1;
        if (nb < 0 || nb === other) continue;
        if (best < 0 || cip[nb] > cip[best]) best = nb;
      }
      if (best >= 0 && best !== ref) flips++;
    }
    bondStereo[e] = cis !== (flips % 2 === 1) ? BOND_STEREO.z : BOND_STEREO.e;
  }
  return {
    n,
    numBonds: m,
    z,
    hs,
    charge,
    radicals,
    isotope,
    chiral,
    aromaticAtom,
    bondBegin,
    bondEnd,
    bondOrder,
    aromaticBond,
    bondStereo,
  };
}
