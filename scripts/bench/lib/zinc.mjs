// Heavy-atom molecule graphs of ZINC from $GRAPHPE_DATA_DIR/zinc, parsed with RDKit-js,
// packed as edge lists (and written as a binary file the Python reference reads).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** The data directory: $GRAPHPE_DATA_DIR or ~/.cache/graphpe. */
export function dataDir() {
  return process.env.GRAPHPE_DATA_DIR ?? join(homedir(), '.cache', 'graphpe');
}

/** Read the SMILES column (and heavy-atom/bond counts when present) of a ZINC CSV. */
export function readZincSmiles(file) {
  if (!existsSync(file)) {
    throw new Error(`ZINC file not found: ${file} (set GRAPHPE_DATA_DIR to the folder holding zinc/)`);
  }
  let text = readFileSync(file);
  if (file.endsWith('.gz')) text = gunzipSync(text);
  const lines = text.toString('utf8').split('\n');
  const header = lines[0].split(',');
  const iS = header.indexOf('smiles');
  const iA = header.indexOf('num_atoms');
  const iB = header.indexOf('num_bonds');
  const rows = [];
  for (let l = 1; l < lines.length; l++) {
    if (!lines[l]) continue;
    const f = lines[l].split(',');
    rows.push({ smiles: f[iS], atoms: iA >= 0 ? Number(f[iA]) : -1, bonds: iB >= 0 ? Number(f[iB]) : -1 });
  }
  return rows;
}

/** Parse SMILES into { n, src: Int32Array, dst: Int32Array } heavy-atom graphs, checking the CSV's counts. */
export async function smilesToGraphs(rows) {
  const init = (await import('@rdkit/rdkit')).default;
  const RDKit = await init();
  const out = [];
  for (let i = 0; i < rows.length; i++) {
    const mol = RDKit.get_mol(rows[i].smiles);
    if (!mol?.is_valid()) throw new Error(`row ${i + 1}: RDKit cannot parse SMILES ${rows[i].smiles}`);
    const m = JSON.parse(mol.get_json()).molecules[0];
    mol.delete();
    const bonds = m.bonds ?? [];
    const src = new Int32Array(bonds.length);
    const dst = new Int32Array(bonds.length);
    bonds.forEach((b, e) => {
      src[e] = b.atoms[0];
      dst[e] = b.atoms[1];
    });
    const n = m.atoms.length;
    if (
      (rows[i].atoms >= 0 && n !== rows[i].atoms) ||
      (rows[i].bonds >= 0 && bonds.length !== rows[i].bonds)
    ) {
      throw new Error(
        `row ${i + 1}: ${n} atoms/${bonds.length} bonds, CSV says ${rows[i].atoms}/${rows[i].bonds}`,
      );
    }
    out.push({ n, src, dst });
  }
  return out;
}

/** Binary layout for Python: int32 count, int32 n[count], int32 m[count], then int32 (src, dst) pairs. */
export function writeEdgeListsBinary(file, graphs) {
  const count = graphs.length;
  let total = 0;
  for (const g of graphs) total += g.src.length;
  const buf = new Int32Array(1 + 2 * count + 2 * total);
  buf[0] = count;
  let p = 1 + 2 * count;
  graphs.forEach((g, i) => {
    buf[1 + i] = g.n;
    buf[1 + count + i] = g.src.length;
    for (let e = 0; e < g.src.length; e++) {
      buf[p++] = g.src[e];
      buf[p++] = g.dst[e];
    }
  });
  writeFileSync(file, new Uint8Array(buf.buffer));
}

/** Read the packed edge lists written by writeEdgeListsBinary. */
export function readEdgeListsBinary(file) {
  const b = readFileSync(file);
  const a = new Int32Array(b.buffer, b.byteOffset, b.byteLength >> 2);
  const count = a[0];
  const out = new Array(count);
  let p = 1 + 2 * count;
  for (let i = 0; i < count; i++) {
    const n = a[1 + i];
    const m = a[1 + count + i];
    const src = new Int32Array(m);
    const dst = new Int32Array(m);
    for (let e = 0; e < m; e++) {
      src[e] = a[p++];
      dst[e] = a[p++];
    }
    out[i] = { n, src, dst };
  }
  return out;
}
