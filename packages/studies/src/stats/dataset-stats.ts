/**
 * Dataset-level spectral statistics (`graphpe stats`): size distribution, eigenvalue multiplicity
 * and canonizability, next to the published figures. Canonizability and multiplicity come from
 * `canonStats` of @graphpe/encodings (per-eigenvector counting; see its module header):
 * - `sym` — L = I − D^{-1/2}AD^{-1/2} (the matrix MAP/OAP canonize; its eigenvectors are those of
 *   D^{-1/2}AD^{-1/2}), grouping tolerance 1e-6, whole spectra, trivial eigenvector included;
 * - `comb` — L = D − A with tolerance 1e-4 (Hordan et al.'s tolerance; their 59.3% / 26.2% match the shares
 *   of graphs whose largest multiplicity of this matrix is ≥ 2 / ≥ 3 — an inference from the numbers, see
 *   packages/encodings/README.md).
 */
import { type CanonStats, canonStats } from '@graphpe/encodings';
import { edgeCount, type Graph } from '@graphpe/spectral';
import { groupedBarChart } from '../plot/svg.js';
import { quantileSorted } from '../stability/summary.js';

/** Quantiles of an integer size. */
export interface SizeSummary {
  count: number;
  mean: number;
  min: number;
  q05: number;
  q25: number;
  median: number;
  q75: number;
  q95: number;
  max: number;
  /** [value, graphs] for every value from min to max. */
  histogram: [number, number][];
}

/** Result of {@link datasetStats}. */
export interface DatasetStats {
  graphs: number;
  nodes: SizeSummary;
  edges: SizeSummary;
  /** canonStats on the sym Laplacian, groupTol 1e-6. */
  sym: CanonStats;
  /** canonStats on L = D − A, groupTol 1e-4 (multiplicity figures comparable with Hordan et al.). */
  comb: CanonStats;
  seconds: number;
}

/** Published reference figures (docs/canonization.md, "Published figures"). */
export const PUBLISHED_STATS = {
  hordanSignNoncanonizable: 0.1093,
  hordanZeroSum: 0.1115,
  hordanMultiplicity2: 0.593,
  hordanMultiplicity3: 0.262,
  mapCanonized: '>90%',
} as const;

/** {@link SizeSummary} of integer values. */
export function sizeSummary(values: readonly number[]): SizeSummary {
  const v = [...values].sort((a, b) => a - b);
  const count = v.length;
  const histogram: [number, number][] = [];
  if (count > 0) {
    const lo = v[0] as number;
    const hi = v[count - 1] as number;
    const counts = new Array<number>(hi - lo + 1).fill(0);
    for (const x of v) counts[x - lo] = (counts[x - lo] as number) + 1;
    counts.forEach((c, i) => {
      histogram.push([lo + i, c]);
    });
  }
  return {
    count,
    mean: count ? v.reduce((a, b) => a + b, 0) / count : Number.NaN,
    min: count ? (v[0] as number) : Number.NaN,
    q05: quantileSorted(v, 0.05),
    q25: quantileSorted(v, 0.25),
    median: quantileSorted(v, 0.5),
    q75: quantileSorted(v, 0.75),
    q95: quantileSorted(v, 0.95),
    max: count ? (v[count - 1] as number) : Number.NaN,
    histogram,
  };
}

/** Size, multiplicity and canonizability statistics of a set of graphs. */
export function datasetStats(graphs: readonly Graph[]): DatasetStats {
  const t0 = performance.now();
  return {
    graphs: graphs.length,
    nodes: sizeSummary(graphs.map((g) => g.n)),
    edges: sizeSummary(graphs.map((g) => edgeCount(g))),
    sym: canonStats(graphs, { laplacian: 'sym', groupTol: 1e-6 }),
    comb: canonStats(graphs, { laplacian: 'comb', groupTol: 1e-4 }),
    seconds: (performance.now() - t0) / 1000,
  };
}

const pct = (v: number | undefined) =>
  v === undefined || !Number.isFinite(v) ? '—' : `${(100 * v).toFixed(2)}%`;
const num = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(1));

