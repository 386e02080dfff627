/**
 * The env normalisation a spec asks for (SLM Lab's `env.normalize_obs`, `clip_obs`,
 * `normalize_reward`, `clip_reward`, with the algorithm's gamma for the discounted return), and
 * the statistics a checkpoint saves for it.
 */
import type { NormalizationOptions, NormalizationState, NormalizedVectorEnv } from '@gymlab/envs';
import type { Spec } from '@gymlab/spec';

export function normalizationOptions(spec: Spec): NormalizationOptions {
  const env = spec.env;
  const clipReward = env.clip_reward;
  return {
    normalizeObs: env.normalize_obs,
    clipObs: env.clip_obs,
    normalizeReward: env.normalize_reward,
    clipReward: clipReward === null ? null : typeof clipReward === 'number' ? [-clipReward, clipReward] : [clipReward[0], clipReward[1]],
    gamma: spec.agent.algorithm.gamma,
  };
}

/** The statistics to save with a checkpoint; null when the env keeps none. */
export function checkpointEnvStats(norm: NormalizedVectorEnv): NormalizationState | null {
  return norm.obsRms === null && norm.returnRms === null ? null : norm.getState();
}
