import { describe, expect, it } from 'vitest';
import { CartPole, SyncVectorEnv, TimeLimit, makeVectorEnv, rollout, type RolloutStep, type VectorPolicy } from '@gymlab/envs';

/** CartPole: push towards the side the pole leans to (keeps it up for a while, no randomness). */
const lean: VectorPolicy = (obs) => Int32Array.from({ length: obs.length / 4 }, (_, i) => (obs[i * 4 + 2] > 0 ? 1 : 0));

/** Two CartPoles whose episodes are cut at 2 and at 10 steps (the lean policy keeps both alive that long). */
function shortAndLong(): SyncVectorEnv {
  return new SyncVectorEnv([new TimeLimit(new CartPole(), 2), new TimeLimit(new CartPole(), 10)]);
}

describe('rollout', () => {
  it('steps: takes that many vector steps and hands each one over as transitions', () => {
    const env = makeVectorEnv('CartPole-v1', 3);
    const seen: RolloutStep[] = [];
    const r = rollout(env, lean, { steps: 40, seed: 5, onStep: (s) => void seen.push(s) });
    expect(r.steps).toBe(40);
    expect(r.frames).toBe(120);
    expect(seen.map((s) => s.frame)).toEqual(Array.from({ length: 40 }, (_, t) => (t + 1) * 3));
    expect(Array.from(seen[0].obs)).toEqual(Array.from(makeVectorEnv('CartPole-v1', 3).reset({ seed: 5 })));
    for (const s of seen) expect(Array.from(s.action)).toEqual(Array.from(lean(s.obs)));
    // without an episode end, this step's nextObs is the next step's obs
    for (let t = 0; t + 1 < seen.length; t++) {
      if (seen[t].finished.length === 0) expect(Array.from(seen[t + 1].obs)).toEqual(Array.from(seen[t].nextObs));
    }
    const ended = seen.flatMap((s) => s.finished);
    expect(ended.length).toBeGreaterThan(0);
    expect(r.episodeReturns).toEqual(ended.map((e) => e.return));
    expect(r.episodeLengths).toEqual(ended.map((e) => e.length));
  });

  it('episodes: each sub-env counts its share, so short episodes do not crowd out long ones', () => {
    const r = rollout(shortAndLong(), lean, { episodes: 4, seed: 0 });
    // sub-env 0 ends at steps 2, 4, 6, ...; sub-env 1 at 10, 20: two of each are counted
    expect(r.episodeLengths).toEqual([2, 2, 10, 10]);
    expect(r.episodeReturns).toEqual([2, 2, 10, 10]);
    expect(r.steps).toBe(20);
    // an odd count: sub-env i counts floor((3 + i) / 2) -> 1 and 2
    expect(rollout(shortAndLong(), lean, { episodes: 3, seed: 0 }).episodeLengths).toEqual([2, 10, 10]);
  });

  it('with steps and episodes, stops at whichever comes first', () => {
    expect(rollout(shortAndLong(), lean, { episodes: 4, steps: 12, seed: 0 })).toMatchObject({ steps: 12, episodeLengths: [2, 2, 10] });
    expect(rollout(shortAndLong(), lean, { episodes: 2, steps: 100, seed: 0 }).steps).toBe(10);
  });

  it('onStep returning true stops after that step', () => {
    let calls = 0;
    const r = rollout(makeVectorEnv('CartPole-v1', 2), lean, { steps: 100, seed: 0, onStep: () => ++calls === 7 });
    expect(r.steps).toBe(7);
    expect(calls).toBe(7);
  });

  it('same seed -> same returns; a seed restarts the envs', () => {
    const env = makeVectorEnv('CartPole-v1', 2);
    const a = rollout(env, lean, { episodes: 6, seed: 3 });
    const b = rollout(env, lean, { episodes: 6, seed: 3 });
    expect(a.episodeReturns).toHaveLength(6);
    expect(b).toEqual(a);
  });

  it('refuses a rollout without an end, and counts that are not integers >= 0', () => {
    const env = makeVectorEnv('CartPole-v1', 1);
    expect(() => rollout(env, lean, {})).toThrow('rollout: give steps, episodes or both');
    expect(() => rollout(env, lean, { steps: -1 })).toThrow('rollout: steps must be an integer >= 0, got -1');
    expect(() => rollout(env, lean, { episodes: 1.5 })).toThrow('rollout: episodes must be an integer >= 0, got 1.5');
    expect(rollout(env, lean, { steps: 0 })).toEqual({ episodeReturns: [], episodeLengths: [], steps: 0, frames: 0 });
  });
});
