import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  Box,
  Discrete,
  NormalizedVectorEnv,
  RunningMeanStd,
  VectorClipReward,
  VectorNormalizeReward,
  makeEnv,
  makeVectorEnv,
  observationStatistics,
  type ActionBatch,
  type EnvInfo,
  type NormalizationOptions,
  type RunningMeanStdState,
  type VectorEnv,
  type VectorStep,
} from '@gymlab/envs';

const f = Math.fround;

describe('RunningMeanStd', () => {
  it('merges a batch by the parallel rule from mean 0, var 1, count 1e-4 (float64)', () => {
    const rms = new RunningMeanStd(1, { scalar: true });
    rms.update([2, 4], 2);
    // batch mean 3, batch var 1, count 2; total 2.0001
    expect(rms.count).toBe(2.0001);
    expect(rms.mean[0]).toBeCloseTo(6 / 2.0001, 14);
    expect(rms.var[0]).toBeCloseTo((1e-4 + 2 + (9 * 1e-4 * 2) / 2.0001) / 2.0001, 14);
  });

  it('converges to the mean and population variance of everything seen, whatever the batching', () => {
    const a = new RunningMeanStd(2);
    a.update([1, 10, 2, 20, 3, 30], 3);
    a.update([4, 40, 5, 50], 2);
    const b = new RunningMeanStd(2);
    for (let i = 1; i <= 5; i++) b.update([i, 10 * i], 1);
    for (const rms of [a, b]) {
      expect(rms.mean[0]).toBeCloseTo(3, 3);
      expect(rms.mean[1]).toBeCloseTo(30, 2);
      expect(rms.var[0]).toBeCloseTo(2, 3); // population variance of 1..5
      expect(rms.var[1]).toBeCloseTo(200, 1);
    }
  });

  it('float32 statistics stay float32 values', () => {
    const rms = new RunningMeanStd(3, { dtype: 'float32' });
    rms.update(Float32Array.of(0.1, -2.7, 3.3, 0.2, 5.5, -1.25), 2, 'float32');
    for (const v of [...rms.mean, ...rms.var]) expect(f(v)).toBe(v);
    // mean' = 0 + (batch_mean - 0) * 2 / total, each operation rounded to float32
    expect(rms.mean[2]).toBe(f(f(f(f(f(3.3) + f(-1.25)) / 2) * 2) / f(2.0001)));
  });

  it('state round-trips exactly and refuses a wrong size', () => {
    const rms = new RunningMeanStd(2, { dtype: 'float32' });
    rms.update(Float32Array.of(1.5, -3, 2.25, 7), 2, 'float32');
    const back = new RunningMeanStd(2, { dtype: 'float32' });
    back.setState(JSON.parse(JSON.stringify(rms.getState())) as RunningMeanStdState);
    expect(back.getState()).toEqual(rms.getState());
    expect(() => new RunningMeanStd(3).setState(rms.getState())).toThrow(/size/);
  });
});

/** A vector env of one sub-env replaying scripted rewards and terminations (observation: the step index). */
class ScriptedVectorEnv implements VectorEnv {
  readonly numEnvs = 1;
  readonly singleObservationSpace = new Box(-Infinity, Infinity, [1]);
  readonly singleActionSpace = new Discrete(2);
  readonly info: EnvInfo = { id: 'Scripted', maxEpisodeSteps: null, rewardThreshold: null };
  private t = 0;
  constructor(
    private readonly rewards: readonly number[],
    private readonly terminated: readonly boolean[],
  ) {}
  reset(): Float32Array {
    this.t = 0;
    return Float32Array.of(0);
  }
  step(_actions: ActionBatch): VectorStep {
    const t = this.t++;
    const obs = Float32Array.of(t + 1);
    return {
      nextObs: obs,
      obs: Float32Array.from(obs),
      reward: Float64Array.of(this.rewards[t]),
      terminated: Uint8Array.of(this.terminated[t] ? 1 : 0),
      truncated: new Uint8Array(1),
      finished: [],
    };
  }
  close(): void {}
}

