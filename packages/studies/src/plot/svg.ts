/**
 * Small dependency-free SVG chart writers: a line chart (learning curves), a grouped bar chart (metric per
 * PE and split, with optional error bars: OOD tables) and a scatter plot (e.g. ID vs OOD metric).
 * Output is a standalone SVG 1.1 document; text is XML-escaped; non-finite values are skipped.
 */

export interface ChartFrame {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** Pixels [640 × 400]. */
  width?: number;
  height?: number;
}

export interface LineSeries {
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** Draw against the right-hand axis (a second scale, e.g. loss vs metric). */
  rightAxis?: boolean;
  dashed?: boolean;
}

export interface LineChartOptions extends ChartFrame {
  series: readonly LineSeries[];
  /** Label of the right-hand axis (when a series uses it). */
  y2Label?: string;
  /** Log-scale left axis (values ≤ 0 skipped). */
  logY?: boolean;
}

export interface BarChartOptions extends ChartFrame {
  /** Category labels on the x axis (e.g. splits or datasets). */
  groups: readonly string[];
  /** One bar per series in each group; values[g], errors[g] (± half-height) optional. */
  series: readonly { name: string; values: ArrayLike<number>; errors?: ArrayLike<number> }[];
  /** Lower end of the y axis [min(0, data)]. */
  yMin?: number;
}

export interface ScatterOptions extends ChartFrame {
  series: readonly { name: string; points: readonly { x: number; y: number; label?: string }[] }[];
  /** Draw the y = x diagonal [false]. */
  diagonal?: boolean;
}

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];
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

function fmt(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) return v.toExponential(1);
  return Number(v.toPrecision(4)).toString();
}

