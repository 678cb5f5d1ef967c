/**
 * OGB featurizer: exactly `ogb.utils.smiles2graph` (Hu et al., "Open Graph Benchmark", NeurIPS 2020;
 * `ogb/utils/features.py`), from RDKit-js.
 *
 * Atom features (9 ints; vocabulary = OGB's `allowable_features` lists, a value outside a list maps to the
 * list's last, "misc", index as OGB's `safe_index` does):
 *   0 atomic number − 1 (1…118; misc 118) · 1 chirality tag (UNSPECIFIED, CW, CCW, OTHER; misc 4) ·
 *   2 total degree 0…10 (misc 11) · 3 formal charge −5…5 → 0…10 (misc 11) · 4 total H 0…8 (misc 9) ·
 *   5 radical electrons 0…4 (misc 5) · 6 hybridization SP, SP2, SP3, SP3D, SP3D2 (misc 5: S, unspecified) ·
 *   7 is aromatic · 8 is in ring.
 * Bond features (3 ints, per directed edge): type SINGLE, DOUBLE, TRIPLE, AROMATIC (misc 4) · stereo
 * NONE, Z, E, CIS, TRANS, ANY · is conjugated.
 *
 * Where they come from: atomic number, total H (`impHs` = `GetTotalNumHs()`), charge, radicals, chirality
 * (legacy stereo perception, see rdkit.ts), aromaticity, Kekulé bond orders and double-bond stereo (E/Z from
 * `cipRanks`) are read from `Mol.get_json()`. RDKit-js exposes neither hybridization, conjugation nor ring
 * membership, so they are recomputed here with RDKit's own rules on the same molecule:
 *   - total degree = heavy-atom degree + total H (`Atom::getTotalDegree`);
 *   - ring membership = atom on a non-bridge bond (equivalent to `Atom::IsInRing`);
 *   - conjugation = `MolOps::setConjugation` (aromatic bonds, then `markConjAtomBonds` with
 *     `isAtomConjugCand`/`countAtomElec`), RDKit `Code/GraphMol/ConjugHybrid.cpp`, `Aromaticity.cpp`;
 *   - hybridization = `MolOps::setHybridization` (`numBondsPlusLonePairs`, the SP3→SP2 demotion of 4-orbital
 *     atoms with a conjugated bond and total degree ≤ 3), same file.
 * Where RDKit-js (2026) sanitizes differently from the RDKit OGB used, the older behaviour is restored
 * ({@link legacyChemistry}: metal radicals, dative bonds). Checked against Python RDKit 2022.09 running OGB's
 * code on ≈ 91,000 dataset molecules (ZINC-12k, MoleculeNet, HIV, DrugOOD): see the report of issue 5.
 */
import { DEFAULT_VALENCE, OUTER_ELECTRONS, VALENCE_LIST } from './elements.js';
import type { Featurizer } from './featurizer.js';
import { bondsToCsr, type MolGraph, ringBonds, unitGraph } from './mol-graph.js';
import type { ParsedMol } from './mol-json.js';
import { writtenAtoms } from './smiles-atoms.js';

/** OGB's `get_atom_feature_dims()`. */
export const OGB_ATOM_DIMS: readonly number[] = [119, 5, 12, 12, 10, 6, 6, 2, 2];
/** OGB's `get_bond_feature_dims()`. */
export const OGB_BOND_DIMS: readonly number[] = [5, 6, 2];

/** Hybridization indices (OGB order). */
export const HYBRIDIZATION = { sp: 0, sp2: 1, sp3: 2, sp3d: 3, sp3d2: 4, other: 5 } as const;

/** Per-atom chemistry derived from a parsed molecule with RDKit's rules (see the module header). */
export interface AtomChemistry {
  readonly totalDegree: Int32Array;
  readonly inRing: Uint8Array;
  readonly conjugated: Uint8Array;
  readonly hybridization: Int32Array;
}

