/**
 * Fault test: `gymlab run ... train` killed with SIGKILL (the command and its session workers at
 * once, as a crash or a reboot would) at three moments — before the first checkpoint, between
 * checkpoints, during the final analysis — then `gymlab run resume`: every session CSV equals an
 * uninterrupted run's (time columns aside), and the folder says what happened at each step.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO, ensureBuilt, tempDir } from './test-utils/cli.js';
import { csvs, gymlab, killWhen as killRunWhen, latestFrame, provenance, resume, sessions } from './test-utils/resume.js';

/**
 * Fast PPO on CartPole, 2 envs x 6000 frames, a row every 500 frames; 1 or 2 sessions (session 0's
 * seed is the same either way, so its CSV is too).
 */
const SETS = ['agent.net.backend=fast', 'env.num_envs=2', 'env.max_frame=6000', 'meta.log_frequency=500', 'meta.random_seed=5', 'agent.algorithm.time_horizon=64', 'agent.algorithm.minibatch_size=32', 'agent.algorithm.training_epoch=2'];
const args = (data: string, checkpointFrequency: number, maxSession: number): string[] => [
  'run', DEMO, 'ppo_cartpole', 'train', ...SETS.flatMap((s) => ['-s', s]), '-s', `meta.checkpoint_frequency=${checkpointFrequency}`, '-s', `meta.max_session=${maxSession}`, '--data-dir', data,
];

/** Starts the train run of `args` and SIGKILLs it with its workers as soon as `when(runDir)` holds; returns the run folder. */
const killWhen = (data: string, checkpointFrequency: number, maxSession: number, when: (runDir: string) => boolean): Promise<string> =>
  killRunWhen(args(data, checkpointFrequency, maxSession), data, when);

beforeAll(() => ensureBuilt(), 300_000);

describe('kill -9 of a train run, then gymlab run resume', () => {
  /** The session CSVs of an uninterrupted run: the first case's, killed only after its sessions had ended. */
  let want: string[][] = [];

  it('during the final analysis: the sessions are left alone and the analysis is completed', async () => {
    const runDir = await killWhen(tempDir('resume-c'), 2000, 2, (d) => sessions(d).length === 2 && sessions(d).every((s) => existsSync(join(s, 'metrics.json'))));
    want = csvs(runDir);
    expect(want.map((rows) => rows.length)).toEqual([13, 13]); // header + 12 rows: the sessions had ended
    expect(await resume(runDir)).toMatch(/status: completed/);
    expect(csvs(runDir)).toEqual(want);
    expect(existsSync(join(runDir, 'trial_0', 'trial_metrics.json'))).toBe(true);
    expect(existsSync(join(runDir, 'report.html'))).toBe(true);
    expect(provenance(runDir).status).toBe('completed');
  }, 300_000);

  it('before the first checkpoint: the sessions start again and end identical', async () => {
    // checkpoints only at the end: any kill after the first row is before the first checkpoint
    const runDir = await killWhen(tempDir('resume-a'), 1_000_000, 1, (d) => sessions(d).length === 1 && existsSync(join(sessions(d)[0], 'metrics.csv')));
    expect(provenance(runDir).status).toBe('running');
    expect(sessions(runDir).map(latestFrame)).toEqual([null]);
    const analyzed = await gymlab(['analyze', runDir]);
    expect(analyzed.stdout).toContain(`status: interrupted (resume with: gymlab run resume ${runDir})`);
    expect(await resume(runDir)).toMatch(/status: completed/);
    expect(csvs(runDir)).toEqual(want.slice(0, 1));
    expect(provenance(runDir)).toMatchObject({ status: 'completed' });
    expect(provenance(runDir).resumed_at).toHaveLength(1);
  }, 300_000);

  it('between checkpoints: each session continues from its last one and ends identical', async () => {
    const runDir = await killWhen(tempDir('resume-b'), 2000, 2, (d) => sessions(d).length > 0 && (latestFrame(sessions(d)[0]) ?? 0) >= 2000);
    const at = latestFrame(sessions(runDir)[0]) ?? 0;
    expect(at).toBeGreaterThanOrEqual(2000);
    expect(at).toBeLessThan(6000);
    await resume(runDir);
    expect(csvs(runDir)).toEqual(want);
    expect(existsSync(join(runDir, 'report.html'))).toBe(true);
  }, 300_000);

  it('a folder that cannot be resumed is refused with one line, exit 2', async () => {
    const data = tempDir('resume-bad');
    const r = await gymlab(['run', 'resume', data]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`${data}: is not a run folder (needs spec.json and provenance.json)`);
  });
});
