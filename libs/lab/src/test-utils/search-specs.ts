/** Spec files for the search tests: the workspace's demo spec with a search block, and paths. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const DEMO = join(REPO_ROOT, 'specs', 'demo.json');
export const SHARED_SPECS = join(REPO_ROOT, '..', 'shared', 'slm_lab_specs');
export const HPO = join(SHARED_SPECS, 'benchmark', 'dqn', 'dqn_cartpole_hpo.json');
export const HPO_NAME = 'dqn_epsilon_greedy_cartpole_hpo';
export const LAM_SEARCH = join(SHARED_SPECS, 'experimental', 'ppo', 'ppo_lam_search.json');

export const tempDir = (prefix: string): string => mkdtempSync(join(tmpdir(), `search-${prefix}-`));

type Json = { [k: string]: Json } | Json[] | string | number | boolean | null;

/**
 * The demo spec (`ppo_cartpole`) with `search` as its search block and `meta` merged in, written
 * to a temp file; returns the file (the spec keeps its name).
 */
export function demoSearchFile(search: Json, meta: { [k: string]: Json } = {}, env: { [k: string]: Json } = {}): string {
  const demo = JSON.parse(readFileSync(DEMO, 'utf8')) as { ppo_cartpole: { [k: string]: { [k: string]: Json } } };
  const spec = demo.ppo_cartpole;
  spec.meta = { ...spec.meta, ...meta };
  spec.env = { ...spec.env, ...env };
  spec.agent.net = { ...(spec.agent.net as { [k: string]: Json }), backend: 'cpu' };
  const file = join(tempDir('spec'), 'search.json');
  writeFileSync(file, JSON.stringify({ ppo_cartpole: { ...spec, search } }, null, 2));
  return file;
}
