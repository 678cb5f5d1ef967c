import { readFile, writeFile } from 'node:fs/promises';
import { totalmem } from 'node:os';
import {
  bandlimitedBasis,
  bandlimitedSignal,
  degreeOrder,
  formatBytes,
  geSelect,
  intervalSelect,
  proxySelect,
  qrSelect,
  randomSelect,
  reconstruct,
  relativeError,
  restrictSignal,
  type SelectionMethod,
} from '@graphpe/graphon';
import { createRng, GraphpeError, readEdgeList } from '@graphpe/spectral';
import type { CliIo } from '../io/types.js';

/** Parsed options of `graphpe sample`. */
export interface SampleCommandOptions {
  method: SelectionMethod;
  /** Bandwidth as a number of eigenvectors K (basis size; GE/QR select K nodes, proxy/random k nodes) [32]. */
  k: number;
  /** Bandwidth λ: the basis is U_K with K = #{λ_i ≤ λ}; proxy/intervals stop once Ω > λ. */
  lambda?: number;
  seed: number;
  /** Signal file, one number per line (n lines); default a seeded random bandlimited signal. */
  signal?: string;
  /** Number of nodes (when the highest ids are isolated and absent from the edge list). */
  n?: number;
  /** Intervals method: q intervals, p selected, r nodes per interval [20, 10, 20]. */
  q: number;
  p: number;
  r: number;
  /** Proxy/intervals order [2 / 5]. */
  order?: number;
  /** Node order of the interval method: ids (latent order of graphon samples) or ascending degree. */
  nodeOrder: 'id' | 'degree';
  out?: string;
  quiet: boolean;
}

const WHERE = 'graphpe sample';

/** Read a signal file: one finite number per line (blank lines and `#` comments skipped). */
export async function readSignal(path: string): Promise<Float64Array> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new GraphpeError(
      'E_FILE',
      `${WHERE}: ${path}: cannot read the signal file: ${(err as Error).message}`,
      {
        path,
      },
    );
  }
  const values: number[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i].trim();
    if (t === '' || t.startsWith('#')) continue;
    const x = Number(t);
    if (!Number.isFinite(x)) {
      throw new GraphpeError('E_PARSE', `${WHERE}: ${path}: line ${i + 1}: "${t}" is not a finite number`, {
        path,
        line: i + 1,
        value: t,
      });
    }
    values.push(x);
  }
  if (values.length === 0)
    throw new GraphpeError('E_EMPTY', `${WHERE}: ${path}: the signal file is empty`, { path });
  return Float64Array.from(values);
}

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** Largest node count: node ids are Int32. */
const MAX_NODES = 2 ** 31 - 1;
/** Bytes per node besides the basis: CSR rows, degrees, signal, reconstruction. */
const BYTES_PER_NODE = 64;

/**
 * Before reading anything: `--n` within the Int32 node ids (`E_OPTION`), and the n × K basis plus the
 * per-node arrays within this machine's memory (`E_TOO_LARGE`).
 */
export function checkNodeCount(n: number, k: number, memory: number = totalmem()): void {
  if (!(n <= MAX_NODES)) {
    throw new GraphpeError(
      'E_OPTION',
      `${WHERE}: --n ${n} is over ${MAX_NODES}, the most nodes Int32 node ids can number`,
      { value: n },
    );
  }
  const bytes = n * (8 * k + BYTES_PER_NODE);
  if (bytes > memory) {
    throw new GraphpeError(
      'E_TOO_LARGE',
      `${WHERE}: --n ${n} with K = ${k} needs ≈ ${formatBytes(bytes)} (n × K basis and per-node arrays), more than this machine's ${formatBytes(memory)} of memory`,
      { value: n, k, bytes, memory },
    );
  }
}

