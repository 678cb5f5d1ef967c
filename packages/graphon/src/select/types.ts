/** Types shared by the sampling-set selectors. */

/** Which selector produced a set. */
export type SelectionMethod = 'ge' | 'qr' | 'proxy' | 'intervals' | 'random';

/** A sampling set S ⊂ V. */
export interface SamplingSet {
  readonly method: SelectionMethod;
  /** Selected node ids, in selection order (GE/QR/proxy) or ascending (intervals/random). */
  readonly nodes: Int32Array;
}

/** An orthonormal basis U_K of PW_λ(G): the K smallest eigenvectors of L_sym. */
export interface BandlimitedBasis {
  readonly n: number;
  readonly K: number;
  /** The K smallest eigenvalues, ascending. */
  readonly values: Float64Array;
  /** U_K, n×K row-major, orthonormal columns. */
  readonly vectors: Float64Array;
  /** The bandwidth: the λ asked for, or values[K−1] when K was given. */
  readonly lambda: number;
  /** True when K cuts through an eigenspace (PW_λ then depends on the basis chosen inside it). */
  readonly partial: boolean;
}
