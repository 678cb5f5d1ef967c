/**
 * laplacianEigsh: k smallest eigenpairs of a graph Laplacian (sym | rw | comb), component by component.
 * The Laplacian is block diagonal over connected components, so each is solved on its own and the
 * results are merged: isolated nodes are exact pairs (λ = 1 for sym/rw under PyG's d^{-1/2} := 0,
 * λ = 0 for comb); every other component's null vector is known exactly (D^{1/2}1_C for sym/rw, 1_C
 * for comb) and its other pairs come from a dense solve (small components, batched) or from block
 * LOBPCG with AMG on that component alone (see connected.ts). Solving one start block for the whole
 * graph instead lets an eigenpair living on a small component go unnoticed: the preconditioner's
 * start vectors need not reach it, and nothing in the residuals tells.
 *
 * Merging is exact: a component solved in part (its s smallest nonzero pairs) has all its other
 * eigenvalues ≥ its largest computed one, b_C; up to B = min_C b_C the merged list is the whole
 * spectrum, with multiplicities across components. The Z exact zeros of all components come first, so
 * no component holds more than k − Z of the k smallest nonzero values; asking each for that many puts
 * the k smallest at or below B.
 */
import { checkOption, GraphpeError } from '../../errors.js';
import { connectedComponents } from '../../graph/components.js';
import { componentSubgraph, partitionComponents } from '../../graph/partition.js';
import type { Graph, LaplacianKind } from '../../graph/types.js';
import { validateGraph } from '../../graph/validate.js';
import { degrees } from '../../laplacian/degree.js';
import { laplacianCsr } from '../../laplacian/operator.js';
import { laplacianResiduals } from '../../laplacian/residuals.js';
import { symToRwVectors } from '../../laplacian/rw.js';
import { checkMemory, denseSolveBytes, maxBytesOption } from '../../spectrum/memory.js';
import { laplacianEighBatch } from '../dense/batch.js';
import { connectedEigsh } from './connected.js';
import type { EigshProgress, EigshResult } from './types.js';

export interface LaplacianEigshOptions {
  /** Number of smallest eigenpairs (1 ≤ k ≤ n). */
  k: number;
  /** Which Laplacian (default 'sym'); 'rw' is solved as sym and mapped, see {@link laplacianEigsh}. */
  laplacian?: LaplacianKind;
  /** Residual tolerance ‖Lv − λv‖₂ per unit vector (default 1e-8; absolute, ‖L_sym‖ ≤ 2). For 'rw' it applies to the symmetric problem. */
  tol?: number;
  /** Maximum LOBPCG iterations per component (default 500; AMG-preconditioned runs need tens); past it a component of ≤ 2,500 nodes is solved densely instead. */
  maxIter?: number;
  /** Seed of the random start blocks (default 0). */
  seed?: number;
  /** Block size of each iterative component solve (default s + max(2, ⌈s/8⌉) for its s wanted pairs: measured fastest at n = 1e5, since the dense work grows like block size²). */
  ncv?: number;
  /** Progress of the iterative component solves. */
  onProgress?: (info: LaplacianEigshProgress) => void;
  /** Precondition with smoothed-aggregation AMG (default true); false gives plain LOBPCG. */
  precondition?: boolean;
  /**
   * Cap on the Float64 buffers of the solve (n×k vectors, LOBPCG blocks, dense component solves),
   * checked before they are allocated: a larger request throws `E_TOO_LARGE` (default 8 GiB).
   */
  maxBytes?: number;
}

/** Progress of one iterative component solve: {@link EigshProgress} plus which component. */
export interface LaplacianEigshProgress extends EigshProgress {
  /** 1-based index among the components solved iteratively. */
  readonly component: number;
  /** Number of components solved iteratively. */
  readonly components: number;
  /** Nodes of this component. */
  readonly nodes: number;
}

/** {@link EigshResult} plus the number of connected components (isolated nodes included). */
export interface LaplacianEigshResult extends EigshResult {
  readonly componentCount: number;
}

/**
 * The merged eigenpairs behind {@link laplacianEigsh} and `spectrum()`: `values` lists every
 * eigenvalue up to the bound below which the spectrum is known (the whole spectrum when `complete`),
 * ascending with multiplicity; the first `columns` of them have vectors.
 */
