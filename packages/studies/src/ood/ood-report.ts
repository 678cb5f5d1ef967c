/**
 * Aggregation and writers of the OOD sweep: mean ± std over seeds of the ID (`iid_test`) and OOD
 * (`ood_test`) metric and of the gap per dataset × PE, a Markdown table that states the budget and shows
 * the published DrugOOD/SPE figures (IC50 versions, labelled as such, next to our EC50 runs), and SVG plots
 * (grouped bars with error bars per dataset; ID vs OOD scatter per dataset).
 *
 * Gap = how much worse OOD is than ID, in the metric's units: ID − OOD for ROC-AUC (higher is better),
 * OOD − ID for MAE/RMSE (lower is better); computed per seed, then averaged. ROC-AUC is shown in percent,
 * as DrugOOD reports it.
 */
import { groupedBarChart, scatterChart } from '../plot/svg.js';
import { describeBudget, type OodBudget } from './budget.js';

/** One finished cell, reduced to what the table needs. */
export interface OodCellRow {
  readonly dataset: string;
  readonly pe: string;
  readonly seed: number;
  /** `rocauc`, `mae`, … */
  readonly metric: string;
  /** Metric on iid_test. */
  readonly iid: number;
  /** Metric on ood_test. */
  readonly ood: number;
  /** What the cell's preprocessing changed or dropped (e.g. capped sign frames), shown under the table. */
  readonly notes?: readonly string[];
}

/** Mean and sample standard deviation (n − 1; 0 for a single value) of the finite values. */
export interface MeanStd {
  readonly mean: number;
  readonly std: number;
  readonly n: number;
}

/** One dataset × PE row of the table. */
export interface OodAggregate {
  readonly dataset: string;
  readonly pe: string;
  readonly metric: string;
  readonly seeds: number;
  readonly iid: MeanStd;
  readonly ood: MeanStd;
  readonly gap: MeanStd;
}

/** A published reference figure. */
export interface PublishedFigure {
  readonly dataset: string;
  readonly pe: string;
  /** In the table's display units (ROC-AUC in percent). */
  readonly value: number;
  readonly set: 'ood_test';
  readonly note: string;
}

const IC50 = 'DrugOOD IC50 OOD-test ROC-AUC, SPE paper';

/**
 * Published OOD-test ROC-AUC on DrugOOD (the IC50 versions; ours are EC50, so only the ordering transfers),
 * from docs/benchmarks.md, "Published reference figures". PEG has no counterpart among our PEs (shown in
 * the notes).
 */
export const PUBLISHED_OOD: readonly PublishedFigure[] = [
  { dataset: 'drugood-ec50-scaffold', pe: 'spe', value: 69.64, set: 'ood_test', note: IC50 },
  { dataset: 'drugood-ec50-scaffold', pe: 'signnet', value: 66.43, set: 'ood_test', note: IC50 },
  { dataset: 'drugood-ec50-scaffold', pe: 'none', value: 68.0, set: 'ood_test', note: IC50 },
  { dataset: 'drugood-ec50-scaffold', pe: 'peg', value: 69.15, set: 'ood_test', note: IC50 },
  { dataset: 'drugood-ec50-size', pe: 'spe', value: 66.02, set: 'ood_test', note: IC50 },
  { dataset: 'drugood-ec50-size', pe: 'none', value: 66.04, set: 'ood_test', note: IC50 },
  { dataset: 'drugood-ec50-size', pe: 'peg', value: 66.01, set: 'ood_test', note: IC50 },
  { dataset: 'drugood-ec50-assay', pe: 'spe', value: 72.53, set: 'ood_test', note: IC50 },
  { dataset: 'drugood-ec50-assay', pe: 'signnet', value: 72.27, set: 'ood_test', note: IC50 },
];

/** Whether a larger metric is better. */
export function higherBetter(metric: string): boolean {
  return metric === 'rocauc' || metric === 'accuracy' || metric === 'ap';
}

/** Display scale of a metric (ROC-AUC in percent). */
export function displayScale(metric: string): number {
  return metric === 'rocauc' ? 100 : 1;
}

