/**
 * `rollout`: steps a vector env with a policy, one batch of actions per vector step, and counts the
 * episodes that end. Used to evaluate a policy (the returns and lengths of N episodes, as
 * Stable-Baselines3's `evaluate_policy`) and, with `onStep`, as the act -> step -> learn loop of
 * tests and small scripts (the lab's Session has its own loop with metrics and checkpoints).
 */
import { ActionClipper } from './action-bounds.js';
import type { ActionBatch, EpisodeStat, VectorEnv } from './core.js';

/** Actions for every sub-env, given the observations to act on ([numEnvs * obsSize]). */
export type VectorPolicy = (obs: Float32Array) => ActionBatch;

/**
 * A batch of transitions from one vector-env step, one row per sub-env, flat row-major arrays:
 * `obs` is what the policy acted on, `action` what the policy returned (before Box actions were
 * clipped to the space for the env), `nextObs` the true s_{t+1} even when the episode ended at
 * this step. What an agent's `update` takes.
 */
export interface Transitions {
  readonly obs: Float32Array;
  readonly action: ActionBatch;
  readonly reward: Float64Array;
  readonly nextObs: Float32Array;
  readonly terminated: Uint8Array;
  readonly truncated: Uint8Array;
}

/** One vector step of a rollout: its transitions, the episodes that ended and the frame count. */
export interface RolloutStep extends Transitions {
  /** Episodes that ended at this step (all of them, counted or not). */
  readonly finished: readonly EpisodeStat[];
  /** Env frames so far, this step's included: vector steps x numEnvs. */
  readonly frame: number;
}

export interface RolloutOptions {
  /** Stop after this many vector steps. */
  readonly steps?: number;
  /**
   * Stop once this many episodes are counted. Sub-env i counts at most floor((episodes + i) /
   * numEnvs) of them (SB3's evaluate_policy), so short episodes do not crowd out long ones.
   */
  readonly episodes?: number;
  /** Seed of the first reset (sub-env i gets seed + i); omitted: the envs continue their generators. */
  readonly seed?: number;
  /** Called after every vector step; return true to stop there. */
  readonly onStep?: (step: RolloutStep) => boolean | void;
}

export interface RolloutResult {
  /** Return of each counted episode, in the order they ended. */
  readonly episodeReturns: number[];
  /** Length of each counted episode, in the same order. */
  readonly episodeLengths: number[];
  /** Vector steps taken. */
  readonly steps: number;
  /** Env frames taken: steps x numEnvs. */
  readonly frames: number;
}

function checkCount(name: string, v: number | undefined): void {
  if (v !== undefined && !(Number.isInteger(v) && v >= 0)) throw new RangeError(`rollout: ${name} must be an integer >= 0, got ${v}`);
}

/**
 * Resets `env` (with `seed` when given) and steps it with `policy` until `steps` vector steps are
 * taken, `episodes` episodes are counted, or `onStep` returns true, whichever comes first. At
 * least one of `steps` and `episodes` is needed. Box actions are clipped to the action space before
 * the env sees them (`ActionClipper`); `onStep` gets the policy's own actions. Without `episodes` every episode that ends is
 * counted; episodes still running at the end are not. Leaves `env` open.
 */
export function rollout(env: VectorEnv, policy: VectorPolicy, opts: RolloutOptions): RolloutResult {
  const { steps, episodes, seed, onStep } = opts;
  if (steps === undefined && episodes === undefined) throw new RangeError('rollout: give steps, episodes or both');
  checkCount('steps', steps);
  checkCount('episodes', episodes);
  const n = env.numEnvs;
  const quota = episodes === undefined ? null : Array.from({ length: n }, (_, i) => Math.floor((episodes + i) / n));
  const episodeReturns: number[] = [];
  const episodeLengths: number[] = [];
  const clipper = new ActionClipper(env.singleActionSpace);
  let obs = env.reset(seed === undefined ? undefined : { seed });
  let t = 0;
  const done = (): boolean => (steps !== undefined && t >= steps) || (episodes !== undefined && episodeReturns.length >= episodes);
  while (!done()) {
    const action = policy(obs);
    const s = env.step(clipper.apply(action));
    t++;
    for (const ep of s.finished) {
      if (quota !== null) {
        if (quota[ep.envIndex] === 0) continue;
        quota[ep.envIndex]--;
      }
      episodeReturns.push(ep.return);
      episodeLengths.push(ep.length);
    }
    const stop = onStep?.({ obs, action, reward: s.reward, nextObs: s.nextObs, terminated: s.terminated, truncated: s.truncated, finished: s.finished, frame: t * n });
    obs = s.obs;
    if (stop === true) break;
  }
  return { episodeReturns, episodeLengths, steps: t, frames: t * n };
}