export interface LaplacianEigenpairs {
  readonly values: Float64Array;
  readonly columns: number;
  /** n × columns row-major. */
  readonly vectors: Float64Array;
  /** ‖Lv − λv‖₂ per column (L_rw for 'rw'). */
  readonly residuals: Float64Array;
  /** `values` is the whole spectrum (no component was solved in part). */
  readonly complete: boolean;
  readonly componentCount: number;
  /** Components solved by LOBPCG. */
  readonly iterativeComponents: number;
  readonly iterations: number;
  readonly matvecs: number;
}

/** The iterative solver's settings shared by {@link laplacianEigsh} and `spectrum()`. */
export type IterativeSolverOptions = Pick<
  LaplacianEigshOptions,
  'tol' | 'maxIter' | 'seed' | 'onProgress' | 'precondition'
>;

/** Validate the iterative solver's settings (each may be absent: defaults apply). */
export function checkIterativeOptions(o: IterativeSolverOptions, where: string): void {
  checkOption(
    o.tol === undefined || (typeof o.tol === 'number' && o.tol > 0 && o.tol < Infinity),
    where,
    'tol must be finite and > 0',
    o.tol,
  );
  checkOption(
    o.maxIter === undefined || (Number.isInteger(o.maxIter) && o.maxIter >= 0),
    where,
    'maxIter must be a non-negative integer',
    o.maxIter,
  );
  checkOption(
    o.seed === undefined || (Number.isInteger(o.seed) && o.seed >= 0 && o.seed < 2 ** 32),
    where,
    'seed must be an integer in [0, 2^32)',
    o.seed,
  );
  checkOption(
    o.onProgress === undefined || typeof o.onProgress === 'function',
    where,
    'onProgress must be a function',
    o.onProgress,
  );
  checkOption(
    o.precondition === undefined || typeof o.precondition === 'boolean',
    where,
    'precondition must be a boolean',
    o.precondition,
  );
}

const WHERE = 'spectral.laplacianEigsh';
/** Components up to this size are solved densely (batched, all pairs): at n = 256 a dense solve takes ~10 ms. */
export const DENSE_COMPONENT_MAX = 256;
/** Largest component solved densely when its LOBPCG solve does not converge (~5 s at this size). */
const DENSE_FALLBACK_MAX = 2500;

/**
 * k smallest eigenpairs of the Laplacian of `g`, component by component (see the module header).
 *
 * - Ties are ordered by component (components numbered by smallest node), then within a component.
 *   Zero eigenvalues are exact: one per component (all components for comb, non-isolated ones for
 *   sym/rw); with more zero modes than k, the first k components' are returned (any orthonormal basis
 *   of a repeated eigenspace is as valid).
 * - 'rw' (not symmetric): vectors are T·u / ‖T·u‖ for the sym eigenvectors u, T = diag(d^{-1/2}) with 1
 *   at isolated nodes; they are unit-norm but not orthogonal, and residuals are those of L_rw.
 * - A component whose LOBPCG solve exhausts maxIter is solved densely when it has at most 2,500 nodes;
 *   a larger one throws `E_NOT_CONVERGED` with the residuals reached.
 */
export function laplacianEigsh(g: Graph, options: LaplacianEigshOptions): LaplacianEigshResult {
  validateGraph(g, WHERE);
  checkOption(options !== null && typeof options === 'object', WHERE, 'options must be an object', options);
  checkOption(
    Number.isInteger(options.k) && options.k >= 1 && options.k <= g.n,
    WHERE,
    `k must be an integer in [1, ${g.n}]`,
    options.k,
  );
  const r = laplacianEigenpairs(g, { ...options, k: options.k, want: options.k });
  return {
    values: r.values.slice(0, options.k),
    vectors: r.vectors,
    residuals: r.residuals,
    iterations: r.iterations,
    matvecs: r.matvecs,
    converged: true,
    componentCount: r.componentCount,
  };
}

