/** Loads Gymnasium 1.4.0's recorded LunarLander trajectories and summary (../shared/fixtures/box2d, see its README). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface LunarFixtureBody {
  readonly position: [number, number];
  readonly angle: number;
  readonly linear_velocity: [number, number];
  readonly angular_velocity: number;
  readonly awake: boolean;
  readonly ground_contact?: boolean;
}

export interface LunarFixtureEpisode {
  readonly reset_seed: number;
  readonly reset_draws: {
    readonly terrain_height_raw: number[];
    readonly terrain_height: number[];
    readonly chunk_x: number[];
    readonly smooth_y: number[];
    readonly initial_force: [number, number];
    readonly reset_step_dispersion_raw: [number, number];
  };
  readonly initial_state: {
    readonly lander: LunarFixtureBody;
    readonly legs: [LunarFixtureBody, LunarFixtureBody];
    readonly leg_joints: { angle: number; speed: number; motor_speed: number }[];
    readonly prev_shaping: number;
    readonly helipad_x1: number;
    readonly helipad_x2: number;
    readonly helipad_y: number;
  };
  readonly initial_obs: number[];
  readonly actions: (number | number[])[];
  readonly steps: { obs: number[]; reward: number; terminated: boolean; truncated: boolean; dispersion_raw: [number, number] }[];
}

export interface LunarFixture {
  readonly env_id: string;
  readonly seed: number;
  readonly gym_make: { id: string; kwargs: { continuous: boolean } };
  readonly episodes: LunarFixtureEpisode[];
}

export interface LunarHeuristicSummary {
  readonly protocol: string;
  readonly episodes: number;
  readonly return: { mean: number; std: number };
  readonly length: { mean: number; std: number };
  readonly landed_fraction: number;
  readonly landed_on_pad_fraction: number;
  readonly returns: number[];
  readonly lengths: number[];
}

export interface LunarSummary {
  readonly heuristic: LunarHeuristicSummary;
  readonly perf: { steps_per_second: number; protocol: string };
}

/** `<repo>/../shared/fixtures/box2d/`. */
export const BOX2D_FIXTURE_DIR = fileURLToPath(new URL('../../../../../shared/fixtures/box2d/', import.meta.url));

/** The recorded files of `LunarLander-v3` or `LunarLanderContinuous-v3`, seeds 0-2. */
export function loadLunarFixtures(name: 'LunarLander-v3' | 'LunarLanderContinuous-v3'): LunarFixture[] {
  return [0, 1, 2].map((s) => JSON.parse(readFileSync(`${BOX2D_FIXTURE_DIR}${name}_seed${s}.json`, 'utf8')) as LunarFixture);
}

export function loadLunarSummary(name: 'LunarLander-v3' | 'LunarLanderContinuous-v3'): LunarSummary {
  const all = JSON.parse(readFileSync(`${BOX2D_FIXTURE_DIR}box2d_summary.json`, 'utf8')) as Record<string, LunarSummary>;
  return all[name]!;
}
