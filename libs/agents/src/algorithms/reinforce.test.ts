import { describe, expect, it } from 'vitest';
import { initBackend } from '@gymlab/backends';
import { Box, Discrete, type Transitions } from '@gymlab/envs';
import type { Spec } from '@gymlab/spec';
import { checkAgentSpec, createAgent, implementedAlgorithms } from '../registry.js';
import { AgentConfigError, NotBuiltError } from '../types.js';
import { trainFor } from '../test-utils/train.js';
import { expectFrozenUpdateCaught, expectResumesIdentically, expectSameSeedSameWeights, expectSeedsDiffer } from '../test-utils/determinism.js';
import { trainWithoutLeaks } from '../test-utils/smoke.js';
import { a2cSpec } from '../test-utils/on-policy-specs.js';
import { reinforceSpec as slmReinforceSpec, sarsaSpec, agentMaker, withFrozenOptim, withNet, makeTestAgent, type SpecOverrides } from '../test-utils/value-based-specs.js';

type Obj = Record<string, unknown>;

/** reinforce_cartpole, smaller and quicker: 32 tanh units, entropy 0.01 -> 0.001 over 2000 frames, batches of 16 steps. */
function reinforceSpec(o: SpecOverrides = {}): Spec {
  return slmReinforceSpec({
    ...o,
    algorithm: { entropy_coef_spec: { name: 'linear_decay', start_val: 0.01, end_val: 0.001, start_step: 0, end_step: 2000 }, training_frequency: 16, ...o.algorithm },
    net: { hid_layers: [32], ...o.net },
  });
}

const makeReinforce = (spec: Spec, seed = 1, o: Parameters<typeof makeTestAgent>[2] = {}): ReturnType<typeof makeTestAgent> => makeTestAgent(spec, seed, o);

const constant = (v: number): Obj => ({ name: 'no_decay', start_val: v, end_val: v, start_step: 0, end_step: 0 });