/** Options of {@link laplacianEigenpairs}: `k` vector columns, each component asked for `want` ≥ k pairs. */
export interface LaplacianEigenpairsOptions extends LaplacianEigshOptions {
  /** Pairs asked of each component (k plus a guard, to see past the k-th value) [k]. */
  want?: number;
  /** Largest component solved densely [{@link DENSE_COMPONENT_MAX}]. */
  denseMax?: number;
}

/** The component-wise solve and exact merge of {@link laplacianEigsh}, with the known part of the spectrum. */
export function laplacianEigenpairs(g: Graph, options: LaplacianEigenpairsOptions): LaplacianEigenpairs {
  const n = g.n;
  const kind = options.laplacian ?? 'sym';
  const { k } = options;
  const want = options.want ?? k;
  const tol = options.tol ?? 1e-8;
  const maxIter = options.maxIter ?? 500;
  const seed = options.seed ?? 0;
  const denseMax = options.denseMax ?? DENSE_COMPONENT_MAX;
  checkOption(
    kind === 'sym' || kind === 'rw' || kind === 'comb',
    WHERE,
    "laplacian must be 'sym', 'rw' or 'comb'",
    kind,
  );
  checkOption(Number.isInteger(k) && k >= 1 && k <= n, WHERE, `k must be an integer in [1, ${n}]`, k);
  checkOption(Number.isInteger(want) && want >= k, WHERE, `want must be an integer ≥ k = ${k}`, want);
  checkOption(
    options.ncv === undefined || (Number.isInteger(options.ncv) && options.ncv >= 1),
    WHERE,
    'ncv must be an integer ≥ 1',
    options.ncv,
  );
  checkOption(
    Number.isInteger(denseMax) && denseMax >= 1,
    WHERE,
    'denseMax must be an integer ≥ 1',
    denseMax,
  );
  checkIterativeOptions(options, WHERE);
  const maxBytes = maxBytesOption(options.maxBytes, WHERE);
  // n×k result vectors (and the same again in a Spectrum): refused before the components are found.
  checkMemory(
    16 * n * k,
    maxBytes,
    WHERE,
    `k = ${k} eigenvectors of n = ${n} nodes`,
    'ask for fewer pairs (k)',
  );

  const symKind = kind === 'comb' ? 'comb' : 'sym';
  const isolatedValue = kind === 'comb' ? 0 : 1;
  const part = partitionComponents(connectedComponents(g));
  const { count, nodes, offsets } = part;

  // Every component's exact zeros are among the `want` smallest values (Z of them in all), so a
  // component contributes at most want − Z nonzero values: that many are asked of each.
  let zeros = 0;
  for (let c = 0; c < count; c++) if (kind === 'comb' || offsets[c + 1] - offsets[c] > 1) zeros++;
  const nonzeroWanted = Math.max(0, want - zeros);

  // Classify components: isolated (exact), dense (all pairs, batched), iterative (s nonzero pairs).
  const DENSE = -1;
  const ISOLATED = -2;
  const route = new Int32Array(count); // ≥ 0: index among the iterative solves
  const denseIds: number[] = [];
  const iterIds: number[] = [];
  const iterS: number[] = [];
  const iterBlock: number[] = [];
  for (let c = 0; c < count; c++) {
    const m = offsets[c + 1] - offsets[c];
    if (m === 1) {
      route[c] = ISOLATED;
      continue;
    }
    const s = Math.min(m - 1, nonzeroWanted);
    const block = Math.min(m - 1, Math.max(s, options.ncv ?? s + Math.max(2, Math.ceil(s / 8))));
    if (s === 0 || m <= denseMax || m - 1 <= 3 * block) {
      route[c] = s === 0 ? ISOLATED - 1 : DENSE; // ISOLATED − 1: the null pair alone
      if (s > 0) denseIds.push(c);
      continue;
    }
    route[c] = iterIds.length;
    iterIds.push(c);
    iterS.push(s);
    iterBlock.push(block);
  }
  requestBytes(offsets, denseIds, iterIds, iterS, iterBlock, n, k, maxBytes);

  // Iterative components, one LOBPCG each. One that stalls short of tol while small enough to solve
  // densely in seconds is solved densely instead (an exact answer rather than an error).
  const iter: ({ L: ReturnType<typeof laplacianCsr>; r: EigshResult } | null)[] = [];
  let iterations = 0;
  let matvecs = 0;
  for (let t = 0; t < iterIds.length; t++) {
    const c = iterIds[t];
    const sub = count === 1 ? g : componentSubgraph(g, part, c);
    const L = laplacianCsr(sub, symKind);
    const m = sub.n;
    const progress = options.onProgress;
    let r: EigshResult;
    try {
      r = connectedEigsh(L, {
        s: iterS[t],
        blockSize: iterBlock[t],
        tol,
        maxIter,
        seed,
        precondition: options.precondition ?? true,
        onProgress: progress
          ? (p) => progress({ ...p, component: t + 1, components: iterIds.length, nodes: m })
          : undefined,
        where: `${WHERE} (component of ${m} nodes containing node ${nodes[offsets[c]]})`,
      });
    } catch (e) {
      if (!(e instanceof GraphpeError && e.code === 'E_NOT_CONVERGED' && m <= DENSE_FALLBACK_MAX)) throw e;
      route[c] = DENSE;
      denseIds.push(c);
      iter.push(null);
      continue;
    }
    iterations += r.iterations;
    matvecs += r.matvecs;
    iter.push({ L, r });
  }

  // Dense components in one batch (exact null vectors, ascending values, m×m vectors each).
  const batch = laplacianEighBatch(
    denseIds.map((c) => componentSubgraph(g, part, c)),
    { laplacian: symKind },
  );
  const denseSlot = new Int32Array(count).fill(-1);
  denseIds.forEach((c, b) => {
    denseSlot[c] = b;
  });

  // Candidates: every known value, component-major (the tie order), and the bound B.
  let total = 0;
  let bound = Number.POSITIVE_INFINITY;
  for (let c = 0; c < count; c++) {
    const m = offsets[c + 1] - offsets[c];
    const rt = route[c];
    if (rt === ISOLATED || rt === DENSE) total += m;
    else if (rt === ISOLATED - 1) total += 1;
    else {
      const r = iter[rt]!.r;
      total += 1 + iterS[rt];
      if (iterS[rt] < m - 1) bound = Math.min(bound, r.values[iterS[rt] - 1]);
    }
  }
  for (let c = 0; c < count; c++) {
    if (route[c] === ISOLATED - 1 && offsets[c + 1] - offsets[c] > 1) bound = Math.min(bound, 0);
  }
  const candValue = new Float64Array(total);
  const candComp = new Int32Array(total);
  const candIdx = new Int32Array(total);
  let q = 0;
  for (let c = 0; c < count; c++) {
    const rt = route[c];
    if (rt === ISOLATED) {
      candValue[q] = isolatedValue;
      candComp[q] = c;
      candIdx[q++] = 0;
    } else if (rt === ISOLATED - 1) {
      candValue[q] = 0;
      candComp[q] = c;
      candIdx[q++] = 0;
    } else if (rt === DENSE) {
      const b = denseSlot[c];
      const v0 = batch.valueOffsets[b];
      const m = batch.sizes[b];
      for (let t = 0; t < m; t++) {
        candValue[q] = batch.values[v0 + t];
        candComp[q] = c;
        candIdx[q++] = t;
      }
    } else {
      const r = iter[rt]!.r;
      candValue[q] = 0;
      candComp[q] = c;
      candIdx[q++] = 0;
      for (let t = 0; t < iterS[rt]; t++) {
        candValue[q] = r.values[t];
        candComp[q] = c;
        candIdx[q++] = t + 1;
      }
    }
  }

  // The known spectrum: every candidate ≤ B, ascending.
  let known = 0;
  for (let t = 0; t < total; t++) if (candValue[t] <= bound) known++;
  const values = new Float64Array(known);
  for (let t = 0, w = 0; t < total; t++) if (candValue[t] <= bound) values[w++] = candValue[t];
  values.sort();
  if (known < k) {
    throw new GraphpeError(
      'E_SHAPE',
      `${WHERE}: internal error, ${known} eigenvalues known below the bound, ${k} wanted`,
    );
  }

  // The first k candidates in (value, component, index) order: those below the k-th value, then ties.
  const kth = values[k - 1];
  const chosen: number[] = [];
  for (let t = 0; t < total; t++) if (candValue[t] < kth) chosen.push(t);
  for (let t = 0; t < total && chosen.length < k; t++) if (candValue[t] === kth) chosen.push(t);
  chosen.sort((a, b) => candValue[a] - candValue[b] || a - b);

  const vectors = new Float64Array(n * k);
  let deg: Float64Array | undefined;
  for (let j = 0; j < k; j++) {
    const t = chosen[j];
    const c = candComp[t];
    const idx = candIdx[t];
    const o = offsets[c];
    const m = offsets[c + 1] - o;
    const rt = route[c];
    if (rt === ISOLATED || rt === DENSE) {
      if (rt === ISOLATED) {
        vectors[nodes[o] * k + j] = 1;
        continue;
      }
      const b = denseSlot[c];
      const x0 = batch.vectorOffsets[b];
      for (let a = 0; a < m; a++) vectors[nodes[o + a] * k + j] = batch.vectors[x0 + a * m + idx];
    } else if (idx === 0) {
      // The exact null vector of a component solved iteratively or with s = 0: D^{1/2}1_C (sym), 1_C (comb).
      deg ??= degrees(g);
      let s2 = 0;
      for (let a = 0; a < m; a++) s2 += symKind === 'sym' ? deg[nodes[o + a]] : 1;
      const inv = 1 / Math.sqrt(s2);
      for (let a = 0; a < m; a++) {
        const u = nodes[o + a];
        vectors[u * k + j] = (symKind === 'sym' ? Math.sqrt(deg[u]) : 1) * inv;
      }
    } else {
      const { r } = iter[rt]!;
      const s = iterS[rt];
      for (let a = 0; a < m; a++) vectors[nodes[o + a] * k + j] = r.vectors[a * s + idx - 1];
    }
  }
  const residuals = new Float64Array(k);
  if (kind === 'rw') {
    const Lrw = laplacianCsr(g, 'rw');
    symToRwVectors(vectors, n, k, Lrw.degree);
    laplacianResiduals(Lrw, vectors, values, k, residuals);
  } else {
    // A connected graph solved iteratively: its Laplacian is already built.
    const whole = count === 1 && iter.length === 1 && iter[0] !== null ? iter[0].L : laplacianCsr(g, symKind);
    laplacianResiduals(whole, vectors, values, k, residuals);
  }
  return {
    values,
    columns: k,
    vectors,
    residuals,
    complete: bound === Number.POSITIVE_INFINITY,
    componentCount: count,
    iterativeComponents: iter.filter((x) => x !== null).length,
    iterations,
    matvecs,
  };
}

