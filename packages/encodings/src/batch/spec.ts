/**
 * Serializable PE pipeline specs: `lap:k=16,rwse:steps=20,canon:oap` ⇄ a plain {@link PeSpec} ⇄ a
 * composed transform. Worker threads receive the normalized string and rebuild the same pipeline.
 *
 * Grammar: `spec := item (',' item)*`, `item := name (':' option)*`, `option := key '=' value | flag`.
 * Items: `lap` (LapPE), `rwse`, `hk` (heat-kernel diagonal), `proj` (eigenspace projectors) and
 * `canon` (turns every `lap` item to `sign: 'canonical'`; flags pick the basis rule and sign mode).
 */
import { checkOption, GraphpeError, type LaplacianKind } from '@graphpe/spectral';
import type { CanonizeOptions } from '../canon/canonize.js';
import type { BasisMethod, SignMode } from '../canon/types.js';
import { compose } from '../compose.js';
import { type HeatKernelOptions, heatKernelDiag } from '../fixed/heat-kernel.js';
import { type LapPEOptions, lapPE } from '../fixed/lap-pe.js';
import { eigenspaceProjectors, type PartialPolicy, type ProjectorOptions } from '../fixed/projectors.js';
import { type RwseOptions, rwse } from '../fixed/rwse.js';
import type { PeDtype, PeTransform } from '../fixed/types.js';

/** One transform of a spec with the options it is built with. */
export type PeSpecItem =
  | { readonly kind: 'lap'; readonly options: LapPEOptions }
  | { readonly kind: 'rwse'; readonly options: RwseOptions }
  | { readonly kind: 'hk'; readonly options: HeatKernelOptions }
  | { readonly kind: 'proj'; readonly options: ProjectorOptions };

/** A parsed PE pipeline: the transforms in order (canon folded into the `lap` items). */
export interface PeSpec {
  readonly items: readonly PeSpecItem[];
}

/** Defaults applied to items that do not set the option themselves. */
export interface PeSpecDefaults {
  /** k of `lap` and `proj` items [16]. */
  k?: number;
  /** Output dtype of every item [float64]. */
  dtype?: PeDtype;
}

/** How an output's first axis relates to the graph: per node (`[n, …]`), per graph (fixed shape) or ragged. */
export type PeLevel = 'node' | 'graph' | 'ragged';

const WHERE = 'encodings.parsePeSpec';
const LAPLACIANS = ['sym', 'rw', 'comb'] as const;
const DTYPES = ['float32', 'float64'] as const;
const BASES = ['oap', 'oap-diag', 'map', 'none'] as const;
const MODES = ['reference', 'descending'] as const;

/** Keys and flags each item accepts (shown in error messages). */
const ITEM_HELP: Record<string, string> = {
  lap: 'k=INT, laplacian=sym|rw|comb, drop, pad=zero|nan, eigenvalues=true|false|per-node, clamp, sign=none|random, seed=INT, canon=oap|oap-diag|map|none, canonmode=reference|descending, canontol=NUM, canonkeytol=NUM, canonbasistol=NUM, canonscaling=none|map|map-pyg, name=ID, dtype=float32|float64, presets pyg|graphgps|spe',
  rwse: 'steps=INT, method=auto|dense|sparse|spectral, name=ID, dtype=float32|float64',
  hk: 'steps=INT (times 1..steps), times=T1/T2/..., name=ID, dtype=float32|float64',
  proj: 'k=INT|all, laplacian=sym|comb, partial=flag|drop|error, name=ID, dtype=float32|float64',
  canon:
    'oap|oap-diag|map|none (basis rule), reference|descending (sign mode), tol=NUM, keytol=NUM, basistol=NUM, scaling=none|map|map-pyg',
};

function fail(message: string, token: string, position: number): never {
  throw new GraphpeError('E_OPTION', `${WHERE}: ${message} in '${token}' (at character ${position + 1})`, {
    token,
    position,
  });
}

