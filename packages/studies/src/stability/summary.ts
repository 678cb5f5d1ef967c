/**
 * Aggregates of a PE stability audit ({@link stabilityAudit}): per measure, change vs perturbation size
 * (mean and quantiles, absolute and relative to ‖PE(G)‖), the relabelling check, the share of graphs whose
 * sign-aligned LapPE moves by more than a threshold under a single edge flip, and the change per unit of
 * ‖L − L′‖_F against the eigengap (binned, with a rank correlation).
 */
import type { StabilityRecords, VariantRecord } from './audit.js';

/** Distribution summary; NaN fields when empty. */
export interface Dist {
  count: number;
  mean: number;
  q10: number;
  q25: number;
  median: number;
  q75: number;
  q90: number;
  max: number;
}

/** Linear-interpolated quantile of sorted values. */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo);
}

/** {@link Dist} of the finite values. */
export function dist(values: readonly number[]): Dist {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  const mean = v.length ? v.reduce((a, b) => a + b, 0) / v.length : Number.NaN;
  return {
    count: v.length,
    mean,
    q10: quantileSorted(v, 0.1),
    q25: quantileSorted(v, 0.25),
    median: quantileSorted(v, 0.5),
    q75: quantileSorted(v, 0.75),
    q90: quantileSorted(v, 0.9),
    max: v.length ? (v[v.length - 1] as number) : Number.NaN,
  };
}

/** Spearman rank correlation of paired finite values (average ranks for ties); NaN under 3 pairs. */
export function spearman(x: readonly number[], y: readonly number[]): number {
  const pairs: [number, number][] = [];
  for (let i = 0; i < x.length; i++) {
    const a = x[i] as number;
    const b = y[i] as number;
    if (Number.isFinite(a) && Number.isFinite(b)) pairs.push([a, b]);
  }
  if (pairs.length < 3) return Number.NaN;
  const rank = (vals: number[]): number[] => {
    const idx = vals.map((v, i) => [v, i] as const).sort((p, q) => p[0] - q[0]);
    const r = new Array<number>(vals.length);
    for (let i = 0; i < idx.length; ) {
      let j = i;
      while (
        j + 1 < idx.length &&
        (idx[j + 1] as readonly [number, number])[0] === (idx[i] as readonly [number, number])[0]
      )
        j++;
      for (let t = i; t <= j; t++) r[(idx[t] as readonly [number, number])[1]] = (i + j) / 2;
      i = j + 1;
    }
    return r;
  };
  const rx = rank(pairs.map((p) => p[0]));
  const ry = rank(pairs.map((p) => p[1]));
  const mean = (rx.length - 1) / 2;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < rx.length; i++) {
    const a = (rx[i] as number) - mean;
    const b = (ry[i] as number) - mean;
    sxy += a * b;
    sxx += a * a;
    syy += b * b;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : Number.NaN;
}

/** A bin of eigengaps [lo, hi). */
export interface GapBin {
  label: string;
  lo: number;
  hi: number;
  count: number;
}

/** Fixed bins of a single column's eigengap δ_j (the first one: repeated eigenvalues). */
export const COLUMN_GAP_EDGES: readonly number[] = [0, 1e-6, 0.01, 0.03, 0.1, 0.3];

/** Quartile bins of `values` (finite ones), labelled with their ranges. */
export function quartileBins(values: readonly number[]): GapBin[] {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return [];
  const edges = [
    0,
    quantileSorted(v, 0.25),
    quantileSorted(v, 0.5),
    quantileSorted(v, 0.75),
    Number.POSITIVE_INFINITY,
  ];
  const f = (x: number) => (x < 1e-3 ? x.toExponential(1) : x.toFixed(3));
  return [0, 1, 2, 3].map((b) => {
    const lo = edges[b] as number;
    const hi = edges[b + 1] as number;
    const label =
      b === 0 ? `Q1: gap < ${f(hi)}` : b === 3 ? `Q4: gap ≥ ${f(lo)}` : `Q${b + 1}: ${f(lo)}–${f(hi)}`;
    return { label, lo, hi, count: v.filter((x) => x >= lo && x < hi).length };
  });
}

/** Gap analysis of one kind of single edit (e = 1). */
export interface RegimeSummary {
  /** Records (perturbed copies) analysed and their mean ‖ΔL‖_F. */
  count: number;
  meanDL: number;
  /**
   * Relative change per unit ‖ΔL‖_F, (‖ΔPE‖/‖PE‖)/‖ΔL‖, per key — overall, per quartile bin of the graph's
   * LapPE eigengap `gapBasis` (`gapBins`), and Spearman(that ratio, 1/gapBasis).
   */
  perUnitDL: Record<string, { all: Dist; bins: Dist[]; spearmanInvGap: number }>;
  gapBins: GapBin[];
  /**
   * Per LapPE column j: sign-aligned change ‖v_j − ±v′_j‖ per bin of its own eigengap δ_j
   * ({@link COLUMN_GAP_EDGES}): distribution, share > threshold, and the share within the Davis–Kahan bound
   * 2^{3/2}‖ΔL‖_F/δ_j (Yu, Wang & Samworth 2015; must be 100%).
   */
  columns: {
    bins: (GapBin & { change: Dist; perUnitDL: Dist; overThreshold: number })[];
    spearmanInvGap: number;
    withinDavisKahan: number;
    count: number;
  } | null;
}

