import { describe, expect, it } from 'vitest';
import { TRIAL_METRIC_NAMES } from '@gymlab/analysis';
import type { SessionRow } from '@gymlab/analysis';
import { Rng } from '@gymlab/envs';
import { analysisSeed, analyzeTrial, finalReturnMa, trialMeanCurve, trialStatistics } from './analyze-trial.js';
import { sessionSeeds } from './trial/trial.js';

/** A checkpoint row with the given frame, wall time and moving-average return. */
const row = (frame: number, wall: number, ma: number | null, ret: number | null = ma): SessionRow => ({
  frame, wall_time: wall, episodes: frame / 10, opt_steps: frame / 100, return: ret, return_ma: ma, loss: null, lr: null, entropy: null, explore_var: null, fps: null,
});

describe('analysisSeed', () => {
  it('is the first derived seed of Rng(base XOR 0x5eeda11a), stable and distinct per base seed', () => {
    expect(analysisSeed(42)).toBe(new Rng((42 ^ 0x5eeda11a) >>> 0).deriveSeed());
    expect(analysisSeed(42)).toBe(analysisSeed(42));
    expect(analysisSeed(43)).not.toBe(analysisSeed(42));
    expect(sessionSeeds(42, 8)).not.toContain(analysisSeed(42));
    expect(Number.isSafeInteger(analysisSeed(2 ** 31 - 1))).toBe(true);
  });
});

describe('trialMeanCurve', () => {
  it('means return_ma and wall_time over sessions, truncated to the shortest, skipping nulls and empty sessions', () => {
    const curve = trialMeanCurve([
      [row(100, 1, null), row(200, 2, 10), row(300, 3, 40)],
      [row(100, 3, 20), row(200, 4, 30)],
      [],
    ]);
    expect(curve.frames).toEqual([100, 200]);
    expect(curve.returnMa).toEqual([20, 20]); // (20) and (10 + 30) / 2
    expect(curve.wallTime).toEqual([2, 3]);
    expect(trialMeanCurve([[], []])).toEqual({ frames: [], returnMa: [], wallTime: [] });
  });
});

describe('finalReturnMa', () => {
  it('is the last finite return_ma', () => {
    expect(finalReturnMa([row(1, 1, 5), row(2, 2, 7), row(3, 3, null)])).toBe(7);
    expect(finalReturnMa([row(1, 1, null)])).toBeNull();
    expect(finalReturnMa([row(1, 1, 3), row(2, 2, Number.NaN)])).toBe(3);
  });
});

