import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Rng } from '@gymlab/random';
import { describe, expect, it } from 'vitest';
import { EnvKwargError, makeEnv } from '../index.js';
import { TimeLimit } from '../wrappers/time-limit.js';
import { BipedalWalker } from './bipedal-walker.js';
import { BipedalWalkerHeuristic, bipedalHeuristicEpisode } from './bipedal-walker-heuristic.js';
import { generateClouds, generateTerrain } from './bipedal-walker-terrain.js';

/** Gymnasium 1.4.0's recorded BipedalWalker-v3 episodes (../shared/fixtures/box2d, see its README). */
const BOX2D_DIR = fileURLToPath(new URL('../../../../../shared/fixtures/box2d/', import.meta.url));

interface RecordedBody {
  position: [number, number];
  angle: number;
  linear_velocity: [number, number];
  angular_velocity: number;
}
interface RecordedEpisode {
  reset_seed: number;
  reset_draws: {
    terrain_x: number[];
    terrain_y: number[];
    initial_force: [number, number];
    terrain_draws: { fn: string; value: number }[];
    cloud_draws_count: number;
  };
  initial_state: { hull: RecordedBody; legs: RecordedBody[] };
  initial_obs: number[];
  actions: number[][];
  steps: { obs: number[]; reward: number; terminated: boolean; truncated: boolean }[];
}

const recorded: RecordedEpisode[] = [0, 1, 2].map(
  (seed) => (JSON.parse(readFileSync(`${BOX2D_DIR}BipedalWalker-v3_seed${seed}.json`, 'utf8')) as { episodes: RecordedEpisode[] }).episodes[0],
);
const heuristicSummary = (
  JSON.parse(readFileSync(`${BOX2D_DIR}box2d_summary.json`, 'utf8')) as Record<string, { heuristic: { returns: number[]; lengths: number[] } }>
)['BipedalWalker-v3'].heuristic;

/** Gymnasium's terrain with a stand-in Box2D, normal and hardcore (tools/bipedal-walker-terrain-reference.py). */
const terrainReference = (
  JSON.parse(readFileSync(new URL('./fixtures/bipedal-walker-terrain.json', import.meta.url), 'utf8')) as {
    cases: { seed: number; hardcore: boolean; terrain_x: number[]; terrain_y: number[]; obstacles: number[][]; clouds: number[][]; initial_force: number }[];
  }
).cases;

/** An Rng that logs its draws as the fixtures name them. */
class RecordingRng extends Rng {
  readonly draws: { fn: string; value: number }[] = [];
  override uniform(low = 0, high = 1): number {
    const v = super.uniform(low, high);
    this.draws.push({ fn: 'uniform', value: v });
    return v;
  }
  override integers(low: number, high?: number): number {
    const v = super.integers(low, high);
    this.draws.push({ fn: 'integers', value: v });
    return v;
  }
  override random(): number {
    const v = super.random();
    this.draws.push({ fn: 'random', value: v });
    return v;
  }
}

