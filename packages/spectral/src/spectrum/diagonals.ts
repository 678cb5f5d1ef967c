/**
 * Diagonals of spectral matrix functions, diag(U f_t(Λ) Uᵀ)_i = Σ_j f_t(λ_j) φ_j(i)² for several f_t at
 * once: the kernel of spectral RWSE (f_t(λ) = (1 − λ)^t, Dwivedi et al. 2022) and of heat-kernel
 * diagonals (f_t(λ) = e^{−tλ}). WebAssembly SIMD when the dense kernels are 'wasm', JS otherwise.
 */

import { type DenseWasm, denseWasm } from '../eig/dense/wasm/loader.js';
import { checkOption } from '../errors.js';

const WHERE = 'spectral.spectralDiagonals';

/** Scratch of the JS kernel (squares), reused across calls. */
let scratch = new Float64Array(0);

/**
 * out[i·m + t] = Σ_{a<c} V[i, cols[a]]² · coef[t·c + a] for i < n, t < m, with V the n×k row-major
 * `vectors` (column j = eigenvector j) and coef m×c row-major (row t = f_t at the selected eigenvalues).
 * Squares below 1e-100 (round-off zeros of eigenvectors) count as 0. Wasm and JS sum in the same order
 * per lane (even / odd a), so both give the same values up to the last bits of each pairwise sum.
 */
export function spectralDiagonals(
  vectors: Float64Array,
  n: number,
  k: number,
  cols: Int32Array,
  c: number,
  coef: Float64Array,
  m: number,
  out: Float64Array,
): void {
  if (
    !(
      Number.isInteger(n) &&
      n >= 0 &&
      Number.isInteger(k) &&
      k >= 0 &&
      Number.isInteger(c) &&
      c >= 0 &&
      Number.isInteger(m) &&
      m >= 0
    )
  )
    checkOption(
      false,
      WHERE,
      'n, k, c and m must be non-negative integers',
      `n = ${n}, k = ${k}, c = ${c}, m = ${m}`,
    );
  if (!(vectors.length >= n * k && cols.length >= c && coef.length >= m * c && out.length >= n * m && c <= k))
    checkOption(false, WHERE, `arrays too short for n = ${n}, k = ${k}, c = ${c}, m = ${m}`);
  for (let a = 0; a < c; a++) {
    const j = cols[a];
    if (!(j >= 0 && j < k)) checkOption(false, WHERE, `cols[${a}] must be a column index in [0, ${k})`, j);
  }
  const wasm = denseWasm();
  if (wasm !== null && diagonalsWasm(wasm, vectors, n, k, cols, c, coef, m, out)) return;
  if (scratch.length < n * c) scratch = new Float64Array(2 * n * c);
  const sq = scratch;
  for (let i = 0; i < n; i++) {
    const row = i * k;
    const o = i * c;
    for (let a = 0; a < c; a++) {
      const v = vectors[row + (cols[a] as number)] as number;
      const w = v * v;
      sq[o + a] = w < 1e-100 ? 0 : w;
    }
  }
  productTiles(sq, coef, n, c, m, out);
}

function diagonalsWasm(
  k: DenseWasm,
  vectors: Float64Array,
  n: number,
  stride: number,
  cols: Int32Array,
  c: number,
  coef: Float64Array,
  m: number,
  out: Float64Array,
): boolean {
  const nk = n * stride;
  const pv = k.base;
  const pc = pv + ((nk + 1) & ~1) * 8;
  const pq = pc + ((c + 3) & ~3) * 4;
  const ps = pq + ((m * c + 1) & ~1) * 8;
  const po = ps + ((n * c + 1) & ~1) * 8;
  if (!k.reserve(po + n * m * 8 - k.base)) return false;
  const f = k.f64;
  f.set(vectors.length === nk ? vectors : vectors.subarray(0, nk), pv >> 3);
  k.i32.set(cols.length === c ? cols : cols.subarray(0, c), pc >> 2);
  f.set(coef.length === m * c ? coef : coef.subarray(0, m * c), pq >> 3);
  k.x.squaredProduct(pv, n, stride, pc, c, pq, m, ps, po);
  out.set(f.subarray(po >> 3, (po >> 3) + n * m));
  return true;
}

/**
 * JS kernel: 4 outputs of a row at a time, each with two partial sums (even / odd a) added at the end,
 * then the odd tail: wasm's lane order, so both kernels give bit-identical results.
 */
function productTiles(
  sq: Float64Array,
  coef: Float64Array,
  n: number,
  c: number,
  m: number,
  out: Float64Array,
): void {
  const c2 = c & ~1;
  const m4 = m & ~3;
  for (let i = 0; i < n; i++) {
    const r = i * c;
    const o = i * m;
    let t = 0;
    for (; t < m4; t += 4) {
      const p0 = t * c;
      const p1 = p0 + c;
      const p2 = p1 + c;
      const p3 = p2 + c;
      let e0 = 0;
      let e1 = 0;
      let e2 = 0;
      let e3 = 0;
      let d0 = 0;
      let d1 = 0;
      let d2 = 0;
      let d3 = 0;
      for (let a = 0; a < c2; a += 2) {
        const x = sq[r + a] as number;
        const y = sq[r + a + 1] as number;
        e0 += x * (coef[p0 + a] as number);
        d0 += y * (coef[p0 + a + 1] as number);
        e1 += x * (coef[p1 + a] as number);
        d1 += y * (coef[p1 + a + 1] as number);
        e2 += x * (coef[p2 + a] as number);
        d2 += y * (coef[p2 + a + 1] as number);
        e3 += x * (coef[p3 + a] as number);
        d3 += y * (coef[p3 + a + 1] as number);
      }
      let s0 = e0 + d0;
      let s1 = e1 + d1;
      let s2 = e2 + d2;
      let s3 = e3 + d3;
      if (c2 < c) {
        const x = sq[r + c2] as number;
        s0 += x * (coef[p0 + c2] as number);
        s1 += x * (coef[p1 + c2] as number);
        s2 += x * (coef[p2 + c2] as number);
        s3 += x * (coef[p3 + c2] as number);
      }
      out[o + t] = s0;
      out[o + t + 1] = s1;
      out[o + t + 2] = s2;
      out[o + t + 3] = s3;
    }
    for (; t < m; t++) {
      const p = t * c;
      let even = 0;
      let odd = 0;
      for (let a = 0; a < c2; a += 2) {
        even += (sq[r + a] as number) * (coef[p + a] as number);
        odd += (sq[r + a + 1] as number) * (coef[p + a + 1] as number);
      }
      let s = even + odd;
      if (c2 < c) s += (sq[r + c2] as number) * (coef[p + c2] as number);
      out[o + t] = s;
    }
  }
}
