import { describe, expect, it } from 'vitest';
import { SpecError, editDistance, nearest } from './errors.js';
import { loadSpec, loadSpecFile, resolveSpecDetailed } from './load.js';
import { specError } from './test-utils/errors.js';
import { ppoRaw, specFile, tempFile, type RawSpec } from './test-utils/files.js';

type Raw = RawSpec;

/** Load a modified ppoRaw() from a file and return the error. */
function errorFor(edit: (raw: Raw) => void): SpecError {
  const raw = ppoRaw();
  edit(raw);
  const file = specFile(raw, 'ppo_cartpole');
  const err = specError(() => loadSpec(file, 'ppo_cartpole'));
  expect(err.file).toBe(file);
  expect(err.message.startsWith(`${file}: `)).toBe(true);
  expect(err.message).not.toContain('\n');
  return err;
}

describe('edit distance', () => {
  it('matches hand-computed values', () => {
    expect(editDistance('gama', 'gamma')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(nearest('clip_vlos', ['clip_vloss', 'lam'])).toBe('clip_vloss');
    expect(nearest('zzzzzz', ['gamma', 'lam'])).toBeNull();
  });
});

describe('spec errors', () => {
  it('unknown key: names the path, the allowed keys and the nearest one', () => {
    const err = errorFor((r) => {
      r['agent']!['algorithm']!['gama'] = 0.9;
    });
    expect(err.keyPath).toBe('ppo_cartpole.agent.algorithm.gama');
    expect(err.suggestion).toBe('gamma');
    expect(err.message).toMatch(/unknown key for algorithm PPO; allowed: name, .*gamma, lam.* \(did you mean 'gamma'\?\)$/);
  });

  it("a user's misspelt clip_vlos is refused, not taken as the alias", () => {
    const err = errorFor((r) => {
      r['agent']!['algorithm']!['clip_vlos'] = true;
    });
    expect(err.keyPath).toBe('ppo_cartpole.agent.algorithm.clip_vlos');
    expect(err.suggestion).toBe('clip_vloss');
  });

  it('unknown keys in env, meta, net and top level', () => {
    expect(errorFor((r) => (r['env']!['max_frames'] = 1)).suggestion).toBe('max_frame');
    expect(errorFor((r) => (r['meta']!['random_sed'] = 1)).keyPath).toBe('ppo_cartpole.meta.random_sed');
    expect(errorFor((r) => (r['agent']!['net']!['hid_layer'] = [1])).suggestion).toBe('hid_layers');
    const top = errorFor((r) => ((r as Record<string, unknown>)['serch'] = {}));
    expect([top.keyPath, top.suggestion]).toEqual(['ppo_cartpole.serch', 'search']);
  });

  it('a key only another algorithm reads is ignored with a warning, as SLM Lab ignores it (its default kept)', () => {
    const raw = ppoRaw();
    raw['agent']!['algorithm']!['training_start_step'] = 32;
    const { spec, warnings } = resolveSpecDetailed(raw, 'ppo_cartpole');
    expect(spec.agent.algorithm.training_start_step).toBe(0);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^<spec>: ppo_cartpole\.agent\.algorithm\.training_start_step: 32 ignored: not used by algorithm PPO \(used by .*DQN.*\); it keeps its default 0$/);
    // a key no algorithm has is still refused, with the nearest one
    expect(errorFor((r) => (r['agent']!['algorithm']!['training_start_stp'] = 32)).suggestion).toBe('training_start_step');
  });

  it('wrong type', () => {
    const err = errorFor((r) => (r['agent']!['algorithm']!['gamma'] = '0.99'));
    expect(err.keyPath).toBe('ppo_cartpole.agent.algorithm.gamma');
    expect(err.message).toContain('wrong type: expected a number in [0, 1], got "0.99"');
    expect(errorFor((r) => (r['agent']!['net']!['hid_layers'] = 64)).message).toContain('expected a list of integers >= 1');
    expect(errorFor((r) => (r['env']!['num_envs'] = 2.5)).message).toContain('expected an integer, got 2.5');
    expect(errorFor((r) => (r['agent']!['net']!['shared'] = 'no')).keyPath).toBe('ppo_cartpole.agent.net.shared');
  });

  it('out of range', () => {
    const cases: [(r: Raw) => void, string, string][] = [
      [(r) => (r['agent']!['algorithm']!['gamma'] = 1.5), 'agent.algorithm.gamma', 'must be in [0, 1], got 1.5'],
      [(r) => ((r['agent']!['net']!['optim_spec'] as Record<string, unknown>)['lr'] = 0), 'agent.net.optim_spec.lr', 'must be > 0, got 0'],
      [(r) => (r['env']!['max_frame'] = 0), 'env.max_frame', 'must be >= 1, got 0'],
      [(r) => (r['env']!['num_envs'] = 0), 'env.num_envs', 'must be >= 1, got 0'],
      [(r) => (r['agent']!['algorithm']!['lam'] = -0.1), 'agent.algorithm.lam', 'must be in [0, 1], got -0.1'],
    ];
    for (const [edit, path, text] of cases) {
      const err = errorFor(edit);
      expect(err.keyPath).toBe(`ppo_cartpole.${path}`);
      expect(err.message).toContain(`out of range: ${text}`);
    }
  });

  it('unknown algorithm, memory, net, optimizer, loss, activation, decay names', () => {
    const cases: [(r: Raw) => void, string, string, string][] = [
      [(r) => (r['agent']!['algorithm']!['name'] = 'PPO2'), 'agent.algorithm.name', 'unknown algorithm "PPO2"', 'PPO'],
      [(r) => (r['agent']!['memory']!['name'] = 'OnPolicyBatchReplayy'), 'agent.memory.name', 'unknown memory', 'OnPolicyBatchReplay'],
      [(r) => (r['agent']!['net']!['type'] = 'MLPnet'), 'agent.net.type', 'unknown net type', 'MLPNet'],
      [(r) => (r['agent']!['net']!['optim_spec'] = { name: 'Adamm', lr: 0.1 }), 'agent.net.optim_spec.name', 'unknown optimizer', 'Adam'],
      [(r) => (r['agent']!['net']!['loss_spec'] = { name: 'MSELos' }), 'agent.net.loss_spec.name', 'unknown loss', 'MSELoss'],
      [(r) => (r['agent']!['net']!['hid_layers_activation'] = 'rellu'), 'agent.net.hid_layers_activation', 'unknown activation', 'relu'],
      [(r) => (r['agent']!['algorithm']!['clip_eps_spec'] = { name: 'linear_decy', start_val: 0.1 }), 'agent.algorithm.clip_eps_spec.name', 'unknown decay schedule', 'linear_decay'],
    ];
    for (const [edit, path, text, suggestion] of cases) {
      const err = errorFor(edit);
      expect(err.keyPath).toBe(`ppo_cartpole.${path}`);
      expect(err.message).toContain(text);
      expect(err.suggestion).toBe(suggestion);
    }
  });

  it('per-algorithm required keys', () => {
    for (const key of ['time_horizon', 'training_epoch', 'clip_eps_spec', 'lam']) {
      const err = errorFor((r) => delete r['agent']!['algorithm']![key]);
      expect(err.keyPath).toBe('ppo_cartpole.agent.algorithm');
      expect(err.message).toContain(`missing required key '${key}'`);
    }
    const nul = errorFor((r) => (r['agent']!['algorithm']!['lam'] = null));
    expect(nul.keyPath).toBe('ppo_cartpole.agent.algorithm.lam');
    expect(nul.message).toContain('must not be null for algorithm PPO');
  });

  it('cross-component rules', () => {
    const mem = errorFor((r) => (r['agent']!['memory'] = { name: 'Replay', batch_size: 32, max_size: 1000 }));
    expect(mem.keyPath).toBe('ppo_cartpole.agent.memory.name');
    expect(mem.message).toContain('PPO needs memory OnPolicyBatchReplay');
    const explore = errorFor((r) => (r['agent']!['algorithm']!['action_policy'] = 'epsilon_greedy'));
    expect(explore.keyPath).toBe('ppo_cartpole.agent.algorithm.explore_var_spec');
    const replay = errorFor((r) => {
      r['agent']!['algorithm'] = { name: 'DQN', gamma: 0.99, explore_var_spec: { name: 'linear_decay', start_val: 1, end_val: 0.1, end_step: 1000 } };
      r['agent']!['memory'] = { name: 'Replay', batch_size: 32 };
    });
    expect(replay.message).toContain("missing required key 'max_size'");
  });

  it('malformed JSON with line and column', () => {
    const file = tempFile('bad.json', '{\n  "x": {\n    "env": {,}\n  }\n}\n');
    const err = specError(() => loadSpecFile(file));
    expect(err.keyPath).toBe('');
    expect(err.message).toMatch(/^.*bad\.json: malformed JSON at line 3, column 13: /);
  });

  it('malformed YAML with line and column', () => {
    const file = tempFile('bad.yaml', 'x:\n  env:\n    name: [a, b\n  meta: {}\n');
    const err = specError(() => loadSpecFile(file));
    expect(err.message).toMatch(/bad\.yaml: malformed YAML at line \d+, column \d+: /);
    const dup = specError(() => loadSpecFile(tempFile('dup.yaml', 'x:\n  env: 1\n  env: 2\n')));
    expect(dup.message).toMatch(/malformed YAML at line 3, column 3: .*unique/i);
  });

  it('missing file', () => {
    const err = specError(() => loadSpec('/nonexistent/x.json', 'x'));
    expect(err.message).toBe('/nonexistent/x.json: file not found');
  });

  it('missing spec name lists the names and suggests the nearest', () => {
    const file = specFile(ppoRaw(), 'ppo_cartpole');
    const err = specError(() => loadSpec(file, 'ppo_cartpol'));
    expect(err.keyPath).toBe('ppo_cartpol');
    expect(err.message).toContain("no spec named 'ppo_cartpol' in this file; names: ppo_cartpole");
    expect(err.suggestion).toBe('ppo_cartpole');
  });

  it('not a map of specs', () => {
    expect(specError(() => loadSpecFile(tempFile('a.json', '[1, 2]'))).message).toContain('expected a map of spec name -> spec');
    expect(specError(() => loadSpecFile(tempFile('b.json', '{}'))).message).toContain('no specs in this file');
  });
});
