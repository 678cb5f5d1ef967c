/**
 * Householder tridiagonalization with the rank-2 update of each step fused with the next step's
 * symmetric matrix–vector product (one pass over the active triangle per step instead of two; the
 * "one-sweep" variant of EISPACK tred1, cf. Dongarra, Kaufman & Hammarling 1986). The next
 * reflector is built first from the updated column, which costs O(n), so the pass that applies
 * A ← A − u qᵀ − q uᵀ can accumulate p′ = A u′ on the values it has just written.
 *
 * Same conventions and results (up to rounding) as `tridiagonalize(w, n, d, e, false, hOut)`: on
 * entry `w[0..n²)` holds A (upper triangle read); on exit `d`/`e` are the diagonal/subdiagonal of T
 * (`e[i]` = T[i][i−1], `e[0]` = 0) and row i of `w` holds u_i left of the diagonal, with h_i in
 * `hOut[i]` (0: H_i = I), as `applyReflectors` reads them; the upper triangle is left as scratch
 * (unlike `tridiagonalize`, which zeroes it). `u2`, `p2`, `col`: scratch of length ≥ n.
 * Cost 4n³/3 flops.
 */
export function tridiagonalizeFused(
  w: Float64Array,
  n: number,
  d: Float64Array,
  e: Float64Array,
  hOut: Float64Array,
  u2: Float64Array,
  p2: Float64Array,
  col: Float64Array,
): void {
  if (n === 0) return;
  const last = n - 1;
  for (let j = 0; j < n; j++) d[j] = w[j * n + last];
  let i = last;
  let haveCol = false;
  let h = i > 0 ? prepare(w, n, i, d, e) : 0;
  if (h !== 0) symv(w, n, i, d, e);
  while (i > 0) {
    const ri = i * n;
    if (h === 0) {
      // Zero column: H_i = I, nothing to update.
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = w[j * n + i - 1];
        w[j * n + i] = 0;
        w[ri + j] = 0;
      }
      d[i] = 0;
      hOut[i] = 0;
      haveCol = false;
      i--;
      if (i === 0) break;
      h = prepare(w, n, i, d, e);
      if (h !== 0) symv(w, n, i, d, e);
      continue;
    }
    // q = p/h − (uᵀp / 2h²) u, with p = A u in e[0..i).
    let f = 0;
    const invh = 1 / h;
    for (let j = 0; j < i; j++) {
      const x = e[j] * invh;
      e[j] = x;
      f += x * d[j];
    }
    const hh = f / (h + h);
    for (let j = 0; j < i; j++) e[j] -= hh * d[j];
    // Column i−1 of A − u qᵀ − q uᵀ first: it is the next step's Householder column.
    // Only its diagonal entry is read again (the upper triangle right of the active block is never
    // read: reflectors live left of the diagonal), so the rest stays in u2; the pass that updated
    // the block last left this column in `col` (contiguous) when `haveCol`.
    const ui1 = d[i - 1];
    const qi1 = e[i - 1];
    if (haveCol) {
      for (let j = 0; j < i; j++) u2[j] = col[j] - (d[j] * qi1 + e[j] * ui1);
    } else {
      for (let j = 0; j < i; j++) u2[j] = w[j * n + i - 1] - (d[j] * qi1 + e[j] * ui1);
    }
    w[(i - 1) * n + i - 1] = u2[i - 1];
    d[i] = h;
    hOut[i] = h;
    const m = i - 1;
    if (m === 0) break;
    const h2 = prepare(w, n, m, u2, e);
    if (h2 !== 0) {
      updateSymv(w, n, m, d, e, u2, p2, col);
      haveCol = true;
      for (let j = 0; j < m; j++) {
        d[j] = u2[j];
        e[j] = p2[j];
      }
    } else {
      update(w, n, m, d, e);
      haveCol = false;
      for (let j = 0; j < m; j++) d[j] = u2[j];
    }
    h = h2;
    i = m;
  }
  for (let j = 0; j < n; j++) d[j] = w[j * n + j];
  e[0] = 0;
}

/**
 * Householder vector of step i from `col[0..i)` (column i above the diagonal): returns h
 * (0 when the column is zero, leaving `col` as it is); otherwise col ← u = x/scale − g e_{i−1},
 * e[i] = scale·g, and u is stored in row i of w (left of the diagonal).
 */
function prepare(w: Float64Array, n: number, i: number, col: Float64Array, e: Float64Array): number {
  let scale = 0;
  for (let k = 0; k < i; k++) scale += Math.abs(col[k]);
  if (scale === 0) return 0;
  const inv = 1 / scale;
  let h = 0;
  for (let k = 0; k < i; k++) {
    const x = col[k] * inv;
    col[k] = x;
    h += x * x;
  }
  const f = col[i - 1];
  let g = Math.sqrt(h);
  if (f > 0) g = -g;
  e[i] = scale * g;
  h -= f * g;
  col[i - 1] = f - g;
  const ri = i * n;
  for (let k = 0; k < i; k++) w[ri + k] = col[k];
  return h;
}

