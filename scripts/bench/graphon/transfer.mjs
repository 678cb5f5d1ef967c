// Part 4: transferability (Le, Ruiz & Jegelka 2024, Table 1; docs/graphon.md, "The Le–Ruiz–Jegelka setting").
// Per dataset and run: a random 60/20/20 node split; a sampled node set S (the paper's interval algorithm,
// "graphon", or
// uniform "random" of the same size, optionally GE); a 2-layer GCN trained on the induced subgraph G[S]
// (loss on S ∩ train, model selection on S ∩ val), then tested on the FULL graph's test nodes.
// "full" trains on the whole graph (the reference's no-sampling row).
import { connectedComponents, createRng, laplacianEigsh } from '@graphpe/spectral';
import {
  bandlimitedBasis,
  degreeOrder,
  geSelect,
  inducedSubgraph,
  intervalSelect,
  randomSelect,
} from '../../../packages/graphon/dist/index.js';
import { loadCitation, missing } from './citation.mjs';
import { disposeParams, featureRows, gcnAccuracy, gcnContext, gcnParams, gcnTrain } from './gcn.mjs';

/**
 * PubMed's TF-IDF features are not in the data directory (pubmed/SOURCE.md), so it gets structural
 * features: a constant, and the 32 smallest eigenvectors of L_sym of the full graph scaled by √n.
 */
function spectralFeatures(g, k = 32) {
  const r = laplacianEigsh(g, { k, tol: 1e-6, seed: 0 });
  const n = g.n;
  const F = k + 1;
  const indptr = new Int32Array(n + 1);
  const indices = new Int32Array(n * F);
  const values = new Float32Array(n * F);
  const s = Math.sqrt(n);
  for (let i = 0; i < n; i++) {
    indptr[i + 1] = (i + 1) * F;
    indices[i * F] = 0;
    values[i * F] = 1;
    for (let j = 0; j < k; j++) {
      indices[i * F + 1 + j] = 1 + j;
      values[i * F + 1 + j] = s * r.vectors[i * k + j];
    }
  }
  return { n, m: F, F, indptr, indices, values };
}

function split(n, seed) {
  const rng = createRng(seed);
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  for (let t = n - 1; t > 0; t--) {
    const j = rng.int(t + 1);
    [perm[t], perm[j]] = [perm[j], perm[t]];
  }
  const a = Math.round(0.6 * n);
  const b = Math.round(0.8 * n);
  const role = new Uint8Array(n); // 0 train, 1 val, 2 test
  for (let t = a; t < b; t++) role[perm[t]] = 1;
  for (let t = b; t < n; t++) role[perm[t]] = 2;
  return role;
}

const mean = (a) => a.reduce((s, x) => s + x, 0) / a.length;
const sd = (a) => {
  const m = mean(a);
  return Math.sqrt(a.reduce((s, x) => s + (x - m) ** 2, 0) / Math.max(1, a.length - 1));
};

