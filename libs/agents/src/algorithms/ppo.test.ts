import { afterAll, describe, expect, it } from 'vitest';
import { initBackend, type ComputeBackend } from '@gymlab/backends';
import { makeVectorEnv } from '@gymlab/envs';
import { loadSpec } from '@gymlab/spec';
import { fileURLToPath } from 'node:url';
import { AgentCheckError, AgentConfigError } from '../types.js';
import { checkAgentSpec, implementedAlgorithms } from '../registry.js';
import { ppoMinibatchSize } from './ppo.js';
import { agentFor, episodesAtUpdates, trainFor } from '../test-utils/train.js';
import { ppoSpec } from '../test-utils/on-policy-specs.js';
import { expectResumesIdentically, expectSameSeedSameWeights, type MakeAgent } from '../test-utils/determinism.js';

const makeAgent = agentFor;

const backends: Record<string, ComputeBackend> = {};
async function backend(name: 'cpu' | 'wasm'): Promise<ComputeBackend> {
  backends[name] ??= await initBackend({ gpu: false, backend: name });
  await backends[name].tf.setBackend(name);
  return backends[name];
}
afterAll(() => undefined);

describe('registry', () => {
  it('lists PPO and refuses unimplemented SLM Lab algorithms naming the implemented ones', () => {
    expect(implementedAlgorithms()).toContain('PPO');
    const env = makeVectorEnv('CartPole-v1', 1);
    const spec = ppoSpec('CartPole-v1');
    const hydra = { ...spec, agent: { ...spec.agent, algorithm: { ...spec.agent.algorithm, name: 'HydraDQN' as const } } };
    expect(() => checkAgentSpec(hydra, env.singleObservationSpace, env.singleActionSpace)).toThrow(AgentConfigError);
    expect(() => checkAgentSpec(hydra, env.singleObservationSpace, env.singleActionSpace)).toThrow(
      new RegExp(`'HydraDQN' is not implemented in gymlab yet; implemented: ${implementedAlgorithms().join(', ')}$`),
    );
  });
  it('refuses PPO specs it cannot run, in one line', () => {
    const env = makeVectorEnv('Pendulum-v1', 1);
    const spec = ppoSpec('Pendulum-v1', { algorithm: { action_pdtype: 'Beta' } });
    let msg = '';
    try {
      checkAgentSpec(spec, env.singleObservationSpace, env.singleActionSpace);
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toBe("action_pdtype Beta: not built yet; PPO: agent.algorithm.action_pdtype 'Beta' for a Box action space; built: default, Normal");
    const base = ppoSpec('Pendulum-v1');
    const noOptim = { ...base, agent: { ...base.agent, net: { ...base.agent.net, optim_spec: null, actor_optim_spec: null, critic_optim_spec: null } } };
    expect(() => checkAgentSpec(noOptim, env.singleObservationSpace, env.singleActionSpace)).toThrow(/actor_optim_spec and critic_optim_spec/);
  });
});

for (const name of ['cpu', 'wasm'] as const) {
  describe(`PPO smoke on ${name}`, () => {
    it('CartPole (separate nets, categorical): updates on schedule with finite stats, eval is greedy', async () => {
      const b = await backend(name);
      const env = makeVectorEnv('CartPole-v1', 2);
      const agent = makeAgent(b, ppoSpec('CartPole-v1'), env);
      const stats = trainFor(agent, env, 96);
      expect(stats).toHaveLength(3); // every 32 vector steps
      for (const s of stats) {
        expect(s.optSteps).toBe(2 * 4); // 2 epochs x 64/16 minibatches
        expect(Number.isFinite(s.loss) && Number.isFinite(s.gradNorm)).toBe(true);
        expect(s.terms.entropy).toBeGreaterThan(0);
        expect(s.terms.entropy).toBeLessThanOrEqual(Math.log(2) + 1e-6);
        expect(s.terms.approx_kl).toBeGreaterThanOrEqual(0);
        expect(s.terms.clip_fraction).toBeGreaterThanOrEqual(0);
        expect(s.terms.clip_fraction).toBeLessThanOrEqual(1);
      }
      // the policy moves during an update: the later minibatches see ratios away from 1
      expect(stats.some((s) => s.terms.approx_kl > 0)).toBe(true);
      const obs = env.reset({ seed: 3 });
      expect(Array.from(agent.act(obs, 'eval'))).toEqual(Array.from(agent.act(obs, 'eval')));
      expect(agent.scalars().entropy).toBeCloseTo(stats[2].terms.entropy, 6);
      agent.dispose();
    });
    it('Pendulum (shared net, Gaussian, orthogonal init, normalised v targets): act returns raw samples (the env side clips)', async () => {
      const b = await backend(name);
      const env = makeVectorEnv('Pendulum-v1', 2);
      const spec = ppoSpec('Pendulum-v1', {
        algorithm: { normalize_v_targets: true, clip_vloss: true },
        net: { shared: true, init_fn: 'orthogonal_', hid_layers_activation: 'relu', optim_spec: { name: 'Adam', lr: 3e-4 }, actor_optim_spec: null, critic_optim_spec: null, log_std_init: 1.5 },
      });
      const agent = makeAgent(b, spec, env);
      const stats = trainFor(agent, env, 64);
      expect(stats).toHaveLength(2);
      expect(stats.every((s) => Number.isFinite(s.loss))).toBe(true);
      const obs = env.reset({ seed: 1 });
      const samples = Array.from({ length: 10 }, () => agent.act(obs, 'train') as Float32Array);
      expect(samples[0]).toBeInstanceOf(Float32Array);
      // sigma = e^1.5 ~ 4.5: some of 20 raw samples leave [-2, 2]; nothing in the agent clips them
      expect(samples.some((a) => a.some((x) => Math.abs(x) > 2))).toBe(true);
      expect(Object.keys(agent.weights())).toEqual(expect.arrayContaining(['body/l0/kernel', 'pi/l0/kernel', 'v/l0/bias', 'pi/log_std']));
      agent.dispose();
    });
  });
}

describe('PPO continuous policy forms (wasm)', () => {
  it('without log_std_init: SLM Lab\'s state-dependent scale head ([means, log-scales]), no log_std parameter', async () => {
    const b = await backend('wasm');
    const env = makeVectorEnv('Pendulum-v1', 2);
    const agent = makeAgent(b, ppoSpec('Pendulum-v1', { net: { log_std_init: null } }), env);
    const w = agent.weights();
    expect(Object.keys(w).some((k) => k.endsWith('log_std'))).toBe(false);
    const head = Object.keys(w).filter((k) => k.startsWith('actor/') && k.endsWith('bias')).pop() as string;
    expect(w[head].length).toBe(2); // 1 action dim: one mean, one log-scale
    const stats = trainFor(agent, env, 64);
    expect(stats.every((s) => Number.isFinite(s.loss) && Number.isFinite(s.terms.entropy))).toBe(true);
    const obs = env.reset({ seed: 4 });
    expect(Array.from(agent.act(obs, 'eval'))).toEqual(Array.from(agent.act(obs, 'eval')));
    agent.dispose();
  });
  it('with log_std_init: a learnable log_std vector starting there', async () => {
    const b = await backend('wasm');
    const env = makeVectorEnv('Pendulum-v1', 2);
    const agent = makeAgent(b, ppoSpec('Pendulum-v1', { net: { log_std_init: -0.5 } }), env);
    expect(Array.from(agent.weights()['actor/log_std'])).toEqual([-0.5]);
    agent.dispose();
  });
});

describe('PPO state and determinism (wasm)', () => {
  it('keeps tf.memory().numTensors flat across many updates', async () => {
    const b = await backend('wasm');
    const env = makeVectorEnv('Pendulum-v1', 2);
    const agent = makeAgent(b, ppoSpec('Pendulum-v1'), env);
    trainFor(agent, env, 32);
    const n0 = b.tf.memory().numTensors;
    trainFor(agent, env, 32 * 6);
    expect(b.tf.memory().numTensors).toBe(n0);
    agent.dispose();
  });
  it('same seed and inputs -> identical parameters after updates', async () => {
    const b = await backend('wasm');
    expectSameSeedSameWeights((seed) => {
      const env = makeVectorEnv('CartPole-v1', 2);
      return { agent: makeAgent(b, ppoSpec('CartPole-v1'), env, seed), env };
    }, 64);
  });
  it('getState -> fresh agent -> setState: same eval actions, and training continues identically', async () => {
    const b = await backend('wasm');
    const spec = ppoSpec('Pendulum-v1', { algorithm: { normalize_v_targets: true } });
    const make: MakeAgent = (seed) => {
      const env = makeVectorEnv('Pendulum-v1', 2);
      return { agent: makeAgent(b, spec, env, seed), env };
    };
    expectResumesIdentically(make, 32, (state, a, c, envA) => {
      const obs = envA.reset({ seed: 11 });
      expect(Array.from(c.act(obs, 'eval'))).toEqual(Array.from(a.act(obs, 'eval')));
      expect(() => c.setState({ ...state, algorithm: 'DQN' })).toThrow(/cannot load a DQN state/);
    });
  });
});

describe('PPO on SLM Lab\'s ppo_cartpole spec (wasm)', () => {
  it('trains every 256 x 4 frames with 15 epochs x 8 minibatches = 120 optimizer steps', async () => {
    const b = await backend('wasm');
    const file = fileURLToPath(new URL('../../../../../shared/slm_lab_specs/benchmark/ppo/ppo_cartpole.json', import.meta.url));
    const env = makeVectorEnv('CartPole-v1', 4);
    const agent = makeAgent(b, loadSpec(file, 'ppo_cartpole'), env, 1, false);
    const steps = trainFor(agent, env, 256 * 3).map((s) => s.optSteps);
    expect(steps).toEqual([120, 120, 120]);
    agent.dispose();
  });
});

describe('PPO options (wasm)', () => {
  it('dev checks throw AgentCheckError when an update changes no parameter (lr too small to move float32 weights)', async () => {
    const b = await backend('wasm');
    const env = makeVectorEnv('CartPole-v1', 2);
    const spec = ppoSpec('CartPole-v1', { net: { actor_optim_spec: { name: 'Adam', lr: 1e-30 }, critic_optim_spec: { name: 'Adam', lr: 1e-30 } } });
    const agent = makeAgent(b, spec, env);
    expect(() => trainFor(agent, env, 32)).toThrow(AgentCheckError);
    agent.dispose();
    const quiet = makeAgent(b, spec, env, 1, false);
    expect(trainFor(quiet, env, 32)).toHaveLength(1);
    quiet.dispose();
  });
  it('OnPolicyReplay trains after each finished episode (training_frequency 1)', async () => {
    const b = await backend('wasm');
    const env = makeVectorEnv('CartPole-v1', 1);
    const base = ppoSpec('CartPole-v1', { numEnvs: 1 });
    const spec = { ...base, agent: { ...base.agent, memory: { ...base.agent.memory, name: 'OnPolicyReplay' as const } } };
    const agent = makeAgent(b, spec, env);
    const trainedAt = episodesAtUpdates(agent, env, 400);
    expect(trainedAt).toEqual([1, 2]);
    agent.dispose();
  });
  it('an lr schedule lowers the lr the agent reports', async () => {
    const b = await backend('wasm');
    const env = makeVectorEnv('CartPole-v1', 2);
    const agent = makeAgent(b, ppoSpec('CartPole-v1', { net: { lr_scheduler_spec: { name: 'LinearToZero', frame: 128 } } }), env);
    expect(agent.scalars().lr).toBeCloseTo(3e-4, 12);
    trainFor(agent, env, 32); // trains at frame 64 -> lr = 3e-4 * (1 - 64/128)
    expect(agent.scalars().lr).toBeCloseTo(1.5e-4, 12);
    agent.dispose();
  });
});

describe('PPO advantage normalisation and minibatch size (wasm)', () => {
  it('a missing minibatch_size takes SLM Lab\'s default 4, rounded up to a multiple of num_envs, at most the batch', () => {
    expect(ppoMinibatchSize(null, 1, 64)).toBe(4);
    expect(ppoMinibatchSize(null, 3, 64)).toBe(6);
    expect(ppoMinibatchSize(10, 4, 64)).toBe(12);
    expect(ppoMinibatchSize(256, 4, 64)).toBe(64);
  });
  it('runs without minibatch_size (2 epochs x 64 / 4 minibatches) and with normalize_advantages percentile', async () => {
    const b = await backend('wasm');
    const env = makeVectorEnv('CartPole-v1', 2);
    const base = ppoSpec('CartPole-v1');
    // The schema on this branch types normalize_advantages as a boolean and requires minibatch_size;
    // the agent reads SLM Lab 5.3's 'percentile' and a missing minibatch_size all the same.
    const spec = { ...base, agent: { ...base.agent, algorithm: { ...base.agent.algorithm, minibatch_size: null, normalize_advantages: 'percentile' as unknown as boolean } } };
    const agent = makeAgent(b, spec, env);
    const stats = trainFor(agent, env, 32);
    expect(stats.map((s) => s.optSteps)).toEqual([2 * 16]);
    expect(Number.isFinite(stats[0].loss)).toBe(true);
    const meta = agent.getState().meta.advPercentiles as number[];
    expect(meta[1]).toBeGreaterThan(meta[0]); // the EMA of p95 and p5 moved from 0
    const std = makeAgent(b, { ...spec, agent: { ...spec.agent, algorithm: { ...spec.agent.algorithm, normalize_advantages: true } } }, env);
    trainFor(std, env, 32);
    expect(std.weights()['actor/l0/kernel']).not.toEqual(agent.weights()['actor/l0/kernel']);
    agent.dispose();
    std.dispose();
  });
});
