/**
 * Bemis–Murcko scaffolds (Bemis & Murcko, J. Med. Chem. 39 (1996) 2887) as RDKit computes them for
 * `MurckoScaffold.MurckoScaffoldSmiles(smiles, includeChirality)`, which is what the OGB / pretrain-gnns /
 * DeepChem scaffold split groups molecules by.
 *
 * RDKit-js has no Murcko API, so RDKit's `MurckoDecompose` (`Code/GraphMol/ChemTransforms/ChemTransforms.cpp`)
 * is replayed on the molecule's JSON and the result is handed back to RDKit-js for sanitization and canonical
 * SMILES:
 *   1. keep every ring atom and every atom on a path between two ring atoms (= prune non-ring leaves until
 *      none is left; the shortest ring-to-ring paths RDKit walks are unique outside rings);
 *   2. also keep a removed atom that is doubly bonded to a kept atom (exocyclic `=O`, `=C`, …);
 *   3. a kept atom that lost a neighbour loses its chirality tag unless it is aromatic, and gets RDKit's
 *      hydrogen count: one explicit H on an aromatic heteroatom, otherwise implicit Hs recomputed by
 *      RDKit's valence rules (bracket Hs dropped) — see `murckoHydrogens`;
 *   4. double-bond stereo survives only where each end keeps a bond written with a direction (`/` or `\`) in
 *      the SMILES, because RDKit's legacy perception re-derives it from those directions; a removed
 *      reference atom is replaced by the end's other kept neighbour (cis ↔ trans).
 * Only the grouping matters for the split, so canonical SMILES differences between RDKit versions are
 * harmless as long as equal scaffolds stay equal.
 */
import { implicitHydrogens } from './elements.js';
import { bondsToCsr, ringBonds } from './mol-graph.js';
import { type ParsedMol, parseMolJson } from './mol-json.js';
import { parseSmiles, type RDKitModule } from './rdkit.js';
import { directionalBonds, writtenAtoms } from './smiles-atoms.js';

/** Options of {@link murckoScaffoldSmiles}. */
export interface ScaffoldOptions {
  /** Keep stereo (chirality, double-bond stereo, isotopes) in the scaffold SMILES [true, as OGB]. */
  includeChirality?: boolean;
}

interface JsonAtom {
  impHs?: number;
  stereo?: string;
  isotope?: number;
  [k: string]: unknown;
}
interface JsonBond {
  atoms: [number, number];
  stereo?: string;
  stereoAtoms?: [number, number];
  [k: string]: unknown;
}

/** Atoms kept by RDKit's `MurckoDecompose` (steps 1–2 of the module header). */
export function murckoKeep(
  n: number,
  begin: Int32Array,
  end: Int32Array,
  bondOrder: Int32Array,
  aromaticBond: Uint8Array,
): Uint8Array {
  const csr = bondsToCsr(n, begin, end);
  const { indptr, indices, edgeBond } = csr;
  const ring = ringBonds(n, indptr, indices, edgeBond, begin.length);
  const keep = new Uint8Array(n);
  const deg = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    deg[i] = indptr[i + 1] - indptr[i];
    for (let p = indptr[i]; p < indptr[i + 1]; p++) if (ring[edgeBond[p]]) keep[i] = 1;
  }
  // Prune non-ring leaves; what survives lies between ring atoms.
  const alive = new Uint8Array(n).fill(1);
  const queue = new Int32Array(n);
  let qh = 0;
  let qt = 0;
  for (let i = 0; i < n; i++) if (!keep[i] && deg[i] <= 1) queue[qt++] = i;
  while (qh < qt) {
    const u = queue[qh++];
    alive[u] = 0;
    for (let p = indptr[u]; p < indptr[u + 1]; p++) {
      const v = indices[p];
      if (alive[v] && !keep[v] && --deg[v] === 1) queue[qt++] = v;
    }
  }
  for (let i = 0; i < n; i++) if (alive[i]) keep[i] = 1;
  // Atoms doubly bonded to a kept atom stay.
  const out = keep.slice();
  for (let e = 0; e < begin.length; e++) {
    if (aromaticBond[e] || bondOrder[e] !== 2) continue;
    const a = begin[e];
    const b = end[e];
    if (keep[a] && !keep[b]) out[b] = 1;
    else if (keep[b] && !keep[a]) out[a] = 1;
  }
  return out;
}

/**
 * The Murcko scaffold SMILES of a SMILES string (RDKit canonical, isomeric when `includeChirality`), `''` for
 * a molecule without rings; `undefined` when RDKit cannot parse the SMILES.
 */
