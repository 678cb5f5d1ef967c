/**
 * Lazy singleton of RDKit-js (`@rdkit/rdkit`, the RDKit MinimalLib compiled to WebAssembly) for Node.
 *
 * The module is initialised once per process on first use and shared by every featurizer and split. It is
 * switched to RDKit's legacy stereo perception (`use_legacy_stereo_perception(true)`), which was the default
 * of every RDKit release before 2024.09 and therefore what OGB's `smiles2graph` and the MoleculeNet/OGB
 * scaffold splits were computed with: chirality tags are cleaned on atoms that are not stereocentres and
 * double-bond stereo is recorded relative to the CIP-highest neighbours (E/Z).
 *
 * Reference: RDKit MinimalLib, https://www.rdkitjs.com/ ; G. Landrum et al., RDKit, https://www.rdkit.org.
 */
import type { MainModule, Mol } from '@rdkit/rdkit';

export type RDKitModule = MainModule;
export type RDKitMol = Mol;

let pending: Promise<RDKitModule> | undefined;
let ready: RDKitModule | undefined;

/** The shared RDKit-js module (initialised on the first call; later calls return the same instance). */
export function getRDKit(): Promise<RDKitModule> {
  if (!pending) {
    pending = (async () => {
      const init = (await import('@rdkit/rdkit')).default as unknown as () => Promise<RDKitModule>;
      const rdkit = await init();
      rdkit.use_legacy_stereo_perception(true);
      // Warnings (e.g. 'not removing hydrogen atom without neighbors') would flood stderr in batch runs.
      rdkit.disable_logging('rdApp.warning');
      ready = rdkit;
      return rdkit;
    })();
    pending.catch(() => {
      pending = undefined;
    });
  }
  return pending;
}

/** The module if {@link getRDKit} has already resolved, else `undefined` (for synchronous hot paths). */
export function rdkitIfReady(): RDKitModule | undefined {
  return ready;
}

let errorLog: { get_buffer(): string; clear_buffer(): void } | null | undefined;

/**
 * Parse a SMILES string with RDKit-js (default sanitization, hydrogens removed, as `Chem.MolFromSmiles`).
 * Returns the molecule (the caller must `delete()` it) or the reason RDKit gives for rejecting it.
 */
export function parseSmiles(rdkit: RDKitModule, smiles: string): { mol: RDKitMol } | { reason: string } {
  if (errorLog === undefined) errorLog = rdkit.set_log_capture('rdApp.error');
  errorLog?.clear_buffer();
  const text = smiles.trim();
  // RDKit-js's get_mol also accepts molblocks and JSON; data files only ever hold SMILES.
  if (text === '' || text.startsWith('{') || text.includes('\n')) {
    return { reason: text === '' ? 'empty SMILES' : 'not a SMILES string' };
  }
  let mol: RDKitMol | null = null;
  try {
    mol = rdkit.get_mol(text);
  } catch (err) {
    return { reason: `RDKit failed: ${String(err)}` };
  }
  if (!mol?.is_valid()) {
    mol?.delete();
    const log = errorLog?.get_buffer().trim() ?? '';
    errorLog?.clear_buffer();
    return {
      reason: log ? log.split('\n').slice(-2).join(' ').replace(/\s+/g, ' ') : 'RDKit cannot parse it',
    };
  }
  return { mol };
}

/** Elements whose valence RDKit checks the same way in every release (a violation there is a real error). */
const STRICT_VALENCE = new Set(['H', 'C', 'N', 'O', 'F', 'Cl', 'Br', 'I']);

/**
 * {@link parseSmiles}, but a molecule this RDKit rejects only for the valence of an element outside
 * H, C, N, O and the halogens (e.g. hypervalent `[AlH3]`, `[B-2]`, which RDKit ≤ 2023 — and so OGB — accepted)
 * is read unsanitized instead: bonds, charges and hydrogen counts as written, aromaticity as written.
 */
export function parseSmilesLenient(
  rdkit: RDKitModule,
  smiles: string,
): { mol: RDKitMol; lenient: boolean } | { reason: string } {
  const parsed = parseSmiles(rdkit, smiles);
  if ('mol' in parsed) return { mol: parsed.mol, lenient: false };
  const m = /Explicit valence for atom # \d+ ([A-Z][a-z]?)/.exec(parsed.reason);
  if (!m || STRICT_VALENCE.has(m[1])) return parsed;
  const raw = rdkit.get_mol(smiles.trim(), JSON.stringify({ sanitize: false }));
  if (!raw?.is_valid()) {
    raw?.delete();
    return parsed;
  }
  return { mol: raw, lenient: true };
}
