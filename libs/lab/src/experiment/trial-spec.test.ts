import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SpecError, loadSpec, loadSpecDetailed } from '@gymlab/spec';
import { buildTrialSpec, experimentTrialSeed, trialSpecBody, valueCell } from './trial-spec.js';
import { specFileContent } from '../run/run.js';
import { sessionSeeds } from '../trial/trial.js';
import { SHARED_SPECS } from '../test-utils/paths.js';

const HPO = join(SHARED_SPECS, 'benchmark/dqn/dqn_cartpole_hpo.json');
const hpo = () => loadSpec(HPO, 'dqn_epsilon_greedy_cartpole_hpo');

describe('trial specs', () => {
  it('sets each value at its dotted path, removes the search block and sets the seed', () => {
    const spec = hpo();
    const t = buildTrialSpec(spec, { 'agent.algorithm.gamma': 0.97, 'agent.net.hid_layers': [128, 64], 'agent.net.optim_spec.lr': 2e-4 }, 1234);
    expect(t.agent.algorithm.gamma).toBe(0.97);
    expect(t.agent.net.hid_layers).toEqual([128, 64]);
    expect(t.agent.net.optim_spec?.lr).toBe(2e-4);
    expect(t.search).toBeNull();
    expect(t.meta.random_seed).toBe(1234);
    // everything else as in the experiment's spec
    expect(t.agent.memory).toEqual(spec.agent.memory);
    expect(t.env).toEqual(spec.env);
    expect(Object.isFrozen(t)).toBe(true);
    expect(spec.agent.algorithm.gamma).toBe(0.99); // the experiment's spec is untouched
  });

  it('a trial spec written as a spec file loads back to the same spec', () => {
    const t = buildTrialSpec(hpo(), { 'agent.algorithm.gamma': 0.96 }, 77);
    const file = join(mkdtempSync(join(tmpdir(), 'lab-exp-')), 'best_spec.json');
    writeFileSync(file, JSON.stringify(specFileContent(t)));
    expect(loadSpec(file, t.name)).toEqual(t);
  });

  it('refuses a value the schema refuses, naming the key', () => {
    expect(() => buildTrialSpec(hpo(), { 'agent.algorithm.gamma': 1.5 }, 1)).toThrow(SpecError);
    expect(() => buildTrialSpec(hpo(), { 'agent.algorithm.gamma': 1.5 }, 1)).toThrow(/gamma/);
  });

  it('refuses a path through a null component', () => {
    const { spec } = loadSpecDetailed(join(SHARED_SPECS, 'experimental/ppo/ppo_lam_search.json'), 'ppo_pong');
    expect(() => trialSpecBody(spec, { 'agent.net.optim_spec.lr': 1e-3 }, 1, 'f.json')).toThrow("f.json: ppo_pong.search.agent.net.optim_spec.lr: 'agent.net.optim_spec' is null in this spec");
  });
});

describe('trial seeds', () => {
  it('the (t+1)-th seed derived from the base seed; sessions derive from it as a train run does', () => {
    const seeds = [0, 1, 2, 3].map((t) => experimentTrialSeed(42, t));
    expect(new Set(seeds).size).toBe(4);
    expect(experimentTrialSeed(42, 2)).toBe(seeds[2]);
    expect(experimentTrialSeed(43, 2)).not.toBe(seeds[2]);
    // the first trial's seed is the first seed a base-seed Rng derives, as sessionSeeds derives session 0's
    expect(seeds[0]).toBe(sessionSeeds(42, 1)[0]);
    expect(seeds).toEqual(sessionSeeds(42, 4));
  });
});

describe('valueCell', () => {
  it('keeps scalars, writes lists as JSON', () => {
    expect([valueCell(0.5), valueCell('relu'), valueCell(true), valueCell(null), valueCell([128, 64])]).toEqual([0.5, 'relu', true, null, '[128,64]']);
  });
});
