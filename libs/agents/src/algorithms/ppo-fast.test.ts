import { describe, expect, it } from 'vitest';
import { initBackend, type ComputeBackend } from '@gymlab/backends';
import { makeVectorEnv } from '@gymlab/envs';
import { loadSpec, type Spec } from '@gymlab/spec';
import { fileURLToPath } from 'node:url';
import { NotBuiltError, type Agent, type TrainStats } from '../types.js';
import { checkAgentSpec } from '../registry.js';
import { FastPpoAgent } from './ppo-fast.js';
import { PpoAgent } from './ppo.js';
import { agentFor, trainFor } from '../test-utils/train.js';
import { ppoSpec, type OnPolicyOverrides } from '../test-utils/on-policy-specs.js';
import { expectResumesIdentically, expectSameSeedSameWeights, type MakeAgent } from '../test-utils/determinism.js';

let fastBackend: ComputeBackend | undefined;
async function fast(): Promise<ComputeBackend> {
  fastBackend ??= await initBackend({ gpu: false, backend: 'fast' });
  return fastBackend;
}

function fastSpec(env: string, over: OnPolicyOverrides = {}): Spec {
  return ppoSpec(env, { ...over, net: { backend: 'fast', ...over.net } });
}

function refusal(spec: Spec, envName: string): string {
  const env = makeVectorEnv(envName, 1);
  try {
    checkAgentSpec(spec, env.singleObservationSpace, env.singleActionSpace);
  } catch (e) {
    expect(e).toBeInstanceOf(NotBuiltError);
    return (e as Error).message;
  }
  return '';
}

