import { describe, expect, it } from 'vitest';
import { initBackend, type ComputeBackend } from '@gymlab/backends';
import { makeVectorEnv } from '@gymlab/envs';
import { loadSpec } from '@gymlab/spec';
import { fileURLToPath } from 'node:url';
import { AgentCheckError } from '../types.js';
import { implementedAlgorithms } from '../registry.js';
import { agentFor, episodesAtUpdates, trainFor, trainUntil } from '../test-utils/train.js';
import { a2cSpec } from '../test-utils/on-policy-specs.js';
import { expectResumesIdentically, expectSameSeedSameWeights, type MakeAgent } from '../test-utils/determinism.js';
import { advantageEstimator, advantagesAndTargets } from './actor-critic.js';

const A2C_SPEC = fileURLToPath(new URL('../../../../../shared/slm_lab_specs/benchmark/a2c/a2c_gae_cartpole.json', import.meta.url));

let wasm: ComputeBackend | null = null;
async function backend(): Promise<ComputeBackend> {
  wasm ??= await initBackend({ gpu: false, backend: 'wasm' });
  return wasm;
}
const makeAgent = agentFor;

describe('ActorCritic advantages (hand-computed)', () => {
  const b = { rewards: Float64Array.of(1, 1, 1), terminated: Uint8Array.of(0, 0, 1), truncated: Uint8Array.of(0, 0, 0), numEnvs: 1 };
  const values = Float64Array.of(0.5, 0.5, 0.5);
  const next = Float64Array.of(2, 2, 2);
  it('lam picks GAE, else num_step_returns picks n-step, else plain returns', () => {
    expect(advantageEstimator(0.9, 5)).toEqual({ kind: 'gae', lam: 0.9 });
    expect(advantageEstimator(null, 5)).toEqual({ kind: 'nstep', n: 5 });
    expect(advantageEstimator(null, null)).toEqual({ kind: 'returns' });
  });
  it('plain returns: G = [1 + .5 + .25, 1.5, 1] (terminated at the end), A = G - V', () => {
    const { advantages, vTargets } = advantagesAndTargets({ kind: 'returns' }, b, values, next, 0.5);
    expect(Array.from(vTargets)).toEqual([1.75, 1.5, 1]);
    expect(Array.from(advantages)).toEqual([1.25, 1, 0.5]);
  });
  it('2-step: R_0 = 1 + .5 * 1 + .25 * V(s_2) = 2; R_1 = 1 + .5 * 1 = 1.5 (terminal); R_2 = 1', () => {
    const { advantages, vTargets } = advantagesAndTargets({ kind: 'nstep', n: 2 }, b, values, next, 0.5);
    expect(Array.from(vTargets)).toEqual([2, 1.5, 1]);
    expect(Array.from(advantages)).toEqual([1.5, 1, 0.5]);
  });
  it('GAE with lam 1 equals the returns; targets are A + V', () => {
    // V(s') consistent with V(s) of the next row (0.5), so GAE(lam = 1) telescopes to G - V
    const g = advantagesAndTargets({ kind: 'gae', lam: 1 }, b, values, Float64Array.of(0.5, 0.5, 2), 0.5);
    expect(Array.from(g.vTargets)).toEqual([1.75, 1.5, 1]);
  });
});

