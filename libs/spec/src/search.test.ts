import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadSpecDetailed, resolveSpec, resolveSpecDetailed } from './load.js';
import { parseSearchSpace } from './search.js';
import { specError } from './test-utils/errors.js';
import { SHARED_SPECS, ppoRaw } from './test-utils/files.js';

const withSearch = (search: unknown) => ({ ...ppoRaw(), search });

describe('parseSearchSpace', () => {
  it('flattens dotted and nested keys', () => {
    expect(
      parseSearchSpace({
        'agent.net.optim_spec.lr__loguniform': [5e-5, 1e-3],
        agent: { algorithm: { lam__choice: [0.9, 0.95] }, net: { actor_optim_spec: { lr__uniform: [0.001, 0.01] } } },
      }),
    ).toEqual([
      { path: ['agent', 'net', 'optim_spec', 'lr'], dist: 'loguniform', args: [5e-5, 1e-3], key: ['agent.net.optim_spec.lr__loguniform'] },
      { path: ['agent', 'algorithm', 'lam'], dist: 'choice', args: [0.9, 0.95], key: ['agent', 'algorithm', 'lam__choice'] },
      { path: ['agent', 'net', 'actor_optim_spec', 'lr'], dist: 'uniform', args: [0.001, 0.01], key: ['agent', 'net', 'actor_optim_spec', 'lr__uniform'] },
    ]);
    expect(parseSearchSpace(null)).toEqual([]);
  });

  it('checks distributions and their arguments', () => {
    const bad: [unknown, RegExp][] = [
      [{ 'a__unifrom': [0, 1] }, /unknown search distribution 'unifrom'.*did you mean 'uniform'/],
      [{ 'a__uniform': [1, 0] }, /low must be < high/],
      [{ 'a__uniform': [0] }, /uniform takes \[low, high\]/],
      [{ 'a__loguniform': [0, 1] }, /low must be > 0/],
      [{ 'a__qrandint': [1, 10, 0] }, /q must be > 0/],
      [{ 'a__randint': [1.5, 10] }, /must be integers/],
      [{ 'a__randn': [0, -1] }, /sd must be > 0/],
      [{ 'a__choice': [] }, /non-empty list/],
      [{ 'a__grid_search': 3 }, /takes a list/],
      [{ a: 3 }, /search key without a distribution/],
    ];
    for (const [search, re] of bad) expect(specError(() => parseSearchSpace(search as Record<string, unknown>)).message).toMatch(re);
  });
});

describe('search block in specs', () => {
  it('keeps the raw block and exposes the parsed space', () => {
    const file = join(SHARED_SPECS, 'benchmark/dqn/dqn_cartpole.json');
    const { spec, searchSpace } = loadSpecDetailed(file, 'dqn_boltzmann_cartpole');
    expect(spec.search).toEqual({
      'agent.algorithm.gamma__uniform': [0.95, 0.999],
      'agent.algorithm.explore_var_spec.end_val__uniform': [0.02, 0.15],
      'agent.net.optim_spec.lr__loguniform': [0.0001, 0.003],
      'agent.net.update_frequency__qrandint': [50, 150, 25],
    });
    expect(searchSpace.map((d) => d.path.join('.'))).toEqual([
      'agent.algorithm.gamma',
      'agent.algorithm.explore_var_spec.end_val',
      'agent.net.optim_spec.lr',
      'agent.net.update_frequency',
    ]);
  });

  it('refuses paths not in the schema with the nearest key', () => {
    const err = specError(() => resolveSpec(withSearch({ 'agent.algorithm.gama__uniform': [0.9, 0.99] }), 'x'));
    expect(err.keyPath).toBe('x.search.agent.algorithm.gama__uniform');
    expect(err.suggestion).toBe('gamma');
    const nested = specError(() => resolveSpec(withSearch({ agent: { nett: { hid_layers__choice: [[8]] } } }), 'x'));
    expect(nested.suggestion).toBe('net');
  });

  it("leaves out, with a warning, keys only another algorithm or net reads (SLM Lab sets them and nothing reads them)", () => {
    const search = { agent: { algorithm: { training_start_step__randint: [0, 100], lam__choice: [0.9, 0.95] } }, 'agent.net.fc_hid_layers__choice': [[8]] };
    const { spec, searchSpace, warnings } = resolveSpecDetailed(withSearch(search), 'x');
    expect(searchSpace.map((d) => d.path.join('.'))).toEqual(['agent.algorithm.lam']);
    expect(spec.search).toEqual({ agent: { algorithm: { lam__choice: [0.9, 0.95] } } });
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/^<spec>: x\.search\.agent\.algorithm\.training_start_step__randint: left out of the search: algorithm PPO does not read 'agent\.algorithm\.training_start_step' \(.*DQN.*\)$/);
    expect(warnings[1]).toMatch(/^<spec>: x\.search\.agent\.net\.fc_hid_layers__choice: left out of the search: net type MLPNet does not read 'agent\.net\.fc_hid_layers' \(ConvNet, DuelingConvNet, RecurrentNet do\)$/);
    // a key no variant has is still refused
    expect(specError(() => resolveSpec(withSearch({ 'agent.algorithm.training_start_stp__randint': [0, 100] }), 'x')).message).toContain("unknown key 'agent.algorithm.training_start_stp'");
  });

  it('a block of empty blocks (SLM Lab vanilla_dqn_concat_lunar) reads as no search block, with a warning', () => {
    const { spec, searchSpace, warnings } = resolveSpecDetailed(withSearch({ agent: { algorithm: {} } }), 'x');
    expect(spec.search).toEqual({});
    expect(searchSpace).toEqual([]);
    expect(warnings).toEqual(['<spec>: x.search: names no hyperparameter to search: read as no search block (search mode needs keys such as "agent": {"algorithm": {"gamma__uniform": [0.9, 0.999]}})']);
    expect(resolveSpecDetailed(withSearch({}), 'x').warnings).toEqual([]);
  });

  it('checks distributions against the key type', () => {
    expect(specError(() => resolveSpec(withSearch({ 'agent.net.hid_layers_activation__uniform': [0, 1] }), 'x')).message).toContain('uniform draws numbers');
    expect(specError(() => resolveSpec(withSearch({ 'agent.algorithm.time_horizon__uniform': [32, 256] }), 'x')).message).toContain('takes integers');
    const choice = specError(() => resolveSpec(withSearch({ 'agent.algorithm.gamma__choice': [0.9, 1.5] }), 'x'));
    expect(choice.keyPath).toBe('x.search.agent.algorithm.gamma__choice[1]');
    expect(choice.message).toContain('out of range');
    expect(resolveSpec(withSearch({ 'agent.algorithm.time_horizon__qrandint': [32, 256, 32] }), 'x').search).not.toBeNull();
  });
});
