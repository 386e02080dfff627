import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, type ComputeBackend } from '@gymlab/backends';
import { Box, Discrete, makeVectorEnv, type VectorEnv } from '@gymlab/envs';
import { resolveSpec, type Spec } from '@gymlab/spec';
import { checkAgentSpec, createAgent } from '../registry.js';
import { AgentConfigError, NotBuiltError, type Agent } from '../types.js';
import { expectResumesIdentically, expectSameSeedSameWeights } from '../test-utils/determinism.js';
import { agentFor, trainFor } from '../test-utils/train.js';
import { thrown } from '../test-utils/thrown.js';

type Obj = Record<string, unknown>;

let backend: ComputeBackend;
beforeAll(async () => {
  backend = await initBackend({ gpu: false, backend: 'cpu' });
});

/** A small SAC spec in sac_pendulum.json's shape (discrete: sac_classic_arc's algorithm keys). */
function sacSpec(env: string, o: { algorithm?: Obj; memory?: Obj; net?: Obj } = {}): Spec {
  const discrete = env === 'CartPole-v1';
  return resolveSpec(
    {
      agent: {
        name: 'SoftActorCritic',
        algorithm: { name: 'SoftActorCritic', action_pdtype: discrete ? 'Categorical' : 'Normal', action_policy: 'default', gamma: 0.99, training_iter: 2, training_frequency: 1, training_start_step: 32, ...o.algorithm },
        memory: { name: 'Replay', batch_size: 16, max_size: 300, use_cer: false, ...o.memory },
        net: {
          type: 'MLPNet', hid_layers: [16, 16], hid_layers_activation: 'relu', init_fn: 'xavier_uniform_', clip_grad_val: null,
          loss_spec: { name: 'MSELoss' }, optim_spec: { name: 'Adam', lr: 0.001 }, update_type: 'polyak', polyak_coef: 0.005, ...o.net,
        },
      },
      env: { name: env, num_envs: 2, max_t: null, max_frame: 2000 },
      meta: { distributed: false, log_frequency: 500, eval_frequency: 500, max_session: 1, max_trial: 1 },
    },
    'sac_test',
  );
}

function make(spec: Spec, seed: number): { agent: Agent; env: VectorEnv } {
  const env = makeVectorEnv(spec.env.name, spec.env.num_envs);
  return { agent: agentFor(backend, spec, env, seed, true), env };
}

describe('SoftActorCritic spec checks', () => {
  it('is registered and accepts Box and Discrete action spaces', () => {
    expect(() => checkAgentSpec(sacSpec('Pendulum-v1'), new Box(-1, 1, [3]), new Box(-2, 2, [1]))).not.toThrow();
    expect(() => checkAgentSpec(sacSpec('CartPole-v1'), new Box(-1, 1, [4]), new Discrete(2))).not.toThrow();
  });

  it('refuses what is not built with NotBuiltError and what does not fit with AgentConfigError, one line each', () => {
    const obs = new Box(-1, 1, [3]);
    const act = new Box(-2, 2, [1]);
    const sn = thrown(() => checkAgentSpec(sacSpec('Pendulum-v1', { algorithm: { spectral_norm: true } }), obs, act));
    expect(sn).toBeInstanceOf(NotBuiltError);
    expect(thrown(() => checkAgentSpec(sacSpec('Pendulum-v1', { algorithm: { entropy_penalty_coef: 0.1 } }), obs, act))).toBeInstanceOf(NotBuiltError);
    const pd = thrown(() => checkAgentSpec(sacSpec('Pendulum-v1', { algorithm: { action_pdtype: 'Categorical' } }), obs, act));
    expect(pd).toBeInstanceOf(AgentConfigError);
    expect((pd as Error).message).toMatch(/^SoftActorCritic: agent.algorithm.action_pdtype 'Categorical' does not fit a Box action space[^\n]*$/);
    const pol = thrown(() => checkAgentSpec(sacSpec('Pendulum-v1', { algorithm: { action_policy: 'random' } }), obs, act));
    expect((pol as Error).message).toMatch(/action_policy 'random' does not work with SoftActorCritic/);
  });
});

