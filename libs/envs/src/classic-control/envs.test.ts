import { describe, expect, it } from 'vitest';
import { CartPole, MountainCar, Pendulum, angleNormalize, isStatefulEnv, makeEnv, registeredEnvIds, unwrap } from '@gymlab/envs';
import { Rng } from '@gymlab/random';

const builtins = ['CartPole-v1', 'Pendulum-v1', 'Acrobot-v1', 'MountainCar-v0', 'MountainCarContinuous-v0'];

describe('classic-control envs', () => {
  it('are all registered', () => {
    for (const id of builtins) expect(registeredEnvIds()).toContain(id);
  });

  for (const id of builtins) {
    it(`${id}: same seed -> same trajectory; observations stay in the space`, () => {
      const run = (seed: number): number[] => {
        const env = makeEnv(id);
        const rng = new Rng(seed + 100);
        const [obs0] = env.reset({ seed });
        const out = Array.from(obs0);
        for (let t = 0; t < 50; t++) {
          const [obs, reward, terminated, truncated] = env.step(env.actionSpace.sample(rng));
          expect(obs.length).toBe(env.observationSpace.size);
          expect(env.observationSpace.contains(obs)).toBe(true);
          out.push(...obs, reward);
          if (terminated || truncated) out.push(...env.reset()[0]);
        }
        return out;
      };
      expect(run(3)).toEqual(run(3));
      expect(run(3)).not.toEqual(run(4));
    });
  }

  it('reset without a seed continues the generator; with a seed restarts it', () => {
    const env = new CartPole();
    const [a] = env.reset({ seed: 9 });
    const [b] = env.reset();
    const [c] = env.reset({ seed: 9 });
    expect(Array.from(b)).not.toEqual(Array.from(a));
    expect(Array.from(c)).toEqual(Array.from(a));
    for (const v of a) expect(Math.abs(v)).toBeLessThanOrEqual(0.05);
  });

  it('reset() without a seed continues the generator as Gymnasium 1.4 does (reset(seed=5), reset(), reset())', () => {
    // Gymnasium 1.4.0: env.reset(seed=5); env.reset(); env.reset(); env.unwrapped.state
    const want: Record<string, number[]> = {
      'CartPole-v1': [-0.0451242289272832, 0.04991761150650714, 0.015236911158798772, -0.026548979833017607],
      'Pendulum-v1': [-2.8027360567794943, -0.23326223842896354],
      'Acrobot-v1': [-0.0902484580874443, 0.09983522444963455, 0.030473822727799416, -0.053097959607839584],
    };
    for (const [id, state] of Object.entries(want)) {
      const env = makeEnv(id);
      env.reset({ seed: 5 });
      env.reset();
      env.reset();
      const core = unwrap(env);
      expect(isStatefulEnv(core) && core.getState()).toEqual(state);
    }
  });

  it('step before reset is a one-line error; so is a bad action', () => {
    expect(() => new CartPole().step(0)).toThrow('CartPole-v1: call reset() before step()');
    const env = new MountainCar();
    env.reset({ seed: 0 });
    expect(() => env.step(3)).toThrow('MountainCar-v0: action must be an integer in [0, 2], got 3');
    const p = new Pendulum();
    p.reset({ seed: 0 });
    expect(() => p.step(1)).toThrow(/array of 1 number/);
  });

  it('CartPole: reward 1 on the terminating step, 0 for steps taken after it', () => {
    const env = new CartPole();
    env.reset({ seed: 0 });
    env.setState([0, 0, 0.2094, 1.0]);
    const [, r1, t1] = env.step(1);
    expect([r1, t1]).toEqual([1, true]);
    const [, r2, t2] = env.step(1);
    expect([r2, t2]).toEqual([0, true]);
    env.reset();
    env.setState([0, 0, 0.2094, 1.0]);
    expect(env.step(1)[1]).toBe(1);
  });

  it('CartPole: one euler step by hand', () => {
    const env = new CartPole();
    env.reset({ seed: 0 });
    env.setState([0, 0, 0, 0]);
    // theta = 0: temp = F / M, thetaacc = -temp / (l (4/3 - mp / M)), xacc = temp - ml thetaacc / M.
    const [obs] = env.step(1);
    expect(Array.from(obs)).toEqual([0, Math.fround(0.02 * (10 / 1.1 - (0.05 * (-(10 / 1.1) / (0.5 * (4 / 3 - 0.1 / 1.1)))) / 1.1)), 0, Math.fround(0.02 * (-(10 / 1.1) / (0.5 * (4 / 3 - 0.1 / 1.1))))]);
  });

  it('Pendulum: angleNormalize wraps to [-pi, pi) like Python modulo', () => {
    expect(angleNormalize(0)).toBe(0);
    expect(angleNormalize(3 * Math.PI)).toBeCloseTo(-Math.PI, 12);
    expect(angleNormalize(-0.5)).toBeCloseTo(-0.5, 15);
    expect(angleNormalize(2 * Math.PI + 0.25)).toBeCloseTo(0.25, 12);
    expect(angleNormalize(-2 * Math.PI - 0.25)).toBeCloseTo(-0.25, 12);
  });

  it('Pendulum: reward uses the clipped torque and the pre-step state', () => {
    const env = new Pendulum();
    env.reset({ seed: 0 });
    env.setState([Math.PI / 2, 1]);
    const [, reward] = env.step(Float32Array.of(5)); // clipped to 2
    expect(reward).toBeCloseTo(-((Math.PI / 2) ** 2 + 0.1 + 0.001 * 4), 12);
  });
});
