/** The same-seed and checkpoint checks the agents' tests share (vitest expectations). */
import { expect } from 'vitest';
import type { VectorEnv } from '@gymlab/envs';
import { AgentCheckError, type Agent, type AgentState } from '../types.js';
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
    const wa = a.agent.weights();
    const wc = c.agent.weights();
    for (const k of Object.keys(wa)) expect(wc[k]).toEqual(wa[k]);
    return state;
  } finally {
    a.agent.dispose();
    c.agent.dispose();
  }
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
