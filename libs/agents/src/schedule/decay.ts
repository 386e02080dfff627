/**
 * SLM Lab's variable schedules (`explore_var_spec`, `clip_eps_spec`, `entropy_coef_spec`), as pure
 * functions of the step (SLM Lab passes the env frame count).
 *
 * Two deliberate differences from SLM Lab's math_util, both where its code is wrong rather than a
 * choice: the clamp at `end_val` follows the direction of travel (SLM Lab's `max(.., end_val)`
 * jumps straight to end_val for an increasing schedule), and periodic_decay adds its oscillation
 * to end_val (SLM Lab multiplies by end_val, which is 0 for end_val 0).
 */
import type { DecaySpec } from '@gymlab/spec';

function clampToward(val: number, start: number, end: number): number {
  return start >= end ? Math.max(val, end) : Math.min(val, end);
}

/**
 * - no_decay: start_val
 * - linear_decay: start_val before start_step, then linear to end_val at end_step, then end_val
 * - rate_decay: start_val * 0.9^((step - start_step) / ((end_step - start_step) / 20)), floored at end_val
 * - periodic_decay: end_val + (start_val - end_val)/2 * (1 + cos(x) * (1 - x/frequency)),
 *   x = (step - start_step) / ((end_step - start_step) / frequency) (frequency default 60), floored at end_val
 */
export function decayValue(spec: DecaySpec, step: number): number {
  const { start_val: a, end_val: b, start_step: s0, end_step: s1 } = spec;
  if (spec.name === 'no_decay') return a;
  if (step < s0) return a;
  const span = s1 - s0;
  if (span <= 0) return b;
  switch (spec.name) {
    case 'linear_decay':
      return clampToward(a + ((b - a) * (step - s0)) / span, a, b);
    case 'rate_decay': {
      const decayStep = (step - s0) / (span / 20);
      return clampToward(a * 0.9 ** decayStep, a, b);
    }
    case 'periodic_decay': {
      const freq = (spec as { frequency?: number }).frequency ?? 60;
      const x = (step - s0) / (span / freq);
      if (x >= freq) return b;
      return clampToward(b + 0.5 * (a - b) * (1 + Math.cos(x) * (1 - x / freq)), a, b);
    }
  }
}

/** A schedule bound to its spec; a null spec means the constant `fallback`. */
export class DecaySchedule {
  constructor(
    private readonly spec: DecaySpec | null,
    private readonly fallback: number,
  ) {}

  valueAt(step: number): number {
    return this.spec === null ? this.fallback : decayValue(this.spec, step);
  }
}
