/**
 * SLM Lab's variable schedules (`explore_var_spec`, `clip_eps_spec`, `entropy_coef_spec`), as pure
 * functions of the step (SLM Lab passes the env frame count).
 *
 * As SLM Lab's VarScheduler reads its spec, an `end_val` of 0 counts as absent (its `if not
 * end_val: end_val = start_val`): such a schedule holds start_val throughout. reinforce_cartpole,
 * a2c_gae_cartpole and ppo_pendulum decay their entropy_coef to `end_val: 0.0` on paper and so
 * train with a constant entropy bonus in SLM Lab; their published figures come from that. no_decay
 * is the (effective) end_val, as VarScheduler returns it.
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

/** The end value SLM Lab's VarScheduler uses: `end_val`, or start_val when end_val is 0 (falsy in Python). */
export function effectiveEndVal(spec: DecaySpec): number {
  return spec.end_val === 0 ? spec.start_val : spec.end_val;
}

/**
 * With b = effectiveEndVal(spec):
 * - no_decay: b
 * - linear_decay: start_val before start_step, then linear to b at end_step, then b
 * - rate_decay: start_val * 0.9^((step - start_step) / ((end_step - start_step) / 20)), floored at b
 * - periodic_decay: b + (start_val - b)/2 * (1 + cos(x) * (1 - x/frequency)),
 *   x = (step - start_step) / ((end_step - start_step) / frequency) (frequency default 60), floored at b
 */
export function decayValue(spec: DecaySpec, step: number): number {
  const { start_val: a, start_step: s0, end_step: s1 } = spec;
  const b = effectiveEndVal(spec);
  if (spec.name === 'no_decay') return b;
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
