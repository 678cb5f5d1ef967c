// A small dependency-free SVG plot writer for the graphon benchmark: panels of scatter/line series
// on linear or log10 axes, optional categorical x ticks, horizontal/vertical guide lines, a legend.
//
//   svgFigure([{ title, xlabel, ylabel, xlog, ylog, xlim, ylim, xticks, series, hlines, vlines, legend }], { cols, width, height })
//   legend: 'right' (top-right corner, default) or 'left'; series without a name stay out of it.
//   series: { name, color, points: [[x, y], …], line?: boolean, marker?: 'circle' | 'square' | 'none', r?, opacity? }
//   xticks: [[x, label], …] replaces the numeric ticks (categorical axes).

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];
export const color = (i) => PALETTE[i % PALETTE.length];

const esc = (s) =>
  String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
const num = (x) => (Math.abs(x) < 1e-9 ? '0' : Number(x.toFixed(2)).toString());

function niceTicks(lo, hi, count = 5) {
  const span = hi - lo || 1;
  const step0 = span / count;
  const mag = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= step0) ?? 10 * mag;
  const out = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step)
    out.push(Number(t.toPrecision(12)));
  return out;
}

function fmtTick(v, log) {
  if (log) {
    const e = Math.round(v);
    return Math.abs(v - e) < 1e-9 ? `1e${e}` : (10 ** v).toPrecision(2);
  }
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return v.toExponential(0);
  return Number(v.toPrecision(6)).toString();
}

function extent(values, pad) {
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  const d = (hi - lo) * pad;
  return [lo - d, hi + d];
}

