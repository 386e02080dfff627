import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { loadSpec } from '@gymlab/spec';
import { ensureLabBuilt } from '../test-utils/paths.js';
import { REPO_ROOT, tempDir } from '../test-utils/search-specs.js';
import { searchExample } from './search-example.js';

beforeAll(() => ensureLabBuilt(), 300_000); // sessions run in the lab's built worker

describe('README search example', () => {
  it('runs a two-trial random search and names the best trial', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const specFile = join(REPO_ROOT, 'specs', 'ppo_cartpole_search.json');
    const r = await searchExample(specFile, tempDir('readme'));
    expect(log).toHaveBeenCalledWith(expect.stringMatching(/^trial 0 started/));
    log.mockRestore();
    expect(r.trials).toBe(2);
    expect(r.best).not.toBeNull();
    expect(Object.keys(r.best!)).toEqual(['agent.algorithm.gamma', 'agent.algorithm.lam', 'agent.net.optim_spec.lr']);
    expect(r.value).toBeGreaterThan(0);
    const best = loadSpec(join(r.runDir, 'best_spec.json'), 'ppo_cartpole_search');
    expect(best.agent.algorithm.gamma).toBe(r.best!['agent.algorithm.gamma']);
    expect(existsSync(join(r.runDir, 'experiment.csv'))).toBe(true);
  });

  it('is the code the README shows', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const source = readFileSync(new URL('./search-example.ts', import.meta.url), 'utf8');
    expect(readme).toContain(source.slice(source.indexOf('/** Runs a small')).trim());
  });
});
