import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { experimentTrialSeed } from './trial-spec.js';
import { readExperimentState } from './folder.js';
import { WriteError } from '../run/fs-utils.js';
import type { ExperimentState } from './folder.js';
import { loadSpec } from '@gymlab/spec';
import { Asha } from './asha.js';
import { runSearch } from './driver.js';
import { RandomSampler } from './samplers/random.js';
import { makeSampler, orderValues, planSearch } from './search-plan.js';
import type { SearchPlan } from './search-plan.js';
import { newExperimentState } from './search.js';
import { FakeExecutor } from '../test-utils/fake-executor.js';
import type { Objective } from '../test-utils/fake-executor.js';
import { demoSearchFile, tempDir } from '../test-utils/search-specs.js';

const SEARCH = { 'agent.algorithm.gamma__uniform': [0.9, 0.999], 'agent.algorithm.lam__uniform': [0.8, 0.99] };
/** Best at gamma 0.97, lam 0.9 (value 100). */
const objective: Objective = (v) => 100 - 1e4 * ((v['agent.algorithm.gamma'] as number) - 0.97) ** 2 - 1e3 * ((v['agent.algorithm.lam'] as number) - 0.9) ** 2;

function setup(meta: Record<string, unknown>, concurrency: number) {
  const file = demoSearchFile(SEARCH, { max_session: 1, log_frequency: 1000, random_seed: 17, ...(meta as Record<string, never>) }, { max_frame: 10000 });
  const spec = loadSpec(file, 'ppo_cartpole');
  const plan = planSearch(spec, file);
  const state = newExperimentState({ id: 'test', plan, specFile: file, concurrency, metric: 'final_return_ma_iqm', executor: 'local' });
  return { spec, plan, state, runDir: tempDir('run') };
}

const valuesOf = (job: { spec: { agent: { algorithm: { gamma: number; lam: number | null } } } }) => ({ 'agent.algorithm.gamma': job.spec.agent.algorithm.gamma, 'agent.algorithm.lam': job.spec.agent.algorithm.lam });

async function search(s: ReturnType<typeof setup>, executor: FakeExecutor, state: ExperimentState = s.state, signal?: AbortSignal, onProgress?: (st: ExperimentState) => void) {
  return runSearch({ plan: s.plan, spec: s.spec, runDir: s.runDir, state, executor, signal, report: false, checkSpec: () => {}, analyzeTrial: executor.analyze, onProgress: (_p, st) => onProgress?.(st) });
}

