// One ZINC-shaped training batch for the step-time benchmarks (bench:encoders, bench:train):
// real ZINC-12k molecules (zinc featurizer, all eigenpairs of the normalized Laplacian, RWSE) when
// $GRAPHPE_DATA_DIR is set, else seeded random molecule-like graphs (a random tree with ~10% ring-closing
// chords, mean degree ≈ 2.2) with random atom/bond types. Step time does not depend on the values in
// the dense padded formulation, only on the shapes; real graphs give real masks and spectra.
// The batch is also written as float32 tensors (a JSON header line + raw data) for torch_ref.py.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomWalkDiag } from '../../../packages/encodings/dist/index.js';
import { fromCoo, spectrum } from '../../../packages/spectral/dist/index.js';
import { readZincSmiles } from './zinc.mjs';

export const ZINC_ATOM_TYPES = 28;
export const ZINC_BOND_TYPES = 3;
export const RWSE_STEPS = 20;

function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random molecule-like graph records (GraphRecord-compatible: graph CSR + atom/bond features). */
function randomRecords(count, maxNodes, seed) {
  const r = rng(seed);
  const out = [];
  for (let g = 0; g < count; g++) {
    const n = 9 + Math.floor(r() * (maxNodes - 8)); // 9..maxNodes, ZINC-12k: 9..37, mean 23
    const src = [];
    const dst = [];
    for (let i = 1; i < n; i++) {
      src.push(i);
      dst.push(Math.max(0, i - 1 - Math.floor(r() * 3)));
    }
    const chords = Math.round(0.1 * n);
    const seen = new Set();
    for (let c = 0; c < chords; c++) {
      const i = Math.floor(r() * n);
      const j = Math.floor(r() * n);
      const key = Math.min(i, j) * maxNodes + Math.max(i, j);
      if (Math.abs(i - j) > 3 && !seen.has(key)) {
        seen.add(key);
        src.push(i);
        dst.push(j);
      }
    }
    const graph = fromCoo(src, dst, undefined, { n });
    const atomFeatures = new Int32Array(n);
    for (let i = 0; i < n; i++) atomFeatures[i] = Math.floor(r() * ZINC_ATOM_TYPES);
    const E = graph.indices.length;
    const bondFeatures = new Int32Array(E);
    // symmetric bond types: the type of {i, j} from a hash of the pair
    for (let i = 0; i < n; i++) {
      for (let p = graph.indptr[i]; p < graph.indptr[i + 1]; p++) {
        const j = graph.indices[p];
        bondFeatures[p] = (Math.min(i, j) * 31 + Math.max(i, j) * 17 + seed) % ZINC_BOND_TYPES;
      }
    }
    out.push({ n, graph, atomFeatures, bondFeatures, y: [r() * 4 - 2] });
  }
  return out;
}

/** ZINC-12k training molecules (the first `count` rows of the train split), featurized with gnn's zinc featurizer. */
async function zincRecords(dir, count) {
  const { featurizeSmiles } = await import('../../../packages/gnn/dist/index.js');
  const rows = readZincSmiles(join(dir, 'zinc', 'zinc12k.csv'));
  const file = join(dir, 'zinc', 'zinc12k.csv');
  // readZincSmiles keeps smiles/atoms/bonds; the target y is read separately (column 'y').
  const { readFileSync } = await import('node:fs');
  const lines = readFileSync(file, 'utf8').split('\n');
  const header = lines[0].split(',');
  const iY = header.indexOf('y');
  const iSplit = header.indexOf('split');
  const picked = [];
  for (let l = 1; l < lines.length && picked.length < count; l++) {
    if (!lines[l]) continue;
    const f = lines[l].split(',');
    if (iSplit >= 0 && f[iSplit] !== 'train') continue;
    picked.push({ smiles: rows[l - 1].smiles, y: Number(f[iY]) });
  }
  const { graphs } = await featurizeSmiles(
    picked.map((p) => p.smiles),
    'zinc',
  );
  return graphs.map((g, i) => ({ ...g, y: [picked[i].y] }));
}

/**
 * `count` graph records with eigenpairs (all n pairs of the sym-normalized Laplacian, K = maxNodes
 * columns) and RWSE (20 steps). Returns { records, source }.
 */
export async function benchRecords({ count = 128, maxNodes = 38, seed = 1 } = {}) {
  const dir = process.env.GRAPHPE_DATA_DIR;
  let records;
  let source;
  if (dir) {
    records = await zincRecords(dir, count);
    source = `ZINC-12k train rows 1–${count} from ${join(dir, 'zinc', 'zinc12k.csv')} (zinc featurizer)`;
  } else {
    records = randomRecords(count, maxNodes, seed);
    source = `random molecule-like graphs (seed ${seed}; GRAPHPE_DATA_DIR unset)`;
  }
  const out = records.map((r) => {
    const sp = spectrum(r.graph, { k: maxNodes, laplacian: 'sym' });
    const pe = Float32Array.from(randomWalkDiag(r.graph, { steps: RWSE_STEPS }));
    const mask = Float32Array.from(sp.mask);
    return {
      ...r,
      pe,
      peDim: RWSE_STEPS,
      eig: { k: sp.k, values: sp.values, vectors: sp.vectors, mask },
      spectrum: sp,
    };
  });
  const sizes = out.map((r) => r.n);
  const mean = sizes.reduce((a, b) => a + b, 0) / sizes.length;
  return {
    records: out,
    source: `${source}; n ${Math.min(...sizes)}–${Math.max(...sizes)}, mean ${mean.toFixed(1)}`,
  };
}

/** Writes named float32 tensors: one JSON header line {name: shape}, then the raw data in header order. */
export function writeTensors(file, tensors) {
  const header = {};
  const parts = [];
  for (const [name, { shape, data }] of Object.entries(tensors)) {
    const size = shape.reduce((a, b) => a * b, 1);
    if (data.length !== size) throw new Error(`${name}: ${data.length} values for shape [${shape}]`);
    header[name] = shape;
    parts.push(Buffer.from(Float32Array.from(data).buffer));
  }
  writeFileSync(file, Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), ...parts]));
}
