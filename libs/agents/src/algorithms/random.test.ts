import { describe, expect, it } from 'vitest';
import { initBackend } from '@gymlab/backends';
import { Box, Discrete, makeVectorEnv, rollout, type Space } from '@gymlab/envs';
import { resolveSpec, type Spec } from '@gymlab/spec';
import { checkAgentSpec, createAgent, implementedAlgorithms } from '../registry.js';
import { AgentConfigError, type Agent } from '../types.js';
import { trainFor } from '../test-utils/train.js';

/**
 * SLM Lab's random_cartpole / random_pendulum (experimental/misc/random.json), with `net: {}`
 * written as an empty MLPNet until the schema takes `{}` for Random.
 */
function randomSpec(envName: string): Spec {
  return resolveSpec(
    {
      agent: { name: 'Random', algorithm: { name: 'Random' }, memory: { name: 'OnPolicyReplay' }, net: { type: 'MLPNet', hid_layers: [] } },
      env: { name: envName, num_envs: 8, max_t: null, max_frame: 500000 },
      meta: { distributed: false, eval_frequency: 1000, max_session: 1, max_trial: 1 },
    },
    'random_test',
  );
}

async function makeRandom(envName: string, seed: number): Promise<{ agent: Agent; space: Space; obsSize: number }> {
  const backend = await initBackend({ gpu: false, backend: 'cpu' });
  const env = makeVectorEnv(envName, 8);
  const agent = createAgent({
    spec: randomSpec(envName),
    observationSpace: env.singleObservationSpace,
    actionSpace: env.singleActionSpace,
    numEnvs: 8,
    seed,
    backend,
    devChecks: true,
  });
  env.close();
  return { agent, space: env.singleActionSpace, obsSize: env.singleObservationSpace.size };
}

describe('Random agent', () => {
  it('is registered and accepts Discrete and Box action spaces', () => {
    expect(implementedAlgorithms()).toContain('Random');
    expect(() => checkAgentSpec(randomSpec('CartPole-v1'), new Box(-1, 1, [4]), new Discrete(2))).not.toThrow();
    expect(() => checkAgentSpec(randomSpec('Pendulum-v1'), new Box(-1, 1, [3]), new Box(-2, 2, [1]))).not.toThrow();
    expect(() => checkAgentSpec(randomSpec('CartPole-v1'), new Box(-1, 1, [0]), new Discrete(2))).toThrow(AgentConfigError);
  });

  it('draws Discrete actions uniformly: each of 3 actions within 2% of 1/3 over 30000 draws', async () => {
    const counts = [0, 0, 0];
    const backend = await initBackend({ gpu: false, backend: 'cpu' });
    const three = createAgent({ spec: randomSpec('CartPole-v1'), observationSpace: new Box(-1, 1, [2]), actionSpace: new Discrete(3), numEnvs: 10, seed: 3, backend, devChecks: false });
    for (let i = 0; i < 3000; i++) for (const a of three.act(new Float32Array(20), 'train')) counts[a]++;
    for (const c of counts) expect(Math.abs(c / 30000 - 1 / 3)).toBeLessThan(0.02);
    three.dispose();
  });

  it('draws Box actions uniformly inside [low, high]: Pendulum torques cover [-2, 2] with mean ~0', async () => {
    const { agent, space } = await makeRandom('Pendulum-v1', 1);
    if (space.kind !== 'box') throw new Error('Pendulum has a Box action space');
    const all: number[] = [];
    for (let i = 0; i < 500; i++) all.push(...agent.act(new Float32Array(8 * 3), 'eval'));
    expect(all).toHaveLength(4000);
    expect(Math.min(...all)).toBeGreaterThanOrEqual(-2);
    expect(Math.max(...all)).toBeLessThanOrEqual(2);
    expect(Math.min(...all)).toBeLessThan(-1.95);
    expect(Math.max(...all)).toBeGreaterThan(1.95);
    const mean = all.reduce((a, b) => a + b, 0) / all.length;
    expect(Math.abs(mean)).toBeLessThan(0.1); // sd of the mean: (4 / sqrt(12)) / sqrt(4000) = 0.018
    agent.dispose();
  });

  it('smoke: runs CartPole and Pendulum for 200 vector steps, never trains, reports no lr', async () => {
    for (const name of ['CartPole-v1', 'Pendulum-v1']) {
      const { agent } = await makeRandom(name, 2);
      const env = makeVectorEnv(name, 8);
      expect(trainFor(agent, env, 200)).toEqual([]);
      expect(agent.scalars()).toEqual({ lr: null, entropy: null, exploreVar: null });
      expect(agent.weights()).toEqual({});
      agent.dispose();
      env.close();
    }
  });

  it("scores CartPole's random baseline: mean return of 100 episodes between 15 and 30 (Gymnasium's is about 22)", async () => {
    const { agent } = await makeRandom('CartPole-v1', 4);
    const env = makeVectorEnv('CartPole-v1', 8);
    const r = rollout(env, (obs) => agent.act(obs, 'train'), { episodes: 100, seed: 4 });
    const mean = r.episodeReturns.reduce((a, b) => a + b, 0) / r.episodeReturns.length;
    expect(mean).toBeGreaterThan(15);
    expect(mean).toBeLessThan(30);
    agent.dispose();
    env.close();
  });

  it('same seed, same actions; a different seed, different actions', async () => {
    const draw = async (seed: number): Promise<number[]> => {
      const { agent } = await makeRandom('Pendulum-v1', seed);
      const out: number[] = [];
      for (let i = 0; i < 20; i++) out.push(...agent.act(new Float32Array(24), 'train'));
      agent.dispose();
      return out;
    };
    expect(await draw(7)).toEqual(await draw(7));
    expect(await draw(7)).not.toEqual(await draw(8));
  });

  it('save/load round-trips the generator: a restored agent continues the same action stream', async () => {
    const a = await makeRandom('CartPole-v1', 5);
    for (let i = 0; i < 10; i++) a.agent.act(new Float32Array(32), 'train');
    const state = JSON.parse(JSON.stringify(a.agent.getState())) as ReturnType<Agent['getState']>;
    const next = Array.from(a.agent.act(new Float32Array(32), 'train'));
    const b = await makeRandom('CartPole-v1', 99);
    b.agent.setState(state);
    expect(Array.from(b.agent.act(new Float32Array(32), 'train'))).toEqual(next);
    expect(() => b.agent.setState({ ...state, algorithm: 'PPO' })).toThrow(/cannot load a PPO state into a Random agent/);
    expect(() => b.agent.setState({ ...state, meta: { rng: [1, 2] } })).toThrow(/'rng' must be 9 numbers/);
    a.agent.dispose();
    b.agent.dispose();
  });
});
