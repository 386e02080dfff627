/** Schema tables of `env`, `meta` and the spec root. */
import { agentSpec } from './agent.js';
import { DERIVED, bool, int, num, obj, oneOfValues, p, str, type ObjField } from './dsl.js';

export const envSpec = obj({
  name: p(str, 'Env id (checked by @gymlab/envs at run time, e.g. CartPole-v1).', { required: true }),
  num_envs: p(int({ min: 1 }), 'Sub-envs in the vector env.', { default: 1 }),
  max_t: p(int({ min: 1 }), "Episode step limit; null: the env's registered limit.", { nullable: true, default: null }),
  max_frame: p(int({ min: 1 }), 'Total env frames (steps summed over sub-envs) per session.', { required: true }),
  normalize_obs: p(bool, 'Running normalisation of observations.', { default: false }),
  normalize_reward: p(bool, 'Running scaling of rewards by the std of discounted returns.', { default: false }),
});

export const metaSpec = obj({
  distributed: p(bool, 'SLM Lab Hogwild training (gymlab: false only).', { default: false }),
  log_frequency: p(int({ min: 1 }), 'Frames between metric rows (default: eval_frequency).', { default: DERIVED }),
  eval_frequency: p(int({ min: 1 }), 'Frames between evaluations and checkpoints.', { default: 1000 }),
  rigorous_eval: p(int({ min: 0 }), 'Deterministic evaluation episodes per evaluation; 0: none.', { default: 0 }),
  max_session: p(int({ min: 1 }), 'Sessions (seeds) per trial.', { default: 1 }),
  max_trial: p(int({ min: 1 }), 'Trials per search experiment.', { default: 1 }),
  random_seed: p(int({ min: 0, max: 4294967295 }), 'Base seed; null: drawn at run time and recorded.', { nullable: true, default: null }),
  search_resources: p(
    obj({
      cpu: p(num({ min: 0 }), 'CPUs per trial.', { optional: true }),
      gpu: p(num({ min: 0 }), 'GPUs (fraction) per trial.', { optional: true }),
    }),
    'Resources per search trial.',
    { nullable: true, default: null },
  ),
  search_scheduler: p(
    obj({
      grace_period: p(int({ min: 1 }), 'Frames before a trial may be stopped early.', { required: true }),
      reduction_factor: p(num({ min: 1, exclusiveMin: true }), 'ASHA reduction factor.', { required: true }),
    }),
    'Early-stopping scheduler of the search (ASHA).',
    { nullable: true, default: null },
  ),
  search_sampler: p(oneOfValues('search_sampler', ['tpe', 'random', 'grid']), 'Search sampler.', { nullable: true, default: null }),
});

/** One spec (the value under a name in a spec file). */
export const specSchema: ObjField = obj({
  name: p(str, "The spec's name (optional; must equal its key in the file).", { optional: true }),
  agent: p(agentSpec, 'The agent: algorithm, memory, net.', { required: true }),
  env: p(envSpec, 'The environment.', { required: true }),
  meta: p(metaSpec, 'Run settings.', { default: {} }),
  search: p({ t: 'search' }, 'Hyperparameter search space: `path__dist: args`, dotted or nested.', { nullable: true, default: null }),
});
