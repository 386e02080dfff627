import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ComputeBackend } from '@gymlab/backends';
import { Box, Discrete, makeVectorEnv } from '@gymlab/envs';
import { Rng } from '@gymlab/random';
import { loadSpec, type Spec } from '@gymlab/spec';
import { checkAgentSpec, fastPathFit } from '../registry.js';
import { NotBuiltError, type AgentContext } from '../types.js';
import { brnArc, crossqSpec, plainArc } from '../test-utils/crossq-spec.js';
import { expectResumesIdentically, expectSameSeedSameWeights } from '../test-utils/determinism.js';
import { expectSameRounds, expectSameState } from '../test-utils/sac-compare.js';
import { agentFor, trainFor } from '../test-utils/train.js';
import { thrown } from '../test-utils/thrown.js';
import { TfjsCrossQCompute } from './crossq.js';
import { FastCrossQCompute } from './crossq-fast.js';
import { sacConfigOf } from './sac-config.js';
import { FAST_PATH, initFastPathBackends } from '../test-utils/fast-path.js';

const CLASSIC = fileURLToPath(new URL('../../../../../shared/slm_lab_specs_next/benchmark/crossq/crossq_classic.yaml', import.meta.url));

let fast: ComputeBackend;
let native: ComputeBackend | null = null;
let cpu: ComputeBackend;
beforeAll(async () => {
  ({ fast, native, cpu } = await initFastPathBackends());
});

type Obj = Record<string, unknown>;
const BRN = 'q1_net/body/1';
/** The spec on a backend: TorchArcNet actor (crossq_classic's shape), warm-up 2 with tight r/d limits so the clips bite. */
function spec(env: string, backend: 'fast' | 'native' | 'cpu', o: { algorithm?: Obj; critic?: Obj; net?: Obj } = {}): Spec {
  return crossqSpec(env, { ...o, net: { type: 'TorchArcNet', arc: plainArc(), hid_layers: [], backend, ...o.net }, critic: { arc: brnArc(2, { r_max: 1.2, d_max: 0.2 }), ...o.critic } });
}

/**
 * The pair of computes on one spec. The critics' Adam eps is 1e-3 here: the Linear before a
 * training-mode BatchRenorm has a bias whose gradient is 0 (the norm subtracts the batch mean), so
 * both sides compute rounding noise (1e-9..1e-7) for it, and Adam with eps 1e-8 turns any noise
 * into a step of +-lr whose sign differs between two implementations (torch's too). eps 1e-3 keeps
 * those steps under 1e-4 lr, while the other gradients (1e-2..1 here) still drive Adam as usual and
 * the first moments (all gradients, flat) are compared within 1e-5 after every critic step.
 */
function computes(env: string, o: { critic?: Obj; net?: Obj } = {}, on: 'fast' | 'native' = 'fast'): { f: FastCrossQCompute; t: TfjsCrossQCompute } {
  o = { ...o, critic: { optim_spec: { name: 'Adam', lr: 0.001, eps: 1e-3 }, ...o.critic } };
  const e = makeVectorEnv(env, 2);
  const ctx = (backend: ComputeBackend, s: Spec): AgentContext => ({ spec: s, observationSpace: e.singleObservationSpace, actionSpace: e.singleActionSpace, numEnvs: 2, seed: 5, backend, devChecks: false });
  const init = (c: AgentContext) => ({ ctx: c, cfg: sacConfigOf(c.spec, c.actionSpace), seeds: [11, 12, 13] as const, maxBatch: 48 });
  const f = new FastCrossQCompute(init(ctx(on === 'native' && native !== null ? native : fast, spec(env, on, o))));
  return { f, t: new TfjsCrossQCompute(init(ctx(cpu, spec(env, 'cpu', o)))) };
}

describe.each(FAST_PATH)('CrossQ on backend %s: the same numbers as TfjsCrossQCompute (tfjs autodiff)', (on) => {
  it.each<[string, string, { critic?: Obj; net?: Obj }]>([
    ['continuous, Adam, MSELoss', 'Pendulum-v1', {}],
    ['discrete (CartPole)', 'CartPole-v1', {}],
    ['continuous, AdamW, clip_grad_val 0.5, SmoothL1Loss, tanh', 'Pendulum-v1', { critic: { optim_spec: { name: 'AdamW', lr: 0.002, eps: 1e-3 }, clip_grad_val: 0.5, hid_layers_activation: 'tanh' }, net: { loss_spec: { name: 'SmoothL1Loss' } } }],
  ])('3 rounds (policy and alpha every 2nd: policy_delay) move every weight, Adam moment and BatchRenorm statistic as tfjs does, within 1e-5 (%s)', (_what, env, o) => {
    const { f, t } = computes(env, o, on);
    expectSameRounds(f, t, { B: 48, rounds: 3, discrete: env === 'CartPole-v1', policyEvery: 2, rng: new Rng(9), afterCritic: () => expectSameState(f.getState(), t.getState()) });
    const sf = f.getState();
    expectSameState(sf, t.getState());
    // 3 critic steps: the warm-up (2) is over, the statistics moved; the policy steps (eval mode) did not count
    expect(Array.from(sf[`${BRN}/step`].data)).toEqual([3]);
    expect(Array.from(sf[`${BRN}/running_mean`].data).some((v) => v !== 0)).toBe(true);
    t.dispose();
  });
});

