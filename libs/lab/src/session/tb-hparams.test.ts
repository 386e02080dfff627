import { describe, expect, it } from 'vitest';
import { specHParams } from './tb-hparams.js';
import { fakeSpec } from '../test-utils/fakes.js';

describe('specHParams', () => {
  it('flattens agent.algorithm, agent.net, agent.memory and env into dotted scalar leaves', () => {
    const hp = specHParams(fakeSpec({ env: { max_frame: 5000 } }));
    expect(hp['agent.algorithm.name']).toBe('PPO');
    expect(hp['agent.algorithm.gamma']).toBe(0.99);
    expect(hp['agent.algorithm.entropy_coef_spec.start_val']).toBe(0.01);
    expect(hp['agent.algorithm.entropy_coef_spec.name']).toBe('no_decay');
    expect(hp['agent.algorithm.normalize_advantages']).toBe(true);
    expect(hp['agent.net.hid_layers']).toBe('[8]');
    expect(hp['agent.net.optim_spec.lr']).toBe(0.001);
    expect(hp['agent.memory.name']).toBe('OnPolicyBatchReplay');
    expect(hp['env.name']).toBe('CartPole-v1');
    expect(hp['env.max_frame']).toBe(5000);
  });

  it('leaves out nulls and everything outside the four sections', () => {
    const hp = specHParams(fakeSpec());
    expect('env.max_t' in hp).toBe(false); // null
    expect('agent.algorithm.explore_var_spec' in hp).toBe(false);
    expect('agent.memory.batch_size' in hp).toBe(false);
    expect(Object.keys(hp).filter((k) => !/^(agent\.(algorithm|net|memory)|env)\./.test(k))).toEqual([]);
    expect(Object.values(hp).every((v) => ['number', 'string', 'boolean'].includes(typeof v))).toBe(true);
  });

  it('writes non-finite numbers as their text (TensorBoard numbers must be finite)', () => {
    const spec = fakeSpec({ env: { max_frame: Infinity } });
    expect(specHParams(spec)['env.max_frame']).toBe('Infinity');
  });
});
