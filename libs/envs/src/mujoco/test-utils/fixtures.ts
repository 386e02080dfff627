/** Loads the MuJoCo fixtures recorded from Gymnasium 1.4.0 (../shared/fixtures/mujoco; format in ../shared/README.md). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { makeEnv } from '../../make.js';
import { unwrap } from '../../wrappers/wrapper.js';
import type { MujocoEnv } from '../mujoco-env.js';

export interface MujocoFixtureStep {
  obs: number[];
  reward: number;
  terminated: boolean;
  truncated: boolean;
  info: Record<string, number | number[]>;
}

export interface MujocoFixtureEpisode {
  reset_seed: number;
  initial_state: { qpos: number[]; qvel: number[]; time: number };
  initial_obs: number[];
  reset_info: Record<string, number | number[]>;
  reset_draws: { fn: string; value: number[] }[];
  complete: boolean;
  actions: number[][];
  steps: MujocoFixtureStep[];
}

export interface MujocoFixture {
  env_id: string;
  seed: number;
  episodes: MujocoFixtureEpisode[];
}

export interface MujocoSummaryEntry {
  frame_skip: number;
  timestep: number;
  max_episode_steps: number;
  nq: number;
  nv: number;
  nu: number;
  obs_dim: number;
  action_low: number[];
  action_high: number[];
  nbody: number;
  body_names: string[];
  body_mass: number[];
  body_inertia: number[][];
  actuator_gear: number[];
  init_qpos: number[];
  init_qvel: number[];
  reset_noise_scale: number | null;
  seed0: {
    reset_obs: number[];
    qpos: number[];
    qvel: number[];
    first_step_obs: number[];
    first_step_reward: number;
    first_step_info: Record<string, number | number[]>;
  };
  random_policy: { return: { mean: number }; length: { mean: number } };
  perf: { steps_per_second: number };
}

/** The fixture folder: `<repo>/../shared/fixtures/mujoco`. */
export const MUJOCO_FIXTURE_DIR = fileURLToPath(new URL('../../../../../../shared/fixtures/mujoco/', import.meta.url));

export function loadMujocoFixture(envId: string, seed: number): MujocoFixture {
  return JSON.parse(readFileSync(`${MUJOCO_FIXTURE_DIR}${envId}_seed${seed}.json`, 'utf8')) as MujocoFixture;
}

export function loadMujocoSummary(): Record<string, MujocoSummaryEntry> {
  return JSON.parse(readFileSync(`${MUJOCO_FIXTURE_DIR}mujoco_summary.json`, 'utf8')) as Record<string, MujocoSummaryEntry>;
}

/** A raw (unwrapped) MuJoCo env made through the registry. */
export function makeRawMujoco(id: string, kwargs: Record<string, unknown> = {}): MujocoEnv {
  return unwrap(makeEnv(id, { kwargs })) as MujocoEnv;
}

/** Largest |a - b| over two number lists (Infinity when their lengths differ). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Deviation of one replayed step from the fixture step (obs, reward, info numbers); termination must match exactly. */
export function stepDeviation(
  obs: Float64Array,
  reward: number,
  terminated: boolean,
  info: Record<string, unknown>,
  want: MujocoFixtureStep,
): number {
  if (terminated !== want.terminated) return Infinity;
  let d = Math.max(maxAbsDiff(obs, want.obs), Math.abs(reward - want.reward));
  for (const [k, w] of Object.entries(want.info)) {
    const got = info[k];
    if (typeof w === 'number') d = Math.max(d, typeof got === 'number' ? Math.abs(got - w) : Infinity);
    else d = Math.max(d, Array.isArray(got) || ArrayBuffer.isView(got) ? maxAbsDiff(got as ArrayLike<number>, w) : Infinity);
  }
  return d;
}

/**
 * Replays every episode of a fixture from its recorded initial state; per episode, the number of
 * leading steps within `tol` and the episode's length.
 */
export function replayFixture(fx: MujocoFixture, tol: number): { within: number; length: number }[] {
  const env = makeRawMujoco(fx.env_id);
  try {
    return fx.episodes.map((ep) => {
      env.setState(ep.initial_state.qpos, ep.initial_state.qvel);
      let within = 0;
      for (let t = 0; t < ep.steps.length; t++) {
        const [, reward, terminated, , info] = env.step(Float32Array.from(ep.actions[t]));
        if (stepDeviation(env.observation64, reward, terminated, info, ep.steps[t]) > tol) break;
        within++;
      }
      return { within, length: ep.steps.length };
    });
  } finally {
    env.close();
  }
}