/** Total degree, ring membership, bond conjugation and hybridization, as RDKit's sanitization sets them. */
export function atomChemistry(
  mol: ParsedMol,
  csr: { indptr: Int32Array; indices: Int32Array; edgeBond: Int32Array },
): AtomChemistry {
  const { n, numBonds, z, hs, charge, radicals, chiral, aromaticBond, bondOrder } = mol;
  const { indptr, indices, edgeBond } = csr;
  const degree = new Int32Array(n);
  const zeroBonds = new Int32Array(n);
  const valence = new Int32Array(n);
  const totalDegree = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    degree[i] = indptr[i + 1] - indptr[i];
    let v = hs[i];
    for (let p = indptr[i]; p < indptr[i + 1]; p++) {
      const bo = bondOrder[edgeBond[p]];
      v += bo;
      if (bo === 0 && !aromaticBond[edgeBond[p]]) zeroBonds[i]++;
    }
    valence[i] = v;
    totalDegree[i] = degree[i] + hs[i];
  }
  const rings = ringBonds(n, indptr, indices, edgeBond, numBonds);
  const inRing = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    for (let p = indptr[i]; p < indptr[i + 1]; p++) if (rings[edgeBond[p]]) inRing[i] = 1;
  }
  // MolOps::countAtomElec > 0 combined with isAtomConjugCand.
  const candidate = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const zi = z[i];
    const dv = zi < DEFAULT_VALENCE.length ? DEFAULT_VALENCE[zi] : -1;
    const nouter = zi < OUTER_ELECTRONS.length ? OUTER_ELECTRONS[zi] : 0;
    let elec = -1;
    if (dv > 1) {
      const deg = degree[i] + hs[i] - zeroBonds[i];
      if (deg <= 3) {
        const nlp = Math.max(nouter - dv - charge[i], 0);
        elec = dv - deg + nlp - radicals[i];
      }
    }
    const row = zi <= 10 || (nouter !== 5 && nouter !== 6) || (nouter === 6 && totalDegree[i] < 2);
    candidate[i] = row && elec > 0 ? 1 : 0;
  }
  // MolOps::setConjugation.
  const conjugated = new Uint8Array(numBonds);
  for (let e = 0; e < numBonds; e++) conjugated[e] = aromaticBond[e];
  for (let i = 0; i < n; i++) {
    if (!candidate[i]) continue;
    const sbo = degree[i] + hs[i];
    if (sbo < 2 || sbo > 3) continue;
    for (let p = indptr[i]; p < indptr[i + 1]; p++) {
      const b1 = edgeBond[p];
      if (!aromaticBond[b1] && bondOrder[b1] < 2) continue; // valence contribution < 1.5
      for (let q = indptr[i]; q < indptr[i + 1]; q++) {
        if (q === p) continue;
        const j = indices[q];
        if (degree[j] + hs[j] > 3) continue;
        if (candidate[j]) {
          conjugated[b1] = 1;
          conjugated[edgeBond[q]] = 1;
        }
      }
    }
  }
  // MolOps::setHybridization.
  const hybridization = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const zi = z[i];
    if (zi === 0) {
      hybridization[i] = HYBRIDIZATION.other;
      continue;
    }
    if ((chiral[i] === 1 || chiral[i] === 2) && totalDegree[i] === 4) {
      hybridization[i] = HYBRIDIZATION.sp3;
      continue;
    }
    let norbs: number;
    if (zi < 89) {
      const deg = totalDegree[i] - zeroBonds[i];
      if (zi <= 1) norbs = deg;
      else {
        const nouter = OUTER_ELECTRONS[zi];
        const free = nouter - (valence[i] + charge[i]);
        if (valence[i] + nouter - charge[i] < 8) {
          norbs = deg + Math.trunc((free - radicals[i]) / 2) + radicals[i];
        } else norbs = deg + Math.trunc(free / 2);
      }
    } else norbs = totalDegree[i];
    let h: number = HYBRIDIZATION.other;
    if (norbs === 2) h = HYBRIDIZATION.sp;
    else if (norbs === 3) h = HYBRIDIZATION.sp2;
    else if (norbs === 4) {
      let conj = false;
      for (let p = indptr[i]; p < indptr[i + 1]; p++) if (conjugated[edgeBond[p]]) conj = true;
      h = totalDegree[i] > 3 || !conj ? HYBRIDIZATION.sp3 : HYBRIDIZATION.sp2;
    } else if (norbs === 5) h = HYBRIDIZATION.sp3d;
    else if (norbs === 6) h = HYBRIDIZATION.sp3d2;
    hybridization[i] = h;
  }
  return { totalDegree, inRing, conjugated, hybridization };
}

const clampIndex = (v: number, lo: number, hi: number, misc: number) => (v >= lo && v <= hi ? v - lo : misc);

/** RDKit's `BondType::DATIVE`. */
const DATIVE = 17;

/**
 * The molecule as RDKit ≤ 2023 (the releases OGB's features and splits come from) sanitized it, where
 * RDKit-js (≥ 2024) differs: (1) a metal with no default valence (transition metals, lanthanides, …) gets
 * `(outer electrons − charge) mod 2` radical electrons (`assignRadicals`, RDKit ≤ 2023; later releases
 * assign none); (2) the dative bonds RDKit ≥ 2024's organometallic clean-up makes out of written single
 * bonds are single bonds again (unless the SMILES itself writes dative bonds, `->`/`<-`).
 */
