import type { Graph, LaplacianKind } from '../../graph/types.js';
import { symToRwVectors } from '../../laplacian/rw.js';
import { componentLaplacian, componentLayout } from './block.js';
import { deflateNullVector, undeflateVectors } from './deflate.js';
import { solveInWorkspace } from './eigh.js';
import { argsortAscending, writeSorted } from './sort.js';
import { solveTwinLeafReduced } from './twins.js';
import type { EighWorkspace } from './workspace.js';

/**
 * All eigenpairs of one graph's Laplacian, written at `values[vo…]` (ascending) and, with
 * `wantVectors`, as the row-major n×n block `vectors[xo…]` (column j = eigenvector j).
 *
 * Exploits Laplacian structure, exactly: each connected component is decomposed on its own
 * (the matrix is block diagonal), and in each component the known null vector (D^{1/2}1 for
 * `sym`/`rw`, 1 for `comb`) is deflated by one Householder reflector, so its eigenvalue is an
 * exact 0 with a positive eigenvector and the dense solve runs on m−1 rows. Components are
 * Pendant leaves that are twins (same neighbour, equal entries) are split off exactly first
 * ({@link solveTwinLeafReduced}), so the dense solve runs on the smaller quotient. Components are
 * merged with a stable sort on the eigenvalues (ties: component order, then solver order).
 * `rw` eigenvectors are T u / ‖T u‖ for the `sym` eigenvectors u, T = diag(d^{-1/2}) with
 * t_i = 1 on isolated nodes: then L_rw (T u) = λ (T u) exactly, but they are not orthogonal.
 */
export function laplacianEighInto(
  g: Graph,
  b: number,
  kind: LaplacianKind,
  wantVectors: boolean,
  ws: EighWorkspace,
  values: Float64Array,
  vo: number,
  vectors: Float64Array,
  xo: number,
): void {
  const n = g.n;
  if (n === 0) return;
  ws.ensure(n);
  const {
    t1: deg,
    t2: isd,
    t3: xhat,
    t4: wv,
    t5: vals,
    i1: label,
    i2: order,
    i3: local,
    i4: rowOf,
    i5: start,
  } = ws;
  const sym = kind !== 'comb';
  const count = componentLayout(g, b, deg, label, order, start, local);
  for (let u = 0; u < n; u++) isd[u] = deg[u] > 0 ? 1 / Math.sqrt(deg[u]) : 0;
  const w2 = ws.w2;
  let zo = 0;
  for (let c = 0; c < count; c++) {
    const o = start[c];
    const m = start[c + 1] - o;
    if (m === 1) {
      // Isolated node: its sym row is the identity row (d^{-1/2} := 0), its comb row is 0.
      vals[o] = sym ? 1 : 0;
      rowOf[o] = zo;
      w2[zo] = 1;
      zo += 1;
      continue;
    }
    componentLaplacian(g, sym, deg, isd, order, o, m, local, w2, zo);
    // Unit null vector x̂ of this block.
    let s = 0;
    for (let a = 0; a < m; a++) {
      const x = sym ? Math.sqrt(deg[order[o + a]]) : 1;
      xhat[a] = x;
      s += x * x;
    }
    const inv = 1 / Math.sqrt(s);
    for (let a = 0; a < m; a++) xhat[a] *= inv;
    if (m >= 3 && solveTwinLeafReduced(g, order, o, local, w2, zo, m, xhat, wantVectors, ws, vals, o)) {
      for (let r = 0; r < m; r++) rowOf[o + r] = zo + r * m;
      zo += m * m;
      continue;
    }
    const m1 = m - 1;
    deflateNullVector(w2, zo, m, xhat, wv, ws.w);
    const y = solveInWorkspace(ws, m1, wantVectors);
    vals[o] = 0;
    rowOf[o] = zo;
    for (let r = 0; r < m1; r++) {
      vals[o + r + 1] = ws.d[r];
      rowOf[o + r + 1] = zo + (r + 1) * m;
    }
    if (wantVectors) undeflateVectors(y, m, xhat, w2, zo);
    zo += m * m;
  }
  // A connected block's other eigenvalues are positive; one computed at or below 0 (λ₂ below rounding)
  // becomes the smallest positive double, so that the exact zeros are the null space and nothing else.
  for (let c = 0; c < count; c++) {
    for (let q = start[c] + 1; q < start[c + 1]; q++) if (!(vals[q] > 0)) vals[q] = Number.MIN_VALUE;
  }
  const perm = ws.perm;
  argsortAscending(vals, n, perm, local); // `local` is free again: merge-sort scratch
  if (count === 1) {
    writeSorted(vals, wantVectors ? w2 : null, n, perm, values, vo, wantVectors ? vectors : null, xo);
  } else {
    for (let j = 0; j < n; j++) values[vo + j] = vals[perm[j]];
    if (wantVectors) {
      vectors.fill(0, xo, xo + n * n);
      for (let j = 0; j < n; j++) {
        const q = perm[j];
        const c = label[order[q]];
        const o = start[c];
        const m = start[c + 1] - o;
        const rz = rowOf[q];
        for (let t = 0; t < m; t++) vectors[xo + order[o + t] * n + j] = w2[rz + t];
      }
    }
  }
  if (kind === 'rw' && wantVectors) symToRwVectors(vectors, n, n, deg, xo, wv);
}
