/**
 * Back-transformation of tridiagonal eigenvectors, x ← H_{n−1}⋯H_1 y with H_i = I − u_i u_iᵀ/h_i
 * (the reflectors `tridiagonalize` leaves in row i of `w`, left of the diagonal; LAPACK dormtr,
 * Golub & Van Loan §5.1.6). Rows of `z` are the vectors. Reflectors are applied two at a time
 * (a 2-column compact WY form: with c_i = u_{i+1}ᵀu_i precomputed, α = u_iᵀx/h_i and
 * β = (u_{i+1}ᵀx − α c_i)/h_{i+1}, then x −= α u_i + β u_{i+1}) to four rows per pass, so each pass
 * loads a reflector entry once for eight multiply-adds; where every reflector is non-trivial, three
 * at a time with the update fused with the next dot products ({@link apply4Fused3}; `c2` holds
 * u_{i+2}ᵀu_i). Reflectors with i ≤ `blockStart[j]` are skipped for row j (they act where that
 * vector is still zero). 2n³ flops. `c`, `c2`: scratch of length ≥ n.
 */
export function applyReflectors(
  w: Float64Array,
  h: Float64Array,
  n: number,
  z: Float64Array,
  blockStart: Int32Array,
  c: Float64Array,
  c2: Float64Array,
): void {
  for (let i = 1; i + 1 < n; i++) {
    const ra = i * n;
    const rb = ra + n;
    let s = 0;
    for (let k = 0; k < i; k++) s += w[rb + k] * w[ra + k];
    c[i] = s;
    if (i + 2 < n) {
      const rc = rb + n;
      let t = 0;
      for (let k = 0; k < i; k++) t += w[rc + k] * w[ra + k];
      c2[i] = t;
    }
  }
  // First reflector index from which every H_i is non-trivial (then the fused kernel applies);
  // c2_i = u_{i+2}ᵀu_i for it.
  let allFrom = n;
  while (allFrom > 1 && h[allFrom - 1] !== 0) allFrom--;
  let j = 0;
  for (; j + 3 < n; j += 4) {
    const start = Math.min(blockStart[j], blockStart[j + 1], blockStart[j + 2], blockStart[j + 3]) + 1;
    if (start >= allFrom) apply4Fused3(w, h, n, z, j * n, start, c, c2);
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
 * {@link apply4} when every H_i (i ≥ start) is non-trivial, three reflectors per pass, each pass's
 * update fused with the next three dot products (written values are reused at once, so one pass
 * over the four rows per three reflectors). Compact WY of width 3: with C1_i = u_{i+1}ᵀu_i
 * and C2_i = u_{i+2}ᵀu_i, α = u_iᵀx/h_i, β = (u_{i+1}ᵀx − α C1_i)/h_{i+1},
 * γ = (u_{i+2}ᵀx − α C2_i − β C1_{i+1})/h_{i+2}); the update pass accumulates the next three dot
 * products. The last one or two reflectors go through {@link apply4}.
 */
function apply4Fused3(
  w: Float64Array,
  h: Float64Array,
  n: number,
  z: Float64Array,
  r0: number,
  start: number,
  c1: Float64Array,
  c2: Float64Array,
) {
  const r1 = r0 + n;
  const r2 = r1 + n;
  const r3 = r2 + n;
  let i = start;
  if (i + 2 < n) {
    const ra = i * n;
    const rb = ra + n;
    const rc = rb + n;
    let a0 = 0;
    let b0 = 0;
    let g0 = 0;
    let a1 = 0;
    let b1 = 0;
    let g1 = 0;
    let a2 = 0;
    let b2 = 0;
    let g2 = 0;
    let a3 = 0;
    let b3 = 0;
    let g3 = 0;
    for (let k = 0; k < i; k++) {
      const ua = w[ra + k];
      const ub = w[rb + k];
      const uc = w[rc + k];
      const x0 = z[r0 + k];
      a0 += ua * x0;
      b0 += ub * x0;
      g0 += uc * x0;
      const x1 = z[r1 + k];
      a1 += ua * x1;
      b1 += ub * x1;
      g1 += uc * x1;
      const x2 = z[r2 + k];
      a2 += ua * x2;
      b2 += ub * x2;
      g2 += uc * x2;
      const x3 = z[r3 + k];
      a3 += ua * x3;
      b3 += ub * x3;
      g3 += uc * x3;
    }
    {
      const ub = w[rb + i];
      const uc = w[rc + i];
      const uc1 = w[rc + i + 1];
      const x0 = z[r0 + i];
      b0 += ub * x0;
      g0 += uc * x0 + uc1 * z[r0 + i + 1];
      const x1 = z[r1 + i];
      b1 += ub * x1;
      g1 += uc * x1 + uc1 * z[r1 + i + 1];
      const x2 = z[r2 + i];
      b2 += ub * x2;
      g2 += uc * x2 + uc1 * z[r2 + i + 1];
      const x3 = z[r3 + i];
      b3 += ub * x3;
      g3 += uc * x3 + uc1 * z[r3 + i + 1];
    }
    while (i + 2 < n) {
      const pa = i * n;
      const pb = pa + n;
      const pc = pb + n;
      const ia = 1 / h[i];
      const ib = 1 / h[i + 1];
      const ic = 1 / h[i + 2];
      const cab = c1[i];
      const cac = c2[i];
      const cbc = c1[i + 1];
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
      const ubi = w[pb + i];
      const uci = w[pc + i];
      const uci1 = w[pc + i + 1];
      if (i + 5 >= n) {
        for (let k = 0; k < i; k++) {
          const ua = w[pa + k];
          const ub = w[pb + k];
          const uc = w[pc + k];
          z[r0 + k] -= a0 * ua + b0 * ub + g0 * uc;
          z[r1 + k] -= a1 * ua + b1 * ub + g1 * uc;
          z[r2 + k] -= a2 * ua + b2 * ub + g2 * uc;
          z[r3 + k] -= a3 * ua + b3 * ub + g3 * uc;
        }
        z[r0 + i] -= b0 * ubi + g0 * uci;
        z[r0 + i + 1] -= g0 * uci1;
        z[r1 + i] -= b1 * ubi + g1 * uci;
        z[r1 + i + 1] -= g1 * uci1;
        z[r2 + i] -= b2 * ubi + g2 * uci;
        z[r2 + i + 1] -= g2 * uci1;
        z[r3 + i] -= b3 * ubi + g3 * uci;
        z[r3 + i + 1] -= g3 * uci1;
        i += 3;
        break;
      }
      const pd = pc + n;
      const pe = pd + n;
      const pf = pe + n;
      let d0 = 0;
      let e0 = 0;
      let f0 = 0;
      let d1 = 0;
      let e1 = 0;
      let f1 = 0;
      let d2 = 0;
      let e2 = 0;
      let f2 = 0;
      let d3 = 0;
      let e3 = 0;
      let f3 = 0;
      for (let k = 0; k < i; k++) {
        const ua = w[pa + k];
        const ub = w[pb + k];
        const uc = w[pc + k];
        const ud = w[pd + k];
        const ue = w[pe + k];
        const uf = w[pf + k];
        const x0 = z[r0 + k] - (a0 * ua + b0 * ub + g0 * uc);
        z[r0 + k] = x0;
        d0 += ud * x0;
        e0 += ue * x0;
        f0 += uf * x0;
        const x1 = z[r1 + k] - (a1 * ua + b1 * ub + g1 * uc);
        z[r1 + k] = x1;
        d1 += ud * x1;
        e1 += ue * x1;
        f1 += uf * x1;
        const x2 = z[r2 + k] - (a2 * ua + b2 * ub + g2 * uc);
        z[r2 + k] = x2;
        d2 += ud * x2;
        e2 += ue * x2;
        f2 += uf * x2;
        const x3 = z[r3 + k] - (a3 * ua + b3 * ub + g3 * uc);
        z[r3 + k] = x3;
        d3 += ud * x3;
        e3 += ue * x3;
        f3 += uf * x3;
      }
      // Tails: k = i, i+1 (updated here), i+2 … i+4 (unchanged; partial supports of u_d, u_e, u_f).
      for (let k = i; k < i + 5; k++) {
        const ud = k < i + 3 ? w[pd + k] : 0;
        const ue = k < i + 4 ? w[pe + k] : 0;
        const uf = w[pf + k];
        const ub = k === i ? ubi : 0;
        const uc = k === i ? uci : k === i + 1 ? uci1 : 0;
        let x0 = z[r0 + k];
        if (k < i + 2) {
          x0 -= b0 * ub + g0 * uc;
          z[r0 + k] = x0;
        }
        d0 += ud * x0;
        e0 += ue * x0;
        f0 += uf * x0;
        let x1 = z[r1 + k];
        if (k < i + 2) {
          x1 -= b1 * ub + g1 * uc;
          z[r1 + k] = x1;
        }
        d1 += ud * x1;
        e1 += ue * x1;
        f1 += uf * x1;
        let x2 = z[r2 + k];
        if (k < i + 2) {
          x2 -= b2 * ub + g2 * uc;
          z[r2 + k] = x2;
        }
        d2 += ud * x2;
        e2 += ue * x2;
        f2 += uf * x2;
        let x3 = z[r3 + k];
        if (k < i + 2) {
          x3 -= b3 * ub + g3 * uc;
          z[r3 + k] = x3;
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