export function murckoScaffoldSmiles(
  rdkit: RDKitModule,
  smiles: string,
  options: ScaffoldOptions = {},
): string | undefined {
  const includeChirality = options.includeChirality ?? true;
  let parsed = parseSmiles(rdkit, smiles);
  if ('reason' in parsed) {
    // Molecules this RDKit rejects on sanitization (e.g. hypervalent [AlH3], accepted by RDKit ≤ 2023) can
    // still have a sanitizable scaffold, as they had for OGB: read them unsanitized.
    const text = smiles.trim();
    if (text === '' || text.startsWith('{') || text.includes('\n')) return undefined;
    const raw = rdkit.get_mol(text, JSON.stringify({ sanitize: false }));
    if (!raw?.is_valid()) {
      raw?.delete();
      return undefined;
    }
    parsed = { mol: raw };
  }
  let text: string;
  try {
    text = parsed.mol.get_json();
  } finally {
    parsed.mol.delete();
  }
  const mol = parseMolJson(text);
  const { n, numBonds, bondBegin, bondEnd, bondOrder, aromaticBond, aromaticAtom, z } = mol;
  if (n === 0) return '';
  const keep = murckoKeep(n, bondBegin, bondEnd, bondOrder, aromaticBond);
  let kept = 0;
  for (let i = 0; i < n; i++) kept += keep[i];
  if (kept === 0) return '';
  const doc = JSON.parse(text) as {
    molecules: { atoms: JsonAtom[]; bonds?: JsonBond[]; extensions?: unknown }[];
    [k: string]: unknown;
  };
  const jm = doc.molecules[0];
  const lost = new Int32Array(n);
  for (let e = 0; e < numBonds; e++) {
    const a = bondBegin[e];
    const b = bondEnd[e];
    if (keep[a] && !keep[b]) lost[a]++;
    else if (keep[b] && !keep[a]) lost[b]++;
  }
  // Written atoms and bond directions (indices = RDKit's for a SMILES without explicit [H] atoms).
  const written0 = writtenAtoms(smiles);
  const written = written0?.count === n ? written0 : undefined;
  const directional = written ? directionalBonds(smiles) : undefined;
  const keptValence = new Float64Array(n);
  for (let e = 0; e < numBonds; e++) {
    if (!keep[bondBegin[e]] || !keep[bondEnd[e]]) continue;
    const c = aromaticBond[e] ? 1.5 : bondOrder[e];
    keptValence[bondBegin[e]] += c;
    keptValence[bondEnd[e]] += c;
  }
  const remap = new Int32Array(n).fill(-1);
  const atoms: JsonAtom[] = [];
  for (let i = 0; i < n; i++) {
    if (!keep[i]) continue;
    remap[i] = atoms.length;
    const atom: JsonAtom = { ...jm.atoms[i] };
    if (lost[i] > 0) {
      const aromatic = aromaticAtom[i] === 1;
      const heteroAromatic = aromatic && z[i] !== 6;
      const cation = aromatic && z[i] === 6 && mol.charge[i] === 1;
      if (!heteroAromatic && !cation) delete atom.stereo;
      atom.impHs = written
        ? murckoHydrogens(
            i,
            mol,
            written.bracket[i] === 1,
            written.hydrogens[i],
            keptValence[i],
            heteroAromatic,
            cation,
          )
        : mol.hs[i] + lost[i];
    }
    if (!includeChirality) {
      delete atom.stereo;
      delete atom.isotope;
    }
    atoms.push(atom);
  }
  const bonds: JsonBond[] = [];
  /** Double-bond stereo to restore after the legacy pass: [kept begin, kept end, ref0, ref1, cis]. */
  const stereo: [number, number, number, number, boolean][] = [];
  for (let e = 0; e < numBonds; e++) {
    if (!keep[bondBegin[e]] || !keep[bondEnd[e]]) continue;
    const bond: JsonBond = { ...(jm.bonds ?? [])[e] };
    bond.atoms = [remap[bondBegin[e]], remap[bondEnd[e]]];
    if (includeChirality && bond.stereoAtoms && (bond.stereo === 'cis' || bond.stereo === 'trans')) {
      const ref = [bond.stereoAtoms[0], bond.stereoAtoms[1]];
      let flip = false;
      let keepStereo = true;
      for (let k = 0; k < 2; k++) {
        const atom = k === 0 ? bondBegin[e] : bondEnd[e];
        const other = k === 0 ? bondEnd[e] : bondBegin[e];
        // Legacy perception re-derives the stereo from the written bond directions: an end needs a kept
        // directional bond (when the directions are known).
        if (directional) {
          let ok = false;
          for (const [u, v] of directional) {
            const nb = u === atom ? v : v === atom ? u : -1;
            if (nb >= 0 && nb !== other && keep[nb]) ok = true;
          }
          if (!ok) keepStereo = false;
        }
        if (keep[ref[k]]) continue;
        // The reference atom is gone: use the end's other kept neighbour, on the opposite side.
        ref[k] = -1;
        for (let f = 0; f < numBonds; f++) {
          const nb = bondBegin[f] === atom ? bondEnd[f] : bondEnd[f] === atom ? bondBegin[f] : -1;
          if (nb >= 0 && nb !== other && keep[nb]) ref[k] = nb;
        }
        flip = !flip;
      }
      if (keepStereo && ref[0] >= 0 && ref[1] >= 0) {
        stereo.push([
          bond.atoms[0],
          bond.atoms[1],
          remap[ref[0]],
          remap[ref[1]],
          (bond.stereo === 'cis') !== flip,
        ]);
      }
    }
    delete bond.stereo;
    delete bond.stereoAtoms;
    bonds.push(bond);
  }
  jm.atoms = atoms;
  jm.bonds = bonds;
  delete jm.extensions;
  // Pass 1 (legacy perception, as Python RDKit ≤ 2024.03): sanitize and clean chirality tags. RDKit-js's
  // legacy perception ignores double-bond stereo read from JSON (it only trusts bond directions), so that
  // is put back in pass 2, read with the new perception, on the bonds that are still stereogenic by the
  // legacy CIP ranks.
  const first = rdkit.get_mol(JSON.stringify(doc));
  if (!first?.is_valid()) {
    first?.delete();
    // A scaffold this RDKit will not sanitize (hypervalent Al/B/Ge kept in a ring): canonical SMILES of
    // the unsanitized scaffold, still a faithful grouping key.
    const raw = rdkit.get_mol(JSON.stringify(doc), JSON.stringify({ sanitize: false }));
    try {
      return raw?.is_valid() ? raw.get_smiles() : undefined;
    } finally {
      raw?.delete();
    }
  }
  if (stereo.length === 0) {
    try {
      return first.get_smiles();
    } finally {
      first.delete();
    }
  }
  let second: ReturnType<RDKitModule['get_mol']>;
  try {
    const doc2 = JSON.parse(first.get_json()) as typeof doc;
    const m2 = doc2.molecules[0];
    const ext = (m2.extensions as { name: string; cipRanks?: number[] }[] | undefined)?.find(
      (x) => x.name === 'rdkitRepresentation',
    );
    const cip = ext?.cipRanks;
    const b2 = m2.bonds ?? [];
    for (const [a, b, r0, r1, cis] of stereo) {
      const bond = b2.find(
        (x) => (x.atoms[0] === a && x.atoms[1] === b) || (x.atoms[0] === b && x.atoms[1] === a),
      );
      if (!bond || (cip && (!distinctNeighbours(b2, a, b, cip) || !distinctNeighbours(b2, b, a, cip))))
        continue;
      const forward = bond.atoms[0] === a;
      bond.stereo = cis ? 'cis' : 'trans';
      bond.stereoAtoms = forward ? [r0, r1] : [r1, r0];
    }
    delete m2.extensions;
    const legacy = rdkit.use_legacy_stereo_perception(false);
    try {
      second = rdkit.get_mol(JSON.stringify(doc2));
    } finally {
      rdkit.use_legacy_stereo_perception(legacy);
    }
  } finally {
    first.delete();
  }
  if (!second?.is_valid()) {
    second?.delete();
    return undefined;
  }
  try {
    return second.get_smiles();
  } finally {
    second.delete();
  }
}

