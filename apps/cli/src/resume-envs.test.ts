/**
 * Fault tests beyond classic control: a `train` run killed with SIGKILL after its first checkpoint,
 * then `gymlab run resume`.
 * - MuJoCo (InvertedPendulum, exact snapshots, with observation and reward normalisation): the
 *   session CSV equals an uninterrupted run's (time columns aside).
 * - LunarLander (planck's state cannot be saved exactly): each sub-env restarts at an episode
 *   boundary (a fresh episode from its generator as saved at the checkpoint), so the CSV rows up
 *   to the checkpoint are kept, later rows follow the new episodes, no frame is counted twice, and
 *   two resumes of one checkpoint end identical.
 */
import { cpSync, readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, REPO_ROOT, tempDir } from './test-utils/cli.js';
import { csvs, gymlab, killWhen, latestFrame, provenance, resume, sessions } from './test-utils/resume.js';

const PPO_SPECS = join(REPO_ROOT, '..', 'shared', 'slm_lab_specs_next', 'benchmark', 'ppo');
const PPO_LUNAR = join(PPO_SPECS, 'ppo_lunar.json');
/** Fast PPO (SLM Lab's ppo_mujoco: normalised observations and rewards) on InvertedPendulum, 2 envs x 2000 frames, a checkpoint every 1000. */
const MUJOCO_SETS = [
  'env=InvertedPendulum-v5', 'max_frame=2000', 'agent.net.backend=fast', 'agent.net.hid_layers=[32,32]', 'env.num_envs=2', 'meta.log_frequency=250',
  'meta.checkpoint_frequency=1000', 'meta.random_seed=3', 'meta.max_session=1', 'agent.algorithm.time_horizon=64', 'agent.algorithm.minibatch_size=64',
  'agent.algorithm.training_epoch=1',
];
const mujocoArgs = (data: string): string[] => ['run', join(PPO_SPECS, 'ppo_mujoco.json'), 'ppo_mujoco', 'train', ...MUJOCO_SETS.flatMap((s) => ['-s', s]), '--data-dir', data];
/** Fast PPO on LunarLander, 2 envs x 2000 frames, a row every 250 frames, a checkpoint every 1000. */
const SETS = [
  'agent.net.backend=fast', 'env.num_envs=2', 'env.max_frame=2000', 'meta.log_frequency=250', 'meta.checkpoint_frequency=1000', 'meta.random_seed=3',
  'meta.max_session=1', 'agent.algorithm.time_horizon=64', 'agent.algorithm.minibatch_size=64', 'agent.algorithm.training_epoch=1',
];
const args = (data: string): string[] => ['run', PPO_LUNAR, 'ppo_lunar', 'train', ...SETS.flatMap((s) => ['-s', s]), '--data-dir', data];
const frames = (rows: readonly string[]): number[] => rows.slice(1).map((r) => Number(r.split(',')[0]));

beforeAll(() => ensureBuilt(), 300_000);

describe('kill -9 of a MuJoCo run, then resume: exact', () => {
  it('InvertedPendulum: the resumed session CSV equals an uninterrupted run\'s', async () => {
    const whole = tempDir('resume-mujoco-whole');
    const done = await gymlab(mujocoArgs(whole));
    expect(done.code, done.stderr).toBe(0);
    const want = csvs(join(whole, readdirSync(whole)[0]));
    expect(want[0]).toHaveLength(9); // header + 8 rows
    const data = tempDir('resume-mujoco');
    const runDir = await killWhen(mujocoArgs(data), data, (d) => sessions(d).length === 1 && (latestFrame(sessions(d)[0]) ?? 0) >= 1000);
    expect(latestFrame(sessions(runDir)[0])).toBe(1000);
    expect(await resume(runDir)).toMatch(/status: completed/);
    expect(csvs(runDir)).toEqual(want);
  }, 300_000);
});

describe('kill -9 of a LunarLander run, then resume: the episode-boundary restart', () => {
  it('rows up to the checkpoint are kept as written, no frame counts twice, and two resumes of one checkpoint agree', async () => {
    const data = tempDir('resume-lunar');
    const runDir = await killWhen(args(data), data, (d) => sessions(d).length === 1 && (latestFrame(sessions(d)[0]) ?? 0) >= 1000);
    const at = latestFrame(sessions(runDir)[0]) ?? 0;
    expect(at).toBe(1000);
    // until the kill the run was an uninterrupted one: its rows up to the checkpoint are the reference
    const [before] = csvs(runDir);
    const upTo = 1 + frames(before).filter((f) => f <= at).length;
    expect(upTo).toBe(5); // header + rows at 250, 500, 750, 1000
    // what the checkpoint records for each LunarLander: its generator only, marked as a restart
    const manifest = JSON.parse(readFileSync(join(sessions(runDir)[0], 'checkpoints', 'latest', 'manifest.json'), 'utf8')) as { resume: { env: { env: { envs: { env: unknown }[] } } } };
    const subs = manifest.resume.env.env.envs;
    expect(subs).toHaveLength(2);
    for (const sub of subs) expect(sub.env).toMatchObject({ restart: true, rng: expect.any(Array) });

    const copy = join(tempDir('resume-lunar-copy'), basename(runDir));
    cpSync(runDir, copy, { recursive: true });
    expect(await resume(runDir)).toMatch(/status: completed/);
    expect(await resume(copy)).toMatch(/status: completed/);
    const [got] = csvs(runDir);
    expect(csvs(copy)).toEqual([got]); // a resume is itself deterministic
    expect(provenance(runDir).status).toBe('completed');
    expect(got.slice(0, upTo)).toEqual(before.slice(0, upTo));
    // one row per 250 frames to the end: no frame counted twice, none lost
    expect(frames(got)).toEqual(Array.from({ length: 8 }, (_, i) => 250 * (i + 1)));
  }, 300_000);
});
