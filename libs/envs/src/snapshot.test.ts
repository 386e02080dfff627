import { describe, expect, it } from 'vitest';
import { NormalizedVectorEnv, SyncVectorEnv, makeEnv, makeVectorEnv, snapshotOf, type EnvSnapshot, type NormalizationOptions, type SnapshotEnv, type VectorEnv, type VectorStep } from '@gymlab/envs';
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

/**
 * A normalised vector env of 2 `id`s reset with `seed` and played `steps` steps, and a fresh one
 * given its statistics and (JSON) snapshot; `saved` is the first reset's observations.
 */
function cutAndRestore(id: string, opts: NormalizationOptions, seed: number, steps: number, space: { n: number } | { box: number }): { a: NormalizedVectorEnv; b: NormalizedVectorEnv; saved: Float32Array } {
  const a = new NormalizedVectorEnv(makeVectorEnv(id, 2), opts);
  const saved = a.env.reset({ seed });
  play(a.env, new Rng(1), steps, space);
  const snap = roundTrip(a.snapshot() as EnvSnapshot);
  const stats = JSON.parse(JSON.stringify(a.getState())) as ReturnType<typeof a.getState>;
  const b = new NormalizedVectorEnv(makeVectorEnv(id, 2), opts);
  b.setState(stats);
  b.restore(snap);
  return { a, b, saved };
}

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
    const { a, b } = cutAndRestore('Pendulum-v1', opts, 3, 50, { box: 1 });
    expect(plain(play(b.env, new Rng(2), 60, { box: 1 }))).toEqual(plain(play(a.env, new Rng(2), 60, { box: 1 })));
  });

  it('an evaluation env (frozen NormalizeObservation, ClipObservation over Pendulum) continues exactly', () => {
    const opts = { normalizeObs: true, clipObs: 1, normalizeReward: false, clipReward: null, gamma: 0.99 };
    const train = new NormalizedVectorEnv(makeVectorEnv('Pendulum-v1', 2), opts);
    train.env.reset({ seed: 3 });
    play(train.env, new Rng(1), 20, { box: 1 });
    const a = train.wrapEval(makeEnv('Pendulum-v1'));
    a.reset({ seed: 4 });
    for (let t = 0; t < 7; t++) a.step(Float32Array.of(0.5));
    const snap = roundTrip(snapshotOf(a) as EnvSnapshot);
    const other = new NormalizedVectorEnv(makeVectorEnv('Pendulum-v1', 2), opts);
    const b = other.wrapEval(makeEnv('Pendulum-v1')) as unknown as SnapshotEnv & typeof a;
    b.restore(snap); // also puts back the (shared) statistics
    const run = (e: typeof a): unknown[] => Array.from({ length: 30 }, (_, t) => Array.from(e.step(Float32Array.of(Math.sin(t)))[0] as Float32Array));
    expect(run(b)).toEqual(run(a));
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

  it('an env without snapshot() gives null, so a caller can refuse', () => {
    expect(snapshotOf({})).toBeNull();
  });
});

describe('restart snapshots (Box2D): a fresh episode at the checkpoint, from the saved generator', () => {
  it.each([
    ['LunarLander-v3', { n: 4 }],
    ['BipedalWalker-v3', { box: 4 }],
  ] as const)('%s: each restore starts every sub-env afresh, identically, and the episodes then run on identically', (id, space) => {
    const a = makeVectorEnv(id, 2);
    a.reset({ seed: 5 });
    play(a, new Rng(1), 30, space);
    const snap = roundTrip(snapshotOf(a) as EnvSnapshot);
    expect((snap.envs as EnvSnapshot[]).map((e) => (e.env as EnvSnapshot).restart)).toEqual([true, true]);
    const restored = (): SyncVectorEnv => {
      const v = makeVectorEnv(id, 2) as SyncVectorEnv;
      v.restore(snap);
      return v;
    };
    const [b, c] = [restored(), restored()];
    const firstObs = (v: SyncVectorEnv): number[][] => v.restarted().map((r) => [r.envIndex, ...r.obs]);
    expect(firstObs(b).map((r) => r[0])).toEqual([0, 1]);
    expect(firstObs(c)).toEqual(firstObs(b));
    // the fresh episode is the one a reset from the generator saved at the cut gives
    const own = makeEnv(id) as unknown as { restore(s: EnvSnapshot): void; reset(): [ArrayLike<number>] };
    own.restore((snap.envs as EnvSnapshot[])[1]);
    expect(Array.from(Float32Array.from(own.reset()[0]))).toEqual(firstObs(b)[1].slice(1));
    const stepsB = plain(play(b, new Rng(2), 120, space));
    expect(plain(play(c, new Rng(2), 120, space))).toEqual(stepsB);
    // episode statistics count from the restart: the dropped partial episode's steps are not in them
    const ended = (stepsB as { finished: { envIndex: number; length: number }[] }[]).map((st, t) => st.finished.map((f) => ({ ...f, t }))).flat();
    const firstEnded = ended.filter((e, k) => ended.findIndex((x) => x.envIndex === e.envIndex) === k);
    expect(firstEnded.length).toBeGreaterThan(0);
    for (const f of firstEnded) expect(f.length).toBe(f.t + 1);
  });

  it('restart snapshots refuse a snapshot that is not one, in one line', () => {
    const env = makeEnv('LunarLander-v3') as unknown as { restore(s: EnvSnapshot): void };
    expect(() => env.restore({ elapsed: 3, env: {} })).toThrow(/^LunarLander-v3 snapshot is not a restart snapshot \(restart: true\)$/);
  });

  it("a normalised env's resumeObservations: exact snapshots keep the saved rows, restarted sub-envs get their first observation transformed", () => {
    const opts = { normalizeObs: true, clipObs: 0.5, normalizeReward: false, clipReward: null, gamma: 0.99 };
    const { b, saved } = cutAndRestore('LunarLander-v3', opts, 2, 10, { n: 4 });
    const count = b.obsRms?.getState().count ?? 0;
    const obs = b.resumeObservations(saved);
    expect(b.obsRms?.getState().count).toBe(count + 2); // merged into the statistics, as an auto-reset's are
    expect(Array.from(obs)).not.toEqual(Array.from(saved));
    expect(obs.every((x) => Math.abs(x) <= 0.5)).toBe(true);
    const c = new NormalizedVectorEnv(makeVectorEnv('CartPole-v1', 2), opts);
    c.env.reset({ seed: 2 });
    const exact = new NormalizedVectorEnv(makeVectorEnv('CartPole-v1', 2), opts);
    exact.restore(roundTrip(c.snapshot() as EnvSnapshot));
    expect(Array.from(exact.resumeObservations(Float32Array.of(1, 2, 3, 4, 5, 6, 7, 8)))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});