/** A cursor over one `key=value` or flag token, with error helpers naming it. */
class Token {
  constructor(
    readonly item: string,
    readonly text: string,
    readonly position: number,
    readonly key: string,
    readonly value: string | undefined,
  ) {}
  error(message: string): never {
    fail(`${this.item}: ${message}`, this.text, this.position);
  }
  int(min: number): number {
    const v = this.value ?? this.error(`'${this.key}' needs a value`);
    const x = Number(v);
    if (!/^[+-]?\d+$/.test(v) || !Number.isSafeInteger(x) || x < min)
      this.error(`'${this.key}' must be an integer ≥ ${min}, got '${v}'`);
    return x;
  }
  num(): number {
    const v = this.value ?? this.error(`'${this.key}' needs a value`);
    const x = Number(v);
    if (v.trim() === '' || !Number.isFinite(x)) this.error(`'${this.key}' must be a number, got '${v}'`);
    return x;
  }
  choice<const T extends string>(choices: readonly T[]): T {
    const v = this.value ?? this.error(`'${this.key}' needs a value`);
    if (!(choices as readonly string[]).includes(v))
      this.error(`'${this.key}' must be one of ${choices.join('|')}, got '${v}'`);
    return v as T;
  }
  bool(): boolean {
    if (this.value === undefined) return true;
    return this.choice(['true', 'false']) === 'true';
  }
  ident(): string {
    const v = this.value ?? this.error(`'${this.key}' needs a value`);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(v)) this.error(`'${this.key}' must be an identifier, got '${v}'`);
    return v;
  }
  unknown(): never {
    this.error(
      `unknown ${this.value === undefined ? 'flag' : 'option'} '${this.key}' (known: ${ITEM_HELP[this.item]})`,
    );
  }
}

/**
 * Parse a PE spec string (grammar in the module header) into a {@link PeSpec}. Every problem throws
 * `E_OPTION` naming the offending token and its character position; the transforms are then built once
 * to validate the combined options.
 */
export function parsePeSpec(text: string, defaults: PeSpecDefaults = {}): PeSpec {
  checkOption(typeof text === 'string', WHERE, 'the spec must be a string', typeof text);
  const k = defaults.k ?? 16;
  const dtype = defaults.dtype ?? 'float64';
  checkOption(Number.isInteger(k) && k >= 1, WHERE, 'default k must be an integer ≥ 1', k);
  checkOption(DTYPES.includes(dtype), WHERE, "default dtype must be 'float32' or 'float64'", dtype);
  if (text.trim() === '') fail('empty spec (e.g. lap:k=16,rwse:steps=20,canon:oap)', text, 0);
  const items: PeSpecItem[] = [];
  const canon: CanonizeOptions[] = [];
  let pos = 0;
  for (const raw of text.split(',')) {
    const itemPos = pos + (raw.length - raw.trimStart().length);
    pos += raw.length + 1;
    const parts = raw.trim().split(':');
    const name = parts[0];
    if (name === '') fail('empty item', raw, itemPos);
    const tokens: Token[] = [];
    let p = itemPos + name.length + 1;
    for (const part of parts.slice(1)) {
      const eq = part.indexOf('=');
      const key = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
      if (key === '') fail(`${name}: empty option`, raw.trim(), p);
      tokens.push(new Token(name, part, p, key, eq < 0 ? undefined : part.slice(eq + 1).trim()));
      p += part.length + 1;
    }
    switch (name) {
      case 'lap':
      case 'lappe':
        items.push({ kind: 'lap', options: lapItem(tokens, k, dtype) });
        break;
      case 'rwse':
        items.push({ kind: 'rwse', options: rwseItem(tokens, dtype) });
        break;
      case 'hk':
        items.push({ kind: 'hk', options: hkItem(tokens, dtype) });
        break;
      case 'proj':
        items.push({ kind: 'proj', options: projItem(tokens, k, dtype) });
        break;
      case 'canon':
        canon.push(canonItem(tokens));
        break;
      default:
        fail(`unknown item '${name}' (known: lap, rwse, hk, proj, canon)`, raw.trim(), itemPos);
    }
  }
  const laps = items.filter((i) => i.kind === 'lap');
  if (canon.length > 0) {
    if (laps.length === 0) fail("'canon' needs a 'lap' item to canonize", text, 0);
    if (canon.length > 1) fail("'canon' given more than once", text, 0);
    for (const item of laps) {
      const o = item.options as LapPEOptions & { sign?: string };
      if (o.sign === 'random') fail("'canon' cannot be combined with lap sign=random", text, 0);
      Object.assign(o, { sign: 'canonical', canon: { ...canon[0], ...o.canon } });
    }
  }
  const spec: PeSpec = { items };
  const seen = new Set<string>();
  for (const { name } of specOutputs(spec)) {
    if (seen.has(name)) fail(`two items produce '${name}'; give one a different name= option`, text, 0);
    seen.add(name);
  }
  buildPipeline(spec); // the transforms validate the combined options
  return spec;
}

