/** Expected size of a G(n, ρW) sample and the memory {@link sampleGraph} needs for it, before sampling. */
import { edgeDensity } from '../graphon/quadrature.js';
import type { Graphon } from '../graphon/types.js';

/** Largest number of undirected edges a sample may hold: 2m CSR entries indexed by an Int32Array. */
export const MAX_SAMPLE_EDGES = 2 ** 30 - 1;

/** Default cap on the edges of one sample (`maxEdges`), about 24 GB of working memory. */
export const DEFAULT_MAX_EDGES = 5e8;

/** Bytes per node: latent positions (Float64) and four Int32 CSR work arrays. */
const BYTES_PER_NODE = 24;
/** Bytes per edge: the edge buffer (two Int32, up to twice over-allocated) and CSR rows, indices, weights. */
const BYTES_PER_EDGE = 48;

/** Expected edges and memory of a sample. */
export interface SampleEstimate {
  /** ρ · ∫∫W · n(n−1)/2, the expected number of undirected edges. */
  readonly edges: number;
  /** Peak working memory of {@link sampleGraph} in bytes (an estimate). */
  readonly bytes: number;
}

/** The expected edges ρ·∫∫W·n(n−1)/2 of G(n, ρW) and the memory sampling it takes. */
export function estimateSample(W: Graphon, n: number, rho = 1): SampleEstimate {
  const edges = rho * edgeDensity(W) * ((n * (n - 1)) / 2);
  return { edges, bytes: BYTES_PER_NODE * n + BYTES_PER_EDGE * edges };
}

/** `bytes` as a short human-readable size (`512 MB`, `1.5 GB`). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let u = 0;
  let b = bytes;
  while (b >= 1000 && u < units.length - 1) {
    b /= 1000;
    u++;
  }
  return `${b < 10 && u > 0 ? b.toFixed(1) : Math.round(b)} ${units[u]}`;
}
