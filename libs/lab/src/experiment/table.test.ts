import { describe, expect, it } from 'vitest';
import type { TrialMetricsRecord } from '../analyze-trial.js';
import { experimentProgress, formatExperimentProgress } from './progress.js';
import { bestTrial, experimentColumns, experimentCsv, experimentRows, rankTrials, rankValue } from './table.js';
import type { ExperimentTrialRecord, TrialState } from './table.js';

/** Trial metrics with total_reward_ma `ma` and, unless null, an IQM of final returns `iqm`. */
function metrics(ma: number | null, iqm: number | null): TrialMetricsRecord {
  const est = (v: number) => ({ value: v, ci: { low: v, high: v, confidence: 0.95 } });
  return {
    frame: 1000,
    total_reward_ma: ma,
    strength: ma === null ? null : ma - 20,
    max_strength: null,
    final_strength: null,
    sample_efficiency: null,
    training_efficiency: null,
    stability: 0.5,
    consistency: null,
    final_return_ma: iqm === null ? null : { n: 2, mean: est(iqm + 1), median: est(iqm + 2), iqm: est(iqm) },
    bootstrap: { seed: 1, reps: 10, confidence: 0.95 },
    target_return: 475,
    frames_to_target: null,
    seconds_to_target: null,
    sessions_reached_target: 0,
    sessions_to_target: [],
  };
}

function rec(trial: number, status: TrialState, m: TrialMetricsRecord | null, values: Record<string, unknown> = {}): ExperimentTrialRecord {
  return { trial, seed: 100 + trial, values, status, frame: 1000, last_value: null, frames_used: 2000, metrics: m, error: null };
}

describe('rank values', () => {
  it("default: IQM of the sessions' final return_ma, falling back to total_reward_ma", () => {
    expect(rankValue(metrics(50, 60), 'final_return_ma_iqm')).toBe(60);
    expect(rankValue(metrics(50, null), 'final_return_ma_iqm')).toBe(50);
    expect(rankValue(metrics(null, null), 'final_return_ma_iqm')).toBeNull();
    expect(rankValue(null, 'final_return_ma_iqm')).toBeNull();
    expect(rankValue(metrics(50, 60), 'final_return_ma_mean')).toBe(61);
    expect(rankValue(metrics(50, 60), 'strength')).toBe(30);
  });
});

describe('ranking and the table', () => {
  const records = [
    rec(0, 'completed', metrics(100, 120), { lr: 0.001, hid: [64] }),
    rec(1, 'stopped', metrics(150, null), { lr: 0.01, hid: [64, 64] }),
    rec(2, 'failed', null, { lr: 0.1, hid: [8] }),
    rec(3, 'completed', metrics(90, 200), { lr: 0.0001, hid: [32] }),
    rec(4, 'running', metrics(500, 500), { lr: 0.002, hid: [32] }), // not finished: never ranked
    rec(5, 'completed', metrics(100, 120), { lr: 'x,"y"', hid: [1] }), // ties with trial 0
  ];

  it('best first by the metric (ties by trial number); unranked trials last by number', () => {
    expect(rankTrials(records, 'final_return_ma_iqm').map((r) => r.trial)).toEqual([3, 1, 0, 5, 2, 4]);
    expect(rankTrials(records, 'total_reward_ma').map((r) => r.trial)).toEqual([1, 0, 5, 3, 2, 4]);
    expect(bestTrial(records, 'final_return_ma_iqm')?.trial).toBe(3);
    expect(bestTrial([rec(0, 'failed', null)], 'final_return_ma_iqm')).toBeNull();
  });

  it('rows: rank, status, stopped flag, frames, values and metrics', () => {
    const rows = experimentRows(records, ['lr', 'hid'], 'final_return_ma_iqm');
    expect(rows.map((r) => [r.trial, r.rank, r.status, r.stopped_early, r.rank_value])).toEqual([
      [3, 1, 'completed', false, 200],
      [1, 2, 'stopped', true, 150],
      [0, 3, 'completed', false, 120],
      [5, 4, 'completed', false, 120],
      [2, null, 'failed', false, null],
      [4, null, 'running', false, null],
    ]);
    expect(rows[0]).toMatchObject({ seed: 103, frame: 1000, frames_used: 2000, lr: 0.0001, hid: '[32]', total_reward_ma: 90, strength: 70, final_return_ma_iqm: 200, final_return_ma_mean: 201 });
  });

  it('CSV: header of the columns, quoted strings, booleans, empty cells', () => {
    const cols = experimentColumns(['lr', 'hid']);
    expect(cols.slice(0, 10)).toEqual(['trial', 'rank', 'status', 'stopped_early', 'seed', 'frame', 'frames_used', 'rank_value', 'lr', 'hid']);
    const csv = experimentCsv(experimentRows(records, ['lr', 'hid'], 'final_return_ma_iqm'), cols).split('\n');
    expect(csv[0]).toBe(cols.join(','));
    expect(csv[1].startsWith('3,1,completed,false,103,1000,2000,200,0.0001,[32],90,70,')).toBe(true);
    expect(csv[4].startsWith('5,4,completed,false,105,1000,2000,120,"x,""y""",[1],')).toBe(true);
    expect(csv[5].startsWith('2,,failed,false,102,1000,2000,,0.1,[8],,,')).toBe(true);
    expect(csv[csv.length - 1]).toBe('');
  });
});

describe('progress view', () => {
  it('counts done, running and pending trials and names the best', () => {
    const records = [rec(0, 'completed', metrics(100, 120)), rec(1, 'stopped', metrics(20, null)), rec(2, 'running', null), { ...rec(3, 'running', null), frame: 3000 }];
    const p = experimentProgress(records, 10, 'final_return_ma_iqm');
    expect(p).toMatchObject({ total: 10, completed: 1, stopped: 1, failed: 0, pending: 6, best: { trial: 0, value: 120 } });
    expect(formatExperimentProgress(p, 5000)).toBe(
      'trials 2/10 done (1 completed, 1 stopped early, 0 failed), 2 running [t2 1000/5000 t3 3000/5000], 6 pending; best t0 final_return_ma_iqm 120',
    );
  });
});