/** p[0..m) = A u over the leading m×m block (upper triangle rows), four rows per pass. */
function symv(w: Float64Array, n: number, m: number, u: Float64Array, p: Float64Array): void {
  for (let k = 0; k < m; k++) p[k] = 0;
  let j = 0;
  for (; j + 3 < m; j += 4) {
    const r0 = j * n;
    const r1 = r0 + n;
    const r2 = r1 + n;
    const r3 = r2 + n;
    const f0 = u[j];
    const f1 = u[j + 1];
    const f2 = u[j + 2];
    const f3 = u[j + 3];
    let g0 = p[j];
    let g1 = p[j + 1];
    let g2 = p[j + 2];
    let g3 = p[j + 3];
    // 4×4 diagonal block.
    const a01 = w[r0 + j + 1];
    const a02 = w[r0 + j + 2];
    const a03 = w[r0 + j + 3];
    const a12 = w[r1 + j + 2];
    const a13 = w[r1 + j + 3];
    const a23 = w[r2 + j + 3];
    g0 += w[r0 + j] * f0 + a01 * f1 + a02 * f2 + a03 * f3;
    g1 += a01 * f0 + w[r1 + j + 1] * f1 + a12 * f2 + a13 * f3;
    g2 += a02 * f0 + a12 * f1 + w[r2 + j + 2] * f2 + a23 * f3;
    g3 += a03 * f0 + a13 * f1 + a23 * f2 + w[r3 + j + 3] * f3;
    for (let k = j + 4; k < m; k++) {
      const a0 = w[r0 + k];
      const a1 = w[r1 + k];
      const a2 = w[r2 + k];
      const a3 = w[r3 + k];
      const uk = u[k];
      g0 += a0 * uk;
      g1 += a1 * uk;
      g2 += a2 * uk;
      g3 += a3 * uk;
      p[k] += a0 * f0 + a1 * f1 + (a2 * f2 + a3 * f3);
    }
    p[j] = g0;
    p[j + 1] = g1;
    p[j + 2] = g2;
    p[j + 3] = g3;
  }
  for (; j < m; j++) {
    const r0 = j * n;
    const f0 = u[j];
    let g0 = p[j] + w[r0 + j] * f0;
    for (let k = j + 1; k < m; k++) {
      const a0 = w[r0 + k];
      g0 += a0 * u[k];
      p[k] += a0 * f0;
    }
    p[j] = g0;
  }
}

/** A ← A − u qᵀ − q uᵀ on the upper triangle of the leading m×m block (no symv: next column is zero). */
function update(w: Float64Array, n: number, m: number, u: Float64Array, q: Float64Array): void {
  for (let j = 0; j < m; j++) {
    const rj = j * n;
    const f0 = u[j];
    const g0 = q[j];
    for (let k = j; k < m; k++) w[rj + k] -= f0 * q[k] + g0 * u[k];
  }
}

/**
 * A ← A − u qᵀ − q uᵀ on the upper triangle of the leading m×m block and, on the updated values in
 * the same pass, p[0..m) = A v. Four rows per pass: each entry is loaded and stored once for four
 * multiply-adds.
 */
function updateSymv(
  w: Float64Array,
  n: number,
  m: number,
  u: Float64Array,
  q: Float64Array,
  v: Float64Array,
  p: Float64Array,
  col: Float64Array,
): void {
  for (let k = 0; k < m; k++) p[k] = 0;
  const lastCol = m - 1;
  let j = 0;
  for (; j + 3 < m; j += 4) {
    const r0 = j * n;
    const r1 = r0 + n;
    const r2 = r1 + n;
    const r3 = r2 + n;
    // 4×4 diagonal block, entry by entry.
    for (let r = j; r < j + 4; r++) {
      const rr = r * n;
      const fr = u[r];
      const gr = q[r];
      const vr = v[r];
      const a = w[rr + r] - (fr * q[r] + gr * u[r]);
      w[rr + r] = a;
      let s = p[r] + a * vr;
      for (let k = r + 1; k < j + 4; k++) {
        const b = w[rr + k] - (fr * q[k] + gr * u[k]);
        w[rr + k] = b;
        s += b * v[k];
        p[k] += b * vr;
      }
      p[r] = s;
    }
    const f0 = u[j];
    const f1 = u[j + 1];
    const f2 = u[j + 2];
    const f3 = u[j + 3];
    const g0 = q[j];
    const g1 = q[j + 1];
    const g2 = q[j + 2];
    const g3 = q[j + 3];
    const v0 = v[j];
    const v1 = v[j + 1];
    const v2 = v[j + 2];
    const v3 = v[j + 3];
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let k = j + 4; k < m; k++) {
      const qk = q[k];
      const uk = u[k];
      const vk = v[k];
      const a0 = w[r0 + k] - (f0 * qk + g0 * uk);
      const a1 = w[r1 + k] - (f1 * qk + g1 * uk);
      const a2 = w[r2 + k] - (f2 * qk + g2 * uk);
      const a3 = w[r3 + k] - (f3 * qk + g3 * uk);
      w[r0 + k] = a0;
      w[r1 + k] = a1;
      w[r2 + k] = a2;
      w[r3 + k] = a3;
      s0 += a0 * vk;
      s1 += a1 * vk;
      s2 += a2 * vk;
      s3 += a3 * vk;
      p[k] += a0 * v0 + a1 * v1 + (a2 * v2 + a3 * v3);
    }
    p[j] += s0;
    p[j + 1] += s1;
    p[j + 2] += s2;
    p[j + 3] += s3;
    // The block's last column, just written (cache-hot): the next step's Householder column.
    col[j] = w[r0 + lastCol];
    col[j + 1] = w[r1 + lastCol];
    col[j + 2] = w[r2 + lastCol];
    col[j + 3] = w[r3 + lastCol];
  }
  for (; j < m; j++) {
    const rj = j * n;
    const f0 = u[j];
    const g0 = q[j];
    const v0 = v[j];
    const a = w[rj + j] - (f0 * q[j] + g0 * u[j]);
    w[rj + j] = a;
    let s = p[j] + a * v0;
    for (let k = j + 1; k < m; k++) {
      const b = w[rj + k] - (f0 * q[k] + g0 * u[k]);
      w[rj + k] = b;
      s += b * v[k];
      p[k] += b * v0;
    }
    p[j] = s;
    col[j] = w[rj + lastCol];
  }
}