describe('VectorNormalizeReward', () => {
  it('accumulates acc * gamma * (1 - terminated) + reward, kept across the termination, and divides by sqrt(var + 1e-8)', () => {
    const env = new VectorNormalizeReward(new ScriptedVectorEnv([1, 2, 1, 1], [false, false, true, false]), { gamma: 0.5 });
    env.reset();
    const accs: number[] = [];
    const first = env.step(Int32Array.of(0));
    accs.push(env.accumulated[0]);
    // after the first step: batch [1] -> mean 1/1.0001, var (1e-4 + 1e-4 / 1.0001) / 1.0001
    const var1 = (1e-4 + (1 * 1e-4 * 1) / 1.0001) / 1.0001;
    expect(env.rms.var[0]).toBeCloseTo(var1, 15);
    expect(first.reward[0]).toBeCloseTo(1 / Math.sqrt(var1 + 1e-8), 9);
    for (let i = 0; i < 3; i++) {
      env.step(Int32Array.of(0));
      accs.push(env.accumulated[0]);
    }
    expect(accs).toEqual([1, 2.5, 1, 1.5]);
    expect(env.rms.count).toBeCloseTo(4.0001, 12);
  });

  it('frozen, it neither updates the statistics nor stops dividing', () => {
    const env = new VectorNormalizeReward(new ScriptedVectorEnv([3, 3, 3], [false, false, false]), { gamma: 0.9 });
    env.reset();
    env.step(Int32Array.of(0));
    const before = env.rms.getState();
    env.updateRunningMean = false;
    const s = env.step(Int32Array.of(0));
    expect(env.rms.getState()).toEqual(before);
    expect(s.reward[0]).toBe(3 / Math.sqrt(before.var[0] + 1e-8));
  });
});

describe('VectorClipReward', () => {
  it('clips to [min, max]', () => {
    const env = new VectorClipReward(new ScriptedVectorEnv([-2, 0.1, 7], [false, false, false]), -0.5, 0.3);
    env.reset();
    expect([0, 1, 2].map(() => env.step(Int32Array.of(0)).reward[0])).toEqual([-0.5, 0.1, 0.3]);
    expect(() => new VectorClipReward(env, 1, -1)).toThrow(/min <= max/);
  });
});

interface FixtureStats {
  mean: number[];
  var: number[];
  count: number;
}
interface FixtureStep {
  actions: number[];
  next_obs: number[];
  obs: number[];
  reward: number[];
  terminated: boolean[];
  truncated: boolean[];
  obs_stats_after_step: FixtureStats;
  obs_stats: FixtureStats;
  return_stats: FixtureStats;
}
interface FixtureCase {
  env_id: string;
  num_envs: number;
  seed: number;
  gamma: number;
  clip_obs: number;
  clip_reward: [number, number];
  reset_obs: number[];
  reset_obs_stats: FixtureStats;
  steps: FixtureStep[];
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/normalize-gymnasium.json', import.meta.url), 'utf8')) as {
  gymnasium_version: string;
  cases: Record<'single' | 'vector', FixtureCase>;
};

function optionsOf(c: FixtureCase): NormalizationOptions {
  return { normalizeObs: true, clipObs: c.clip_obs, normalizeReward: true, clipReward: c.clip_reward, gamma: c.gamma };
}

describe('normalisation against Gymnasium 1.4 (tools/gymnasium-normalize-reference.py)', () => {
  it.each(['single', 'vector'] as const)('%s: observations, rewards and statistics step for step, exactly', (name) => {
    expect(fixture.gymnasium_version).toBe('1.4.0');
    const c = fixture.cases[name];
    const norm = new NormalizedVectorEnv(makeVectorEnv(c.env_id, c.num_envs), optionsOf(c));
    const discrete = norm.env.singleActionSpace.kind === 'discrete';
    expect(Array.from(norm.env.reset({ seed: c.seed }))).toEqual(c.reset_obs);
    expect(norm.obsRms?.getState()).toEqual(c.reset_obs_stats);
    let ends = 0;
    c.steps.forEach((expected, t) => {
      const s = norm.env.step(discrete ? Int32Array.from(expected.actions) : Float32Array.from(expected.actions));
      const where = `${name} step ${t}`;
      expect(Array.from(s.nextObs), where).toEqual(expected.next_obs);
      expect(Array.from(s.obs), where).toEqual(expected.obs);
      expect(Array.from(s.reward), where).toEqual(expected.reward);
      expect(Array.from(s.terminated, Boolean), where).toEqual(expected.terminated);
      expect(norm.obsRms?.getState(), where).toEqual(expected.obs_stats);
      expect(norm.returnRms?.getState(), where).toEqual(expected.return_stats);
      ends += s.finished.length;
    });
    if (name === 'single') expect(ends).toBe(2); // the trajectory crosses two auto-resets
    norm.env.close();
  });
});

const cartpoleOptions: NormalizationOptions = { normalizeObs: true, clipObs: 10, normalizeReward: true, clipReward: [-10, 10], gamma: 0.99 };

