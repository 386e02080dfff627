/** Schema tables of `env`, `meta` and the spec root. */
import { agentSpec } from './agent.js';
import { DERIVED, bool, flag, int, list, num, obj, oneOf, oneOfValues, orNull, p, required, search, str, type Is } from './dsl.js';

/**
 * Env keys SLM Lab passes to `gym.make` as keyword arguments (every key but its reserved ones); the
 * env factory takes them (`ENV_KWARGS` below), and an env that does not know one refuses it.
 */
const envKwarg = <F extends Parameters<typeof p>[0]>(f: F, doc: string) => p(f, `kwarg of the env: ${doc}`, { optional: true });

/** Gymnasium's MuJoCo v5 constructor arguments (each env takes its own subset; see libs/envs/README.md). */
const mujocoRange = (doc: string) => envKwarg(list(num(), { minItems: 2, maxItems: 2 }), `MuJoCo: ${doc} [low, high].`);
const mujocoNum = (doc: string) => envKwarg(num(), `MuJoCo: ${doc}.`);
const mujocoFlag = (doc: string) => envKwarg(bool, `MuJoCo: ${doc}.`);
const MUJOCO_KWARGS = {
  xml_file: envKwarg(str, 'MuJoCo: path to an MJCF model replacing the built-in one.'),
  frame_skip: envKwarg(int({ min: 1, max: 1000 }), 'MuJoCo: physics steps per env step.'),
  reset_noise_scale: envKwarg(num({ min: 0 }), 'MuJoCo: scale of the reset noise.'),
  forward_reward_weight: mujocoNum('weight of the forward reward'),
  ctrl_cost_weight: mujocoNum('weight of the control cost'),
  contact_cost_weight: mujocoNum('weight of the contact cost'),
  healthy_reward: mujocoNum('reward per healthy step'),
  reward_dist_weight: mujocoNum('Reacher/Pusher distance reward weight'),
  reward_control_weight: mujocoNum('Reacher/Pusher control reward weight'),
  reward_near_weight: mujocoNum('Pusher near reward weight'),
  uph_cost_weight: mujocoNum('HumanoidStandup uph weight (taken, not applied, as Gymnasium 1.4.0)'),
  impact_cost_weight: mujocoNum('HumanoidStandup impact cost weight'),
  terminate_when_unhealthy: mujocoFlag('end the episode when unhealthy'),
  exclude_current_positions_from_observation: mujocoFlag('leave the root x (and y) out of the observation'),
  include_cfrc_ext_in_observation: mujocoFlag('external contact forces in the observation'),
  include_cinert_in_observation: mujocoFlag('Humanoid: com inertias in the observation'),
  include_cvel_in_observation: mujocoFlag('Humanoid: com velocities in the observation'),
  include_qfrc_actuator_in_observation: mujocoFlag('Humanoid: actuator forces in the observation'),
  healthy_z_range: mujocoRange('healthy torso height'),
  healthy_angle_range: mujocoRange('healthy torso angle'),
  healthy_state_range: mujocoRange('Hopper healthy state values'),
  contact_force_range: mujocoRange('Ant contact force clip'),
  contact_cost_range: mujocoRange('Humanoid contact cost clip'),
  impact_cost_range: mujocoRange('HumanoidStandup impact cost clip'),
  main_body: envKwarg(oneOf(int({ min: 0 }), str), 'MuJoCo: Ant body whose velocity is rewarded (index or name).'),
} as const;

const envSpecTable = obj({
  name: required(str, 'Env id (checked by @gymlab/envs at run time, e.g. CartPole-v1).'),
  num_envs: p(int({ min: 1 }), 'Sub-envs in the vector env.', { default: 1 }),
  max_t: orNull(int({ min: 1 }), "Episode step limit; null: the env's registered limit."),
  max_frame: required(int({ min: 1 }), 'Total env frames (steps summed over sub-envs) per session.'),
  normalize_obs: flag('Running normalisation of observations.'),
  normalize_reward: flag('Running scaling of rewards by the std of discounted returns.'),
  clip_obs: p(num({ min: 0, exclusiveMin: true }), 'Clip observations to [-clip_obs, clip_obs] (after normalize_obs); absent: 10 with normalize_obs, else none; null: none.', {
    nullable: true,
    default: DERIVED,
  }),
  clip_reward: p(
    oneOf(num({ min: 0, exclusiveMin: true }), list(num(), { minItems: 2, maxItems: 2 })),
    'Clip rewards to [-clip_reward, clip_reward] or [min, max] (after normalize_reward); absent: 10 with normalize_reward, else none; null: none.',
    { nullable: true, default: DERIVED },
  ),
  backend: p(oneOfValues('backend', ['native', 'gymnasium']), "gymlab: who runs the env; 'native' its TypeScript port, 'gymnasium' Python Gymnasium in a child process; absent: the port where one exists, else Gymnasium.", {
    optional: true,
  }),
  python: p(str, "gymlab: the Python interpreter of env.backend 'gymnasium' (needs Gymnasium and NumPy); absent: python3.", { optional: true }),
  continuous: envKwarg(bool, 'LunarLander/CarRacing continuous actions.'),
  hardcore: envKwarg(bool, 'BipedalWalker hardcore terrain.'),
  life_loss_info: envKwarg(bool, 'ALE: report a life loss as the end of an episode to the learner.'),
  repeat_action_probability: envKwarg(num({ min: 0, max: 1 }), 'ALE sticky actions.'),
  frameskip: envKwarg(int({ min: 1 }), 'ALE frames per step.'),
  full_action_space: envKwarg(bool, 'ALE: all 18 actions.'),
  reward_clipping: envKwarg(bool, 'ALE: clip rewards to their sign.'),
  g: envKwarg(num({ min: 0 }), 'Pendulum gravity.'),
  sutton_barto_reward: envKwarg(bool, 'CartPole: reward 0 per step, -1 on failure.'),
  goal_velocity: envKwarg(num(), 'MountainCar goal velocity.'),
  ...MUJOCO_KWARGS,
});

