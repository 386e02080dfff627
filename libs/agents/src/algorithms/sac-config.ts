/**
 * What SoftActorCritic and CrossQ read from an SLM Lab spec, checked without tensors: the action
 * space and distribution, the memory, the nets (CrossQ's critics: `agent.critic_net`, else
 * `agent.net`, as SLM Lab's crossq.py), and SLM Lab 5.3's SAC keys (sac.py `init_algorithm_params`).
 * Options SLM Lab has and gymlab has not built (`entropy_penalty_coef` > 0, `spectral_norm`) refuse
 * with `NotBuiltError`; `symlog` and `meta.distributed` are refused for every algorithm by `checkBuilt`.
 */
import type { BoxSpace, Space } from '@gymlab/envs';
import type { NetSpec, Spec } from '@gymlab/spec';
import { checkNetSpec } from '../net/factory.js';
import { checkActionPdtype } from '../policy/action-dist.js';
import { autoTargetEntropy } from '../losses/sac.js';
import { AgentConfigError, NotBuiltError } from '../types.js';

/** The resolved SAC options an agent runs with. */
export interface SacConfig {
  readonly discrete: boolean;
  /** Discrete: n actions; continuous: action dims. */
  readonly actionDim: number;
  readonly gamma: number;
  readonly policyDelay: number;
  readonly logAlphaMin: number;
  readonly logAlphaMax: number;
  /** lr of the alpha optimizer (SLM Lab: `alpha_lr`, else the net's lr). */
  readonly alphaLr: number;
  /** A fixed alpha (no tuning), or null. */
  readonly fixedAlpha: number | null;
  /** Frames over which a fixed alpha anneals linearly to 0 (0: none). */
  readonly alphaAnnealFrames: number;
  readonly targetEntropy: number;
}

/** SoftActorCritic or CrossQ: the two algorithms these checks serve. */
export type SacFamily = 'SoftActorCritic' | 'CrossQ';

/** The critics' net spec and its key path: CrossQ's `agent.critic_net` when given (SLM Lab), else `agent.net`. */
export function criticNetOf(spec: Spec, name: SacFamily): { readonly net: NetSpec; readonly path: string } {
  const critic = name === 'CrossQ' ? spec.agent.critic_net : null;
  return critic === null ? { net: spec.agent.net, path: 'agent.net' } : { net: critic, path: 'agent.critic_net' };
}

/** Why `spec` cannot run as SoftActorCritic (or CrossQ, `name`) on these spaces (one line), or null when it can. */
export function sacSpecProblem(spec: Spec, observationSpace: BoxSpace, actionSpace: Space, name: SacFamily = 'SoftActorCritic'): string | null {
  const { algorithm: alg, memory: mem, net } = spec.agent;
  if (observationSpace.size < 1) return `${name}: the observation space is empty`;
  if (actionSpace.kind === 'box' && observationSpace.shape.length !== 1) {
    return `${name} with Box actions feeds [observation, action] to its critics and needs flat observations, got shape [${observationSpace.shape.join(', ')}]`;
  }
  if (mem.name !== 'Replay' && mem.name !== 'PrioritizedReplay') return `agent.memory.name '${mem.name}' does not work with ${name}; use Replay or PrioritizedReplay`;
  if (mem.batch_size === null || mem.max_size === null) return `agent.memory needs batch_size and max_size for ${mem.name}`;
  if (mem.name === 'PrioritizedReplay' && (mem.alpha === null || mem.epsilon === null)) return 'agent.memory PrioritizedReplay needs alpha and epsilon';
  if (alg.action_policy !== 'default') return `agent.algorithm.action_policy '${alg.action_policy}' does not work with ${name}; use default (sample the policy)`;
  if (net.optim_spec === null) return `agent.net.optim_spec is needed for ${name} (actor, critics and alpha each get one)`;
  const critic = criticNetOf(spec, name);
  if (critic.net.optim_spec === null) return `${critic.path}.optim_spec is needed for ${name} (each critic gets one)`;
  if (name === 'SoftActorCritic' && net.update_type === 'replace' && !(net.update_frequency >= 1)) return `agent.net.update_frequency must be >= 1 for update_type 'replace', got ${net.update_frequency}`;
  if (!(alg.log_alpha_min <= alg.log_alpha_max)) return `agent.algorithm.log_alpha_min (${alg.log_alpha_min}) must be <= log_alpha_max (${alg.log_alpha_max})`;
  return null;
}

/** Throws AgentConfigError / NotBuiltError (one line) when `spec` cannot run as SoftActorCritic (or CrossQ) here. */
export function checkSacSpec(spec: Spec, observationSpace: BoxSpace, actionSpace: Space, name: SacFamily = 'SoftActorCritic'): void {
  const { algorithm: alg, net } = spec.agent;
  checkActionPdtype(alg.action_pdtype, actionSpace, name);
  if (alg.entropy_penalty_coef > 0) throw new NotBuiltError(`${name} entropy_penalty_coef not built yet`, 'allowed: 0');
  if (alg.spectral_norm) throw new NotBuiltError(`${name} spectral_norm not built yet`, 'allowed: false');
  const problem = sacSpecProblem(spec, observationSpace, actionSpace, name);
  if (problem !== null) throw new AgentConfigError(problem);
  checkNetSpec(net, observationSpace.shape, 'actor-critic');
  const criticInput = actionSpace.kind === 'box' ? [observationSpace.size + actionSpace.size] : observationSpace.shape;
  const critic = criticNetOf(spec, name);
  checkNetSpec(critic.net, criticInput, 'q', false, critic.path);
}

/** The options of a checked spec. */
export function sacConfigOf(spec: Spec, actionSpace: Space): SacConfig {
  const { algorithm: alg, net } = spec.agent;
  const discrete = actionSpace.kind === 'discrete';
  const lr = net.optim_spec?.lr ?? 0;
  const target = alg.target_entropy;
  return {
    discrete,
    actionDim: actionSpace.kind === 'discrete' ? actionSpace.n : actionSpace.size,
    gamma: alg.gamma,
    policyDelay: alg.policy_delay,
    logAlphaMin: alg.log_alpha_min,
    logAlphaMax: alg.log_alpha_max,
    alphaLr: alg.alpha_lr ?? lr,
    fixedAlpha: alg.fixed_alpha,
    alphaAnnealFrames: alg.alpha_anneal_frames,
    targetEntropy: typeof target === 'number' ? target : autoTargetEntropy(actionSpace.kind === 'discrete' ? { kind: 'discrete', n: actionSpace.n } : { kind: 'box', size: actionSpace.size }),
  };
}