function warmedUp(steps: number): NormalizedVectorEnv {
  const norm = new NormalizedVectorEnv(makeVectorEnv('CartPole-v1', 2), cartpoleOptions);
  norm.env.reset({ seed: 1 });
  for (let t = 0; t < steps; t++) norm.env.step(Int32Array.of(t % 2, (t >> 1) % 2));
  return norm;
}

describe('NormalizedVectorEnv', () => {
  it('frozen (updating = false), the statistics stay as they were', () => {
    const norm = warmedUp(30);
    const before = norm.getState();
    norm.updating = false;
    for (let t = 0; t < 20; t++) norm.env.step(Int32Array.of(1, 0));
    expect(norm.getState()).toEqual(before);
    norm.updating = true;
    norm.env.step(Int32Array.of(1, 0));
    expect(norm.getState()).not.toEqual(before);
  });

  it('an eval env normalises with the training statistics, frozen, and leaves rewards raw', () => {
    const norm = warmedUp(40);
    const before = norm.getState();
    const obsRms = norm.obsRms;
    if (obsRms === null) throw new Error('obs statistics expected');
    const evalEnv = norm.wrapEval(makeEnv('CartPole-v1'));
    const raw = makeEnv('CartPole-v1');
    const [o] = evalEnv.reset({ seed: 9 });
    const [r] = raw.reset({ seed: 9 });
    const expected = Array.from(r, (x, j) => f(f(x - obsRms.mean[j]) / f(Math.sqrt(f(obsRms.var[j] + f(1e-8))))));
    expect(Array.from(o)).toEqual(expected.map((x) => Math.min(Math.max(x, -10), 10)));
    for (let t = 0; t < 10; t++) {
      const a = evalEnv.step(t % 2);
      const b = raw.step(t % 2);
      expect(a[1]).toBe(b[1]);
    }
    expect(norm.getState()).toEqual(before);
    expect(evalEnv.observationSpace.high[0]).toBe(Infinity);
  });

  it('restored statistics normalise exactly as the saved ones (round trip through JSON)', () => {
    const norm = warmedUp(25);
    const saved = JSON.parse(JSON.stringify(norm.getState())) as ReturnType<NormalizedVectorEnv['getState']>;
    const fresh = new NormalizedVectorEnv(makeVectorEnv('CartPole-v1', 2), cartpoleOptions);
    fresh.setState(saved);
    expect(fresh.getState()).toEqual(norm.getState());
    const obsState = saved.obs;
    if (obsState === null) throw new Error('obs statistics expected');
    const a = norm.wrapEval(makeEnv('CartPole-v1')).reset({ seed: 4 })[0];
    const b = new NormalizedVectorEnv(makeVectorEnv('CartPole-v1', 1), cartpoleOptions);
    const rebuilt = observationStatistics(obsState);
    expect(Array.from(b.wrapEval(makeEnv('CartPole-v1')).reset({ seed: 4 })[0])).not.toEqual(Array.from(a)); // fresh statistics differ
    const c = new NormalizedVectorEnv(makeVectorEnv('CartPole-v1', 1), cartpoleOptions);
    c.setState(saved);
    expect(Array.from(c.wrapEval(makeEnv('CartPole-v1')).reset({ seed: 4 })[0])).toEqual(Array.from(a));
    expect(rebuilt.getState()).toEqual(obsState);
    expect(() => fresh.setState({ obs: null, return: saved.return })).toThrow(/no observation statistics/);
  });

  it('the same seed and actions give the same statistics and outputs', () => {
    const a = warmedUp(50);
    const b = warmedUp(50);
    expect(b.getState()).toEqual(a.getState());
    expect(Array.from(b.env.step(Int32Array.of(0, 1)).obs)).toEqual(Array.from(a.env.step(Int32Array.of(0, 1)).obs));
  });

  it('clip_obs alone clips raw observations, and no option leaves the env as it was', () => {
    const clipped = new NormalizedVectorEnv(makeVectorEnv('Pendulum-v1', 1), { normalizeObs: false, clipObs: 0.5, normalizeReward: false, clipReward: null, gamma: 0.99 });
    const raw = makeVectorEnv('Pendulum-v1', 1).reset({ seed: 2 });
    expect(Array.from(clipped.env.reset({ seed: 2 }))).toEqual(Array.from(raw, (x) => Math.min(Math.max(x, -0.5), 0.5)));
    expect(clipped.obsRms).toBeNull();
    expect(clipped.getState()).toEqual({ obs: null, return: null });
    const vec = makeVectorEnv('Pendulum-v1', 1);
    expect(new NormalizedVectorEnv(vec, { normalizeObs: false, clipObs: null, normalizeReward: false, clipReward: null, gamma: 0.99 }).env).toBe(vec);
  });
});
