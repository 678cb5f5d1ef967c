// Part 3: consistency as n grows. (a) GE on an unequal 4-block SBM (sizes .4/.3/.2/.1, p = .5,
// q = .05, mean degree 40, K = 4): the latent positions of the selected nodes, which the theory
// (Le, Ruiz & Jegelka 2024, Thm 3/Prop 3) says fall one per block with high probability. (b) The
// interval algorithm on the xy graphon (q = 20, p = 5, proxy order 5, sorted uniform latents): the
// selected intervals, which should stabilize at those of the exact step graphon W_q.
import {
  bandlimitedBasis,
  blockAverage,
  edgeDensity,
  geSelect,
  intervalSelect,
  normalizedLaplacian,
  sampleGraph,
  sbmGraphon,
  xyGraphon,
} from '../../../packages/graphon/dist/index.js';
import { proxyGreedyDense } from '../../../packages/graphon/dist/select/proxy-dense.js';

export const SBM_SIZES = [0.4, 0.3, 0.2, 0.1];

export function consistencyExperiment({ sizes, seeds, degree = 40, q = 20, p = 5, log }) {
  const K = SBM_SIZES.length;
  const P = SBM_SIZES.map((_, a) => SBM_SIZES.map((__, b) => (a === b ? 0.5 : 0.05)));
  const sbm = sbmGraphon(SBM_SIZES, P);
  const xy = xyGraphon();
  const bounds = [];
  let acc = 0;
  for (const s of SBM_SIZES.slice(0, -1)) {
    acc += s;
    bounds.push(acc);
  }
  const blockOf = (x) => bounds.filter((b) => x >= b).length;
  const ge = [];
  const iv = [];
  const t0 = performance.now();
  const total = sizes.reduce((a, n) => a + n, 0) * seeds;
  let done = 0;
  for (const n of sizes) {
    for (let seed = 0; seed < seeds; seed++) {
      const g = sampleGraph(sbm, n, { seed, rho: Math.min(1, degree / (n * edgeDensity(sbm))) });
      const basis = bandlimitedBasis(g.graph, { k: K, seed, precondition: false }); // see recon.mjs
      const S = geSelect(basis);
      const lat = Array.from(S.nodes, (i) => g.latent[i]);
      ge.push({
        n,
        seed,
        latent: lat,
        onePerBlock: new Set(lat.map(blockOf)).size === K,
        scaledCondition: S.condition, // √(n/K)·U_K[S,:] has the same condition number
      });
      const h = sampleGraph(xy, n, { seed, rho: Math.min(1, degree / (n * edgeDensity(xy))) });
      const I = intervalSelect(h.graph, { q, p, r: 1, order: 5, seed });
      iv.push({ n, seed, intervals: Array.from(I.intervals) });
      done += n;
      const el = (performance.now() - t0) / 1000;
      log?.(
        `  [3] n = ${n} seed ${seed}: GE one per block ${ge.at(-1).onePerBlock}, intervals ${I.intervals.join(',')}; ${el.toFixed(0)} s elapsed, ETA ~${((el / done) * (total - done)).toFixed(0)} s`,
      );
    }
  }
  // The limit selection: the same greedy on the exact q-step average of W (the xy graphon has no
  // sparsity issue: L_C is scale-invariant, so ρ does not matter).
  const Wq = blockAverage(xy, q);
  const limit = Array.from(proxyGreedyDense(normalizedLaplacian(Wq, q), q, { order: 5, budget: p }).nodes);
  const rate = sizes.map((n) => {
    const rs = ge.filter((r) => r.n === n);
    return { n, onePerBlock: rs.filter((r) => r.onePerBlock).length / rs.length };
  });
  const ivMatch = sizes.map((n) => {
    const rs = iv.filter((r) => r.n === n);
    return {
      n,
      equalToLimit:
        rs.filter(
          (r) => [...r.intervals].sort((a, b) => a - b).join() === [...limit].sort((a, b) => a - b).join(),
        ).length / rs.length,
    };
  });
  return { sizes, seeds, degree, K, bounds, q, p, ge, iv, limit, rate, ivMatch };
}
