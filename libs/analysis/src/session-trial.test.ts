import { describe, expect, it } from 'vitest';
import type { EvalRow, SessionRow } from './columns.js';
import { SESSION_METRIC_NAMES, TRIAL_METRIC_NAMES } from './columns.js';
import { evalSessionMetrics, evalTrialMetrics, sessionMetrics, trialMetrics } from './session-trial.js';
import { randomBaseline } from './random-baseline.js';

/** A training row with only the columns the metrics read set. */
function row(frame: number, optSteps: number, ret: number | null, retMa: number | null): SessionRow {
  return {
    frame,
    wall_time: frame / 1000,
    episodes: null,
    opt_steps: optSteps,
    return: ret,
    return_ma: retMa,
    loss: null,
    lr: null,
    entropy: null,
    explore_var: null,
    fps: null,
  };
}

// Random baseline 10. Session A: returns -, 20, 15, 30 -> strengths 10, 5, 20.
const A = [row(0, 0, null, null), row(100, 5, 20, 20), row(200, 10, 15, 17.5), row(300, 15, 30, 65 / 3)];
// Session B: returns -, 12, 22, 18 -> strengths 2, 12, 8; final return_ma 17.
const B = [row(0, 0, null, null), row(100, 5, 12, 12), row(200, 10, 22, 17), row(300, 15, 18, 17)];

describe('sessionMetrics', () => {
  it('matches the hand-computed metrics of session A', () => {
    const m = sessionMetrics(A, { randomBaseline: 10 });
    expect(Object.keys(m)).toEqual([...SESSION_METRIC_NAMES]);
    expect(m.frame).toBe(300);
    expect(m.total_reward_ma).toBeCloseTo(65 / 3, 12);
    expect(m.strength).toBeCloseTo(35 / 3, 12);
    expect(m.max_strength).toBe(20);
    expect(m.final_strength).toBe(20);
    // (10/100 + 5/200 + 20/300) / 35 = (23/120) / 35
    expect(m.sample_efficiency).toBeCloseTo(23 / 4200, 14);
    // (10/5 + 5/10 + 20/15) / 35 = (23/6) / 35
    expect(m.training_efficiency).toBeCloseTo(23 / 210, 14);
    // drops -5 and 0 over strengths 10 and 5
    expect(m.stability).toBeCloseTo(2 / 3, 14);
  });

  it('matches the hand-computed metrics of session B', () => {
    const m = sessionMetrics(B, { randomBaseline: 10 });
    expect(m.total_reward_ma).toBe(17);
    expect(m.strength).toBeCloseTo(22 / 3, 12);
    expect(m.max_strength).toBe(12);
    expect(m.final_strength).toBe(8);
    expect(m.sample_efficiency).toBeCloseTo(8 / 75 / 22, 14);
    expect(m.training_efficiency).toBeCloseTo(32 / 15 / 22, 14);
    expect(m.stability).toBeCloseTo(1 - 4 / 14, 14);
  });

  it('measures strength above a zero baseline by default', () => {
    expect(sessionMetrics(A).strength).toBeCloseTo(65 / 3, 12);
    expect(sessionMetrics(A, { randomBaseline: randomBaseline('CartPole-v1') ?? 0 }).strength).toBeCloseTo(65 / 3 - 22.97, 12);
  });

  it('gives null, not NaN, for undefined metrics', () => {
    const empty = sessionMetrics([]);
    for (const k of SESSION_METRIC_NAMES) expect(empty[k]).toBeNull();
    const one = sessionMetrics([row(100, 1, 5, 5)]);
    expect(one.strength).toBe(5);
    expect(one.stability).toBeNull(); // 0 / 0 with one checkpoint
    expect(one.sample_efficiency).toBe(0.01); // (5/100) / 5
    // strengths 1 and -1 sum to 0: efficiency (1/1 - 1/2) / 0 is infinite in SLM Lab, null here
    const inf = sessionMetrics([row(1, 1, 1, 1), row(2, 2, -1, 0)]);
    expect(inf.sample_efficiency).toBeNull();
    expect(inf.strength).toBe(0);
  });

  it('reads eval rows from eval_return / eval_return_ma', () => {
    const evalRows: EvalRow[] = A.map((r) => ({ frame: r.frame, wall_time: r.wall_time, eval_return: r.return, eval_return_ma: r.return_ma, opt_steps: r.opt_steps }));
    expect(evalSessionMetrics(evalRows, { randomBaseline: 10 })).toEqual(sessionMetrics(A, { randomBaseline: 10 }));
  });
});

describe('trialMetrics', () => {
  it('averages session metrics and adds consistency, by hand for sessions A and B', () => {
    const t = trialMetrics([A, B], { randomBaseline: 10 });
    expect(Object.keys(t).sort()).toEqual([...TRIAL_METRIC_NAMES].sort());
    expect(t.frame).toBe(300);
    expect(t.total_reward_ma).toBeCloseTo((65 / 3 + 17) / 2, 12);
    expect(t.strength).toBeCloseTo(9.5, 12);
    expect(t.max_strength).toBe(16);
    expect(t.final_strength).toBe(14);
    expect(t.sample_efficiency).toBeCloseTo((23 / 4200 + 4 / 825) / 2, 14);
    expect(t.training_efficiency).toBeCloseTo((23 / 210 + 16 / 165) / 2, 14);
    expect(t.stability).toBeCloseTo(29 / 42, 14);
    // strengths (10, 5, 20) and (2, 12, 8): means 6, 8.5, 14; stds 8, 7, 12 over sqrt 2
    expect(t.consistency).toBeCloseTo(1 - (54 * Math.SQRT2) / 57, 12);
  });

  it('skips a session whose metric is undefined when averaging', () => {
    const t = trialMetrics([A, [row(100, 1, 15, 15)]], { randomBaseline: 10 });
    expect(t.stability).toBeCloseTo(2 / 3, 14); // the one-checkpoint session has no stability
    expect(t.strength).toBeCloseTo((35 / 3 + 5) / 2, 12);
  });

  it('has consistency 1 for a single session and rejects an empty trial', () => {
    expect(trialMetrics([A], { randomBaseline: 10 }).consistency).toBe(1);
    expect(() => trialMetrics([])).toThrow(/at least one session/);
  });

  it('works the same on eval rows', () => {
    const toEval = (rows: SessionRow[]): EvalRow[] =>
      rows.map((r) => ({ frame: r.frame, wall_time: r.wall_time, eval_return: r.return, eval_return_ma: r.return_ma, opt_steps: r.opt_steps }));
    expect(evalTrialMetrics([toEval(A), toEval(B)], { randomBaseline: 10 })).toEqual(trialMetrics([A, B], { randomBaseline: 10 }));
  });
});
