#!/usr/bin/env node
// Export a molecular dataset exactly as `graphpe train` feeds it to the trainer, as .npy files + meta.json
// for scripts/bench/torch_train.py (the PyTorch side of scripts/bench/quality.mjs).
//
// Everything comes from @graphpe/gnn's own pipeline, as packages/gnn/src/train/run.ts runs it:
// loadPreparedDataset (featurizer, eigenpairs of the sym Laplacian, RWSE; read from / written to the PE
// cache, GRAPHPE_CACHE_DIR), splitDataset + limitSplits (--limit: the first rows of every split in
// proportion), datasetModelConfig (edge types from the training rows, padding, eigK), graphRecords (the
// per-PE inputs) and collate (the model's input encoding). Each graph is collated on its own, unpadded
// (maxNodes = n), and the dense batch is turned back into ragged arrays, so the node multi-hot, the edge
// list with edge types (self-loops dropped, duplicates merged, as collate does), the targets + label mask,
// the RWSE rows (non-finite → 0) and the eigenpairs (k = eigK columns, padding masked) are the values the
// model sees. Padding per batch is the reader's job (the GINE/SPE math is padding-invariant).
//
// Layout of --out (G graphs and Σn nodes per split; s = train | valid | test; all little-endian):
//   meta.json                 config, sizes, vocabularies, PE settings, file list with dtype/shape
//   edge_type_multihot.npy    f4 [T, ΣVb]: bond multi-hot of each edge type (GINE's edge table)
//   s_rows.npy                i4 [G]: dataset row of each graph
//   s_num_nodes.npy           i4 [G];  s_node_ptr.npy i4 [G+1]
//   s_x.npy                   u1 [Σn, ΣV]: atom multi-hot (collate's nodeFeatures)
//   s_edge_ptr.npy            i4 [G+1]; s_edge_src.npy, s_edge_dst.npy, s_edge_type.npy i4 [ΣE]
//                             (directed edge src → dst, local node ids; the message from src arrives at dst)
//   s_y.npy, s_y_mask.npy     f4 [G, T_y]
//   s_rwse.npy                f4 [Σn, P]                      (--pe rwse|all)
//   s_eig_values.npy          f4 [G, K]; s_eig_mask.npy f4 [G, K]; s_eig_vectors.npy f4 [Σn, K]  (--pe spe|all)
//   train_order.npy           i4 [E, G_train]: the trainer's shuffle of every epoch (--shuffle-epochs E)
//
// Usage: GRAPHPE_DATA_DIR=… [GRAPHPE_CACHE_DIR=…] node scripts/bench/export-train-data.mjs --out DIR
//   [--dataset zinc] [--limit N] [--pe none|rwse|spe|all] [--split official] [--seed 0] [--k K]
//   [--rwse-steps 20] [--shuffle-epochs E] [--data-dir DIR] [--workers N]
// Build first: npx tsc -b packages/cli
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { encodeNpy } from '../../packages/cli/dist/index.js';
import { SpeEncoder } from '../../packages/encodings/dist/learned/index.js';
import * as G from '../../packages/gnn/dist/index.js';

const PES = ['none', 'rwse', 'spe', 'all'];

