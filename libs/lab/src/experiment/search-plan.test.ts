import { describe, expect, it } from 'vitest';
import { SpecError, loadSpec } from '@gymlab/spec';
import { localResources, makeSampler, orderValues, planSearch } from './search-plan.js';
import { HPO, HPO_NAME, LAM_SEARCH, demoSearchFile } from '../test-utils/search-specs.js';

function plan(search: Parameters<typeof demoSearchFile>[0], meta: Parameters<typeof demoSearchFile>[1] = {}) {
  const file = demoSearchFile(search, meta);
  return planSearch(loadSpec(file, 'ppo_cartpole'), file);
}

/** The SpecError that `fn` throws (the test fails when it throws nothing or something else). */
function specError(fn: () => unknown): SpecError {
  let thrown: unknown = null;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(SpecError);
  return thrown as SpecError;
}

describe('planSearch', () => {
  it("plans SLM Lab's HPO spec: TPE by default, max_trial trials, ASHA on frames", () => {
    const p = planSearch(loadSpec(HPO, HPO_NAME), HPO);
    expect(p.sampler).toBe('tpe');
    expect(p.trialCount).toBe(25);
    expect(p.scheduler).toEqual({ gracePeriod: 40000, reductionFactor: 3, maxT: 200000 });
    expect(p.hyperparameters).toEqual([
      'agent.algorithm.gamma',
      'agent.algorithm.training_frequency',
      'agent.memory.batch_size',
      'agent.net.hid_layers',
      'agent.net.optim_spec.lr',
      'agent.net.update_frequency',
      'agent.net.clip_grad_val',
    ]);
    expect(p.grid).toEqual([{}]);
  });

  it('reads a nested search block', () => {
    const p = planSearch(loadSpec(LAM_SEARCH, 'ppo_pong'), LAM_SEARCH);
    expect(p.hyperparameters).toEqual(['agent.algorithm.lam']);
    expect(p.trialCount).toBe(1);
  });

  it('crosses grid_search with the sampled params: max_trial x grid size trials, trial k on grid point k mod G', () => {
    const p = plan({ 'agent.algorithm.gamma__grid_search': [0.9, 0.99], 'agent.net.optim_spec.lr__loguniform': [1e-4, 1e-2], 'agent.algorithm.lam__grid_search': [0.8, 0.9, 0.95] }, { max_trial: 2, search_sampler: 'random', random_seed: 1 });
    expect(p.trialCount).toBe(12);
    const sampler = makeSampler(p, 1);
    const values = Array.from({ length: 12 }, (_, k) => orderValues(p, k, sampler.propose({ trial: k, history: [], pending: [] })));
    expect(values.map((v) => [v['agent.algorithm.gamma'], v['agent.algorithm.lam']])).toEqual([
      [0.9, 0.8], [0.9, 0.9], [0.9, 0.95], [0.99, 0.8], [0.99, 0.9], [0.99, 0.95],
      [0.9, 0.8], [0.9, 0.9], [0.9, 0.95], [0.99, 0.8], [0.99, 0.9], [0.99, 0.95],
    ]);
    expect(Object.keys(values[0])).toEqual(['agent.algorithm.gamma', 'agent.net.optim_spec.lr', 'agent.algorithm.lam']);
    expect(new Set(values.map((v) => v['agent.net.optim_spec.lr'])).size).toBe(12); // drawn per trial
  });

  it('the grid sampler grids choice lists too, runs each point once, and refuses numeric distributions', () => {
    const p = plan({ 'agent.algorithm.gamma__choice': [0.9, 0.99], 'agent.net.hid_layers__grid_search': [[32], [64], [64, 64]] }, { search_sampler: 'grid', max_trial: 5 });
    expect(p.trialCount).toBe(6);
    expect(p.notices).toEqual(['grid sampler: 6 grid points -> 6 trials (meta.max_trial 5 is not used)']);
    expect(orderValues(p, 5, {})).toEqual({ 'agent.algorithm.gamma': 0.99, 'agent.net.hid_layers': [64, 64] });
    const e = specError(() => plan({ 'agent.algorithm.gamma__uniform': [0.9, 0.99] }, { search_sampler: 'grid' }));
    expect(e.message).toMatch(/ppo_cartpole\.search\.agent\.algorithm\.gamma__uniform: the grid sampler runs listed values only; uniform is not a list/);
  });

  it('refuses, before anything runs, a range the key does not accept', () => {
    const e = specError(() => plan({ 'agent.algorithm.gamma__uniform': [0.9, 1.5] }));
    expect(e.keyPath).toBe('ppo_cartpole.search.agent.algorithm.gamma__uniform');
    expect(e.message).toMatch(/its value 1.5 is refused/);
    const n = specError(() => plan({ 'agent.algorithm.gamma__randn': [0.99, 0.01] }));
    expect(n.message).toMatch(/randn draws any real number, so 'agent.algorithm.gamma' must accept every number/);
    expect(specError(() => plan({ 'agent.algorithm.time_horizon__qrandint': [32, 256, 2.5] })).message).toMatch(/q must be an integer/);
  });

  it('refuses a spec without a search block, and bad scheduler settings', () => {
    expect(specError(() => plan({})).message).toMatch(/search mode needs a search block/);
    const s = specError(() => plan({ 'agent.algorithm.gamma__uniform': [0.9, 0.99] }, { search_scheduler: { grace_period: 1000, reduction_factor: 1 } }));
    expect(s.message).toMatch(/ppo_cartpole\.meta\.search_scheduler.*reduction_factor.*must be > 1/); // the spec loader refuses it already
  });

  it('notes a grace period at or past env.max_frame (no rung: every trial runs to the end)', () => {
    const p = plan({ 'agent.algorithm.gamma__uniform': [0.9, 0.99] }, { search_scheduler: { grace_period: 200000, reduction_factor: 3 } });
    expect(p.notices[0]).toMatch(/grace_period 200000 >= env.max_frame 100000/);
  });
});

describe('localResources', () => {
  const spec = (cpu: number | null, sessions = 2) => {
    const file = demoSearchFile({ 'agent.algorithm.gamma__uniform': [0.9, 0.99] }, { max_session: sessions, search_resources: cpu === null ? null : { cpu } });
    return loadSpec(file, 'ppo_cartpole');
  };
  it('a trial needs search_resources.cpu cores (default one per session)', () => {
    expect(localResources(spec(null), 2, 16)).toEqual({ trials: 1, sessionsPerTrial: 2 });
    expect(localResources(spec(1), 2, 16)).toEqual({ trials: 2, sessionsPerTrial: 1 });
    expect(localResources(spec(2, 4), 8, 16)).toEqual({ trials: 4, sessionsPerTrial: 2 });
    expect(localResources(spec(null, 4), 2, 16)).toEqual({ trials: 1, sessionsPerTrial: 2 }); // never more sessions at once than cores
    expect(localResources(spec(1), 8, 3)).toEqual({ trials: 3, sessionsPerTrial: 1 });
    expect(localResources(spec(1), 8, 16, 2)).toEqual({ trials: 2, sessionsPerTrial: 1 });
  });
});
