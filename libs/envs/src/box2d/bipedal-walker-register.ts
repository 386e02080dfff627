import { EnvKwargValueError, type EnvKwargs, type EnvRegistry, type EnvTolerance } from '../registry.js';
import { BipedalWalker } from './bipedal-walker.js';

const BIPEDAL_WALKER_KWARGS = ['hardcore'] as const;

/**
 * Agreement with Gymnasium's recordings (`gymlab env check`), as bipedal-walker.test.ts measures
 * it: from `reset(seed)` (the recorded terrain) the first 60 steps within 1e-3 per observation and
 * reward (Box2D's float32 against planck's float64, amplified by the contacts until the episodes
 * part after 90-130 steps).
 */
export const BIPEDAL_WALKER_TOLERANCE: EnvTolerance = Object.freeze({ obs: 1e-3, reward: 1e-3, rewardUlps: 0, steps: 60 });

/** The `hardcore` kwarg, checked (a one-line `EnvKwargValueError` unless a boolean). */
function hardcoreOf(id: string, kwargs: EnvKwargs, fallback: boolean): boolean {
  const v = kwargs.hardcore;
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') throw new EnvKwargValueError(id, 'hardcore', 'true or false', v, BIPEDAL_WALKER_KWARGS);
  return v;
}

/**
 * Registers BipedalWalker-v3 (TimeLimit 1600, kwarg `hardcore`) and BipedalWalkerHardcore-v3
 * (hardcore by default, TimeLimit 2000) as Gymnasium 1.4.0 does: `gym.make('BipedalWalker-v3',
 * hardcore=True)` keeps the 1600-step limit of its id.
 */
export function registerBipedalWalker(registry: EnvRegistry): void {
  const opts = { rewardThreshold: 300, kwargs: BIPEDAL_WALKER_KWARGS, tolerance: BIPEDAL_WALKER_TOLERANCE };
  registry.register('BipedalWalker-v3', (kw) => new BipedalWalker({ hardcore: hardcoreOf('BipedalWalker-v3', kw, false) }), { ...opts, maxEpisodeSteps: 1600 });
  registry.register('BipedalWalkerHardcore-v3', (kw) => new BipedalWalker({ hardcore: hardcoreOf('BipedalWalkerHardcore-v3', kw, true) }), {
    ...opts,
    maxEpisodeSteps: 2000,
  });
}
