import { describe, expect, it } from 'vitest';
import { CartPole, Pendulum, RecordEpisodeStatistics, TimeLimit, makeEnv, unwrap, type EpisodeInfo } from '@gymlab/envs';

describe('TimeLimit', () => {
  it('truncates on the step that reaches the limit, and restarts counting on reset', () => {
    const env = new TimeLimit(new Pendulum(), 3);
    env.reset({ seed: 1 });
    const a = Float32Array.of(0);
    expect(env.step(a)[3]).toBe(false);
    expect(env.step(a)[3]).toBe(false);
    expect(env.step(a)[3]).toBe(true);
    expect(env.elapsedSteps).toBe(3);
    env.reset();
    expect(env.elapsedSteps).toBe(0);
    expect(env.step(a)[3]).toBe(false);
  });

  it('makeEnv applies the registered limit, and maxEpisodeSteps overrides it', () => {
    const registered = makeEnv('Pendulum-v1');
    expect(registered.info.maxEpisodeSteps).toBe(200);
    const a = Float32Array.of(0);
    registered.reset({ seed: 0 });
    let steps = 0;
    let truncated = false;
    while (!truncated) {
      truncated = makeStep(registered, a);
      steps++;
    }
    expect(steps).toBe(200);

    const short = makeEnv('Pendulum-v1', { maxEpisodeSteps: 5 });
    expect(short.info.maxEpisodeSteps).toBe(5);
    short.reset({ seed: 0 });
    const flags = Array.from({ length: 5 }, () => makeStep(short, a));
    expect(flags).toEqual([false, false, false, false, true]);
    expect(makeEnv('Pendulum-v1', { maxEpisodeSteps: null }).info.maxEpisodeSteps).toBe(200);
    expect(unwrap(short)).toBeInstanceOf(Pendulum);
  });
});

function makeStep(env: { step: (a: Float32Array) => [unknown, unknown, unknown, boolean, unknown] }, a: Float32Array): boolean {
  return env.step(a)[3];
}

describe('RecordEpisodeStatistics', () => {
  it('reports the return and length of each finished episode', () => {
    const env = new RecordEpisodeStatistics(new TimeLimit(new CartPole(), 500));
    env.reset({ seed: 5 });
    let len = 0;
    for (;;) {
      const [, reward, terminated, truncated, info] = env.step(0);
      expect(reward).toBe(1);
      len++;
      if (terminated || truncated) {
        const episode = info.episode as EpisodeInfo;
        expect(episode).toEqual({ r: len, l: len });
        break;
      }
      expect(info.episode).toBeUndefined();
    }
    expect(env.returnHistory).toEqual([len]);
    expect(env.lengthHistory).toEqual([len]);
  });
});