describe('BipedalWalker terrain and reset draws', () => {
  it.each(recorded)('seed $reset_seed: terrain, draw order, cloud draws and initial force exactly as Gymnasium', (ep) => {
    const rng = new RecordingRng(ep.reset_seed);
    const terrain = generateTerrain(rng, false);
    expect(terrain.x).toEqual(ep.reset_draws.terrain_x);
    expect(terrain.y).toEqual(ep.reset_draws.terrain_y);
    expect(rng.draws).toEqual(ep.reset_draws.terrain_draws);
    const before = rng.draws.length;
    generateClouds(rng);
    expect(rng.draws.length - before).toBe(ep.reset_draws.cloud_draws_count);
    expect(rng.uniform(-5, 5)).toBe(ep.reset_draws.initial_force[0]);
  });

  it.each(terrainReference)('seed $seed, hardcore $hardcore: terrain, obstacles, clouds and force exactly as Gymnasium', (ref) => {
    const rng = new Rng(ref.seed);
    const terrain = generateTerrain(rng, ref.hardcore);
    expect(terrain.x).toEqual(ref.terrain_x);
    expect(terrain.y).toEqual(ref.terrain_y);
    expect(terrain.obstacles).toEqual(ref.obstacles);
    expect(generateClouds(rng).map((c) => c.poly)).toEqual(ref.clouds);
    expect(rng.uniform(-5, 5)).toBe(ref.initial_force);
  });

  it('reset({ seed }) uses that terrain; reset() continues the generator', () => {
    const env = new BipedalWalker();
    env.reset({ seed: recorded[1].reset_seed });
    expect(env.terrain?.y).toEqual(recorded[1].reset_draws.terrain_y);
    env.reset();
    expect(env.terrain?.y).not.toEqual(recorded[1].reset_draws.terrain_y);
  });
});

describe('BipedalWalker bodies', () => {
  /** Area and second moment about the origin of a polygon (shoelace sums). */
  function polygonMass(points: [number, number][], density: number): { mass: number; inertia: number } {
    let area = 0;
    let second = 0;
    for (let i = 0; i < points.length; i++) {
      const [x0, y0] = points[i];
      const [x1, y1] = points[(i + 1) % points.length];
      const cross = x0 * y1 - x1 * y0;
      area += cross / 2;
      second += (cross * (x0 * x0 + x0 * x1 + x1 * x1 + y0 * y0 + y0 * y1 + y1 * y1)) / 12;
    }
    return { mass: density * Math.abs(area), inertia: density * Math.abs(second) };
  }

  it('masses and inertias (about each body origin) are Box2D polygon mass properties of Gymnasium shapes', () => {
    // The fixtures record no masses; these are the shapes' own: hull polygon (pixels / 30, density 5),
    // upper legs 8x34 px and lower legs 6.4x34 px boxes (density 1).
    const hull = polygonMass(
      [[-30, 9], [6, 9], [34, 1], [34, -8], [-30, -8]].map(([x, y]) => [x / 30, y / 30] as [number, number]).reverse(),
      5,
    );
    const box = (w: number, h: number) => ({ mass: w * h, inertia: (w * h * (w * w + h * h)) / 12 });
    const expected = [hull, box(8 / 30, 34 / 30), box(6.4 / 30, 34 / 30), box(8 / 30, 34 / 30), box(6.4 / 30, 34 / 30)];
    const env = new BipedalWalker();
    env.reset({ seed: 0 });
    const got = env.bodyMasses();
    expect(got).toHaveLength(5);
    for (let k = 0; k < 5; k++) {
      // float32 vertices, as Box2D stores them: relative error ~1e-7
      expect(got[k].mass).toBeCloseTo(expected[k].mass, 6);
      expect(got[k].inertia).toBeCloseTo(expected[k].inertia, 6);
    }
    expect(got[0].mass).toBeCloseTo(5.4222222, 6); // 1098 px^2 * 5 / 900
  });

  it('the state after reset (one zero-action step) matches the recorded one within 1e-5', () => {
    for (const ep of recorded) {
      const env = new BipedalWalker();
      const [obs] = env.reset({ seed: ep.reset_seed });
      obs.forEach((v, k) => expect(Math.abs(v - ep.initial_obs[k])).toBeLessThan(1e-5));
      const poses = env.bodyPoses();
      const bodies = [ep.initial_state.hull, ...ep.initial_state.legs];
      poses.forEach((p, k) => {
        expect(Math.abs(p.x - bodies[k].position[0])).toBeLessThan(1e-5);
        expect(Math.abs(p.y - bodies[k].position[1])).toBeLessThan(1e-5);
        expect(Math.abs(p.angle - bodies[k].angle)).toBeLessThan(1e-5);
      });
    }
  });
});

