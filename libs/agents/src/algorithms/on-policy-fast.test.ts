import { describe, expect, it } from 'vitest';
import { initBackend, nativeKernelsAvailable, type ComputeBackend } from '@gymlab/backends';
import { makeVectorEnv } from '@gymlab/envs';
import { loadSpec, type Spec } from '@gymlab/spec';
import { fileURLToPath } from 'node:url';
import { NotBuiltError, type Agent, type TrainStats } from '../types.js';
import { checkAgentSpec } from '../registry.js';
import { ActorCriticAgent } from './actor-critic.js';
import type { OnPolicyAgentBase } from './on-policy-agent.js';
import { PpoAgent } from './ppo.js';
import { agentFor, trainFor } from '../test-utils/train.js';
import { a2cSpec, ppoSpec, type OnPolicyOverrides } from '../test-utils/on-policy-specs.js';
import { expectResumesIdentically, expectSameSeedSameWeights, type MakeAgent } from '../test-utils/determinism.js';

let fastBackend: ComputeBackend | undefined;
async function fast(): Promise<ComputeBackend> {
  fastBackend ??= await initBackend({ gpu: false, backend: 'fast' });
  return fastBackend;
}

type SpecOf = (env: string, over?: OnPolicyOverrides) => Spec;

/** `spec` with `agent.net.backend: fast`. */
const onFast = (spec: SpecOf): SpecOf => (env, over = {}) => spec(env, { ...over, net: { backend: 'fast', ...over.net } });
const fastSpec = onFast(ppoSpec);

/** PPO and ActorCritic (A2C): the same agent class on either compute. */
const ALGORITHMS = [
  ['PPO', ppoSpec, PpoAgent],
  ['ActorCritic', a2cSpec, ActorCriticAgent],
] as const;

const computeOf = (a: Agent): string => (a as OnPolicyAgentBase).computePath;

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

