// Part 2: reconstruction error and cond(U_K[S,:]) of GE, QR, proxy, intervals and random sets of the
// same size |S| = K, over seeds, on graphs sampled from an SBM and from the cos graphon.
//
// Signal: f = U_K c, c ~ N(0, I), scaled to unit RMS; samples y_S = f_S + σ·N(0, I) with σ = 0.1
// (SNR 20 dB); error ‖f̂ − f‖/‖f‖ with f̂ the least-squares reconstruction from y_S (docs/graphon.md,
// "Reconstruction").
// The noiseless error is reported too: ~1e-15 for any uniqueness set, O(1) when U_K[S,:] is singular.
import { createRng } from '@graphpe/spectral';
import {
  bandlimitedBasis,
  cosGraphon,
  edgeDensity,
  geSelect,
  intervalSelect,
  plantedPartition,
  proxySelect,
  qrSelect,
  randomSelect,
  reconstruct,
  relativeError,
  restrictSignal,
  sampleGraph,
} from '../../../packages/graphon/dist/index.js';

export const METHODS = ['ge', 'qr', 'proxy', 'intervals', 'random'];

export function reconGraphons() {
  return [
    { name: 'SBM (6 equal blocks, p = .6, q = .05)', key: 'sbm', W: plantedPartition(6, 0.6, 0.05), K: 6 },
    { name: 'cos graphon (1 + cos 2π(x − y))/2', key: 'cos', W: cosGraphon(), K: 3 },
  ];
}

function median(a) {
  const s = [...a].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
const mean = (a) => a.reduce((s, x) => s + x, 0) / a.length;
const sd = (a) => {
  const m = mean(a);
  return Math.sqrt(a.reduce((s, x) => s + (x - m) ** 2, 0) / Math.max(1, a.length - 1));
};

/**
 * Runs every selector on `seeds` graphs of each graphon; returns per-run records and a summary.
 * `log` gets progress lines with an ETA.
 */
export function reconExperiment({ n, seeds, degree = 40, sigma = 0.1, proxyOrder = 2, log }) {
  const records = [];
  const graphons = reconGraphons();
  const total = graphons.length * seeds;
  const t0 = performance.now();
  let done = 0;
  for (const G of graphons) {
    const rho = Math.min(1, degree / (n * edgeDensity(G.W)));
    for (let seed = 0; seed < seeds; seed++) {
      const s = sampleGraph(G.W, n, { seed, rho });
      const K = G.K;
      let t = performance.now();
      // Plain LOBPCG: the AMG preconditioner's setup is pathological on these dense-ish SBM graphs near
      // n = 3000 (60 s against 1 s unpreconditioned; see the README).
      const basis = bandlimitedBasis(s.graph, { k: K, seed, precondition: false });
      const basisSeconds = (performance.now() - t) / 1000;
      const rng = createRng(1000 + seed);
      const c = new Float64Array(K).map(() => rng.normal());
      const f = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let v = 0;
        for (let j = 0; j < K; j++) v += basis.vectors[i * K + j] * c[j];
        f[i] = v;
      }
      const rms = Math.sqrt(f.reduce((a, x) => a + x * x, 0) / n);
      for (let i = 0; i < n; i++) f[i] /= rms;
      const noise = new Float64Array(n).map(() => sigma * rng.normal());
      const sets = {};
      const time = {};
      const run = (name, fn) => {
        t = performance.now();
        try {
          sets[name] = fn();
        } catch (e) {
          sets[name] = { error: e.message };
        }
        time[name] = (performance.now() - t) / 1000;
      };
      run('ge', () => geSelect(basis).nodes);
      run('qr', () => qrSelect(basis).nodes);
      run('proxy', () => proxySelect(s.graph, { budget: K, order: proxyOrder, seed }).nodes);
      // Nodes are numbered in latent order, so the identity order is the sorted latent labels.
      run('intervals', () => intervalSelect(s.graph, { q: 2 * K, p: K, r: 1, order: 5, seed }).nodes);
      run('random', () => randomSelect(n, K, { seed }).nodes);
      for (const m of METHODS) {
        const S = sets[m];
        if (S.error) {
          records.push({ graphon: G.key, seed, method: m, error: S.error });
          continue;
        }
        const clean = reconstruct(basis, S, restrictSignal(f, S));
        const y = restrictSignal(f, S).map((v, t) => v + noise[S[t]]);
        const noisy = reconstruct(basis, S, y);
        records.push({
          graphon: G.key,
          seed,
          method: m,
          size: S.length,
          rank: clean.rank,
          condition: clean.condition,
          errClean: relativeError(clean.signal, f),
          errNoisy: relativeError(noisy.signal, f),
          seconds: time[m],
          basisSeconds,
          latent: Array.from(S, (i) => s.latent[i]),
        });
      }
      done++;
      const el = (performance.now() - t0) / 1000;
      log?.(
        `  [2] ${G.key} seed ${seed}: ${done}/${total} runs, ${el.toFixed(0)} s elapsed, ETA ${((el / done) * (total - done)).toFixed(0)} s`,
      );
    }
  }
  const summary = [];
  for (const G of graphons) {
    for (const m of METHODS) {
      const rs = records.filter((r) => r.graphon === G.key && r.method === m && !r.error);
      const failed = records.filter((r) => r.graphon === G.key && r.method === m && r.error).length;
      const full = rs.filter((r) => r.rank === G.K);
      summary.push({
        graphon: G.key,
        name: G.name,
        K: G.K,
        method: m,
        runs: rs.length,
        failed,
        rankDeficient: rs.length - full.length,
        condMedian: full.length ? median(full.map((r) => r.condition)) : null,
        condMax: full.length ? Math.max(...full.map((r) => r.condition)) : null,
        errCleanMedian: median(rs.map((r) => r.errClean)),
        errNoisyMedian: median(rs.map((r) => r.errNoisy)),
        errNoisyMean: mean(rs.map((r) => r.errNoisy)),
        errNoisySd: sd(rs.map((r) => r.errNoisy)),
        secondsMean: mean(rs.map((r) => r.seconds)),
        basisSecondsMean: mean(rs.map((r) => r.basisSeconds)),
      });
    }
  }
  return { n, seeds, degree, sigma, proxyOrder, records, summary };
}
