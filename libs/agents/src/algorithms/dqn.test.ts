import { describe, expect, it } from 'vitest';
import { initBackend, type BackendName, type ComputeBackend } from '@gymlab/backends';
import { Box, Discrete, makeVectorEnv, type VectorEnv } from '@gymlab/envs';
import type { Spec } from '@gymlab/spec';
import { AgentCheckError, AgentConfigError } from '../types.js';
import { checkAgentSpec, createAgent, implementedAlgorithms } from '../registry.js';
import { DqnAgent, dqnSpecProblem, gradNormProblem } from './dqn.js';
import { dqnSpec, withName } from '../test-utils/dqn-spec.js';
import { trainFor } from '../test-utils/train.js';

async function makeAgent(spec: Spec, backend: BackendName, seed = 1, devChecks = true): Promise<{ agent: DqnAgent; env: VectorEnv; b: ComputeBackend }> {
  const b = await initBackend({ gpu: false, backend });
  const env = makeVectorEnv('CartPole-v1', 4);
  const agent = new DqnAgent({
    spec,
    observationSpace: env.singleObservationSpace,
    actionSpace: env.singleActionSpace,
    numEnvs: 4,
    seed,
    backend: b,
    devChecks,
  });
  return { agent, env, b };
}

describe('gradNormProblem (the dev check of one update)', () => {
  it('bounds the norm the optimizer applies: clipped when clip_grad_val is set', () => {
    expect(gradNormProblem(3e6, 10)).toBeNull(); // dqn_cartpole.json's vanilla DQN: large before clipping, 10 applied
    expect(gradNormProblem(3e6, null)).toBe('applied gradient norm 3000000 exceeds 100000');
    expect(gradNormProblem(5, null)).toBeNull();
    expect(gradNormProblem(2e5, 1.5e5)).toBe('applied gradient norm 150000 exceeds 100000');
  });

  it('a non-finite gradient fails even when clipping would bound it', () => {
    expect(gradNormProblem(Infinity, 10)).toBe('gradient norm Infinity is not finite');
    expect(gradNormProblem(NaN, 10)).toBe('gradient norm NaN is not finite');
  });
});