describe('Reinforce spec checks', () => {
  const obs = new Box(-1, 1, [4]);
  const expectNotBuilt = (spec: Spec, what: string): void => {
    let caught: unknown;
    try {
      checkAgentSpec(spec, obs, new Discrete(2));
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(NotBuiltError);
    expect((caught as NotBuiltError).what).toBe(what);
    expect((caught as Error).message.split('\n')).toHaveLength(1);
  };
  it('is registered for Discrete and Box action spaces', () => {
    expect(implementedAlgorithms()).toContain('Reinforce');
    expect(() => checkAgentSpec(reinforceSpec(), obs, new Discrete(2))).not.toThrow();
    expect(() => checkAgentSpec(reinforceSpec({ memory: { name: 'OnPolicyReplay' } }), new Box(-1, 1, [3]), new Box(-2, 2, [1]))).not.toThrow();
  });
  it('refuses what is not built yet with NotBuiltError and a pdtype that does not fit with AgentConfigError', () => {
    expectNotBuilt(reinforceSpec({ algorithm: { action_policy: 'epsilon_greedy', explore_var_spec: constant(0.1) } }), 'Reinforce action_policy epsilon_greedy: not built yet');
    expectNotBuilt(reinforceSpec({ net: { log_std_init: -0.5 } }), 'Reinforce net.log_std_init: not built yet');
    expectNotBuilt(reinforceSpec({ algorithm: { action_pdtype: 'GumbelCategorical' } }), 'action_pdtype GumbelCategorical: not built yet');
    expectNotBuilt(withNet(reinforceSpec(), { type: 'RecurrentNet', rnn_hidden_size: 8, seq_len: 2, bidirectional: true }), 'RecurrentNet bidirectional: not built yet');
    expect(() => checkAgentSpec(reinforceSpec({ algorithm: { action_pdtype: 'Normal' } }), obs, new Discrete(2))).toThrow(AgentConfigError);
  });
});

describe('Reinforce loss on a batch, by hand', () => {
  it("the first update's loss is -mean(log pi(a|s) A) - entropy_coef mean(H), returns cut at terminated steps, run on past a time limit (SLM Lab's calc_returns)", async () => {
    // A linear policy (no hidden layer) on 2-float observations, 2 actions, 1 sub-env, batches of 3 steps.
    const b = await initBackend({ gpu: false, backend: 'cpu' });
    const spec = reinforceSpec({ algorithm: { training_frequency: 3, gamma: 0.9, entropy_coef_spec: constant(0.1) }, net: { hid_layers: [], clip_grad_val: null } });
    const agent = createAgent({ spec, observationSpace: new Box(-1, 1, [2]), actionSpace: new Discrete(2), numEnvs: 1, seed: 4, backend: b, devChecks: true });
    const w = agent.weights();
    const k = w['net/l0/kernel']; // [2, 2]
    const bias = w['net/l0/bias'];
    const logits = (o: number[]): number[] => [0, 1].map((a) => Math.fround(o[0]) * k[a] + Math.fround(o[1]) * k[2 + a] + bias[a]);
    const logSoftmax = (z: number[]): number[] => {
      const m = Math.max(...z);
      const lse = m + Math.log(z.reduce((s, v) => s + Math.exp(v - m), 0));
      return z.map((v) => v - lse);
    };
    const obs = [[0.1, -0.2], [0.5, 0.6], [-0.7, 0.8]];
    const actions = [1, 0, 1];
    const rewards = [1, 2, 0.5];
    const terminated = [1, 0, 0];
    const truncated = [0, 1, 0];
    const step = (t: number): Transitions => ({
      obs: Float32Array.from(obs[t]),
      action: Int32Array.from([actions[t]]),
      reward: Float64Array.from([rewards[t]]),
      nextObs: Float32Array.from(obs[(t + 1) % 3]),
      terminated: Uint8Array.from([terminated[t]]),
      truncated: Uint8Array.from([truncated[t]]),
    });
    expect(agent.update(step(0), 1)).toBeNull();
    expect(agent.update(step(1), 2)).toBeNull();
    const stats = agent.update(step(2), 3);
    // G = [1 (terminated: cut), 2 + 0.9 * 0.5 (truncated: runs on into the next episode), 0.5 (last row: cut)]
    const G = [1, 2.45, 0.5];
    const mean = G.reduce((s, v) => s + v, 0) / 3;
    const sd = Math.sqrt(G.reduce((s, v) => s + (v - mean) ** 2, 0) / 2);
    const A = G.map((g) => (g - mean) / (sd + 1e-8));
    let pg = 0;
    let H = 0;
    for (let t = 0; t < 3; t++) {
      const lp = logSoftmax(logits(obs[t]));
      pg += lp[actions[t]] * A[t];
      H -= lp.reduce((s, l) => s + Math.exp(l) * l, 0);
    }
    expect(stats).not.toBeNull();
    expect(stats?.terms.policy).toBeCloseTo(-pg / 3, 5);
    expect(stats?.terms.entropy).toBeCloseTo(H / 3, 5);
    expect(stats?.terms.entropy_coef).toBe(0.1);
    expect(stats?.loss).toBeCloseTo(-pg / 3 - 0.1 * (H / 3), 5);
    expect(agent.scalars().entropy).toBeCloseTo(H / 3, 5);
    agent.dispose();
  });
});

describe('Reinforce with OnPolicyCrossEntropy (SLM Lab reinforce_cross_entropy_cartpole)', () => {
  it('trains on the elite episodes only: the same step as OnPolicyReplay fed those episodes alone', async () => {
    const b = await initBackend({ gpu: false, backend: 'cpu' });
    const make = (memory: Obj, episodes: number) =>
      createAgent({
        spec: reinforceSpec({ algorithm: { training_frequency: episodes, entropy_coef_spec: constant(0.1) }, memory, net: { hid_layers: [4] } }),
        observationSpace: new Box(-1, 1, [2]),
        actionSpace: new Discrete(2),
        numEnvs: 1,
        seed: 4,
        backend: b,
        devChecks: true,
      });
    const step = (t: number, end: boolean): Transitions => ({
      obs: Float32Array.of(0.1 * t, -0.05 * t),
      action: Int32Array.of(t % 2),
      reward: Float64Array.of(1),
      nextObs: Float32Array.of(0.1 * (t + 1), -0.05 * (t + 1)),
      terminated: Uint8Array.of(end ? 1 : 0),
      truncated: Uint8Array.of(0),
    });
    const short = [step(0, false), step(1, true)]; // total 2
    const long = [step(2, false), step(3, false), step(4, true)]; // total 3
    const feed = (agent: ReturnType<typeof createAgent>, steps: Transitions[]) => steps.map((tr) => agent.update(tr, 5)).filter((s) => s !== null);
    // totals [2, 3]: the 0.5 quantile is 2.5, so only the long episode is trained on
    const elite = make({ name: 'OnPolicyCrossEntropy', cross_entropy: 0.5 }, 2);
    const alone = make({ name: 'OnPolicyReplay' }, 1);
    const both = make({ name: 'OnPolicyReplay' }, 2);
    const [e] = feed(elite, [...short, ...long]);
    const [a] = feed(alone, long);
    const [w] = feed(both, [...short, ...long]);
    expect(e.loss).toBe(a.loss);
    expect(elite.weights()).toEqual(alone.weights());
    expect(w.loss).not.toBe(e.loss);
    expect(elite.weights()['net/l0/kernel']).not.toEqual(both.weights()['net/l0/kernel']);
    for (const agent of [elite, alone, both]) agent.dispose();
  });
  it('SARSA and the actor-critics refuse it as not built yet, in one line', () => {
    const obs = new Box(-1, 1, [4]);
    const memory = { name: 'OnPolicyCrossEntropy', cross_entropy: 0.5 };
    const refusal = (spec: Spec): string => {
      try {
        checkAgentSpec(spec, obs, new Discrete(2));
      } catch (err) {
        expect(err).toBeInstanceOf(NotBuiltError);
        return (err as Error).message;
      }
      return 'accepted';
    };
    expect(refusal(a2cSpec('CartPole-v1', { memory }))).toMatch(/^ActorCritic: agent.memory.name 'OnPolicyCrossEntropy' not built yet; Reinforce trains on it[^\n]*$/);
    expect(refusal(sarsaSpec({ memory }))).toMatch(/^SARSA: agent.memory.name 'OnPolicyCrossEntropy' not built yet; Reinforce trains on it[^\n]*$/);
  });
});

describe('Reinforce schedule', () => {
  it('OnPolicyBatchReplay trains every training_frequency vector steps', async () => {
    const { agent, env } = await makeReinforce(reinforceSpec({ algorithm: { training_frequency: 8 } }));
    expect(trainFor(agent, env, 40)).toHaveLength(5);
    agent.dispose();
  });
  it('OnPolicyReplay trains once training_frequency episodes have ended', async () => {
    const { agent, env } = await makeReinforce(reinforceSpec({ algorithm: { training_frequency: 4 }, memory: { name: 'OnPolicyReplay' } }));
    const stats = trainFor(agent, env, 200); // random CartPole episodes last ~20 steps: 4 envs end ~40 episodes
    expect(stats.length).toBeGreaterThan(4);
    expect(stats.length).toBeLessThan(20);
    agent.dispose();
  });
  it('entropy_coef follows entropy_coef_spec over frames', async () => {
    const { agent, env } = await makeReinforce(reinforceSpec({ algorithm: { training_frequency: 100 } }));
    const stats = trainFor(agent, env, 300); // trains at frames 400, 800, 1200 of a 0.01 -> 0.001 decay over 2000
    expect(stats.map((s) => s.terms.entropy_coef)).toEqual([0.01 - 0.009 * 0.2, 0.01 - 0.009 * 0.4, 0.01 - 0.009 * 0.6].map((v) => expect.closeTo(v, 12)));
    agent.dispose();
  });
  it("reinforce_cartpole's entropy_coef_spec (0.001 -> end_val 0.0) holds 0.001, as SLM Lab's VarScheduler reads end_val 0 as absent", async () => {
    const spec = slmReinforceSpec({ algorithm: { training_frequency: 100, entropy_coef_spec: { name: 'linear_decay', start_val: 0.001, end_val: 0.0, start_step: 0, end_step: 1000 } }, net: { hid_layers: [8] } });
    const { agent, env } = await makeReinforce(spec);
    const stats = trainFor(agent, env, 300); // trains at frames 400, 800, 1200: past end_step too
    expect(stats.map((s) => s.terms.entropy_coef)).toEqual([0.001, 0.001, 0.001]);
    agent.dispose();
  });
});

describe('Reinforce smoke: discrete and continuous, both memories, cpu and wasm', () => {
  const combos: [string, string][] = [
    ['CartPole-v1', 'OnPolicyBatchReplay'],
    ['Pendulum-v1', 'OnPolicyReplay'],
  ];
  for (const backend of ['cpu', 'wasm'] as const) {
    for (const [envName, memory] of combos) {
      it(`${envName} + ${memory} on ${backend}: finite losses, dev checks on, no tensor leaks, deterministic eval`, async () => {
        const spec = reinforceSpec({ memory: { name: memory }, algorithm: { training_frequency: memory === 'OnPolicyReplay' ? 1 : 16 }, env: { name: envName } });
        const { agent, env, b } = await makeReinforce(spec, 2, { backend, envName });
        expect(b.tf.getBackend()).toBe(backend);
        const pendulum = envName === 'Pendulum-v1'; // 200-step episodes: one update per 200 steps
        const stats = trainWithoutLeaks(agent, env, b, pendulum ? 210 : 120);
        expect(stats.length).toBeGreaterThanOrEqual(pendulum ? 2 : 15);
        for (const s of stats) expect(s.terms.entropy).toBeGreaterThan(pendulum ? -10 : 0);
        const probe = new Float32Array(Array.from({ length: 4 * env.singleObservationSpace.size }, (_, i) => Math.sin(i)));
        expect(Array.from(agent.act(probe, 'eval'))).toEqual(Array.from(agent.act(probe, 'eval')));
        expect(agent.act(probe, 'train')).toHaveLength(4);
        agent.dispose();
      });
    }
  }
});

describe('Reinforce state and determinism', () => {
  it('dev checks throw AgentCheckError when an update leaves the parameters unchanged', async () => {
    expectFrozenUpdateCaught(await agentMaker(withFrozenOptim(reinforceSpec({ algorithm: { training_frequency: 4 } }))), 8);
  });

  it('same seed -> identical weights; save/load round-trips weights, Adam moments, generator and scalars', async () => {
    const make = await agentMaker(reinforceSpec({ algorithm: { training_frequency: 8 } }));
    expectSameSeedSameWeights(make, 48);
    // saved after 48 steps (6 full batches), so the saved agent's batch is empty: both then train on identically
    expectResumesIdentically(make, 48, (state, a, c) => {
      expect(Object.keys(state.tensors).some((key) => key.startsWith('optim/'))).toBe(true);
      const back = c.getState();
      for (const key of Object.keys(state.tensors)) expect(Array.from(back.tensors[key].data)).toEqual(Array.from(state.tensors[key].data));
      expect(c.scalars()).toEqual(a.scalars());
      const probe = new Float32Array(Array.from({ length: 64 }, (_, i) => Math.cos(i) * 0.3));
      expect(Array.from(c.act(probe, 'train'))).toEqual(Array.from(a.act(probe, 'train')));
      expect(() => c.setState({ ...state, algorithm: 'PPO' })).toThrow(/cannot load a PPO state into a Reinforce agent/);
    });
  });

  it('a different seed gives different weights', async () => {
    expectSeedsDiffer(await agentMaker(reinforceSpec()));
  });
});
