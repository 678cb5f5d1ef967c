/**
 * Small dependency-free SVG chart pieces: the frame, axes, legend and tick helpers, and the line chart of
 * training curves (`curve.svg`). @graphpe/studies builds its bar and scatter charts on the same pieces.
 * Output is a standalone SVG 1.1 document; text is XML-escaped; non-finite values are skipped.
 */
/** Title, axis labels and size of a chart. */
export interface ChartFrame {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** Pixels [640 × 400]. */
  width?: number;
  height?: number;
}

/** One line of a {@link lineChart}. */
export interface LineSeries {
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** Draw against the right-hand axis (a second scale, e.g. loss vs metric). */
  rightAxis?: boolean;
  dashed?: boolean;
}

/** Options of {@link lineChart}. */
export interface LineChartOptions extends ChartFrame {
  series: readonly LineSeries[];
  /** Label of the right-hand axis (when a series uses it). */
  y2Label?: string;
  /** Log-scale left axis (values ≤ 0 skipped). */
  logY?: boolean;
}

/** Series colours, in order. */
export const CHART_PALETTE: readonly string[] = [
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#ff7f0e',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#17becf',
];
const MARGIN = { left: 64, right: 64, top: 40, bottom: 48 };

/** Escapes text for SVG content and attributes. */
export function escapeXml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** A tick or value label: 4 significant digits, exponent form outside [1e-3, 1e4). */
export function formatTick(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) return v.toExponential(1);
  return Number(v.toPrecision(4)).toString();
}

/** A coordinate rounded to 2 decimals. */
export function svgNum(v: number): string {
  return (Math.round(v * 100) / 100).toString();
}

/** "Nice" tick values covering [lo, hi] (about `count` of them). */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(Number.isFinite(lo) && Number.isFinite(hi))) return [];
  if (hi === lo) {
    const d = Math.abs(lo) > 0 ? Math.abs(lo) * 0.1 : 1;
    lo -= d;
    hi += d;
  }
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  const step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
  const out: number[] = [];
  const first = Math.ceil(lo / step - 1e-9);
  for (let k = first; k * step <= hi + step * 1e-9; k++)
    out.push(k === 0 ? 0 : Number((k * step).toPrecision(12)));
  return out;
}

/** The padded [min, max] of the finite values ([0, 1] when none). */
export function chartExtent(values: number[]): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo > hi) return [0, 1];
  if (lo === hi) return [lo - (Math.abs(lo) || 1) * 0.1, hi + (Math.abs(hi) || 1) * 0.1];
  const pad = (hi - lo) * 0.05;
  return [lo - pad, hi + pad];
}

/** Pixel size and plot area (x0..x1 left to right, y0 bottom, y1 top) of a chart. */
export interface ChartBox {
  w: number;
  h: number;
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/** The {@link ChartBox} of a chart frame (640 × 400 unless given). */
export function chartBox(o: ChartFrame): ChartBox {
  const w = o.width ?? 640;
  const h = o.height ?? 400;
  return { w, h, x0: MARGIN.left, x1: w - MARGIN.right, y0: h - MARGIN.bottom, y1: MARGIN.top };
}

/** The opening SVG lines: background, title, axis labels and the plot-area border. */
export function chartHeader(f: ChartBox, o: ChartFrame): string[] {
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${f.w}" height="${f.h}" viewBox="0 0 ${f.w} ${f.h}" font-family="sans-serif" font-size="12">`,
    `<rect x="0" y="0" width="${f.w}" height="${f.h}" fill="#ffffff"/>`,
  ];
  if (o.title) {
    out.push(
      `<text x="${svgNum(f.w / 2)}" y="22" text-anchor="middle" font-size="14" font-weight="bold">${escapeXml(o.title)}</text>`,
    );
  }
  if (o.xLabel) {
    out.push(
      `<text x="${svgNum((f.x0 + f.x1) / 2)}" y="${svgNum(f.h - 10)}" text-anchor="middle">${escapeXml(o.xLabel)}</text>`,
    );
  }
  if (o.yLabel) {
    const cy = (f.y0 + f.y1) / 2;
    out.push(
      `<text x="16" y="${svgNum(cy)}" text-anchor="middle" transform="rotate(-90 16 ${svgNum(cy)})">${escapeXml(o.yLabel)}</text>`,
    );
  }
  out.push(
    `<rect x="${f.x0}" y="${f.y1}" width="${f.x1 - f.x0}" height="${f.y0 - f.y1}" fill="none" stroke="#333"/>`,
  );
  return out;
}

/** Legend lines (a swatch and name per entry) in the top-right corner of the plot area. */
export function chartLegend(
  f: ChartBox,
  names: { name: string; color: string; dashed?: boolean }[],
): string[] {
  const out: string[] = [];
  names.forEach((s, i) => {
    const y = f.y1 + 14 + i * 16;
    const x = f.x1 - 150;
    out.push(
      `<line x1="${x}" y1="${y - 4}" x2="${x + 20}" y2="${y - 4}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5,3"' : ''}/>`,
      `<text x="${x + 26}" y="${y}">${escapeXml(s.name)}</text>`,
    );
  });
  return out;
}

/** Data value to pixel coordinate. */
export type ChartScale = (v: number) => number;