function parseArgs(argv) {
  const o = {
    dataset: 'zinc',
    pe: 'all',
    split: 'official',
    seed: 0,
    rwseSteps: 20,
    out: null,
    limit: undefined,
    k: undefined,
    shuffleEpochs: 0,
    dataDir: undefined,
    workers: undefined,
  };
  const int = (name, v, min) => {
    const x = Number(v);
    if (!Number.isInteger(x) || x < min) throw new Error(`--${name} must be an integer ≥ ${min} (got ${v})`);
    return x;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--out' || a === '-o') o.out = v();
    else if (a === '--dataset') o.dataset = v();
    else if (a === '--pe') o.pe = v();
    else if (a === '--split') o.split = v();
    else if (a === '--seed') o.seed = int('seed', v(), 0);
    else if (a === '--limit') o.limit = int('limit', v(), 1);
    else if (a === '--k') o.k = int('k', v(), 1);
    else if (a === '--rwse-steps') o.rwseSteps = int('rwse-steps', v(), 1);
    else if (a === '--shuffle-epochs') o.shuffleEpochs = int('shuffle-epochs', v(), 0);
    else if (a === '--data-dir') o.dataDir = v();
    else if (a === '--workers') o.workers = int('workers', v(), 1);
    else if (a === '--help' || a === '-h') {
      process.stdout.write(
        'node scripts/bench/export-train-data.mjs --out DIR [--dataset zinc] [--limit N] [--pe none|rwse|spe|all] [--split official] [--seed 0] [--k K] [--rwse-steps 20] [--shuffle-epochs E] [--data-dir DIR] [--workers N]\n',
      );
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  if (!o.out) throw new Error('--out DIR is required');
  if (!PES.includes(o.pe)) throw new Error(`--pe must be one of ${PES.join(', ')}`);
  return o;
}

/** Ragged arrays of one split: every record collated alone (maxNodes = n) with `spec`. */
function exportSplit(records, spec, { rwse, eig }) {
  const Gn = records.length;
  const D = spec.atomVocab.reduce((a, b) => a + b, 0);
  const Ty = spec.numTargets;
  const P = spec.peDim ?? 0;
  const K = spec.eigK ?? 0;
  const numNodes = new Int32Array(Gn);
  const nodePtr = new Int32Array(Gn + 1);
  for (let g = 0; g < Gn; g++) {
    numNodes[g] = records[g].n;
    nodePtr[g + 1] = nodePtr[g] + records[g].n;
  }
  const total = nodePtr[Gn];
  const x = new Uint8Array(total * D);
  const y = new Float32Array(Gn * Ty);
  const yMask = new Float32Array(Gn * Ty);
  const pe = rwse ? new Float32Array(total * P) : null;
  const eigValues = eig ? new Float32Array(Gn * K) : null;
  const eigMask = eig ? new Float32Array(Gn * K) : null;
  const eigVectors = eig ? new Float32Array(total * K) : null;
  const edgePtr = new Int32Array(Gn + 1);
  const src = [];
  const dst = [];
  const type = [];
  let T = 0;
  for (let g = 0; g < Gn; g++) {
    const r = records[g];
    const n = r.n;
    const b = G.collate([r], { ...spec, maxNodes: Math.max(1, n) });
    const N = b.maxNodes;
    T = b.numEdgeTypes;
    const o = nodePtr[g];
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < D; c++) x[(o + i) * D + c] = b.nodeFeatures[i * D + c];
    }
    y.set(b.targets, g * Ty);
    yMask.set(b.labelMask, g * Ty);
    if (pe) pe.set(b.pe.subarray(0, n * P), o * P);
    if (eig) {
      eigValues.set(b.eigValues, g * K);
      eigMask.set(b.eigMask, g * K);
      eigVectors.set(b.eigVectors.subarray(0, n * K), o * K);
    }
    // edgeAdjacency [1, N, T·N]: 1 at (dst, t·N + src)
    const TN = T * N;
    for (let i = 0; i < n; i++) {
      for (let t = 0; t < T; t++) {
        for (let j = 0; j < n; j++) {
          if (b.edgeAdjacency[i * TN + t * N + j] === 1) {
            src.push(j);
            dst.push(i);
            type.push(t);
          }
        }
      }
    }
    edgePtr[g + 1] = src.length;
  }
  const arrays = {
    num_nodes: [numNodes, [Gn]],
    node_ptr: [nodePtr, [Gn + 1]],
    x: [x, [total, D]],
    edge_ptr: [edgePtr, [Gn + 1]],
    edge_src: [Int32Array.from(src), [src.length]],
    edge_dst: [Int32Array.from(dst), [dst.length]],
    edge_type: [Int32Array.from(type), [type.length]],
    y: [y, [Gn, Ty]],
    y_mask: [yMask, [Gn, Ty]],
  };
  if (pe) arrays.rwse = [pe, [total, P]];
  if (eig) {
    arrays.eig_values = [eigValues, [Gn, K]];
    arrays.eig_mask = [eigMask, [Gn, K]];
    arrays.eig_vectors = [eigVectors, [total, K]];
  }
  return { arrays, T };
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const t0 = performance.now();
  const out = resolve(o.out);
  mkdirSync(out, { recursive: true });
  // As runTraining: eigenpairs always, RWSE with rwseSteps (one cache file for every PE).
  const prepOpts = { eigen: true, rwseSteps: o.rwseSteps };
  if (o.dataDir !== undefined) prepOpts.dataDir = o.dataDir;
  if (o.workers !== undefined) prepOpts.workers = o.workers;
  const ds = await G.loadPreparedDataset(o.dataset, prepOpts);
  const splits = G.limitSplits(await G.splitDataset(ds, o.split, { seed: o.seed }), o.limit);
  const wantRwse = o.pe === 'rwse' || o.pe === 'all';
  const wantSpe = o.pe === 'spe' || o.pe === 'all';
  // Model configs as runTraining builds them (k only for learned PEs; the edge types do not depend on pe).
  const cfgOf = (pe) => {
    const opts = { pe, seed: o.seed };
    if (o.k !== undefined && pe === 'spe') opts.k = o.k;
    return G.resolveModelConfig(G.datasetModelConfig({ ...ds, splits }, opts));
  };
  const base = cfgOf('none');
  const rwseCfg = wantRwse ? cfgOf('rwse') : null;
  const speCfg = wantSpe ? cfgOf('spe') : null;
  if (speCfg && speCfg.eigK < base.maxNodes) {
    process.stderr.write(
      `export: warning: --k ${speCfg.eigK} < ${base.maxNodes} atoms truncates spectra (graphpe train needs --no-basis-invariant for that)\n`,
    );
  }
  const spec = {
    atomVocab: base.atomVocab,
    edgeTypes: base.edgeTypes,
    maxNodes: base.maxNodes,
    numTargets: base.numTargets,
    peDim: rwseCfg ? rwseCfg.peDim : 0,
    eigK: speCfg ? speCfg.eigK : 0,
  };
  const files = {};
  const save = (name, data, shape) => {
    writeFileSync(join(out, `${name}.npy`), encodeNpy(data, shape));
    files[name] = {
      dtype: { Uint8Array: 'u1', Int32Array: 'i4', Float32Array: 'f4' }[data.constructor.name],
      shape,
    };
  };
  const table = G.edgeTypeTable(base.edgeTypes);
  save('edge_type_multihot', table.multiHot, [table.numTypes, table.multiHot.length / table.numTypes]);
  const splitSizes = {};
  const nodeStats = {};
  for (const name of ['train', 'valid', 'test']) {
    const rows = splits[name];
    if (!rows || rows.length === 0) continue;
    splitSizes[name] = rows.length;
    // One record per graph with every PE input asked for (rwse → pe, spe → eig), as graphRecords builds them.
    const recs = G.graphRecords(ds, rows, { pe: 'none' });
    const rw = wantRwse ? G.graphRecords(ds, rows, { pe: 'rwse' }) : null;
    const sp = wantSpe ? G.graphRecords(ds, rows, { pe: 'spe' }) : null;
    const merged = recs.map((r, i) => ({
      ...r,
      ...(rw ? { pe: rw[i].pe, peDim: rw[i].peDim } : {}),
      ...(sp ? { eig: sp[i].eig } : {}),
    }));
    const { arrays } = exportSplit(merged, spec, { rwse: wantRwse, eig: wantSpe });
    save(`${name}_rows`, Int32Array.from(rows), [rows.length]);
    for (const [k, [data, shape]] of Object.entries(arrays)) save(`${name}_${k}`, data, shape);
    const n = arrays.num_nodes[0];
    nodeStats[name] = {
      min: Math.min(...n),
      max: Math.max(...n),
      mean: n.reduce((a, b) => a + b, 0) / n.length,
    };
  }
  if (o.shuffleEpochs > 0) {
    const nTrain = splitSizes.train;
    const orders = new Int32Array(o.shuffleEpochs * nTrain);
    for (let e = 1; e <= o.shuffleEpochs; e++)
      orders.set(G.trainingOrder(nTrain, o.seed, e), (e - 1) * nTrain);
    save('train_order', orders, [o.shuffleEpochs, nTrain]);
  }
  const spe = new SpeEncoder({});
  const meta = {
    kind: 'graphpe-train-export',
    graphpeVersion: G.GRAPHPE_VERSION,
    dataset: ds.name,
    task: ds.task,
    metric: ds.metric,
    featurizer: ds.featurizer ?? null,
    split: o.split,
    limit: o.limit ?? null,
    seed: o.seed,
    pe: o.pe,
    cacheFile: ds.cacheFile ?? null,
    splitSizes,
    nodeStats,
    atomVocab: base.atomVocab,
    nodeDim: base.atomVocab.reduce((a, b) => a + b, 0),
    edgeTypes: base.edgeTypes,
    numEdgeTypes: table.numTypes,
    bondDim: table.multiHot.length / table.numTypes,
    maxNodes: base.maxNodes,
    numTargets: base.numTargets,
    rwse: rwseCfg ? { steps: o.rwseSteps, peDim: rwseCfg.peDim } : null,
    spe: speCfg ? { k: speCfg.eigK, laplacian: 'sym', padding: 'zero, eig_mask 0' } : null,
    // SpeEncoder's defaults (what `graphpe train --pe spe` uses for options not given).
    speDefaults: {
      m: spe.m,
      phi: spe.phi,
      phiHidden: spe.phiHidden,
      rhoLayers: spe.rhoLayers,
      rhoHidden: spe.rhoHidden,
      outDim: spe.outDim,
    },
    shuffle: o.shuffleEpochs > 0 ? { epochs: o.shuffleEpochs, seed: o.seed, file: 'train_order' } : null,
    files,
    exportTimeS: (performance.now() - t0) / 1000,
  };
  writeFileSync(join(out, 'meta.json'), `${JSON.stringify(meta, null, 2)}\n`);
  process.stderr.write(
    `export: ${ds.name} ${Object.entries(splitSizes)
      .map(([k, v]) => `${k} ${v}`)
      .join(
        ', ',
      )}; pe ${o.pe}; ${Object.keys(files).length} arrays → ${out} in ${meta.exportTimeS.toFixed(1)} s\n`,
  );
}

main().catch((err) => {
  process.stderr.write(`export-train-data: ${err instanceof Error ? (err.stack ?? err.message) : err}\n`);
  process.exit(1);
});
