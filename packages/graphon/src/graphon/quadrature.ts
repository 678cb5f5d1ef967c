/** Quadrature on [0,1]²: Gauss–Legendre rules, q-step block averages W_q and the edge density ∫∫W. */
import { checkOption } from '@graphpe/spectral';
import type { Graphon } from './types.js';

/** m-point Gauss–Legendre nodes and weights on [0, 1] (Newton on P_m; Golub–Welsch accuracy). */
export function gaussLegendre(m: number): { nodes: Float64Array; weights: Float64Array } {
  const nodes = new Float64Array(m);
  const weights = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let x = Math.cos((Math.PI * (i + 0.75)) / (m + 0.5));
    let dp = 1;
    for (let it = 0; it < 100; it++) {
      let p0 = 1;
      let p1 = x;
      for (let k = 2; k <= m; k++) {
        const p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      if (m === 1) p0 = 1;
      dp = (m * (x * p1 - p0)) / (x * x - 1);
      const dx = p1 / dp;
      x -= dx;
      if (Math.abs(dx) < 1e-16) break;
    }
    nodes[m - 1 - i] = (1 + x) / 2;
    weights[m - 1 - i] = 1 / ((1 - x * x) * dp * dp);
  }
  return { nodes, weights };
}

/** Measure of [a0, a1) ∩ [b0, b1). */
function overlap(a0: number, a1: number, b0: number, b1: number): number {
  return Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));
}

/**
 * The q-step block average W_q[a,b] = q² ∫∫_{I_a×I_b} W (I_a = [a/q, (a+1)/q)): exact for step
 * graphons, tensor Gauss–Legendre with `points` nodes per cell side otherwise. q×q row-major.
 */
export function blockAverage(W: Graphon, q: number, points = 8): Float64Array {
  checkOption(Number.isInteger(q) && q >= 1, 'graphon.blockAverage', 'q must be an integer ≥ 1', q);
  const out = new Float64Array(q * q);
  if (W.blocks) {
    const { bounds, probs } = W.blocks;
    const K = bounds.length - 1;
    for (let a = 0; a < q; a++) {
      for (let b = 0; b < q; b++) {
        let s = 0;
        for (let u = 0; u < K; u++) {
          const ou = overlap(a / q, (a + 1) / q, bounds[u], bounds[u + 1]);
          if (ou === 0) continue;
          for (let v = 0; v < K; v++)
            s += ou * overlap(b / q, (b + 1) / q, bounds[v], bounds[v + 1]) * probs[u * K + v];
        }
        out[a * q + b] = s * q * q;
      }
    }
    return out;
  }
  const { nodes, weights } = gaussLegendre(points);
  for (let a = 0; a < q; a++) {
    for (let b = a; b < q; b++) {
      let s = 0;
      for (let i = 0; i < points; i++) {
        const x = (a + nodes[i]) / q;
        for (let j = 0; j < points; j++) s += weights[i] * weights[j] * W.value(x, (b + nodes[j]) / q);
      }
      out[a * q + b] = s;
      out[b * q + a] = s;
    }
  }
  return out;
}

/** Edge density ∫∫W (exact for step graphons; 64-cell Gauss–Legendre otherwise). */
export function edgeDensity(W: Graphon): number {
  const q = W.blocks ? 1 : 64;
  const avg = blockAverage(W, q);
  let s = 0;
  for (let t = 0; t < avg.length; t++) s += avg[t];
  return s / (q * q);
}