function lapItem(tokens: Token[], k: number, dtype: PeDtype): LapPEOptions {
  const preset = tokens.filter((t) => t.value === undefined && ['pyg', 'graphgps', 'spe'].includes(t.key));
  if (preset.length > 1) preset[1].error('more than one preset');
  const o: LapPEOptions & Record<string, unknown> = { k, dtype };
  if (preset[0]?.key === 'pyg') Object.assign(o, { dropTrivial: true, eigenvalues: false });
  if (preset[0]?.key === 'graphgps')
    Object.assign(o, { pad: 'nan', eigenvalues: 'per-node', clampEigenvalues: true });
  let canon: CanonizeOptions | undefined;
  for (const t of tokens) {
    if (preset.includes(t)) continue;
    switch (t.key) {
      case 'k':
        o.k = t.int(1);
        break;
      case 'laplacian':
        o.laplacian = t.choice(LAPLACIANS);
        break;
      case 'drop':
      case 'droptrivial':
        o.dropTrivial = t.bool();
        break;
      case 'pad':
        o.pad = t.choice(['zero', 'nan']);
        break;
      case 'eigenvalues': {
        const v = t.choice(['true', 'false', 'per-node']);
        o.eigenvalues = v === 'per-node' ? v : v === 'true';
        break;
      }
      case 'clamp':
        o.clampEigenvalues = t.bool();
        break;
      case 'sign':
        o.sign = t.choice(['none', 'random', 'canonical']);
        break;
      case 'seed':
        o.seed = t.int(0);
        break;
      case 'canon':
        canon = { ...canon, basis: t.choice(BASES) };
        break;
      case 'canonmode':
        canon = { ...canon, mode: t.choice(MODES) };
        break;
      case 'canontol':
        canon = { ...canon, tol: t.num() };
        break;
      case 'canonkeytol':
        canon = { ...canon, keyTol: t.num() };
        break;
      case 'canonbasistol':
        canon = { ...canon, basisTol: t.num() };
        break;
      case 'canonscaling':
        canon = { ...canon, eigenvalueScaling: t.choice(['none', 'map', 'map-pyg']) };
        break;
      case 'name':
        o.name = t.ident();
        break;
      case 'dtype':
        o.dtype = t.choice(DTYPES);
        break;
      default:
        t.unknown();
    }
  }
  if (canon) {
    if (o.sign !== undefined && o.sign !== 'canonical')
      tokens[0].error(`canon=… needs sign=canonical (got sign=${o.sign})`);
    o.sign = 'canonical';
    o.canon = canon;
  }
  return o;
}