describe('PPO and ActorCritic (A2C) on the fast compute', () => {
  // Discrete (Categorical) and Box (diagonal Gaussian: log-scale head, or a learnable log-std)
  const policies = [
    ['CartPole-v1, default init, tanh', 'CartPole-v1', {}],
    ['CartPole-v1, orthogonal_ init (gains sqrt 2, 0.01, 1), relu', 'CartPole-v1', { net: { init_fn: 'orthogonal_', hid_layers_activation: 'relu' } }],
    ['Pendulum-v1, log-scale head', 'Pendulum-v1', {}],
    ['Pendulum-v1, learnable log-std from log_std_init -0.5, orthogonal_', 'Pendulum-v1', { net: { log_std_init: -0.5, init_fn: 'orthogonal_' } }],
  ] as const;

  const cases = ALGORITHMS.flatMap(([name, spec, cls]) => policies.map(([what, envName, over]) => [`${name}, ${what}`, spec, cls, envName, over] as const));

  it.each(cases)('the registry gives the agent on the fast compute, with the tfjs compute\'s initial weights and tensor names (%s)', async (_what, spec, cls, envName, over: OnPolicyOverrides) => {
    const env = makeVectorEnv(envName, 2);
    const f = agentFor(await fast(), onFast(spec)(envName, over), env, 7);
    const t = agentFor(await initBackend({ gpu: false, backend: 'wasm' }), spec(envName, over), env, 7);
    expect(f).toBeInstanceOf(cls);
    expect(t).toBeInstanceOf(cls);
    expect([computeOf(f), computeOf(t)]).toEqual(['fast', 'tfjs']);
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

  // A2C also with normalize_v_targets: V(s) through the ReturnNormalizer's scale and clip
  const updateCases = [...cases, ['ActorCritic, Pendulum-v1, normalize_v_targets', a2cSpec, ActorCriticAgent, 'Pendulum-v1', { algorithm: { normalize_v_targets: true } }] as const];

  it.each(updateCases)('the first update moves the weights as the tfjs compute does (same seed, same batch), within 1e-4, on fast and on native where built (%s)', async (_what, spec, _cls, envName, over: OnPolicyOverrides) => {
    const after = (b: ComputeBackend, s: Spec): Readonly<Record<string, Float32Array>> => {
      const env = makeVectorEnv(envName, 2);
      const agent = agentFor(b, s, env, 3);
      expect(trainFor(agent, env, spec === ppoSpec ? 32 : 16)).toHaveLength(1); // horizons: PPO 32, A2C 16 steps
      return agent.weights();
    };
    const wf = after(await fast(), onFast(spec)(envName, over));
    // native where it is built (@gymlab/backends' kernels.test.ts fails where it should be and is not)
    const onNative = (s: Spec): Spec => ({ ...s, agent: { ...s.agent, net: { ...s.agent.net, backend: 'native' } } });
    const wn = nativeKernelsAvailable() ? [after(await initBackend({ gpu: false, backend: 'native' }), onNative(onFast(spec)(envName, over)))] : [];
    const wt = after(await initBackend({ gpu: false, backend: 'wasm' }), spec(envName, over));
    let moved = 0;
    const init = agentFor(await fast(), onFast(spec)(envName, over), makeVectorEnv(envName, 2), 3).weights();
    for (const k of Object.keys(wt)) {
      wt[k].forEach((x, i) => {
        for (const w of [wf, ...wn]) expect(Math.abs(w[k][i] - x), `${k}[${i}]`).toBeLessThan(1e-4);
        moved = Math.max(moved, Math.abs(x - init[k][i]));
      });
    }
    expect(moved).toBeGreaterThan(1e-3);
  });

  // PPO: 2 epochs x 4 minibatches per 32-step update; A2C: one step per 16-step batch
  it.each([['PPO', ppoSpec, [8, 8, 8]], ['ActorCritic', a2cSpec, [1, 1, 1, 1, 1, 1]]] as const)(
    "smoke (%s): updates on schedule whose loss, gradient norm and terms are the tfjs compute's; eval is greedy",
    async (_name, spec, optSteps) => {
      const run = (b: ComputeBackend, s: Spec): { stats: TrainStats[]; agent: Agent } => {
        const agent = agentFor(b, s, makeVectorEnv('CartPole-v1', 2));
        return { stats: trainFor(agent, makeVectorEnv('CartPole-v1', 2), 96), agent };
      };
      const f = run(await fast(), onFast(spec)('CartPole-v1'));
      const t = run(await initBackend({ gpu: false, backend: 'wasm' }), spec('CartPole-v1'));
      expect(f.stats.map((s) => s.optSteps)).toEqual(optSteps);
      f.stats.forEach((s, i) => {
        const want = t.stats[i];
        expect(s.loss).toBeCloseTo(want.loss, 3);
        expect(s.gradNorm).toBeCloseTo(want.gradNorm, 3);
        expect(Object.keys(s.terms).sort()).toEqual(Object.keys(want.terms).sort());
        for (const k of Object.keys(want.terms)) expect(s.terms[k], k).toBeCloseTo(want.terms[k], 3);
      });
      if (spec === ppoSpec) expect(f.stats.some((s) => s.terms.approx_kl > 0)).toBe(true);
      const probe = makeVectorEnv('CartPole-v1', 2).reset({ seed: 3 });
      expect(Array.from(f.agent.act(probe, 'eval'))).toEqual(Array.from(f.agent.act(probe, 'eval')));
      expect(f.agent.scalars().entropy).toBeCloseTo(f.stats[f.stats.length - 1].terms.entropy, 6);
      t.agent.dispose();
    },
  );

  it.each(ALGORITHMS)("action_pdtype GumbelSoftmax (%s): the fast compute acts by the same Gumbel-max draws as the tfjs compute", async (_name, spec) => {
    const over = { algorithm: { action_pdtype: 'GumbelSoftmax' } };
    const probe = makeVectorEnv('CartPole-v1', 2).reset({ seed: 4 });
    const draws = (a: Agent): number[] => Array.from({ length: 20 }, () => Array.from(a.act(probe, 'train'))).flat();
    const f = agentFor(await fast(), onFast(spec)('CartPole-v1', over), makeVectorEnv('CartPole-v1', 2), 5);
    const t = agentFor(await initBackend({ gpu: false, backend: 'wasm' }), spec('CartPole-v1', over), makeVectorEnv('CartPole-v1', 2), 5);
    const df = draws(f);
    expect(df).toEqual(draws(t));
    expect(new Set(df).size).toBe(2); // both actions drawn
    t.dispose();
  });

  it('an lr schedule lowers the lr of both nets', async () => {
    const env = makeVectorEnv('CartPole-v1', 2);
    const agent = agentFor(await fast(), fastSpec('CartPole-v1', { net: { lr_scheduler_spec: { name: 'LinearToZero', frame: 128 } } }), env);
    expect(agent.scalars().lr).toBeCloseTo(3e-4, 12);
    trainFor(agent, env, 32);
    expect(agent.scalars().lr).toBeCloseTo(1.5e-4, 12);
  });

  it.each(ALGORITHMS)('same seed and inputs -> identical parameters after updates (%s)', async (_name, spec) => {
    const b = await fast();
    expectSameSeedSameWeights((seed) => {
      const env = makeVectorEnv('CartPole-v1', 2);
      return { agent: agentFor(b, onFast(spec)('CartPole-v1', { algorithm: { normalize_v_targets: true } }), env, seed), env };
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

  it('save/load round trip of ActorCritic with normalize_v_targets: the ReturnNormalizer and both optimizers restored', async () => {
    const b = await fast();
    const spec = onFast(a2cSpec)('CartPole-v1', { algorithm: { normalize_v_targets: true } });
    const make: MakeAgent = (seed) => ({ agent: agentFor(b, spec, makeVectorEnv('CartPole-v1', 2), seed), env: makeVectorEnv('CartPole-v1', 2) });
    const state = expectResumesIdentically(make, 32, (saved, a, c) => {
      const probe = makeVectorEnv('CartPole-v1', 2).reset({ seed: 11 });
      expect(Array.from(c.act(probe, 'eval'))).toEqual(Array.from(a.act(probe, 'eval')));
      expect(c.getState().meta.retNorm).toEqual(saved.meta.retNorm);
    });
    expect(state.tensors['optim0/step'].data[0]).toBe(2); // two 16-step batches, one step each
    expect(state.algorithm).toBe('ActorCritic');
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

  it("runs SLM Lab's a2c_gae_cartpole on the fast compute when the spec names no backend", async () => {
    const file = fileURLToPath(new URL('../../../../../shared/slm_lab_specs/benchmark/a2c/a2c_gae_cartpole.json', import.meta.url));
    const spec = loadSpec(file, 'a2c_gae_cartpole');
    expect(spec.agent.net.backend).toBeNull();
    const env = makeVectorEnv('CartPole-v1', 4);
    const agent = agentFor(await initBackend({ gpu: false, backend: null, fastFits: true }), spec, env, 1, false);
    expect(computeOf(agent)).toBe('fast');
    expect(trainFor(agent, env, 32 * 2).map((s) => s.optSteps)).toEqual([1, 1]);
  });

  it('refuses what the fast path has not built, in one line naming it', () => {
    expect(refusal(fastSpec('CartPole-v1', { net: { shared: true, optim_spec: { name: 'Adam', lr: 1e-3 } } }), 'CartPole-v1')).toMatch(/^backend fast: agent.net.shared true not built yet/);
    expect(refusal(fastSpec('CartPole-v1', { net: { hid_layers_activation: 'sigmoid' } }), 'CartPole-v1')).toMatch(/^backend fast: activation 'sigmoid' not built yet/);
    expect(refusal(fastSpec('CartPole-v1', { net: { actor_optim_spec: { name: 'RMSprop', lr: 1e-3 } } }), 'CartPole-v1')).toMatch(/^backend fast: agent.net.actor_optim_spec.name 'RMSprop' not built yet/);
    const batch = fastSpec('CartPole-v1');
    const episodic = { ...batch, agent: { ...batch.agent, memory: { ...batch.agent.memory, name: 'OnPolicyReplay' as const } } };
    expect(refusal(episodic, 'CartPole-v1')).toMatch(/^backend fast: agent.memory.name 'OnPolicyReplay' not built yet/);
    const ppo = fastSpec('CartPole-v1');
    const other = { ...ppo, agent: { ...ppo.agent, algorithm: { ...ppo.agent.algorithm, name: 'PPOSIL' as const } } };
    expect(refusal(other, 'CartPole-v1')).toMatch(/^backend fast: algorithm PPOSIL not built yet; it runs PPO, ActorCritic/);
    expect(refusal(onFast(a2cSpec)('CartPole-v1', { net: { shared: true, optim_spec: { name: 'Adam', lr: 1e-3 } } }), 'CartPole-v1')).toMatch(/^backend fast: agent.net.shared true not built yet; it runs PPO and ActorCritic/);
    expect(refusal(onFast(a2cSpec)('Pendulum-v1'), 'Pendulum-v1')).toBe('');
    expect(refusal(fastSpec('Pendulum-v1'), 'Pendulum-v1')).toBe(''); // Box actions run (diagonal Gaussian)
    for (const m of [refusal(episodic, 'CartPole-v1'), refusal(other, 'CartPole-v1')]) expect(m.split('\n')).toHaveLength(1);
  });
});