/** Mean ± sample std of the finite values. */
export function meanStd(values: readonly number[]): MeanStd {
  const v = values.filter((x) => Number.isFinite(x));
  const n = v.length;
  if (n === 0) return { mean: Number.NaN, std: Number.NaN, n: 0 };
  const mean = v.reduce((a, b) => a + b, 0) / n;
  const std = n > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, std, n };
}

/** The gap of one run (positive = OOD worse than ID), in display units. */
export function oodGap(metric: string, iid: number, ood: number): number {
  const s = displayScale(metric);
  return higherBetter(metric) ? (iid - ood) * s : (ood - iid) * s;
}

/**
 * Aggregates finished cells per dataset × PE (display units), in the order of `datasets` × `pes` when
 * given (else first appearance).
 */
export function aggregateOod(
  rows: readonly OodCellRow[],
  order: { datasets?: readonly string[]; pes?: readonly string[] } = {},
): OodAggregate[] {
  const groups = new Map<string, OodCellRow[]>();
  for (const r of rows) {
    const key = `${r.dataset}\u0000${r.pe}`;
    const g = groups.get(key);
    if (g) g.push(r);
    else groups.set(key, [r]);
  }
  const out: OodAggregate[] = [];
  for (const g of groups.values()) {
    const first = g[0] as OodCellRow;
    const s = displayScale(first.metric);
    out.push({
      dataset: first.dataset,
      pe: first.pe,
      metric: first.metric,
      seeds: g.length,
      iid: meanStd(g.map((r) => r.iid * s)),
      ood: meanStd(g.map((r) => r.ood * s)),
      gap: meanStd(g.map((r) => oodGap(r.metric, r.iid, r.ood))),
    });
  }
  const rank = (list: readonly string[] | undefined, v: string) => {
    const i = list ? list.indexOf(v) : -1;
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  const firstSeen = (key: (a: OodAggregate) => string) => {
    const m = new Map<string, number>();
    for (const a of out) if (!m.has(key(a))) m.set(key(a), m.size);
    return m;
  };
  const dsSeen = firstSeen((a) => a.dataset);
  const peSeen = firstSeen((a) => a.pe);
  return out.sort(
    (a, b) =>
      rank(order.datasets, a.dataset) - rank(order.datasets, b.dataset) ||
      (dsSeen.get(a.dataset) as number) - (dsSeen.get(b.dataset) as number) ||
      rank(order.pes, a.pe) - rank(order.pes, b.pe) ||
      (peSeen.get(a.pe) as number) - (peSeen.get(b.pe) as number),
  );
}

function digits(metric: string): number {
  return metric === 'rocauc' ? 2 : 4;
}

/** `68.12 ± 1.30` (n ≥ 2), `68.12` (one seed), `n/a` (none). */
export function formatMeanStd(m: MeanStd, metric: string): string {
  if (m.n === 0 || !Number.isFinite(m.mean)) return 'n/a';
  const d = digits(metric);
  return m.n > 1 ? `${m.mean.toFixed(d)} ± ${m.std.toFixed(d)}` : m.mean.toFixed(d);
}

function metricLabel(metric: string): string {
  return metric === 'rocauc' ? 'ROC-AUC (%)' : metric.toUpperCase();
}

/** Options of {@link oodMarkdownTable}. */
export interface OodTableOptions {
  budget: OodBudget;
  /** Seeds requested per cell. */
  seeds: number;
  /** Backend the runs used (stated in the header). */
  backend?: string;
  published?: readonly PublishedFigure[];
}

/**
 * The Markdown table: a header with the budget, then one row per dataset × PE with the metric, seeds,
 * ID (iid_test) and OOD (ood_test) mean ± std, the gap and the published figure (IC50, labelled).
 */
export function oodMarkdownTable(aggs: readonly OodAggregate[], o: OodTableOptions): string {
  const published = o.published ?? PUBLISHED_OOD;
  const lines: string[] = [];
  lines.push(
    `**Budget \`${o.budget.name}\`**: ${describeBudget(o.budget)}; ${o.seeds} seed${o.seeds === 1 ? '' : 's'} per cell${o.backend ? `; backend ${o.backend}` : ''}.`,
    '',
    '| dataset | PE | metric | seeds | ID (iid_test) | OOD (ood_test) | gap (ID→OOD drop) | published OOD (IC50, not our EC50) |',
    '|---|---|---|---:|---:|---:|---:|---:|',
  );
  for (const a of aggs) {
    const pub = published.find((p) => p.dataset === a.dataset && p.pe === a.pe);
    lines.push(
      `| ${a.dataset} | ${a.pe} | ${metricLabel(a.metric)} | ${a.seeds} | ${formatMeanStd(a.iid, a.metric)} | ${formatMeanStd(a.ood, a.metric)} | ${formatMeanStd(a.gap, a.metric)} | ${pub ? `${pub.value.toFixed(2)} (IC50)` : '—'} |`,
    );
  }
  const shown = new Set(aggs.map((a) => a.dataset));
  const others = published.filter(
    (p) => shown.has(p.dataset) && !aggs.some((a) => a.dataset === p.dataset && a.pe === p.pe),
  );
  lines.push(
    '',
    'Gap: ID − OOD for ROC-AUC, OOD − ID for MAE/RMSE (positive = worse out of distribution), per seed, then mean ± sample std. ' +
      'Published column: DrugOOD **IC50** OOD-test ROC-AUC from the SPE paper (docs/benchmarks.md, "Published reference figures"); our runs use the **EC50** versions, so only the ordering can transfer, and budgets differ.',
  );
  if (others.length > 0) {
    lines.push(
      `Published figures without a run here: ${others.map((p) => `${p.dataset} ${p.pe.toUpperCase()} ${p.value.toFixed(2)} (IC50)`).join('; ')}.`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Grouped bars for one dataset: one group per PE, ID and OOD bars with ± std error bars. */
export function oodBarChart(aggs: readonly OodAggregate[], dataset: string, budgetName?: string): string {
  const rows = aggs.filter((a) => a.dataset === dataset);
  const metric = rows[0]?.metric ?? 'rocauc';
  return groupedBarChart({
    title: `${dataset}: ID vs OOD${budgetName ? ` (budget ${budgetName})` : ''}`,
    xLabel: 'positional encoding',
    yLabel: metricLabel(metric),
    groups: rows.map((a) => a.pe),
    series: [
      { name: 'ID (iid_test)', values: rows.map((a) => a.iid.mean), errors: rows.map((a) => a.iid.std) },
      { name: 'OOD (ood_test)', values: rows.map((a) => a.ood.mean), errors: rows.map((a) => a.ood.std) },
    ],
    ...(metric === 'rocauc' ? { yMin: Math.max(0, Math.floor(lowest(rows) / 10) * 10) } : {}),
    width: Math.max(640, 110 * rows.length + 140),
  });
}

function lowest(rows: readonly OodAggregate[]): number {
  let lo = Number.POSITIVE_INFINITY;
  for (const a of rows) {
    for (const m of [a.iid, a.ood]) if (Number.isFinite(m.mean)) lo = Math.min(lo, m.mean - (m.std || 0));
  }
  return Number.isFinite(lo) ? lo : 0;
}

/** ID vs OOD scatter for one dataset: one point per run (seed), one colour per PE, the y = x diagonal. */
export function oodScatterChart(rows: readonly OodCellRow[], dataset: string, budgetName?: string): string {
  const mine = rows.filter((r) => r.dataset === dataset);
  const metric = mine[0]?.metric ?? 'rocauc';
  const s = displayScale(metric);
  const pes: string[] = [];
  for (const r of mine) if (!pes.includes(r.pe)) pes.push(r.pe);
  return scatterChart({
    title: `${dataset}: ID vs OOD per run${budgetName ? ` (budget ${budgetName})` : ''}`,
    xLabel: `ID (iid_test) ${metricLabel(metric)}`,
    yLabel: `OOD (ood_test) ${metricLabel(metric)}`,
    diagonal: true,
    series: pes.map((pe) => ({
      name: pe,
      points: mine.filter((r) => r.pe === pe).map((r) => ({ x: r.iid * s, y: r.ood * s })),
    })),
  });
}

/** File-name-safe form of a dataset key or PE. */
export function fileSafe(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '-');
}