function rwseItem(tokens: Token[], dtype: PeDtype): RwseOptions {
  const o: RwseOptions = { steps: 20, dtype };
  for (const t of tokens) {
    if (t.key === 'steps' || t.key === 'k') o.steps = t.int(1);
    else if (t.key === 'method') o.method = t.choice(['auto', 'dense', 'sparse', 'spectral']);
    else if (t.key === 'name') o.name = t.ident();
    else if (t.key === 'dtype') o.dtype = t.choice(DTYPES);
    else t.unknown();
  }
  return o;
}

function hkItem(tokens: Token[], dtype: PeDtype): HeatKernelOptions {
  const o: { times?: number[]; name?: string; dtype: PeDtype } = { dtype };
  for (const t of tokens) {
    if (t.key === 'steps') o.times = Array.from({ length: t.int(1) }, (_, i) => i + 1);
    else if (t.key === 'times') {
      const v = t.value ?? t.error("'times' needs a value");
      o.times = v.split('/').map((s) => {
        const x = Number(s);
        if (s.trim() === '' || !Number.isFinite(x) || x < 0)
          t.error(`'times' must be numbers ≥ 0 separated by '/', got '${s}'`);
        return x;
      });
    } else if (t.key === 'name') o.name = t.ident();
    else if (t.key === 'dtype') o.dtype = t.choice(DTYPES);
    else t.unknown();
  }
  return o;
}

function projItem(tokens: Token[], k: number, dtype: PeDtype): ProjectorOptions {
  const o: ProjectorOptions & { k?: number | 'all' } = { k, dtype };
  for (const t of tokens) {
    if (t.key === 'k') o.k = t.value === 'all' ? 'all' : t.int(1);
    else if (t.key === 'laplacian') o.laplacian = t.choice(['sym', 'comb']);
    else if (t.key === 'partial') o.partial = t.choice<PartialPolicy>(['flag', 'drop', 'error']);
    else if (t.key === 'name') o.name = t.ident();
    else if (t.key === 'dtype') o.dtype = t.choice(DTYPES);
    else t.unknown();
  }
  return o;
}

function canonItem(tokens: Token[]): CanonizeOptions {
  const o: CanonizeOptions = {};
  for (const t of tokens) {
    if (t.value === undefined && (BASES as readonly string[]).includes(t.key)) o.basis = t.key as BasisMethod;
    else if (t.value === undefined && (MODES as readonly string[]).includes(t.key))
      o.mode = t.key as SignMode;
    else if (t.key === 'basis') o.basis = t.choice(BASES);
    else if (t.key === 'mode') o.mode = t.choice(MODES);
    else if (t.key === 'tol') o.tol = t.num();
    else if (t.key === 'keytol') o.keyTol = t.num();
    else if (t.key === 'basistol') o.basisTol = t.num();
    else if (t.key === 'scaling') o.eigenvalueScaling = t.choice(['none', 'map', 'map-pyg']);
    else t.unknown();
  }
  return o;
}

/**
 * The normalized string of a spec: every option explicit and canonization inline on its `lap` item, so
 * `parsePeSpec(formatPeSpec(s))` rebuilds the same pipeline whatever the defaults of the parse that made `s`.
 */
export function formatPeSpec(spec: PeSpec): string {
  return spec.items
    .map((item) => {
      const parts: string[] = [item.kind];
      for (const [key, value] of Object.entries(item.options as Record<string, unknown>)) {
        if (value === undefined) continue;
        if (key === 'canon') {
          const c = value as CanonizeOptions;
          const inline: [string, unknown][] = [
            ['canon', c.basis ?? 'oap'],
            ['canonmode', c.mode],
            ['canontol', c.tol],
            ['canonkeytol', c.keyTol],
            ['canonbasistol', c.basisTol],
            ['canonscaling', c.eigenvalueScaling],
          ];
          for (const [k, v] of inline) if (v !== undefined) parts.push(`${k}=${String(v)}`);
        } else if (key === 'times') parts.push(`times=${(value as number[]).join('/')}`);
        else if (key === 'dropTrivial') parts.push(`drop=${value}`);
        else if (key === 'clampEigenvalues') parts.push(`clamp=${value}`);
        else parts.push(`${key.toLowerCase()}=${String(value)}`);
      }
      return parts.join(':');
    })
    .join(',');
}

