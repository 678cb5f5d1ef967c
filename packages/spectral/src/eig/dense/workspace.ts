/**
 * Reusable scratch memory for the dense symmetric eigensolver, so that batched calls allocate
 * nothing per matrix. Buffers are sized for `nMax` and grow (geometrically) when a larger
 * matrix arrives; a workspace is not safe to share between concurrent calls.
 */
export class EighWorkspace {
  /** Largest n the buffers currently hold without growing. */
  nMax = 0;
  /** n×n work matrix: A on entry, then (row j) the j-th Schur vector. */
  w: Float64Array = new Float64Array(0);
  /** Second n×n matrix (component gathering, transposes, Householder vectors). */
  w2: Float64Array = new Float64Array(0);
  /** Third n×n matrix: tridiagonal eigenvectors for inverse iteration + back-transformation. */
  w3: Float64Array = new Float64Array(0);
  /** Scratch of the inverse-iteration path (tridiagonal copies, LU factors, iterate). */
  v: Float64Array[] = [];
  vi: Int32Array = new Int32Array(0);
  /** Tridiagonal diagonal / eigenvalues. */
  d: Float64Array = new Float64Array(0);
  /** Tridiagonal off-diagonal and Householder scratch. */
  e: Float64Array = new Float64Array(0);
  /** Givens cosines / sines of one implicit QL sweep (applied after the sweep). */
  cs: Float64Array = new Float64Array(0);
  sn: Float64Array = new Float64Array(0);
  /** General length-n scratch vectors. */
  t1: Float64Array = new Float64Array(0);
  t2: Float64Array = new Float64Array(0);
  t3: Float64Array = new Float64Array(0);
  t4: Float64Array = new Float64Array(0);
  t5: Float64Array = new Float64Array(0);
  /** Integer scratch: sort permutation, component labels, local indices, queue. */
  perm: Int32Array = new Int32Array(0);
  i1: Int32Array = new Int32Array(0);
  i2: Int32Array = new Int32Array(0);
  i3: Int32Array = new Int32Array(0);
  i4: Int32Array = new Int32Array(0);
  i5: Int32Array = new Int32Array(0);
  /** Scratch of the twin-leaf reduction (leaf neighbour, group representative, reduced index; scales, reduced null vector). */
  j1: Int32Array = new Int32Array(0);
  j2: Int32Array = new Int32Array(0);
  j3: Int32Array = new Int32Array(0);
  t6: Float64Array = new Float64Array(0);
  t7: Float64Array = new Float64Array(0);

  constructor(nMax = 0) {
    this.ensure(nMax);
  }

  /** Make every buffer large enough for an n×n problem (no-op when it already is). */
  ensure(n: number): this {
    if (n <= this.nMax) return this;
    const m = Math.max(n, Math.min(Math.ceil(this.nMax * 1.5), 4096), 8);
    this.nMax = m;
    this.w = new Float64Array(m * m);
    this.w2 = new Float64Array(m * m);
    this.w3 = new Float64Array(m * m);
    this.v = Array.from({ length: 10 }, () => new Float64Array(m + 2));
    this.vi = new Int32Array(m + 2);
    this.d = new Float64Array(m + 1);
    this.e = new Float64Array(m + 1);
    this.cs = new Float64Array(m + 1);
    this.sn = new Float64Array(m + 1);
    this.t1 = new Float64Array(m + 1);
    this.t2 = new Float64Array(m + 1);
    this.t3 = new Float64Array(m + 1);
    this.t4 = new Float64Array(m + 1);
    this.t5 = new Float64Array(m + 1);
    this.perm = new Int32Array(m + 1);
    this.i1 = new Int32Array(m + 1);
    this.i2 = new Int32Array(m + 1);
    this.i3 = new Int32Array(m + 1);
    this.i4 = new Int32Array(m + 1);
    this.i5 = new Int32Array(m + 1);
    this.j1 = new Int32Array(m + 1);
    this.j2 = new Int32Array(m + 1);
    this.j3 = new Int32Array(m + 1);
    this.t6 = new Float64Array(m + 1);
    this.t7 = new Float64Array(m + 1);
    return this;
  }
}
