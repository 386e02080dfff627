/** The package's default registry (built-ins pre-registered) and the functions that use it. */
import { registerBipedalWalker } from './box2d/bipedal-walker-register.js';
import { registerLunarLander } from './box2d/lunar-lander-registration.js';
import { registerClassicControl } from './classic-control/index.js';
import { registerMujoco } from './mujoco/index.js';
import type { Env, EnvInfo, VectorEnv } from './core.js';
import { EnvRegistry, type EnvFactory, type MakeEnvOptions, type RegisterOptions } from './registry.js';
import { SyncVectorEnv } from './vector/sync-vector-env.js';

const defaultRegistry = new EnvRegistry();
registerClassicControl(defaultRegistry);
registerBipedalWalker(defaultRegistry);
registerLunarLander(defaultRegistry);
registerMujoco(defaultRegistry);

/** Registers an env in the default registry; throws if the id is taken. */
export function registerEnv(id: string, factory: EnvFactory, options?: RegisterOptions): void {
  defaultRegistry.register(id, factory, options);
}

/** Ids of the registered envs. */
export function registeredEnvIds(): string[] {
  return defaultRegistry.ids();
}

/** Registration facts of `id` (registered time limit, reward threshold). */
export function envInfo(id: string): EnvInfo {
  return defaultRegistry.envInfo(id);
}

/**
 * A new env `id`, wrapped in `TimeLimit` with `maxEpisodeSteps` when given (not null), else with
 * the registered limit. Throws `UnknownEnvError`.
 */
export function makeEnv(id: string, options?: MakeEnvOptions): Env {
  return defaultRegistry.make(id, options);
}

/** `numEnvs` copies of `makeEnv(id, options)` stepped in lockstep. */
export function makeVectorEnv(id: string, numEnvs: number, options?: MakeEnvOptions): VectorEnv {
  if (!Number.isInteger(numEnvs) || numEnvs < 1) {
    throw new RangeError(`makeVectorEnv: numEnvs must be a positive integer, got ${numEnvs}`);
  }
  envInfo(id); // unknown ids fail before any env is built
  return new SyncVectorEnv(Array.from({ length: numEnvs }, () => makeEnv(id, options)));
}
