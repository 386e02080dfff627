/**
 * `gymlab env check`: replays trajectories recorded from Gymnasium (the fixture format of
 * ../shared/README.md) against gymlab's port of the env, from `reset(seed)` through every
 * recorded action (or its first `tolerance.steps`), and measures the largest deviation of
 * observation and reward against the env's declared tolerance.
 */
import { readFileSync } from 'node:fs';
import type { Action, Observation } from '../core.js';
import { envTolerance, makeEnv, prepareEnv } from '../make.js';
import type { EnvTolerance } from '../registry.js';

export interface FixtureCheck {
  readonly file: string;
  readonly envId: string;
  readonly episodes: number;
  /** Steps compared (initial observations included). */
  readonly steps: number;
  readonly maxObsDeviation: number;
  readonly maxRewardDeviation: number;
  readonly tolerance: EnvTolerance;
  /** The first disagreement outside the tolerance (or of terminated/truncated), null when within. */
  readonly failure: string | null;
}

/** A fixture file that is not one (one line naming the file and what is wrong). */
export class FixtureError extends Error {
  override readonly name = 'FixtureError';
}

interface RecordedStep {
  readonly obs: readonly number[];
  readonly reward: number;
  readonly terminated: boolean;
  readonly truncated: boolean;
}

interface RecordedEpisode {
  readonly reset_seed: number;
  readonly initial_obs: readonly number[];
  readonly actions: readonly (number | readonly number[])[];
  readonly steps: readonly RecordedStep[];
}

function readFixture(file: string): { envId: string; kwargs: Record<string, unknown>; episodes: readonly RecordedEpisode[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new FixtureError(`${file}: ${(err as Error).message.split('\n')[0]}`);
  }
  const fx = raw as { env_id?: unknown; gym_make?: { kwargs?: Record<string, unknown> }; episodes?: unknown };
  if (typeof fx.env_id !== 'string' || !Array.isArray(fx.episodes)) throw new FixtureError(`${file}: not a Gymnasium trajectory fixture (needs env_id and episodes; see ../shared/README.md)`);
  return { envId: fx.env_id, kwargs: fx.gym_make?.kwargs ?? {}, episodes: fx.episodes as RecordedEpisode[] };
}

/** Distance from x to the next float64 away from zero. */
function ulp(x: number): number {
  const a = Math.abs(x);
  if (a === 0) return Number.MIN_VALUE;
  return 2 ** (Math.max(Math.floor(Math.log2(a)), -1022) - 52);
}

/**
 * Largest |got - want| over an observation, in the env's dtype: a float32 observation against the
 * recorded values rounded to float32, a float64 one (MuJoCo's) against them as recorded.
 */
function obsDeviation(got: Observation, want: readonly number[]): number {
  if (got.length !== want.length) return Infinity;
  const asGot = got instanceof Float64Array ? (x: number): number => x : Math.fround;
  let d = 0;
  for (let i = 0; i < got.length; i++) d = Math.max(d, Math.abs(got[i] - asGot(want[i])));
  return d;
}

/** Replays every episode of the fixture `file` against gymlab's port of its env. */
export async function checkFixture(file: string): Promise<FixtureCheck> {
  const { envId, kwargs, episodes } = readFixture(file);
  await prepareEnv(envId, { backend: 'native' });
  const tolerance = envTolerance(envId);
  let steps = 0;
  let maxObs = 0;
  let maxReward = 0;
  let failure: string | null = null;
  const note = (where: string, what: string): void => {
    failure ??= `${where}: ${what}`;
  };
  for (const [e, ep] of episodes.entries()) {
    const env = makeEnv(envId, { backend: 'native', kwargs });
    try {
      const [obs0] = env.reset({ seed: ep.reset_seed });
      const d0 = obsDeviation(obs0, ep.initial_obs);
      steps++;
      maxObs = Math.max(maxObs, d0);
      if (d0 > tolerance.obs) note(`episode ${e} reset`, `observation off by ${d0}`);
      for (const [t, a] of ep.actions.entries()) {
        const want = ep.steps[t];
        if (want === undefined || (tolerance.steps !== undefined && t >= tolerance.steps)) break;
        const action: Action = typeof a === 'number' ? a : Float32Array.from(a);
        const [obs, reward, terminated, truncated] = env.step(action);
        steps++;
        const dObs = obsDeviation(obs, want.obs);
        const dReward = Math.abs(reward - want.reward);
        maxObs = Math.max(maxObs, dObs);
        maxReward = Math.max(maxReward, dReward);
        const where = `episode ${e} step ${t}`;
        if (dObs > tolerance.obs) note(where, `observation off by ${dObs}`);
        if (dReward > tolerance.reward && dReward > tolerance.rewardUlps * ulp(want.reward)) note(where, `reward ${reward} != ${want.reward}`);
        if (terminated !== want.terminated || truncated !== want.truncated) {
          note(where, `terminated/truncated ${terminated}/${truncated} != ${want.terminated}/${want.truncated}`);
          break;
        }
      }
    } finally {
      env.close();
    }
  }
  return { file, envId, episodes: episodes.length, steps, maxObsDeviation: maxObs, maxRewardDeviation: maxReward, tolerance, failure };
}

/** One line per checked fixture. */
export function formatFixtureCheck(c: FixtureCheck): string {
  const t = c.tolerance;
  const values = t.obs === 0 && t.reward === 0 ? (t.rewardUlps === 0 ? 'exact' : `exact, rewards to ${t.rewardUlps} ulp`) : `obs ${t.obs}, reward ${t.reward}`;
  const tol = t.steps === undefined ? values : `${values}, first ${t.steps} steps of each episode`;
  const verdict = c.failure === null ? `within tolerance (${tol})` : `NOT within tolerance (${tol}): ${c.failure}`;
  return `${c.file}: ${c.envId}, ${c.episodes} episodes, ${c.steps} steps compared, max |obs dev| ${c.maxObsDeviation}, max |reward dev| ${c.maxRewardDeviation}: ${verdict}`;
}
