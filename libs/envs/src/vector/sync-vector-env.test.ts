import { describe, expect, it } from 'vitest';
import { CartPole, SyncVectorEnv, TimeLimit, makeEnv, makeVectorEnv, type VectorStep } from '@gymlab/envs';
import { Rng } from '@gymlab/random';

const OBS = 4;

/** Random CartPole actions for `n` envs. */
function actions(rng: Rng, n: number): Int32Array {
  return Int32Array.from({ length: n }, () => rng.int(2));
}

describe('SyncVectorEnv', () => {
  it('reset seeds sub-env i with seed + i', () => {
    const vec = makeVectorEnv('CartPole-v1', 3);
    const obs = vec.reset({ seed: 10 });
    for (let i = 0; i < 3; i++) {
      const [single] = makeEnv('CartPole-v1').reset({ seed: 10 + i });
      expect(Array.from(obs.subarray(i * OBS, (i + 1) * OBS))).toEqual(Array.from(single));
    }
  });

  it("reset(seed) draws what Gymnasium 1.4's SyncVectorEnv draws (sub-env i seeded with seed + i)", () => {
    // Gymnasium 1.4.0: SyncVectorEnv([CartPole-v1] * 3).reset(seed=10); envs[i].unwrapped.state, as float32
    const want = [
      [0.045600170962897535, -0.029231818992085313, 0.03284448852745307, -0.03507178769179797],
      [-0.03714297972308004, -7.221375598850249e-5, 0.010149835762335746, -0.04713109916280555],
      [-0.02491755418915539, 0.044675294285942455, -0.03106796154602387, -0.032070858958189244],
    ];
    const obs = makeVectorEnv('CartPole-v1', 3).reset({ seed: 10 });
    expect(Array.from(obs)).toEqual(Array.from(Float32Array.from(want.flat())));
  });

  it('no transition spans two episodes: nextObs is the true final obs, obs the reset obs', () => {
    const n = 3;
    const vec = makeVectorEnv('CartPole-v1', n);
    // Mirror each sub-env with a single env driven by the same seed and actions.
    const singles = Array.from({ length: n }, () => makeEnv('CartPole-v1'));
    let obs = vec.reset({ seed: 0 });
    singles.forEach((e, i) => e.reset({ seed: i }));
    const rng = new Rng(42);
    let ended = 0;
    for (let t = 0; t < 400; t++) {
      const a = actions(rng, n);
      const prev = obs;
      const step = vec.step(a);
      for (let i = 0; i < n; i++) {
        const [o, r, te, tr] = singles[i].step(a[i]);
        const sl = (x: Float32Array): number[] => Array.from(x.subarray(i * OBS, (i + 1) * OBS));
        expect(sl(step.nextObs)).toEqual(Array.from(o));
        expect(step.reward[i]).toBe(r);
        expect(step.terminated[i]).toBe(te ? 1 : 0);
        expect(step.truncated[i]).toBe(tr ? 1 : 0);
        if (te || tr) {
          ended++;
          const [fresh] = singles[i].reset();
          expect(sl(step.obs)).toEqual(Array.from(fresh));
          expect(sl(step.obs)).not.toEqual(sl(step.nextObs));
        } else {
          expect(sl(step.obs)).toEqual(sl(step.nextObs));
        }
      }
      // The previous step's arrays are not overwritten by this one.
      expect(prev).not.toBe(step.obs);
      obs = step.obs;
    }
    expect(ended).toBeGreaterThan(10);
  });

  it('reports finished episodes with their return and length', () => {
    const vec = new SyncVectorEnv([new TimeLimit(new CartPole(), 500), new TimeLimit(new CartPole(), 500)]);
    vec.reset({ seed: 1 });
    const lengths = [0, 0];
    const stats: VectorStep['finished'][number][] = [];
    const rng = new Rng(2);
    for (let t = 0; t < 200; t++) {
      const step = vec.step(actions(rng, 2));
      for (let i = 0; i < 2; i++) lengths[i]++;
      for (const f of step.finished) {
        expect(f.length).toBe(lengths[f.envIndex]);
        expect(f.return).toBe(lengths[f.envIndex]); // CartPole: reward 1 per step
        expect(f.terminated).toBe(step.terminated[f.envIndex] === 1);
        lengths[f.envIndex] = 0;
        stats.push(f);
      }
      const ended = Array.from(step.terminated).map((te, i) => te | step.truncated[i]);
      expect(step.finished.map((f) => f.envIndex)).toEqual(ended.flatMap((e, i) => (e ? [i] : [])));
    }
    expect(stats.length).toBeGreaterThan(5);
  });

  it('truncation by the time limit is reported as truncated, not terminated', () => {
    const vec = makeVectorEnv('Pendulum-v1', 2, { maxEpisodeSteps: 4 });
    vec.reset({ seed: 0 });
    const a = new Float32Array(2);
    let step = vec.step(a);
    for (let t = 1; t < 4; t++) step = vec.step(a);
    expect(Array.from(step.truncated)).toEqual([1, 1]);
    expect(Array.from(step.terminated)).toEqual([0, 0]);
    expect(step.finished.map((f) => [f.envIndex, f.length, f.terminated])).toEqual([
      [0, 4, false],
      [1, 4, false],
    ]);
  });

  it('same seed -> same trajectories, including auto-resets', () => {
    const run = (): number[] => {
      const vec = makeVectorEnv('CartPole-v1', 4);
      const out = Array.from(vec.reset({ seed: 123 }));
      const rng = new Rng(5);
      for (let t = 0; t < 300; t++) {
        const s = vec.step(actions(rng, 4));
        out.push(...s.obs, ...s.reward, ...s.nextObs);
      }
      return out;
    };
    expect(run()).toEqual(run());
  });

  it("autoreset 'next-step' is Gymnasium 1.x's NEXT_STEP: the step after an end only resets (reward 0, flags 0, action ignored)", () => {
    // Two CartPoles cut at 3 steps, as Gymnasium's SyncVectorEnv(autoreset_mode=NEXT_STEP) steps them:
    // t:          1  2  3  4  5  6  7  8
    // reward:     1  1  1  0  1  1  1  0
    // truncated:  0  0  1  0  0  0  1  0
    // obs after t=3 is the final obs; after t=4, the next episode's first obs (also nextObs).
    const vec = new SyncVectorEnv([new TimeLimit(new CartPole(), 3), new TimeLimit(new CartPole(), 3)], { autoreset: 'next-step' });
    const singles = [new TimeLimit(new CartPole(), 3), new TimeLimit(new CartPole(), 3)];
    vec.reset({ seed: 7 });
    singles.forEach((e, i) => e.reset({ seed: 7 + i }));
    const rewards: number[] = [];
    const truncated: number[] = [];
    const finished: number[][] = [];
    const rng = new Rng(3);
    for (let t = 1; t <= 8; t++) {
      const a = actions(rng, 2);
      const step = vec.step(a);
      rewards.push(step.reward[0]);
      truncated.push(step.truncated[0]);
      finished.push(...step.finished.map((f) => [t, f.envIndex, f.length, f.return]));
      for (let i = 0; i < 2; i++) {
        const sl = (x: Float32Array): number[] => Array.from(x.subarray(i * OBS, (i + 1) * OBS));
        const expected = t % 4 === 0 ? singles[i].reset()[0] : singles[i].step(a[i])[0];
        expect(sl(step.nextObs)).toEqual(Array.from(expected));
        expect(sl(step.obs)).toEqual(Array.from(expected));
        expect(step.reward[i]).toBe(t % 4 === 0 ? 0 : 1);
        expect(step.terminated[i]).toBe(0);
      }
    }
    expect(rewards).toEqual([1, 1, 1, 0, 1, 1, 1, 0]);
    expect(truncated).toEqual([0, 0, 1, 0, 0, 0, 1, 0]);
    // the reset step is no part of an episode: lengths and returns 3
    expect(finished).toEqual([
      [3, 0, 3, 3],
      [3, 1, 3, 3],
      [7, 0, 3, 3],
      [7, 1, 3, 3],
    ]);
  });

  it("autoreset 'next-step': a snapshot taken between the end and the reset restores the pending reset", () => {
    const make = (): SyncVectorEnv => new SyncVectorEnv([new TimeLimit(new CartPole(), 3)], { autoreset: 'next-step' });
    const a = new Int32Array(1);
    const vec = make();
    vec.reset({ seed: 1 });
    for (let t = 0; t < 3; t++) vec.step(a);
    const snap = JSON.parse(JSON.stringify(vec.snapshot())) as ReturnType<SyncVectorEnv['snapshot']>;
    const copy = make();
    copy.reset({ seed: 99 });
    copy.restore(snap);
    const want = vec.step(a);
    const got = copy.step(a);
    expect(got.reward[0]).toBe(0);
    expect(Array.from(got.obs)).toEqual(Array.from(want.obs));
    expect(Array.from(copy.step(a).nextObs)).toEqual(Array.from(vec.step(a).nextObs));
  });

  it('checks the action batch size and reset-before-step with one line', () => {
    const vec = makeVectorEnv('CartPole-v1', 2);
    expect(() => vec.step(new Int32Array(2))).toThrow('CartPole-v1: call reset() before step() on the vector env');
    vec.reset({ seed: 0 });
    expect(() => vec.step(new Int32Array(3))).toThrow('CartPole-v1: vector step needs 2 action values, got 3');
    expect(() => makeVectorEnv('CartPole-v1', 0)).toThrow(/numEnvs must be a positive integer/);
  });
});
