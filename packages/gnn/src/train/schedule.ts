/**
 * Learning-rate schedules with linear warm-up, as Hugging Face's `get_linear_schedule_with_warmup` /
 * `get_cosine_schedule_with_warmup` (what SPE's ZINC trainer uses: 100 warm-up steps, then linear decay to 0).
 * Step s counts optimizer steps from 0:
 *   s < W:            lr = base · s / W
 *   linear (s ≥ W):   lr = min + (base − min) · max(0, (S − s) / (S − W))
 *   cosine (s ≥ W):   lr = min + (base − min) · ½(1 + cos(π · min(1, (s − W) / (S − W))))
 *   constant:         lr = base
 */
import { GraphpeError } from '@graphpe/spectral';

export type ScheduleKind = 'linear' | 'cosine' | 'constant';

export interface LrSchedule {
  /** Peak learning rate. */
  base: number;
  /** Warm-up steps W [100]. */
  warmupSteps?: number;
  /** Total steps S (end of the decay). */
  totalSteps: number;
  /** Decay shape after warm-up ['linear']. */
  kind?: ScheduleKind;
  /** Floor of the decay [0]. */
  minLr?: number;
}

/** The learning rate at optimizer step `step` (0-based). */
export function learningRateAt(step: number, s: LrSchedule): number {
  const W = s.warmupSteps ?? 100;
  const kind = s.kind ?? 'linear';
  const min = s.minLr ?? 0;
  if (!(s.base > 0) || !(W >= 0) || !(s.totalSteps >= 1)) {
    throw new GraphpeError(
      'E_OPTION',
      'gnn.learningRateAt: base > 0, warmupSteps ≥ 0 and totalSteps ≥ 1 required',
      {
        value: s,
      },
    );
  }
  if (kind === 'constant') return s.base;
  if (step < W) return (s.base * step) / W;
  const span = Math.max(1, s.totalSteps - W);
  const frac = Math.min(1, Math.max(0, (step - W) / span));
  if (kind === 'linear') return min + (s.base - min) * (1 - frac);
  if (kind === 'cosine') return min + (s.base - min) * 0.5 * (1 + Math.cos(Math.PI * frac));
  throw new GraphpeError(
    'E_OPTION',
    `gnn.learningRateAt: unknown schedule '${String(kind)}' (linear, cosine, constant)`,
  );
}
