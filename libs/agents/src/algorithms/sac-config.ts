/**
 * What SoftActorCritic reads from an SLM Lab spec, checked without tensors: the action space and
 * distribution, the memory, the net, and SLM Lab 5.3's SAC keys (sac.py `init_algorithm_params`).
 * Options SLM Lab has and gymlab has not built (`entropy_penalty_coef` > 0, `spectral_norm`) refuse
 * with `NotBuiltError`; `symlog` and `meta.distributed` are refused for every algorithm by `checkBuilt`.
 */
import type { BoxSpace, Space } from '@gymlab/envs';
import type { Spec } from '@gymlab/spec';
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

/** Why `spec` cannot run as SoftActorCritic on these spaces (one line), or null when it can. */
export function sacSpecProblem(spec: Spec, observationSpace: BoxSpace, actionSpace: Space): string | null {
  const { algorithm: alg, memory: mem, net } = spec.agent;
  if (observationSpace.size < 1) return 'SoftActorCritic: the observation space is empty';
  if (actionSpace.kind === 'box' && observationSpace.shape.length !== 1) {
    return `SoftActorCritic with Box actions feeds [observation, action] to its critics and needs flat observations, got shape [${observationSpace.shape.join(', ')}]`;
  }
  if (mem.name !== 'Replay' && mem.name !== 'PrioritizedReplay') return `agent.memory.name '${mem.name}' does not work with SoftActorCritic; use Replay or PrioritizedReplay`;
  if (mem.batch_size === null || mem.max_size === null) return `agent.memory needs batch_size and max_size for ${mem.name}`;
  if (mem.name === 'PrioritizedReplay' && (mem.alpha === null || mem.epsilon === null)) return 'agent.memory PrioritizedReplay needs alpha and epsilon';
  if (alg.action_policy !== 'default') return `agent.algorithm.action_policy '${alg.action_policy}' does not work with SoftActorCritic; use default (sample the policy)`;
  if (net.optim_spec === null) return 'agent.net.optim_spec is needed for SoftActorCritic (actor, critics and alpha each get one)';
  if (net.update_type === 'replace' && !(net.update_frequency >= 1)) return `agent.net.update_frequency must be >= 1 for update_type 'replace', got ${net.update_frequency}`;
  if (!(alg.log_alpha_min <= alg.log_alpha_max)) return `agent.algorithm.log_alpha_min (${alg.log_alpha_min}) must be <= log_alpha_max (${alg.log_alpha_max})`;
  return null;
}

/** Throws AgentConfigError / NotBuiltError (one line) when `spec` cannot run as SoftActorCritic here. */
export function checkSacSpec(spec: Spec, observationSpace: BoxSpace, actionSpace: Space): void {
  const { algorithm: alg, net } = spec.agent;
  checkActionPdtype(alg.action_pdtype, actionSpace, 'SoftActorCritic');
  if (alg.entropy_penalty_coef > 0) throw new NotBuiltError('SoftActorCritic entropy_penalty_coef not built yet', 'allowed: 0');
  if (alg.spectral_norm) throw new NotBuiltError('SoftActorCritic spectral_norm not built yet', 'allowed: false');
  const problem = sacSpecProblem(spec, observationSpace, actionSpace);
  if (problem !== null) throw new AgentConfigError(problem);
  checkNetSpec(net, observationSpace.shape, 'actor-critic');
  const criticInput = actionSpace.kind === 'box' ? [observationSpace.size + actionSpace.size] : observationSpace.shape;
  checkNetSpec(net, criticInput, 'q');
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