describe('dqnSpecProblem', () => {
  it('refuses a Box action space in one line naming the DQN family', () => {
    const msg = dqnSpecProblem(dqnSpec(), new Box(-1, 1, [4]), new Box(-2, 2, [1]));
    expect(msg).toMatch(/DQN needs a Discrete action space/);
    expect(msg).toMatch(/PPO/);
    expect(msg?.split('\n')).toHaveLength(1);
  });
  it('checkAgentSpec refuses DQN-family on a Box action space with one AgentConfigError line', () => {
    for (const name of ['VanillaDQN', 'DQN', 'DoubleDQN']) {
      expect(implementedAlgorithms()).toContain(name);
      let caught: unknown;
      try {
        checkAgentSpec(withName(dqnSpec(), name), new Box(-1, 1, [3]), new Box(-2, 2, [1]));
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(AgentConfigError);
      expect((caught as Error).message).toMatch(new RegExp(`^${name} needs a Discrete action space[^\n]*$`));
    }
  });
  it('createAgent builds each variant through the registry', async () => {
    const b = await initBackend({ gpu: false, backend: 'cpu' });
    for (const name of ['VanillaDQN', 'DQN', 'DoubleDQN']) {
      const agent = createAgent({ spec: withName(dqnSpec(), name), observationSpace: new Box(-1, 1, [4]), actionSpace: new Discrete(2), numEnvs: 4, seed: 0, backend: b, devChecks: false });
      expect(agent.algorithmName).toBe(name);
      expect(agent.act(new Float32Array(8), 'eval')).toHaveLength(2);
      agent.dispose();
    }
  });
  it('accepts the CartPole spaces and refuses a missing explore_var_spec', () => {
    const obs = new Box(-1, 1, [4]);
    expect(dqnSpecProblem(dqnSpec(), obs, new Discrete(2))).toBeNull();
    expect(dqnSpecProblem(dqnSpec({ algorithm: { explore_var_spec: null } }), obs, new Discrete(2))).toMatch(/explore_var_spec/);
    expect(dqnSpecProblem(dqnSpec({ memory: { name: 'OnPolicyReplay' } }), obs, new Discrete(2))).toMatch(/Replay or PrioritizedReplay/);
  });
});

describe('training schedule (SLM Lab counting)', () => {
  it('trains once per vector step after training_start_step transitions, training_iter x training_batch_iter steps', async () => {
    const { agent, env } = await makeAgent(dqnSpec({ algorithm: { training_start_step: 32 } }), 'cpu');
    const stats = trainFor(agent, env, 20);
    // seen_size > 32 first holds at the 33rd transition: during vector step 9 (transitions 33..36)
    expect(stats).toHaveLength(20 - 8);
    for (const s of stats) expect(s.optSteps).toBe(4);
    agent.dispose();
  });

  it('training_frequency counts sub-env transitions (head % freq == 0)', async () => {
    const { agent, env } = await makeAgent(dqnSpec({ algorithm: { training_start_step: 0, training_frequency: 8, training_iter: 1, training_batch_iter: 1 } }), 'cpu');
    const stats = trainFor(agent, env, 20);
    // 4 envs: heads 0..3, 4..7, 8..11, ...: a multiple of 8 in every other vector step
    expect(stats).toHaveLength(10);
    agent.dispose();
  });

  it('exploreVar follows explore_var_spec over frames', async () => {
    const { agent, env } = await makeAgent(dqnSpec(), 'cpu');
    expect(agent.scalars().exploreVar).toBe(1);
    trainFor(agent, env, 250); // 1000 frames of a 1 -> 0.1 linear decay over 2000
    expect(agent.scalars().exploreVar).toBeCloseTo(0.55, 10);
    agent.dispose();
  });
});

describe('target net', () => {
  it('replace copies the online net every update_frequency frames, not in between', async () => {
    const { agent, env } = await makeAgent(dqnSpec({ net: { update_frequency: 40 } }), 'cpu');
    const differs = (): boolean => {
      const w = agent.weights();
      return Array.from(w['net/l0/kernel']).some((v, i) => v !== w['target_net/l0/kernel'][i]);
    };
    trainFor(agent, env, 9); // frames 4..36: trained at step 9; no frame with frame % 40 < 4 -> no copy
    expect(differs()).toBe(true);
    // a run reaching frame 40: 40 % 40 = 0 < 4 -> copy after that step's training
    const b = await makeAgent(dqnSpec({ net: { update_frequency: 40 } }), 'cpu');
    trainFor(b.agent, b.env, 10);
    const w = b.agent.weights();
    expect(Array.from(w['net/l0/kernel'])).toEqual(Array.from(w['target_net/l0/kernel']));
    agent.dispose();
    b.agent.dispose();
  });

  it('polyak moves the target toward the online net at every step', async () => {
    const { agent, env } = await makeAgent(dqnSpec({ net: { update_type: 'polyak', polyak_coef: 0.5 } }), 'cpu');
    trainFor(agent, env, 12);
    const w = agent.weights();
    const online = w['net/l0/kernel'];
    const target = w['target_net/l0/kernel'];
    expect(Array.from(online).some((v, i) => v !== target[i])).toBe(true);
    agent.dispose();
  });

  it('VanillaDQN has no target net', async () => {
    const { agent } = await makeAgent(withName(dqnSpec(), 'VanillaDQN'), 'cpu');
    expect(Object.keys(agent.weights()).some((k) => k.startsWith('target_net'))).toBe(false);
    agent.dispose();
  });
});

describe('smoke: every variant x memory x target update, cpu and wasm', () => {
  const combos: [string, string, string][] = [
    ['VanillaDQN', 'Replay', 'replace'],
    ['VanillaDQN', 'PrioritizedReplay', 'replace'],
    ['DQN', 'Replay', 'replace'],
    ['DQN', 'PrioritizedReplay', 'polyak'],
    ['DoubleDQN', 'Replay', 'polyak'],
    ['DoubleDQN', 'PrioritizedReplay', 'replace'],
  ];
  for (const backend of ['cpu', 'wasm'] as const) {
    for (const [name, memory, updateType] of combos) {
      it(`${name} + ${memory} + ${updateType} on ${backend}: trains with finite losses and dev checks on`, async () => {
        const spec = withName(
          dqnSpec({ memory: { name: memory, alpha: 0.6, epsilon: 1e-4 }, net: { update_type: updateType, polyak_coef: 0.05 } }),
          name,
        );
        const { agent, env, b } = await makeAgent(spec, backend);
        expect(b.tf.getBackend()).toBe(backend);
        const stats = trainFor(agent, env, 100);
        expect(stats.length).toBeGreaterThan(80);
        for (const s of stats) {
          expect(Number.isFinite(s.loss)).toBe(true);
          expect(Number.isFinite(s.gradNorm)).toBe(true);
        }
        agent.dispose();
      });
    }
  }
});

describe('checks, state and determinism', () => {
  it('dev checks throw AgentCheckError when an update leaves the parameters unchanged', async () => {
    const { agent, env } = await makeAgent(dqnSpec({ net: { optim_spec: { name: 'SGD', lr: 0 } } }), 'cpu');
    expect(() => trainFor(agent, env, 12)).toThrow(AgentCheckError);
    agent.dispose();
  });

  it('tf.memory().numTensors stays flat over many updates (PER, DoubleDQN, wasm)', async () => {
    const spec = withName(dqnSpec({ memory: { name: 'PrioritizedReplay', alpha: 0.6, epsilon: 1e-4 } }), 'DoubleDQN');
    const { agent, env, b } = await makeAgent(spec, 'wasm', 3, false);
    trainFor(agent, env, 20);
    const before = b.tf.memory().numTensors;
    trainFor(agent, env, 100);
    expect(b.tf.memory().numTensors).toBe(before);
    agent.dispose();
  });

  it('same seed, same inputs -> identical weights; save/load reproduces weights, scalars and eval actions', async () => {
    const spec = withName(dqnSpec({ memory: { name: 'PrioritizedReplay', alpha: 0.6, epsilon: 1e-4 } }), 'DoubleDQN');
    const a = await makeAgent(spec, 'cpu', 7);
    const b = await makeAgent(spec, 'cpu', 7);
    trainFor(a.agent, a.env, 40, 5);
    trainFor(b.agent, b.env, 40, 5);
    const wa = a.agent.weights();
    const wb = b.agent.weights();
    for (const k of Object.keys(wa)) expect(Array.from(wa[k])).toEqual(Array.from(wb[k]));

    const c = await makeAgent(spec, 'cpu', 99);
    c.agent.setState(a.agent.getState());
    const probe = new Float32Array(Array.from({ length: 64 }, (_, i) => Math.sin(i) * 0.5));
    expect(Array.from(c.agent.act(probe, 'eval'))).toEqual(Array.from(a.agent.act(probe, 'eval')));
    expect(c.agent.scalars()).toEqual(a.agent.scalars());
    const wc = c.agent.weights();
    for (const k of Object.keys(wa)) expect(Array.from(wc[k])).toEqual(Array.from(a.agent.weights()[k]));
    // the state is data only: it survives a JSON round trip of its meta
    expect(JSON.parse(JSON.stringify(a.agent.getState().meta))).toEqual(a.agent.getState().meta);
    [a, b, c].forEach((x) => x.agent.dispose());
  });

  it('loads a checkpoint of an older version whose meta still has trainRounds and toTrain', async () => {
    const a = await makeAgent(dqnSpec(), 'cpu', 7);
    trainFor(a.agent, a.env, 20);
    const state = a.agent.getState();
    expect(Object.keys(state.meta)).not.toContain('trainRounds');
    const old = { ...state, meta: { ...state.meta, trainRounds: 12, toTrain: false } };
    const c = await makeAgent(dqnSpec(), 'cpu', 99);
    c.agent.setState(old);
    const probe = new Float32Array(Array.from({ length: 16 }, (_, i) => Math.cos(i)));
    expect(Array.from(c.agent.act(probe, 'eval'))).toEqual(Array.from(a.agent.act(probe, 'eval')));
    expect(c.agent.scalars()).toEqual(a.agent.scalars());
    a.agent.dispose();
    c.agent.dispose();
  });

  it('a different seed gives different weights', async () => {
    const a = await makeAgent(dqnSpec(), 'cpu', 1);
    const b = await makeAgent(dqnSpec(), 'cpu', 2);
    expect(Array.from(a.agent.weights()['net/l0/kernel'])).not.toEqual(Array.from(b.agent.weights()['net/l0/kernel']));
    a.agent.dispose();
    b.agent.dispose();
  });
});
