/**
 * `checkFixture` on the Box2D and MuJoCo recordings: each env's declared tolerance (the values and
 * step counts its own tests state) holds on the recorded episodes, and a deviation is caught
 * inside the compared steps and ignored after them.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkFixture, envTolerance, formatFixtureCheck } from '@gymlab/envs';
import { BOX2D_FIXTURE_DIR } from '../test-utils/lunar-lander-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'gymlab-env-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A copy of a Box2D fixture with episode 0's observation entry 0 moved by `delta` at `step`. */
function doctored(name: string, step: number, delta: number): string {
  const fx = JSON.parse(readFileSync(join(BOX2D_FIXTURE_DIR, name), 'utf8')) as { episodes: { steps: { obs: number[] }[] }[] };
  fx.episodes[0]!.steps[step]!.obs[0]! += delta;
  const file = join(dir, `${step}-${delta}-${name}`);
  writeFileSync(file, JSON.stringify(fx));
  return file;
}

describe('env check on the Box2D fixtures', () => {
  it('declared tolerances: LunarLander 1e-4 obs, 3e-2 reward, 50 steps; BipedalWalker 1e-3, 1e-3, 60 steps', () => {
    expect(envTolerance('LunarLander-v3')).toEqual({ obs: 1e-4, reward: 3e-2, rewardUlps: 0, steps: 50 });
    expect(envTolerance('LunarLanderContinuous-v3')).toEqual(envTolerance('LunarLander-v3'));
    expect(envTolerance('BipedalWalker-v3')).toEqual({ obs: 1e-3, reward: 1e-3, rewardUlps: 0, steps: 60 });
  });

  it.each(['LunarLander-v3', 'LunarLanderContinuous-v3', 'BipedalWalker-v3'])('%s: seeds 0-2 within the declared tolerance', async (id) => {
    const steps = envTolerance(id).steps!;
    for (const seed of [0, 1, 2]) {
      const c = await checkFixture(join(BOX2D_FIXTURE_DIR, `${id}_seed${seed}.json`));
      expect(c.failure, formatFixtureCheck(c)).toBeNull();
      // the reset plus the first `steps` steps of each episode (every recorded episode is longer)
      expect(c.steps).toBe(c.episodes * (steps + 1));
      expect(c.maxObsDeviation).toBeGreaterThan(0); // float32 Box2D against float64 planck: never bit for bit
      expect(formatFixtureCheck(c)).toMatch(new RegExp(`within tolerance \\(obs [0-9.e-]+, reward [0-9.e-]+, first ${steps} steps of each episode\\)$`));
    }
  });

  it('a deviation beyond the tolerance inside the compared steps fails naming the step; one after them is not compared', async () => {
    const inside = await checkFixture(doctored('LunarLander-v3_seed0.json', 10, 1e-3));
    expect(inside.failure).toMatch(/^episode 0 step 10: observation off by 0\.00099/);
    const after = await checkFixture(doctored('LunarLander-v3_seed0.json', 50, 1));
    expect(after.failure).toBeNull();
    const walker = await checkFixture(doctored('BipedalWalker-v3_seed0.json', 59, 1e-2));
    expect(walker.failure).toMatch(/^episode 0 step 59: observation off by 0\.0(099|10)/); // 1e-2 plus the float32 drift there
  });
});

describe('env check on the MuJoCo fixtures', () => {
  const MUJOCO_FIXTURE_DIR = join(BOX2D_FIXTURE_DIR, '..', 'mujoco');

  it('declared tolerances: 1e-6 obs and reward; HalfCheetah, Ant and Swimmer over their first 40, 60 and 900 steps', () => {
    expect(envTolerance('Hopper-v5')).toEqual({ obs: 1e-6, reward: 1e-6, rewardUlps: 0 });
    expect([envTolerance('HalfCheetah-v5').steps, envTolerance('Ant-v5').steps, envTolerance('Swimmer-v5').steps]).toEqual([40, 60, 900]);
  });

  it.each(['HalfCheetah-v5_seed0', 'Swimmer-v5_seed1', 'Hopper-v5_seed0'])('%s within the declared tolerance, not bit for bit', async (name) => {
    const c = await checkFixture(join(MUJOCO_FIXTURE_DIR, `${name}.json`));
    expect(c.failure, formatFixtureCheck(c)).toBeNull();
    expect(c.maxObsDeviation).toBeGreaterThan(0); // the wasm build's summation order: never exact over a whole file
  });
});
