import { EnvKwargValueError, type EnvKwargs, type EnvRegistry } from '../registry.js';
import { BipedalWalker } from './bipedal-walker.js';

const BIPEDAL_WALKER_KWARGS = ['hardcore'] as const;

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
  const opts = { rewardThreshold: 300, kwargs: BIPEDAL_WALKER_KWARGS };
  registry.register('BipedalWalker-v3', (kw) => new BipedalWalker({ hardcore: hardcoreOf('BipedalWalker-v3', kw, false) }), { ...opts, maxEpisodeSteps: 1600 });
  registry.register('BipedalWalkerHardcore-v3', (kw) => new BipedalWalker({ hardcore: hardcoreOf('BipedalWalkerHardcore-v3', kw, true) }), {
    ...opts,
    maxEpisodeSteps: 2000,
  });
}