/** Markdown report of {@link datasetStats} with the published figures (all measured on ZINC) next to ours. */
export function statsMarkdown(s: DatasetStats, dataset: string): string {
  const L: string[] = [];
  const sizeRow = (name: string, z: SizeSummary) =>
    `| ${name} | ${z.mean.toFixed(2)} | ${num(z.min)} | ${num(z.q05)} | ${num(z.q25)} | ${num(z.median)} | ${num(z.q75)} | ${num(z.q95)} | ${num(z.max)} |`;
  L.push(`# Dataset statistics — ${dataset}`, '', `${s.graphs} graphs; ${s.seconds.toFixed(1)} s.`, '');
  L.push(
    '## Size',
    '',
    '| | mean | min | q05 | q25 | median | q75 | q95 | max |',
    '|---|---|---|---|---|---|---|---|---|',
  );
  L.push(sizeRow('nodes (heavy atoms)', s.nodes), sizeRow('edges (bonds)', s.edges), '');
  const mult = (c: CanonStats, m: number) => c.graphsWithMultiplicityAtLeastShare[m];
  const exact = (c: CanonStats, m: number) => c.graphsWithMultiplicityShare[m];
  L.push(
    '## Eigenvalue multiplicity (share of graphs)',
    '',
    '| matrix, tolerance | any repeated eigenvalue | with an eigenvalue of multiplicity exactly 2 | largest multiplicity ≥ 2 | ≥ 3 |',
    '|---|---|---|---|---|',
    `| L_sym = I − D^-1/2 A D^-1/2, 1e-6 | ${pct(s.sym.graphsWithRepeatedShare)} | ${pct(exact(s.sym, 2))} | ${pct(mult(s.sym, 2))} | ${pct(mult(s.sym, 3))} |`,
    `| L = D − A, 1e-4 | ${pct(s.comb.graphsWithRepeatedShare)} | ${pct(exact(s.comb, 2))} | ${pct(mult(s.comb, 2))} | ${pct(mult(s.comb, 3))} |`,
    `| published for ZINC (Hordan et al.) | — | — | 59.3% ("multiplicity 2") | 26.2% ("multiplicity 3") |`,
    '',
  );
  L.push(
    '## Canonizability (per eigenvector / eigenspace, whole spectra, trivial eigenvector included)',
    '',
    '| matrix, tolerance | simple eigenvectors | sign-non-canonizable | summing to 0 | eigenspaces (dim ≥ 2) | basis-canonizable MAP | OAP | OAP-diag | eigenvectors canonized (sign + MAP) | (sign + OAP) |',
    '|---|---|---|---|---|---|---|---|---|---|',
  );
  for (const [name, c] of [
    ['L_sym, 1e-6', s.sym],
    ['L = D − A, 1e-4', s.comb],
  ] as const) {
    L.push(
      `| ${name} | ${c.simple} | ${pct(c.signNoncanonizableShare)} | ${pct(c.zeroSumShare)} | ${c.eigenspaces} | ${pct(c.basisCanonizableShare.map)} | ${pct(c.basisCanonizableShare.oap)} | ${pct(c.basisCanonizableShare.oapDiag)} | ${pct(c.eigenvectorsCanonizedShare.map)} | ${pct(c.eigenvectorsCanonizedShare.oap)} |`,
    );
  }
  L.push(
    `| published for ZINC | — | 10.93% (Hordan et al.) | 11.15% (Hordan et al.) | — | — (OAP Table 3, values not available) | — | — | ">90%" (MAP, ZINC) | — |`,
    '',
  );
  return `${L.join('\n')}\n`;
}

/** Histogram of graph sizes (nodes) as an SVG bar chart. */
export function sizeHistogramSvg(s: DatasetStats, dataset: string): string {
  const h = s.nodes.histogram;
  return groupedBarChart({
    title: `${dataset}: graph sizes (${s.graphs} graphs; median ${num(s.nodes.median)}, q05–q95 ${num(s.nodes.q05)}–${num(s.nodes.q95)})`,
    xLabel: 'nodes',
    yLabel: 'graphs',
    width: Math.max(640, 18 * h.length + 140),
    groups: h.map(([v]) => String(v)),
    series: [{ name: 'graphs', values: h.map(([, c]) => c) }],
  });
}

/** Share of graphs whose largest multiplicity is ≥ m, sym vs comb vs published. */
export function multiplicitySvg(s: DatasetStats, dataset: string): string {
  const ms = [2, 3, 4, 5];
  const at = (c: CanonStats) => ms.map((m) => 100 * (c.graphsWithMultiplicityAtLeastShare[m] ?? 0));
  return groupedBarChart({
    title: `${dataset}: graphs with an eigenvalue of multiplicity ≥ m`,
    xLabel: 'm',
    yLabel: '% of graphs',
    groups: ms.map((m) => `≥ ${m}`),
    series: [
      { name: 'L_sym (tol 1e-6)', values: at(s.sym) },
      { name: 'D − A (tol 1e-4)', values: at(s.comb) },
      { name: 'Hordan et al. (ZINC)', values: [59.3, 26.2, Number.NaN, Number.NaN] },
    ],
  });
}
