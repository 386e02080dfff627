import { describe, expect, it } from 'vitest';
import { Asha, ashaMilestones, ashaProblem } from './asha.js';

describe('ASHA rungs', () => {
  it('milestones grace * rf^k below max_t', () => {
    // dqn_cartpole_hpo: grace 40000, rf 3, max_frame 200000: n = floor(ln 5 / ln 3 + 1) = 2
    expect(ashaMilestones({ gracePeriod: 40000, reductionFactor: 3, maxT: 200000 })).toEqual([40000, 120000]);
    // exact power: 10 * 3^3 = 270 = max_t; the rung at max_t is never used (a result there ends the trial)
    expect(ashaMilestones({ gracePeriod: 10, reductionFactor: 3, maxT: 270 })).toEqual([10, 30, 90]);
    expect(ashaMilestones({ gracePeriod: 1, reductionFactor: 4, maxT: 100 })).toEqual([1, 4, 16, 64]);
    expect(ashaMilestones({ gracePeriod: 500, reductionFactor: 3, maxT: 400 })).toEqual([]);
  });

  it('refuses bad settings', () => {
    expect(ashaProblem({ gracePeriod: 0, reductionFactor: 3, maxT: 10 })).toMatch(/grace_period must be > 0/);
    expect(ashaProblem({ gracePeriod: 5, reductionFactor: 1, maxT: 10 })).toMatch(/reduction_factor must be > 1/);
    expect(ashaProblem({ gracePeriod: 5, reductionFactor: 2, maxT: 10 })).toBeNull();
  });
});

describe('ASHA decisions against a hand-computed table', () => {
  it('rf 3, milestones 10 and 30, max_t 90', () => {
    const a = new Asha({ gracePeriod: 10, reductionFactor: 3, maxT: 90 });
    // cutoff = (1 - 1/3) quantile, linear interpolation, of values recorded BEFORE this one
    const table: [string, number, number | null, string][] = [
      ['t0', 5, 1, 'continue'], // below the first milestone
      ['t0', 10, 4, 'continue'], // rung 10 empty: no cutoff; record 4
      ['t1', 10, 2, 'stop'], // rung 10 = {4}: cutoff 4; 2 < 4
      ['t2', 12, 6, 'continue'], // rung 10 = {4, 2}: sorted [2, 4], h = 1 * 2/3, cutoff 2 + 2/3*2 = 3.33; 6 >= 3.33
      ['t3', 10, 3, 'stop'], // rung 10 = {4, 2, 6}: sorted [2, 4, 6], h = 4/3, cutoff 4 + 1/3*2 = 4.67; 3 < 4.67
      ['t4', 10, 4.7, 'continue'], // rung 10 = {4, 2, 6, 3}: sorted [2, 3, 4, 6], h = 2, cutoff 4; 4.7 >= 4
      ['t0', 20, 9, 'continue'], // t0 already recorded at 10, 30 not reached
      ['t0', 30, 9, 'continue'], // rung 30 empty: record 9
      ['t2', 45, 8, 'stop'], // rung 30 = {9}: cutoff 9; 8 < 9 (largest milestone <= 45 without a record: 30)
      ['t4', 30, null, 'continue'], // no value: not recorded
      ['t4', 40, 10, 'continue'], // rung 30 = {9, 8}: sorted [8, 9], cutoff 8 + 2/3 = 8.67; 10 >= 8.67
      ['t0', 90, 1, 'done'], // max_t: the trial is done, not stopped early
    ];
    for (const [trial, t, r, want] of table) expect([trial, t, a.onResult(trial, t, r)]).toEqual([trial, t, want]);
    expect(a.state()).toEqual([
      { milestone: 10, recorded: { t0: 4, t1: 2, t2: 6, t3: 3, t4: 4.7 } },
      { milestone: 30, recorded: { t0: 9, t2: 8, t4: 10 } },
    ]);
  });

  it('a trial jumping past two milestones is judged at the larger one only', () => {
    const a = new Asha({ gracePeriod: 10, reductionFactor: 2, maxT: 100 });
    a.onResult('x', 40, 5); // milestones 10, 20, 40, 80: records at 40
    expect(a.state().map((r) => Object.keys(r.recorded))).toEqual([[], [], ['x'], []]);
    expect(a.onResult('y', 40, 1)).toBe('stop');
  });

  it('resumes from its saved rungs', () => {
    const a = new Asha({ gracePeriod: 10, reductionFactor: 3, maxT: 90 });
    a.onResult('t0', 10, 4);
    const b = new Asha({ gracePeriod: 10, reductionFactor: 3, maxT: 90 }, JSON.parse(JSON.stringify(a.state())));
    expect(b.onResult('t1', 10, 2)).toBe('stop');
    expect(b.onResult('t0', 10, 0)).toBe('continue'); // already recorded there
  });
});
