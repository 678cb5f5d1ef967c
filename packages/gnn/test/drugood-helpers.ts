import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

// DrugOOD-style fixtures shared by gnn's cache tests and the OOD sweep tests of @graphpe/studies.

/** A fresh temporary folder. */
export const tmp = () => mkdtempSync(join(tmpdir(), 'graphpe-gnn-pool-'));

// A DrugOOD-style data folder: the three domain files list the same 24 molecules (20 of the ZINC fixture,
// three small ones and one SMILES RDKit cannot parse) in three orders, with different split sizes.
const zincSmiles = readFileSync(fileURLToPath(new URL('./fixtures/zinc32.csv', import.meta.url)), 'utf8')
  .trim()
  .split('\n')
  .slice(1, 21)
  .map((l) => l.split(',')[1] as string);
/** The 24 molecules of every domain file. */
export const SMILES = [...zincSmiles, 'CCO', 'c1ccncc1', 'C1CC', 'CC(=O)O'];
/** The one SMILES RDKit cannot parse. */
export const BAD = 'C1CC';
/** DrugOOD EC50 domains (one file each). */
export const DOMAINS = ['assay', 'scaffold', 'size'] as const;
/** The split names of every domain file. */
export const SETS = ['train', 'ood_val', 'ood_test', 'iid_val', 'iid_test'];

function permutation(n: number, seed: number): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  let s = seed;
  for (let i = n - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [p[i], p[j]] = [p[j] as number, p[i] as number];
  }
  return p;
}

/** A data folder holding `drugood_lbap_core_ec50/lbap_core_ec50_<domain>.json.gz` for the three domains. */
export function drugOodDir(): string {
  const dir = tmp();
  mkdirSync(join(dir, 'drugood_lbap_core_ec50'));
  DOMAINS.forEach((domain, d) => {
    const order = permutation(SMILES.length, d + 1);
    const sizes = [
      [12, 3, 3, 3, 3],
      [10, 4, 4, 3, 3],
      [14, 3, 3, 2, 2],
    ][d] as number[];
    const split: Record<string, unknown[]> = {};
    let at = 0;
    SETS.forEach((name, k) => {
      split[name] = order.slice(at, at + (sizes[k] as number)).map((i) => ({
        smiles: SMILES[i],
        reg_label: 4 + (i % 5),
        cls_label: i % 2,
        assay_id: 1000 + (i % 3),
        domain_id: (i + d) % 4,
      }));
      at += sizes[k] as number;
    });
    writeFileSync(
      join(dir, 'drugood_lbap_core_ec50', `lbap_core_ec50_${domain}.json.gz`),
      gzipSync(JSON.stringify({ cfg: {}, split, statistics: {} })),
    );
  });
  return dir;
}

/** The preprocessing cache entries (`.gpec`) in `dir`: how many and their total bytes. */
export function cacheFiles(dir: string): { count: number; bytes: number } {
  const files = readdirSync(dir).filter((f) => f.endsWith('.gpec'));
  return { count: files.length, bytes: files.reduce((a, f) => a + statSync(join(dir, f)).size, 0) };
}
