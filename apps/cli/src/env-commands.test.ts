/** `gymlab env check` against Gymnasium's recorded trajectories, and `gymlab env list` with real Gymnasium. */
import { readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, ensureBuilt, runCli, tempDir } from './test-utils/cli.js';

const FIXTURES = join(REPO_ROOT, '..', 'shared', 'fixtures', 'gymnasium');
process.env['PYTHONPATH'] = [join(REPO_ROOT, '..', 'shared', 'vendor', 'gymnasium-1.4.0')].join(delimiter);

beforeAll(() => ensureBuilt(), 300_000);

describe('gymlab env', () => {
  it('check: the classic-control fixtures are within their declared tolerance (Pendulum: 1 ulp rewards)', () => {
    const files = ['CartPole-v1_seed0.json', 'Pendulum-v1_seed0.json'].map((f) => join(FIXTURES, f));
    const r = runCli(['env', 'check', ...files]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/CartPole-v1, \d+ episodes, \d+ steps compared, max \|obs dev\| 0, max \|reward dev\| 0: within tolerance \(exact\)$/);
    expect(lines[1]).toMatch(/Pendulum-v1, .* max \|reward dev\| [0-9.e-]+: within tolerance \(exact, rewards to 1 ulp\)$/);
  }, 60_000);

  it('check: a trajectory the port does not reproduce exits 1 naming the step; a file that is not a fixture exits 2', () => {
    const dir = tempDir('env-check');
    const fx = JSON.parse(readFileSync(join(FIXTURES, 'CartPole-v1_seed0.json'), 'utf8'));
    fx.episodes[0].steps[4].obs[2] += 1e-3;
    const bad = join(dir, 'doctored.json');
    writeFileSync(bad, JSON.stringify(fx));
    const r = runCli(['env', 'check', bad]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/NOT within tolerance \(exact\): episode 0 step 4: observation off by 0\.001/);
    const notFixture = join(dir, 'x.json');
    writeFileSync(notFixture, '{"a": 1}');
    const r2 = runCli(['env', 'check', notFixture]);
    expect(r2.code).toBe(2);
    expect(r2.stderr.trim().split('\n')).toHaveLength(1);
    expect(r2.stderr).toMatch(/not a Gymnasium trajectory fixture/);
  }, 60_000);

  it('list: native ports with their spaces, then what Gymnasium runs here (or why not)', () => {
    const r = runCli(['env', 'list'], { timeout: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^CartPole-v1 {2}native {2}observation Box\(\[4\]\) {2}action Discrete\(2\)$/m);
    expect(r.stdout).toMatch(/^FrozenLake-v1 {2}gymnasium {2}observation Discrete\(16\) {2}action Discrete\(4\)$/m);
    expect(r.stdout).toMatch(/^LunarLander-v3 {2}native {2}observation Box\(\[8\]\) {2}action Discrete\(4\)$/m);
    expect(r.stdout).toMatch(/^CarRacing-v3 {2}gymnasium {2}unavailable here: DependencyNotInstalled: Box2D is not installed/m);
  }, 150_000);
});