/** A y axis (left or right, linear or log) with ticks and, on the left, grid lines; returns its scale. */
export function chartYAxis(
  f: ChartBox,
  lo: number,
  hi: number,
  side: 'left' | 'right',
  log: boolean,
): { scale: ChartScale; svg: string[] } {
  const tlo = log ? Math.log10(lo) : lo;
  const thi = log ? Math.log10(hi) : hi;
  const scale: ChartScale = (v) => f.y0 - (((log ? Math.log10(v) : v) - tlo) / (thi - tlo)) * (f.y0 - f.y1);
  const svg: string[] = [];
  const ticks = log
    ? niceTicks(tlo, thi, 5)
        .filter((t) => Number.isInteger(Math.round(t * 1e9) / 1e9))
        .map((t) => 10 ** t)
    : niceTicks(lo, hi, 5);
  for (const t of ticks) {
    const y = scale(t);
    if (y < f.y1 - 0.5 || y > f.y0 + 0.5) continue;
    const x = side === 'left' ? f.x0 : f.x1;
    const dx = side === 'left' ? -4 : 4;
    svg.push(
      `<line x1="${x}" y1="${svgNum(y)}" x2="${x + dx}" y2="${svgNum(y)}" stroke="#333"/>`,
      `<text x="${x + dx * 1.5}" y="${svgNum(y + 4)}" text-anchor="${side === 'left' ? 'end' : 'start'}">${formatTick(t)}</text>`,
    );
    if (side === 'left') {
      svg.push(`<line x1="${f.x0}" y1="${svgNum(y)}" x2="${f.x1}" y2="${svgNum(y)}" stroke="#eee"/>`);
    }
  }
  return { scale, svg };
}

/** An x axis with ticks along the bottom of the plot area; returns its scale. */
export function chartXAxis(f: ChartBox, lo: number, hi: number): { scale: ChartScale; svg: string[] } {
  const scale: ChartScale = (v) => f.x0 + ((v - lo) / (hi - lo)) * (f.x1 - f.x0);
  const svg: string[] = [];
  for (const t of niceTicks(lo, hi, 6)) {
    const x = scale(t);
    if (x < f.x0 - 0.5 || x > f.x1 + 0.5) continue;
    svg.push(
      `<line x1="${svgNum(x)}" y1="${f.y0}" x2="${svgNum(x)}" y2="${f.y0 + 4}" stroke="#333"/>`,
      `<text x="${svgNum(x)}" y="${f.y0 + 16}" text-anchor="middle">${formatTick(t)}</text>`,
    );
  }
  return { scale, svg };
}

/** A line chart with up to two y scales. */
export function lineChart(o: LineChartOptions): string {
  const f = chartBox(o);
  const out = chartHeader(f, o);
  const xs: number[] = [];
  const left: number[] = [];
  const right: number[] = [];
  for (const s of o.series) {
    for (let i = 0; i < s.x.length; i++) {
      const y = s.y[i] as number;
      if (!Number.isFinite(y) || (o.logY && !s.rightAxis && y <= 0)) continue;
      xs.push(s.x[i] as number);
      (s.rightAxis ? right : left).push(y);
    }
  }
  const [xlo, xhi] = xs.length ? [Math.min(...xs), Math.max(...xs)] : [0, 1];
  const xa = chartXAxis(f, xlo, xhi === xlo ? xlo + 1 : xhi);
  out.push(...xa.svg);
  let [llo, lhi] = chartExtent(left);
  if (o.logY) {
    const pos = left.filter((v) => v > 0);
    llo = pos.length ? Math.min(...pos) : 1;
    lhi = pos.length ? Math.max(...pos) : 10;
    if (llo === lhi) {
      llo /= 2;
      lhi *= 2;
    }
  }
  const ya = chartYAxis(f, llo, lhi, 'left', o.logY === true);
  out.push(...ya.svg);
  let y2: ChartScale | null = null;
  if (right.length > 0) {
    const [rlo, rhi] = chartExtent(right);
    const ra = chartYAxis(f, rlo, rhi, 'right', false);
    out.push(...ra.svg);
    y2 = ra.scale;
    if (o.y2Label) {
      const cy = (f.y0 + f.y1) / 2;
      const x = f.w - 14;
      out.push(
        `<text x="${x}" y="${svgNum(cy)}" text-anchor="middle" transform="rotate(90 ${x} ${svgNum(cy)})">${escapeXml(o.y2Label)}</text>`,
      );
    }
  }
  const names: { name: string; color: string; dashed?: boolean }[] = [];
  o.series.forEach((s, si) => {
    const color = CHART_PALETTE[si % CHART_PALETTE.length] as string;
    const ys = s.rightAxis && y2 ? y2 : ya.scale;
    const pts: string[] = [];
    for (let i = 0; i < s.x.length; i++) {
      const y = s.y[i] as number;
      if (!Number.isFinite(y) || (o.logY && !s.rightAxis && y <= 0)) continue;
      pts.push(`${svgNum(xa.scale(s.x[i] as number))},${svgNum(ys(y))}`);
    }
    if (pts.length === 1) {
      const [px, py] = (pts[0] as string).split(',');
      out.push(`<circle cx="${px}" cy="${py}" r="3" fill="${color}"/>`);
    } else if (pts.length > 1) {
      out.push(
        `<polyline fill="none" stroke="${color}" stroke-width="1.5"${s.dashed ? ' stroke-dasharray="5,3"' : ''} points="${pts.join(' ')}"/>`,
      );
    }
    names.push({ name: s.name + (s.rightAxis ? ' (right)' : ''), color, dashed: s.dashed === true });
  });
  out.push(...chartLegend(f, names), '</svg>');
  return `${out.join('\n')}\n`;
}
