import type { Graph } from '../../graph/types.js';
import { deflateNullVector, undeflateVectors } from './deflate.js';
import { solveInWorkspace } from './eigh.js';
import type { EighWorkspace } from './workspace.js';

let twinReduction = true;
/** Tuning hook for benchmarks: switch the twin-leaf reduction off (default on) to time it. */
export function setTwinReduction(enabled: boolean): void {
  twinReduction = enabled;
}

/**
 * Exact twin-leaf reduction of one connected Laplacian block before its dense solve.
 *
 * Leaves a, b (one off-diagonal entry each) hanging on the same node p with equal entries
 * (L_ap = L_bp, L_pa = L_pb, L_aa = L_bb) are twins: L (e_a − e_b) = L_aa (e_a − e_b) exactly,
 * since the p-row contributions cancel. A group of t twins therefore gives t − 1 eigenvectors with
 * eigenvalue L_aa (an orthonormal Helmert basis of the differences: for the k-th member after the
 * first, (Σ_{earlier} e − k e_a)/√(k(k+1))), and the rest of the spectrum is that of the quotient
 * R = Pᵀ L P, where P keeps every other node and replaces each group by its normalized sum
 * s = Σ e/√t: R_ss = L_aa, R_sx = √t L_ax. Molecule graphs have many such groups (CF3, SO2/NO2
 * oxygens, tert-butyl and gem-dimethyl carbons in the heavy-atom graph), and the solve is cubic.
 *
 * `L` is the full m×m block at `L[lo…]` (row-major) of the component `order[o..o+m)` of `g`
 * (`local[u]` = u's row), `xhat` its unit null vector (equal on twins,
 * whose degrees are equal). The quotient keeps the null vector (x̂ lies in the range of P), which
 * is deflated as in the unreduced path. Returns false, touching nothing, when the block has no
 * twins. Otherwise writes the m eigenvalues (unsorted, `vals[vo] = 0` for x̂, then the quotient's,
 * then the twins') to `vals[vo…]` and, with `wantVectors`, the matching unit eigenvectors as rows
 * of length m over the block (`L[lo + r·m…]`).
 */
export function solveTwinLeafReduced(
  g: Graph,
  order: Int32Array,
  o: number,
  local: Int32Array,
  L: Float64Array,
  lo: number,
  m: number,
  xhat: Float64Array,
  wantVectors: boolean,
  ws: EighWorkspace,
  vals: Float64Array,
  vo: number,
): boolean {
  if (!twinReduction) return false;
  const { j1: nbr, j2: rep, j3: ridx, t6: sc, t7: xr, t4: wv } = ws;
  const { indptr, indices } = g;
  // Leaves from the graph (every non-self entry points to one node), O(nnz); twins are then
  // confirmed on the dense entries, which is what makes the split exact.
  let twins = 0;
  for (let a = 0; a < m; a++) {
    rep[a] = a;
    const u = order[o + a];
    let v = -1;
    for (let p = indptr[u]; p < indptr[u + 1]; p++) {
      const x = indices[p];
      if (x === u) continue;
      if (v === -1) v = x;
      else if (x !== v) {
        v = -2;
        break;
      }
    }
    if (v < 0) {
      nbr[a] = -1;
      continue;
    }
    const pl = local[v];
    nbr[a] = pl;
    const ra = lo + a * m;
    const rp = lo + pl * m;
    for (let b = 0; b < a; b++) {
      if (nbr[b] !== pl || rep[b] !== b) continue;
      const rb = lo + b * m;
      if (L[rb + pl] === L[ra + pl] && L[rp + b] === L[rp + a] && L[rb + b] === L[ra + a]) {
        rep[a] = b;
        twins++;
        break;
      }
    }
  }
  if (twins === 0) return false;
  // Group sizes → scales √t on representatives; reduced index of each representative, and its
  // inverse map (`nbr` is free again).
  for (let a = 0; a < m; a++) sc[a] = 0;
  for (let a = 0; a < m; a++) sc[rep[a]] += 1;
  const of = nbr;
  let mr = 0;
  for (let a = 0; a < m; a++) {
    if (rep[a] === a) {
      sc[a] = Math.sqrt(sc[a]);
      of[mr] = a;
      ridx[a] = mr++;
    } else ridx[a] = -1;
  }
  // Quotient R (full, symmetric, from the upper triangle of L) in w3, which the solve below only
  // overwrites after `deflateNullVector` has read R.
  const X = ws.w3;
  for (let i = 0; i < mr; i++) {
    const a = of[i];
    const ra = lo + a * m;
    const ca = sc[a];
    X[i * mr + i] = L[ra + a];
    for (let j = i + 1; j < mr; j++) {
      const b = of[j];
      const x = ca * sc[b] * L[ra + b];
      X[i * mr + j] = x;
      X[j * mr + i] = x;
    }
  }
  let s = 0;
  for (let i = 0; i < mr; i++) {
    const a = of[i];
    const x = sc[a] * xhat[a];
    xr[i] = x;
    s += x * x;
  }
  const inv = 1 / Math.sqrt(s);
  for (let i = 0; i < mr; i++) xr[i] *= inv;
  deflateNullVector(X, 0, mr, xr, wv, ws.w);
  const y = solveInWorkspace(ws, mr - 1, wantVectors);
  vals[vo] = 0;
  for (let r = 0; r < mr - 1; r++) vals[vo + r + 1] = ws.d[r];
  let q = mr;
  for (let a = 0; a < m; a++) if (rep[a] !== a) vals[vo + q++] = L[lo + a * m + a];
  if (!wantVectors) return true;
  const Y = y === ws.w ? ws.w3 : ws.w;
  undeflateVectors(y, mr, xr, Y, 0);
  // Lift: member a of a group gets (group coordinate)/√t; `ridx[a]` becomes its source column.
  for (let a = 0; a < m; a++) {
    const r = rep[a];
    ridx[a] = ridx[r];
    wv[a] = 1 / sc[r];
  }
  for (let r = 0; r < mr; r++) {
    const ry = r * mr;
    const rz = lo + r * m;
    for (let a = 0; a < m; a++) L[rz + a] = Y[ry + ridx[a]] * wv[a];
  }
  q = mr;
  for (let a = 0; a < m; a++) {
    const r = rep[a];
    if (r === a) continue;
    let k = 0;
    for (let b = r; b < a; b++) if (rep[b] === r) k++;
    const rz = lo + q * m;
    L.fill(0, rz, rz + m);
    const h = 1 / Math.sqrt(k * (k + 1));
    for (let b = r; b < a; b++) if (rep[b] === r) L[rz + b] = h;
    L[rz + a] = -k * h;
    q++;
  }
  return true;
}