describe('BipedalWalker replaying recorded episodes', () => {
  /**
   * Tolerance: 1e-3 absolute on every observation (values of order 1) and reward, contacts and
   * termination equal. Box2D runs in float32 and planck in float64 with the same algorithms, so
   * each step adds rounding differences of order float32's epsilon (1.2e-7) times the values,
   * and the walker's contacts amplify them (measured: all 24 observations agree within 1e-5 for
   * the first 24, 19 and 11 steps of the three recorded episodes, 1e-4 for 58, 47, 40, 1e-3 for
   * 90, 75, 68 and 1e-2 for 127, 101, 94; then a contact starts a step earlier or later and the
   * episodes part). Required: the first 60 steps within 1e-3, and 1e-2 held for at least 90.
   */
  it.each(recorded)('seed $reset_seed: the first 60 steps within 1e-3 of Gymnasium', (ep) => {
    const env = new BipedalWalker();
    env.reset({ seed: ep.reset_seed });
    let within = 0;
    for (let s = 0; s < 120; s++) {
      const [obs, reward, terminated] = env.step(Float32Array.from(ep.actions[s]));
      const ref = ep.steps[s];
      const err = Math.max(...ref.obs.map((v, k) => Math.abs(obs[k] - v)));
      if (s < 60) {
        expect(err).toBeLessThan(1e-3);
        expect(Math.abs(reward - ref.reward)).toBeLessThan(1e-3);
        expect(terminated).toBe(ref.terminated);
      }
      if (err < 1e-2 && within === s) within = s + 1;
    }
    expect(within).toBeGreaterThanOrEqual(90);
  });
});

/** Mean of an array. */
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('BipedalWalker with Gymnasium heuristic controller', () => {
  /**
   * The summary's protocol on seeds 0-19 (the full 50 in tools/bipedal-walker-heuristic.mjs:
   * mean return 102.6 vs Gymnasium's 88.5, mean length 934 vs 892, fell 0.78 vs 0.82). Episodes
   * part from Gymnasium's after ~100 steps, so only the statistics compare: the mean of 20
   * episodes from Gymnasium's distribution (return std 121.6, length std 442, fall rate 0.82)
   * lies within 2.58 standard errors (99%) of its 50-episode mean: return in [18, 159], length
   * in [637, 1148], falls in [0.60, 1.0].
   */
  it('20 seeded episodes: mean return, mean length and fall rate inside 99% intervals of Gymnasium', () => {
    const env = makeEnv('BipedalWalker-v3');
    const episodes = Array.from({ length: 20 }, (_, seed) => bipedalHeuristicEpisode(env, seed));
    const returns = episodes.map((e) => e.return);
    const lengths = episodes.map((e) => e.length);
    const falls = episodes.filter((e) => e.outcome === 'fell').length;
    const n = 20;
    const se = (std: number) => 2.58 * (std / Math.sqrt(n));
    expect(Math.abs(mean(returns) - mean(heuristicSummary.returns))).toBeLessThan(se(121.6));
    expect(Math.abs(mean(lengths) - mean(heuristicSummary.lengths))).toBeLessThan(se(442));
    expect(Math.abs(falls / n - 0.82)).toBeLessThan(se(Math.sqrt(0.82 * 0.18)));
  }, 120_000);

  it('the heuristic follows Gymnasium on the recorded first steps', () => {
    // Its actions are a pure function of the observation and its gait state: fed the recorded
    // observations, it reproduces the recorded actions (float32 rounding aside).
    const ep = recorded[0];
    const policy = new BipedalWalkerHeuristic();
    for (let s = 0; s < 300; s++) {
      const a = policy.act(Float32Array.from(ep.steps[s].obs));
      a.forEach((v, k) => expect(Math.abs(v - ep.actions[s + 1][k])).toBeLessThan(1e-6));
    }
  });
});

