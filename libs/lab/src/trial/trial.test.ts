import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TRIAL_METRIC_NAMES, parseCsv } from '@gymlab/analysis';
import { AgentCheckError } from '@gymlab/agents';
import { SessionFailedError, isDevCheckFailure, runTrial, sessionSeeds } from './trial.js';
import { testContext } from '../test-utils/context.js';
import { TRIAL_COLUMNS, aggregateTrialRows } from '../trial-table.js';
import { fakeDeps, fakeSpec } from '../test-utils/fakes.js';

describe('sessionSeeds', () => {
  it('derives distinct seeds deterministically from the base seed', () => {
    const a = sessionSeeds(42, 4);
    expect(a).toEqual(sessionSeeds(42, 4));
    expect(new Set(a).size).toBe(4);
    expect(sessionSeeds(42, 2)).toEqual(a.slice(0, 2));
    expect(sessionSeeds(43, 4)).not.toEqual(a);
  });
});

describe('aggregateTrialRows', () => {
  it('means, mins and maxes return_ma over the sessions that have the row', () => {
    const row = (frame: number, ret: number | null, ma: number | null) => ({
      frame, wall_time: 0, episodes: 0, opt_steps: 0, return: ret, return_ma: ma, loss: null, lr: null, entropy: null, explore_var: null, fps: null,
    });
    const rows = aggregateTrialRows([
      [row(100, 10, 10), row(200, 30, 20)],
      [row(100, null, null), row(200, 50, 40)],
      [row(100, 20, 20)],
    ]);
    expect(rows).toEqual([
      { frame: 100, sessions: 3, return_mean: 15, return_ma_mean: 15, return_ma_min: 10, return_ma_max: 20 },
      { frame: 200, sessions: 2, return_mean: 40, return_ma_mean: 30, return_ma_min: 20, return_ma_max: 40 },
    ]);
  });
});

describe('runTrial (in process)', () => {
  it('runs one session per seed into trial_<t>/session_<s> and writes trial metrics', async () => {
    const runDir = mkdtempSync(join(tmpdir(), 'trial-'));
    const { deps } = fakeDeps();
    const seeds = sessionSeeds(1, 3);
    const spec = fakeSpec({ env: { max_frame: 400 }, meta: { log_frequency: 100 } });
    const t = await runTrial({ spec, seeds }, testContext({ runDir, inProcess: true, deps }));
    expect(t.status).toBe('completed');
    expect(t.sessions.map((s) => [s.session, s.seed])).toEqual(seeds.map((seed, i) => [i, seed]));
    for (let s = 0; s < 3; s++) expect(existsSync(join(runDir, 'trial_0', `session_${s}`, 'metrics.csv'))).toBe(true);
    const metrics = JSON.parse(readFileSync(join(runDir, 'trial_0', 'trial_metrics.json'), 'utf8'));
    expect(Object.keys(metrics).slice(0, TRIAL_METRIC_NAMES.length)).toEqual([...TRIAL_METRIC_NAMES]); // SLM Lab's names first, then gymlab's statistics
    expect(metrics).toEqual(JSON.parse(JSON.stringify(t.metrics)));
    expect(metrics.final_return_ma.n).toBe(3);
    expect(existsSync(join(runDir, 'trial_0', 'plots', 'return_ma_vs_frame.png'))).toBe(true);
    expect(metrics.frame).toBe(400);
    const table = parseCsv(readFileSync(join(runDir, 'trial_0', 'trial_metrics.csv'), 'utf8'), TRIAL_COLUMNS);
    expect(table.rows.map((r) => r.frame)).toEqual([100, 200, 300, 400]);
    expect(table.rows[3].sessions).toBe(3);
    // different seeds -> different sessions
    const last = t.sessions.map((s) => s.rows[s.rows.length - 1].return_ma);
    expect(new Set(last).size).toBeGreaterThan(1);
  });

  it('without a run folder, computes the same metrics from the rows in memory', async () => {
    const spec = fakeSpec({ env: { max_frame: 400 }, meta: { log_frequency: 100 } });
    const seeds = sessionSeeds(1, 2);
    const withFiles = await runTrial({ spec, seeds }, testContext({ runDir: mkdtempSync(join(tmpdir(), 'trial-')), inProcess: true, deps: fakeDeps().deps }));
    const inMemory = await runTrial({ spec, seeds }, testContext({ runDir: null, inProcess: true, deps: fakeDeps().deps }));
    expect(inMemory.dir).toBeNull();
    expect(inMemory.metrics).toEqual(withFiles.metrics);
  });

  it('an aborted trial reports interrupted and skips sessions not started', async () => {
    const runDir = mkdtempSync(join(tmpdir(), 'trial-'));
    const controller = new AbortController();
    const { deps } = fakeDeps();
    const spec = fakeSpec({ env: { max_frame: 1_000_000 }, meta: { log_frequency: 100 } });
    const t = await runTrial(
      { spec, seeds: sessionSeeds(1, 3) },
      testContext({ runDir, inProcess: true, deps, signal: controller.signal, onProgress: (p) => void (p.frame >= 200 && controller.abort()) }),
    );
    expect(t.status).toBe('interrupted');
    expect(t.sessions.length).toBe(1);
    expect(t.sessions[0].status).toBe('interrupted');
    expect(existsSync(join(runDir, 'trial_0', 'session_1'))).toBe(false);
    expect(existsSync(join(runDir, 'trial_0', 'trial_metrics.csv'))).toBe(true);
  });
});

describe('SessionFailedError', () => {
  it("a failed dev check names itself and the session, and counts as no fault of the lab's; other worker errors keep their message", () => {
    const dev = new SessionFailedError(2, 'VanillaDQN: applied gradient norm 117960 exceeds 100000', 'AgentCheckError');
    expect(dev.message).toBe('dev check failed in session 2: VanillaDQN: applied gradient norm 117960 exceeds 100000');
    expect(isDevCheckFailure(dev)).toBe(true);
    expect(isDevCheckFailure(new AgentCheckError('PPO dev check: no parameter changed in the update'))).toBe(true);
    const other = new SessionFailedError(0, 'boom', 'TypeError');
    expect(other.message).toBe('boom');
    expect(isDevCheckFailure(other)).toBe(false);
    expect(isDevCheckFailure(new Error('x'))).toBe(false);
  });
});
