import type { EnvRegistry } from '../registry.js';
import { BipedalWalker } from './bipedal-walker.js';

/**
 * Registers BipedalWalker-v3 (TimeLimit 1600, kwarg `hardcore`) and BipedalWalkerHardcore-v3
 * (hardcore by default, TimeLimit 2000) as Gymnasium 1.4.0 does: `gym.make('BipedalWalker-v3',
 * hardcore=True)` keeps the 1600-step limit of its id.
 */
export function registerBipedalWalker(registry: EnvRegistry): void {
  const make = (hardcoreDefault: boolean) => (kwargs: Readonly<Record<string, unknown>>) =>
    new BipedalWalker({ hardcore: (kwargs.hardcore ?? hardcoreDefault) as boolean });
  registry.register('BipedalWalker-v3', make(false), { maxEpisodeSteps: 1600, rewardThreshold: 300, kwargs: ['hardcore'] });
  registry.register('BipedalWalkerHardcore-v3', make(true), { maxEpisodeSteps: 2000, rewardThreshold: 300, kwargs: ['hardcore'] });
}
