import { describe, expect, it } from 'vitest';
import { CartPole, EnvKwargError, EnvNotBuiltError, EnvRegistry, UnknownEnvError, envInfo, makeEnv, makeVectorEnv, registerEnv, registeredEnvIds } from '@gymlab/envs';
import { prepareAllEnvs } from './make.js';

// the MuJoCo envs load their wasm module on demand (prepareEnv); these tests make them directly
await prepareAllEnvs();

describe('registry', () => {
  it('has the five classic-control envs with their registered facts', () => {
    expect(registeredEnvIds()).toEqual(
      expect.arrayContaining(['CartPole-v1', 'Pendulum-v1', 'Acrobot-v1', 'MountainCar-v0', 'MountainCarContinuous-v0']),
    );
    expect(envInfo('CartPole-v1')).toEqual({ id: 'CartPole-v1', maxEpisodeSteps: 500, rewardThreshold: 475 });
    expect(envInfo('Acrobot-v1').maxEpisodeSteps).toBe(500);
    expect(envInfo('MountainCar-v0').maxEpisodeSteps).toBe(200);
    expect(envInfo('MountainCarContinuous-v0').maxEpisodeSteps).toBe(999);
    expect(envInfo('Pendulum-v1').maxEpisodeSteps).toBe(200);
  });

  it('an unknown id fails with one line naming the nearest id and the known ones', () => {
    let err: unknown;
    try {
      makeEnv('CartPole-v2');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UnknownEnvError);
    const msg = (err as Error).message;
    expect(msg).not.toContain('\n');
    expect(msg).toContain("'CartPole-v2'");
    expect(msg).toContain("did you mean 'CartPole-v1'?");
    for (const id of registeredEnvIds()) expect(msg).toContain(id);
    expect(() => makeVectorEnv('cartpole', 2)).toThrow(UnknownEnvError);
  });

  it('registers new envs, and refuses a taken id', () => {
    registerEnv('ShortCartPole-v0', () => new CartPole(), { maxEpisodeSteps: 7 });
    expect(registeredEnvIds()).toContain('ShortCartPole-v0');
    expect(makeEnv('ShortCartPole-v0').info.maxEpisodeSteps).toBe(7);
    expect(() => registerEnv('CartPole-v1', () => new CartPole())).toThrow(/already registered/);
  });

  it('an id of a Gymnasium family with no port is not built yet; a typo stays unknown', () => {
    for (const [id, family] of [['CarRacing-v3', 'Box2D'], ['Hopper-v4', 'MuJoCo'], ['ALE/Pong-v5', 'Atari (ALE)']] as const) {
      const err = (() => {
        try {
          makeEnv(id);
        } catch (e) {
          return e;
        }
        return null;
      })();
      expect(err).toBeInstanceOf(EnvNotBuiltError);
      expect((err as EnvNotBuiltError).what).toBe(`env ${id} not built yet`);
      expect((err as EnvNotBuiltError).family).toBe(family);
      expect((err as Error).message).not.toContain('\n');
    }
    expect(() => makeEnv('LunarLandr-v3')).toThrow(UnknownEnvError);
    expect(() => makeEnv('LunarLandr-v3')).not.toThrow(EnvNotBuiltError);
  });

  it('passes the kwargs an env registered to its factory and refuses others, naming them', () => {
    const registry = new EnvRegistry();
    let seen: unknown = null;
    registry.register('K-v0', (kwargs) => ((seen = kwargs), new CartPole()), { kwargs: ['continuous'] });
    registry.make('K-v0', { kwargs: { continuous: true } });
    expect(seen).toEqual({ continuous: true });
    expect(() => registry.make('K-v0', { kwargs: { hardcore: true } })).toThrow(new EnvKwargError('K-v0', 'hardcore', ['continuous']));
    expect(() => makeEnv('CartPole-v1', { kwargs: { continuous: true } })).toThrow("env CartPole-v1 takes no keyword argument 'continuous' (takes: none)");
  });
});