export async function transferExperiment({
  tf,
  dir,
  datasets = ['cora', 'citeseer', 'pubmed'],
  runs = 5,
  epochs = 100,
  lr = 1e-3,
  q = 20,
  p = 10,
  r = 20,
  withGe = true,
  // GE needs K = 200 eigenvectors: 9–45 s on Cora, 0.1 s on CiteSeer (all 200 are zero modes),
  // unfinished after 13 min on PubMed (under load).
  geMaxN = 5000,
  log,
}) {
  const records = [];
  const skipped = {};
  const meta = {};
  const methods = ['graphon', 'random', ...(withGe ? ['ge'] : []), 'full'];
  const t0 = performance.now();
  const total = datasets.length * runs;
  let done = 0;
  for (const name of datasets) {
    const why = missing(dir, name);
    if (why) {
      skipped[name] = why;
      log?.(`  [4] ${name} skipped: ${why}`);
      continue;
    }
    const D = loadCitation(dir, name);
    const g = D.graph;
    const n = g.n;
    let t = performance.now();
    const X = D.features ?? spectralFeatures(g);
    const featureSeconds = (performance.now() - t) / 1000;
    const C = D.classes.length;
    const order = degreeOrder(g);
    let geSet = null;
    let geInfo = null;
    if (withGe && n <= geMaxN) {
      // GE needs K = |S| eigenvectors; K is the interval algorithm's budget p·r (its sets can be
      // slightly smaller when an interval has fewer than r nodes).
      t = performance.now();
      const basis = bandlimitedBasis(g, { k: p * r, tol: 1e-6 });
      const eigSeconds = (performance.now() - t) / 1000;
      t = performance.now();
      const ge = geSelect(basis);
      geSet = ge.nodes;
      // Where the pivots land: a graph with c components has c zero eigenvalues whose eigenvectors are
      // the (degree-weighted) component indicators, largest on small components.
      const cc = connectedComponents(g);
      const sizeOf = new Int32Array(cc.count);
      for (let v = 0; v < n; v++) sizeOf[cc.labels[v]]++;
      const big = sizeOf.indexOf(Math.max(...sizeOf));
      geInfo = {
        K: p * r,
        eigSeconds,
        geSeconds: (performance.now() - t) / 1000,
        condition: ge.condition,
        components: cc.count,
        largestComponent: sizeOf[big],
        pivotsInLargestComponent: Array.from(ge.nodes).filter((v) => cc.labels[v] === big).length,
      };
      log?.(
        `  [4] ${name}: GE basis K = ${p * r} in ${eigSeconds.toFixed(1)} s, cond ${ge.condition.toExponential(2)}, ${geInfo.pivotsInLargestComponent}/${p * r} pivots in the largest component (${geInfo.components} components)`,
      );
    }
    meta[name] = {
      n,
      edges: D.edges,
      classes: C,
      features: D.features
        ? `${X.F} binary word indicators`
        : `${X.F} structural (1 + 32 Laplacian eigenvectors)`,
      featureSeconds,
      droppedCitations: D.dropped,
      selfLoops: D.selfLoops,
      ge: geInfo,
    };
    const full = gcnContext(tf, g, X, D.labels, C);
    for (let run = 0; run < runs; run++) {
      const role = split(n, 7919 * (run + 1));
      const test = [];
      const trainAll = [];
      const valAll = [];
      for (let v = 0; v < n; v++) (role[v] === 0 ? trainAll : role[v] === 1 ? valAll : test).push(v);
      const iv = intervalSelect(g, { q, p, r, order: 5, nodeOrder: order, seed: run });
      const sets = {
        graphon: iv.nodes,
        random: randomSelect(n, iv.nodes.length, { seed: 1000 + run }).nodes,
        ...(withGe ? { ge: geSet } : {}),
      };
      for (const m of methods) {
        if (m === 'ge' && !geSet) continue;
        t = performance.now();
        const P = gcnParams(tf, X.F, C, 32, run);
        let res;
        let info;
        if (m === 'full') {
          res = gcnTrain(tf, full, P, { train: trainAll, val: valAll, epochs, lr });
          info = { size: n, trainLabelled: trainAll.length, edgesInSample: D.edges };
        } else {
          const sub = inducedSubgraph(g, sets[m]);
          const ctx = gcnContext(
            tf,
            sub.graph,
            featureRows(X, sub.nodes),
            Int32Array.from(sub.nodes, (v) => D.labels[v]),
            C,
          );
          const tr = [];
          const va = [];
          sub.nodes.forEach((v, i) => {
            if (role[v] === 0) tr.push(i);
            else if (role[v] === 1) va.push(i);
          });
          res = gcnTrain(tf, ctx, P, { train: tr, val: va, epochs, lr });
          let isolated = 0;
          for (let i = 0; i < sub.graph.n; i++)
            if (sub.graph.indptr[i + 1] === sub.graph.indptr[i]) isolated++;
          info = {
            size: sub.nodes.length,
            trainLabelled: tr.length,
            edgesInSample: sub.graph.indices.length / 2,
            isolated,
            classesSeen: new Set(tr.map((i) => ctx.labels[i])).size,
          };
        }
        const acc = gcnAccuracy(tf, full, res.params, test);
        records.push({
          dataset: name,
          run,
          method: m,
          accuracy: acc,
          bestVal: res.bestVal,
          bestEpoch: res.bestEpoch,
          seconds: (performance.now() - t) / 1000,
          ...info,
        });
        disposeParams(P);
        disposeParams(res.params);
      }
      done++;
      const el = (performance.now() - t0) / 1000;
      const last = records
        .filter((x) => x.dataset === name && x.run === run)
        .map((x) => `${x.method} ${x.accuracy.toFixed(3)}`);
      log?.(
        `  [4] ${name} run ${run}: ${last.join(', ')}; ${el.toFixed(0)} s elapsed, ETA ~${((el / done) * (total - done)).toFixed(0)} s`,
      );
    }
  }
  const summary = [];
  for (const name of Object.keys(meta)) {
    for (const m of methods) {
      const rs = records.filter((x) => x.dataset === name && x.method === m);
      if (rs.length === 0) continue;
      summary.push({
        dataset: name,
        method: m,
        mean: mean(rs.map((x) => x.accuracy)),
        sd: sd(rs.map((x) => x.accuracy)),
        size: mean(rs.map((x) => x.size)),
        trainLabelled: mean(rs.map((x) => x.trainLabelled)),
        edgesInSample: mean(rs.map((x) => x.edgesInSample)),
        isolated: m === 'full' ? 0 : mean(rs.map((x) => x.isolated)),
        seconds: mean(rs.map((x) => x.seconds)),
      });
    }
  }
  return { runs, epochs, lr, q, p, r, methods, meta, skipped, records, summary };
}
