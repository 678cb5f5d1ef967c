/**
 * Training budgets of `graphpe bench ood`: named presets (`tiny` for tests and smoke runs, `small` for a
 * closer look at one dataset, `night` for a full sweep on 2 CPU cores) and explicit `key=value`
 * overrides, plus a cost model that estimates a sweep's wall time from measured per-graph step times.
 */
import { GraphpeError } from '@graphpe/spectral';

/** Everything that bounds the cost of one cell (one dataset × PE × seed training run). */
export interface OodBudget {
  /** Preset name, or `custom` when only explicit keys were given. */
  readonly name: string;
  readonly epochs: number;
  /** Cap on optimizer steps per epoch (null = the whole training set every epoch). */
  readonly maxStepsPerEpoch: number | null;
  /** About this many molecules per dataset, a seeded random sample of every set in proportion (null = all). */
  readonly limit: number | null;
  /** Drop molecules with more heavy atoms than this from every split (null = keep all). */
  readonly maxAtoms: number | null;
  /** Eigenpairs for lap / lap+oap / lap+frame / learned PEs (null = the full spectrum of the largest molecule). */
  readonly k: number | null;
  readonly batchSize: number;
  readonly hidden: number;
  readonly layers: number;
  readonly lr: number;
  /**
   * Linear warm-up steps before the linear decay (the reference recipe's 100; a small budget needs fewer,
   * or it never reaches the peak learning rate).
   */
  readonly warmupSteps: number;
  /** Early stopping after this many epochs without validation improvement (null = never). */
  readonly patience: number | null;
  /** SPE φ channels m (null = the encoder default). */
  readonly speM: number | null;
  /** SPE ρ GIN layers (null = the encoder default, 8). */
  readonly speRhoLayers: number | null;
  /** Hidden width of the learned PE encoders (SPE ρ, SignNet) (null = the encoder default). */
  readonly peHidden: number | null;
}

const BASE: Omit<OodBudget, 'name'> = {
  epochs: 2,
  maxStepsPerEpoch: null,
  limit: null,
  maxAtoms: null,
  k: null,
  batchSize: 128,
  hidden: 128,
  layers: 4,
  lr: 1e-3,
  warmupSteps: 100,
  patience: null,
  speM: null,
  speRhoLayers: null,
  peHidden: null,
};

/** The named presets. */
export const BUDGET_PRESETS: Readonly<Record<string, OodBudget>> = {
  /** Tests and smoke runs: seconds per cell. */
  tiny: {
    ...BASE,
    name: 'tiny',
    epochs: 2,
    maxStepsPerEpoch: 4,
    warmupSteps: 2,
    limit: 200,
    maxAtoms: 64,
    k: 8,
    batchSize: 8,
    hidden: 16,
    layers: 2,
    speM: 4,
    speRhoLayers: 2,
    peHidden: 16,
  },
  /** A closer look at one dataset: ≈ 25 min per dataset and seed for all 7 PEs on 2 cores (the full sweep ≈ 7 h). */
  small: {
    ...BASE,
    name: 'small',
    epochs: 5,
    maxStepsPerEpoch: 40,
    warmupSteps: 20,
    limit: 2000,
    maxAtoms: 64,
    k: 16,
    batchSize: 32,
    hidden: 64,
    layers: 3,
    speM: 8,
    speRhoLayers: 4,
    peHidden: 32,
  },
  /**
   * A full sweep (5 datasets × 7 PEs × 3 seeds) in about a night on 2 shared CPU cores (≈ 7.5 h by
   * {@link estimateCellSeconds}; SPE and SignNet are most of it): about 1,500 molecules per dataset up to 64
   * heavy atoms, 16 eigenpairs, a narrower GINE than the 128×4 reference recipe, 8 epochs of at most 12
   * steps of 32 molecules (10 warm-up steps). A small budget: it ranks nothing reliably; scale it up where more compute exists.
   */
  night: {
    ...BASE,
    name: 'night',
    epochs: 8,
    maxStepsPerEpoch: 12,
    warmupSteps: 10,
    limit: 1500,
    maxAtoms: 64,
    k: 16,
    batchSize: 32,
    hidden: 64,
    layers: 4,
    speM: 8,
    speRhoLayers: 4,
    peHidden: 32,
  },
};

const KEYS: Record<string, keyof OodBudget> = {
  epochs: 'epochs',
  'max-steps': 'maxStepsPerEpoch',
  limit: 'limit',
  'max-atoms': 'maxAtoms',
  k: 'k',
  batch: 'batchSize',
  'batch-size': 'batchSize',
  hidden: 'hidden',
  layers: 'layers',
  lr: 'lr',
  warmup: 'warmupSteps',
  patience: 'patience',
  'spe-m': 'speM',
  'spe-rho-layers': 'speRhoLayers',
  'pe-hidden': 'peHidden',
};

const NULLABLE = new Set<keyof OodBudget>([
  'maxStepsPerEpoch',
  'limit',
  'maxAtoms',
  'k',
  'patience',
  'speM',
  'speRhoLayers',
  'peHidden',
]);

/**
 * Parses `--budget`: a preset name (`tiny`, `small`, `night`), `key=value` pairs (`epochs=…,max-steps=…,
 * limit=…,max-atoms=…,k=…,batch=…,hidden=…,layers=…,lr=…,warmup=…,patience=…,spe-m=…,spe-rho-layers=…,pe-hidden=…`; `none` clears a
 * nullable key), or a preset followed by overrides (`night,epochs=4`). Explicit keys without a preset start
 * from the reference recipe (batch 128, hidden 128, 4 layers, everything else unbounded) and need `epochs`.
 */