describe('ActorCritic smoke (wasm)', () => {
  it('is registered (A2C is its alias) and trains every training_frequency steps with one optimizer step', async () => {
    expect(implementedAlgorithms()).toContain('ActorCritic');
    const b = await backend();
    const env = makeVectorEnv('CartPole-v1', 2);
    const agent = makeAgent(b, a2cSpec('CartPole-v1'), env);
    expect(agent.algorithmName).toBe('ActorCritic');
    const stats = trainFor(agent, env, 48);
    expect(stats.map((s) => s.optSteps)).toEqual([1, 1, 1]);
    for (const s of stats) {
      expect(Number.isFinite(s.loss) && Number.isFinite(s.gradNorm)).toBe(true);
      expect(s.terms.entropy).toBeGreaterThan(0);
      expect(s.terms.entropy).toBeLessThanOrEqual(Math.log(2) + 1e-6);
    }
    const obs = env.reset({ seed: 3 });
    expect(Array.from(agent.act(obs, 'eval'))).toEqual(Array.from(agent.act(obs, 'eval')));
    agent.dispose();
  });
  it('shared net, continuous actions, n-step returns (batch of num_step_returns steps), normalize_v_targets', async () => {
    const b = await backend();
    const env = makeVectorEnv('Pendulum-v1', 2);
    const spec = a2cSpec('Pendulum-v1', {
      algorithm: { lam: null, num_step_returns: 8, normalize_v_targets: true },
      net: { shared: true, optim_spec: { name: 'Adam', lr: 1e-3 }, actor_optim_spec: null, critic_optim_spec: null },
    });
    const agent = makeAgent(b, spec, env);
    const stats = trainFor(agent, env, 32);
    expect(stats).toHaveLength(4);
    expect(stats.every((s) => Number.isFinite(s.loss) && Number.isFinite(s.terms.entropy))).toBe(true);
    expect(agent.act(env.reset({ seed: 0 }), 'train')).toBeInstanceOf(Float32Array);
    expect(Object.keys(agent.weights())).toEqual(expect.arrayContaining(['body/l0/kernel', 'pi/l0/kernel', 'v/l0/bias']));
    agent.dispose();
  });
  it('OnPolicyReplay trains after training_frequency finished episodes; plain returns without lam', async () => {
    const b = await backend();
    const env = makeVectorEnv('CartPole-v1', 1);
    const agent = makeAgent(b, a2cSpec('CartPole-v1', { numEnvs: 1, algorithm: { lam: null, training_frequency: 2 }, memory: { name: 'OnPolicyReplay' } }), env);
    const trainedAt = episodesAtUpdates(agent, env, 600, 2, (stats) => expect(stats.optSteps).toBe(1));
    expect(trainedAt).toEqual([2, 4]);
    agent.dispose();
  });
  it('dev checks throw when an update changes no parameter', async () => {
    const b = await backend();
    const env = makeVectorEnv('CartPole-v1', 2);
    const agent = makeAgent(b, a2cSpec('CartPole-v1', { net: { actor_optim_spec: { name: 'Adam', lr: 1e-30 }, critic_optim_spec: { name: 'Adam', lr: 1e-30 } } }), env);
    expect(() => trainFor(agent, env, 16)).toThrow(AgentCheckError);
    agent.dispose();
  });
});

describe('ActorCritic state and determinism (wasm)', () => {
  it('same seed -> identical parameters; getState -> setState continues identically', async () => {
    const b = await backend();
    const spec = a2cSpec('CartPole-v1', { algorithm: { normalize_v_targets: true } });
    const make: MakeAgent = (seed) => {
      const env = makeVectorEnv('CartPole-v1', 2);
      return { agent: makeAgent(b, spec, env, seed), env };
    };
    expectSameSeedSameWeights(make, 64);
    expectResumesIdentically(make, 32, (state, _a, c) => {
      expect(() => c.setState({ ...state, algorithm: 'PPO' })).toThrow(/cannot load a PPO state into a ActorCritic agent/);
      c.setState(state);
    });
  });
});

// wasm: the tfjs compute; fast: the same agent on the fast CPU compute (a2c_gae_cartpole's default on CPU)
describe.each([['wasm'], ['fast']] as const)('ActorCritic learns CartPole-v1 (SLM Lab a2c_gae_cartpole, %s)', (name) => {
  it('reaches a mean return >= 195 over 20 episodes within 60k frames', async () => {
    const b = name === 'wasm' ? await backend() : await initBackend({ gpu: false, backend: 'fast' });
    const spec = loadSpec(A2C_SPEC, 'a2c_gae_cartpole');
    const env = makeVectorEnv('CartPole-v1', spec.env.num_envs);
    const agent = makeAgent(b, spec, env, 1, false);
    const { best, frames } = trainUntil(agent, env, { maxFrames: 60_000, seed: 1, target: 195 });
    agent.dispose();
    expect(best, `best 20-episode mean ${best.toFixed(1)} after ${frames} frames`).toBeGreaterThanOrEqual(195);
  }, 60_000);
});
