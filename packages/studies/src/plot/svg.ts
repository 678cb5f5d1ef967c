/**
 * SVG chart writers of the studies: a grouped bar chart (metric per PE and split, with optional error bars:
 * OOD tables, dataset statistics) and a scatter plot (e.g. ID vs OOD metric), built on @graphpe/gnn's chart
 * pieces (frame, axes, legend; the line chart of training curves is gnn's `lineChart`).
 * Output is a standalone SVG 1.1 document; text is XML-escaped; non-finite values are skipped.
 */
import {
  CHART_PALETTE,
  type ChartFrame,
  chartBox,
  chartExtent,
  chartHeader,
  chartLegend,
  chartXAxis,
  chartYAxis,
  escapeXml,
  formatTick,
  svgNum,
} from '@graphpe/gnn';

/** Options of {@link groupedBarChart}. */
export interface BarChartOptions extends ChartFrame {
  /** Category labels on the x axis (e.g. splits or datasets). */
  groups: readonly string[];
  /** One bar per series in each group; values[g], errors[g] (± half-height) optional. */
  series: readonly { name: string; values: ArrayLike<number>; errors?: ArrayLike<number> }[];
  /** Lower end of the y axis [min(0, data)]. */
  yMin?: number;
}

/** Options of {@link scatterChart}. */
export interface ScatterOptions extends ChartFrame {
  series: readonly { name: string; points: readonly { x: number; y: number; label?: string }[] }[];
  /** Draw the y = x diagonal [false]. */
  diagonal?: boolean;
}

/** A grouped bar chart (one group per category, one bar per series), with optional ± error bars. */
export function groupedBarChart(o: BarChartOptions): string {
  const f = chartBox(o);
  const out = chartHeader(f, o);
  const all: number[] = [];
  for (const s of o.series) {
    for (let g = 0; g < o.groups.length; g++) {
      const v = s.values[g] as number;
      const e = (s.errors?.[g] as number | undefined) ?? 0;
      if (Number.isFinite(v)) all.push(v + (Number.isFinite(e) ? e : 0), v - (Number.isFinite(e) ? e : 0));
    }
  }
  let [lo, hi] = chartExtent(all);
  lo = o.yMin ?? Math.min(0, lo);
  if (hi <= lo) hi = lo + 1;
  const ya = chartYAxis(f, lo, hi, 'left', false);
  out.push(...ya.svg);
  const G = Math.max(1, o.groups.length);
  const S = Math.max(1, o.series.length);
  const gw = (f.x1 - f.x0) / G;
  const bw = (gw * 0.8) / S;
  const base = ya.scale(Math.max(lo, Math.min(0, hi)));
  o.groups.forEach((label, g) => {
    const gx = f.x0 + g * gw;
    out.push(
      `<text x="${svgNum(gx + gw / 2)}" y="${f.y0 + 16}" text-anchor="middle">${escapeXml(label)}</text>`,
    );
    o.series.forEach((s, si) => {
      const v = s.values[g] as number;
      if (!Number.isFinite(v)) return;
      const color = CHART_PALETTE[si % CHART_PALETTE.length] as string;
      const x = gx + gw * 0.1 + si * bw;
      const y = ya.scale(v);
      const top = Math.min(y, base);
      out.push(
        `<rect x="${svgNum(x)}" y="${svgNum(top)}" width="${svgNum(bw * 0.92)}" height="${svgNum(Math.abs(base - y))}" fill="${color}"><title>${escapeXml(`${s.name} ${label}: ${formatTick(v)}`)}</title></rect>`,
      );
      const e = s.errors?.[g] as number | undefined;
      if (e !== undefined && Number.isFinite(e) && e > 0) {
        const cx = x + (bw * 0.92) / 2;
        out.push(
          `<line x1="${svgNum(cx)}" y1="${svgNum(ya.scale(v - e))}" x2="${svgNum(cx)}" y2="${svgNum(ya.scale(v + e))}" stroke="#000"/>`,
        );
      }
    });
  });
  out.push(
    ...chartLegend(
      f,
      o.series.map((s, i) => ({ name: s.name, color: CHART_PALETTE[i % CHART_PALETTE.length] as string })),
    ),
    '</svg>',
  );
  return `${out.join('\n')}\n`;
}

/** A scatter plot, one colour per series, optional point labels and y = x diagonal. */
export function scatterChart(o: ScatterOptions): string {
  const f = chartBox(o);
  const out = chartHeader(f, o);
  const xs: number[] = [];
  const ys: number[] = [];
  for (const s of o.series) {
    for (const p of s.points) {
      if (Number.isFinite(p.x) && Number.isFinite(p.y)) {
        xs.push(p.x);
        ys.push(p.y);
      }
    }
  }
  let [xlo, xhi] = chartExtent(xs);
  let [ylo, yhi] = chartExtent(ys);
  if (o.diagonal) {
    xlo = ylo = Math.min(xlo, ylo);
    xhi = yhi = Math.max(xhi, yhi);
  }
  const xa = chartXAxis(f, xlo, xhi);
  const ya = chartYAxis(f, ylo, yhi, 'left', false);
  out.push(...xa.svg, ...ya.svg);
  if (o.diagonal) {
    out.push(
      `<line x1="${svgNum(xa.scale(xlo))}" y1="${svgNum(ya.scale(xlo))}" x2="${svgNum(xa.scale(xhi))}" y2="${svgNum(ya.scale(xhi))}" stroke="#999" stroke-dasharray="4,3"/>`,
    );
  }
  o.series.forEach((s, si) => {
    const color = CHART_PALETTE[si % CHART_PALETTE.length] as string;
    for (const p of s.points) {
      if (!(Number.isFinite(p.x) && Number.isFinite(p.y))) continue;
      const cx = svgNum(xa.scale(p.x));
      const cy = svgNum(ya.scale(p.y));
      out.push(`<circle cx="${cx}" cy="${cy}" r="4" fill="${color}"/>`);
      if (p.label)
        out.push(
          `<text x="${cx}" y="${svgNum(ya.scale(p.y) - 7)}" text-anchor="middle" font-size="10">${escapeXml(p.label)}</text>`,
        );
    }
  });
  out.push(
    ...chartLegend(
      f,
      o.series.map((s, i) => ({ name: s.name, color: CHART_PALETTE[i % CHART_PALETTE.length] as string })),
    ),
    '</svg>',
  );
  return `${out.join('\n')}\n`;
}