describe('CrossQ on backend fast: the agent', () => {
  it("the registry builds it with the tfjs CrossQ's initial weights and checkpoint tensor names and shapes", () => {
    const env = makeVectorEnv('Pendulum-v1', 2);
    const f = agentFor(fast, spec('Pendulum-v1', 'fast'), env, 7);
    const t = agentFor(cpu, spec('Pendulum-v1', 'cpu'), env, 7);
    const plain = (w: Readonly<Record<string, Float32Array>>): Record<string, number[]> => Object.fromEntries(Object.entries(w).map(([k, v]) => [k, Array.from(v)]));
    expect(plain(f.weights())).toEqual(plain(t.weights()));
    const layout = (a: typeof f): Array<[string, readonly number[]]> => Object.entries(a.getState().tensors).map(([k, v]) => [k, v.shape]);
    expect(layout(f)).toEqual(layout(t));
    expect(f.algorithmName).toBe('CrossQ');
    t.dispose();
  });

  it('without critic_net the critics are agent.net (an MLPNet here), with the tfjs agent\'s initial weights and names', () => {
    const noCritic = (backend: 'fast' | 'cpu'): Spec => {
      const s = crossqSpec('CartPole-v1', { net: { backend } });
      return { ...s, agent: { ...s.agent, critic_net: null } };
    };
    const env = makeVectorEnv('CartPole-v1', 2);
    const f = agentFor(fast, noCritic('fast'), env, 3);
    const t = agentFor(cpu, noCritic('cpu'), env, 3);
    const plain = (w: Readonly<Record<string, Float32Array>>): Record<string, number[]> => Object.fromEntries(Object.entries(w).map(([k, v]) => [k, Array.from(v)]));
    expect(plain(f.weights())).toEqual(plain(t.weights()));
    expect(Object.keys(f.weights())).toContain('q1_net/l2/kernel');
    t.dispose();
    f.dispose();
  });

  it('smoke with dev checks: policy_delay 3, batch renorm steps once per critic step', () => {
    const env = makeVectorEnv('CartPole-v1', 2);
    const agent = agentFor(fast, spec('CartPole-v1', 'fast', { algorithm: { policy_delay: 3, training_iter: 1 } }), env, 2, true);
    const stats = trainFor(agent, env, 22);
    expect(stats.map((s) => s.optSteps)).toEqual([2, 2, 4, 2, 2, 4]);
    expect(Array.from(agent.getState().tensors[`${BRN}/step`].data)).toEqual([6]);
    expect(agent.act(new Float32Array(8), 'train')).toBeInstanceOf(Int32Array);
    agent.dispose();
  });

  it.each(['Pendulum-v1', 'CartPole-v1'])('same seed, same weights; a resumed agent (nets, BatchRenorm statistics and steps, optimizers, log alpha, replay) continues as the original (%s)', (name) => {
    const make = (seed: number) => {
      const env = makeVectorEnv(name, 2);
      return { agent: agentFor(fast, spec(name, 'fast'), env, seed), env };
    };
    expectSameSeedSameWeights(make, 22);
    const state = expectResumesIdentically(make, 22, (s, _a, c) => {
      for (const k of ['running_mean', 'running_var', 'step']) expect(c.getState().tensors[`${BRN}/${k}`]).toEqual(s.tensors[`${BRN}/${k}`]);
    });
    expect(state.tensors[`${BRN}/step`].data[0]).toBeGreaterThan(0);
    expect(state.tensors['optim/q2/v'].data.length).toBe(state.tensors['optim/q2/m'].data.length);
  });

  it("fastPathFit takes crossq_classic.yaml's specs (so CPU runs them on fast by default); what the fast path lacks is refused in one line", () => {
    const cartpole = loadSpec(CLASSIC, 'crossq_cartpole');
    const pendulum = loadSpec(CLASSIC, 'crossq_pendulum');
    expect(fastPathFit(cartpole, new Box(-1, 1, [4]), new Discrete(2))).toEqual({ fits: true, algorithm: 'CrossQ' });
    expect(fastPathFit(pendulum, new Box(-1, 1, [3]), new Box(-2, 2, [1]))).toEqual({ fits: true, algorithm: 'CrossQ' });
    const obs = new Box(-1, 1, [3]);
    const act = new Box(-2, 2, [1]);
    const refusal = (o: { critic?: Obj; net?: Obj }): string => {
      const e = thrown(() => checkAgentSpec(spec('Pendulum-v1', 'fast', o), obs, act));
      expect(e).toBeInstanceOf(NotBuiltError);
      return e.message;
    };
    const ln = { modules: { body: { Sequential: [{ LazyLinear: { out_features: 8 } }, { LayerNorm: { normalized_shape: 8 } }] } }, graph: { input: 'x', modules: { body: ['x'] }, output: 'body' } };
    expect(refusal({ critic: { arc: ln } })).toMatch(/^backend fast: agent.critic_net TorchArcNet layer 'layer_norm' not built yet; [^\n]*$/);
    expect(refusal({ critic: { optim_spec: { name: 'RMSprop', lr: 0.001 } } })).toMatch(/^backend fast: CrossQ agent.critic_net.optim_spec.name 'RMSprop' not built yet/);
    expect(fastPathFit(spec('Pendulum-v1', 'cpu', { critic: { arc: ln } }), obs, act)).toMatchObject({ fits: false, reason: "the fast path does not run agent.critic_net TorchArcNet layer 'layer_norm'" });
  });
});
