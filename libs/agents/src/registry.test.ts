import { describe, expect, it } from 'vitest';
import { initBackend, nativeKernelsAvailable } from '@gymlab/backends';
import { makeVectorEnv } from '@gymlab/envs';
import type { Spec } from '@gymlab/spec';
import { autoresetFor, fastPathFit } from './registry.js';
import { PpoAgent } from './algorithms/ppo.js';
import { agentFor } from './test-utils/train.js';
import { a2cSpec, ppoSpec } from './test-utils/on-policy-specs.js';

const named = (spec: Spec, name: Spec['agent']['algorithm']['name']): Spec => ({ ...spec, agent: { ...spec.agent, algorithm: { ...spec.agent.algorithm, name } } });

function fitOn(spec: Spec, envName: string): ReturnType<typeof fastPathFit> {
  const env = makeVectorEnv(envName, 1);
  try {
    return fastPathFit(spec, env.singleObservationSpace, env.singleActionSpace);
  } finally {
    env.close();
  }
}

describe('fastPathFit: whether the fast CPU path runs a spec that names no backend', () => {
  it('says yes, naming the entry, for what the fast entry accepts', () => {
    expect(fitOn(ppoSpec('CartPole-v1'), 'CartPole-v1')).toEqual({ fits: true, algorithm: 'PPO' });
  });

  it("answers the fast entry's refusals with a reason instead of an error", () => {
    expect(fitOn(ppoSpec('Pendulum-v1'), 'Pendulum-v1')).toEqual({ fits: true, algorithm: 'PPO' }); // Box actions too
    const shared = ppoSpec('CartPole-v1', { net: { shared: true, optim_spec: { name: 'Adam', lr: 1e-3 } } });
    expect(fitOn(shared, 'CartPole-v1')).toEqual({ fits: false, reason: 'the fast path does not run agent.net.shared true' });
    expect(fitOn(ppoSpec('CartPole-v1', { net: { hid_layers_activation: 'sigmoid' } }), 'CartPole-v1')).toEqual({ fits: false, reason: "the fast path does not run activation 'sigmoid'" });
    expect(fitOn(a2cSpec('CartPole-v1'), 'CartPole-v1')).toEqual({ fits: true, algorithm: 'ActorCritic' });
    expect(fitOn(a2cSpec('CartPole-v1', { memory: { name: 'OnPolicyReplay' } }), 'CartPole-v1')).toEqual({ fits: false, reason: "the fast path does not run agent.memory.name 'OnPolicyReplay'" });
    expect(fitOn({ ...a2cSpec('CartPole-v1'), agent: { ...a2cSpec('CartPole-v1').agent, algorithm: { ...a2cSpec('CartPole-v1').agent.algorithm, name: 'SIL' } } }, 'CartPole-v1')).toEqual({ fits: false, reason: 'the fast path does not run SIL' });
  });

  it('answers a spec that is wrong for PPO with its first line (the tfjs check reports it)', () => {
    const base = ppoSpec('CartPole-v1');
    const fit = fitOn({ ...base, agent: { ...base.agent, algorithm: { ...base.agent.algorithm, lam: null } } }, 'CartPole-v1');
    expect(fit).toEqual({ fits: false, reason: 'PPO: agent.algorithm.lam is required (GAE)' });
  });
});

describe('createAgent follows the backend the lab started', () => {
  it('a fast backend chosen for a spec that names none builds the fast entry; a tfjs backend the tfjs one', async () => {
    const spec = ppoSpec('CartPole-v1');
    expect(spec.agent.net.backend).toBeNull();
    const env = makeVectorEnv('CartPole-v1', 2);
    const fast = await initBackend({ gpu: false, backend: null, fastFits: true });
    expect(fast.name).toBe(nativeKernelsAvailable() ? 'native' : 'fast');
    const f = agentFor(fast, spec, env);
    const w = agentFor(await initBackend({ gpu: false, backend: 'fast' }), spec, env);
    const t = agentFor(await initBackend({ gpu: false, backend: null }), spec, env);
    expect([f, w, t].every((a) => a instanceof PpoAgent)).toBe(true);
    expect([f, w, t].map((a) => (a as PpoAgent).computePath)).toEqual(['fast', 'fast', 'tfjs']);
    env.close();
  });
});

describe('autoresetFor: the training vector env\'s autoreset mode', () => {
  it("REINFORCE trains on SLM Lab's next-step batches; the others (and unknown names) reset in the same step", () => {
    const base = a2cSpec('CartPole-v1');
    expect(base.env.num_envs).toBeGreaterThan(1);
    expect(autoresetFor(named(base, 'Reinforce'))).toBe('next-step');
    expect(autoresetFor(base)).toBe('same-step');
    expect(autoresetFor(ppoSpec('CartPole-v1'))).toBe('same-step');
    expect(autoresetFor(named(base, 'SARSA'))).toBe('same-step');
    expect(autoresetFor(named(base, 'HydraDQN'))).toBe('same-step');
  });

  it('num_envs 1 resets in the same step for every algorithm: SLM Lab steps one plain env and resets it itself (no reset row)', () => {
    const single = a2cSpec('CartPole-v1', { numEnvs: 1 });
    expect(single.env.num_envs).toBe(1);
    expect(autoresetFor(named(single, 'Reinforce'))).toBe('same-step');
  });
});
