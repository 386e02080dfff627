/** The agents tests' training loops, on @gymlab/envs' rollout: act ('train'), step, hand the transitions back. */
import { rollout, type VectorEnv } from '@gymlab/envs';
import type { ComputeBackend } from '@gymlab/backends';
import type { Spec } from '@gymlab/spec';
import { createAgent } from '../registry.js';
import type { Agent, TrainStats } from '../types.js';

/** Trains `agent` on `env` for `steps` vector steps from a reset with `seed`; returns every update's TrainStats. */
export function trainFor(agent: Agent, env: VectorEnv, steps: number, seed = 0): TrainStats[] {
  const stats: TrainStats[] = [];
  rollout(env, (obs) => agent.act(obs, 'train'), {
    steps,
    seed,
    onStep: (s) => {
      const st = agent.update(s, s.frame);
      if (st !== null) stats.push(st);
    },
  });
  return stats;
}

export interface TrainUntilResult {
  /** Best mean return over `window` consecutive episodes (checked as each episode ends); -Infinity before `window` episodes. */
  readonly best: number;
  readonly frames: number;
  readonly episodes: number;
}

/**
 * Acts ('train'), steps and hands every transition back to `agent`, from a reset with `seed`, until
 * the mean return of the last `window` episodes reaches `target` or `maxFrames` frames are spent.
 */
export function trainUntil(agent: Agent, env: VectorEnv, o: { maxFrames: number; seed: number; target: number; window?: number }): TrainUntilResult {
  const window = o.window ?? 20;
  const returns: number[] = [];
  let best = -Infinity;
  const r = rollout(env, (obs) => agent.act(obs, 'train'), {
    steps: Math.ceil(o.maxFrames / env.numEnvs),
    seed: o.seed,
    onStep: (s) => {
      agent.update(s, s.frame);
      for (const ep of s.finished) {
        returns.push(ep.return);
        if (returns.length >= window) best = Math.max(best, returns.slice(-window).reduce((a, b) => a + b, 0) / window);
      }
      return best >= o.target;
    },
  });
  return { best, frames: r.frames, episodes: returns.length };
}

/** The weights of a fresh agent after `steps` vector steps from a reset with `seed` (disposed after). */
export function weightsAfter(make: () => { agent: Agent; env: VectorEnv }, steps: number, seed = 0): Record<string, Float32Array> {
  const { agent, env } = make();
  trainFor(agent, env, steps, seed);
  const w = { ...agent.weights() };
  agent.dispose();
  return w;
}

/** An agent for `spec` on `env`'s spaces (the registry's createAgent). */
export function agentFor(backend: ComputeBackend, spec: Spec, env: VectorEnv, seed = 1, devChecks = true): Agent {
  return createAgent({ spec, observationSpace: env.singleObservationSpace, actionSpace: env.singleActionSpace, numEnvs: env.numEnvs, seed, backend, devChecks });
}

/**
 * How many episodes had finished at each of the first `updates` updates of `agent` (acting 'train'
 * on `env` from a reset with seed 0, at most `steps` vector steps); `onStats` sees each update's stats.
 */
export function episodesAtUpdates(agent: Agent, env: VectorEnv, steps: number, updates = 2, onStats: (s: TrainStats) => void = () => {}): number[] {
  let episodes = 0;
  const trainedAt: number[] = [];
  rollout(env, (obs) => agent.act(obs, 'train'), {
    steps,
    seed: 0,
    onStep: (s) => {
      episodes += s.finished.length;
      const stats = agent.update(s, s.frame);
      if (stats !== null) {
        onStats(stats);
        trainedAt.push(episodes);
      }
      return trainedAt.length >= updates;
    },
  });
  return trainedAt;
}