function panel(p, W, H) {
  const m = { l: 62, r: 12, t: 28, b: 44 };
  const pw = W - m.l - m.r;
  const ph = H - m.t - m.b;
  const tx = (x) => (p.xlog ? Math.log10(x) : x);
  const ty = (y) => (p.ylog ? Math.log10(y) : y);
  const ok = (x, y) => Number.isFinite(tx(x)) && Number.isFinite(ty(y));
  const pts = p.series.flatMap((s) => s.points.filter(([x, y]) => ok(x, y)));
  const [x0, x1] = p.xlim
    ? p.xlim.map(tx)
    : extent(
        pts.map(([x]) => tx(x)),
        0.04,
      );
  const [y0, y1] = p.ylim
    ? p.ylim.map(ty)
    : extent(
        pts.map(([, y]) => ty(y)),
        0.06,
      );
  const sx = (x) => m.l + ((tx(x) - x0) / (x1 - x0)) * pw;
  const sy = (y) => m.t + ph - ((ty(y) - y0) / (y1 - y0)) * ph;
  const out = [];
  out.push(`<rect x="${m.l}" y="${m.t}" width="${pw}" height="${ph}" fill="#fff" stroke="#333"/>`);
  // Ticks and grid.
  const logTicks = (lo, hi) => {
    const ints = niceTicks(lo, hi).filter((v) => Number.isInteger(v));
    return ints.length >= 2 ? ints : niceTicks(lo, hi);
  };
  const xt = p.xticks
    ? p.xticks.map(([x, label]) => [tx(x), label])
    : (p.xlog ? logTicks(x0, x1) : niceTicks(x0, x1)).map((v) => [v, fmtTick(v, p.xlog)]);
  for (const [v, label] of xt) {
    const X = m.l + ((v - x0) / (x1 - x0)) * pw;
    if (X < m.l - 0.5 || X > m.l + pw + 0.5) continue;
    out.push(`<line x1="${num(X)}" y1="${m.t}" x2="${num(X)}" y2="${m.t + ph}" stroke="#eee"/>`);
    out.push(
      `<text x="${num(X)}" y="${m.t + ph + 14}" font-size="10" text-anchor="middle">${esc(label)}</text>`,
    );
  }
  const yt = p.ylog ? logTicks(y0, y1) : niceTicks(y0, y1);
  for (const v of yt) {
    const Y = m.t + ph - ((v - y0) / (y1 - y0)) * ph;
    if (Y < m.t - 0.5 || Y > m.t + ph + 0.5) continue;
    out.push(`<line x1="${m.l}" y1="${num(Y)}" x2="${m.l + pw}" y2="${num(Y)}" stroke="#eee"/>`);
    out.push(
      `<text x="${m.l - 4}" y="${num(Y + 3)}" font-size="10" text-anchor="end">${esc(fmtTick(v, p.ylog))}</text>`,
    );
  }
  for (const h of p.hlines ?? []) {
    const Y = sy(h.y);
    if (Y >= m.t && Y <= m.t + ph)
      out.push(
        `<line x1="${m.l}" y1="${num(Y)}" x2="${m.l + pw}" y2="${num(Y)}" stroke="${h.color ?? '#999'}" stroke-dasharray="4 3"/>`,
      );
  }
  for (const v of p.vlines ?? []) {
    const X = sx(v.x);
    if (X >= m.l && X <= m.l + pw)
      out.push(
        `<line x1="${num(X)}" y1="${m.t}" x2="${num(X)}" y2="${m.t + ph}" stroke="${v.color ?? '#999'}" stroke-dasharray="4 3"/>`,
      );
  }
  out.push(`<g clip-path="url(#clip-${p._id})">`);
  p.series.forEach((s, i) => {
    const c = s.color ?? color(i);
    const P = s.points.filter(([x, y]) => ok(x, y)).map(([x, y]) => [sx(x), sy(y)]);
    if (s.line && P.length > 1)
      out.push(
        `<polyline fill="none" stroke="${c}" stroke-width="1.5" points="${P.map(([x, y]) => `${num(x)},${num(y)}`).join(' ')}"/>`,
      );
    const marker = s.marker ?? (s.line ? 'none' : 'circle');
    const r = s.r ?? 2.5;
    const op = s.opacity ?? 0.75;
    for (const [x, y] of P) {
      if (marker === 'circle')
        out.push(`<circle cx="${num(x)}" cy="${num(y)}" r="${r}" fill="${c}" fill-opacity="${op}"/>`);
      else if (marker === 'square')
        out.push(
          `<rect x="${num(x - r)}" y="${num(y - r)}" width="${2 * r}" height="${2 * r}" fill="${c}" fill-opacity="${op}"/>`,
        );
    }
  });
  out.push('</g>');
  // Labels and legend.
  out.push(
    `<text x="${m.l + pw / 2}" y="16" font-size="12" text-anchor="middle">${esc(p.title ?? '')}</text>`,
  );
  out.push(
    `<text x="${m.l + pw / 2}" y="${H - 8}" font-size="11" text-anchor="middle">${esc(p.xlabel ?? '')}</text>`,
  );
  out.push(
    `<text x="14" y="${m.t + ph / 2}" font-size="11" text-anchor="middle" transform="rotate(-90 14 ${m.t + ph / 2})">${esc(p.ylabel ?? '')}</text>`,
  );
  const named = p.series.map((s, i) => [s, i]).filter(([s]) => s.name && !s.hideLegend);
  const lx = p.legend === 'left' ? m.l + 6 : m.l + pw - 78;
  named.forEach(([s, i], k) => {
    const y = m.t + 10 + 13 * k;
    out.push(`<rect x="${lx}" y="${y - 7}" width="72" height="13" fill="#fff" fill-opacity="0.7"/>`);
    out.push(`<rect x="${lx}" y="${y - 7}" width="9" height="9" fill="${s.color ?? color(i)}"/>`);
    out.push(`<text x="${lx + 13}" y="${y + 1}" font-size="10">${esc(s.name)}</text>`);
  });
  const clip = `<clipPath id="clip-${p._id}"><rect x="${m.l}" y="${m.t}" width="${pw}" height="${ph}"/></clipPath>`;
  return { body: out.join('\n'), clip };
}

/** One SVG document holding the panels on a grid (`cols` per row). */
export function svgFigure(panels, { cols = panels.length, width = 420, height = 300, title } = {}) {
  const rows = Math.ceil(panels.length / cols);
  const top = title ? 22 : 0;
  const W = cols * width;
  const H = rows * height + top;
  const defs = [];
  const body = [];
  panels.forEach((p, i) => {
    const { body: b, clip } = panel({ ...p, _id: i }, width, height);
    defs.push(clip);
    const x = (i % cols) * width;
    const y = top + Math.floor(i / cols) * height;
    body.push(`<g transform="translate(${x} ${y})">${b}</g>`);
  });
  const t = title ? `<text x="${W / 2}" y="16" font-size="13" text-anchor="middle">${esc(title)}</text>` : '';
  return `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif">
<defs>${defs.join('')}</defs>
<rect width="${W}" height="${H}" fill="#fff"/>
${t}
${body.join('\n')}
</svg>
`;
}
