import { describe, expect, it } from 'vitest';
import { RANDOM_BASELINES, randomBaseline } from './random-baseline.js';

describe('randomBaseline', () => {
  it("gives SLM Lab's random-agent means for the built-in envs, null otherwise", () => {
    expect(randomBaseline('CartPole-v1')).toBe(22.97);
    expect(randomBaseline('MountainCar-v0')).toBe(-200);
    expect(randomBaseline('Pendulum-v1')).toBe(-1197.1535031949936);
    expect(randomBaseline('toString')).toBeNull();
    expect(randomBaseline('NoSuchEnv-v0')).toBeNull();
    expect(Object.isFrozen(RANDOM_BASELINES)).toBe(true);
  });
});
