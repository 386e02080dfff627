/** Spec files for the tune command tests: the workspace's demo spec with a search block, and paths. */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { specVariant, tempDir as kitTempDir } from '@gymlab/cli-kit/testing';
import type { Json, JsonObject } from '@gymlab/cli-kit/testing';

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const TUNE_ROOT = join(REPO_ROOT, 'apps', 'tune');
export const TUNE_BIN = join(TUNE_ROOT, 'bin', 'gymlab-tune.js');
export const DEMO = join(REPO_ROOT, 'specs', 'demo.json');
export const SHARED_SPECS = join(REPO_ROOT, '..', 'shared', 'slm_lab_specs');
export const HPO = join(SHARED_SPECS, 'benchmark', 'dqn', 'dqn_cartpole_hpo.json');
export const HPO_NAME = 'dqn_epsilon_greedy_cartpole_hpo';
export const LAM_SEARCH = join(SHARED_SPECS, 'experimental', 'ppo', 'ppo_lam_search.json');

export const tempDir = (prefix: string): string => kitTempDir(`tune-${prefix}`);

/** The demo spec (`ppo_cartpole`, on `backend`) with `search` as its search block and `meta`, `env` merged in, in a temp file. */
export function demoSearchFile(search: Json, meta: JsonObject = {}, env: JsonObject = {}, backend: 'cpu' | 'fast' = 'cpu'): string {
  return specVariant(DEMO, 'ppo_cartpole', { meta, env, agent: { net: { backend } }, search });
}

/**
 * A 4-trial random search of the demo over gamma and lam (one session each, seed 8, a checkpoint
 * every 500 frames), `maxFrame` frames a trial, on the fast backend: these tests are about the
 * search's processes and files, and its trials cost ~1/6 of the cpu backend's CPU.
 */
export const gammaLamSearchFile = (maxFrame: number): string =>
  demoSearchFile(
    { 'agent.algorithm.gamma__uniform': [0.95, 0.999], 'agent.algorithm.lam__uniform': [0.85, 0.99] },
    { max_trial: 4, max_session: 1, log_frequency: 500, random_seed: 8, search_sampler: 'random' },
    { max_frame: maxFrame },
    'fast',
  );