/**
 * The number of sym-Laplacian pairs the first sym consumer of a spec (LapPE, projectors) asks its context
 * for, when the spec also has an `auto` RWSE that could read the full sym spectrum; else null.
 */
export function rwseReuseRequest(spec: PeSpec): number | null {
  const auto = spec.items.some((i) => i.kind === 'rwse' && (i.options.method ?? 'auto') === 'auto');
  if (!auto) return null;
  for (const item of spec.items) {
    if (item.kind === 'lap' && (item.options.laplacian ?? 'sym') === 'sym')
      return (item.options.k ?? 16) + (item.options.dropTrivial ? 1 : 0);
    if (item.kind === 'proj' && (item.options.laplacian ?? 'sym') === 'sym') {
      const k = item.options.k ?? 16;
      return k === 'all' ? Number.POSITIVE_INFINITY : k;
    }
  }
  return null;
}

/**
 * The composed transform of a spec (string specs are parsed first). When an `auto` RWSE shares the spec
 * with a sym LapPE/projector, the sym spectrum that consumer needs is requested first, so RWSE takes the
 * spectral path wherever that solve is dense, whatever the item order (the same rule as the batch runner).
 */
export function buildPipeline(spec: PeSpec | string): PeTransform {
  const s = typeof spec === 'string' ? parsePeSpec(spec) : spec;
  const reuse = rwseReuseRequest(s);
  const prewarm: PeTransform[] =
    reuse === null
      ? []
      : [
          (g, ctx) => {
            // Where that consumer's solve is dense, it is the full sym spectrum (truncated on demand).
            if (ctx?.isDense(Math.min(reuse, g.n))) ctx.spectrum('sym', g.n);
            return {};
          },
        ];
  return compose(
    ...prewarm,
    ...s.items.map((item): PeTransform => {
      switch (item.kind) {
        case 'lap':
          return lapPE(item.options);
        case 'rwse':
          return rwse(item.options);
        case 'hk':
          return heatKernelDiag(item.options);
        default:
          return eigenspaceProjectors(item.options);
      }
    }),
  );
}

/** The Laplacian kinds whose eigendecomposition the spec's transforms read (none for RWSE alone). */
export function specLaplacians(spec: PeSpec): LaplacianKind[] {
  const kinds = new Set<LaplacianKind>();
  for (const item of spec.items) {
    if (item.kind === 'lap' || item.kind === 'proj') kinds.add(item.options.laplacian ?? 'sym');
    if (item.kind === 'hk') kinds.add('comb');
    if (item.kind === 'rwse' && item.options.method === 'spectral') kinds.add('sym');
  }
  return [...kinds];
}

/** Output names of a spec with their {@link PeLevel}, in output order. */
export function specOutputs(spec: PeSpec): { name: string; level: PeLevel }[] {
  const out: { name: string; level: PeLevel }[] = [];
  for (const item of spec.items) {
    if (item.kind === 'lap') {
      const o = item.options;
      const name = o.name ?? 'lap';
      out.push({ name: `${name}_vec`, level: 'node' });
      if ((o.eigenvalues ?? true) !== false)
        out.push({ name: `${name}_val`, level: o.eigenvalues === 'per-node' ? 'node' : 'graph' });
      if (o.sign === 'canonical') out.push({ name: `${name}_canon`, level: 'graph' });
    } else if (item.kind === 'rwse') out.push({ name: item.options.name ?? 'rwse', level: 'node' });
    else if (item.kind === 'hk') out.push({ name: item.options.name ?? 'hk', level: 'node' });
    else {
      const name = item.options.name ?? 'proj';
      for (const suffix of ['', '_val', '_dim', '_mult'])
        out.push({ name: `${name}${suffix}`, level: 'ragged' });
    }
  }
  return out;
}
