import {
  GraphpeError,
  type LaplacianKind,
  type PadMode,
  readEdgeList,
  type SignConvention,
  type Spectrum,
  spectrum,
} from '@graphpe/spectral';
import { encodeNpy } from '../io/npy.js';
import {
  checkOutputDir,
  checkOutputFile,
  outputError,
  writeDirAtomic,
  writeFileAtomic,
} from '../io/output.js';
import type { CliIo } from '../io/types.js';

const WHERE = 'graphpe spectrum';

/** Parsed options of `graphpe spectrum`. */
export interface SpectrumCommandOptions {
  k: number;
  laplacian: LaplacianKind;
  format: 'json' | 'npy';
  out?: string;
  pad: PadMode;
  sign: SignConvention;
  solver: 'auto' | 'dense' | 'sparse';
  tol?: number;
  seed: number;
  duplicates: 'sum' | 'error';
  selfLoops: 'keep' | 'drop';
  quiet: boolean;
}

/** `graphpe spectrum <edge-list>`: eigenvalues, eigenvectors and eigenspace groups of a graph Laplacian. */
export async function spectrumCommand(file: string, o: SpectrumCommandOptions, io: CliIo): Promise<void> {
  if (o.format === 'npy' && !o.out) {
    throw new GraphpeError('E_OPTION', `${WHERE}: --format npy needs --out <directory>`);
  }
  if (o.out) {
    if (o.format === 'npy') await checkOutputDir(o.out, WHERE);
    else await checkOutputFile(o.out, WHERE);
  }
  const g = await readEdgeList(file, { duplicates: o.duplicates, selfLoops: o.selfLoops });
  const t0 = performance.now();
  let lastReport = 0;
  const s = spectrum(g, {
    k: o.k,
    laplacian: o.laplacian,
    pad: o.pad,
    sign: o.sign,
    solver: o.solver,
    tol: o.tol,
    seed: o.seed,
    onProgress: o.quiet
      ? undefined
      : (p) => {
          const now = performance.now();
          if (now - lastReport < 1000) return;
          lastReport = now;
          const part = p.nodes < g.n ? `component ${p.component}/${p.components} (${p.nodes} nodes), ` : '';
          io.stderr(
            `spectrum: ${part}iteration ${p.iteration}, converged ${p.converged}/${p.wanted}, max residual ${p.maxResidual.toExponential(2)}, ${((now - t0) / 1000).toFixed(1)} s\n`,
          );
        },
  });
  if (!o.quiet) {
    const zero = s.groups[0]?.value === 0 ? s.groups[0] : undefined;
    const nullity = zero ? `, null space multiplicity ${zero.multiplicity}` : '';
    io.stderr(
      `spectrum: n=${g.n}, k=${s.k}, ${s.solver} solver${nullity}, ${((performance.now() - t0) / 1000).toFixed(3)} s, max residual ${maxResidual(s).toExponential(2)}\n`,
    );
  }
  const out = o.out;
  if (o.format === 'json') {
    const text = `${JSON.stringify(spectrumToJson(s))}\n`;
    if (out) await write(out, () => writeFileAtomic(out, text));
    else io.stdout(text);
    return;
  }
  if (!out) throw new Error(`${WHERE}: unreachable: npy without --out`);
  const groups = new Int32Array(s.groups.length * 4);
  for (const [i, gr] of s.groups.entries()) {
    groups.set([gr.start, gr.size, gr.multiplicity, gr.status === 'partial' ? 1 : 0], i * 4);
  }
  const files = new Map<string, Uint8Array | string>([
    ['values.npy', encodeNpy(s.values, [s.k])],
    ['vectors.npy', encodeNpy(s.vectors, [s.n, s.k])],
    ['mask.npy', encodeNpy(s.mask, [s.k])],
    ['residuals.npy', encodeNpy(s.residuals, [s.k])],
    ['groups.npy', encodeNpy(groups, [s.groups.length, 4])],
    ['meta.json', `${JSON.stringify(meta(s), null, 2)}\n`],
  ]);
  await write(out, () => writeDirAtomic(out, files));
  if (!o.quiet)
    io.stderr(`spectrum: wrote ${out}/{values,vectors,mask,residuals,groups}.npy and meta.json\n`);
}

/** Runs a write of `--out`, turning file-system errors into `E_FILE`. */
async function write(out: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    throw outputError(err, WHERE, out);
  }
}

function maxResidual(s: Spectrum): number {
  let r = 0;
  for (let j = 0; j < s.k; j++) if (s.mask[j]) r = Math.max(r, s.residuals[j]);
  return r;
}

function meta(s: Spectrum) {
  return {
    n: s.n,
    k: s.k,
    laplacian: s.laplacian,
    solver: s.solver,
    signConvention: s.signConvention,
    groups: s.groups,
    groupsNpyColumns: ['start', 'size', 'multiplicity', 'partial'],
  };
}

/** JSON form of a spectrum: vectors as n rows of k numbers; NaN padding becomes null. */
export function spectrumToJson(s: Spectrum) {
  const vectors: number[][] = [];
  for (let i = 0; i < s.n; i++) vectors.push(Array.from(s.vectors.subarray(i * s.k, (i + 1) * s.k)));
  return {
    ...meta(s),
    values: Array.from(s.values),
    mask: Array.from(s.mask),
    residuals: Array.from(s.residuals),
    vectors,
  };
}
