/**
 * A library of graphons: SBM step functions, the closed-form examples (xy, min, exp(−|x−y|),
 * (1+cos2π(x−y))/2; docs/graphon.md, "Graphons") and the smooth graphons of Chan & Airoldi
 * (ICML 2014, Table 1), each with an exact cell bound for the thinning sampler.
 */
import { checkOption, GraphpeError } from '@graphpe/spectral';
import type { BlockStructure, Graphon } from './types.js';

const WHERE = 'graphon.library';

/** Max of W over the 4 corners of a cell: exact for W monotone in each coordinate or convex. */
function cornerMax(w: (x: number, y: number) => number) {
  return (x0: number, x1: number, y0: number, y1: number): number =>
    Math.max(w(x0, y0), w(x0, y1), w(x1, y0), w(x1, y1));
}

/**
 * Stochastic block model as a step graphon: block a has measure sizes[a] / Σ sizes, edge probability
 * probs[a][b] (K×K symmetric, entries in [0, 1]). Sizes may be given as counts or proportions.
 */
export function sbmGraphon(sizes: ArrayLike<number>, probs: ArrayLike<number> | number[][]): Graphon {
  const K = sizes.length;
  checkOption(K >= 1, WHERE, 'sbm needs at least one block', K);
  let total = 0;
  for (let a = 0; a < K; a++) {
    checkOption(
      Number.isFinite(sizes[a]) && sizes[a] > 0,
      WHERE,
      `sbm block size ${a} must be finite and > 0`,
      sizes[a],
    );
    total += sizes[a];
  }
  const flat = new Float64Array(K * K);
  const rows = probs as ArrayLike<unknown>;
  const nested = rows.length === K && Array.isArray(rows[0]);
  checkOption(
    nested || rows.length === K * K,
    WHERE,
    `sbm probs must be K×K (K = ${K}), nested or flat`,
    rows.length,
  );
  for (let a = 0; a < K; a++) {
    for (let b = 0; b < K; b++) {
      const v = nested ? (probs as number[][])[a][b] : (probs as ArrayLike<number>)[a * K + b];
      if (!(typeof v === 'number' && v >= 0 && v <= 1)) {
        throw new GraphpeError('E_OPTION', `${WHERE}: sbm probs[${a}][${b}] = ${v} must be in [0, 1]`, {
          value: v,
          a,
          b,
        });
      }
      flat[a * K + b] = v;
    }
  }
  for (let a = 0; a < K; a++) {
    for (let b = a + 1; b < K; b++) {
      if (flat[a * K + b] !== flat[b * K + a]) {
        throw new GraphpeError(
          'E_ASYMMETRIC',
          `${WHERE}: sbm probs[${a}][${b}] = ${flat[a * K + b]} ≠ probs[${b}][${a}] = ${flat[b * K + a]}`,
          { a, b },
        );
      }
    }
  }
  const bounds = new Float64Array(K + 1);
  let acc = 0;
  for (let a = 0; a < K; a++) {
    acc += sizes[a];
    bounds[a + 1] = acc / total;
  }
  bounds[K] = 1;
  const blocks: BlockStructure = { bounds, probs: flat };
  const blockOf = (x: number): number => {
    let lo = 0;
    let hi = K - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (bounds[mid] <= x) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  return {
    name: `sbm(${K})`,
    blocks,
    value: (x, y) => flat[blockOf(x) * K + blockOf(y)],
    cellMax(x0, x1, y0, y1) {
      let m = 0;
      for (let a = blockOf(x0); a <= blockOf(x1); a++)
        for (let b = blockOf(y0); b <= blockOf(y1); b++) m = Math.max(m, flat[a * K + b]);
      return m;
    },
  };
}

/** Equal-size K-block SBM with p inside blocks and q across (graphon L spectrum {0, Kq/(p+(K−1)q)^(K−1), 1}). */
export function plantedPartition(K: number, p: number, q: number): Graphon {
  checkOption(Number.isInteger(K) && K >= 1, WHERE, 'K must be an integer ≥ 1', K);
  const probs = new Float64Array(K * K).fill(q);
  for (let a = 0; a < K; a++) probs[a * K + a] = p;
  const g = sbmGraphon(new Float64Array(K).fill(1), probs);
  return { ...g, name: `planted(${K},${p},${q})` };
}

/** W = xy: rank one, eigenfunction √3·x with eigenvalue 1/3. */
export function xyGraphon(): Graphon {
  const w = (x: number, y: number) => x * y;
  return { name: 'xy', value: w, cellMax: cornerMax(w) };
}

/** W = min(x, y): eigenfunctions √2 sin((k−½)πx), eigenvalues 1/((k−½)π)². */
export function minGraphon(): Graphon {
  const w = (x: number, y: number) => Math.min(x, y);
  return { name: 'min', value: w, cellMax: cornerMax(w) };
}

/** W = exp(−|x−y|): eigenvalues 2/(1+ω²), eigenfunctions ω cos ωx + sin ωx, tan ω = 2ω/(ω²−1). */
export function expAbsGraphon(): Graphon {
  return {
    name: 'exp-abs',
    value: (x, y) => Math.exp(-Math.abs(x - y)),
    cellMax: (x0, x1, y0, y1) => Math.exp(-Math.max(0, x0 - y1, y0 - x1)),
  };
}

/** W = (1 + cos 2π(x−y))/2: adjacency eigenvalues ½, ¼, ¼; Laplacian 0, ½, ½, then 1. */
export function cosGraphon(): Graphon {
  const w = (x: number, y: number) => (1 + Math.cos(2 * Math.PI * (x - y))) / 2;
  return {
    name: 'cos',
    value: w,
    cellMax(x0, x1, y0, y1) {
      const lo = x0 - y1;
      const hi = x1 - y0;
      if (Math.floor(hi) >= Math.ceil(lo)) return 1; // the cell meets x − y ∈ ℤ
      return Math.max((1 + Math.cos(2 * Math.PI * lo)) / 2, (1 + Math.cos(2 * Math.PI * hi)) / 2);
    },
  };
}

/** The smooth graphons of Chan & Airoldi (ICML 2014) Table 1, as listed by pygraphon. */
export const CHAN_AIROLDI: Readonly<Record<string, () => Graphon>> = {
  xy: xyGraphon,
  'exp-pow': () => {
    const w = (x: number, y: number) => Math.exp(-(x ** 0.7 + y ** 0.7));
    return { name: 'exp-pow', value: w, cellMax: cornerMax(w) };
  },
  'quarter-poly': () => {
    const w = (x: number, y: number) => 0.25 * (x * x + y * y + Math.sqrt(x) + Math.sqrt(y));
    return { name: 'quarter-poly', value: w, cellMax: cornerMax(w) };
  },
  mean: () => {
    const w = (x: number, y: number) => 0.5 * (x + y);
    return { name: 'mean', value: w, cellMax: cornerMax(w) };
  },
  logistic: () => {
    const w = (x: number, y: number) => 1 / (1 + Math.exp(-10 * (x * x + y * y)));
    return { name: 'logistic', value: w, cellMax: cornerMax(w) };
  },
  'abs-diff': () => {
    const w = (x: number, y: number) => Math.abs(x - y);
    return { name: 'abs-diff', value: w, cellMax: cornerMax(w) };
  },
  'exp-abs': expAbsGraphon,
  min: minGraphon,
  cos: cosGraphon,
};

/** Options of {@link customGraphon}. */
export interface CustomGraphonOptions {
  name?: string;
  /** W is non-decreasing or non-increasing in each coordinate (or convex): the cell max is at a corner. */
  monotone?: boolean;
  /** L with |W(x,y) − W(x',y')| ≤ L(|x−x'| + |y−y'|): bounds the cell max by W(centre) + L·(half-widths). */
  lipschitz?: number;
}

/**
 * A user graphon from a function. With `monotone` or `lipschitz` the exact thinning sampler can
 * bound it; otherwise sampleGraph uses the block approximation and reports its error.
 */
export function customGraphon(
  w: (x: number, y: number) => number,
  options: CustomGraphonOptions = {},
): Graphon {
  checkOption(typeof w === 'function', WHERE, 'customGraphon needs a function (x, y) => W(x, y)', w);
  const name = options.name ?? 'custom';
  if (options.monotone) return { name, value: w, cellMax: cornerMax(w) };
  if (options.lipschitz !== undefined) {
    const L = options.lipschitz;
    checkOption(Number.isFinite(L) && L >= 0, WHERE, 'lipschitz must be finite and ≥ 0', L);
    return {
      name,
      value: w,
      cellMax: (x0, x1, y0, y1) =>
        Math.min(1, w((x0 + x1) / 2, (y0 + y1) / 2) + (L * (x1 - x0 + (y1 - y0))) / 2),
    };
  }
  return { name, value: w };
}

/** The sparsified graphon ρ·W (ρ ∈ (0, 1]); G(n, ρW) has expected degree ≈ ρ n ∫∫W. */
export function scaleGraphon(W: Graphon, rho: number): Graphon {
  checkOption(Number.isFinite(rho) && rho > 0 && rho <= 1, WHERE, 'rho must be in (0, 1]', rho);
  const blocks = W.blocks
    ? { bounds: W.blocks.bounds, probs: W.blocks.probs.map((p) => p * rho) }
    : undefined;
  const cellMax = W.cellMax;
  return {
    name: `${rho}·${W.name}`,
    value: (x, y) => rho * W.value(x, y),
    ...(cellMax
      ? { cellMax: (x0: number, x1: number, y0: number, y1: number) => rho * cellMax(x0, x1, y0, y1) }
      : {}),
    ...(blocks ? { blocks } : {}),
  };
}
