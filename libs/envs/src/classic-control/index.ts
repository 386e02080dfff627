import type { EnvRegistry } from '../registry.js';
import { Acrobot } from './acrobot.js';
import { CartPole } from './cartpole.js';
import { MountainCarContinuous } from './continuous-mountain-car.js';
import { MountainCar } from './mountain-car.js';
import { Pendulum } from './pendulum.js';

export { Acrobot, acrobotDsdt, bound, wrap } from './acrobot.js';
export { CartPole } from './cartpole.js';
export { MountainCarContinuous } from './continuous-mountain-car.js';
export { MountainCar } from './mountain-car.js';
export { Pendulum, angleNormalize } from './pendulum.js';
export { ClassicControlEnv, DEFAULT_SEED, isStatefulEnv, type StatefulEnv } from './base.js';

/** Registers Gymnasium 1.4.0's classic-control envs with their time limits and thresholds. */
export function registerClassicControl(registry: EnvRegistry): void {
  registry.register('CartPole-v1', () => new CartPole(), { maxEpisodeSteps: 500, rewardThreshold: 475 });
  // Gymnasium squares with C pow(), not always correctly rounded: a reward may be 1 ulp off (fixtures.test.ts)
  registry.register('Pendulum-v1', () => new Pendulum(), { maxEpisodeSteps: 200, rewardThreshold: null, tolerance: { obs: 0, reward: 0, rewardUlps: 1 } });
  registry.register('Acrobot-v1', () => new Acrobot(), { maxEpisodeSteps: 500, rewardThreshold: -100 });
  registry.register('MountainCar-v0', () => new MountainCar(), { maxEpisodeSteps: 200, rewardThreshold: -110 });
  registry.register('MountainCarContinuous-v0', () => new MountainCarContinuous(), {
    maxEpisodeSteps: 999,
    rewardThreshold: 90,
  });
}
