import { describe, expect, it } from 'vitest';
import { loadSpec } from '@gymlab/spec';
import { cell, formatDryRun, formatSummary, table } from './format.js';
import { dryRunSearch, newExperimentState } from './search.js';
import { planSearch } from './search-plan.js';
import { fakeMetrics } from '../test-utils/fake-executor.js';
import { HPO, HPO_NAME, demoSearchFile } from '../test-utils/search-specs.js';

describe('cells and tables', () => {
  it('numbers to 6 significant digits, lists as JSON, missing as -', () => {
    expect([cell(0.000123456789), cell(42), cell([128, 64]), cell(null), cell('x')]).toEqual(['0.000123457', '42', '[128,64]', '-', 'x']);
    expect(table(['a', 'bb'], [['1', '2'], ['333', '4']])).toEqual(['a    bb', '1    2', '333  4']);
  });
});

describe('dry-run listing', () => {
  it('names the plan, the seed and one row per trial known in advance', () => {
    const d = dryRunSearch({ specFile: HPO, specName: HPO_NAME, sets: ['meta.random_seed=4', 'meta.max_trial=12'], cores: 2 });
    const text = formatDryRun(d);
    expect(text).toMatch(/sampler tpe, 12 trial\(s\) x 4 session\(s\), scheduler ASHA \(grace_period 40000, reduction_factor 3, max_t 200000 frames\)/);
    expect(text).toMatch(/^base seed 4$/m);
    expect(text.split('\n').filter((l) => /^\d+ +\d+ /.test(l)).length).toBe(10); // TPE's startup trials
    expect(text).toMatch(/trials 10\.\.11 are proposed by tpe/);
  });
});

describe('summary', () => {
  it('status, best trial with its values and best spec, the top of the table, failures', () => {
    const file = demoSearchFile({ 'agent.algorithm.gamma__uniform': [0.9, 0.99] }, { max_trial: 3, random_seed: 1 });
    const plan = planSearch(loadSpec(file, 'ppo_cartpole'), file);
    const base = newExperimentState({ id: 'x', plan, specFile: file, concurrency: 1, metric: 'final_return_ma_iqm', executor: 'local' });
    const rec = (trial: number, status: 'completed' | 'stopped' | 'failed', value: number | null) => ({
      trial, seed: trial + 10, values: { 'agent.algorithm.gamma': 0.9 + trial / 100 }, status, frame: 1000, last_value: value, frames_used: 2000, metrics: value === null ? null : fakeMetrics(value), error: status === 'failed' ? 'spec refused' : null,
    });
    const state = { ...base, status: 'completed' as const, wall_time: 12.34, trials: [rec(0, 'completed', 100), rec(1, 'stopped', 150), rec(2, 'failed', null)] };
    const text = formatSummary('/runs/x', state);
    expect(text).toMatch(/^status: completed \(3\/3 trials: 1 completed, 1 stopped early, 1 failed, 0 to run; wall clock 12\.3 s\)$/m);
    expect(text).toMatch(/^best: trial 1 \(seed 11\), final_return_ma_iqm 150, total_reward_ma 150$/m);
    expect(text).toMatch(/^ {2}agent\.algorithm\.gamma = 0\.91$/m);
    expect(text).toMatch(/gymlab run \/runs\/x\/best_spec\.json ppo_cartpole train/);
    expect(text).toMatch(/^trial 2 failed: spec refused$/m);
    expect(text).toMatch(/report: \/runs\/x\/report\.html/);
  });
});