/**
 * Refuse, before any solve allocates, a request whose buffers exceed `maxBytes`: the n×k result (twice:
 * here and in a Spectrum), the batched dense components (Σ m² vectors plus the largest one's workspace)
 * and the iterative ones (their kept m×s vectors plus about ten m×block LOBPCG blocks for the largest).
 */
function requestBytes(
  offsets: Int32Array,
  denseIds: readonly number[],
  iterIds: readonly number[],
  iterS: readonly number[],
  iterBlock: readonly number[],
  n: number,
  k: number,
  maxBytes: number,
): void {
  let dense = 0;
  let denseMax = 0;
  for (const c of denseIds) {
    const m = offsets[c + 1] - offsets[c];
    dense += 8 * m * m;
    denseMax = Math.max(denseMax, m);
  }
  let iter = 0;
  let iterMax = 0;
  let worst = 0;
  for (let t = 0; t < iterIds.length; t++) {
    const m = offsets[iterIds[t] + 1] - offsets[iterIds[t]];
    iter += 8 * m * iterS[t];
    iterMax = Math.max(iterMax, 80 * m * iterBlock[t]);
    worst = Math.max(worst, m);
  }
  const bytes = 16 * n * k + dense + denseSolveBytes(denseMax) - 8 * denseMax * denseMax + iter + iterMax;
  const largest = Math.max(denseMax, worst);
  checkMemory(
    bytes,
    maxBytes,
    WHERE,
    `k = ${k} eigenpairs of n = ${n} nodes (largest component ${largest} nodes${denseMax === largest && denseMax > 0 ? ', solved densely since k is a large part of it' : ''})`,
    'ask for fewer pairs (k)',
  );
}
