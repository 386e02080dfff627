/**
 * Which algorithms exist, how to build them, and the up-front check of a spec against the env's
 * spaces. Each algorithm module exports an `AlgorithmEntry`; adding one is one import and one map
 * entry below.
 */
import type { BoxSpace, Space } from '@gymlab/envs';
import type { Spec } from '@gymlab/spec';
import { NotBuiltError, type Agent, type AgentContext } from './types.js';
import { ppoEntry } from './algorithms/ppo.js';
import { checkFastPpoSpec, FastPpoAgent } from './algorithms/ppo-fast.js';
import { dqnEntry } from './algorithms/dqn.js';
import { checkBuilt } from './built.js';
import { randomEntry } from './algorithms/random.js';
import { sarsaEntry } from './algorithms/sarsa.js';
import { reinforceEntry } from './algorithms/reinforce.js';
import { actorCriticEntry } from './algorithms/actor-critic.js';
import { ppoSilEntry, silEntry } from './algorithms/sil.js';
import { sacEntry } from './algorithms/sac.js';
import { fastSacEntry } from './algorithms/sac-fast.js';

export interface AlgorithmEntry {
  /** Throws AgentConfigError (one line) when the spec cannot run on these spaces. */
  check(spec: Spec, observationSpace: BoxSpace, actionSpace: Space): void;
  create(ctx: AgentContext): Agent;
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
};

/** Names of the algorithms this build can run, sorted. */
export function implementedAlgorithms(): string[] {
  return Object.keys(ALGORITHMS).sort();
}

/** What runs on `agent.net.backend: fast` (the fast CPU path); every other algorithm is refused there. */
const FAST_ALGORITHMS: Readonly<Record<string, AlgorithmEntry>> = {
  PPO: { check: checkFastPpoSpec, create: (ctx) => new FastPpoAgent(ctx) },
  SoftActorCritic: fastSacEntry,
};

function entryFor(name: string, spec?: Spec): AlgorithmEntry {
  if (spec?.agent.net.backend === 'fast') {
    const fast = Object.prototype.hasOwnProperty.call(FAST_ALGORITHMS, name) ? FAST_ALGORITHMS[name] : undefined;
    if (fast === undefined) {
      throw new NotBuiltError(`backend fast: algorithm ${name} not built yet`, `it runs ${Object.keys(FAST_ALGORITHMS).join(', ')}; use another agent.net.backend`);
    }
    return fast;
  }
  const entry = Object.prototype.hasOwnProperty.call(ALGORITHMS, name) ? ALGORITHMS[name] : undefined;
  if (entry === undefined) {
    throw new NotBuiltError(
      `${name}: algorithm not built yet`,
      `agent.algorithm.name '${name}' is not implemented in gymlab yet; implemented: ${implementedAlgorithms().join(', ')}`,
    );
  }
  return entry;
}

/** Checks that `spec.agent` can run on these spaces; throws AgentConfigError with one line if not. */
export function checkAgentSpec(spec: Spec, observationSpace: BoxSpace, actionSpace: Space): void {
  const entry = entryFor(spec.agent.algorithm.name, spec);
  checkBuilt(spec);
  entry.check(spec, observationSpace, actionSpace);
}

/** Builds the agent `ctx.spec` names (after `checkAgentSpec`). */
export function createAgent(ctx: AgentContext): Agent {
  const entry = entryFor(ctx.spec.agent.algorithm.name, ctx.spec);
  checkBuilt(ctx.spec);
  entry.check(ctx.spec, ctx.observationSpace, ctx.actionSpace);
  return entry.create(ctx);
}
