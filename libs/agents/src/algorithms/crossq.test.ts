import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, type ComputeBackend } from '@gymlab/backends';
import { Box, Discrete, makeVectorEnv, type VectorEnv } from '@gymlab/envs';
import type { Spec } from '@gymlab/spec';
import { checkAgentSpec, createAgent } from '../registry.js';
import { AgentConfigError, NotBuiltError, type Agent } from '../types.js';
import { expectResumesIdentically, expectSameSeedSameWeights } from '../test-utils/determinism.js';
import { agentFor, trainFor } from '../test-utils/train.js';
import { thrown } from '../test-utils/thrown.js';
import { brnArc, crossqSpec } from '../test-utils/crossq-spec.js';

let backend: ComputeBackend;
beforeAll(async () => {
  backend = await initBackend({ gpu: false, backend: 'cpu' });
});

/** A CrossQ agent of `spec` with dev checks, on a fresh env. */
const make = (spec: Spec, seed: number): { agent: Agent; env: VectorEnv } => {
  const env = makeVectorEnv(spec.env.name, spec.env.num_envs);
  return { env, agent: agentFor(backend, spec, env, seed, true) };
};

const BRN = 'q1_net/body/1';

describe('CrossQ spec checks', () => {
  it('is registered for Box and Discrete actions, with critic_net (LazyBatchRenorm1d) or, without it, agent.net', () => {
    expect(() => checkAgentSpec(crossqSpec('Pendulum-v1'), new Box(-1, 1, [3]), new Box(-2, 2, [1]))).not.toThrow();
    expect(() => checkAgentSpec(crossqSpec('CartPole-v1'), new Box(-1, 1, [4]), new Discrete(2))).not.toThrow();
    const spec = crossqSpec('CartPole-v1');
    const agent = createAgent({ spec: { ...spec, agent: { ...spec.agent, critic_net: null } }, observationSpace: new Box(-1, 1, [4]), actionSpace: new Discrete(2), numEnvs: 2, seed: 0, backend, devChecks: false });
    expect(agent.algorithmName).toBe('CrossQ');
    expect(Object.keys(agent.weights()).filter((k) => k.startsWith('q1_net/'))).toEqual(['q1_net/l0/kernel', 'q1_net/l0/bias', 'q1_net/l1/kernel', 'q1_net/l1/bias', 'q1_net/l2/kernel', 'q1_net/l2/bias']);
    agent.dispose();
  });

  it('names agent.critic_net in its errors; what is not built refuses with NotBuiltError', () => {
    const obs = new Box(-1, 1, [3]);
    const act = new Box(-2, 2, [1]);
    const bad = crossqSpec('Pendulum-v1', { critic: { arc: { ...brnArc(), modules: { body: { Sequential: [{ LazyBatchRenorm1d: { r_max: 0.5 } }] } } } } });
    const e = thrown(() => checkAgentSpec(bad, obs, act));
    expect(e).toBeInstanceOf(AgentConfigError);
    expect((e as Error).message).toBe('agent.critic_net.arc.modules.body.Sequential[0].LazyBatchRenorm1d.r_max: must be >= 1, got 0.5');
    const sn = thrown(() => checkAgentSpec(crossqSpec('Pendulum-v1', { algorithm: { spectral_norm: true } }), obs, act));
    expect(sn).toBeInstanceOf(NotBuiltError);
    expect((sn as Error).message).toMatch(/^CrossQ spectral_norm not built yet/);
    const pd = thrown(() => checkAgentSpec(crossqSpec('Pendulum-v1', { algorithm: { action_pdtype: 'Categorical' } }), obs, act));
    expect((pd as Error).message).toMatch(/^CrossQ: agent.algorithm.action_pdtype 'Categorical' does not fit a Box action space/);
  });
});

describe('CrossQ runs', () => {
  it('continuous (Pendulum): trains with dev checks, no target nets; batch renorm steps once per critic step (the policy step reads running statistics)', () => {
    const { agent, env } = make(crossqSpec('Pendulum-v1'), 1);
    const stats = trainFor(agent, env, 24);
    // rounds from the 17th vector step; each: 2 x (2 critic steps + policy + alpha)
    expect(stats.map((s) => s.optSteps)).toEqual(Array.from({ length: 24 - 16 }, () => 8));
    expect(stats.every((s) => Number.isFinite(s.loss))).toBe(true);
    const st = agent.getState();
    expect(Object.keys(st.tensors).some((k) => k.startsWith('target_'))).toBe(false);
    // 8 rounds x training_iter 2 critic steps; the 16 policy steps (eval mode) leave step and statistics alone
    expect(Array.from(st.tensors[`${BRN}/step`].data)).toEqual([16]);
    expect(Array.from(st.tensors[`${BRN}/running_mean`].data).some((v) => v !== 0)).toBe(true);
    const a = agent.act(new Float32Array([1, 0, 0.5, 0, 1, -0.5]), 'train') as Float32Array;
    for (const v of a) expect(Math.abs(v)).toBeLessThanOrEqual(2);
    agent.dispose();
    env.close();
  });

  it('policy_delay 3 (discrete, CartPole): the actor and alpha step every third critic step', () => {
    const { agent, env } = make(crossqSpec('CartPole-v1', { algorithm: { policy_delay: 3, training_iter: 1 } }), 2);
    const stats = trainFor(agent, env, 22);
    expect(stats.map((s) => s.optSteps)).toEqual([2, 2, 4, 2, 2, 4]);
    expect(Array.from(agent.getState().tensors[`${BRN}/step`].data)).toEqual([6]);
    expect(agent.act(new Float32Array(8), 'train')).toBeInstanceOf(Int32Array);
    agent.dispose();
    env.close();
  });
});

describe('CrossQ checkpoints and determinism', () => {
  it('a resumed agent (nets with batch renorm statistics, optimizers, log alpha, replay, generator) continues as the original', () => {
    const state = expectResumesIdentically((seed) => make(crossqSpec('Pendulum-v1'), seed), 22, (s, _a, c) => {
      for (const k of ['running_mean', 'running_var', 'step']) expect(c.getState().tensors[`${BRN}/${k}`]).toEqual(s.tensors[`${BRN}/${k}`]);
    });
    expect(state.algorithm).toBe('CrossQ');
    expect(state.tensors[`${BRN}/step`].data[0]).toBeGreaterThan(0);
    for (const k of ['optim/actor/step', 'optim/q1/step', 'optim/q2/step', 'optim/alpha/step', 'q2_net/body/4/running_var', 'memory/obs', 'log_alpha']) expect(state.tensors[k], k).toBeDefined();
  });

  it('same seed, same weights (continuous and discrete)', () => {
    for (const env of ['Pendulum-v1', 'CartPole-v1']) expectSameSeedSameWeights((seed) => make(crossqSpec(env), seed), 22);
  });
});
