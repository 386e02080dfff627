/** The same-seed and checkpoint checks the agents' tests share (vitest expectations). */
import { expect } from 'vitest';
import { snapshotOf, type EnvSnapshot, type SnapshotEnv, type VectorEnv } from '@gymlab/envs';
import { AgentCheckError, type Agent, type AgentState, type TrainStats } from '../types.js';
import { trainFor, weightsAfter } from './train.js';

/** A fresh agent with `seed` on a fresh env. */
export type MakeAgent = (seed: number) => { agent: Agent; env: VectorEnv };

/** Two agents of seed 42 trained `steps` vector steps from a reset with seed 5 end with identical (and some) weights. */
export function expectSameSeedSameWeights(make: MakeAgent, steps: number): void {
  const w1 = weightsAfter(() => make(42), steps, 5);
  const w2 = weightsAfter(() => make(42), steps, 5);
  expect(Object.keys(w1).length).toBeGreaterThan(0);
  for (const k of Object.keys(w1)) expect(w2[k]).toEqual(w1[k]);
}

/**
 * The checkpoint round trip: an agent of seed 7 trained `steps` is saved (meta survives JSON) and
 * loaded into a fresh one of seed 999; `afterLoad` may check more (or reload the first one); both
 * then train `steps` more from a reset with seed 3 and must end with identical weights.
 * Returns the saved state; both agents are disposed.
 */
export function expectResumesIdentically(make: MakeAgent, steps: number, afterLoad: (state: AgentState, a: Agent, c: Agent, envA: VectorEnv) => void = () => {}): AgentState {
  const a = make(7);
  trainFor(a.agent, a.env, steps);
  const state = a.agent.getState();
  expect(JSON.parse(JSON.stringify(state.meta))).toEqual(state.meta);
  const c = make(999);
  try {
    c.agent.setState(state);
    afterLoad(state, a.agent, c.agent, a.env);
    trainFor(a.agent, a.env, steps, 3);
    trainFor(c.agent, c.env, steps, 3);
    expectSameWeights(a.agent, c.agent);
    return state;
  } finally {
    a.agent.dispose();
    c.agent.dispose();
  }
}

/** Every weight tensor of `c` equals `a`'s. */
function expectSameWeights(a: Agent, c: Agent): void {
  const wa = a.weights();
  const wc = c.weights();
  for (const k of Object.keys(wa)) expect(wc[k]).toEqual(wa[k]);
}

/** Agents of seeds 1 and 2 start with different `key` weights. */
export function expectSeedsDiffer(make: MakeAgent, key = 'net/l0/kernel'): void {
  const a = make(1);
  const b = make(2);
  expect(Array.from(a.agent.weights()[key])).not.toEqual(Array.from(b.agent.weights()[key]));
  a.agent.dispose();
  b.agent.dispose();
}

/** `make` builds agents whose updates leave the parameters unchanged: the dev checks throw AgentCheckError within `steps`. */
export function expectFrozenUpdateCaught(make: MakeAgent, steps: number): void {
  const { agent, env } = make(1);
  expect(() => trainFor(agent, env, steps)).toThrow(AgentCheckError);
  agent.dispose();
}

/** A state as it comes back from a checkpoint: tensors copied, meta through JSON. */
function throughCheckpoint(state: AgentState): AgentState {
  const tensors: Record<string, { shape: readonly number[]; data: Float32Array }> = {};
  for (const [k, t] of Object.entries(state.tensors)) tensors[k] = { shape: [...t.shape], data: t.data.slice() };
  return { algorithm: state.algorithm, tensors, meta: JSON.parse(JSON.stringify(state.meta)) as AgentState['meta'] };
}

/** One vector step of `agent` on `env` from `obs`: its actions, the update's stats and the next observations. */
function stepOnce(agent: Agent, env: VectorEnv, obs: Float32Array, frame: number): { actions: number[]; stats: TrainStats | null; obs: Float32Array } {
  const action = agent.act(obs, 'train');
  const s = env.step(action);
  const stats = agent.update({ obs, action, reward: s.reward, nextObs: s.nextObs, terminated: s.terminated, truncated: s.truncated }, frame);
  return { actions: Array.from(action), stats, obs: s.obs };
}

/**
 * The resume round trip in the middle of a trajectory: an agent of seed 7 runs `before` vector
 * steps from a reset with seed 5; its `resumeState()` (through a checkpoint) and its env's
 * snapshot (through JSON) go into a fresh agent of seed 999 and a fresh env; both then run `after`
 * steps and must take the same actions, report the same stats and end with identical weights.
 * `onSaved` sees the saved state (callers check what the cut holds). Returns how many updates
 * happened after the cut (callers check the cut was inside a training cycle).
 */
export function expectContinuesExactly(make: MakeAgent, before: number, after: number, onSaved: (state: AgentState) => void = () => {}): number {
  const a = make(7);
  const c = make(999);
  try {
    const n = a.env.numEnvs;
    let obsA: Float32Array = a.env.reset({ seed: 5 });
    let frame = 0;
    for (let t = 0; t < before; t++) obsA = stepOnce(a.agent, a.env, obsA, (frame += n)).obs;
    const saved = a.agent.resumeState?.() ?? null;
    expect(saved).not.toBeNull();
    onSaved(saved as AgentState);
    const envSnap = snapshotOf(a.env);
    expect(envSnap).not.toBeNull();
    c.agent.setState(throughCheckpoint(saved as AgentState));
    (c.env as unknown as SnapshotEnv).restore(JSON.parse(JSON.stringify(envSnap)) as EnvSnapshot);
    let obsC: Float32Array = obsA.slice();
    let updates = 0;
    for (let t = 0; t < after; t++) {
      frame += n;
      const sa = stepOnce(a.agent, a.env, obsA, frame);
      const sc = stepOnce(c.agent, c.env, obsC, frame);
      expect(sc.actions).toEqual(sa.actions);
      expect(sc.stats).toEqual(sa.stats);
      if (sa.stats !== null) updates++;
      obsA = sa.obs;
      obsC = sc.obs;
    }
    expectSameWeights(a.agent, c.agent);
    return updates;
  } finally {
    for (const x of [a, c]) x.agent.dispose();
  }
}
