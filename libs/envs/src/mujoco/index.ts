/**
 * Gymnasium 1.4.0's MuJoCo v5 envs on `@mujoco/mujoco` 3.14.0, registered with their time limits,
 * reward thresholds and keyword arguments.
 */
import type { EnvRegistry } from '../registry.js';
import { Hopper, HOPPER_KWARGS } from './hopper.js';
import { InvertedPendulum, INVERTED_PENDULUM_KWARGS } from './inverted-pendulum.js';

export { Hopper } from './hopper.js';
export { InvertedPendulum } from './inverted-pendulum.js';
export { MujocoEnv, MujocoMemoryError, type MujocoEnvConfig } from './mujoco-env.js';
export { EnvKwargValueError } from './kwargs.js';
export { MujocoModelError } from './runtime.js';

/** Registers the MuJoCo envs built so far. */
export function registerMujoco(registry: EnvRegistry): void {
  registry.register('InvertedPendulum-v5', (k) => new InvertedPendulum(k), {
    maxEpisodeSteps: 1000,
    rewardThreshold: 950,
    kwargs: INVERTED_PENDULUM_KWARGS,
  });
  registry.register('Hopper-v5', (k) => new Hopper(k), { maxEpisodeSteps: 1000, rewardThreshold: 3800, kwargs: HOPPER_KWARGS });
}
