/**
 * Back-transformation of tridiagonal eigenvectors, x ← H_{n−1}⋯H_1 y with H_i = I − u_i u_iᵀ/h_i
 * (the reflectors `tridiagonalize` leaves in row i of `w`, left of the diagonal; LAPACK dormtr,
 * Golub & Van Loan §5.1.6). Rows of `z` are the vectors. Reflectors are applied two at a time
 * (a 2-column compact WY form: with c_i = u_{i+1}ᵀu_i precomputed, α = u_iᵀx/h_i and
 * β = (u_{i+1}ᵀx − α c_i)/h_{i+1}, then x −= α u_i + β u_{i+1}) to four rows per pass, so each pass
 * loads a reflector entry once for eight multiply-adds. Reflectors with i ≤ `blockStart[j]` are
 * skipped for row j (they act where that vector is still zero). 2n³ flops.
 */
export function applyReflectors(
  w: Float64Array,
  h: Float64Array,
  n: number,
  z: Float64Array,
  blockStart: Int32Array,
  c: Float64Array,
): void {
  for (let i = 1; i + 1 < n; i++) {
    const ra = i * n;
    const rb = ra + n;
    let s = 0;
    for (let k = 0; k < i; k++) s += w[rb + k] * w[ra + k];
    c[i] = s;
  }
  // First reflector index from which every H_i is non-trivial (then the fused kernel applies).
  let allFrom = n;
  while (allFrom > 1 && h[allFrom - 1] !== 0) allFrom--;
  let j = 0;
  for (; j + 3 < n; j += 4) {
    const start = Math.min(blockStart[j], blockStart[j + 1], blockStart[j + 2], blockStart[j + 3]) + 1;
    if (start >= allFrom) apply4Fused(w, h, n, z, j * n, start, c);
    else apply4(w, h, n, z, j * n, start, c);
  }
  for (; j < n; j++) {
    const r0 = j * n;
    for (let i = blockStart[j] + 1; i < n; i++) {
      const hi = h[i];
      if (hi === 0) continue;
      const ru = i * n;
      let s0 = 0;
      for (let k = 0; k < i; k++) s0 += w[ru + k] * z[r0 + k];
      s0 /= hi;
      for (let k = 0; k < i; k++) z[r0 + k] -= s0 * w[ru + k];
    }
  }
}

/** Rows r0 … r0+3n of `z`: apply H_start … H_{n−1}, in pairs where both are non-trivial. */
function apply4(
  w: Float64Array,
  h: Float64Array,
  n: number,
  z: Float64Array,
  r0: number,
  start: number,
  c: Float64Array,
) {
  const r1 = r0 + n;
  const r2 = r1 + n;
  const r3 = r2 + n;
  let i = start;
  while (i < n) {
    const ha = h[i];
    const ra = i * n;
    if (i + 1 < n && ha !== 0 && h[i + 1] !== 0) {
      const hb = h[i + 1];
      const rb = ra + n;
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      let b0 = 0;
      let b1 = 0;
      let b2 = 0;
      let b3 = 0;
      for (let k = 0; k < i; k++) {
        const ua = w[ra + k];
        const ub = w[rb + k];
        const x0 = z[r0 + k];
        const x1 = z[r1 + k];
        const x2 = z[r2 + k];
        const x3 = z[r3 + k];
        a0 += ua * x0;
        a1 += ua * x1;
        a2 += ua * x2;
        a3 += ua * x3;
        b0 += ub * x0;
        b1 += ub * x1;
        b2 += ub * x2;
        b3 += ub * x3;
      }
      const ubi = w[rb + i];
      b0 += ubi * z[r0 + i];
      b1 += ubi * z[r1 + i];
      b2 += ubi * z[r2 + i];
      b3 += ubi * z[r3 + i];
      const ia = 1 / ha;
      const ib = 1 / hb;
      const ci = c[i];
      a0 *= ia;
      a1 *= ia;
      a2 *= ia;
      a3 *= ia;
      b0 = (b0 - a0 * ci) * ib;
      b1 = (b1 - a1 * ci) * ib;
      b2 = (b2 - a2 * ci) * ib;
      b3 = (b3 - a3 * ci) * ib;
      for (let k = 0; k < i; k++) {
        const ua = w[ra + k];
        const ub = w[rb + k];
        z[r0 + k] -= a0 * ua + b0 * ub;
        z[r1 + k] -= a1 * ua + b1 * ub;
        z[r2 + k] -= a2 * ua + b2 * ub;
        z[r3 + k] -= a3 * ua + b3 * ub;
      }
      z[r0 + i] -= b0 * ubi;
      z[r1 + i] -= b1 * ubi;
      z[r2 + i] -= b2 * ubi;
      z[r3 + i] -= b3 * ubi;
      i += 2;
      continue;
    }
    if (ha !== 0) {
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let k = 0; k < i; k++) {
        const u = w[ra + k];
        s0 += u * z[r0 + k];
        s1 += u * z[r1 + k];
        s2 += u * z[r2 + k];
        s3 += u * z[r3 + k];
      }
      const inv = 1 / ha;
      s0 *= inv;
      s1 *= inv;
      s2 *= inv;
      s3 *= inv;
      for (let k = 0; k < i; k++) {
        const u = w[ra + k];
        z[r0 + k] -= s0 * u;
        z[r1 + k] -= s1 * u;
        z[r2 + k] -= s2 * u;
        z[r3 + k] -= s3 * u;
      }
    }
    i++;
  }
}