function num(v: number): string {
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

function extent(values: number[]): [number, number] {
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

interface Frame {
  w: number;
  h: number;
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

function frameOf(o: ChartFrame): Frame {
  const w = o.width ?? 640;
  const h = o.height ?? 400;
  return { w, h, x0: MARGIN.left, x1: w - MARGIN.right, y0: h - MARGIN.bottom, y1: MARGIN.top };
}

function header(f: Frame, o: ChartFrame): string[] {
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${f.w}" height="${f.h}" viewBox="0 0 ${f.w} ${f.h}" font-family="sans-serif" font-size="12">`,
    `<rect x="0" y="0" width="${f.w}" height="${f.h}" fill="#ffffff"/>`,
  ];
  if (o.title) {
    out.push(
      `<text x="${num(f.w / 2)}" y="22" text-anchor="middle" font-size="14" font-weight="bold">${escapeXml(o.title)}</text>`,
    );
  }
  if (o.xLabel) {
    out.push(
      `<text x="${num((f.x0 + f.x1) / 2)}" y="${num(f.h - 10)}" text-anchor="middle">${escapeXml(o.xLabel)}</text>`,
    );
  }
  if (o.yLabel) {
    const cy = (f.y0 + f.y1) / 2;
    out.push(
      `<text x="16" y="${num(cy)}" text-anchor="middle" transform="rotate(-90 16 ${num(cy)})">${escapeXml(o.yLabel)}</text>`,
    );
  }
  out.push(
    `<rect x="${f.x0}" y="${f.y1}" width="${f.x1 - f.x0}" height="${f.y0 - f.y1}" fill="none" stroke="#333"/>`,
  );
  return out;
}

function legend(f: Frame, names: { name: string; color: string; dashed?: boolean }[]): string[] {
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

type Scale = (v: number) => number;

function yAxis(
  f: Frame,
  lo: number,
  hi: number,
  side: 'left' | 'right',
  log: boolean,
): { scale: Scale; svg: string[] } {
  const tlo = log ? Math.log10(lo) : lo;
  const thi = log ? Math.log10(hi) : hi;
  const scale: Scale = (v) => f.y0 - (((log ? Math.log10(v) : v) - tlo) / (thi - tlo)) * (f.y0 - f.y1);
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
      `<line x1="${x}" y1="${num(y)}" x2="${x + dx}" y2="${num(y)}" stroke="#333"/>`,
      `<text x="${x + dx * 1.5}" y="${num(y + 4)}" text-anchor="${side === 'left' ? 'end' : 'start'}">${fmt(t)}</text>`,
    );
    if (side === 'left') {
      svg.push(`<line x1="${f.x0}" y1="${num(y)}" x2="${f.x1}" y2="${num(y)}" stroke="#eee"/>`);
    }
  }
  return { scale, svg };
}

function xAxis(f: Frame, lo: number, hi: number): { scale: Scale; svg: string[] } {
  const scale: Scale = (v) => f.x0 + ((v - lo) / (hi - lo)) * (f.x1 - f.x0);
  const svg: string[] = [];
  for (const t of niceTicks(lo, hi, 6)) {
    const x = scale(t);
    if (x < f.x0 - 0.5 || x > f.x1 + 0.5) continue;
    svg.push(
      `<line x1="${num(x)}" y1="${f.y0}" x2="${num(x)}" y2="${f.y0 + 4}" stroke="#333"/>`,
      `<text x="${num(x)}" y="${f.y0 + 16}" text-anchor="middle">${fmt(t)}</text>`,
    );
  }
  return { scale, svg };
}

/** A line chart with up to two y scales. */
export function lineChart(o: LineChartOptions): string {
  const f = frameOf(o);
  const out = header(f, o);
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
  const xa = xAxis(f, xlo, xhi === xlo ? xlo + 1 : xhi);
  out.push(...xa.svg);
  let [llo, lhi] = extent(left);
  if (o.logY) {
    const pos = left.filter((v) => v > 0);
    llo = pos.length ? Math.min(...pos) : 1;
    lhi = pos.length ? Math.max(...pos) : 10;
    if (llo === lhi) {
      llo /= 2;
      lhi *= 2;
    }
  }
  const ya = yAxis(f, llo, lhi, 'left', o.logY === true);
  out.push(...ya.svg);
  let y2: Scale | null = null;
  if (right.length > 0) {
    const [rlo, rhi] = extent(right);
    const ra = yAxis(f, rlo, rhi, 'right', false);
    out.push(...ra.svg);
    y2 = ra.scale;
    if (o.y2Label) {
      const cy = (f.y0 + f.y1) / 2;
      const x = f.w - 14;
      out.push(
        `<text x="${x}" y="${num(cy)}" text-anchor="middle" transform="rotate(90 ${x} ${num(cy)})">${escapeXml(o.y2Label)}</text>`,
      );
    }
  }
  const names: { name: string; color: string; dashed?: boolean }[] = [];
  o.series.forEach((s, si) => {
    const color = PALETTE[si % PALETTE.length] as string;
    const ys = s.rightAxis && y2 ? y2 : ya.scale;
    const pts: string[] = [];
    for (let i = 0; i < s.x.length; i++) {
      const y = s.y[i] as number;
      if (!Number.isFinite(y) || (o.logY && !s.rightAxis && y <= 0)) continue;
      pts.push(`${num(xa.scale(s.x[i] as number))},${num(ys(y))}`);
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
  out.push(...legend(f, names), '</svg>');
  return `${out.join('\n')}\n`;
}

/** A grouped bar chart (one group per category, one bar per series), with optional ± error bars. */
export function groupedBarChart(o: BarChartOptions): string {
  const f = frameOf(o);
  const out = header(f, o);
  const all: number[] = [];
  for (const s of o.series) {
    for (let g = 0; g < o.groups.length; g++) {
      const v = s.values[g] as number;
      const e = (s.errors?.[g] as number | undefined) ?? 0;
      if (Number.isFinite(v)) all.push(v + (Number.isFinite(e) ? e : 0), v - (Number.isFinite(e) ? e : 0));
    }
  }
  let [lo, hi] = extent(all);
  lo = o.yMin ?? Math.min(0, lo);
  if (hi <= lo) hi = lo + 1;
  const ya = yAxis(f, lo, hi, 'left', false);
  out.push(...ya.svg);
  const G = Math.max(1, o.groups.length);
  const S = Math.max(1, o.series.length);
  const gw = (f.x1 - f.x0) / G;
  const bw = (gw * 0.8) / S;
  const base = ya.scale(Math.max(lo, Math.min(0, hi)));
  o.groups.forEach((label, g) => {
    const gx = f.x0 + g * gw;
    out.push(
      `<text x="${num(gx + gw / 2)}" y="${f.y0 + 16}" text-anchor="middle">${escapeXml(label)}</text>`,
    );
    o.series.forEach((s, si) => {
      const v = s.values[g] as number;
      if (!Number.isFinite(v)) return;
      const color = PALETTE[si % PALETTE.length] as string;
      const x = gx + gw * 0.1 + si * bw;
      const y = ya.scale(v);
      const top = Math.min(y, base);
      out.push(
        `<rect x="${num(x)}" y="${num(top)}" width="${num(bw * 0.92)}" height="${num(Math.abs(base - y))}" fill="${color}"><title>${escapeXml(`${s.name} ${label}: ${fmt(v)}`)}</title></rect>`,
      );
      const e = s.errors?.[g] as number | undefined;
      if (e !== undefined && Number.isFinite(e) && e > 0) {
        const cx = x + (bw * 0.92) / 2;
        out.push(
          `<line x1="${num(cx)}" y1="${num(ya.scale(v - e))}" x2="${num(cx)}" y2="${num(ya.scale(v + e))}" stroke="#000"/>`,
        );
      }
    });
  });
  out.push(
    ...legend(
      f,
      o.series.map((s, i) => ({ name: s.name, color: PALETTE[i % PALETTE.length] as string })),
    ),
    '</svg>',
  );
  return `${out.join('\n')}\n`;
}

/** A scatter plot, one colour per series, optional point labels and y = x diagonal. */
export function scatterChart(o: ScatterOptions): string {
  const f = frameOf(o);
  const out = header(f, o);
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
  let [xlo, xhi] = extent(xs);
  let [ylo, yhi] = extent(ys);
  if (o.diagonal) {
    xlo = ylo = Math.min(xlo, ylo);
    xhi = yhi = Math.max(xhi, yhi);
  }
  const xa = xAxis(f, xlo, xhi);
  const ya = yAxis(f, ylo, yhi, 'left', false);
  out.push(...xa.svg, ...ya.svg);
  if (o.diagonal) {
    out.push(
      `<line x1="${num(xa.scale(xlo))}" y1="${num(ya.scale(xlo))}" x2="${num(xa.scale(xhi))}" y2="${num(ya.scale(xhi))}" stroke="#999" stroke-dasharray="4,3"/>`,
    );
  }
  o.series.forEach((s, si) => {
    const color = PALETTE[si % PALETTE.length] as string;
    for (const p of s.points) {
      if (!(Number.isFinite(p.x) && Number.isFinite(p.y))) continue;
      const cx = num(xa.scale(p.x));
      const cy = num(ya.scale(p.y));
      out.push(`<circle cx="${cx}" cy="${cy}" r="4" fill="${color}"/>`);
      if (p.label)
        out.push(
          `<text x="${cx}" y="${num(ya.scale(p.y) - 7)}" text-anchor="middle" font-size="10">${escapeXml(p.label)}</text>`,
        );
    }
  });
  out.push(
    ...legend(
      f,
      o.series.map((s, i) => ({ name: s.name, color: PALETTE[i % PALETTE.length] as string })),
    ),
    '</svg>',
  );
  return `${out.join('\n')}\n`;
}
