import { describe, expect, it } from 'vitest';
import { NormalizedVectorEnv, makeEnv, makeVectorEnv, snapshotOf, type EnvSnapshot, type VectorEnv, type VectorStep } from '@gymlab/envs';
import { Rng } from '@gymlab/random';

/** `steps` vector steps with actions drawn from `rng` (discrete `n` actions, or a Box of `box` values in [-2, 2]). */
function play(vec: VectorEnv, rng: Rng, steps: number, space: { n: number } | { box: number }): VectorStep[] {
  const out: VectorStep[] = [];
  for (let t = 0; t < steps; t++) {
    const actions = 'n' in space ? Int32Array.from({ length: vec.numEnvs }, () => rng.int(space.n)) : Float32Array.from({ length: vec.numEnvs * space.box }, () => rng.uniform(-2, 2));
    out.push(vec.step(actions));
  }
  return out;
}

const plain = (steps: VectorStep[]): unknown[] => steps.map((s) => ({ ...s, nextObs: Array.from(s.nextObs), obs: Array.from(s.obs), reward: Array.from(s.reward), terminated: Array.from(s.terminated), truncated: Array.from(s.truncated) }));
const roundTrip = (s: EnvSnapshot): EnvSnapshot => JSON.parse(JSON.stringify(s)) as EnvSnapshot;

/** Steps before the cut, so that episodes end (at the time limit or earlier) after it. */
const BEFORE: Readonly<Record<string, number>> = { 'CartPole-v1': 40, 'MountainCarContinuous-v0': 800 };

describe('env snapshots', () => {
  it.each([
    ['CartPole-v1', { n: 2 }],
    ['Acrobot-v1', { n: 3 }],
    ['MountainCar-v0', { n: 3 }],
    ['Pendulum-v1', { box: 1 }],
    ['MountainCarContinuous-v0', { box: 1 }],
  ] as const)('%s: a vector env restored from a JSON snapshot steps exactly as the original goes on', (id, space) => {
    const a = makeVectorEnv(id, 3);
    a.reset({ seed: 5 });
    // long enough for episodes to end (and auto-reset from the sub-envs' generators) on both sides of the cut
    play(a, new Rng(1), BEFORE[id] ?? 230, space);
    const snap = snapshotOf(a);
    expect(snap).not.toBeNull();
    const b = makeVectorEnv(id, 3);
    (b as unknown as { restore(s: EnvSnapshot): void }).restore(roundTrip(snap as EnvSnapshot));
    const after = (vec: VectorEnv): unknown[] => plain(play(vec, new Rng(2), 300, space));
    const wantSteps = after(a);
    expect(after(b)).toEqual(wantSteps);
    expect(wantSteps.some((s) => (s as { finished: unknown[] }).finished.length > 0)).toBe(true);
  });

  it('a normalised vector env continues with the same statistics and discounted sums', () => {
    const opts = { normalizeObs: true, clipObs: 10, normalizeReward: true, clipReward: [-10, 10] as const, gamma: 0.99 };
    const a = new NormalizedVectorEnv(makeVectorEnv('Pendulum-v1', 2), opts);
    a.env.reset({ seed: 3 });
    play(a.env, new Rng(1), 50, { box: 1 });
    const snap = roundTrip(a.snapshot() as EnvSnapshot);
    const stats = JSON.parse(JSON.stringify(a.getState())) as ReturnType<typeof a.getState>;
    const b = new NormalizedVectorEnv(makeVectorEnv('Pendulum-v1', 2), opts);
    b.restore(snap);
    b.setState(stats);
    expect(plain(play(b.env, new Rng(2), 60, { box: 1 }))).toEqual(plain(play(a.env, new Rng(2), 60, { box: 1 })));
  });

  it('a snapshot that does not fit is refused with one line naming the part', () => {
    const a = makeVectorEnv('CartPole-v1', 2);
    a.reset({ seed: 1 });
    const snap = snapshotOf(a) as EnvSnapshot;
    const b = makeVectorEnv('CartPole-v1', 3) as unknown as { restore(s: EnvSnapshot): void };
    expect(() => b.restore(snap)).toThrow(/CartPole-v1 vector snapshot.envs must hold 3 sub-env snapshots/);
    const c = makeVectorEnv('CartPole-v1', 2) as unknown as { restore(s: EnvSnapshot): void };
    const bad = { ...snap, envs: [snap.envs, snap.envs].flat().slice(0, 1).concat([{ elapsed: 1, env: { state: [1, 2], rng: null, ready: true, extra: {} } }]) };
    expect(() => c.restore(bad as EnvSnapshot)).toThrow(/CartPole-v1 snapshot.state must be 4 numbers/);
  });

  it('envs without snapshots (Box2D) give null, so a caller can refuse', () => {
    expect(snapshotOf(makeVectorEnv('LunarLander-v3', 1))).toBeNull();
    expect(snapshotOf(makeEnv('LunarLander-v3'))).toBeNull();
  });
});