export function parseBudget(spec: string): OodBudget {
  const where = 'studies.parseBudget';
  const parts = spec
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (parts.length === 0) throw new GraphpeError('E_OPTION', `${where}: empty budget`);
  let budget: OodBudget;
  let custom = false;
  const first = parts[0] as string;
  if (!first.includes('=')) {
    const preset = BUDGET_PRESETS[first];
    if (!preset) {
      throw new GraphpeError(
        'E_OPTION',
        `${where}: unknown budget '${first}' (presets: ${Object.keys(BUDGET_PRESETS).join(', ')}; or key=value pairs: ${Object.keys(KEYS).join(', ')})`,
        { value: first },
      );
    }
    budget = preset;
    parts.shift();
  } else {
    budget = { ...BASE, name: 'custom' };
    custom = true;
    if (!parts.some((p) => p.startsWith('epochs='))) {
      throw new GraphpeError('E_OPTION', `${where}: an explicit budget needs epochs=… (got '${spec}')`);
    }
  }
  const out: Record<string, unknown> = { ...budget };
  for (const p of parts) {
    const eq = p.indexOf('=');
    const key = eq < 0 ? p : p.slice(0, eq);
    const field = KEYS[key];
    if (eq < 0 || !field) {
      throw new GraphpeError(
        'E_OPTION',
        `${where}: '${p}' is not key=value with a known key (${Object.keys(KEYS).join(', ')})`,
        { value: p },
      );
    }
    const raw = p.slice(eq + 1).trim();
    if (raw === 'none' && NULLABLE.has(field)) {
      out[field] = null;
      continue;
    }
    const v = Number(raw);
    const ok =
      field === 'lr'
        ? v > 0 && Number.isFinite(v)
        : Number.isInteger(v) && v >= (field === 'warmupSteps' ? 0 : 1);
    if (!ok) {
      throw new GraphpeError(
        'E_OPTION',
        `${where}: ${key} must be ${field === 'lr' ? 'a positive number' : field === 'warmupSteps' ? 'an integer ≥ 0' : 'a positive integer'}${NULLABLE.has(field) ? " or 'none'" : ''} (got '${raw}')`,
        { value: raw },
      );
    }
    out[field] = v;
  }
  if (!custom && parts.length > 0) out.name = `${budget.name}*`;
  return out as unknown as OodBudget;
}

/** One line describing a budget (the table header states it). */
export function describeBudget(b: OodBudget): string {
  const v = (x: number | null, none = 'all') => (x === null ? none : String(x));
  return [
    `epochs=${b.epochs}`,
    `max-steps=${v(b.maxStepsPerEpoch)}`,
    `limit=${v(b.limit)}`,
    `max-atoms=${v(b.maxAtoms, 'none')}`,
    `k=${v(b.k, 'full')}`,
    `batch=${b.batchSize}`,
    `hidden=${b.hidden}`,
    `layers=${b.layers}`,
    `lr=${b.lr}`,
    `warmup=${b.warmupSteps}`,
    `patience=${v(b.patience, 'none')}`,
    ...(b.speM === null ? [] : [`spe-m=${b.speM}`]),
    ...(b.speRhoLayers === null ? [] : [`spe-rho-layers=${b.speRhoLayers}`]),
    ...(b.peHidden === null ? [] : [`pe-hidden=${b.peHidden}`]),
  ].join(', ');
}

/**
 * Measured cost of one optimizer step per training molecule, in milliseconds, by PE: hidden 64, 4 layers,
 * batch 32, 16 eigenpairs, molecules padded to 64 atoms (SPE m = 8, ρ 4 layers of 32; SignNet hidden 32),
 * wasm backend (1 thread) on the 2-core machine while other jobs kept its load average near 7 (DrugOOD
 * EC50 scaffold, 2026-11-26; ZINC padded to 36 atoms measured 3.8 ms for none and 66 ms for spe, about the
 * quadratic scaling below). An unloaded machine should be 2–3× faster. Evaluation is counted as a third of
 * a training step per molecule; width and depth scale it linearly, the padded size quadratically.
 */
export const MEASURED_MS_PER_GRAPH_STEP: Readonly<Record<string, number>> = {
  none: 13,
  lap: 11,
  'lap+oap': 11,
  'lap+frame': 20,
  rwse: 11,
  signnet: 125,
  spe: 275,
};

/** What {@link estimateCellSeconds} needs to know about a cell's data. */
export interface CellSizeInfo {
  /** Training molecules (after max-atoms and limit). */
  train: number;
  /** Molecules evaluated per epoch (valid; every other set once at the end). */
  evalPerEpoch: number;
  evalFinal: number;
  /** Padded molecule size. */
  maxNodes: number;
}

/** Estimated seconds of one cell (preprocessing not included: it is cached per dataset). */
export function estimateCellSeconds(pe: string, budget: OodBudget, size: CellSizeInfo): number {
  const msPer = MEASURED_MS_PER_GRAPH_STEP[pe] ?? 275;
  const scale = (budget.hidden / 64) * (budget.layers / 4) * (size.maxNodes / 64) ** 2;
  const perEpoch =
    budget.maxStepsPerEpoch === null
      ? size.train
      : Math.min(size.train, budget.maxStepsPerEpoch * budget.batchSize);
  const trainGraphs = perEpoch * budget.epochs;
  const evalGraphs = size.evalPerEpoch * budget.epochs + size.evalFinal;
  return ((trainGraphs + evalGraphs / 3) * msPer * scale) / 1000;
}

/** `1h 05m`, `4m 10s`, `12s`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}