/** The env keys that are the env's own keyword arguments (see `envKwarg`). */
export const ENV_KWARGS = [
  'continuous',
  'hardcore',
  'life_loss_info',
  'repeat_action_probability',
  'frameskip',
  'full_action_space',
  'reward_clipping',
  'g',
  'sutton_barto_reward',
  'goal_velocity',
  ...(Object.keys(MUJOCO_KWARGS) as (keyof typeof MUJOCO_KWARGS)[]),
] as const;
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- a named type, see `Is`
export interface EnvSpecField extends Is<typeof envSpecTable> {}
export const envSpec: EnvSpecField = envSpecTable;

const searchSchedulerSpecTable = obj({
  grace_period: required(int({ min: 1 }), 'Frames before a trial may be stopped early.'),
  reduction_factor: required(num({ min: 1, exclusiveMin: true }), 'ASHA reduction factor.'),
});
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- a named type, see `Is`
export interface SearchSchedulerSpecField extends Is<typeof searchSchedulerSpecTable> {}
export const searchSchedulerSpec: SearchSchedulerSpecField = searchSchedulerSpecTable;

const metaSpecTable = obj({
  distributed: p(oneOf(bool, oneOfValues('distributed', ['shared', 'synced'])), "SLM Lab parallel training: 'shared' (Hogwild) or 'synced' (gradients pushed to a global net); false: none.", {
    default: false,
  }),
  num_gpus: p(num({ min: 0 }), 'GPUs per trial in a search (SLM Lab / Ray).', { optional: true }),
  log_frequency: p(int({ min: 1 }), 'Frames between metric rows (default: eval_frequency).', { default: DERIVED }),
  eval_frequency: p(int({ min: 1 }), 'Frames between evaluations and checkpoints.', { default: 1000 }),
  checkpoint_frequency: p(
    int({ min: 1 }),
    'gymlab: frames between resume checkpoints (checkpoints/latest, everything `gymlab run resume` needs to continue exactly); a killed run loses at most this many frames.',
    { default: 10000 },
  ),
  rigorous_eval: p(int({ min: 0 }), 'Deterministic evaluation episodes per evaluation; 0: none.', { default: 0 }),
  max_session: p(int({ min: 1 }), 'Sessions (seeds) per trial.', { default: 1 }),
  max_trial: p(int({ min: 1 }), 'Trials per search experiment.', { default: 1 }),
  random_seed: orNull(int({ min: 0, max: 4294967295 }), 'Base seed; null: drawn at run time and recorded.'),
  search_resources: orNull(
    obj({
      cpu: p(num({ min: 0 }), 'CPUs per trial.', { optional: true }),
      gpu: p(num({ min: 0 }), 'GPUs (fraction) per trial.', { optional: true }),
    }),
    'Resources per search trial.',
  ),
  search_scheduler: orNull(searchSchedulerSpec, 'Early-stopping scheduler of the search (ASHA).'),
  search_sampler: orNull(oneOfValues('search_sampler', ['tpe', 'random', 'grid']), 'Search sampler.'),
});
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- a named type, see `Is`
export interface MetaSpecField extends Is<typeof metaSpecTable> {}
export const metaSpec: MetaSpecField = metaSpecTable;

/** One spec (the value under a name in a spec file). */
const specSchemaTable = obj({
  // Absent in most files; `derive.ts` fills the spec's key (and checks a given name equals it).
  name: p(str, "The spec's name (optional; must equal its key in the file).", { default: DERIVED }),
  agent: required(agentSpec, 'The agent: algorithm, memory, net.'),
  env: required(envSpec, 'The environment.'),
  meta: p(metaSpec, 'Run settings.', { default: {} }),
  search: orNull(search, 'Hyperparameter search space: `path__dist: args`, dotted or nested.'),
});
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- a named type, see `Is`
export interface SpecField extends Is<typeof specSchemaTable> {}
export const specSchema: SpecField = specSchemaTable;
