// AssemblyScript source of the WebAssembly SIMD kernels of the dense symmetric eigensolver
// (compiled by `npm run build:wasm -w @graphpe/spectral` into src/eig/dense/wasm/kernels.wasm.ts).
// Line-for-line ports of tridiag-fused.ts / backtransform.ts / tridiag.ts / ql.ts (the JS kernels
// stay the reference implementation) on raw linear memory: every array argument is a byte address
// managed by the loader (src/eig/dense/wasm/loader.ts), no GC objects. The O(n³) inner loops run on
// f64x2 along the contiguous row index (plain mul + add, no relaxed-simd FMA), so sums are
// evaluated pairwise and results differ from the JS kernels by rounding only.

function at(base: usize, idx: i32): usize {
  return base + ((<usize>idx) << 3);
}

function ld(base: usize, idx: i32): f64 {
  return load<f64>(base + ((<usize>idx) << 3));
}

function st(base: usize, idx: i32, x: f64): void {
  store<f64>(base + ((<usize>idx) << 3), x);
}

function hsum(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

/** First byte address the loader may use (after any static data of this module). */
export function heapBase(): usize {
  return __heap_base;
}

// ---------------------------------------------------------------------------------------------
// Householder tridiagonalization, fused rank-2 update + symv (tridiag-fused.ts).

export function tridiagFused(
  w: usize,
  n: i32,
  d: usize,
  e: usize,
  hOut: usize,
  u2: usize,
  p2: usize,
  col: usize,
): void {
  if (n === 0) return;
  const last = n - 1;
  for (let j = 0; j < n; j++) st(d, j, ld(w, j * n + last));
  let i = last;
  let haveCol = false;
  let h: f64 = i > 0 ? prepare(w, n, i, d, e) : 0.0;
  if (h !== 0) symv(w, n, i, d, e);
  while (i > 0) {
    const ri = i * n;
    if (h === 0) {
      st(e, i, ld(d, i - 1));
      for (let j = 0; j < i; j++) {
        st(d, j, ld(w, j * n + i - 1));
        st(w, j * n + i, 0);
        st(w, ri + j, 0);
      }
      st(d, i, 0);
      st(hOut, i, 0);
      haveCol = false;
      i--;
      if (i === 0) break;
      h = prepare(w, n, i, d, e);
      if (h !== 0) symv(w, n, i, d, e);
      continue;
    }
    let f: f64 = 0;
    const invh = 1 / h;
    for (let j = 0; j < i; j++) {
      const x = ld(e, j) * invh;
      st(e, j, x);
      f += x * ld(d, j);
    }
    const hh = f / (h + h);
    for (let j = 0; j < i; j++) st(e, j, ld(e, j) - hh * ld(d, j));
    const ui1 = ld(d, i - 1);
    const qi1 = ld(e, i - 1);
    if (haveCol) {
      for (let j = 0; j < i; j++) st(u2, j, ld(col, j) - (ld(d, j) * qi1 + ld(e, j) * ui1));
    } else {
      for (let j = 0; j < i; j++) st(u2, j, ld(w, j * n + i - 1) - (ld(d, j) * qi1 + ld(e, j) * ui1));
    }
    st(w, (i - 1) * n + i - 1, ld(u2, i - 1));
    st(d, i, h);
    st(hOut, i, h);
    const m = i - 1;
    if (m === 0) break;
    const h2 = prepare(w, n, m, u2, e);
    if (h2 !== 0) {
      updateSymv(w, n, m, d, e, u2, p2, col);
      haveCol = true;
      memory.copy(d, u2, (<usize>m) << 3);
      memory.copy(e, p2, (<usize>m) << 3);
    } else {
      update(w, n, m, d, e);
      haveCol = false;
      memory.copy(d, u2, (<usize>m) << 3);
    }
    h = h2;
    i = m;
  }
  for (let j = 0; j < n; j++) st(d, j, ld(w, j * n + j));
  st(e, 0, 0);
}

function prepare(w: usize, n: i32, i: i32, col: usize, e: usize): f64 {
  let scale: f64 = 0;
  for (let k = 0; k < i; k++) scale += Math.abs(ld(col, k));
  if (scale === 0) return 0;
  const inv = 1 / scale;
  let h: f64 = 0;
  for (let k = 0; k < i; k++) {
    const x = ld(col, k) * inv;
    st(col, k, x);
    h += x * x;
  }
  const f = ld(col, i - 1);
  let g = Math.sqrt(h);
  if (f > 0) g = -g;
  st(e, i, scale * g);
  h -= f * g;
  st(col, i - 1, f - g);
  memory.copy(at(w, i * n), col, (<usize>i) << 3);
  return h;
}

/** p[0..m) = A u over the leading m×m block (upper triangle rows); O(n²), once per zero column. */
function symv(w: usize, n: i32, m: i32, u: usize, p: usize): void {
  memory.fill(p, 0, (<usize>m) << 3);
  for (let j = 0; j < m; j++) {
    const r0 = j * n;
    const f0 = ld(u, j);
    let g0 = ld(p, j) + ld(w, r0 + j) * f0;
    for (let k = j + 1; k < m; k++) {
      const a0 = ld(w, r0 + k);
      g0 += a0 * ld(u, k);
      st(p, k, ld(p, k) + a0 * f0);
    }
    st(p, j, g0);
  }
}

function update(w: usize, n: i32, m: i32, u: usize, q: usize): void {
  for (let j = 0; j < m; j++) {
    const rj = j * n;
    const f0 = ld(u, j);
    const g0 = ld(q, j);
    for (let k = j; k < m; k++) st(w, rj + k, ld(w, rj + k) - (f0 * ld(q, k) + g0 * ld(u, k)));
  }
}

/** A ← A − u qᵀ − q uᵀ (upper triangle, leading m×m) and p = A v on the updated values; 4 rows per pass. */
function updateSymv(w: usize, n: i32, m: i32, u: usize, q: usize, v: usize, p: usize, col: usize): void {
  memory.fill(p, 0, (<usize>m) << 3);
  const lastCol = m - 1;
  let j = 0;
  for (; j + 3 < m; j += 4) {
    const r0 = j * n;
    for (let r = j; r < j + 4; r++) {
      const rr = r * n;
      const fr = ld(u, r);
      const gr = ld(q, r);
      const vr = ld(v, r);
      const a = ld(w, rr + r) - (fr * ld(q, r) + gr * ld(u, r));
      st(w, rr + r, a);
      let s = ld(p, r) + a * vr;
      for (let k = r + 1; k < j + 4; k++) {
        const b = ld(w, rr + k) - (fr * ld(q, k) + gr * ld(u, k));
        st(w, rr + k, b);
        s += b * ld(v, k);
        st(p, k, ld(p, k) + b * vr);
      }
      st(p, r, s);
    }
    const f0 = ld(u, j);
    const f1 = ld(u, j + 1);
    const f2 = ld(u, j + 2);
    const f3 = ld(u, j + 3);
    const g0 = ld(q, j);
    const g1 = ld(q, j + 1);
    const g2 = ld(q, j + 2);
    const g3 = ld(q, j + 3);
    const v0 = ld(v, j);
    const v1 = ld(v, j + 1);
    const v2 = ld(v, j + 2);
    const v3 = ld(v, j + 3);
    const F0 = f64x2.splat(f0);
    const F1 = f64x2.splat(f1);
    const F2 = f64x2.splat(f2);
    const F3 = f64x2.splat(f3);
    const G0 = f64x2.splat(g0);
    const G1 = f64x2.splat(g1);
    const G2 = f64x2.splat(g2);
    const G3 = f64x2.splat(g3);
    const V0 = f64x2.splat(v0);
    const V1 = f64x2.splat(v1);
    const V2 = f64x2.splat(v2);
    const V3 = f64x2.splat(v3);
    let S0 = f64x2.splat(0);
    let S1 = f64x2.splat(0);
    let S2 = f64x2.splat(0);
    let S3 = f64x2.splat(0);
    const w0 = at(w, r0);
    const w1 = w0 + ((<usize>n) << 3);
    const w2 = w1 + ((<usize>n) << 3);
    const w3 = w2 + ((<usize>n) << 3);
    let k = j + 4;
    for (; k + 1 < m; k += 2) {
      const o = (<usize>k) << 3;
      const qk = v128.load(q + o);
      const uk = v128.load(u + o);
      const vk = v128.load(v + o);
      const a0 = f64x2.sub(v128.load(w0 + o), f64x2.add(f64x2.mul(F0, qk), f64x2.mul(G0, uk)));
      const a1 = f64x2.sub(v128.load(w1 + o), f64x2.add(f64x2.mul(F1, qk), f64x2.mul(G1, uk)));
      const a2 = f64x2.sub(v128.load(w2 + o), f64x2.add(f64x2.mul(F2, qk), f64x2.mul(G2, uk)));
      const a3 = f64x2.sub(v128.load(w3 + o), f64x2.add(f64x2.mul(F3, qk), f64x2.mul(G3, uk)));
      v128.store(w0 + o, a0);
      v128.store(w1 + o, a1);
      v128.store(w2 + o, a2);
      v128.store(w3 + o, a3);
      S0 = f64x2.add(S0, f64x2.mul(a0, vk));
      S1 = f64x2.add(S1, f64x2.mul(a1, vk));
      S2 = f64x2.add(S2, f64x2.mul(a2, vk));
      S3 = f64x2.add(S3, f64x2.mul(a3, vk));
      const t = f64x2.add(
        f64x2.add(f64x2.mul(a0, V0), f64x2.mul(a1, V1)),
        f64x2.add(f64x2.mul(a2, V2), f64x2.mul(a3, V3)),
      );
      v128.store(p + o, f64x2.add(v128.load(p + o), t));
    }
    let s0 = hsum(S0);
    let s1 = hsum(S1);
    let s2 = hsum(S2);
    let s3 = hsum(S3);
    for (; k < m; k++) {
      const qk = ld(q, k);
      const uk = ld(u, k);
      const vk = ld(v, k);
      const a0 = ld(w, r0 + k) - (f0 * qk + g0 * uk);
      const a1 = ld(w, r0 + n + k) - (f1 * qk + g1 * uk);
      const a2 = ld(w, r0 + 2 * n + k) - (f2 * qk + g2 * uk);
      const a3 = ld(w, r0 + 3 * n + k) - (f3 * qk + g3 * uk);
      st(w, r0 + k, a0);
      st(w, r0 + n + k, a1);
      st(w, r0 + 2 * n + k, a2);
      st(w, r0 + 3 * n + k, a3);
      s0 += a0 * vk;
      s1 += a1 * vk;
      s2 += a2 * vk;
      s3 += a3 * vk;
      st(p, k, ld(p, k) + (a0 * v0 + a1 * v1 + (a2 * v2 + a3 * v3)));
    }
    st(p, j, ld(p, j) + s0);
    st(p, j + 1, ld(p, j + 1) + s1);
    st(p, j + 2, ld(p, j + 2) + s2);
    st(p, j + 3, ld(p, j + 3) + s3);
    st(col, j, ld(w, r0 + lastCol));
    st(col, j + 1, ld(w, r0 + n + lastCol));
    st(col, j + 2, ld(w, r0 + 2 * n + lastCol));
    st(col, j + 3, ld(w, r0 + 3 * n + lastCol));
  }
  for (; j < m; j++) {
    const rj = j * n;
    const f0 = ld(u, j);
    const g0 = ld(q, j);
    const v0 = ld(v, j);
    const a = ld(w, rj + j) - (f0 * ld(q, j) + g0 * ld(u, j));
    st(w, rj + j, a);
    let s = ld(p, j) + a * v0;
    for (let k = j + 1; k < m; k++) {
      const b = ld(w, rj + k) - (f0 * ld(q, k) + g0 * ld(u, k));
      st(w, rj + k, b);
      s += b * ld(v, k);
      st(p, k, ld(p, k) + b * v0);
    }
    st(p, j, s);
    st(col, j, ld(w, rj + lastCol));
  }
}

// ---------------------------------------------------------------------------------------------
// Back-transformation x ← H_1⋯H_{n−1} y of the rows of z (backtransform.ts).

export function applyReflectors(
  w: usize,
  h: usize,
  n: i32,
  z: usize,
  blockStart: usize,
  c: usize,
  c2: usize,
): void {
  for (let i = 1; i + 1 < n; i++) {
    const ra = i * n;
    const rb = ra + n;
    st(c, i, dot(at(w, rb), at(w, ra), i));
    if (i + 2 < n) st(c2, i, dot(at(w, rb + n), at(w, ra), i));
  }
  let allFrom = n;
  while (allFrom > 1 && ld(h, allFrom - 1) !== 0) allFrom--;
  let j = 0;
  for (; j + 3 < n; j += 4) {
    let s = load<i32>(blockStart + ((<usize>j) << 2));
    s = min(s, load<i32>(blockStart + ((<usize>(j + 1)) << 2)));
    s = min(s, load<i32>(blockStart + ((<usize>(j + 2)) << 2)));
    s = min(s, load<i32>(blockStart + ((<usize>(j + 3)) << 2)));
    const start = s + 1;
    if (start >= allFrom) apply4Fused3(w, h, n, z, j * n, start, c, c2);
    else apply4(w, h, n, z, j * n, start, c);
  }
  for (; j < n; j++) {
    const r0 = j * n;
    for (let i = load<i32>(blockStart + ((<usize>j) << 2)) + 1; i < n; i++) {
      const hi = ld(h, i);
      if (hi === 0) continue;
      const ru = i * n;
      let s0: f64 = 0;
      for (let k = 0; k < i; k++) s0 += ld(w, ru + k) * ld(z, r0 + k);
      s0 /= hi;
      for (let k = 0; k < i; k++) st(z, r0 + k, ld(z, r0 + k) - s0 * ld(w, ru + k));
    }
  }
}

function dot(a: usize, b: usize, len: i32): f64 {
  let s: f64 = 0;
  for (let k = 0; k < len; k++) s += ld(a, k) * ld(b, k);
  return s;
}

function apply4(w: usize, h: usize, n: i32, z: usize, r0: i32, start: i32, c: usize): void {
  const r1 = r0 + n;
  const r2 = r1 + n;
  const r3 = r2 + n;
  const z0 = at(z, r0);
  const z1 = at(z, r1);
  const z2 = at(z, r2);
  const z3 = at(z, r3);
  let i = start;
  while (i < n) {
    const ha = ld(h, i);
    const ra = i * n;
    const pa = at(w, ra);
    if (i + 1 < n && ha !== 0 && ld(h, i + 1) !== 0) {
      const hb = ld(h, i + 1);
      const rb = ra + n;
      const pb = at(w, rb);
      let A0 = f64x2.splat(0);
      let A1 = f64x2.splat(0);
      let A2 = f64x2.splat(0);
      let A3 = f64x2.splat(0);
      let B0 = f64x2.splat(0);
      let B1 = f64x2.splat(0);
      let B2 = f64x2.splat(0);
      let B3 = f64x2.splat(0);
      let k = 0;
      for (; k + 1 < i; k += 2) {
        const o = (<usize>k) << 3;
        const ua = v128.load(pa + o);
        const ub = v128.load(pb + o);
        const x0 = v128.load(z0 + o);
        const x1 = v128.load(z1 + o);
        const x2 = v128.load(z2 + o);
        const x3 = v128.load(z3 + o);
        A0 = f64x2.add(A0, f64x2.mul(ua, x0));
        A1 = f64x2.add(A1, f64x2.mul(ua, x1));
        A2 = f64x2.add(A2, f64x2.mul(ua, x2));
        A3 = f64x2.add(A3, f64x2.mul(ua, x3));
        B0 = f64x2.add(B0, f64x2.mul(ub, x0));
        B1 = f64x2.add(B1, f64x2.mul(ub, x1));
        B2 = f64x2.add(B2, f64x2.mul(ub, x2));
        B3 = f64x2.add(B3, f64x2.mul(ub, x3));
      }
      let a0 = hsum(A0);
      let a1 = hsum(A1);
      let a2 = hsum(A2);
      let a3 = hsum(A3);
      let b0 = hsum(B0);
      let b1 = hsum(B1);
      let b2 = hsum(B2);
      let b3 = hsum(B3);
      for (; k < i; k++) {
        const ua = ld(pa, k);
        const ub = ld(pb, k);
        const x0 = ld(z0, k);
        const x1 = ld(z1, k);
        const x2 = ld(z2, k);
        const x3 = ld(z3, k);
        a0 += ua * x0;
        a1 += ua * x1;
        a2 += ua * x2;
        a3 += ua * x3;
        b0 += ub * x0;
        b1 += ub * x1;
        b2 += ub * x2;
        b3 += ub * x3;
      }
      const ubi = ld(pb, i);
      b0 += ubi * ld(z0, i);
      b1 += ubi * ld(z1, i);
      b2 += ubi * ld(z2, i);
      b3 += ubi * ld(z3, i);
      const ia = 1 / ha;
      const ib = 1 / hb;
      const ci = ld(c, i);
      a0 *= ia;
      a1 *= ia;
      a2 *= ia;
      a3 *= ia;
      b0 = (b0 - a0 * ci) * ib;
      b1 = (b1 - a1 * ci) * ib;
      b2 = (b2 - a2 * ci) * ib;
      b3 = (b3 - a3 * ci) * ib;
      const a0v = f64x2.splat(a0);
      const a1v = f64x2.splat(a1);
      const a2v = f64x2.splat(a2);
      const a3v = f64x2.splat(a3);
      const b0v = f64x2.splat(b0);
      const b1v = f64x2.splat(b1);
      const b2v = f64x2.splat(b2);
      const b3v = f64x2.splat(b3);
      k = 0;
      for (; k + 1 < i; k += 2) {
        const o = (<usize>k) << 3;
        const ua = v128.load(pa + o);
        const ub = v128.load(pb + o);
        v128.store(z0 + o, f64x2.sub(v128.load(z0 + o), f64x2.add(f64x2.mul(a0v, ua), f64x2.mul(b0v, ub))));
        v128.store(z1 + o, f64x2.sub(v128.load(z1 + o), f64x2.add(f64x2.mul(a1v, ua), f64x2.mul(b1v, ub))));
        v128.store(z2 + o, f64x2.sub(v128.load(z2 + o), f64x2.add(f64x2.mul(a2v, ua), f64x2.mul(b2v, ub))));
        v128.store(z3 + o, f64x2.sub(v128.load(z3 + o), f64x2.add(f64x2.mul(a3v, ua), f64x2.mul(b3v, ub))));
      }
      for (; k < i; k++) {
        const ua = ld(pa, k);
        const ub = ld(pb, k);
        st(z0, k, ld(z0, k) - (a0 * ua + b0 * ub));
        st(z1, k, ld(z1, k) - (a1 * ua + b1 * ub));
        st(z2, k, ld(z2, k) - (a2 * ua + b2 * ub));
        st(z3, k, ld(z3, k) - (a3 * ua + b3 * ub));
      }
      st(z0, i, ld(z0, i) - b0 * ubi);
      st(z1, i, ld(z1, i) - b1 * ubi);
      st(z2, i, ld(z2, i) - b2 * ubi);
      st(z3, i, ld(z3, i) - b3 * ubi);
      i += 2;
      continue;
    }
    if (ha !== 0) {
      let S0 = f64x2.splat(0);
      let S1 = f64x2.splat(0);
      let S2 = f64x2.splat(0);
      let S3 = f64x2.splat(0);
      let k = 0;
      for (; k + 1 < i; k += 2) {
        const o = (<usize>k) << 3;
        const u = v128.load(pa + o);
        S0 = f64x2.add(S0, f64x2.mul(u, v128.load(z0 + o)));
        S1 = f64x2.add(S1, f64x2.mul(u, v128.load(z1 + o)));
        S2 = f64x2.add(S2, f64x2.mul(u, v128.load(z2 + o)));
        S3 = f64x2.add(S3, f64x2.mul(u, v128.load(z3 + o)));
      }
      let s0 = hsum(S0);
      let s1 = hsum(S1);
      let s2 = hsum(S2);
      let s3 = hsum(S3);
      for (; k < i; k++) {
        const u = ld(pa, k);
        s0 += u * ld(z0, k);
        s1 += u * ld(z1, k);
        s2 += u * ld(z2, k);
        s3 += u * ld(z3, k);
      }
      const inv = 1 / ha;
      s0 *= inv;
      s1 *= inv;
      s2 *= inv;
      s3 *= inv;
      const s0v = f64x2.splat(s0);
      const s1v = f64x2.splat(s1);
      const s2v = f64x2.splat(s2);
      const s3v = f64x2.splat(s3);
      k = 0;
      for (; k + 1 < i; k += 2) {
        const o = (<usize>k) << 3;
        const u = v128.load(pa + o);
        v128.store(z0 + o, f64x2.sub(v128.load(z0 + o), f64x2.mul(s0v, u)));
        v128.store(z1 + o, f64x2.sub(v128.load(z1 + o), f64x2.mul(s1v, u)));
        v128.store(z2 + o, f64x2.sub(v128.load(z2 + o), f64x2.mul(s2v, u)));
        v128.store(z3 + o, f64x2.sub(v128.load(z3 + o), f64x2.mul(s3v, u)));
      }
      for (; k < i; k++) {
        const u = ld(pa, k);
        st(z0, k, ld(z0, k) - s0 * u);
        st(z1, k, ld(z1, k) - s1 * u);
        st(z2, k, ld(z2, k) - s2 * u);
        st(z3, k, ld(z3, k) - s3 * u);
      }
    }
    i++;
  }
}

/** apply4 when every H_i (i ≥ start) is non-trivial: three reflectors per pass, update fused with the next dots. */
function apply4Fused3(w: usize, h: usize, n: i32, z: usize, r0: i32, start: i32, c1: usize, c2: usize): void {
  const z0 = at(z, r0);
  const z1 = z0 + ((<usize>n) << 3);
  const z2 = z1 + ((<usize>n) << 3);
  const z3 = z2 + ((<usize>n) << 3);
  let i = start;
  if (i + 2 < n) {
    const ra = at(w, i * n);
    const rb = ra + ((<usize>n) << 3);
    const rc = rb + ((<usize>n) << 3);
    let a0: f64 = 0;
    let b0: f64 = 0;
    let g0: f64 = 0;
    let a1: f64 = 0;
    let b1: f64 = 0;
    let g1: f64 = 0;
    let a2: f64 = 0;
    let b2: f64 = 0;
    let g2: f64 = 0;
    let a3: f64 = 0;
    let b3: f64 = 0;
    let g3: f64 = 0;
    for (let k = 0; k < i; k++) {
      const ua = ld(ra, k);
      const ub = ld(rb, k);
      const uc = ld(rc, k);
      const x0 = ld(z0, k);
      a0 += ua * x0;
      b0 += ub * x0;
      g0 += uc * x0;
      const x1 = ld(z1, k);
      a1 += ua * x1;
      b1 += ub * x1;
      g1 += uc * x1;
      const x2 = ld(z2, k);
      a2 += ua * x2;
      b2 += ub * x2;
      g2 += uc * x2;
      const x3 = ld(z3, k);
      a3 += ua * x3;
      b3 += ub * x3;
      g3 += uc * x3;
    }
    {
      const ub = ld(rb, i);
      const uc = ld(rc, i);
      const uc1 = ld(rc, i + 1);
      const x0 = ld(z0, i);
      b0 += ub * x0;
      g0 += uc * x0 + uc1 * ld(z0, i + 1);
      const x1 = ld(z1, i);
      b1 += ub * x1;
      g1 += uc * x1 + uc1 * ld(z1, i + 1);
      const x2 = ld(z2, i);
      b2 += ub * x2;
      g2 += uc * x2 + uc1 * ld(z2, i + 1);
      const x3 = ld(z3, i);
      b3 += ub * x3;
      g3 += uc * x3 + uc1 * ld(z3, i + 1);
    }
    while (i + 2 < n) {
      const pa = at(w, i * n);
      const pb = pa + ((<usize>n) << 3);
      const pc = pb + ((<usize>n) << 3);
      const ia = 1 / ld(h, i);
      const ib = 1 / ld(h, i + 1);
      const ic = 1 / ld(h, i + 2);
      const cab = ld(c1, i);
      const cac = ld(c2, i);
      const cbc = ld(c1, i + 1);
      a0 *= ia;
      b0 = (b0 - a0 * cab) * ib;
      g0 = (g0 - a0 * cac - b0 * cbc) * ic;
      a1 *= ia;
      b1 = (b1 - a1 * cab) * ib;
      g1 = (g1 - a1 * cac - b1 * cbc) * ic;
      a2 *= ia;
      b2 = (b2 - a2 * cab) * ib;
      g2 = (g2 - a2 * cac - b2 * cbc) * ic;
      a3 *= ia;
      b3 = (b3 - a3 * cab) * ib;
      g3 = (g3 - a3 * cac - b3 * cbc) * ic;
      const ubi = ld(pb, i);
      const uci = ld(pc, i);
      const uci1 = ld(pc, i + 1);
      if (i + 5 >= n) {
        for (let k = 0; k < i; k++) {
          const ua = ld(pa, k);
          const ub = ld(pb, k);
          const uc = ld(pc, k);
          st(z0, k, ld(z0, k) - (a0 * ua + b0 * ub + g0 * uc));
          st(z1, k, ld(z1, k) - (a1 * ua + b1 * ub + g1 * uc));
          st(z2, k, ld(z2, k) - (a2 * ua + b2 * ub + g2 * uc));
          st(z3, k, ld(z3, k) - (a3 * ua + b3 * ub + g3 * uc));
        }
        st(z0, i, ld(z0, i) - (b0 * ubi + g0 * uci));
        st(z0, i + 1, ld(z0, i + 1) - g0 * uci1);
        st(z1, i, ld(z1, i) - (b1 * ubi + g1 * uci));
        st(z1, i + 1, ld(z1, i + 1) - g1 * uci1);
        st(z2, i, ld(z2, i) - (b2 * ubi + g2 * uci));
        st(z2, i + 1, ld(z2, i + 1) - g2 * uci1);
        st(z3, i, ld(z3, i) - (b3 * ubi + g3 * uci));
        st(z3, i + 1, ld(z3, i + 1) - g3 * uci1);
        i += 3;
        break;
      }
      const pd = pc + ((<usize>n) << 3);
      const pe = pd + ((<usize>n) << 3);
      const pf = pe + ((<usize>n) << 3);
      const A0 = f64x2.splat(a0);
      const B0 = f64x2.splat(b0);
      const G0 = f64x2.splat(g0);
      const A1 = f64x2.splat(a1);
      const B1 = f64x2.splat(b1);
      const G1 = f64x2.splat(g1);
      const A2 = f64x2.splat(a2);
      const B2 = f64x2.splat(b2);
      const G2 = f64x2.splat(g2);
      const A3 = f64x2.splat(a3);
      const B3 = f64x2.splat(b3);
      const G3 = f64x2.splat(g3);
      let D0 = f64x2.splat(0);
      let E0 = f64x2.splat(0);
      let F0 = f64x2.splat(0);
      let D1 = f64x2.splat(0);
      let E1 = f64x2.splat(0);
      let F1 = f64x2.splat(0);
      let D2 = f64x2.splat(0);
      let E2 = f64x2.splat(0);
      let F2 = f64x2.splat(0);
      let D3 = f64x2.splat(0);
      let E3 = f64x2.splat(0);
      let F3 = f64x2.splat(0);
      let k = 0;
      for (; k + 1 < i; k += 2) {
        const o = (<usize>k) << 3;
        const ua = v128.load(pa + o);
        const ub = v128.load(pb + o);
        const uc = v128.load(pc + o);
        const ud = v128.load(pd + o);
        const ue = v128.load(pe + o);
        const uf = v128.load(pf + o);
        const x0 = f64x2.sub(
          v128.load(z0 + o),
          f64x2.add(f64x2.add(f64x2.mul(A0, ua), f64x2.mul(B0, ub)), f64x2.mul(G0, uc)),
        );
        v128.store(z0 + o, x0);
        D0 = f64x2.add(D0, f64x2.mul(ud, x0));
        E0 = f64x2.add(E0, f64x2.mul(ue, x0));
        F0 = f64x2.add(F0, f64x2.mul(uf, x0));
        const x1 = f64x2.sub(
          v128.load(z1 + o),
          f64x2.add(f64x2.add(f64x2.mul(A1, ua), f64x2.mul(B1, ub)), f64x2.mul(G1, uc)),
        );
        v128.store(z1 + o, x1);
        D1 = f64x2.add(D1, f64x2.mul(ud, x1));
        E1 = f64x2.add(E1, f64x2.mul(ue, x1));
        F1 = f64x2.add(F1, f64x2.mul(uf, x1));
        const x2 = f64x2.sub(
          v128.load(z2 + o),
          f64x2.add(f64x2.add(f64x2.mul(A2, ua), f64x2.mul(B2, ub)), f64x2.mul(G2, uc)),
        );
        v128.store(z2 + o, x2);
        D2 = f64x2.add(D2, f64x2.mul(ud, x2));
        E2 = f64x2.add(E2, f64x2.mul(ue, x2));
        F2 = f64x2.add(F2, f64x2.mul(uf, x2));
        const x3 = f64x2.sub(
          v128.load(z3 + o),
          f64x2.add(f64x2.add(f64x2.mul(A3, ua), f64x2.mul(B3, ub)), f64x2.mul(G3, uc)),
        );
        v128.store(z3 + o, x3);
        D3 = f64x2.add(D3, f64x2.mul(ud, x3));
        E3 = f64x2.add(E3, f64x2.mul(ue, x3));
        F3 = f64x2.add(F3, f64x2.mul(uf, x3));
      }
      let d0 = hsum(D0);
      let e0 = hsum(E0);
      let f0 = hsum(F0);
      let d1 = hsum(D1);
      let e1 = hsum(E1);
      let f1 = hsum(F1);
      let d2 = hsum(D2);
      let e2 = hsum(E2);
      let f2 = hsum(F2);
      let d3 = hsum(D3);
      let e3 = hsum(E3);
      let f3 = hsum(F3);
      for (; k < i; k++) {
        const ua = ld(pa, k);
        const ub = ld(pb, k);
        const uc = ld(pc, k);
        const ud = ld(pd, k);
        const ue = ld(pe, k);
        const uf = ld(pf, k);
        const x0 = ld(z0, k) - (a0 * ua + b0 * ub + g0 * uc);
        st(z0, k, x0);
        d0 += ud * x0;
        e0 += ue * x0;
        f0 += uf * x0;
        const x1 = ld(z1, k) - (a1 * ua + b1 * ub + g1 * uc);
        st(z1, k, x1);
        d1 += ud * x1;
        e1 += ue * x1;
        f1 += uf * x1;
        const x2 = ld(z2, k) - (a2 * ua + b2 * ub + g2 * uc);
        st(z2, k, x2);
        d2 += ud * x2;
        e2 += ue * x2;
        f2 += uf * x2;
        const x3 = ld(z3, k) - (a3 * ua + b3 * ub + g3 * uc);
        st(z3, k, x3);
        d3 += ud * x3;
        e3 += ue * x3;
        f3 += uf * x3;
      }
      for (let k = i; k < i + 5; k++) {
        const ud = k < i + 3 ? ld(pd, k) : 0;
        const ue = k < i + 4 ? ld(pe, k) : 0;
        const uf = ld(pf, k);
        const ub = k === i ? ubi : 0;
        const uc = k === i ? uci : k === i + 1 ? uci1 : 0;
        let x0 = ld(z0, k);
        if (k < i + 2) {
          x0 -= b0 * ub + g0 * uc;
          st(z0, k, x0);
        }
        d0 += ud * x0;
        e0 += ue * x0;
        f0 += uf * x0;
        let x1 = ld(z1, k);
        if (k < i + 2) {
          x1 -= b1 * ub + g1 * uc;
          st(z1, k, x1);
        }
        d1 += ud * x1;
        e1 += ue * x1;
        f1 += uf * x1;
        let x2 = ld(z2, k);
        if (k < i + 2) {
          x2 -= b2 * ub + g2 * uc;
          st(z2, k, x2);
        }
        d2 += ud * x2;
        e2 += ue * x2;
        f2 += uf * x2;
        let x3 = ld(z3, k);
        if (k < i + 2) {
          x3 -= b3 * ub + g3 * uc;
          st(z3, k, x3);
        }
        d3 += ud * x3;
        e3 += ue * x3;
        f3 += uf * x3;
      }
      a0 = d0;
      b0 = e0;
      g0 = f0;
      a1 = d1;
      b1 = e1;
      g1 = f1;
      a2 = d2;
      b2 = e2;
      g2 = f2;
      a3 = d3;
      b3 = e3;
      g3 = f3;
      i += 3;
    }
  }
  if (i < n) apply4(w, h, n, z, r0, i, c1);
}

// ---------------------------------------------------------------------------------------------
// Small matrices (n < 64, the molecule path): tridiagonalization with Q accumulated (tridiag.ts)
// followed by implicit QL rotating the rows of Q (ql.ts), in one call.

/**
 * EISPACK tred2 + tql2 on `w` (n×n, upper triangle read). On exit `d` holds the eigenvalues and,
 * with `vectors`, row j of `w` the eigenvector of d[j]. `e`, `cs`, `sn`: scratch of length ≥ n + 1.
 * Returns 0, or l + 1 when QL did not converge for eigenvalue l within `maxIter` sweeps.
 */
export function smallEigh(
  w: usize,
  n: i32,
  d: usize,
  e: usize,
  cs: usize,
  sn: usize,
  vectors: i32,
  maxIter: i32,
): i32 {
  tridiagAccumulate(w, n, d, e, vectors !== 0);
  return tridiagQL(d, e, n, vectors !== 0 ? w : 0, cs, sn, maxIter);
}

function tridiagAccumulate(w: usize, n: i32, d: usize, e: usize, accumulate: bool): void {
  if (n === 0) return;
  const last = n - 1;
  for (let j = 0; j < n; j++) st(d, j, ld(w, j * n + last));
  for (let i = last; i > 0; i--) {
    let scale: f64 = 0;
    let h: f64 = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(ld(d, k));
    const ri = i * n;
    if (scale === 0) {
      st(e, i, ld(d, i - 1));
      for (let j = 0; j < i; j++) {
        st(d, j, ld(w, j * n + i - 1));
        st(w, j * n + i, 0);
        st(w, ri + j, 0);
      }
    } else {
      const inv = 1 / scale;
      for (let k = 0; k < i; k++) {
        const x = ld(d, k) * inv;
        st(d, k, x);
        h += x * x;
      }
      const f = ld(d, i - 1);
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      st(e, i, scale * g);
      h -= f * g;
      st(d, i - 1, f - g);
      memory.copy(at(w, ri), d, (<usize>i) << 3);
      symvRows(w, n, i, d, e);
      // q = p/h − (uᵀp / 2h²) u
      let s: f64 = 0;
      const invh = 1 / h;
      for (let j = 0; j < i; j++) {
        const x = ld(e, j) * invh;
        st(e, j, x);
        s += x * ld(d, j);
      }
      const hh = s / (h + h);
      for (let j = 0; j < i; j++) st(e, j, ld(e, j) - hh * ld(d, j));
      // A ← A − u qᵀ − q uᵀ (upper triangle of the leading i×i block), row by row; then d ← column i−1.
      for (let j = 0; j < i; j++) {
        const rj = at(w, j * n);
        const f0 = ld(d, j);
        const g0 = ld(e, j);
        const F0 = f64x2.splat(f0);
        const G0 = f64x2.splat(g0);
        let k = j;
        for (; k + 1 < i; k += 2) {
          const o = (<usize>k) << 3;
          const x = f64x2.add(f64x2.mul(F0, v128.load(e + o)), f64x2.mul(G0, v128.load(d + o)));
          v128.store(rj + o, f64x2.sub(v128.load(rj + o), x));
        }
        if (k < i) st(rj, k, ld(rj, k) - (f0 * ld(e, k) + g0 * ld(d, k)));
        st(d, j, ld(rj, i - 1));
        st(rj, i, 0);
      }
    }
    st(d, i, h);
  }
  if (!accumulate) {
    for (let j = 0; j < n; j++) st(d, j, ld(w, j * n + j));
    st(e, 0, 0);
    return;
  }
  // Q = H_{n−1} ⋯ H_1; rows of w are columns of Q.
  for (let i = 0; i < last; i++) {
    const ri = i * n;
    st(w, ri + last, ld(w, ri + i));
    st(w, ri + i, 1);
    const h = ld(d, i + 1);
    const pu = at(w, ri + n);
    const len = i + 1;
    if (h !== 0) {
      const invh = 1 / h;
      for (let k = 0; k < len; k++) st(d, k, ld(pu, k) * invh);
      let j = 0;
      for (; j + 1 < len; j += 2) {
        const p0 = at(w, j * n);
        const p1 = p0 + ((<usize>n) << 3);
        let S0 = f64x2.splat(0);
        let S1 = f64x2.splat(0);
        let k = 0;
        for (; k + 1 < len; k += 2) {
          const o = (<usize>k) << 3;
          const uk = v128.load(pu + o);
          S0 = f64x2.add(S0, f64x2.mul(uk, v128.load(p0 + o)));
          S1 = f64x2.add(S1, f64x2.mul(uk, v128.load(p1 + o)));
        }
        let g0 = hsum(S0);
        let g1 = hsum(S1);
        if (k < len) {
          const uk = ld(pu, k);
          g0 += uk * ld(p0, k);
          g1 += uk * ld(p1, k);
        }
        const G0 = f64x2.splat(g0);
        const G1 = f64x2.splat(g1);
        k = 0;
        for (; k + 1 < len; k += 2) {
          const o = (<usize>k) << 3;
          const dk = v128.load(d + o);
          v128.store(p0 + o, f64x2.sub(v128.load(p0 + o), f64x2.mul(G0, dk)));
          v128.store(p1 + o, f64x2.sub(v128.load(p1 + o), f64x2.mul(G1, dk)));
        }
        if (k < len) {
          const dk = ld(d, k);
          st(p0, k, ld(p0, k) - g0 * dk);
          st(p1, k, ld(p1, k) - g1 * dk);
        }
      }
      if (j < len) {
        const p0 = at(w, j * n);
        const g0 = dot(pu, p0, len);
        for (let k = 0; k < len; k++) st(p0, k, ld(p0, k) - g0 * ld(d, k));
      }
    }
    memory.fill(pu, 0, (<usize>len) << 3);
  }
  for (let j = 0; j < n; j++) {
    st(d, j, ld(w, j * n + last));
    st(w, j * n + last, 0);
  }
  st(w, last * n + last, 1);
  st(e, 0, 0);
}

/** e[0..m) = A u over the leading m×m block (upper-triangle rows), four rows per pass, f64x2 along the row. */
function symvRows(w: usize, n: i32, m: i32, u: usize, p: usize): void {
  memory.fill(p, 0, (<usize>m) << 3);
  let j = 0;
  for (; j + 3 < m; j += 4) {
    const w0 = at(w, j * n);
    const w1 = w0 + ((<usize>n) << 3);
    const w2 = w1 + ((<usize>n) << 3);
    const w3 = w2 + ((<usize>n) << 3);
    const f0 = ld(u, j);
    const f1 = ld(u, j + 1);
    const f2 = ld(u, j + 2);
    const f3 = ld(u, j + 3);
    const a01 = ld(w0, j + 1);
    const a02 = ld(w0, j + 2);
    const a03 = ld(w0, j + 3);
    const a12 = ld(w1, j + 2);
    const a13 = ld(w1, j + 3);
    const a23 = ld(w2, j + 3);
    let g0 = ld(p, j) + (ld(w0, j) * f0 + a01 * f1 + a02 * f2 + a03 * f3);
    let g1 = ld(p, j + 1) + (a01 * f0 + ld(w1, j + 1) * f1 + a12 * f2 + a13 * f3);
    let g2 = ld(p, j + 2) + (a02 * f0 + a12 * f1 + ld(w2, j + 2) * f2 + a23 * f3);
    let g3 = ld(p, j + 3) + (a03 * f0 + a13 * f1 + a23 * f2 + ld(w3, j + 3) * f3);
    const F0 = f64x2.splat(f0);
    const F1 = f64x2.splat(f1);
    const F2 = f64x2.splat(f2);
    const F3 = f64x2.splat(f3);
    let S0 = f64x2.splat(0);
    let S1 = f64x2.splat(0);
    let S2 = f64x2.splat(0);
    let S3 = f64x2.splat(0);
    let k = j + 4;
    for (; k + 1 < m; k += 2) {
      const o = (<usize>k) << 3;
      const a0 = v128.load(w0 + o);
      const a1 = v128.load(w1 + o);
      const a2 = v128.load(w2 + o);
      const a3 = v128.load(w3 + o);
      const uk = v128.load(u + o);
      S0 = f64x2.add(S0, f64x2.mul(a0, uk));
      S1 = f64x2.add(S1, f64x2.mul(a1, uk));
      S2 = f64x2.add(S2, f64x2.mul(a2, uk));
      S3 = f64x2.add(S3, f64x2.mul(a3, uk));
      const t = f64x2.add(
        f64x2.add(f64x2.mul(a0, F0), f64x2.mul(a1, F1)),
        f64x2.add(f64x2.mul(a2, F2), f64x2.mul(a3, F3)),
      );
      v128.store(p + o, f64x2.add(v128.load(p + o), t));
    }
    g0 += hsum(S0);
    g1 += hsum(S1);
    g2 += hsum(S2);
    g3 += hsum(S3);
    if (k < m) {
      const a0 = ld(w0, k);
      const a1 = ld(w1, k);
      const a2 = ld(w2, k);
      const a3 = ld(w3, k);
      const uk = ld(u, k);
      g0 += a0 * uk;
      g1 += a1 * uk;
      g2 += a2 * uk;
      g3 += a3 * uk;
      st(p, k, ld(p, k) + (a0 * f0 + a1 * f1 + (a2 * f2 + a3 * f3)));
    }
    st(p, j, g0);
    st(p, j + 1, g1);
    st(p, j + 2, g2);
    st(p, j + 3, g3);
  }
  for (; j < m; j++) {
    const r0 = at(w, j * n);
    const f0 = ld(u, j);
    let g0 = ld(p, j) + ld(r0, j) * f0;
    for (let k = j + 1; k < m; k++) {
      const a0 = ld(r0, k);
      g0 += a0 * ld(u, k);
      st(p, k, ld(p, k) + a0 * f0);
    }
    st(p, j, g0);
  }
}

function pythag(a: f64, b: f64): f64 {
  const s = a * a + b * b;
  return s > 1e-290 && s < 1e290 ? Math.sqrt(s) : Math.hypot(a, b);
}

/** Implicit QL with Wilkinson shifts (ql.ts tridiagQL); z = 0: eigenvalues only. 0 or l + 1 (no convergence). */
function tridiagQL(d: usize, e: usize, n: i32, z: usize, cs: usize, sn: usize, maxIter: i32): i32 {
  if (n === 0) return 0;
  for (let i = 1; i < n; i++) st(e, i - 1, ld(e, i));
  st(e, n - 1, 0);
  const eps: f64 = 2.220446049250313e-16;
  let f: f64 = 0;
  let tst1: f64 = 0;
  for (let l = 0; l < n; l++) {
    const t = Math.abs(ld(d, l)) + Math.abs(ld(e, l));
    if (t > tst1) tst1 = t;
    let m = l;
    while (m < n) {
      if (Math.abs(ld(e, m)) <= eps * tst1) break;
      m++;
    }
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > maxIter) return l + 1;
        let g = ld(d, l);
        let p = (ld(d, l + 1) - g) / (2 * ld(e, l));
        let r = pythag(p, 1);
        if (p < 0) r = -r;
        const el = ld(e, l);
        st(d, l, el / (p + r));
        st(d, l + 1, el * (p + r));
        const dl1 = ld(d, l + 1);
        let h = g - ld(d, l);
        for (let i = l + 2; i < n; i++) st(d, i, ld(d, i) - h);
        f += h;
        p = ld(d, m);
        let c: f64 = 1;
        let c2: f64 = 1;
        let c3: f64 = 1;
        const el1 = ld(e, l + 1);
        let s: f64 = 0;
        let s2: f64 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          const ei = ld(e, i);
          g = c * ei;
          h = c * p;
          r = pythag(p, ei);
          st(e, i + 1, s * r);
          const ir = 1 / r;
          s = ei * ir;
          c = p * ir;
          const di = ld(d, i);
          p = c * di - s * g;
          st(d, i + 1, h + s * (c * g + s * di));
          st(cs, i, c);
          st(sn, i, s);
        }
        if (z !== 0) rotateRows(z, n, l, m, cs, sn);
        p = (-s * s2 * c3 * el1 * ld(e, l)) / dl1;
        st(e, l, s * p);
        st(d, l, c * p);
      } while (Math.abs(ld(e, l)) > eps * tst1);
    }
    st(d, l, ld(d, l) + f);
    st(e, l, 0);
  }
  return 0;
}

