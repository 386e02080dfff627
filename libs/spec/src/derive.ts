/**
 * After the per-component walk: fill defaults that depend on other components, then check rules
 * that span components (algorithm vs memory, exploration, optimizers).
 */
import { optimSpec } from './schema/components.js';
import { DERIVED } from './schema/dsl.js';
import type { Spec } from './types.js';
import { fail, validateField, type ValidateContext } from './validate.js';

type Obj = Record<string, unknown>;

const ON_POLICY = ['OnPolicyReplay', 'OnPolicyBatchReplay'];
const OFF_POLICY = ['Replay', 'PrioritizedReplay'];
const MEMORIES_OF: Readonly<Record<string, readonly string[]>> = {
  Reinforce: ON_POLICY,
  SARSA: ON_POLICY,
  ActorCritic: ON_POLICY,
  PPO: ['OnPolicyBatchReplay'],
  VanillaDQN: OFF_POLICY,
  DQN: OFF_POLICY,
  DoubleDQN: OFF_POLICY,
  SoftActorCritic: OFF_POLICY,
};

/**
 * Fill DERIVED placeholders and run cross-component checks on the walked spec (mutates `spec`).
 * Returns it typed: the walk of `specSchema` built every key of `Spec`, and no placeholder is left.
 */
export function deriveAndCheck(spec: Obj, name: string, ctx: ValidateContext): Spec {
  const agent = spec['agent'] as Obj;
  const algo = agent['algorithm'] as Obj;
  const memory = agent['memory'] as Obj;
  const net = agent['net'] as Obj;
  const env = spec['env'] as Obj;
  const meta = spec['meta'] as Obj;
  const at = (...keys: string[]) => [name, ...keys];

  if (spec['name'] === DERIVED) spec['name'] = name;
  if (meta['log_frequency'] === DERIVED) meta['log_frequency'] = meta['eval_frequency'];
  if (algo['training_iter'] === DERIVED) algo['training_iter'] = env['num_envs'];
  // SLM Lab: clip_obs / clip_reward default to 10 when the matching normalisation is on
  if (env['clip_obs'] === DERIVED) env['clip_obs'] = env['normalize_obs'] === true ? 10 : null;
  if (env['clip_reward'] === DERIVED) env['clip_reward'] = env['normalize_reward'] === true ? 10 : null;
  const clipReward = env['clip_reward'];
  if (Array.isArray(clipReward) && !((clipReward[0] as number) <= (clipReward[1] as number))) {
    fail(ctx, at('env', 'clip_reward'), `[min, max] needs min <= max, got ${JSON.stringify(clipReward)}`);
  }
  if (algo['training_start_step'] === DERIVED) algo['training_start_step'] = memory['batch_size'] ?? 0;
  if (net['optim_spec'] === DERIVED) {
    net['optim_spec'] = net['actor_optim_spec'] === null ? validateField(optimSpec, { name: 'Adam' }, at('agent', 'net', 'optim_spec'), ctx) : null;
  }

  if (spec['name'] !== name) {
    fail(ctx, at('name'), `must equal the spec's key '${name}', got "${String(spec['name'])}"`);
  }
  const algoName = algo['name'] as string;
  const memories = MEMORIES_OF[algoName];
  if (memories && !memories.includes(memory['name'] as string)) {
    fail(ctx, at('agent', 'memory', 'name'), `${algoName} needs memory ${memories.join(' or ')}, got "${String(memory['name'])}"`);
  }
  const policy = algo['action_policy'];
  if ((policy === 'epsilon_greedy' || policy === 'boltzmann') && algo['explore_var_spec'] === null) {
    fail(ctx, at('agent', 'algorithm', 'explore_var_spec'), `action_policy ${policy} needs an explore_var_spec (epsilon or tau schedule), got null`);
  }
  if (net['optim_spec'] === null && net['actor_optim_spec'] === null) {
    fail(ctx, at('agent', 'net', 'optim_spec'), 'no optimizer: give optim_spec (or actor_optim_spec and critic_optim_spec)');
  }
  const separateCritic = (algoName === 'ActorCritic' || algoName === 'PPO') && net['shared'] === false;
  if (separateCritic && !net['use_same_optim'] && net['critic_optim_spec'] === null && net['optim_spec'] === null) {
    fail(ctx, at('agent', 'net', 'critic_optim_spec'), 'the separate critic has no optimizer: give critic_optim_spec or optim_spec, or set use_same_optim: true');
  }
  if (net['update_type'] === 'polyak' && net['polyak_coef'] === 0) {
    fail(ctx, at('agent', 'net', 'polyak_coef'), 'update_type polyak needs polyak_coef > 0 (0 would never update the target net)');
  }
  return spec as Spec;
}
