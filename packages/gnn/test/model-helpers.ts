// Synthetic molecule-like graphs for the model/train tests: seeded random connected graphs with one
// categorical atom feature (vocab 4) and one bond feature (types 1..3, vocab 4), LapPE/RWSE inputs and
// eigenpairs, and a target that depends on atom types, bond types and structure.
import { randomWalkDiag } from '@graphpe/encodings';
import {
  buildEdgeTypes,
  type EdgeTypeTable,
  type GraphModelConfig,
  type GraphRecord,
  maxNodesOf,
} from '@graphpe/gnn';
import { createRng, fromEdgeList, spectrum } from '@graphpe/spectral';

export interface SynthOptions {
  count?: number;
  seed?: number;
  minN?: number;
  maxN?: number;
  lapK?: number;
  rwseSteps?: number;
  tasks?: number;
  classification?: boolean;
  missing?: number;
}

/** Seeded random connected graphs (a random tree plus a few extra edges). */
export function synthRecords(o: SynthOptions = {}): GraphRecord[] {
  const rng = createRng(o.seed ?? 1);
  const count = o.count ?? 32;
  const minN = o.minN ?? 5;
  const maxN = o.maxN ?? 12;
  const lapK = o.lapK ?? 4;
  const steps = o.rwseSteps ?? 4;
  const tasks = o.tasks ?? 1;
  const out: GraphRecord[] = [];
  for (let g = 0; g < count; g++) {
    const n = minN + rng.int(maxN - minN + 1);
    const src: number[] = [];
    const dst: number[] = [];
    const types: number[] = [];
    const seen = new Set<string>();
    const add = (a: number, b: number) => {
      const key = a < b ? `${a},${b}` : `${b},${a}`;
      if (a === b || seen.has(key)) return;
      seen.add(key);
      src.push(a);
      dst.push(b);
      types.push(1 + rng.int(3));
    };
    for (let i = 1; i < n; i++) add(i, rng.int(i));
    for (let e = 0; e < 2; e++) add(rng.int(n), rng.int(n));
    const atoms = new Int32Array(n);
    for (let i = 0; i < n; i++) atoms[i] = rng.int(4);
    const graph = fromEdgeList({ src, dst }, { n });
    // directed edges in CSR order with their bond types
    const bondOf = new Map<string, number>();
    src.forEach((a, e) => {
      bondOf.set(`${a},${dst[e]}`, types[e] as number);
      bondOf.set(`${dst[e]},${a}`, types[e] as number);
    });
    const E = graph.indptr[n] as number;
    const bondFeatures = new Int32Array(E);
    for (let i = 0; i < n; i++) {
      for (let p = graph.indptr[i] as number; p < (graph.indptr[i + 1] as number); p++) {
        bondFeatures[p] = bondOf.get(`${i},${graph.indices[p]}`) as number;
      }
    }
    const sp = spectrum(graph, { k: lapK, solver: 'dense', pad: 'zero' });
    const rw = randomWalkDiag(graph, { steps });
    let ones = 0;
    for (let i = 0; i < n; i++) if (atoms[i] === 1) ones++;
    const double = types.filter((t) => t === 2).length;
    const y: number[] = [];
    for (let t = 0; t < tasks; t++) {
      const v = ones / n + (0.5 * double) / types.length + 0.05 * (src.length - n + 1) + 0.1 * t;
      if (o.classification) {
        const label = v > 0.45 + 0.05 * t ? 1 : 0;
        y.push(o.missing && rng.next() < o.missing ? Number.NaN : label);
      } else y.push(v);
    }
    out.push({
      n,
      atomFeatures: atoms,
      bondFeatures,
      graph,
      y,
      pe: Float64Array.from(sp.vectors),
      peDim: lapK,
      eig: sp,
      rwse: rw,
    } as GraphRecord & { rwse: Float64Array });
  }
  return out;
}

/** Records with `pe` set to their RWSE. */
export function withRwse(records: GraphRecord[], steps = 4): GraphRecord[] {
  return records.map((r) => ({ ...r, pe: (r as GraphRecord & { rwse: Float64Array }).rwse, peDim: steps }));
}

export function edgeTypesOf(records: GraphRecord[]): EdgeTypeTable {
  return buildEdgeTypes(records, { bondVocab: [4] });
}

/** A small model config for tests. */
export function tinyConfig(records: GraphRecord[], extra: Partial<GraphModelConfig> = {}): GraphModelConfig {
  const table = edgeTypesOf(records);
  return {
    atomVocab: [4],
    edgeTypes: { bondVocab: table.bondVocab, combos: table.combos },
    maxNodes: maxNodesOf(records),
    hidden: 16,
    layers: 2,
    seed: 3,
    ...extra,
  };
}
