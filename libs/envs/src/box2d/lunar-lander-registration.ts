/** LunarLander's registration: Gymnasium's ids, time limit, threshold and checked keyword arguments. */
import { EnvKwargValueError, type EnvKwargs, type EnvRegistry, type EnvTolerance } from '../registry.js';
import { LunarLander, type LunarLanderOptions } from './lunar-lander.js';

/** Gymnasium's keyword arguments of LunarLander-v3 that gymlab takes. */
export const LUNAR_LANDER_KWARGS = ['continuous', 'gravity', 'enable_wind', 'wind_power', 'turbulence_power'] as const;

/** `LunarLanderOptions` from Gymnasium-style kwargs, each checked (one-line errors). */
export function lunarLanderOptions(id: string, kwargs: EnvKwargs, defaults: LunarLanderOptions = {}): LunarLanderOptions {
  const bool = (k: string): boolean | undefined => {
    const v = kwargs[k];
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') throw new EnvKwargValueError(id, k, 'true or false', v, LUNAR_LANDER_KWARGS);
    return v;
  };
  const num = (k: string, allowed: string, ok: (x: number) => boolean): number | undefined => {
    const v = kwargs[k];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !ok(v)) throw new EnvKwargValueError(id, k, allowed, v, LUNAR_LANDER_KWARGS);
    return v;
  };
  return {
    continuous: bool('continuous') ?? defaults.continuous,
    gravity: num('gravity', 'a number in (-12, 0)', (x) => x > -12 && x < 0),
    enableWind: bool('enable_wind'),
    windPower: num('wind_power', 'a finite number (Gymnasium recommends 0 to 20)', Number.isFinite),
    turbulencePower: num('turbulence_power', 'a finite number (Gymnasium recommends 0 to 2)', Number.isFinite),
  };
}

/**
 * Agreement with Gymnasium's recordings (`gymlab env check`), as lunar-lander.test.ts measures it:
 * from `reset(seed)` (the recorded terrain and initial force, drawn exactly) every step before the
 * first leg contact is within 1e-4 per observation and 3e-2 per reward (Box2D's float32 against
 * planck's float64; contacts then amplify the gap). Every recorded episode flies more than 50
 * steps before a leg touches, so the first 50 are compared.
 */
export const LUNAR_LANDER_TOLERANCE: EnvTolerance = Object.freeze({ obs: 1e-4, reward: 3e-2, rewardUlps: 0, steps: 50 });

/** Registers `LunarLander-v3` and `LunarLanderContinuous-v3` (time limit 1000, threshold 200). */
export function registerLunarLander(registry: EnvRegistry): void {
  const opts = { maxEpisodeSteps: 1000, rewardThreshold: 200, kwargs: LUNAR_LANDER_KWARGS, tolerance: LUNAR_LANDER_TOLERANCE };
  registry.register('LunarLander-v3', (kw) => new LunarLander(lunarLanderOptions('LunarLander-v3', kw)), opts);
  registry.register(
    'LunarLanderContinuous-v3',
    (kw) => new LunarLander(lunarLanderOptions('LunarLanderContinuous-v3', kw, { continuous: true })),
    opts,
  );
}