/** Aggregates of one audit. */
export interface StabilitySummary {
  graphs: number;
  learnedGraphs: number;
  keys: string[];
  options: StabilityRecords['options'];
  infeasible: Record<string, number>;
  /** [kind][e][key]: absolute change ‖PE(G) − PE(G′)‖_F. */
  change: Record<string, Record<string, Record<string, Dist>>>;
  /** [kind][e][key]: change / ‖PE(G)‖_F. */
  relative: Record<string, Record<string, Record<string, Dist>>>;
  /** [kind][e]: ‖L − L′‖_F. */
  dL: Record<string, Record<string, Dist>>;
  /** Relabelling check per key: ‖PE(PG) − P·PE(G)‖_F and the share of graphs where it is ≤ 1e-6·max(1, ‖PE‖) (float64 PEs) or ≤ 1e-4·max(1, ‖PE‖) (float32 learned ones). */
  relabel: Record<string, Dist & { exactShare: number }>;
  /**
   * Single edits (e = 1): share of graphs whose change exceeds `threshold`, per kind (NaN when the kind was
   * not run) and for either edge flip (delete or add).
   */
  threshold: number;
  singleFlip: Record<
    string,
    { delete: number; add: number; reweight: number; either: number; graphs: number }
  >;
  /** Gap analyses of single edits: `flip` (deletions and additions together) and `reweight` (when run). */
  regimes: { flip?: RegimeSummary; reweight?: RegimeSummary };
  /** Share of graphs with a repeated eigenvalue among LapPE's columns or their neighbours (gapSign = 0). */
  repeatedInColumnsShare: number;
}

const LEARNED_TOL = 1e-4;
const FIXED_TOL = 1e-6;

/** Aggregate an audit's records. */
export function summarizeStability(res: StabilityRecords, threshold = 0.5): StabilitySummary {
  const { records, keys } = res;
  const change: StabilitySummary['change'] = {};
  const relative: StabilitySummary['relative'] = {};
  const dLs: StabilitySummary['dL'] = {};
  for (const kind of res.options.kinds) {
    change[kind] = {};
    relative[kind] = {};
    dLs[kind] = {};
    for (const e of res.options.edits) {
      const rs = records.filter((r) => r.kind === kind && r.edits === e);
      dLs[kind][e] = dist(rs.map((r) => r.dL));
      change[kind][e] = {};
      relative[kind][e] = {};
      for (const key of keys) {
        const vals = rs.filter((r) => r.change[key] !== undefined);
        (change[kind][e] as Record<string, Dist>)[key] = dist(vals.map((r) => r.change[key] as number));
        (relative[kind][e] as Record<string, Dist>)[key] = dist(vals.map((r) => rel(r, key)));
      }
    }
  }
  const relabel: StabilitySummary['relabel'] = {};
  const rl = records.filter((r) => r.kind === 'relabel');
  for (const key of keys) {
    const vals = rl.filter((r) => r.change[key] !== undefined);
    const tol = key.startsWith('lap') || key === 'rwse' ? FIXED_TOL : LEARNED_TOL;
    const exact = vals.filter((r) => (r.change[key] as number) <= tol * Math.max(1, r.norm[key] ?? 1)).length;
    relabel[key] = {
      ...dist(vals.map((r) => r.change[key] as number)),
      exactShare: vals.length ? exact / vals.length : Number.NaN,
    };
  }
  const singleFlip: StabilitySummary['singleFlip'] = {};
  const ones = records.filter((r) => r.edits === 1 && r.kind !== 'relabel');
  const byGraph = new Map<number, VariantRecord[]>();
  for (const r of ones) byGraph.set(r.graph, [...(byGraph.get(r.graph) ?? []), r]);
  const ran = new Set<string>(res.options.kinds);
  for (const key of keys) {
    const big: Record<string, number> = { delete: 0, add: 0, reweight: 0 };
    const tot: Record<string, number> = { delete: 0, add: 0, reweight: 0 };
    let either = 0;
    let graphs = 0;
    for (const rs of byGraph.values()) {
      const withKey = rs.filter((r) => r.change[key] !== undefined);
      if (withKey.length === 0) continue;
      graphs++;
      let any = false;
      for (const r of withKey) {
        const over = (r.change[key] as number) > threshold;
        tot[r.kind] = (tot[r.kind] as number) + 1;
        if (over) big[r.kind] = (big[r.kind] as number) + 1;
        if (r.kind !== 'reweight') any ||= over;
      }
      if (any) either++;
    }
    const share = (kind: string) =>
      ran.has(kind) && tot[kind] ? (big[kind] as number) / (tot[kind] as number) : Number.NaN;
    singleFlip[key] = {
      delete: share('delete'),
      add: share('add'),
      reweight: share('reweight'),
      either: ran.has('delete') || ran.has('add') ? either / Math.max(1, graphs) : Number.NaN,
      graphs,
    };
  }
  const regimes: StabilitySummary['regimes'] = {};
  const flips = ones.filter((r) => r.kind === 'delete' || r.kind === 'add');
  if (flips.length) regimes.flip = regimeSummary(flips, keys, threshold);
  const rew = ones.filter((r) => r.kind === 'reweight');
  if (rew.length) regimes.reweight = regimeSummary(rew, keys, threshold);
  const graphsSeen = new Map<number, VariantRecord>();
  for (const r of records) if (!graphsSeen.has(r.graph)) graphsSeen.set(r.graph, r);
  const firsts = [...graphsSeen.values()];
  return {
    graphs: res.graphs,
    learnedGraphs: res.learnedGraphs,
    keys,
    options: res.options,
    infeasible: res.infeasible,
    change,
    relative,
    dL: dLs,
    relabel,
    threshold,
    singleFlip,
    regimes,
    repeatedInColumnsShare: firsts.length
      ? firsts.filter((r) => r.gapSign <= 1e-6).length / firsts.length
      : Number.NaN,
  };
}

