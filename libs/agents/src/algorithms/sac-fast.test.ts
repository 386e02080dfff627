import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ComputeBackend } from '@gymlab/backends';
import { makeVectorEnv } from '@gymlab/envs';
import { Rng } from '@gymlab/random';
import { loadSpec, type Spec } from '@gymlab/spec';
import { checkAgentSpec } from '../registry.js';
import { NotBuiltError, type AgentContext } from '../types.js';
import { agentFor, trainFor } from '../test-utils/train.js';
import { thrown } from '../test-utils/thrown.js';
import { expectResumesIdentically, expectSameSeedSameWeights } from '../test-utils/determinism.js';
import { expectSameRounds, expectSameState } from '../test-utils/sac-compare.js';
import { sacConfigOf } from './sac-config.js';
import type { SacCompute } from './sac-compute.js';
import { FastSacCompute } from './sac-fast.js';
import { TfjsSacCompute } from './sac-tfjs.js';
import { FAST_PATH, initFastPathBackends } from '../test-utils/fast-path.js';

const FILE = fileURLToPath(new URL('../../../../../shared/slm_lab_specs/benchmark/sac/sac_pendulum.json', import.meta.url));

/** SLM Lab's sac_pendulum, smaller: 2 envs, nets 32x32, batch 64, training from frame 64. */
function pendulum(backend: 'fast' | 'native' | 'cpu', sets: readonly string[] = []): Spec {
  const small = ['env.num_envs=2', 'agent.net.hid_layers=[32,32]', 'agent.memory.batch_size=64', 'agent.algorithm.training_start_step=64', 'agent.algorithm.training_iter=2'];
  return loadSpec(FILE, 'sac_pendulum', { sets: [`agent.net.backend=${backend}`, ...small, ...sets] });
}

let fast: ComputeBackend;
let native: ComputeBackend | null = null;
let cpu: ComputeBackend;
beforeAll(async () => {
  ({ fast, native, cpu } = await initFastPathBackends());
});

const DISCRETE = ['agent.algorithm.action_pdtype=Categorical', 'env.name=CartPole-v1'];

function computes(sets: readonly string[], on: 'fast' | 'native' = 'fast'): { f: SacCompute; t: SacCompute; B: number } {
  const env = makeVectorEnv(sets.includes(DISCRETE[1]) ? 'CartPole-v1' : 'Pendulum-v1', 2);
  const ctx = (backend: ComputeBackend, spec: Spec): AgentContext => ({ spec, observationSpace: env.singleObservationSpace, actionSpace: env.singleActionSpace, numEnvs: 2, seed: 5, backend, devChecks: false });
  const init = (c: AgentContext) => ({ ctx: c, cfg: sacConfigOf(c.spec, c.actionSpace), seeds: [11, 12, 13] as const, maxBatch: 64 });
  const f = new FastSacCompute(init(ctx(on === 'native' && native !== null ? native : fast, pendulum(on, sets))));
  return { f, t: new TfjsSacCompute(init(ctx(cpu, pendulum('cpu', sets)))), B: 64 };
}

describe.each(FAST_PATH)('SAC on backend %s: the same numbers as the tfjs compute', (on) => {
  it.each([
    ['Adam, no clipping, MSELoss', []],
    ['AdamW, clip_grad_val 0.5, SmoothL1Loss', ['agent.net.optim_spec={"name":"AdamW","lr":0.001}', 'agent.net.clip_grad_val=0.5', 'agent.net.loss_spec={"name":"SmoothL1Loss"}']],
    ['discrete (CartPole), Categorical policy', DISCRETE],
  ] as [string, readonly string[]][])('two rounds of critic, policy, alpha and target steps move every tensor as tfjs does, within 1e-5 (%s)', (_what, sets) => {
    const { f, t, B } = computes(sets, on);
    expectSameRounds(f, t, { B, rounds: 2, discrete: sets.includes(DISCRETE[1]), rng: new Rng(9) });
    expectSameState(f.getState(), t.getState());
    t.dispose();
  });
});

describe('SAC on backend fast: the agent', () => {
  it('the registry builds it with the tfjs SAC\'s initial weights and checkpoint tensor names and shapes (replay included)', () => {
    const env = makeVectorEnv('Pendulum-v1', 2);
    const f = agentFor(fast, pendulum('fast'), env, 7);
    const t = agentFor(cpu, pendulum('cpu'), env, 7);
    // bit for bit: the same draws from the same seeds
    const plain = (w: Readonly<Record<string, Float32Array>>): Record<string, number[]> => Object.fromEntries(Object.entries(w).map(([k, v]) => [k, Array.from(v)]));
    expect(plain(f.weights())).toEqual(plain(t.weights()));
    const st = t.getState().tensors;
    const layout = (a: typeof f): Array<[string, readonly number[]]> => Object.entries(a.getState().tensors).map(([k, v]) => [k, v.shape]);
    expect(layout(f)).toEqual(layout(t));
    expect(Object.keys(st)).toEqual(expect.arrayContaining(['memory/obs', 'optim/alpha/m', 'log_alpha', 'target_q2_net/l2/kernel']));
    t.dispose();
  });

  it('smoke with dev checks: rounds of training_iter updates, alpha tuned, actions within the bounds', () => {
    const env = makeVectorEnv('Pendulum-v1', 2);
    const agent = agentFor(fast, pendulum('fast'), env, 1, true);
    const stats = trainFor(agent, env, 48);
    expect(stats.length).toBe(48 - 32); // 2 envs: training from the 33rd vector step (seen > 64)
    for (const s of stats) expect(s.optSteps).toBe(2 * 2 + 2 * 2);
    expect(stats[stats.length - 1].terms.alpha).toBeLessThan(1);
    const a = agent.act(env.reset({ seed: 2 }), 'train') as Float32Array;
    for (const v of a) expect(Math.abs(v)).toBeLessThanOrEqual(2);
  });

  it.each<[string, readonly string[]]>([
    ['continuous', []],
    ['discrete, PrioritizedReplay', [...DISCRETE, 'agent.memory={"name":"PrioritizedReplay","alpha":0.6,"epsilon":0.0001,"batch_size":64,"max_size":1000,"use_cer":false}']],
  ])('same seed, same weights; a resumed agent (nets, optimizers, log alpha, replay, generator) continues as the original (%s)', (_what, sets) => {
    const name = sets.includes(DISCRETE[1]) ? 'CartPole-v1' : 'Pendulum-v1';
    const make = (seed: number) => {
      const env = makeVectorEnv(name, 2);
      return { agent: agentFor(fast, pendulum('fast', sets), env, seed), env };
    };
    expectSameSeedSameWeights(make, 40);
    const state = expectResumesIdentically(make, 40);
    expect(state.tensors['optim/alpha/step'].data[0]).toBeGreaterThan(0);
  });

  it('refuses what the fast path has not built, in one NotBuiltError line', () => {
    const obs = makeVectorEnv('Pendulum-v1', 1);
    const refusal = (sets: readonly string[]): string => {
      const e = thrown(() => checkAgentSpec(pendulum('fast', sets), obs.singleObservationSpace, obs.singleActionSpace));
      expect(e).toBeInstanceOf(NotBuiltError);
      return e.message;
    };
    expect(refusal(['agent.net.optim_spec={"name":"RMSprop","lr":0.001}'])).toMatch(/^backend fast: SoftActorCritic agent.net.optim_spec.name 'RMSprop' not built yet; [^\n]*$/);
    expect(refusal(['agent.net.hid_layers_activation=sigmoid'])).toMatch(/activation 'sigmoid' not built yet/);
  });
});
