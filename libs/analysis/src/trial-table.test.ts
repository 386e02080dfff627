import { describe, expect, it } from 'vitest';
import type { SessionRow } from './columns.js';
import { TRIAL_COLUMNS, aggregateTrialCsv, aggregateTrialRows } from './trial-table.js';

const row = (frame: number, ret: number | null, ma: number | null): SessionRow => ({
  frame, wall_time: 1, episodes: 1, opt_steps: 1, return: ret, return_ma: ma, loss: null, lr: null, entropy: null, explore_var: null, fps: null,
});

describe('aggregateTrialCsv', () => {
  it('is one line per row index while a session has it: frame, sessions, return mean, return_ma mean/min/max', () => {
    const csv = aggregateTrialCsv([
      [row(100, 10, 10), row(200, 30, 20)],
      [row(100, null, null), row(200, 50, 40), row(300, 60, 50)],
    ]);
    expect(csv).toBe(`${TRIAL_COLUMNS.join(',')}\n100,2,10,10,10,10\n200,2,40,30,20,40\n300,1,60,50,50,50\n`);
    expect(aggregateTrialRows([[row(100, null, null)]])).toEqual([{ frame: 100, sessions: 1, return_mean: null, return_ma_mean: null, return_ma_min: null, return_ma_max: null }]);
    expect(aggregateTrialCsv([])).toBe(`${TRIAL_COLUMNS.join(',')}\n`);
  });
});
