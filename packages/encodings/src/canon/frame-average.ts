/**
 * Frame averaging over a sign frame (Puny et al., ICLR 2022; the canonization view of Ma et al. 2024,
 * OAP, arXiv 2405.18378): Φ(U) = (1/|F|) Σ_{g∈F} φ(g⁻¹·U) (invariant) or (1/|F|) Σ_g g·φ(g⁻¹·U)
 * (equivariant), for any function φ of the n×k eigenvector matrix — no tensor library involved.
 */
import { GraphpeError, type Spectrum } from '@graphpe/spectral';
import { type SignFrame, type SignFrameOptions, signFrame } from './frames.js';

/** Options of {@link frameAverage}: the frame's, plus `equivariant` [false]. */
export interface FrameAverageOptions extends SignFrameOptions {
  /**
   * Average g·φ(g⁻¹U) instead of φ(g⁻¹U): φ must return rows of length k (r×k row-major, e.g. n×k node
   * features per eigenvector); each row is mapped back by diag(signs)·T (T = {@link SignFrame.back}), so
   * Φ(U·diag(s)) = Φ(U)·diag(s) and, on basis-canonized eigenspaces, Φ(U·Q) = Φ(U)·Q.
   */
  equivariant?: boolean;
}

/**
 * φ for {@link frameAverage}: receives the frame element (n×k row-major; a buffer reused across calls —
 * read it, do not keep it), its signs (length k) and its index; returns a number or a Float64Array of a
 * fixed length.
 */
export type FrameFunction<T extends number | Float64Array> = (
  vectors: Float64Array,
  signs: Float64Array,
  index: number,
) => T;

function isFrame(x: Spectrum | SignFrame): x is SignFrame {
  return (x as SignFrame).columns !== undefined && (x as SignFrame).base !== undefined;
}

/**
 * Average φ over the sign frame of a spectrum (built with `options`) or over a given {@link SignFrame}.
 * With the default frame (canonize, then flip the m sign-non-canonizable columns, drop unresolved
 * eigenspaces) the result is exactly invariant to the input's column signs and eigenspace bases, whatever
 * φ is, and costs 2^m evaluations of φ.
 */
export function frameAverage<T extends number | Float64Array>(
  fn: FrameFunction<T>,
  source: Spectrum | SignFrame,
  options: FrameAverageOptions = {},
): T {
  const where = 'encodings.frameAverage';
  const frame = isFrame(source) ? source : signFrame(source, options);
  const { n, k, size, back } = frame;
  const equivariant = options.equivariant ?? false;
  const U = new Float64Array(n * k);
  const sg = new Float64Array(k);
  const row = new Float64Array(k);
  let total = 0;
  let acc: Float64Array | undefined;
  let scalar: boolean | undefined;
  for (let p = 0; p < size; p++) {
    frame.element(p, U);
    frame.signs(p, sg);
    const y = fn(U, sg, p);
    if (scalar === undefined) scalar = typeof y === 'number';
    if (typeof y === 'number') {
      if (!scalar || equivariant) {
        throw new GraphpeError(
          'E_SHAPE',
          `${where}: φ returned a number at element ${p}${equivariant ? '; equivariant averaging needs r×k arrays' : ' after returning arrays'}`,
        );
      }
      total += y;
      continue;
    }
    if (scalar || !(y instanceof Float64Array)) {
      throw new GraphpeError(
        'E_SHAPE',
        `${where}: φ must always return a number or always a Float64Array (element ${p})`,
      );
    }
    if (acc === undefined) {
      if (equivariant && y.length % k !== 0) {
        throw new GraphpeError(
          'E_SHAPE',
          `${where}: equivariant φ must return r×k values, got ${y.length} (k = ${k})`,
          {
            length: y.length,
            k,
          },
        );
      }
      acc = new Float64Array(y.length);
    } else if (y.length !== acc.length) {
      throw new GraphpeError(
        'E_SHAPE',
        `${where}: φ returned ${y.length} values at element ${p}, ${acc.length} before`,
      );
    }
    if (!equivariant) {
      for (let q = 0; q < y.length; q++) acc[q] += y[q];
      continue;
    }
    // g·y: each row r ↦ r·diag(signs)·T.
    for (let base = 0; base < y.length; base += k) {
      for (let a = 0; a < k; a++) row[a] = y[base + a] * sg[a];
      for (let b = 0; b < k; b++) {
        let t = 0;
        for (let a = 0; a < k; a++) t += row[a] * back[a * k + b];
        acc[base + b] += t;
      }
    }
  }
  if (scalar || acc === undefined) return (total / size) as T;
  for (let q = 0; q < acc.length; q++) acc[q] /= size;
  return acc as T;
}
