import { describe, expect, it } from 'vitest';
import { decayValue, DecaySchedule, effectiveEndVal } from './decay.js';

const spec = (name: 'no_decay' | 'linear_decay' | 'rate_decay' | 'periodic_decay', a: number, b: number, s0: number, s1: number) => ({
  name,
  start_val: a,
  end_val: b,
  start_step: s0,
  end_step: s1,
  frequency: 60,
});

describe('decayValue', () => {
  it('no_decay is end_val, as SLM Lab\'s VarScheduler returns it', () => {
    expect(decayValue(spec('no_decay', 0.2, 0.1, 0, 10), 5)).toBe(0.1);
    expect(decayValue(spec('no_decay', 0.2, 0, 0, 10), 5)).toBe(0.2);
  });
  it('end_val 0 counts as absent (SLM Lab\'s `if not end_val`): the schedule holds start_val', () => {
    // reinforce_cartpole's entropy_coef_spec: 0.001 -> 0.0 over 200k frames on paper, 0.001 throughout in SLM Lab
    const s = spec('linear_decay', 0.001, 0.0, 0, 200000);
    for (const f of [0, 100000, 199999, 200000, 1e6]) expect(decayValue(s, f)).toBe(0.001);
    expect(effectiveEndVal(s)).toBe(0.001);
    expect(decayValue(spec('rate_decay', 1, 0, 0, 200), 1e6)).toBe(1);
    expect(decayValue(spec('periodic_decay', 1, 0, 0, 600), 300)).toBe(1);
    // any other end_val is used as given, negative ones included
    expect(effectiveEndVal(spec('linear_decay', 1, -0.5, 0, 10))).toBe(-0.5);
    expect(decayValue(spec('linear_decay', 1, 1e-9, 0, 10), 20)).toBe(1e-9);
  });
  it('linear_decay: hold, interpolate, clamp', () => {
    const s = spec('linear_decay', 1, 0.1, 100, 1100);
    expect(decayValue(s, 50)).toBe(1);
    expect(decayValue(s, 600)).toBeCloseTo(0.55, 12);
    expect(decayValue(s, 5000)).toBeCloseTo(0.1, 12);
    // increasing schedules clamp at the top
    expect(decayValue(spec('linear_decay', 0, 1, 0, 10), 5)).toBeCloseTo(0.5, 12);
    expect(decayValue(spec('linear_decay', 0, 1, 0, 10), 20)).toBe(1);
  });
  it('rate_decay: 0.9 per 1/20 of the span, floored at end_val', () => {
    const s = spec('rate_decay', 1, 0.01, 0, 200);
    expect(decayValue(s, 20)).toBeCloseTo(0.81, 12); // 2 decay steps
    expect(decayValue(s, 1e6)).toBe(0.01);
  });
  it('periodic_decay starts at start_val and ends at end_val', () => {
    const s = spec('periodic_decay', 1, 0.1, 0, 600);
    expect(decayValue(s, 0)).toBeCloseTo(1, 12);
    // x = 1: 0.1 + 0.45 * (1 + cos(1) * (59/60))
    expect(decayValue(s, 10)).toBeCloseTo(0.1 + 0.45 * (1 + Math.cos(1) * (59 / 60)), 12);
    expect(decayValue(s, 600)).toBeCloseTo(0.1, 12);
  });
  it('DecaySchedule with a null spec is the fallback constant', () => {
    expect(new DecaySchedule(null, 0.3).valueAt(99)).toBe(0.3);
  });
});