/** change / ‖PE(G)‖ (NaN when the norm is 0). */
export function rel(r: VariantRecord, key: string): number {
  const c = r.change[key];
  const n = r.norm[key];
  if (c === undefined || n === undefined || !(n > 0)) return Number.NaN;
  return c / n;
}

/** Gap analysis of a set of single-edit records. */
export function regimeSummary(
  ones: readonly VariantRecord[],
  keys: readonly string[],
  threshold: number,
): RegimeSummary {
  const perUnitDL: RegimeSummary['perUnitDL'] = {};
  const gapBins = quartileBins(ones.map((r) => r.gapBasis));
  const binOf = (gap: number) => gapBins.findIndex((b) => gap >= b.lo && gap < b.hi);
  for (const key of keys) {
    const vals = ones.filter((r) => r.change[key] !== undefined && r.dL > 0);
    const ratio = (r: VariantRecord) => rel(r, key) / r.dL;
    perUnitDL[key] = {
      all: dist(vals.map(ratio)),
      bins: gapBins.map((_, b) => dist(vals.filter((r) => binOf(r.gapBasis) === b).map(ratio))),
      spearmanInvGap: spearman(
        vals.map((r) => 1 / r.gapBasis),
        vals.map(ratio),
      ),
    };
  }
  let columns: RegimeSummary['columns'] = null;
  const cols: { gap: number; change: number; dL: number }[] = [];
  for (const r of ones) {
    if (!r.columns || !(r.dL > 0)) continue;
    r.columns.gap.forEach((gap, j) => {
      cols.push({ gap, change: r.columns?.change[j] as number, dL: r.dL });
    });
  }
  if (cols.length > 0) {
    const E = COLUMN_GAP_EDGES;
    const f = (x: number) => (x === 0 ? '0' : x < 1e-3 ? x.toExponential(0) : String(x));
    const bins = E.map((lo, b) => {
      const hi = b + 1 < E.length ? (E[b + 1] as number) : Number.POSITIVE_INFINITY;
      const inBin = cols.filter((c) => (b === 0 ? c.gap <= (E[1] as number) : c.gap > lo && c.gap <= hi));
      const label =
        b === 0
          ? `δ ≤ ${f(E[1] as number)} (repeated)`
          : Number.isFinite(hi)
            ? `${f(lo)} < δ ≤ ${f(hi)}`
            : `δ > ${f(lo)}`;
      return {
        label,
        lo,
        hi,
        count: inBin.length,
        change: dist(inBin.map((c) => c.change)),
        perUnitDL: dist(inBin.map((c) => c.change / c.dL)),
        overThreshold: inBin.length
          ? inBin.filter((c) => c.change > threshold).length / inBin.length
          : Number.NaN,
      };
    });
    const simpleCols = cols.filter((c) => c.gap > (E[1] as number));
    columns = {
      bins,
      spearmanInvGap: spearman(
        simpleCols.map((c) => 1 / c.gap),
        simpleCols.map((c) => c.change / c.dL),
      ),
      withinDavisKahan: simpleCols.length
        ? simpleCols.filter((c) => c.change <= (2 ** 1.5 * c.dL) / c.gap + 1e-9).length / simpleCols.length
        : Number.NaN,
      count: cols.length,
    };
  }
  return {
    count: ones.length,
    meanDL: ones.length ? ones.reduce((a, r) => a + r.dL, 0) / ones.length : Number.NaN,
    perUnitDL,
    gapBins,
    columns,
  };
}
