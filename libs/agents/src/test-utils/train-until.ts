/** The learning tests' loop: train an agent on a vector env until its recent returns reach a target. */
import { rollout, type VectorEnv } from '@gymlab/envs';
import type { Agent } from '../types.js';

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
