/** Loads the Gymnasium golden trajectories of /work/shared/fixtures/gymnasium (see its README). */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface FixtureStep {
  obs: number[];
  reward: number;
  terminated: boolean;
  truncated: boolean;
}

export interface FixtureEpisode {
  reset_seed: number;
  initial_state: number[];
  initial_obs: number[];
  actions: (number | number[])[];
  steps: FixtureStep[];
}

export interface Fixture {
  file: string;
  env_id: string;
  gymnasium_version: string;
  seed: number;
  episodes: FixtureEpisode[];
}

/** The fixture folder: `<repo>/../shared/fixtures/gymnasium`. */
export const FIXTURE_DIR = fileURLToPath(new URL('../../../../../shared/fixtures/gymnasium/', import.meta.url));

export function loadFixtures(): Fixture[] {
  return readdirSync(FIXTURE_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, ...(JSON.parse(readFileSync(FIXTURE_DIR + file, 'utf8')) as Omit<Fixture, 'file'>) }));
}
