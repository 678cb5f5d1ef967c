/**
 * Positional-encoding choices of the GINE model and the registry that learned encoders plug into.
 *
 * - `none`: no PE.
 * - `lap`: raw Laplacian eigenvectors [B, N, k] as a fixed PE (random sign flips per graph and column in
 *   training, as augmentation: Dwivedi et al. 2020), injected with Lin at the input and an MLP per layer.
 * - `rwse`: random-walk diagonals [B, N, steps], BatchNorm on the raw values then Lin (GraphGPS).
 * - learned (`signnet`, `spe`, `lap+frame`, …): a `tf.layers.Layer` built by a registered
 *   {@link PeEncoderFactory}, taking [vectors [B,N,K], values [B,K], adjacency [B,N,N], nodeMask [B,N],
 *   eigMask [B,K]] and returning [B, N, p]; its output is the PE that GINE injects.
 */
import type { tf } from '@graphpe/encodings/learned';
import { GraphpeError } from '@graphpe/spectral';

/** The built-in choices plus any registered learned encoder name. */
export type PeChoice = 'none' | 'lap' | 'rwse' | 'signnet' | 'spe' | 'lap+frame' | (string & {});

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

const factories = new Map<string, PeEncoderFactory>();

/** Registers (or replaces) the factory of a learned PE choice. */
export function registerPeEncoder(name: string, factory: PeEncoderFactory): void {
  if ((FIXED_PE_CHOICES as readonly string[]).includes(name)) {
    throw new GraphpeError('E_OPTION', `gnn.registerPeEncoder: '${name}' is a built-in fixed PE choice`);
  }
  factories.set(name, factory);
}

/** The registered learned PE names. */
export function learnedPeChoices(): string[] {
  return [...factories.keys()].sort();
}

/** Whether a choice is a learned encoder (needs eigenpairs) rather than none/lap/rwse. */
export function isLearnedPe(pe: PeChoice): boolean {
  return !(FIXED_PE_CHOICES as readonly string[]).includes(pe);
}

/** The factory of a learned choice; a clear error when none is registered. */
export function peEncoderFactory(name: string): PeEncoderFactory {
  const f = factories.get(name);
  if (!f) {
    const known = [...FIXED_PE_CHOICES, ...learnedPeChoices()].join(', ');
    throw new GraphpeError('E_OPTION', `gnn: unknown or unavailable PE '${name}' (available: ${known})`, {
      value: name,
    });
  }
  return f;
}