/** Rotations i = m−1 … l of one sweep on row pairs (i, i+1) of z, four per pass over five rows. */
function rotateRows(z: usize, n: i32, l: i32, m: i32, cs: usize, sn: usize): void {
  const stride = (<usize>n) << 3;
  let i = m - 1;
  for (; i - 3 >= l; i -= 4) {
    const c0 = ld(cs, i);
    const s0 = ld(sn, i);
    const c1 = ld(cs, i - 1);
    const s1 = ld(sn, i - 1);
    const c2 = ld(cs, i - 2);
    const s2 = ld(sn, i - 2);
    const c3 = ld(cs, i - 3);
    const s3 = ld(sn, i - 3);
    const ra = at(z, (i - 3) * n);
    const rb = ra + stride;
    const rc = rb + stride;
    const rd = rc + stride;
    const re = rd + stride;
    const C0 = f64x2.splat(c0);
    const S0 = f64x2.splat(s0);
    const C1 = f64x2.splat(c1);
    const S1 = f64x2.splat(s1);
    const C2 = f64x2.splat(c2);
    const S2 = f64x2.splat(s2);
    const C3 = f64x2.splat(c3);
    const S3 = f64x2.splat(s3);
    let k = 0;
    for (; k + 1 < n; k += 2) {
      const o = (<usize>k) << 3;
      const ze = v128.load(re + o);
      const zd = v128.load(rd + o);
      v128.store(re + o, f64x2.add(f64x2.mul(S0, zd), f64x2.mul(C0, ze)));
      const t = f64x2.sub(f64x2.mul(C0, zd), f64x2.mul(S0, ze));
      const zc = v128.load(rc + o);
      v128.store(rd + o, f64x2.add(f64x2.mul(S1, zc), f64x2.mul(C1, t)));
      const u = f64x2.sub(f64x2.mul(C1, zc), f64x2.mul(S1, t));
      const zb = v128.load(rb + o);
      v128.store(rc + o, f64x2.add(f64x2.mul(S2, zb), f64x2.mul(C2, u)));
      const v = f64x2.sub(f64x2.mul(C2, zb), f64x2.mul(S2, u));
      const za = v128.load(ra + o);
      v128.store(rb + o, f64x2.add(f64x2.mul(S3, za), f64x2.mul(C3, v)));
      v128.store(ra + o, f64x2.sub(f64x2.mul(C3, za), f64x2.mul(S3, v)));
    }
    if (k < n) {
      const ze = ld(re, k);
      const zd = ld(rd, k);
      st(re, k, s0 * zd + c0 * ze);
      const t = c0 * zd - s0 * ze;
      const zc = ld(rc, k);
      st(rd, k, s1 * zc + c1 * t);
      const u = c1 * zc - s1 * t;
      const zb = ld(rb, k);
      st(rc, k, s2 * zb + c2 * u);
      const v = c2 * zb - s2 * u;
      const za = ld(ra, k);
      st(rb, k, s3 * za + c3 * v);
      st(ra, k, c3 * za - s3 * v);
    }
  }
  for (; i >= l; i--) {
    const c0 = ld(cs, i);
    const s0 = ld(sn, i);
    const ra = at(z, i * n);
    const rb = ra + stride;
    const C0 = f64x2.splat(c0);
    const S0 = f64x2.splat(s0);
    let k = 0;
    for (; k + 1 < n; k += 2) {
      const o = (<usize>k) << 3;
      const zb = v128.load(rb + o);
      const za = v128.load(ra + o);
      v128.store(rb + o, f64x2.add(f64x2.mul(S0, za), f64x2.mul(C0, zb)));
      v128.store(ra + o, f64x2.sub(f64x2.mul(C0, za), f64x2.mul(S0, zb)));
    }
    if (k < n) {
      const zb = ld(rb, k);
      const za = ld(ra, k);
      st(rb, k, s0 * za + c0 * zb);
      st(ra, k, c0 * za - s0 * zb);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Spectral diagonals (diagonal.ts squaredProduct): out[i·m + t] = Σ_a V[i, cols[a]]² · coef[t·c + a].

/**
 * `sq` (n×c) = squares of the columns `cols` (i32[c]) of the n×k row-major `vectors`, squares below
 * 1e-100 set to 0; then out (n×m) = sq · coefᵀ with coef m×c row-major. Tiles of 2 rows × 4 outputs on
 * f64x2 along a (lane 0 sums even a, lane 1 odd a, then an odd tail), the same order as the JS kernel.
 */
export function squaredProduct(
  vectors: usize,
  n: i32,
  k: i32,
  cols: usize,
  c: i32,
  coef: usize,
  m: i32,
  sq: usize,
  out: usize,
): void {
  for (let i = 0; i < n; i++) {
    const row = i * k;
    const o = i * c;
    for (let a = 0; a < c; a++) {
      const v = ld(vectors, row + load<i32>(cols + ((<usize>a) << 2)));
      const w = v * v;
      st(sq, o + a, w < 1e-100 ? 0 : w);
    }
  }
  const c2 = c & ~1;
  const m4 = m & ~3;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const r0 = at(sq, i * c);
    const r1 = at(sq, (i + 1) * c);
    for (let t = 0; t < m4; t += 4) {
      const p0 = at(coef, t * c);
      const p1 = at(coef, (t + 1) * c);
      const p2 = at(coef, (t + 2) * c);
      const p3 = at(coef, (t + 3) * c);
      let a0 = f64x2.splat(0);
      let a1 = f64x2.splat(0);
      let a2 = f64x2.splat(0);
      let a3 = f64x2.splat(0);
      let b0 = f64x2.splat(0);
      let b1 = f64x2.splat(0);
      let b2 = f64x2.splat(0);
      let b3 = f64x2.splat(0);
      for (let a = 0; a < c2; a += 2) {
        const off = (<usize>a) << 3;
        const x = v128.load(r0 + off);
        const y = v128.load(r1 + off);
        const q0 = v128.load(p0 + off);
        const q1 = v128.load(p1 + off);
        const q2 = v128.load(p2 + off);
        const q3 = v128.load(p3 + off);
        a0 = f64x2.add(a0, f64x2.mul(x, q0));
        a1 = f64x2.add(a1, f64x2.mul(x, q1));
        a2 = f64x2.add(a2, f64x2.mul(x, q2));
        a3 = f64x2.add(a3, f64x2.mul(x, q3));
        b0 = f64x2.add(b0, f64x2.mul(y, q0));
        b1 = f64x2.add(b1, f64x2.mul(y, q1));
        b2 = f64x2.add(b2, f64x2.mul(y, q2));
        b3 = f64x2.add(b3, f64x2.mul(y, q3));
      }
      let s0 = hsum(a0);
      let s1 = hsum(a1);
      let s2 = hsum(a2);
      let s3 = hsum(a3);
      let u0 = hsum(b0);
      let u1 = hsum(b1);
      let u2 = hsum(b2);
      let u3 = hsum(b3);
      if (c2 < c) {
        const off = (<usize>c2) << 3;
        const x = load<f64>(r0 + off);
        const y = load<f64>(r1 + off);
        const q0 = load<f64>(p0 + off);
        const q1 = load<f64>(p1 + off);
        const q2 = load<f64>(p2 + off);
        const q3 = load<f64>(p3 + off);
        s0 += x * q0;
        s1 += x * q1;
        s2 += x * q2;
        s3 += x * q3;
        u0 += y * q0;
        u1 += y * q1;
        u2 += y * q2;
        u3 += y * q3;
      }
      const o0 = i * m + t;
      const o1 = o0 + m;
      st(out, o0, s0);
      st(out, o0 + 1, s1);
      st(out, o0 + 2, s2);
      st(out, o0 + 3, s3);
      st(out, o1, u0);
      st(out, o1 + 1, u1);
      st(out, o1 + 2, u2);
      st(out, o1 + 3, u3);
    }
    for (let t = m4; t < m; t++) {
      st(out, i * m + t, dotPair(r0, at(coef, t * c), c));
      st(out, (i + 1) * m + t, dotPair(r1, at(coef, t * c), c));
    }
  }
  for (; i < n; i++) {
    const r0 = at(sq, i * c);
    for (let t = 0; t < m; t++) st(out, i * m + t, dotPair(r0, at(coef, t * c), c));
  }
}

/** Σ_a x[a]·y[a] over a < c: f64x2 lanes (even / odd a), then the odd tail. */
function dotPair(x: usize, y: usize, c: i32): f64 {
  const c2 = c & ~1;
  let acc = f64x2.splat(0);
  for (let a = 0; a < c2; a += 2) {
    const off = (<usize>a) << 3;
    acc = f64x2.add(acc, f64x2.mul(v128.load(x + off), v128.load(y + off)));
  }
  let s = hsum(acc);
  if (c2 < c) s += load<f64>(x + ((<usize>c2) << 3)) * load<f64>(y + ((<usize>c2) << 3));
  return s;
}
