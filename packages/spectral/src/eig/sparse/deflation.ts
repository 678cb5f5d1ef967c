/**
 * Deflation: keep the search orthogonal to known eigenvectors Z (X ← X − Z Zᵀ X). Two layouts:
 * a dense n×c orthonormal block, or one vector per disjoint node set (the exact null vectors of a
 * Laplacian, one per connected component), which costs O(n·b) whatever the number of components.
 */

/** Orthogonal projector against known orthonormal vectors, applied in place to n×b blocks. */
export interface Deflation {
  /** Number of deflated vectors. */
  readonly count: number;
  /** X ← (I − Z Zᵀ) X for an n×b row-major block. */
  project(X: Float64Array, b: number): void;
}

/** Deflation by a dense n×c row-major block with orthonormal columns (classical Gram–Schmidt, twice). */
export function denseDeflation(Z: Float64Array, n: number, c: number): Deflation {
  const coef = new Float64Array(0);
  let buf = coef;
  const once = (X: Float64Array, b: number): void => {
    if (buf.length < c * b) buf = new Float64Array(c * b);
    buf.fill(0, 0, c * b);
    for (let i = 0; i < n; i++) {
      for (let a = 0; a < c; a++) {
        const z = Z[i * c + a];
        if (z === 0) continue;
        for (let q = 0; q < b; q++) buf[a * b + q] += z * X[i * b + q];
      }
    }
    for (let i = 0; i < n; i++) {
      for (let a = 0; a < c; a++) {
        const z = Z[i * c + a];
        if (z === 0) continue;
        for (let q = 0; q < b; q++) X[i * b + q] -= z * buf[a * b + q];
      }
    }
  };
  return {
    count: c,
    project(X, b) {
      if (c === 0) return;
      once(X, b);
      once(X, b);
    },
  };
}

/**
 * Deflation by vectors with disjoint supports: vector `label[i]` has entry `z[i]` at node i
 * (label −1: in no vector). Each vector must be unit-norm. Classical Gram–Schmidt twice, in three
 * passes over X: the first coefficients, then the first subtraction fused with the second
 * coefficients (taken from the updated rows), then the second subtraction.
 */
export function disjointDeflation(label: Int32Array, z: Float64Array, count: number): Deflation {
  let buf = new Float64Array(0);
  const n = label.length;
  return {
    count,
    project(X, b) {
      if (count === 0) return;
      if (buf.length < 2 * count * b) buf = new Float64Array(2 * count * b);
      const B1 = buf;
      const off = count * b;
      B1.fill(0, 0, 2 * off);
      for (let i = 0; i < n; i++) {
        const l = label[i];
        if (l < 0) continue;
        const zi = z[i];
        const o = l * b;
        const xo = i * b;
        for (let q = 0; q < b; q++) B1[o + q] += zi * X[xo + q];
      }
      for (let i = 0; i < n; i++) {
        const l = label[i];
        if (l < 0) continue;
        const zi = z[i];
        const o = l * b;
        const o2 = off + o;
        const xo = i * b;
        for (let q = 0; q < b; q++) {
          const v = X[xo + q] - zi * B1[o + q];
          X[xo + q] = v;
          B1[o2 + q] += zi * v;
        }
      }
      for (let i = 0; i < n; i++) {
        const l = label[i];
        if (l < 0) continue;
        const zi = z[i];
        const o2 = off + l * b;
        const xo = i * b;
        for (let q = 0; q < b; q++) X[xo + q] -= zi * B1[o2 + q];
      }
    },
  };
}