describe('trialStatistics', () => {
  // CartPole-v1's target is 475.
  const sessions = [
    { session: 0, rows: [row(1000, 10, 100), row(2000, 20, 480), row(3000, 30, 490)], evalRows: null },
    { session: 1, rows: [row(1000, 12, 200), row(2000, 24, 400), row(3000, 36, 470)], evalRows: null },
    { session: 2, rows: [row(1000, 14, 300), row(2000, 28, 450), row(3000, 42, 500)], evalRows: null },
    { session: 3, rows: [], evalRows: null },
  ];

  it('time to target: the mean curve first reaches it at index 2 (means 200, 443.3, 486.7)', () => {
    const st = trialStatistics(sessions, { envId: 'CartPole-v1', seed: 7 });
    expect(st.target_return).toBe(475);
    expect(st.frames_to_target).toBe(3000);
    expect(st.seconds_to_target).toBe(36); // (30 + 36 + 42) / 3
    expect(st.sessions_reached_target).toBe(2);
    expect(st.sessions_to_target).toEqual([
      { session: 0, frames: 2000, seconds: 20 },
      { session: 1, frames: null, seconds: null },
      { session: 2, frames: 3000, seconds: 42 },
    ]);
  });

  it('final returns 490, 470, 500: mean 486.67, median 490, IQM over n = 3 is the mean; seeded intervals', () => {
    const st = trialStatistics(sessions, { envId: 'CartPole-v1', seed: 7 });
    const f = st.final_return_ma;
    expect(f?.n).toBe(3);
    expect(f?.mean.value).toBeCloseTo(1460 / 3, 12);
    expect(f?.median.value).toBe(490);
    expect(f?.iqm.value).toBeCloseTo(1460 / 3, 12);
    for (const e of [f?.mean, f?.median, f?.iqm]) {
      expect(e?.ci.confidence).toBe(0.95);
      expect(e?.ci.low).toBeGreaterThanOrEqual(470);
      expect(e?.ci.high).toBeLessThanOrEqual(500);
      expect(e?.ci.low).toBeLessThan(e?.ci.high ?? -Infinity);
    }
    expect(st.bootstrap).toEqual({ seed: 7, reps: 2000, confidence: 0.95 });
    expect(trialStatistics(sessions, { envId: 'CartPole-v1', seed: 7 })).toEqual(st);
  });

  it('the intervals follow the seed: same seed same interval, another seed another', () => {
    const eight = [13, 250, 31, 470, 122, 390, 77, 205].map((ma, session) => ({ session, rows: [row(1000, 1, ma)], evalRows: null }));
    const a = trialStatistics(eight, { envId: 'CartPole-v1', seed: 7 }).final_return_ma;
    expect(trialStatistics(eight, { envId: 'CartPole-v1', seed: 7 }).final_return_ma).toEqual(a);
    expect(trialStatistics(eight, { envId: 'CartPole-v1', seed: 8 }).final_return_ma?.mean.ci).not.toEqual(a?.mean.ci);
    expect(a?.iqm.value).toBeCloseTo((77 + 122 + 205 + 250) / 4, 12); // sorted 13 31 | 77 122 205 250 | 390 470
  });

  it('never reached, and an env without a target', () => {
    const low = sessions.map((s) => ({ ...s, rows: s.rows.map((r) => ({ ...r, return_ma: (r.return_ma ?? 0) / 10 })) }));
    const st = trialStatistics(low, { envId: 'CartPole-v1', seed: 1 });
    expect([st.frames_to_target, st.seconds_to_target, st.sessions_reached_target]).toEqual([null, null, 0]);
    const pend = trialStatistics(sessions, { envId: 'Pendulum-v1', seed: 1 });
    expect([pend.target_return, pend.frames_to_target, pend.sessions_reached_target, pend.sessions_to_target]).toEqual([null, null, null, []]);
    expect(pend.final_return_ma?.n).toBe(3);
  });

  it('no return_ma at all: no final-return statistics', () => {
    const none = [{ session: 0, rows: [row(100, 1, null)], evalRows: null }];
    expect(trialStatistics(none, { envId: 'CartPole-v1', seed: 1 }).final_return_ma).toBeNull();
  });
});

describe('analyzeTrial', () => {
  it("keeps SLM Lab's trial metric names first and in order, then the statistics", () => {
    const sessions = [
      { session: 0, rows: [row(100, 1, 10), row(200, 2, 20)], evalRows: null },
      { session: 1, rows: [row(100, 1, 30), row(200, 2, 40)], evalRows: null },
    ];
    const a = analyzeTrial(sessions, { envId: 'CartPole-v1', seed: 3, evaluating: false });
    const keys = Object.keys(a.metrics ?? {});
    expect(keys.slice(0, TRIAL_METRIC_NAMES.length)).toEqual([...TRIAL_METRIC_NAMES]);
    expect(keys.slice(TRIAL_METRIC_NAMES.length)).toEqual([
      'final_return_ma', 'bootstrap', 'target_return', 'frames_to_target', 'seconds_to_target', 'sessions_reached_target', 'sessions_to_target',
    ]);
    expect(a.metrics?.total_reward_ma).toBe(30); // mean of final return_ma 20 and 40
    expect(a.sessionMetrics.map((m) => m.total_reward_ma)).toEqual([20, 40]);
    expect(a.sessionEvalMetrics).toEqual([null, null]);
    expect(a.evalMetrics).toBeNull();
    expect(a.csv.split('\n')[1]).toBe('100,2,20,20,10,30');
  });

  it('eval metrics only when evaluating and a session has eval rows', () => {
    const ev = [{ frame: 100, wall_time: 1, eval_return: 50, eval_return_ma: 50, opt_steps: 1 }];
    const sessions = [{ session: 0, rows: [row(100, 1, 10)], evalRows: ev }];
    expect(analyzeTrial(sessions, { envId: 'CartPole-v1', seed: 0, evaluating: true }).evalMetrics?.total_reward_ma).toBe(50);
    expect(analyzeTrial(sessions, { envId: 'CartPole-v1', seed: 0, evaluating: false }).evalMetrics).toBeNull();
    expect(analyzeTrial([{ session: 0, rows: [], evalRows: null }], { envId: 'CartPole-v1', seed: 0, evaluating: true }).metrics).toBeNull();
  });
});
