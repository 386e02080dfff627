/**
 * `gymlab run` on envs run by Python Gymnasium (../shared/vendor's 1.4.0): a dev run trains, and
 * each fault (unknown id, no Python, no Gymnasium, a child that crashes mid-episode, Ctrl-C; a
 * hang is the lib's test, bridge.test.ts) is one line with
 * exit 2 or 130, no Python process left, the run folder readable when there is one.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO, REPO_ROOT, ensureBuilt, isAlive, runCli, spawnCli, tempDir } from './test-utils/cli.js';
import { descendants } from '@gymlab/cli-kit/testing';

const GYMNASIUM = join(REPO_ROOT, '..', 'shared', 'vendor', 'gymnasium-1.4.0');
const TEST_ENVS = join(REPO_ROOT, 'libs', 'envs', 'src', 'gymnasium', 'test-envs');
// the CLI's Python children find Gymnasium and the test envs through PYTHONPATH, as a user's would
process.env['PYTHONPATH'] = [GYMNASIUM, TEST_ENVS].join(delimiter);

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

const BRIDGE = ['-s', 'env.backend=gymnasium', '-s', 'env.num_envs=2', '-s', 'meta.log_frequency=100', '-s', 'meta.eval_frequency=100'];

beforeAll(() => ensureBuilt(), 300_000);

/** A bridged dev run of the demo with `sets` that must be refused: exit 2, one stderr line matching `message`. Returns its data folder. */
function expectRefusedRun(name: string, sets: readonly string[], message: RegExp): string {
  const data = tempDir(name);
  const r = runCli(['run', DEMO, 'ppo_cartpole', 'dev', ...BRIDGE, ...sets, '--data-dir', data]);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(message);
  return data;
}

describe('gymlab run through the Gymnasium bridge', () => {
  it('a dev run of PPO on CartPole-v1 in Python Gymnasium completes and writes its metrics', () => {
    const data = tempDir('bridge-data');
    const r = runCli(['run', DEMO, 'ppo_cartpole', 'dev', ...BRIDGE, '-s', 'env.max_frame=600', '--data-dir', data, '--no-tensorboard']);
    expect(r.code, r.stderr).toBe(0);
    const runDir = join(data, readdirSync(data)[0]);
    const csv = readFileSync(join(runDir, 'trial_0', 'session_0', 'metrics.csv'), 'utf8');
    expect(csv.trim().split('\n').length).toBeGreaterThan(2);
    expect(JSON.parse(readFileSync(join(runDir, 'spec.json'), 'utf8')).ppo_cartpole.env.backend).toBe('gymnasium');
  }, 120_000);

  it("SLM Lab's ppo_atari spec (ConvNet, life_loss_info) runs unmodified on an ALE-namespaced test env through the Atari pipeline", () => {
    const data = tempDir('bridge-atari');
    const spec = join(REPO_ROOT, '..', 'shared', 'slm_lab_specs_next', 'benchmark', 'ppo', 'ppo_atari.json');
    const small = ['-s', 'env.num_envs=2', '-s', 'env.max_frame=128', '-s', 'agent.algorithm.time_horizon=32', '-s', 'agent.algorithm.minibatch_size=32', '-s', 'agent.algorithm.training_epoch=1', '-s', 'meta.log_frequency=32'];
    const r = runCli(['run', spec, 'ppo_atari', 'dev', '-s', 'env=gymlab_test_envs:ALE/GymlabPixels-v5', ...small, '--data-dir', data, '--no-tensorboard'], { timeout: 150_000 });
    expect(r.code, r.stderr).toBe(0);
    const runDir = join(data, readdirSync(data)[0]);
    expect(readFileSync(join(runDir, 'trial_0', 'session_0', 'metrics.csv'), 'utf8').trim().split('\n').length).toBeGreaterThan(2);
  }, 180_000);

  it('an id Gymnasium does not know: one line, exit 2, no folder', () => {
    const data = expectRefusedRun('bridge-unknown', ['-s', 'env.name=NoSuchEnv-v0'], /ppo_cartpole\.env\.name: env NoSuchEnv-v0 \(Gymnasium bridge, python3\): Gymnasium has no env NoSuchEnv-v0/);
    expect(readdirSync(data)).toEqual([]);
  }, 60_000);

  it('no Python: one line naming the interpreter, exit 2', () => {
    expectRefusedRun('bridge-nopython', ['-s', 'env.python=/nonexistent/python3'], /cannot start \/nonexistent\/python3 \(not found\); install Python 3 with Gymnasium or set env.python/);
  }, 60_000);

  it('a Python without Gymnasium: one line saying so, exit 2, no folder', () => {
    const saved = process.env['PYTHONPATH'];
    process.env['PYTHONPATH'] = TEST_ENVS;
    try {
      const data = expectRefusedRun('bridge-nogym', [], /env CartPole-v1 \(Gymnasium bridge, python3\): .* cannot import gymnasium/);
      expect(readdirSync(data)).toEqual([]);
    } finally {
      process.env['PYTHONPATH'] = saved;
    }
  }, 60_000);

  it('a Python child that crashes mid-episode: its last stderr line, exit 2, the folder readable', () => {
    const data = tempDir('bridge-crash');
    const r = runCli(['run', DEMO, 'ppo_cartpole', 'dev', ...BRIDGE, '-s', 'env.name=gymlab_test_envs:GymlabCrash-v0', '-s', 'env.max_frame=600', '--data-dir', data]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/the Python child exited with code 3: gymlab test env: simulated crash at step 3\n$/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const runDir = join(data, readdirSync(data)[0]);
    JSON.parse(readFileSync(join(runDir, 'spec.json'), 'utf8'));
    expect(JSON.parse(readFileSync(join(runDir, 'provenance.json'), 'utf8')).status).not.toBe('running');
  }, 60_000);

  it('Ctrl-C (SIGINT) during a bridged run: exit 130, the Python child gone, the folder readable', async () => {
    const data = tempDir('bridge-sigint');
    const child = spawnCli(['run', DEMO, 'ppo_cartpole', 'dev', ...BRIDGE, '-s', 'env.max_frame=10000000', '--data-dir', data, '--no-tensorboard']);
    let stderr = '';
    child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const deadline = Date.now() + 90_000;
    let pythons: number[] = [];
    for (;;) {
      pythons = descendants(child.pid ?? -1).filter((p) => cmdline(p).includes('gymlab_bridge.py'));
      const folders = readdirSync(data);
      if (pythons.length > 0 && folders.length === 1 && existsSync(join(data, folders[0], 'trial_0', 'session_0', 'metrics.csv'))) break;
      if (Date.now() > deadline) throw new Error(`the bridged run never logged: ${stderr}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    child.kill('SIGINT');
    expect(await exited, stderr).toBe(130);
    for (const pid of pythons) expect(isAlive(pid), `python ${pid}`).toBe(false);
    const runDir = join(data, readdirSync(data)[0]);
    expect(JSON.parse(readFileSync(join(runDir, 'provenance.json'), 'utf8')).status).toBe('interrupted');
  }, 120_000);
});
