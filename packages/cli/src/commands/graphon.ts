import { open, writeFile } from 'node:fs/promises';
import {
  CHAN_AIROLDI,
  cosGraphon,
  DEFAULT_MAX_EDGES,
  estimateSample,
  expAbsGraphon,
  formatBytes,
  type Graphon,
  MAX_SAMPLE_EDGES,
  minGraphon,
  plantedPartition,
  sampleGraph,
  sbmGraphon,
  xyGraphon,
} from '@graphpe/graphon';
import { type Graph, GraphpeError } from '@graphpe/spectral';
import type { CliIo } from '../io/types.js';

/** Parsed options of `graphpe graphon sample`. */
export interface GraphonSampleOptions {
  /** Graphon spec, e.g. `sbm:sizes=0.5,0.5:p=0.8,0.1,0.1,0.8`, `planted:k=3:p=0.5:q=0.1`, `cos`. */
  graphon: string;
  n: number;
  seed: number;
  /** Sparsity ρ ∈ (0, 1] [1]. */
  rho: number;
  latent: 'uniform' | 'grid';
  out: string;
  /** Optional file of latent positions, one per line in node order. */
  latentOut?: string;
  /** Refuse samples with more expected (or drawn) edges than this [5·10⁸]. */
  maxEdges?: number;
  quiet: boolean;
}

/** Largest node count: node ids are Int32. */
export const MAX_NODES = 2 ** 31 - 1;

/** Expected edge counts from which the estimate is printed before sampling. */
const NOTICE_EDGES = 1e7;

const WHERE = 'graphpe graphon sample';

/** The closed-form graphons by name (`exp` = exp(−|x−y|)), plus the Chan–Airoldi table. */
const NAMED: Readonly<Record<string, () => Graphon>> = {
  ...CHAN_AIROLDI,
  cos: cosGraphon,
  xy: xyGraphon,
  min: minGraphon,
  exp: expAbsGraphon,
};

/** The graphon names accepted by {@link parseGraphonSpec} besides `sbm:` and `planted:`. */
export const GRAPHON_NAMES: readonly string[] = Object.keys(NAMED).sort();

function bad(spec: string, token: string, why: string): GraphpeError {
  return new GraphpeError('E_OPTION', `${WHERE}: --graphon ${JSON.stringify(spec)}: ${why} at "${token}"`, {
    spec,
    token,
  });
}

function numberList(spec: string, token: string, text: string): number[] {
  const parts = text.split(',');
  return parts.map((p) => {
    const x = p.trim() === '' ? Number.NaN : Number(p);
    if (!Number.isFinite(x)) throw bad(spec, token, `"${p}" is not a number`);
    return x;
  });
}

/**
 * Parse a graphon spec: a library name (`cos`, `xy`, `min`, `exp`, or a Chan–Airoldi name such as
 * `logistic`), `sbm:sizes=a,b,…:p=p11,p12,…` (K block sizes, K×K row-major probabilities) or
 * `planted:k=K:p=P:q=Q`. Errors are `E_OPTION` naming the bad token.
 */
export function parseGraphonSpec(spec: string): Graphon {
  const [head, ...rest] = spec.trim().split(':');
  const name = head.trim().toLowerCase();
  if (name === 'sbm' || name === 'planted') {
    const kv = new Map<string, string>();
    for (const token of rest) {
      const eq = token.indexOf('=');
      if (eq <= 0) throw bad(spec, token, 'expected key=value');
      const key = token.slice(0, eq).trim().toLowerCase();
      const allowed = name === 'sbm' ? ['sizes', 'p'] : ['k', 'p', 'q'];
      if (!allowed.includes(key)) {
        throw bad(spec, token, `unknown ${name} option "${key}" (expected ${allowed.join(', ')})`);
      }
      if (kv.has(key)) throw bad(spec, token, `"${key}" given twice`);
      kv.set(key, token.slice(eq + 1));
    }
    const need = (key: string): string => {
      const v = kv.get(key);
      if (v === undefined) throw bad(spec, head, `${name} needs ${key}=`);
      return v;
    };
    if (name === 'sbm') {
      const sizes = numberList(spec, `sizes=${need('sizes')}`, need('sizes'));
      const p = numberList(spec, `p=${need('p')}`, need('p'));
      if (p.length !== sizes.length * sizes.length) {
        throw bad(
          spec,
          `p=${need('p')}`,
          `p needs K×K = ${sizes.length * sizes.length} values for K = ${sizes.length} blocks, got ${p.length}`,
        );
      }
      return sbmGraphon(sizes, p);
    }
    const [k] = numberList(spec, `k=${need('k')}`, need('k'));
    if (!Number.isInteger(k) || k < 1) throw bad(spec, `k=${need('k')}`, 'k must be an integer ≥ 1');
    const [p] = numberList(spec, `p=${need('p')}`, need('p'));
    const [q] = numberList(spec, `q=${need('q')}`, need('q'));
    for (const [key, v] of [
      ['p', p],
      ['q', q],
    ] as const) {
      if (!(v >= 0 && v <= 1)) throw bad(spec, `${key}=${v}`, `${key} must be in [0, 1]`);
    }
    return plantedPartition(k, p, q);
  }
  const make = NAMED[name];
  if (!make) {
    throw bad(
      spec,
      head,
      `unknown graphon (expected sbm:…, planted:…, or one of ${GRAPHON_NAMES.join(', ')})`,
    );
  }
  if (rest.length > 0) throw bad(spec, rest[0], `${name} takes no options`);
  return make();
}

