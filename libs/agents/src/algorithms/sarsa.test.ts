import { describe, expect, it } from 'vitest';
import { initBackend } from '@gymlab/backends';
import { Box, Discrete, type Transitions } from '@gymlab/envs';
import type { Spec } from '@gymlab/spec';
import { checkAgentSpec, createAgent, implementedAlgorithms } from '../registry.js';
import { AgentConfigError, NotBuiltError } from '../types.js';
import { trainFor } from '../test-utils/train.js';
import { expectFrozenUpdateCaught, expectSameSeedSameWeights, expectSeedsDiffer } from '../test-utils/determinism.js';
import { trainWithoutLeaks } from '../test-utils/smoke.js';
import { agentMaker, sarsaSpec, withFrozenOptim, withNet, makeTestAgent } from '../test-utils/value-based-specs.js';

const makeSarsa = (spec: Spec, seed = 1, o: Parameters<typeof makeTestAgent>[2] = {}): ReturnType<typeof makeTestAgent> => makeTestAgent(spec, seed, o);

const greedy = { name: 'no_decay', start_val: 0, end_val: 0, start_step: 0, end_step: 0 };

describe('SARSA spec checks', () => {
  it('is registered; a Box action space is refused in one line pointing to Reinforce or PPO', () => {
    expect(implementedAlgorithms()).toContain('SARSA');
    expect(() => checkAgentSpec(sarsaSpec(), new Box(-1, 1, [4]), new Discrete(2))).not.toThrow();
    expect(() => checkAgentSpec(sarsaSpec({ memory: { name: 'OnPolicyReplay' } }), new Box(-1, 1, [4]), new Discrete(2))).not.toThrow();
    expect(() => checkAgentSpec(sarsaSpec(), new Box(-1, 1, [3]), new Box(-2, 2, [1]))).toThrow(
      /^SARSA: needs a Discrete action space, but the env's action space is Box \[1\][^\n]*use Reinforce or PPO for continuous actions$/,
    );
  });
  it('a ConvNet on flat observations is refused as a net that does not fit (AgentConfigError, not NotBuiltError)', () => {
    const spec = withNet(sarsaSpec(), { type: 'ConvNet', conv_hid_layers: [[16, 3, 1]] });
    let caught: unknown;
    try {
      checkAgentSpec(spec, new Box(-1, 1, [4]), new Discrete(2));
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(AgentConfigError);
    expect(caught).not.toBeInstanceOf(NotBuiltError);
  });
});

describe('SARSA targets use the action actually taken next', () => {
  it("the first update's loss equals MSE(Q(s,a), r + gamma (1 - terminated) Q(s',a')) computed by hand from the weights", async () => {
    // A linear Q-net (no hidden layer) on a 2-float observation, 3 actions, 2 sub-envs, batches of 2 steps.
    const b = await initBackend({ gpu: false, backend: 'cpu' });
    const spec = sarsaSpec({ algorithm: { explore_var_spec: greedy, training_frequency: 2, gamma: 0.9 }, net: { hid_layers: [], clip_grad_val: null } });
    const agent = createAgent({ spec, observationSpace: new Box(-1, 1, [2]), actionSpace: new Discrete(3), numEnvs: 2, seed: 3, backend: b, devChecks: true });
    const w = agent.weights();
    const kernel = w['net/l0/kernel']; // [2, 3]
    const bias = w['net/l0/bias'];
    const Q = (o: readonly number[], a: number): number => o[0] * kernel[a] + o[1] * kernel[3 + a] + bias[a];
    const o0 = [[0.1, -0.2], [0.3, 0.4]];
    const o1 = [[0.5, 0.6], [-0.7, 0.8]];
    const o2 = [[0.9, -0.1], [-0.3, -0.5]]; // env 1 terminated at step 1; env 0 is truncated at step 2
    const o3 = [[0.2, 0.2], [0.6, -0.4]];
    const step = (obs: number[][], action: number[], reward: number[], nextObs: number[][], terminated: number[], truncated: number[]): Transitions => ({
      obs: Float32Array.from(obs.flat()),
      action: Int32Array.from(action),
      reward: Float64Array.from(reward),
      nextObs: Float32Array.from(nextObs.flat()),
      terminated: Uint8Array.from(terminated),
      truncated: Uint8Array.from(truncated),
    });
    const f = (x: number): number => Math.fround(x);
    expect(agent.update(step(o0, [0, 1], [1, 0.5], o1, [0, 0], [0, 0]), 2)).toBeNull();
    expect(agent.update(step(o1, [2, 0], [-1, 2], o2, [0, 1], [0, 0]), 4)).toBeNull(); // step 0 now has its a' = [2, 0]
    const stats = agent.update(step(o2, [1, 1], [0.3, 0.7], o3, [0, 0], [1, 0]), 6); // step 1 has a' = [1, -]: a batch of 2 steps
    expect(stats).not.toBeNull();
    const rows = [
      { s: o0[0], a: 0, y: 1 + 0.9 * Q(o1[0], 2) },
      { s: o0[1], a: 1, y: 0.5 + 0.9 * Q(o1[1], 0) },
      { s: o1[0], a: 2, y: -1 + 0.9 * Q(o2[0], 1) },
      { s: o1[1], a: 0, y: 2 }, // terminated: no bootstrap
    ];
    const mse = rows.reduce((acc, r) => acc + (Q(r.s.map(f), r.a) - f(r.y)) ** 2, 0) / rows.length;
    expect(stats?.loss).toBeCloseTo(mse, 5);
    expect(stats?.optSteps).toBe(1);
    expect(stats?.terms.td).toBe(stats?.loss);
    agent.dispose();
  });
});

describe('SARSA schedule and keys', () => {
  it('OnPolicyBatchReplay: trains every training_frequency vector steps, the first batch one step later (waiting for a\')', async () => {
    const { agent, env } = await makeSarsa(sarsaSpec({ algorithm: { training_frequency: 8 } }));
    const stats = trainFor(agent, env, 41);
    expect(stats).toHaveLength(5); // at steps 9, 17, 25, 33, 41
    agent.dispose();
  });

  it('OnPolicyReplay: trains once training_frequency episodes have ended', async () => {
    const { agent, env } = await makeSarsa(sarsaSpec({ algorithm: { training_frequency: 4 } , memory: { name: 'OnPolicyReplay' } }));
    const stats = trainFor(agent, env, 200); // random CartPole episodes last ~20 steps: 4 envs end ~40 episodes in 200 steps
    expect(stats.length).toBeGreaterThan(4);
    expect(stats.length).toBeLessThan(20);
    agent.dispose();
  });

  it('epsilon follows explore_var_spec over frames', async () => {
    const { agent, env } = await makeSarsa(sarsaSpec());
    expect(agent.scalars().exploreVar).toBe(1);
    trainFor(agent, env, 1000); // 4000 frames of 1 -> 0.055 over 10000
    expect(agent.scalars().exploreVar).toBeCloseTo(1 - 0.945 * 0.4, 10);
    agent.dispose();
  });

  it('lr_scheduler_spec LinearToZero lowers the lr with frames', async () => {
    const { agent, env } = await makeSarsa(sarsaSpec({ net: { lr_scheduler_spec: { name: 'LinearToZero', frame: 2000 } } }));
    expect(agent.scalars().lr).toBeCloseTo(0.0087, 12);
    trainFor(agent, env, 257); // last training at step 257 (frame 1028)
    expect(agent.scalars().lr).toBeCloseTo(0.0087 * (1 - 1028 / 2000), 10);
    agent.dispose();
  });

  it('clip_grad_val bounds the update: SGD lr 1 with clip 1e-3 moves the weights by at most 1e-3', async () => {
    const { agent, env } = await makeSarsa(sarsaSpec({ algorithm: { training_frequency: 4 }, net: { optim_spec: { name: 'SGD', lr: 1 }, clip_grad_val: 0.001 } }));
    const before = agent.weights();
    const stats = trainFor(agent, env, 5);
    expect(stats).toHaveLength(1);
    expect(stats[0].gradNorm).toBeGreaterThan(0.001);
    const after = agent.weights();
    let sq = 0;
    for (const k of Object.keys(before)) for (let i = 0; i < before[k].length; i++) sq += (after[k][i] - before[k][i]) ** 2;
    expect(Math.sqrt(sq)).toBeLessThan(0.001 * 1.001);
    expect(Math.sqrt(sq)).toBeGreaterThan(0.001 * 0.99);
    agent.dispose();
  });
});

describe.each(['cpu', 'wasm'] as const)('SARSA smoke on %s: both memories, both exploration policies', (backend) => {
  it.each([
    ['OnPolicyBatchReplay', 'epsilon_greedy'],
    ['OnPolicyReplay', 'boltzmann'],
  ])('%s + %s: trains with finite losses and dev checks on; no tensor leaks', async (memory, policy) => {
    const spec = sarsaSpec({ algorithm: { action_policy: policy, training_frequency: memory === 'OnPolicyReplay' ? 2 : 16 }, memory: { name: memory }, net: { loss_spec: { name: 'SmoothL1Loss' } } });
    const { agent, env, b } = await makeSarsa(spec, 2, { backend });
    expect(b.tf.getBackend()).toBe(backend);
    expect(trainWithoutLeaks(agent, env, b, 100).length).toBeGreaterThan(8);
    expect(agent.act(new Float32Array(16), 'eval')).toHaveLength(4);
    agent.dispose();
  });
});

describe('SARSA state and determinism', () => {
  it('dev checks throw AgentCheckError when an update leaves the parameters unchanged', async () => {
    expectFrozenUpdateCaught(await agentMaker(withFrozenOptim(sarsaSpec({ algorithm: { training_frequency: 4 } }))), 12);
  });

  it('same seed, same inputs -> identical weights; save/load reproduces weights, scalars, eval and train actions', async () => {
    const spec = sarsaSpec({ algorithm: { training_frequency: 8, action_policy: 'boltzmann' } });
    const make = await agentMaker(spec);
    expectSameSeedSameWeights(make, 60);
    const a = await makeSarsa(spec, 7);
    trainFor(a.agent, a.env, 60, 5);
    const wa = a.agent.weights();
    expect(Object.keys(wa)).toEqual(['net/l0/kernel', 'net/l0/bias', 'net/l1/kernel', 'net/l1/bias']);

    const state = a.agent.getState();
    expect(JSON.parse(JSON.stringify(state.meta))).toEqual(state.meta);
    const c = await makeSarsa(spec, 99);
    c.agent.setState(state);
    expect(c.agent.scalars()).toEqual(a.agent.scalars());
    for (const k of Object.keys(wa)) expect(Array.from(c.agent.weights()[k])).toEqual(Array.from(wa[k]));
    const probe = new Float32Array(Array.from({ length: 64 }, (_, i) => Math.sin(i) * 0.5));
    expect(Array.from(c.agent.act(probe, 'eval'))).toEqual(Array.from(a.agent.act(probe, 'eval')));
    expect(Array.from(c.agent.act(probe, 'train'))).toEqual(Array.from(a.agent.act(probe, 'train')));
    // the state round-trips whole (weights, RMSprop moments and step, meta)
    const back = c.agent.getState();
    expect(Object.keys(back.tensors).sort()).toEqual(Object.keys(state.tensors).sort());
    expect(Object.keys(state.tensors).some((k) => k.startsWith('optim/'))).toBe(true);
    for (const k of Object.keys(state.tensors)) expect(Array.from(back.tensors[k].data)).toEqual(Array.from(state.tensors[k].data));
    // two agents restored from one state (built with different seeds) train on identically
    const d = await makeSarsa(spec, 55);
    d.agent.setState(state);
    c.agent.setState(state);
    trainFor(c.agent, c.env, 20, 9);
    trainFor(d.agent, d.env, 20, 9);
    for (const k of Object.keys(wa)) expect(Array.from(d.agent.weights()[k])).toEqual(Array.from(c.agent.weights()[k]));
    expect(Array.from(d.agent.weights()['net/l0/kernel'])).not.toEqual(Array.from(state.tensors['net/l0/kernel'].data));
    d.agent.dispose();
    expect(() => c.agent.setState({ ...state, algorithm: 'DQN' })).toThrow(/cannot load a DQN state into a SARSA agent/);
    [a, c].forEach((x) => x.agent.dispose());
  });

  it('a different seed gives different weights', async () => {
    expectSeedsDiffer(await agentMaker(sarsaSpec()));
  });
});
