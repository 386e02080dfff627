import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { searchRequest } from './search-mode.js';
import { SHARED_SPECS, childPids, ensureBuilt, isAlive, runCli, spawnCli, tempDir } from './test-utils/cli.js';

beforeAll(() => ensureBuilt(), 300_000);

const HPO = join(SHARED_SPECS, 'benchmark', 'dqn', 'dqn_cartpole_hpo.json');
const NAME = 'dqn_epsilon_greedy_cartpole_hpo';

/** Every descendant pid of `pid`. */
function tree(pid: number): number[] {
  const kids = childPids(pid);
  return [...kids, ...kids.flatMap(tree)];
}

describe('gymlab run SPEC_FILE SPEC_NAME search', () => {
  it('passes the spec, -s overrides, --data-dir and --no-tensorboard to the search (in this process)', () => {
    expect(searchRequest({ specFile: 'a.json', specName: 'x', sets: ['env.max_frame=10', 'meta.max_trial=2'], dataDir: 'd', tensorboard: false })).toEqual({
      command: { kind: 'start', search: { specFile: 'a.json', specName: 'x', sets: ['env.max_frame=10', 'meta.max_trial=2'] } },
      ctx: { dataDir: 'd', tensorboard: false },
    });
  });

  it("runs SLM Lab's HPO spec in search mode; exit code and output as gymlab-tune's", () => {
    const data = tempDir('data');
    const r = runCli(['run', HPO, NAME, 'search', '-s', 'env.max_frame=600', '-s', 'meta.max_trial=2', '-s', 'meta.max_session=1', '-s', 'meta.random_seed=2', '--data-dir', data], { timeout: 300_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/status: completed \(2\/2 trials/);
    const runDir = join(data, readdirSync(data)[0]);
    const state = JSON.parse(readFileSync(join(runDir, 'experiment.json'), 'utf8'));
    expect(state.trials.length).toBe(2);
    expect(state.base_seed).toBe(2);
  }, 300_000);

  it('Ctrl-C reaches the search once: it stops, exits 130 and leaves no process behind', async () => {
    const data = tempDir('data');
    const child = spawnCli(['run', HPO, NAME, 'search', '-s', 'env.max_frame=200000', '-s', 'meta.max_trial=2', '-s', 'meta.max_session=1', '-s', 'meta.random_seed=2', '--data-dir', data]);
    let err = '';
    child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    for (let i = 0; i < 1200 && !/trial 0 started/.test(err); i++) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 3000)); // the session is running
    const procs = tree(child.pid!);
    expect(procs.length).toBeGreaterThanOrEqual(1); // the session workers (the search runs in gymlab itself)
    child.kill('SIGINT');
    expect(await exit).toBe(130);
    await new Promise((r) => setTimeout(r, 1000));
    expect(procs.filter(isAlive)).toEqual([]);
    expect(err).not.toMatch(/again: exiting without waiting/); // one SIGINT, not two
    const state = JSON.parse(readFileSync(join(data, readdirSync(data)[0], 'experiment.json'), 'utf8'));
    expect(state.status).toBe('interrupted');
  }, 300_000);
});
