/**
 * Random geometric graph (Penrose 2003): n uniform points in the unit hypercube, an edge between
 * every pair closer than a radius chosen for the requested mean degree. Built with a cell list
 * (cells of side ≥ radius), O(n · degree) time, directly in CSR form.
 */
import { checkOption } from '../errors.js';
import type { Graph } from '../graph/types.js';
import { createRng } from '../util/rng.js';

export interface RandomGeometricOptions {
  /** Expected degree away from the boundary (default 10); sets the radius. */
  meanDegree?: number;
  /** Dimension of the unit cube, 1–3 (default 2). */
  dim?: number;
  /** Seed of the point coordinates (default 0). */
  seed?: number;
  /** Explicit connection radius; overrides `meanDegree`. */
  radius?: number;
}

export interface RandomGeometricGraph extends Graph {
  /** Point coordinates, n × dim row-major. */
  readonly coords: Float64Array;
  /** Connection radius used. */
  readonly radius: number;
}

const WHERE = 'spectral.randomGeometricGraph';

/** Radius at which n uniform points in [0,1]^dim have the given expected (interior) degree. */
export function geometricRadius(n: number, meanDegree: number, dim: number): number {
  const ball = dim === 1 ? 2 : dim === 2 ? Math.PI : (4 / 3) * Math.PI;
  return (meanDegree / (Math.max(n - 1, 1) * ball)) ** (1 / dim);
}

/** Random geometric graph on n points (unit weights, sorted CSR), see the module header. */
export function randomGeometricGraph(n: number, options: RandomGeometricOptions = {}): RandomGeometricGraph {
  const dim = options.dim ?? 2;
  const meanDegree = options.meanDegree ?? 10;
  checkOption(Number.isInteger(n) && n >= 0, WHERE, 'n must be a non-negative integer', n);
  checkOption(dim === 1 || dim === 2 || dim === 3, WHERE, 'dim must be 1, 2 or 3', dim);
  checkOption(meanDegree > 0 && Number.isFinite(meanDegree), WHERE, 'meanDegree must be > 0', meanDegree);
  const r = options.radius ?? geometricRadius(n, meanDegree, dim);
  checkOption(r > 0 && Number.isFinite(r), WHERE, 'radius must be finite and > 0', r);
  const rng = createRng(options.seed ?? 0);
  const coords = new Float64Array(n * dim);
  for (let i = 0; i < coords.length; i++) coords[i] = rng.next();

  // Cell list: g cells per axis, side 1/g ≥ r; counting sort of the points by cell.
  const g = Math.max(1, Math.min(Math.floor(1 / r), Math.ceil(n ** (1 / dim))));
  const cellsPerAxis = [g, dim > 1 ? g : 1, dim > 2 ? g : 1];
  const cellCount = cellsPerAxis[0] * cellsPerAxis[1] * cellsPerAxis[2];
  const cellOf = new Int32Array(n);
  const cellStart = new Int32Array(cellCount + 1);
  for (let i = 0; i < n; i++) {
    let c = 0;
    for (let d = dim - 1; d >= 0; d--) c = c * g + Math.min(g - 1, Math.floor(coords[i * dim + d] * g));
    cellOf[i] = c;
    cellStart[c + 1]++;
  }
  for (let c = 0; c < cellCount; c++) cellStart[c + 1] += cellStart[c];
  const fill = cellStart.slice(0, cellCount);
  const members = new Int32Array(n);
  for (let i = 0; i < n; i++) members[fill[cellOf[i]]++] = i;

  const r2 = r * r;
  const indptr = new Int32Array(n + 1);
  let indices = new Int32Array(Math.max(16, Math.ceil(n * meanDegree * 1.1)));
  let nnz = 0;
  const cx = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    let c = cellOf[i];
    for (let d = 0; d < 3; d++) {
      cx[d] = c % cellsPerAxis[d];
      c = Math.floor(c / cellsPerAxis[d]);
    }
    const rowStart = nnz;
    const zLo = Math.max(0, cx[2] - 1);
    const zHi = Math.min(cellsPerAxis[2] - 1, cx[2] + 1);
    const yLo = Math.max(0, cx[1] - 1);
    const yHi = Math.min(cellsPerAxis[1] - 1, cx[1] + 1);
    const xLo = Math.max(0, cx[0] - 1);
    const xHi = Math.min(cellsPerAxis[0] - 1, cx[0] + 1);
    for (let z = zLo; z <= zHi; z++) {
      for (let y = yLo; y <= yHi; y++) {
        for (let x = xLo; x <= xHi; x++) {
          const cell = (z * cellsPerAxis[1] + y) * cellsPerAxis[0] + x;
          for (let p = cellStart[cell]; p < cellStart[cell + 1]; p++) {
            const j = members[p];
            if (j === i) continue;
            let d2 = 0;
            for (let d = 0; d < dim; d++) {
              const t = coords[i * dim + d] - coords[j * dim + d];
              d2 += t * t;
            }
            if (d2 <= r2) {
              if (nnz === indices.length) {
                const grown = new Int32Array(indices.length * 2);
                grown.set(indices);
                indices = grown;
              }
              indices[nnz++] = j;
            }
          }
        }
      }
    }
    indices.subarray(rowStart, nnz).sort();
    indptr[i + 1] = nnz;
  }
  return {
    n,
    indptr,
    indices: indices.slice(0, nnz),
    weights: new Float64Array(nnz).fill(1),
    coords,
    radius: r,
  };
}