export function legacyChemistry(mol: ParsedMol, smiles: string): ParsedMol {
  let radicals = mol.radicals;
  for (let i = 0; i < mol.n; i++) {
    const z = mol.z[i];
    if (z <= 0 || z >= VALENCE_LIST.length) continue;
    const list = VALENCE_LIST[z];
    if (list.length !== 1 || list[0] !== -1) continue;
    const r = Math.max(0, OUTER_ELECTRONS[z] - mol.charge[i]) % 2;
    if (r !== radicals[i]) {
      if (radicals === mol.radicals) radicals = mol.radicals.slice();
      radicals[i] = r;
    }
  }
  let bondOrder = mol.bondOrder;
  if (!/<-|->/.test(smiles) && bondOrder.includes(DATIVE)) {
    bondOrder = bondOrder.map((b) => (b === DATIVE ? 1 : b));
    // Main-group bracket atoms on those bonds: radicals as RDKit ≤ 2023 counted them with the single bond.
    const written = writtenAtoms(smiles);
    if (written?.count === mol.n) {
      if (radicals === mol.radicals) radicals = mol.radicals.slice();
      const valence = new Float64Array(mol.n);
      const touched = new Uint8Array(mol.n);
      for (let e = 0; e < mol.numBonds; e++) {
        const c = mol.aromaticBond[e] ? 1.5 : bondOrder[e];
        valence[mol.bondBegin[e]] += c;
        valence[mol.bondEnd[e]] += c;
        if (mol.bondOrder[e] === DATIVE) touched[mol.bondBegin[e]] = touched[mol.bondEnd[e]] = 1;
      }
      for (let i = 0; i < mol.n; i++) {
        if (!touched[i] || !written.bracket[i]) continue;
        const r = legacyRadicals(
          mol.z[i],
          mol.charge[i],
          Math.trunc(valence[i] + written.hydrogens[i] + 0.1),
        );
        if (r >= 0) radicals[i] = r;
      }
    }
  }
  return radicals === mol.radicals && bondOrder === mol.bondOrder ? mol : { ...mol, radicals, bondOrder };
}

/** `MolOps::assignRadicals` (RDKit ≤ 2023) for a main-group bracket atom; −1 for a metal (handled above). */
function legacyRadicals(z: number, charge: number, totalValence: number): number {
  if (z <= 0 || z >= VALENCE_LIST.length) return -1;
  const valens = VALENCE_LIST[z];
  if (valens.length === 1 && valens[0] === -1) return -1;
  const nOuter = OUTER_ELECTRONS[z];
  const base = z <= 2 ? 2 : 8;
  let r = base - nOuter - totalValence + charge;
  if (r < 0) {
    r = 0;
    if (valens.length > 1) {
      for (const v of valens) {
        if (v - totalValence + charge >= 0) {
          r = v - totalValence + charge;
          break;
        }
      }
    }
  }
  const r2 = nOuter - totalValence - charge;
  return r2 >= 0 ? Math.min(r, r2) : r;
}

/** OGB atom/bond features of a parsed molecule (see {@link legacyChemistry} for RDKit-version fixes). */
export function ogbFeatures(parsed: ParsedMol, smiles = ''): MolGraph {
  const mol = legacyChemistry(parsed, smiles);
  const { n, numBonds } = mol;
  const csr = bondsToCsr(n, mol.bondBegin, mol.bondEnd);
  const chem = atomChemistry(mol, csr);
  const atomFeatures = new Int32Array(n * 9);
  for (let i = 0; i < n; i++) {
    const o = i * 9;
    atomFeatures[o] = clampIndex(mol.z[i], 1, 118, 118);
    atomFeatures[o + 1] = mol.chiral[i];
    atomFeatures[o + 2] = clampIndex(chem.totalDegree[i], 0, 10, 11);
    atomFeatures[o + 3] = clampIndex(mol.charge[i], -5, 5, 11);
    atomFeatures[o + 4] = clampIndex(mol.hs[i], 0, 8, 9);
    atomFeatures[o + 5] = clampIndex(mol.radicals[i], 0, 4, 5);
    atomFeatures[o + 6] = chem.hybridization[i];
    atomFeatures[o + 7] = mol.aromaticAtom[i];
    atomFeatures[o + 8] = chem.inRing[i];
  }
  const nnz = csr.indices.length;
  const bondFeatures = new Int32Array(nnz * 3);
  for (let p = 0; p < nnz; p++) {
    const e = csr.edgeBond[p];
    const bo = mol.bondOrder[e];
    bondFeatures[p * 3] = mol.aromaticBond[e] ? 3 : bo >= 1 && bo <= 3 ? bo - 1 : 4;
    bondFeatures[p * 3 + 1] = mol.bondStereo[e];
    bondFeatures[p * 3 + 2] = chem.conjugated[e];
  }
  return {
    n,
    numBonds,
    atomDim: 9,
    bondDim: 3,
    atomFeatures,
    bondFeatures,
    edgeBond: csr.edgeBond,
    graph: unitGraph(n, csr.indptr, csr.indices),
  };
}

/** The OGB featurizer (`smiles2graph`). */
export const ogbFeaturizer: Featurizer = {
  name: 'ogb',
  atomDims: OGB_ATOM_DIMS,
  bondDims: OGB_BOND_DIMS,
  featurize: (mol, smiles) => ogbFeatures(mol, smiles),
};
