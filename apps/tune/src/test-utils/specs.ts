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

/** The demo spec (`ppo_cartpole`, cpu backend) with `search` as its search block and `meta`, `env` merged in, in a temp file. */
export function demoSearchFile(search: Json, meta: JsonObject = {}, env: JsonObject = {}): string {
  return specVariant(DEMO, 'ppo_cartpole', { meta, env, agent: { net: { backend: 'cpu' } }, search });
}
