import { describe, expect, it } from 'vitest';
import { initBackend, type ComputeBackend } from '@gymlab/backends';
import { makeVectorEnv } from '@gymlab/envs';
import type { Spec } from '@gymlab/spec';
import { checkAgentSpec } from '../registry.js';
import { dqnSpec, withName } from '../test-utils/dqn-spec.js';
import { expectFrozenUpdateCaught, expectSameSeedSameWeights, type MakeAgent } from '../test-utils/determinism.js';
import { thrown } from '../test-utils/thrown.js';
import { agentFor, trainFor } from '../test-utils/train.js';
import { NotBuiltError, type Agent, type TrainStats } from '../types.js';
import { FAST_PATH } from '../test-utils/fast-path.js';

type Obj = Record<string, unknown>;

let fastBackend: ComputeBackend | undefined;
async function fast(): Promise<ComputeBackend> {
  fastBackend ??= await initBackend({ gpu: false, backend: 'fast' });
  return fastBackend;
}
/** The fast path's backends here: fast (wasm kernels), and native where it is built (@gymlab/backends' kernels.test.ts fails where it should be and is not). */
const onFastPath = (b: 'fast' | 'native'): Promise<ComputeBackend> => (b === 'fast' ? fast() : initBackend({ gpu: false, backend: 'native' }));
const cpu = (): Promise<ComputeBackend> => initBackend({ gpu: false, backend: 'cpu' });

/** A DQN-family spec (dqn_boltzmann_cartpole's shape, small) on `backend`. */
function spec(name: string, backend: 'fast' | 'native' | 'cpu', o: { memory?: Obj; net?: Obj; algorithm?: Obj } = {}): Spec {
  return withName(dqnSpec({ memory: { alpha: 0.6, epsilon: 1e-4, ...o.memory }, net: { backend, ...o.net }, algorithm: o.algorithm }), name);
}

/** The one-line NotBuiltError `checkAgentSpec` gives `s` on CartPole. */
function refusal(s: Spec): string {
  const env = makeVectorEnv('CartPole-v1', 1);
  const e = thrown(() => checkAgentSpec(s, env.singleObservationSpace, env.singleActionSpace));
  expect(e).toBeInstanceOf(NotBuiltError);
  return e.message;
}

const variants: { name: string; memory: string; loss: string; update: string }[] = [
  { name: 'DQN', memory: 'Replay', loss: 'SmoothL1Loss', update: 'replace' },
  { name: 'DoubleDQN', memory: 'PrioritizedReplay', loss: 'HuberLoss', update: 'polyak' },
  { name: 'VanillaDQN', memory: 'Replay', loss: 'MSELoss', update: 'replace' },
];

