import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadSpec, loadSpecDetailed } from './load.js';
import { parseValue } from './overrides.js';
import { specError } from './test-utils/errors.js';
import { SHARED_SPECS, ppoRaw, specFile } from './test-utils/files.js';

const demo = join(SHARED_SPECS, 'demo.json');

describe('-s values', () => {
  it('parse as JSON where they can, else stay strings', () => {
    expect(parseValue('[64,64]')).toEqual([64, 64]);
    expect(parseValue('true')).toBe(true);
    expect(parseValue('null')).toBeNull();
    expect(parseValue('1e-3')).toBe(0.001);
    expect(parseValue('CartPole-v1')).toBe('CartPole-v1');
    expect(parseValue('{"name":"Adam","lr":0.1}')).toEqual({ name: 'Adam', lr: 0.1 });
  });
});

describe('-s overrides by dotted path', () => {
  it('override values and are validated like file values', () => {
    const { spec, notices } = loadSpecDetailed(demo, 'ppo_cartpole', {
      sets: ['env.max_frame=20000', 'agent.algorithm.gamma=0.98', 'meta.random_seed=42', 'agent.net.hid_layers=[32,16]', 'agent.net.optim_spec.lr=1e-3'],
    });
    expect(spec.env.max_frame).toBe(20000);
    expect(spec.agent.algorithm.gamma).toBe(0.98);
    expect(spec.meta.random_seed).toBe(42);
    expect(spec.agent.net.hid_layers).toEqual([32, 16]);
    expect(spec.agent.net.optim_spec?.lr).toBe(0.001);
    expect(notices).toContain(`${demo}: ppo_cartpole.env.max_frame: set to 20000 (-s)`);
  });

  it('can set a whole block and switch a variant', () => {
    const spec = loadSpec(demo, 'ppo_cartpole', { sets: ['agent.net.lr_scheduler_spec={"name":"LinearToZero","frame":10000}', 'agent.net.optim_spec.name=SGD'] });
    expect(spec.agent.net.lr_scheduler_spec).toEqual({ name: 'LinearToZero', frame: 10000 });
    expect(spec.agent.net.optim_spec).toEqual({ name: 'SGD', lr: 0.001, momentum: 0, dampening: 0, weight_decay: 0, nesterov: false });
  });

  it('creates absent blocks on the way', () => {
    const spec = loadSpec(demo, 'ppo_cartpole', { sets: ['agent.net.lr_scheduler_spec.name=StepLR', 'agent.net.lr_scheduler_spec.step_size=10'] });
    expect(spec.agent.net.lr_scheduler_spec).toEqual({ name: 'StepLR', step_size: 10, gamma: 0.1 });
  });

  it('refuses a path not in the schema like an unknown key', () => {
    const err = specError(() => loadSpec(demo, 'ppo_cartpole', { sets: ['agent.algorithm.gama=0.9'] }));
    expect(err.keyPath).toBe('ppo_cartpole.agent.algorithm.gama');
    expect(err.suggestion).toBe('gamma');
    expect(err.message).toContain('-s agent.algorithm.gama=0.9');
    const top = specError(() => loadSpec(demo, 'ppo_cartpole', { sets: ['env.max_fram=1'] }));
    expect(top.suggestion).toBe('max_frame');
  });

  it('refuses out-of-range and wrong-type values', () => {
    expect(specError(() => loadSpec(demo, 'ppo_cartpole', { sets: ['agent.algorithm.gamma=2'] })).message).toContain('out of range');
    expect(specError(() => loadSpec(demo, 'ppo_cartpole', { sets: ['env.max_frame=lots'] })).message).toContain('wrong type');
  });

  it('refuses a malformed -s', () => {
    expect(specError(() => loadSpec(demo, 'ppo_cartpole', { sets: ['env.max_frame'] })).message).toContain('expected key=value');
  });

  it('never changes the file or earlier results', () => {
    const before = loadSpec(demo, 'ppo_cartpole');
    loadSpec(demo, 'ppo_cartpole', { sets: ['env.max_frame=5'] });
    expect(loadSpec(demo, 'ppo_cartpole')).toEqual(before);
    expect(before.env.max_frame).toBe(10000);
  });
});

describe('${var} placeholders', () => {
  const raw = (): Record<string, unknown> => {
    const r = ppoRaw();
    r['env']!['max_frame'] = '${frames}';
    r['env']!['name'] = '${env}-v1';
    r['agent']!['net']!['hid_layers'] = '${layers}';
    return r;
  };

  it('substitute typed values for whole strings and text inside strings', () => {
    const spec = loadSpec(specFile(raw()), 'x', { sets: ['frames=3000', 'env=CartPole', 'layers=[8, 8]'] });
    expect(spec.env.max_frame).toBe(3000);
    expect(spec.env.name).toBe('CartPole-v1');
    expect(spec.agent.net.hid_layers).toEqual([8, 8]);
  });

  it('a placeholder without a value is an error naming it', () => {
    const err = specError(() => loadSpec(specFile(raw()), 'x', { sets: ['frames=3000', 'layers=[8]'] }));
    expect(err.keyPath).toBe('x.env.name');
    expect(err.message).toContain('placeholder ${env} has no value; pass -s env=VALUE');
  });

  it('substituted values are validated', () => {
    const err = specError(() => loadSpec(specFile(raw()), 'x', { sets: ['frames=0', 'env=CartPole', 'layers=[8]'] }));
    expect(err.keyPath).toBe('x.env.max_frame');
    expect(err.message).toContain('out of range');
  });
});