describe('runSearch (fake executor)', () => {
  it('random sampler, no scheduler: every trial runs once with its seeded values; files written', async () => {
    const s = setup({ max_trial: 6, search_sampler: 'random' }, 2);
    const ex = new FakeExecutor(objective, { valuesOf, delay: (t) => (t % 2) * 7 });
    const final = await search(s, ex);
    expect(final.status).toBe('completed');
    expect(ex.started.map((x) => x.trial).sort()).toEqual([0, 1, 2, 3, 4, 5]);
    const sampler = new RandomSampler(s.plan.drawnParams, 17);
    for (const r of final.trials) {
      expect(r.status).toBe('completed');
      expect(r.seed).toBe(experimentTrialSeed(17, r.trial));
      expect(r.values).toEqual(orderValues(s.plan, r.trial, sampler.propose({ trial: r.trial, history: [], pending: [] })));
      expect(r.frame).toBe(10000);
    }
    expect(readExperimentState(s.runDir)).toEqual(final);
    expect(existsSync(join(s.runDir, 'experiment.csv'))).toBe(true);
    const best = final.trials.reduce((a, b) => (objective(b.values) > objective(a.values) ? b : a));
    const bestSpec = loadSpec(join(s.runDir, 'best_spec.json'), 'ppo_cartpole');
    expect(bestSpec.agent.algorithm.gamma).toBe(best.values['agent.algorithm.gamma']);
    expect(bestSpec.meta.random_seed).toBe(best.seed);
    // each trial's own spec, standalone
    expect(loadSpec(join(s.runDir, 'trial_3', 'spec.json'), 'ppo_cartpole').meta.random_seed).toBe(experimentTrialSeed(17, 3));
    expect(ex.closed).toBe(false); // closing is the caller's
  });

  it('ASHA: trials below the rung cutoff stop early and are recorded as stopped', async () => {
    const s = setup({ max_trial: 12, search_sampler: 'random', search_scheduler: { grace_period: 2000, reduction_factor: 3 } }, 1);
    const ex = new FakeExecutor(objective, { valuesOf });
    const final = await search(s, ex);
    const stopped = final.trials.filter((r) => r.status === 'stopped');
    expect(stopped.length).toBeGreaterThan(0);
    expect(stopped.map((r) => r.trial).sort()).toEqual([...new Set(ex.stopped)].sort());
    // a stop lands at the trial's next yield, shortly after the milestone that decided it
    for (const r of stopped) expect(r.frame).toBeGreaterThanOrEqual(2000);
    for (const r of stopped) expect(r.frame).toBeLessThan(10000);
    // the same decisions replayed by hand on the recorded checkpoints (sequential: one trial at a time)
    const asha = new Asha({ gracePeriod: 2000, reductionFactor: 3, maxT: 10000 });
    for (const r of final.trials) {
      const v = objective(r.values);
      let decision = 'continue';
      for (let f = 1000; f <= 10000 && decision === 'continue'; f += 1000) decision = asha.onResult(String(r.trial), f, (v * f) / 10000);
      expect([r.trial, r.status]).toEqual([r.trial, decision === 'stop' ? 'stopped' : 'completed']);
    }
    expect(final.scheduler_state).toEqual(asha.state());
  });

  it('TPE sees trials <= k - concurrency only, so its values do not depend on which trial finished first', async () => {
    const runWith = async (delay: (t: number) => number) => {
      const s = setup({ max_trial: 14, search_sampler: 'tpe' }, 2);
      const ex = new FakeExecutor(objective, { valuesOf, delay });
      const final = await search(s, ex);
      return { final, s };
    };
    const a = await runWith((t) => (t % 3) * 5);
    const b = await runWith((t) => ((t + 1) % 4) * 9);
    expect(b.final.trials.map((r) => r.values)).toEqual(a.final.trials.map((r) => r.values));
    // and trial 13 is TPE's proposal from trials 0..11, with 12 pending
    const st = a.final;
    const sampler = makeSampler(a.s.plan as SearchPlan, 17);
    const history = st.trials.slice(0, 12).map((r) => ({ trial: r.trial, values: r.values, state: 'completed' as const, value: r.metrics?.total_reward_ma ?? null, frame: r.frame, lastValue: r.last_value }));
    expect(st.trials[13].values).toEqual(orderValues(a.s.plan, 13, sampler.propose({ trial: 13, history, pending: [st.trials[12].values] })));
  });

  it('a trial that fails, or whose spec is refused, is recorded as failed and the search goes on', async () => {
    const s = setup({ max_trial: 4, search_sampler: 'random' }, 1);
    const ex = new FakeExecutor(objective, { valuesOf, fail: (t) => t === 1 });
    const final = await runSearch({ plan: s.plan, spec: s.spec, runDir: s.runDir, state: s.state, executor: ex, report: false, analyzeTrial: ex.analyze, checkSpec: (spec) => {
      if (spec.meta.random_seed === experimentTrialSeed(17, 2)) throw new Error('agent: minibatch_size 64 > batch 32 (allowed: <= batch)');
    } });
    expect(final.trials.map((r) => [r.trial, r.status])).toEqual([[0, 'completed'], [1, 'failed'], [2, 'failed'], [3, 'completed']]);
    expect(final.trials[1].error).toMatch(/worker exited/);
    expect(final.trials[2].error).toBe('agent: minibatch_size 64 > batch 32 (allowed: <= batch)');
    expect(final.status).toBe('completed');
    expect(ex.started.map((x) => x.trial)).toEqual([0, 1, 3]);
  });

  it('a trial that cannot write (a full disk) stops the search with that one line; the trial is interrupted and resume runs it', async () => {
    const s = setup({ max_trial: 4, search_sampler: 'random' }, 1);
    const full = new WriteError('d/m.csv', 'ENOSPC', 'cannot write d/m.csv: no space left on device (ENOSPC)');
    const ex = new FakeExecutor(objective, { valuesOf, fail: (t) => t === 1, failure: () => full });
    await expect(search(s, ex)).rejects.toBe(full);
    expect(ex.started.map((x) => x.trial)).toEqual([0, 1]);
    const saved = readExperimentState(s.runDir);
    expect(saved.status).toBe('interrupted');
    expect(saved.trials.map((r) => [r.trial, r.status, r.error])).toEqual([[0, 'completed', null], [1, 'interrupted', full.message]]);
    const again = new FakeExecutor(objective, { valuesOf });
    const final = await search(s, again, { ...saved, resumes: 1 });
    expect(again.started.map((x) => x.trial)).toEqual([1, 2, 3]);
    expect(final.trials.map((r) => r.status)).toEqual(['completed', 'completed', 'completed', 'completed']);
  });

  it('interrupted, then resumed: finished trials are not run again; the rest run with the values they were given', async () => {
    const s = setup({ max_trial: 14, search_sampler: 'tpe', search_scheduler: { grace_period: 2000, reduction_factor: 3 } }, 2);
    const controller = new AbortController();
    const ex1 = new FakeExecutor(objective, { valuesOf, delay: (t) => t % 3 });
    const first = await search(s, ex1, s.state, controller.signal, (st) => {
      if (st.trials.filter((r) => r.status === 'completed' || r.status === 'stopped').length >= 5) controller.abort();
    });
    expect(first.status).toBe('interrupted');
    const done1 = first.trials.filter((r) => r.status === 'completed' || r.status === 'stopped');
    const interrupted = first.trials.filter((r) => r.status === 'interrupted');
    expect(done1.length).toBeGreaterThanOrEqual(5);
    expect(interrupted.length).toBeGreaterThan(0);
    expect(first.trials.length).toBeLessThan(14);

    const saved = readExperimentState(s.runDir);
    expect(saved.status).toBe('interrupted');
    const ex2 = new FakeExecutor(objective, { valuesOf });
    const second = await search(s, ex2, { ...saved, resumes: saved.resumes + 1 });
    expect(second.status).toBe('completed');
    expect(second.trials.length).toBe(14);
    const rerun = ex2.started.map((x) => x.trial);
    for (const r of done1) expect(rerun).not.toContain(r.trial);
    for (const r of interrupted) expect(ex2.started.find((x) => x.trial === r.trial)?.values).toEqual(r.values);
    for (const r of done1) expect(second.trials[r.trial]).toEqual(r);
    expect(second.trials.every((r) => r.status === 'completed' || r.status === 'stopped')).toBe(true);
    // an uninterrupted search with the same seed proposes the same values (sequential history rule)
    const s2 = setup({ max_trial: 14, search_sampler: 'tpe', search_scheduler: { grace_period: 2000, reduction_factor: 3 } }, 2);
    const whole = await search(s2, new FakeExecutor(objective, { valuesOf }));
    expect(whole.trials.slice(0, 10).map((r) => r.values)).toEqual(second.trials.slice(0, 10).map((r) => r.values));
    expect(readFileSync(join(s.runDir, 'experiment.csv'), 'utf8').trim().split('\n').length).toBe(15);
  });
});