describe('PPO on backend fast', () => {
  // Discrete (Categorical) and Box (diagonal Gaussian: log-scale head, or a learnable log-std)
  const policies = [
    ['CartPole-v1, default init, tanh', 'CartPole-v1', {}],
    ['CartPole-v1, orthogonal_ init (gains sqrt 2, 0.01, 1), relu', 'CartPole-v1', { net: { init_fn: 'orthogonal_', hid_layers_activation: 'relu' } }],
    ['Pendulum-v1, log-scale head', 'Pendulum-v1', {}],
    ['Pendulum-v1, learnable log-std from log_std_init -0.5, orthogonal_', 'Pendulum-v1', { net: { log_std_init: -0.5, init_fn: 'orthogonal_' } }],
  ] as const;

  it.each(policies)('the registry gives a FastPpoAgent whose initial weights and tensor names are the tfjs PpoAgent\'s (%s)', async (_what, envName, over: OnPolicyOverrides) => {
    const env = makeVectorEnv(envName, 2);
    const f = agentFor(await fast(), fastSpec(envName, over), env, 7);
    const t = agentFor(await initBackend({ gpu: false, backend: 'wasm' }), ppoSpec(envName, over), env, 7);
    expect(f).toBeInstanceOf(FastPpoAgent);
    expect(t).toBeInstanceOf(PpoAgent);
    const wf = f.weights();
    const wt = t.weights();
    expect(Object.keys(wf).sort()).toEqual(Object.keys(wt).sort());
    for (const k of Object.keys(wt)) expect(Array.from(wf[k]), k).toEqual(Array.from(wt[k]));
    const sf = f.getState().tensors;
    const st = t.getState().tensors;
    expect(Object.keys(sf).sort()).toEqual(Object.keys(st).sort());
    for (const k of Object.keys(st)) expect(sf[k].shape, k).toEqual(st[k].shape);
    t.dispose();
  });

  it.each(policies)('one update moves the weights as the tfjs PPO does (same seed, same batch), within 1e-4 (%s)', async (_what, envName, over: OnPolicyOverrides) => {
    const after = (b: ComputeBackend, spec: Spec): Readonly<Record<string, Float32Array>> => {
      const env = makeVectorEnv(envName, 2);
      const agent = agentFor(b, spec, env, 3);
      expect(trainFor(agent, env, 32)).toHaveLength(1);
      return agent.weights();
    };
    const wf = after(await fast(), fastSpec(envName, over));
    const wt = after(await initBackend({ gpu: false, backend: 'wasm' }), ppoSpec(envName, over));
    let moved = 0;
    const init = agentFor(await fast(), fastSpec(envName, over), makeVectorEnv(envName, 2), 3).weights();
    for (const k of Object.keys(wt)) {
      wt[k].forEach((x, i) => {
        expect(Math.abs(wf[k][i] - x), `${k}[${i}]`).toBeLessThan(1e-4);
        moved = Math.max(moved, Math.abs(x - init[k][i]));
      });
    }
    expect(moved).toBeGreaterThan(1e-3);
  });

  it('smoke: three updates on schedule whose loss, gradient norm and terms are the tfjs PPO\'s; eval is greedy', async () => {
    const run = (b: ComputeBackend, spec: Spec): { stats: TrainStats[]; agent: Agent } => {
      const agent = agentFor(b, spec, makeVectorEnv('CartPole-v1', 2));
      return { stats: trainFor(agent, makeVectorEnv('CartPole-v1', 2), 96), agent };
    };
    const f = run(await fast(), fastSpec('CartPole-v1'));
    const t = run(await initBackend({ gpu: false, backend: 'wasm' }), ppoSpec('CartPole-v1'));
    expect(f.stats.map((s) => s.optSteps)).toEqual([8, 8, 8]);
    f.stats.forEach((s, i) => {
      const want = t.stats[i];
      expect(s.loss).toBeCloseTo(want.loss, 3);
      expect(s.gradNorm).toBeCloseTo(want.gradNorm, 3);
      expect(Object.keys(s.terms).sort()).toEqual(Object.keys(want.terms).sort());
      for (const k of Object.keys(want.terms)) expect(s.terms[k], k).toBeCloseTo(want.terms[k], 3);
    });
    expect(f.stats.some((s) => s.terms.approx_kl > 0)).toBe(true);
    const probe = makeVectorEnv('CartPole-v1', 2).reset({ seed: 3 });
    expect(Array.from(f.agent.act(probe, 'eval'))).toEqual(Array.from(f.agent.act(probe, 'eval')));
    expect(f.agent.scalars().entropy).toBeCloseTo(f.stats[2].terms.entropy, 6);
    t.agent.dispose();
  });

  it('an lr schedule lowers the lr of both nets', async () => {
    const env = makeVectorEnv('CartPole-v1', 2);
    const agent = agentFor(await fast(), fastSpec('CartPole-v1', { net: { lr_scheduler_spec: { name: 'LinearToZero', frame: 128 } } }), env);
    expect(agent.scalars().lr).toBeCloseTo(3e-4, 12);
    trainFor(agent, env, 32);
    expect(agent.scalars().lr).toBeCloseTo(1.5e-4, 12);
  });

  it('same seed and inputs -> identical parameters after updates', async () => {
    const b = await fast();
    expectSameSeedSameWeights((seed) => {
      const env = makeVectorEnv('CartPole-v1', 2);
      return { agent: agentFor(b, fastSpec('CartPole-v1', { algorithm: { normalize_v_targets: true } }), env, seed), env };
    }, 64);
  });

  it('save/load round trip: a fresh agent given the state acts and trains on as the saved one does', async () => {
    const b = await fast();
    const spec = fastSpec('CartPole-v1', { algorithm: { normalize_v_targets: true } });
    const make: MakeAgent = (seed) => ({ agent: agentFor(b, spec, makeVectorEnv('CartPole-v1', 2), seed), env: makeVectorEnv('CartPole-v1', 2) });
    const state = expectResumesIdentically(make, 32, (saved, a, c) => {
      const probe = makeVectorEnv('CartPole-v1', 2).reset({ seed: 11 });
      expect(Array.from(c.act(probe, 'eval'))).toEqual(Array.from(a.act(probe, 'eval')));
      expect(c.getState().meta.vRms).toEqual(saved.meta.vRms);
    });
    expect(state.tensors['optim1/step'].data[0]).toBe(8); // one update: 2 epochs x 4 minibatches of 16 (64 rows) on the critic
    const other = agentFor(b, spec, makeVectorEnv('CartPole-v1', 2), 9);
    expect(() => other.setState({ ...state, algorithm: 'SAC' })).toThrow(/cannot load a SAC state into a PPO agent/);
    const { ['critic/l0/bias']: _dropped, ...partial } = state.tensors;
    expect(() => other.setState({ ...state, tensors: partial })).toThrow(/'critic\/l0\/bias' is missing/);
  });

  it('save/load round trip with a learnable log-std (Pendulum-v1): actor/log_std and its moments restored', async () => {
    const b = await fast();
    const spec = fastSpec('Pendulum-v1', { net: { log_std_init: 0 } });
    const make: MakeAgent = (seed) => ({ agent: agentFor(b, spec, makeVectorEnv('Pendulum-v1', 2), seed), env: makeVectorEnv('Pendulum-v1', 2) });
    const state = expectResumesIdentically(make, 32, (_saved, a, c) => {
      const probe = makeVectorEnv('Pendulum-v1', 2).reset({ seed: 11 });
      expect(Array.from(c.act(probe, 'eval'))).toEqual(Array.from(a.act(probe, 'eval')));
    });
    expect(state.tensors['actor/log_std'].shape).toEqual([1]);
    expect(state.tensors['actor/log_std'].data[0]).not.toBe(0); // trained away from log_std_init
  });

  it('runs SLM Lab\'s ppo_cartpole with its 120 optimizer steps per update', async () => {
    const file = fileURLToPath(new URL('../../../../../shared/slm_lab_specs/benchmark/ppo/ppo_cartpole.json', import.meta.url));
    const base = loadSpec(file, 'ppo_cartpole');
    const spec = { ...base, agent: { ...base.agent, net: { ...base.agent.net, backend: 'fast' as const } } };
    const env = makeVectorEnv('CartPole-v1', 4);
    const agent = agentFor(await fast(), spec, env, 1, false);
    expect(trainFor(agent, env, 256 * 2).map((s) => s.optSteps)).toEqual([120, 120]);
  });

  it('refuses what the fast path has not built, in one line naming it', () => {
    expect(refusal(fastSpec('CartPole-v1', { net: { shared: true, optim_spec: { name: 'Adam', lr: 1e-3 } } }), 'CartPole-v1')).toMatch(/^backend fast: agent.net.shared true not built yet/);
    expect(refusal(fastSpec('CartPole-v1', { net: { hid_layers_activation: 'sigmoid' } }), 'CartPole-v1')).toMatch(/^backend fast: activation 'sigmoid' not built yet/);
    expect(refusal(fastSpec('CartPole-v1', { net: { actor_optim_spec: { name: 'RMSprop', lr: 1e-3 } } }), 'CartPole-v1')).toMatch(/^backend fast: agent.net.actor_optim_spec.name 'RMSprop' not built yet/);
    const batch = fastSpec('CartPole-v1');
    const episodic = { ...batch, agent: { ...batch.agent, memory: { ...batch.agent.memory, name: 'OnPolicyReplay' as const } } };
    expect(refusal(episodic, 'CartPole-v1')).toMatch(/^backend fast: agent.memory.name 'OnPolicyReplay' not built yet/);
    const a2c = fastSpec('CartPole-v1');
    const other = { ...a2c, agent: { ...a2c.agent, algorithm: { ...a2c.agent.algorithm, name: 'ActorCritic' as const } } };
    expect(refusal(other, 'CartPole-v1')).toMatch(/^backend fast: algorithm ActorCritic not built yet; it runs PPO/);
    expect(refusal(fastSpec('Pendulum-v1'), 'Pendulum-v1')).toBe(''); // Box actions run (diagonal Gaussian)
    for (const m of [refusal(episodic, 'CartPole-v1'), refusal(other, 'CartPole-v1')]) expect(m.split('\n')).toHaveLength(1);
  });
});
