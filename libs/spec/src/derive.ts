/**
 * After the per-component walk: fill defaults that depend on other components, then check rules
 * that span components (algorithm vs memory, exploration, optimizers).
 */
import { optimSpec } from './schema/components.js';
import { DERIVED } from './schema/dsl.js';
import type { Spec } from './types.js';
import { joinPath } from './errors.js';
import { fail, validateField, type ValidateContext } from './validate.js';

type Obj = Record<string, unknown>;

const ON_POLICY = ['OnPolicyReplay', 'OnPolicyBatchReplay', 'OnPolicyCrossEntropy'];
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
  SIL: ON_POLICY,
  PPOSIL: ['OnPolicyBatchReplay'],
  CrossQ: OFF_POLICY,
  HydraDQN: OFF_POLICY,
};
const SIL_FAMILY = ['SIL', 'PPOSIL'];
/** Keys of SIL's replay that an on-policy memory carries for SIL and PPOSIL only. */
const SIL_REPLAY_KEYS = ['sil_replay_name', 'batch_size', 'max_size', 'use_cer', 'alpha', 'epsilon'] as const;

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
  // SLM Lab 5.3's SAC (and CrossQ): max(1000, memory.batch_size)
  if (algo['training_start_step'] === DERIVED) algo['training_start_step'] = Math.max(1000, (memory['batch_size'] as number | null) ?? 0);
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
  checkSilReplay(algoName, memory, at('agent', 'memory'), ctx);
  if (net['type'] === 'TorchArcNet' && net['batch_norm'] === true) {
    fail(ctx, at('agent', 'net', 'batch_norm'), 'TorchArcNet reads no batch_norm (put a BatchNorm1d in its arc); allowed: false or absent');
  }
  const policy = algo['action_policy'];
  if ((policy === 'epsilon_greedy' || policy === 'boltzmann') && algo['explore_var_spec'] === null) {
    fail(ctx, at('agent', 'algorithm', 'explore_var_spec'), `action_policy ${policy} needs an explore_var_spec (epsilon or tau schedule), got null`);
  }
  if (net['optim_spec'] === null && net['actor_optim_spec'] === null) {
    fail(ctx, at('agent', 'net', 'optim_spec'), 'no optimizer: give optim_spec (or actor_optim_spec and critic_optim_spec)');
  }
  const separateCritic = ['ActorCritic', 'PPO', ...SIL_FAMILY].includes(algoName) && net['shared'] === false;
  if (separateCritic && !net['use_same_optim'] && net['critic_optim_spec'] === null && net['optim_spec'] === null) {
    fail(ctx, at('agent', 'net', 'critic_optim_spec'), 'the separate critic has no optimizer: give critic_optim_spec or optim_spec, or set use_same_optim: true');
  }
  if (net['update_type'] === 'polyak' && net['polyak_coef'] === 0) {
    // SLM Lab runs it (its target net then stays at its initial weights), and its files hold such specs
    const line = `${ctx.file}: ${joinPath(at('agent', 'net', 'polyak_coef'))}: 0 with update_type polyak: the target net never moves from its initial weights`;
    ctx.notices.push(line);
    ctx.warnings?.push(line);
  }
  return spec as Spec;
}

/**
 * SIL and PPOSIL keep a second, off-policy memory named by the on-policy memory's `sil_replay_name`
 * and sized by its `batch_size` and `max_size`; other algorithms must leave those keys out.
 */
function checkSilReplay(algoName: string, memory: Obj, at: readonly string[], ctx: ValidateContext): void {
  if (!ON_POLICY.includes(memory['name'] as string)) return;
  if (SIL_FAMILY.includes(algoName)) {
    for (const key of ['sil_replay_name', 'batch_size', 'max_size']) {
      if (memory[key] === null) fail(ctx, [...at, key], `${algoName} needs ${key} for its self-imitation replay, got null`);
    }
    if (memory['sil_replay_name'] === 'PrioritizedReplay' && (memory['alpha'] === null || memory['epsilon'] === null)) {
      fail(ctx, [...at, memory['alpha'] === null ? 'alpha' : 'epsilon'], 'sil_replay_name PrioritizedReplay needs alpha and epsilon');
    }
    return;
  }
  const defaults: Readonly<Record<string, unknown>> = { use_cer: false };
  for (const key of SIL_REPLAY_KEYS) {
    if (memory[key] !== (defaults[key] ?? null)) {
      fail(ctx, [...at, key], `not used by memory ${String(memory['name'])} with algorithm ${algoName} (SIL and PPOSIL read it for their replay); remove it`);
    }
  }
}
