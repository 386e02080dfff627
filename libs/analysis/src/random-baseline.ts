/**
 * Mean return of a uniformly random agent, per env id: SLM Lab's `_random_baseline.json`
 * (kengz/SLM-Lab, `slm_lab/spec/_random_baseline.json`, 100 episodes each), for the envs gymlab
 * builds in. Strength is measured above this baseline.
 */
export const RANDOM_BASELINES: Readonly<Record<string, number>> = Object.freeze({
  'CartPole-v1': 22.97,
  'Acrobot-v1': -499.86,
  'MountainCar-v0': -200.0,
  'MountainCarContinuous-v0': -33.4422872856276,
  'Pendulum-v1': -1197.1535031949936,
});

/**
 * The random-agent mean return for `envId`, or null when none is known (SLM Lab then uses 0 and
 * warns; pass `randomBaseline: 0` explicitly to do the same).
 */
export function randomBaseline(envId: string): number | null {
  return Object.prototype.hasOwnProperty.call(RANDOM_BASELINES, envId) ? RANDOM_BASELINES[envId] : null;
}
