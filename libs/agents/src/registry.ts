/**
 * Which algorithms exist, how to build them, and the up-front check of a spec against the env's
 * spaces. Each algorithm module exports an `AlgorithmEntry`; adding one is one import and one map
 * entry below.
 */
import { isFastPath } from '@gymlab/backends';
import type { AutoresetMode, BoxSpace, Space } from '@gymlab/envs';
import type { Spec } from '@gymlab/spec';
import { AgentConfigError, NotBuiltError, type Agent, type AgentContext } from './types.js';
import { ppoEntry } from './algorithms/ppo.js';
import { fastActorCriticEntry, fastPpoEntry } from './algorithms/on-policy-fast.js';
import { dqnEntry } from './algorithms/dqn.js';
import { fastDqnEntry } from './algorithms/dqn-fast.js';
import { checkBuilt } from './built.js';
import { randomEntry } from './algorithms/random.js';
import { sarsaEntry } from './algorithms/sarsa.js';
import { reinforceEntry } from './algorithms/reinforce.js';
import { actorCriticEntry } from './algorithms/actor-critic.js';
import { ppoSilEntry, silEntry } from './algorithms/sil.js';
import { sacEntry } from './algorithms/sac.js';
import { fastSacEntry } from './algorithms/sac-fast.js';
import { crossQEntry } from './algorithms/crossq.js';
import { fastCrossQEntry } from './algorithms/crossq-fast.js';

export interface AlgorithmEntry {
  /** Throws AgentConfigError (one line) when the spec cannot run on these spaces. */
  check(spec: Spec, observationSpace: BoxSpace, actionSpace: Space): void;
  create(ctx: AgentContext): Agent;
  /**
   * When the training vector env starts an ended sub-env's next episode (default `same-step`).
   * `next-step` gives the batches SLM Lab trains on with num_envs > 1 (Gymnasium's vector envs'
   * default autoreset: one extra row per episode with the final observation, an ignored action and
   * reward 0). With num_envs 1 SLM Lab steps a plain env and resets it itself (control.py run_rl):
   * no extra row, so `autoresetFor` gives same-step there whatever the entry says.
   */
  readonly autoreset?: AutoresetMode;
}

const ALGORITHMS: Readonly<Record<string, AlgorithmEntry>> = {
  PPO: ppoEntry,
  ActorCritic: actorCriticEntry,
  SIL: silEntry,
  PPOSIL: ppoSilEntry,
  VanillaDQN: dqnEntry,
  DQN: dqnEntry,
  DoubleDQN: dqnEntry,
  Random: randomEntry,
  SARSA: sarsaEntry,
  Reinforce: reinforceEntry,
  SoftActorCritic: sacEntry,
  CrossQ: crossQEntry,
};

/** Names of the algorithms this build can run, sorted. */
export function implementedAlgorithms(): string[] {
  return Object.keys(ALGORITHMS).sort();
}

/**
 * What runs on the fast CPU path (`agent.net.backend: fast`, and the CPU default where its check
 * passes, see `fastPathFit`); every other algorithm is refused when `fast` is named.
 */
const FAST_ALGORITHMS: Readonly<Record<string, AlgorithmEntry>> = {
  PPO: fastPpoEntry,
  ActorCritic: fastActorCriticEntry,
  SoftActorCritic: fastSacEntry,
  CrossQ: fastCrossQEntry,
  VanillaDQN: fastDqnEntry,
  DQN: fastDqnEntry,
  DoubleDQN: fastDqnEntry,
};

const own = <T>(table: Readonly<Record<string, T>>, name: string): T | undefined => (Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined);

/** The autoreset mode the training vector env of `spec`'s algorithm uses: its entry's when num_envs > 1, else (and for unknown names) `same-step`. */
export function autoresetFor(spec: Spec): AutoresetMode {
  if (spec.env.num_envs <= 1) return 'same-step';
  return own(ALGORITHMS, spec.agent.algorithm.name)?.autoreset ?? 'same-step';
}

function entryFor(name: string, fast: boolean): AlgorithmEntry {
  if (fast) {
    const entry = own(FAST_ALGORITHMS, name);
    if (entry === undefined) {
      throw new NotBuiltError(`backend fast: algorithm ${name} not built yet`, `it runs ${Object.keys(FAST_ALGORITHMS).join(', ')}; use another agent.net.backend`);
    }
    return entry;
  }
  const entry = own(ALGORITHMS, name);
  if (entry === undefined) {
    throw new NotBuiltError(
      `${name}: algorithm not built yet`,
      `agent.algorithm.name '${name}' is not implemented in gymlab yet; implemented: ${implementedAlgorithms().join(', ')}`,
    );
  }
  return entry;
}

/** Whether the fast CPU path runs a spec: yes (and which algorithm entry), or why not in a few words. */
export type FastFit = { readonly fits: true; readonly algorithm: string } | { readonly fits: false; readonly reason: string };

/**
 * Whether the fast path's entry for `spec`'s algorithm accepts it on these spaces, for choosing the
 * compute path when the spec names no backend. A refusal (the entry's `NotBuiltError`, or an
 * `AgentConfigError` the tfjs entry's check will then report) is an answer here, never an error:
 * `reason` says what the fast path lacks, e.g. `the fast path does not run agent.net.type 'ConvNet'`.
 */
export function fastPathFit(spec: Spec, observationSpace: BoxSpace, actionSpace: Space): FastFit {
  const name = spec.agent.algorithm.name;
  const entry = own(FAST_ALGORITHMS, name);
  if (entry === undefined) return { fits: false, reason: `the fast path does not run ${name}` };
  try {
    // as if `fast` were named: what the fast path cannot run (meta.distributed) refuses here too
    checkBuilt({ ...spec, agent: { ...spec.agent, net: { ...spec.agent.net, backend: 'fast' } } });
    entry.check(spec, observationSpace, actionSpace);
    return { fits: true, algorithm: name };
  } catch (err) {
    if (err instanceof NotBuiltError) return { fits: false, reason: `the fast path does not run ${err.what.replace(/^backend fast: /, '').replace(/ not built yet$/, '')}` };
    if (err instanceof AgentConfigError) return { fits: false, reason: err.message.split('\n')[0] };
    throw err;
  }
}

/**
 * Checks that `spec.agent` can run on these spaces; throws AgentConfigError with one line if not.
 * With `agent.net.backend: fast` or `native` that is the fast path's check; otherwise the TensorFlow.js entry's,
 * which every spec that can run passes (the fast path, when chosen by default, runs a subset).
 */
export function checkAgentSpec(spec: Spec, observationSpace: BoxSpace, actionSpace: Space): void {
  const entry = entryFor(spec.agent.algorithm.name, isFastPath(spec.agent.net.backend));
  checkBuilt(spec);
  entry.check(spec, observationSpace, actionSpace);
}

/**
 * Builds the agent `ctx.spec` names (after `checkAgentSpec`): the fast path's entry when the backend
 * the lab started is `fast` or `native` (named, or chosen because `fastPathFit` said yes), else the tfjs one.
 */
export function createAgent(ctx: AgentContext): Agent {
  const entry = entryFor(ctx.spec.agent.algorithm.name, isFastPath(ctx.backend.name) || isFastPath(ctx.spec.agent.net.backend));
  checkBuilt(ctx.spec);
  entry.check(ctx.spec, ctx.observationSpace, ctx.actionSpace);
  return entry.create(ctx);
}