describe('SoftActorCritic runs', () => {
  it('continuous (Pendulum): random actions before training_start_step, then rounds of training_iter steps; actions within the bounds', () => {
    const { agent, env } = make(sacSpec('Pendulum-v1'), 1);
    const stats = trainFor(agent, env, 60);
    // 2 envs: seen > 32 from the 17th vector step; every step after is due (frequency 1)
    expect(stats.length).toBe(60 - 16);
    for (const s of stats) {
      expect(Number.isFinite(s.loss)).toBe(true);
      expect(s.optSteps).toBe(2 * 2 + 2 * 2); // 2 critic steps per iteration; policy and alpha each iteration
      expect(s.terms.alpha).toBeGreaterThan(0);
    }
    expect(stats[stats.length - 1].terms.alpha).toBeLessThan(1); // the alpha optimizer moved it
    const a = agent.act(new Float32Array([1, 0, 0.5, 0, 1, -0.5]), 'train') as Float32Array;
    expect(a).toBeInstanceOf(Float32Array);
    for (const v of a) expect(Math.abs(v)).toBeLessThanOrEqual(2);
    const e1 = agent.act(new Float32Array([1, 0, 0.5]), 'eval');
    expect(agent.act(new Float32Array([1, 0, 0.5]), 'eval')).toEqual(e1);
    expect(agent.scalars().entropy).not.toBeNull();
    agent.dispose();
    env.close();
  });

  it('discrete (CartPole): trains with dev checks; integer actions', () => {
    const { agent, env } = make(sacSpec('CartPole-v1'), 2);
    const stats = trainFor(agent, env, 60);
    expect(stats.length).toBe(60 - 16);
    for (const s of stats) expect(Number.isFinite(s.loss)).toBe(true);
    expect(agent.act(new Float32Array(8), 'train')).toBeInstanceOf(Int32Array);
    const ent = agent.scalars().entropy as number;
    expect(ent).toBeGreaterThan(0);
    expect(ent).toBeLessThanOrEqual(Math.LN2 + 1e-6);
    agent.dispose();
    env.close();
  });

  it('policy_delay 2: the actor steps every second critic step', () => {
    const { agent, env } = make(sacSpec('CartPole-v1', { algorithm: { policy_delay: 2, training_iter: 1 } }), 2);
    const stats = trainFor(agent, env, 24);
    expect(stats.map((s) => s.optSteps)).toEqual([2, 4, 2, 4, 2, 4, 2, 4]);
    agent.dispose();
    env.close();
  });

  it('fixed_alpha: alpha stays, no alpha optimizer', () => {
    const { agent, env } = make(sacSpec('Pendulum-v1', { algorithm: { fixed_alpha: 0.2 } }), 3);
    const stats = trainFor(agent, env, 20);
    for (const s of stats) expect(s.terms.alpha).toBeCloseTo(0.2, 12);
    expect(agent.getState().tensors['optim/alpha/step']).toBeUndefined();
    agent.dispose();
    env.close();
  });
});

describe('SoftActorCritic determinism and checkpoints', () => {
  it('same seed, same weights (continuous and discrete)', () => {
    expectSameSeedSameWeights((seed) => make(sacSpec('Pendulum-v1'), seed), 30);
    expectSameSeedSameWeights((seed) => make(sacSpec('CartPole-v1'), seed), 30);
  });

  it('a resumed agent (nets, optimizers, log alpha, replay, generator) continues as the original: continuous', () => {
    const state = expectResumesIdentically((seed) => make(sacSpec('Pendulum-v1'), seed), 30, (s, a, c) => {
      expect(c.getState().tensors['memory/obs'].data).toEqual(s.tensors['memory/obs'].data);
      expect(c.getState().tensors['log_alpha'].data).toEqual(a.getState().tensors['log_alpha'].data);
    });
    expect(state.meta['memorySize']).toBe(60);
    expect(state.tensors['memory/action'].shape).toEqual([300, 1]);
    expect(state.tensors['log_alpha'].data[0]).not.toBe(0);
    for (const k of ['optim/actor/step', 'optim/q1/step', 'optim/q2/step', 'optim/alpha/step', 'target_q1_net/l0/kernel']) expect(state.tensors[k], k).toBeDefined();
  });

  it('a resumed agent continues as the original: discrete with PrioritizedReplay (priorities restored exactly)', () => {
    const spec = sacSpec('CartPole-v1', { memory: { name: 'PrioritizedReplay', alpha: 0.6, epsilon: 1e-4 } });
    const state = expectResumesIdentically((seed) => make(spec, seed), 30, (s, _a, c) => {
      expect(c.getState().tensors['memory/priority'].data).toEqual(s.tensors['memory/priority'].data);
    });
    expect(state.tensors['memory/priority'].shape).toEqual([300, 3]);
  });

  it('refuses a checkpoint of another algorithm or without its replay counters', () => {
    const { agent, env } = make(sacSpec('Pendulum-v1'), 1);
    const s = agent.getState();
    expect(() => agent.setState({ ...s, algorithm: 'DQN' })).toThrow(/checkpoint is for DQN/);
    expect(() => agent.setState({ ...s, meta: { ...s.meta, memoryHead: null } })).toThrow(/memoryHead/);
    agent.dispose();
    env.close();
  });
});

describe('createAgent', () => {
  it('builds SoftActorCritic through the registry', () => {
    const agent = createAgent({ spec: sacSpec('Pendulum-v1'), observationSpace: new Box(-1, 1, [3]), actionSpace: new Box(-2, 2, [1]), numEnvs: 2, seed: 0, backend, devChecks: false });
    expect(agent.algorithmName).toBe('SoftActorCritic');
    agent.dispose();
  });
});