describe('DQN family on backend fast', () => {
  for (const [v, on] of variants.flatMap((v) => FAST_PATH.map((on) => [v, on] as const))) {
    const over = { memory: { name: v.memory }, net: { loss_spec: { name: v.loss }, update_type: v.update, update_frequency: 16 } };
    it(`${v.name} + ${v.memory} (${v.loss}, ${v.update}) on ${on}: initial weights and state names equal the tfjs DQN's; 24 vector steps of training (16 rounds) stay within 1e-4 of it`, async () => {
      const make = async (b: 'fast' | 'native' | 'cpu'): Promise<{ agent: Agent; stats: TrainStats[] }> => {
        const env = makeVectorEnv('CartPole-v1', 4);
        return { agent: agentFor(b === 'cpu' ? await cpu() : await onFastPath(b), spec(v.name, b, over), env, 7), stats: [] };
      };
      const f = await make(on);
      const t = await make('cpu');
      const wf = f.agent.weights();
      const wt = t.agent.weights();
      expect(Object.keys(wf).sort()).toEqual(Object.keys(wt).sort());
      for (const k of Object.keys(wt)) expect(Array.from(wf[k]), k).toEqual(Array.from(wt[k]));
      const sf = f.agent.getState().tensors;
      const st = t.agent.getState().tensors;
      expect(Object.keys(sf).sort()).toEqual(Object.keys(st).sort());
      for (const k of Object.keys(st)) expect(sf[k].shape, k).toEqual(st[k].shape);

      const statsF = trainFor(f.agent, makeVectorEnv('CartPole-v1', 4), 24, 1);
      const statsT = trainFor(t.agent, makeVectorEnv('CartPole-v1', 4), 24, 1);
      expect(statsF.map((s) => s.optSteps)).toEqual(statsT.map((s) => s.optSteps));
      expect(statsF.length).toBe(16); // training starts once more than 32 transitions are held (vector step 9), then every vector step
      statsF.forEach((s, i) => {
        expect(s.loss).toBeCloseTo(statsT[i].loss, 4);
        expect(s.gradNorm).toBeCloseTo(statsT[i].gradNorm, 4);
      });
      const init = wf;
      const af = f.agent.weights();
      const at = t.agent.weights();
      let moved = 0;
      for (const k of Object.keys(at)) {
        at[k].forEach((x, i) => {
          expect(Math.abs(af[k][i] - x), `${k}[${i}]`).toBeLessThan(1e-4);
          moved = Math.max(moved, Math.abs(x - init[k][i]));
        });
      }
      expect(moved).toBeGreaterThan(1e-3);
      expect(f.agent.scalars()).toEqual(t.agent.scalars());
      t.agent.dispose();
    });
  }

  it('same seed and inputs -> identical weights; save/load gives the weights, optimizer, scalars and eval actions (DoubleDQN + PER)', async () => {
    const b = await fast();
    const s = spec('DoubleDQN', 'fast', { memory: { name: 'PrioritizedReplay' } });
    const make: MakeAgent = (seed) => ({ agent: agentFor(b, s, makeVectorEnv('CartPole-v1', 4), seed), env: makeVectorEnv('CartPole-v1', 4) });
    expectSameSeedSameWeights(make, 30);
    const a = make(7);
    trainFor(a.agent, a.env, 20);
    const state = a.agent.getState();
    expect(state.tensors['optim/step'].data[0]).toBe(48); // 12 rounds x 2 batches x 2 steps
    const c = make(999);
    c.agent.setState({ ...state, meta: JSON.parse(JSON.stringify(state.meta)) as typeof state.meta }); // meta is data: it survives JSON
    const probe = makeVectorEnv('CartPole-v1', 4).reset({ seed: 11 });
    expect(Array.from(c.agent.act(probe, 'eval'))).toEqual(Array.from(a.agent.act(probe, 'eval')));
    expect(c.agent.scalars()).toEqual(a.agent.scalars());
    const again = c.agent.getState();
    for (const k of Object.keys(state.tensors)) expect(again.tensors[k].data, k).toEqual(state.tensors[k].data);
    const { ['target_net/l1/bias']: _dropped, ...partial } = state.tensors;
    expect(() => c.agent.setState({ ...state, tensors: partial })).toThrow(/'target_net\/l1\/bias' is missing/);
    a.agent.dispose();
    c.agent.dispose();
  });

  it('the dev checks catch an update that leaves the parameters unchanged (lr 0)', async () => {
    const b = await fast();
    const s = spec('DQN', 'fast', { net: { optim_spec: { name: 'Adam', lr: 0 } } });
    expectFrozenUpdateCaught((seed) => ({ agent: agentFor(b, s, makeVectorEnv('CartPole-v1', 4), seed, true), env: makeVectorEnv('CartPole-v1', 4) }), 20);
  });

  it('acts on more rows than its buffers hold (eval on a larger vector env) as on them one chunk at a time', async () => {
    const agent = agentFor(await fast(), spec('DQN', 'fast', { memory: { batch_size: 4 } }), makeVectorEnv('CartPole-v1', 4), 3);
    const big = makeVectorEnv('CartPole-v1', 10).reset({ seed: 2 });
    const all = Array.from(agent.act(big, 'eval'));
    const parts = [0, 4, 8].flatMap((r) => Array.from(agent.act(big.subarray(r * 4, Math.min(10, r + 4) * 4), 'eval')));
    expect(all).toEqual(parts);
  });

  it('refuses what the fast path has not built, in one line naming it', () => {
    expect(refusal(spec('DQN', 'fast', { net: { type: 'DuelingMLPNet' } }))).toMatch(/^backend fast: agent.net.type 'DuelingMLPNet' not built yet; it runs VanillaDQN, DQN and DoubleDQN/);
    expect(refusal(spec('DQN', 'fast', { net: { optim_spec: { name: 'RMSprop', lr: 1e-3 } } }))).toMatch(/^backend fast: agent.net.optim_spec.name 'RMSprop' not built yet/);
    expect(refusal(spec('DQN', 'fast', { net: { hid_layers_activation: 'sigmoid' } }))).toMatch(/^backend fast: activation 'sigmoid' not built yet/);
    expect(refusal(spec('DQN', 'fast', { net: { layer_norm: true } }))).toMatch(/^backend fast: MLPNet batch_norm\/layer_norm not built yet/);
    expect(refusal(spec('DQN', 'fast', { net: { type: 'DuelingMLPNet' } })).split('\n')).toHaveLength(1);
  });
});