/**
 * {@link apply4} when every H_i (i ≥ start) is non-trivial, with the update of each pair fused with
 * the dot products of the next pair: while x ← x − α u_i − β u_{i+1} is written, u_{i+2}ᵀx and
 * u_{i+3}ᵀx are accumulated on the new values, so each pair costs one pass over the four rows.
 */
function apply4Fused(
  w: Float64Array,
  h: Float64Array,
  n: number,
  z: Float64Array,
  r0: number,
  start: number,
  c: Float64Array,
) {
  const r1 = r0 + n;
  const r2 = r1 + n;
  const r3 = r2 + n;
  let i = start;
  if (i + 1 < n) {
    // Dots of the first pair.
    const ra = i * n;
    const rb = ra + n;
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    let b0 = 0;
    let b1 = 0;
    let b2 = 0;
    let b3 = 0;
    for (let k = 0; k < i; k++) {
      const ua = w[ra + k];
      const ub = w[rb + k];
      const x0 = z[r0 + k];
      const x1 = z[r1 + k];
      const x2 = z[r2 + k];
      const x3 = z[r3 + k];
      a0 += ua * x0;
      a1 += ua * x1;
      a2 += ua * x2;
      a3 += ua * x3;
      b0 += ub * x0;
      b1 += ub * x1;
      b2 += ub * x2;
      b3 += ub * x3;
    }
    const ubi = w[rb + i];
    b0 += ubi * z[r0 + i];
    b1 += ubi * z[r1 + i];
    b2 += ubi * z[r2 + i];
    b3 += ubi * z[r3 + i];
    while (i + 1 < n) {
      const pa = i * n;
      const pb = pa + n;
      const ia = 1 / h[i];
      const ib = 1 / h[i + 1];
      const ci = c[i];
      a0 *= ia;
      a1 *= ia;
      a2 *= ia;
      a3 *= ia;
      b0 = (b0 - a0 * ci) * ib;
      b1 = (b1 - a1 * ci) * ib;
      b2 = (b2 - a2 * ci) * ib;
      b3 = (b3 - a3 * ci) * ib;
      const ubi2 = w[pb + i];
      if (i + 3 >= n) {
        for (let k = 0; k < i; k++) {
          const ua = w[pa + k];
          const ub = w[pb + k];
          z[r0 + k] -= a0 * ua + b0 * ub;
          z[r1 + k] -= a1 * ua + b1 * ub;
          z[r2 + k] -= a2 * ua + b2 * ub;
          z[r3 + k] -= a3 * ua + b3 * ub;
        }
        z[r0 + i] -= b0 * ubi2;
        z[r1 + i] -= b1 * ubi2;
        z[r2 + i] -= b2 * ubi2;
        z[r3 + i] -= b3 * ubi2;
        i += 2;
        break;
      }
      const pc = pb + n;
      const pd = pc + n;
      let c0 = 0;
      let c1 = 0;
      let c2 = 0;
      let c3 = 0;
      let d0 = 0;
      let d1 = 0;
      let d2 = 0;
      let d3 = 0;
      for (let k = 0; k < i; k++) {
        const ua = w[pa + k];
        const ub = w[pb + k];
        const uc = w[pc + k];
        const ud = w[pd + k];
        const x0 = z[r0 + k] - (a0 * ua + b0 * ub);
        const x1 = z[r1 + k] - (a1 * ua + b1 * ub);
        const x2 = z[r2 + k] - (a2 * ua + b2 * ub);
        const x3 = z[r3 + k] - (a3 * ua + b3 * ub);
        z[r0 + k] = x0;
        z[r1 + k] = x1;
        z[r2 + k] = x2;
        z[r3 + k] = x3;
        c0 += uc * x0;
        c1 += uc * x1;
        c2 += uc * x2;
        c3 += uc * x3;
        d0 += ud * x0;
        d1 += ud * x1;
        d2 += ud * x2;
        d3 += ud * x3;
      }
      // k = i (touched by u_{i+1} only), i+1 (untouched), i+2 (u_{i+3} only).
      const x0 = z[r0 + i] - b0 * ubi2;
      const x1 = z[r1 + i] - b1 * ubi2;
      const x2 = z[r2 + i] - b2 * ubi2;
      const x3 = z[r3 + i] - b3 * ubi2;
      z[r0 + i] = x0;
      z[r1 + i] = x1;
      z[r2 + i] = x2;
      z[r3 + i] = x3;
      let uc = w[pc + i];
      let ud = w[pd + i];
      c0 += uc * x0;
      c1 += uc * x1;
      c2 += uc * x2;
      c3 += uc * x3;
      d0 += ud * x0;
      d1 += ud * x1;
      d2 += ud * x2;
      d3 += ud * x3;
      const k1 = i + 1;
      uc = w[pc + k1];
      ud = w[pd + k1];
      const y0 = z[r0 + k1];
      const y1 = z[r1 + k1];
      const y2 = z[r2 + k1];
      const y3 = z[r3 + k1];
      c0 += uc * y0;
      c1 += uc * y1;
      c2 += uc * y2;
      c3 += uc * y3;
      d0 += ud * y0;
      d1 += ud * y1;
      d2 += ud * y2;
      d3 += ud * y3;
      const k2 = i + 2;
      ud = w[pd + k2];
      d0 += ud * z[r0 + k2];
      d1 += ud * z[r1 + k2];
      d2 += ud * z[r2 + k2];
      d3 += ud * z[r3 + k2];
      a0 = c0;
      a1 = c1;
      a2 = c2;
      a3 = c3;
      b0 = d0;
      b1 = d1;
      b2 = d2;
      b3 = d3;
      i += 2;
    }
  }
  if (i < n) {
    // A last single reflector.
    const ra = i * n;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let k = 0; k < i; k++) {
      const u = w[ra + k];
      s0 += u * z[r0 + k];
      s1 += u * z[r1 + k];
      s2 += u * z[r2 + k];
      s3 += u * z[r3 + k];
    }
    const inv = 1 / h[i];
    s0 *= inv;
    s1 *= inv;
    s2 *= inv;
    s3 *= inv;
    for (let k = 0; k < i; k++) {
      const u = w[ra + k];
      z[r0 + k] -= s0 * u;
      z[r1 + k] -= s1 * u;
      z[r2 + k] -= s2 * u;
      z[r3 + k] -= s3 * u;
    }
  }
}