/** Whether `atom`'s neighbours other than `partner` have pairwise different CIP ranks (a stereogenic end). */
function distinctNeighbours(
  bonds: readonly JsonBond[],
  atom: number,
  partner: number,
  cip: readonly number[],
): boolean {
  const ranks: number[] = [];
  for (const b of bonds) {
    const nb = b.atoms[0] === atom ? b.atoms[1] : b.atoms[1] === atom ? b.atoms[0] : -1;
    if (nb >= 0 && nb !== partner) ranks.push(cip[nb]);
  }
  return !(ranks.length === 2 && ranks[0] === ranks[1]);
}

/**
 * Hydrogen count of a kept atom that lost neighbours, as `MurckoDecompose` + sanitization leave it: an
 * aromatic heteroatom gets one explicit H (plus implicit ones unless it was a bracket atom); an aromatic
 * carbocation and every other atom get their implicit Hs recomputed (bracket atoms lose their written Hs,
 * except the carbocation). Valences are computed before Kekulization, aromatic bonds counting 1.5.
 */
function murckoHydrogens(
  i: number,
  mol: ParsedMol,
  bracket: boolean,
  writtenHs: number,
  keptValence: number,
  heteroAromatic: boolean,
  cation: boolean,
): number {
  const aromatic = mol.aromaticAtom[i] === 1;
  const implicit = (explicitHs: number) =>
    implicitHydrogens(
      mol.z[i],
      mol.charge[i],
      Math.round(keptValence + explicitHs + 0.1),
      mol.radicals[i],
      aromatic,
    );
  if (heteroAromatic) return 1 + (bracket ? 0 : implicit(1));
  const explicitHs = cation && bracket ? writtenHs : 0;
  return explicitHs + implicit(explicitHs);
}