describe('BipedalWalker env', () => {
  it('same seed, same actions: the same episode (determinism)', () => {
    const run = () => {
      const env = new BipedalWalker();
      const rng = new Rng(3);
      const out: number[] = [...env.reset({ seed: 5 })[0]];
      for (let s = 0; s < 200; s++) {
        const [obs, reward, terminated] = env.step(env.actionSpace.sample(rng));
        out.push(...obs, reward);
        if (terminated) out.push(...env.reset()[0]);
      }
      return out;
    };
    expect(run()).toEqual(run());
  });

  it('spaces, float32 observations of 24 within the observation bounds, and falling costs -100', () => {
    const env = new BipedalWalker();
    expect(env.observationSpace.shape).toEqual([24]);
    expect(env.actionSpace.shape).toEqual([4]);
    const [obs0] = env.reset({ seed: 0 });
    expect(obs0).toBeInstanceOf(Float32Array);
    expect(env.observationSpace.contains(obs0)).toBe(true);
    // random actions: the walker falls (here within a few hundred steps) and the hull hits the ground
    const rng = new Rng(0);
    let last: [number, boolean] = [0, false];
    for (let s = 0; s < 1600 && !last[1]; s++) {
      const [, reward, terminated] = env.step(env.actionSpace.sample(rng));
      last = [reward, terminated];
    }
    expect(last).toEqual([-100, true]);
  });

  it('rejects a wrong action with one line', () => {
    const env = new BipedalWalker();
    env.reset({ seed: 0 });
    expect(() => env.step(1)).toThrow(/^BipedalWalker-v3: action must be an array of 4 numbers/);
    expect(() => new BipedalWalker().step(new Float32Array(4))).toThrow(/call reset\(\) before step\(\)/);
  });

  it('hardcore: obstacles from the seed, and the walker runs among them', () => {
    const env = new BipedalWalker({ hardcore: true });
    env.reset({ seed: 0 });
    expect(env.terrain?.obstacles.length).toBe(terrainReference.find((c) => c.hardcore && c.seed === 0)?.obstacles.length);
    const rng = new Rng(0);
    for (let s = 0; s < 100; s++) {
      const [obs, , terminated] = env.step(env.actionSpace.sample(rng));
      expect(obs.every(Number.isFinite)).toBe(true);
      if (terminated) env.reset();
    }
  });
});

describe('BipedalWalker registration', () => {
  it('BipedalWalker-v3: TimeLimit 1600, threshold 300, kwarg hardcore (still 1600, as gym.make)', () => {
    const env = makeEnv('BipedalWalker-v3');
    expect(env).toBeInstanceOf(TimeLimit);
    expect(env.info).toEqual({ id: 'BipedalWalker-v3', maxEpisodeSteps: 1600, rewardThreshold: 300 });
    const hard = makeEnv('BipedalWalker-v3', { kwargs: { hardcore: true } }) as TimeLimit;
    expect(hard.maxEpisodeSteps).toBe(1600);
    expect((hard.env as BipedalWalker).hardcore).toBe(true);
    const registeredHard = makeEnv('BipedalWalkerHardcore-v3') as TimeLimit;
    expect(registeredHard.maxEpisodeSteps).toBe(2000);
    expect((registeredHard.env as BipedalWalker).hardcore).toBe(true);
  });

  it('refuses a kwarg it does not take and a hardcore that is not a boolean, in one line', () => {
    expect(() => makeEnv('BipedalWalker-v3', { kwargs: { continuous: true } })).toThrow(EnvKwargError);
    expect(() => makeEnv('BipedalWalker-v3', { kwargs: { hardcore: 'yes' } })).toThrow(
      /^env BipedalWalker-v3: keyword argument 'hardcore' must be true or false, got "yes"$/,
    );
    expect(() => new BipedalWalker({ hardcore: 1 as unknown as boolean })).toThrow(/^BipedalWalker-v3: hardcore must be true or false, got 1$/);
  });
});