/** `graphpe sample <edge-list>`: select a sampling set and report its conditioning and reconstruction error. */
export async function sampleCommand(file: string, o: SampleCommandOptions, io: CliIo): Promise<void> {
  if (o.n !== undefined) checkNodeCount(o.n, o.lambda !== undefined ? 1 : o.k);
  const x0 = o.signal ? await readSignal(o.signal) : undefined;
  let g = await readEdgeList(file, { n: o.n });
  // A signal longer than max id + 1 covers isolated trailing nodes the edge list cannot show.
  if (x0 && o.n === undefined && x0.length > g.n) g = await readEdgeList(file, { n: x0.length });
  if (x0 && x0.length !== g.n) {
    throw new GraphpeError(
      'E_SHAPE',
      `${WHERE}: ${o.signal}: ${x0.length} values for a graph with n = ${g.n} nodes (${file}); give one per node`,
      { path: o.signal, values: x0.length, n: g.n },
    );
  }
  const t0 = performance.now();
  const basis = bandlimitedBasis(
    g,
    o.lambda !== undefined ? { lambda: o.lambda, seed: o.seed } : { k: Math.min(o.k, g.n), seed: o.seed },
  );
  const tBasis = performance.now();
  const extra: Record<string, unknown> = {};
  let nodes: Int32Array;
  switch (o.method) {
    case 'ge':
    case 'qr': {
      const s = o.method === 'ge' ? geSelect(basis) : qrSelect(basis);
      nodes = s.nodes;
      extra.pivots = Array.from(s.pivots);
      break;
    }
    case 'proxy': {
      const s = proxySelect(g, {
        budget: Math.min(o.k, g.n),
        lambda: o.lambda,
        order: o.order,
        seed: o.seed,
      });
      nodes = s.nodes;
      extra.cutoff = finite(s.cutoff);
      extra.reachedLambda = s.reachedLambda;
      extra.order = s.order;
      break;
    }
    case 'intervals': {
      const s = intervalSelect(g, {
        q: o.q,
        p: o.p,
        r: o.r,
        order: o.order,
        lambda: o.lambda,
        seed: o.seed,
        nodeOrder: o.nodeOrder === 'degree' ? degreeOrder(g) : undefined,
      });
      nodes = s.nodes;
      extra.intervals = Array.from(s.intervals);
      extra.reachedLambda = s.reachedLambda;
      extra.q = o.q;
      extra.p = o.p;
      extra.r = o.r;
      extra.nodeOrder = o.nodeOrder;
      break;
    }
    case 'random':
      nodes = randomSelect(g.n, Math.min(o.k, g.n), { seed: o.seed }).nodes;
      break;
    default:
      throw new GraphpeError('E_OPTION', `${WHERE}: unknown --method ${String(o.method)}`, {
        value: o.method,
      });
  }
  const tSelect = performance.now();
  const x = x0 ?? bandlimitedSignal(basis, createRng(o.seed));
  const rec = reconstruct(basis, nodes, restrictSignal(x, nodes));
  const err = relativeError(rec.signal, x);
  const result = {
    method: o.method,
    n: g.n,
    k: basis.K,
    lambda: basis.lambda,
    partial: basis.partial,
    size: nodes.length,
    nodes: Array.from(nodes),
    condition: finite(rec.condition),
    rank: rec.rank,
    reconstructionError: finite(err),
    signal: o.signal ?? 'random-bandlimited',
    seed: o.seed,
    seconds: {
      basis: (tBasis - t0) / 1000,
      select: (tSelect - tBasis) / 1000,
    },
    ...extra,
  };
  const text = `${JSON.stringify(result)}\n`;
  if (o.out) await writeFile(o.out, text);
  else io.stdout(text);
  if (!o.quiet) {
    io.stderr(
      `sample: ${o.method}, n=${g.n}, K=${basis.K}${basis.partial ? ' (cuts an eigenspace)' : ''}, |S|=${nodes.length}, cond(U_K[S,:])=${Number.isFinite(rec.condition) ? rec.condition.toPrecision(4) : '∞'}, rank ${rec.rank}, reconstruction error ${err.toExponential(3)} (${o.signal ? o.signal : 'random bandlimited signal'}), basis ${result.seconds.basis.toFixed(3)} s, selection ${result.seconds.select.toFixed(3)} s${o.out ? ` → ${o.out}` : ''}\n`,
    );
  }
}
