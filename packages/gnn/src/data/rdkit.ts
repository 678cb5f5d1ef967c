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
