// Part 1: time of GE selection split into eigensolve and elimination, on a 32-block planted-partition
// SBM (mean degree 20, 71% of a node's edges inside its block: graphon Laplacian eigenvalues 0, .30
// (×31), then the bulk near 1 ± 2/√20), K = 32. The eigensolve is what `bandlimitedBasis` runs for
// n > 300: `laplacianEigsh` (LOBPCG with exact null-space deflation; AMG-preconditioned by default
// when the mean degree is ≤ 64, `precondition: false` for plain LOBPCG) for K + 1 pairs
// (one guard pair tells whether K cuts an eigenspace), called directly here to print progress.
import { laplacianEigsh } from '@graphpe/spectral';
import {
  edgeDensity,
  geSelect,
  plantedPartition,
  qrSelect,
  sampleGraph,
} from '../../../packages/graphon/dist/index.js';

export async function geTiming({
  n,
  K = 32,
  degree = 20,
  tol = 1e-6,
  seed = 1,
  precondition = true,
  guard = true,
  log,
  onGraph,
}) {
  const W = plantedPartition(K, 0.75, 0.01);
  const rho = degree / (n * edgeDensity(W));
  let t = performance.now();
  const s = sampleGraph(W, n, { seed, rho });
  const sampleSeconds = (performance.now() - t) / 1000;
  if (onGraph) await onGraph(s.graph);
  // The guard pair K + 1 sits at the edge of the bulk, where eigenvalues cluster: without it
  // (guard = false) the solve stops at the K-th pair, as a caller who knows K is safe can do.
  const pairs = guard ? K + 1 : K;
  log?.(
    `  [1] n = ${n} (${precondition ? 'AMG' : 'plain'} LOBPCG): sampled ${s.edges} edges in ${sampleSeconds.toFixed(1)} s; eigensolve (${pairs} pairs, tol ${tol})…`,
  );
  t = performance.now();
  let lastLog = t;
  const eig = laplacianEigsh(s.graph, {
    k: pairs,
    tol,
    seed,
    precondition,
    onProgress: (p) => {
      const now = performance.now();
      if (now - lastLog > 15_000) {
        lastLog = now;
        log?.(
          `      iteration ${p.iteration}: ${p.converged}/${p.wanted} converged, max residual ${p.maxResidual.toExponential(1)}, ${((now - t) / 1000).toFixed(0)} s`,
        );
      }
    },
  });
  const eigSeconds = (performance.now() - t) / 1000;
  const vectors = new Float64Array(n * K);
  for (let i = 0; i < n; i++) for (let j = 0; j < K; j++) vectors[i * K + j] = eig.vectors[i * pairs + j];
  const basis = {
    n,
    K,
    values: eig.values.slice(0, K),
    vectors,
    lambda: eig.values[K - 1],
    partial: guard ? Math.abs(eig.values[K] - eig.values[K - 1]) <= 1e-6 : false,
  };
  t = performance.now();
  const ge = geSelect(basis);
  const geSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  const qr = qrSelect(basis);
  const qrSeconds = (performance.now() - t) / 1000;
  const blocks = new Set(Array.from(ge.nodes, (i) => Math.min(K - 1, Math.floor(s.latent[i] * K)))).size;
  const row = {
    n,
    K,
    precondition,
    guard,
    edges: s.edges,
    sampleSeconds,
    eigSeconds,
    iterations: eig.iterations,
    matvecs: eig.matvecs,
    geSeconds,
    qrSeconds,
    geCondition: ge.condition,
    qrCondition: qr.condition,
    blocksHit: blocks,
    lambdaK: eig.values[K - 1],
    lambdaK1: guard ? eig.values[K] : null,
    maxResidual: Math.max(...eig.residuals),
    peakMiB: process.resourceUsage().maxRSS / 1024,
  };
  log?.(
    `  [1] n = ${n} (${precondition ? 'AMG' : 'plain'}): eigensolve ${eigSeconds.toFixed(1)} s (${eig.iterations} iterations), GE ${geSeconds.toFixed(2)} s (cond ${ge.condition.toFixed(2)}, ${blocks}/${K} blocks hit), QR ${qrSeconds.toFixed(2)} s`,
  );
  return row;
}