/** Write the undirected edges of `g` as "u v" lines (u < v) after `header` comment lines. */
export async function writeEdgeListText(path: string, g: Graph, header: readonly string[]): Promise<void> {
  const fh = await open(path, 'w');
  try {
    let buf = header.map((h) => `# ${h}\n`).join('');
    for (let u = 0; u < g.n; u++) {
      for (let p = g.indptr[u]; p < g.indptr[u + 1]; p++) {
        const v = g.indices[p];
        if (v > u) buf += `${u} ${v}\n`;
      }
      if (buf.length > 1 << 20) {
        await fh.write(buf);
        buf = '';
      }
    }
    if (buf.length > 0) await fh.write(buf);
  } finally {
    await fh.close();
  }
}

/**
 * Refuse `--n` past the Int32 node ids and samples whose expected edge count passes `--max-edges`, before
 * anything is allocated; print the expected edges and memory when they are large. Returns the cap.
 */
function checkSampleSize(W: Graphon, o: GraphonSampleOptions, io: CliIo): number {
  if (!(o.n <= MAX_NODES)) {
    throw new GraphpeError(
      'E_OPTION',
      `${WHERE}: --n ${o.n} is over ${MAX_NODES}, the most nodes Int32 node ids can number`,
      { value: o.n },
    );
  }
  const maxEdges = o.maxEdges ?? DEFAULT_MAX_EDGES;
  if (!(Number.isInteger(maxEdges) && maxEdges >= 1 && maxEdges <= MAX_SAMPLE_EDGES)) {
    throw new GraphpeError(
      'E_OPTION',
      `${WHERE}: --max-edges ${maxEdges} must be an integer in [1, ${MAX_SAMPLE_EDGES}] (the Int32 CSR limit)`,
      { value: maxEdges },
    );
  }
  const pairs = (o.n * (o.n - 1)) / 2;
  if (o.rho * pairs < Math.min(NOTICE_EDGES, maxEdges / 10)) return maxEdges;
  const { edges, bytes } = estimateSample(W, o.n, o.rho);
  const what = `G(n = ${o.n}, ρW) for ${W.name}, ρ = ${o.rho}: ≈ ${edges.toExponential(2)} expected edges, ≈ ${formatBytes(bytes)} of memory to sample`;
  if (edges > maxEdges) {
    throw new GraphpeError(
      'E_TOO_LARGE',
      `${WHERE}: ${what}, over --max-edges ${maxEdges}; lower --n or --rho, or raise --max-edges (at most ${MAX_SAMPLE_EDGES})`,
      { n: o.n, rho: o.rho, expectedEdges: edges, bytes, maxEdges },
    );
  }
  if (!o.quiet && (edges >= NOTICE_EDGES || edges >= maxEdges / 10)) io.stderr(`graphon sample: ${what}\n`);
  return maxEdges;
}

/** `graphpe graphon sample`: draw G(n, ρW) and write it as an edge list. */
export async function graphonSampleCommand(o: GraphonSampleOptions, io: CliIo): Promise<void> {
  const W = parseGraphonSpec(o.graphon);
  const maxEdges = checkSampleSize(W, o, io);
  const t0 = performance.now();
  let s: ReturnType<typeof sampleGraph>;
  try {
    s = sampleGraph(W, o.n, { seed: o.seed, rho: o.rho, latent: o.latent, maxEdges });
  } catch (err) {
    if (err instanceof GraphpeError && err.details.option === 'maxEdges') {
      throw new GraphpeError(
        'E_TOO_LARGE',
        `${WHERE}: the sample passed --max-edges ${maxEdges} while sampling (${W.name}, n = ${o.n}, ρ = ${o.rho}); raise --max-edges (at most ${MAX_SAMPLE_EDGES}) or lower --n or --rho`,
        err.details,
      );
    }
    throw err;
  }
  const sampleS = (performance.now() - t0) / 1000;
  let isolatedTail = 0;
  for (let u = o.n - 1; u >= 0 && s.graph.indptr[u + 1] === s.graph.indptr[u]; u--) isolatedTail++;
  await writeEdgeListText(o.out, s.graph, [
    `graphpe graphon sample --graphon ${o.graphon} --n ${o.n} --seed ${o.seed} --rho ${o.rho} --latent ${o.latent}`,
    `graphon=${W.name} n=${o.n} seed=${o.seed} rho=${o.rho} latent=${o.latent} method=${s.method} edges=${s.edges}`,
    'nodes numbered by increasing latent position; "u v" per undirected edge, u < v',
  ]);
  if (o.latentOut) {
    const parts: string[] = [];
    for (let i = 0; i < s.latent.length; i++) parts.push(String(s.latent[i]));
    await writeFile(o.latentOut, `${parts.join('\n')}\n`);
  }
  if (!o.quiet) {
    io.stderr(
      `graphon sample: ${W.name}, n=${o.n}, edges=${s.edges}, method ${s.method}, ${sampleS.toFixed(3)} s → ${o.out}\n`,
    );
    if (s.approximation) {
      io.stderr(
        `graphon sample: step approximation with ${s.approximation.cells} cells (linf ${s.approximation.linf.toExponential(2)}, l1 ${s.approximation.l1.toExponential(2)})\n`,
      );
    }
    if (isolatedTail > 0) {
      io.stderr(
        `graphon sample: the last ${isolatedTail} node(s) are isolated and absent from the edge list; pass --n ${o.n} to graphpe sample\n`,
      );
    }
  }
}
