/**
 * Positional-encoding choices of the GINE model and the registry that learned encoders plug into.
 *
 * - `none`: no PE.
 * - `lap`: raw Laplacian eigenvectors [B, N, k] as a fixed PE (random sign flips per graph and column in
 *   training, as augmentation: Dwivedi et al. 2020), injected with Lin at the input and an MLP per layer.
 * - `rwse`: random-walk diagonals [B, N, steps], BatchNorm on the raw values then Lin (GraphGPS).
 * - learned: a `tf.layers.Layer` built by a registered {@link PeEncoderFactory}, taking (by default)
 *   [vectors [B,N,K], values [B,K], adjacency [B,N,N], nodeMask [B,N], eigMask [B,K]] and returning
 *   [B, N, p]; its output is the PE that GINE injects (x = AtomEmb + Lin(PE), x += MLP(PE) per layer).
 *   Built in: `spe` (SpeEncoder), `signnet` (SignNetEncoder), `basisnet` (BasisNetEncoder), and
 *   `lap+frame` (FrameAveragedMlp on canonized eigenvectors, inputs [vectors, nodeMask, eigMask,
 *   frameMask]; records prepared with `frameRecord`).
 */
import {
  BasisNetEncoder,
  FrameAveragedMlp,
  SignNetEncoder,
  SpeEncoder,
  type tf,
} from '@graphpe/encodings/learned';
import { GraphpeError } from '@graphpe/spectral';

/** The built-in choices plus any registered learned encoder name. */
export type PeChoice = 'none' | 'lap' | 'rwse' | 'signnet' | 'spe' | 'lap+frame' | 'basisnet' | (string & {});

export const FIXED_PE_CHOICES = ['none', 'lap', 'rwse'] as const;

/** What a learned-encoder factory gets. */
export interface PeEncoderContext {
  /** Eigenpairs per graph (K). */
  readonly k: number;
  /** Seed for the encoder's initialisers. */
  readonly seed: number;
  /** Layer name to use (unique within the model). */
  readonly name: string;
  /** Encoder options from the model config (`peOptions`), passed through unchanged. */
  readonly options: Readonly<Record<string, unknown>>;
}

/** Builds a learned PE encoder layer (its class must be registered with `tf.serialization.registerClass`). */
export type PeEncoderFactory = (ctx: PeEncoderContext) => tf.layers.Layer;

/** Batch tensors a learned encoder can take, in the order it lists them. */
export type PeInputName = 'vectors' | 'values' | 'adjacency' | 'nodeMask' | 'eigMask' | 'frameMask';

/** The standard learned-encoder inputs (SpeEncoder, SignNetEncoder, BasisNetEncoder). */
export const EIG_INPUTS: readonly PeInputName[] = ['vectors', 'values', 'adjacency', 'nodeMask', 'eigMask'];

/** A registered learned PE. */
export interface PeEncoderEntry {
  readonly create: PeEncoderFactory;
  /** The encoder's inputs, in its call order [EIG_INPUTS]. */
  readonly inputs: readonly PeInputName[];
  /**
   * Whether records must carry canonized eigenvectors and `frameColumns` (host-side canonization +
   * sign frame, `frameRecord`) [false].
   */
  readonly needsFrame: boolean;
}

const factories = new Map<string, PeEncoderEntry>();

/**
 * Registers (or replaces) a learned PE choice: a factory, plus the inputs it takes when they differ from
 * the standard [vectors, values, adjacency, nodeMask, eigMask].
 */
export function registerPeEncoder(
  name: string,
  factory: PeEncoderFactory,
  options: { inputs?: readonly PeInputName[]; needsFrame?: boolean } = {},
): void {
  if ((FIXED_PE_CHOICES as readonly string[]).includes(name)) {
    throw new GraphpeError('E_OPTION', `gnn.registerPeEncoder: '${name}' is a built-in fixed PE choice`);
  }
  const inputs = options.inputs ?? EIG_INPUTS;
  if (!inputs.includes('nodeMask') || !inputs.includes('vectors')) {
    throw new GraphpeError(
      'E_OPTION',
      `gnn.registerPeEncoder: '${name}' inputs must include vectors and nodeMask`,
    );
  }
  factories.set(name, {
    create: factory,
    inputs: [...inputs],
    needsFrame: options.needsFrame ?? inputs.includes('frameMask'),
  });
}

/** The registered learned PE names. */
export function learnedPeChoices(): string[] {
  return [...factories.keys()].sort();
}

/** Whether a choice is a learned encoder (needs eigenpairs) rather than none/lap/rwse. */
export function isLearnedPe(pe: PeChoice): boolean {
  return !(FIXED_PE_CHOICES as readonly string[]).includes(pe);
}

/** The registry entry of a learned choice; a clear error when none is registered. */
export function peEncoderEntry(name: string): PeEncoderEntry {
  const f = factories.get(name);
  if (!f) {
    const known = [...FIXED_PE_CHOICES, ...learnedPeChoices()].join(', ');
    throw new GraphpeError('E_OPTION', `gnn: unknown or unavailable PE '${name}' (available: ${known})`, {
      value: name,
    });
  }
  return f;
}

/** The factory of a learned choice. */
export function peEncoderFactory(name: string): PeEncoderFactory {
  return peEncoderEntry(name).create;
}

// ---------------------------------------------------------------------------------------------------
// Built-in learned encoders from @graphpe/encodings/learned. `peOptions` go to their constructors
// (seed and name come from the model); their defaults are the reference configs (SPE: ZINC "PE-full",
// m = 16 element-wise φ MLPs, ρ = 8 GIN layers hidden 128, 37 outputs; SignNet: GIN φ 4 layers hidden 64,
// DeepSets ρ; lap+frame: per-node MLP hidden 64 averaged over each graph's sign frame).

function args(ctx: PeEncoderContext): Record<string, unknown> {
  return { ...ctx.options, seed: ctx.seed, name: ctx.name };
}

registerPeEncoder('spe', (ctx) => new SpeEncoder(args(ctx)));
registerPeEncoder('signnet', (ctx) => new SignNetEncoder(args(ctx)));
registerPeEncoder('basisnet', (ctx) => new BasisNetEncoder(args(ctx)));
registerPeEncoder('lap+frame', (ctx) => new FrameAveragedMlp(args(ctx)), {
  inputs: ['vectors', 'nodeMask', 'eigMask', 'frameMask'],
});
