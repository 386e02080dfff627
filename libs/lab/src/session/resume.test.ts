/**
 * A session stopped at any moment and continued with `resume: true` ends with the files of a
 * session that never stopped: metrics.csv and eval.csv byte-identical apart from the time columns,
 * and TensorBoard scalars holding each row once. A crash is simulated in this process by a
 * progress callback that throws (nothing is saved at that moment, as with kill -9: the folder
 * holds rows and events written after the last checkpoint).
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSpec, type Spec } from '@gymlab/spec';
import { loadCheckpoint } from '../run/checkpoint.js';
import { runSession, type SessionProgress } from './session.js';
import { readResumeCheckpoint } from './resume-state.js';
import { SHARED_DEMO, SHARED_SPECS, withoutTimeColumns } from '../test-utils/paths.js';
import { expectScalarsMatchRows, readSessionRows, readSessionTb } from '../test-utils/tb-read.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'resume-'));

/** PPO (fast backend) on CartPole: 2 envs x 2000 frames, a row every 200, an evaluation every 500, a checkpoint every 700. */
const ppo = (): Spec =>
  loadSpec(SHARED_DEMO, 'ppo_cartpole', {
    sets: ['agent.net.backend=fast', 'env.num_envs=2', 'env.max_frame=2000', 'meta.log_frequency=200', 'meta.eval_frequency=500', 'meta.rigorous_eval=2', 'meta.checkpoint_frequency=700', 'agent.algorithm.time_horizon=64', 'agent.algorithm.minibatch_size=32', 'agent.algorithm.training_epoch=2'],
  });

/** DQN (wasm backend) on CartPole, small: 2 envs x 600 frames, a row every 100, a checkpoint every 200. */
const dqn = (): Spec =>
  loadSpec(join(SHARED_SPECS, 'benchmark', 'dqn', 'dqn_cartpole.json'), 'dqn_boltzmann_cartpole', {
    sets: ['agent.net.backend=wasm', 'env.num_envs=2', 'env.max_frame=600', 'meta.log_frequency=100', 'meta.checkpoint_frequency=200', 'agent.net.hid_layers=[32]', 'agent.memory.max_size=1000', 'agent.memory.batch_size=16', 'agent.algorithm.training_iter=1', 'agent.algorithm.training_batch_iter=1', 'agent.algorithm.training_frequency=4'],
  });

/**
 * REINFORCE (wasm) on CartPole cut at 5 steps, so its next-step autoreset leaves both sub-envs
 * waiting for their reset every 6th step: 2 envs, a checkpoint every 706 frames (step 353, such a step).
 */
const reinforce = (): Spec =>
  loadSpec(join(SHARED_SPECS, 'benchmark', 'reinforce', 'reinforce_cartpole.json'), 'reinforce_cartpole', {
    sets: ['env.num_envs=2', 'env.max_t=5', 'env.max_frame=1200', 'meta.log_frequency=100', 'meta.checkpoint_frequency=706', 'agent.algorithm.training_frequency=16', 'agent.net.hid_layers=[16]'],
  });

const SEED = 11;

/** Throws from the progress callback once `frame` is reached: the session dies there without saving. */
const crashAt = (frame: number) => (p: SessionProgress): void => {
  if (p.frame >= frame) throw new Error(`simulated crash at frame ${p.frame}`);
};

function csvs(dir: string): string[][] {
  const out = [withoutTimeColumns(readFileSync(join(dir, 'metrics.csv'), 'utf8'))];
  if (existsSync(join(dir, 'eval.csv'))) out.push(withoutTimeColumns(readFileSync(join(dir, 'eval.csv'), 'utf8')));
  return out;
}

/**
 * Runs `spec` whole, then again crashing at `crash` frames (its latest checkpoint at `checkpoint`,
 * where `atCheckpoint` may look at the folder) and resumed: the CSVs equal the whole run's.
 * Returns the whole run's folder.
 */
async function expectCrashResumes(spec: Spec, crash: number, checkpoint: number, atCheckpoint: (dir: string) => void = () => {}): Promise<string> {
  const whole = tmp();
  await runSession({ spec, seed: SEED, dir: whole });
  const dir = tmp();
  await expect(runSession({ spec, seed: SEED, dir, onProgress: crashAt(crash) })).rejects.toThrow(/simulated crash/);
  expect(loadCheckpoint(join(dir, 'checkpoints', 'latest')).info.frame).toBe(checkpoint);
  atCheckpoint(dir);
  await runSession({ spec, seed: SEED, dir, resume: true });
  expect(csvs(dir)).toEqual(csvs(whole));
  return whole;
}

describe('resume: a stopped session continues to the numbers of one that never stopped', () => {
  it('PPO with evaluation: crash between checkpoints, crash before the first, and a stop by signal', async () => {
    const spec = ppo();
    const whole = tmp();
    await runSession({ spec, seed: SEED, dir: whole });
    const want = csvs(whole);

    // a crash after the checkpoint at 700 frames (rows up to 1000 were written)
    const a = tmp();
    await expect(runSession({ spec, seed: SEED, dir: a, onProgress: crashAt(1000) })).rejects.toThrow(/simulated crash/);
    expect(loadCheckpoint(join(a, 'checkpoints', 'latest')).info.frame).toBe(700);
    expect(readSessionRows(a).at(-1)?.frame).toBe(1000);
    const r = await runSession({ spec, seed: SEED, dir: a, resume: true });
    expect(r.status).toBe('completed');
    expect(csvs(a)).toEqual(want);
    // TensorBoard: each row once (the events after the checkpoint were dropped), one HParams start
    const tb = readSessionTb(a);
    expectScalarsMatchRows(tb, readSessionRows(a));
    expect(tb.start).toHaveLength(1);
    expect(tb.files.length).toBe(2);

    // a crash before the first checkpoint: the session starts again from frame 0
    const b = tmp();
    await expect(runSession({ spec, seed: SEED, dir: b, onProgress: crashAt(400) })).rejects.toThrow(/simulated crash/);
    expect(existsSync(join(b, 'checkpoints', 'latest'))).toBe(false);
    await runSession({ spec, seed: SEED, dir: b, resume: true });
    expect(csvs(b)).toEqual(want);
    expectScalarsMatchRows(readSessionTb(b), readSessionRows(b));

    // stopped by its signal (Ctrl-C, SIGTERM): a checkpoint at the stop, then resumed
    const c = tmp();
    const stop = new AbortController();
    const stopped = await runSession({ spec, seed: SEED, dir: c, signal: stop.signal, onProgress: (p) => p.frame >= 1200 && stop.abort() });
    expect(stopped.status).toBe('interrupted');
    await runSession({ spec, seed: SEED, dir: c, resume: true });
    expect(csvs(c)).toEqual(want);
  }, 120_000);

  it('DQN: the replay comes back with the checkpoint; an ended session is left as it is', async () => {
    const spec = dqn();
    const whole = await expectCrashResumes(spec, 500, 400);

    // resuming an ended session writes nothing and reports its rows
    const copy = tmp();
    cpSync(whole, copy, { recursive: true });
    const before = readdirSync(copy, { recursive: true }).map((f) => [String(f), statSync(join(copy, String(f))).mtimeMs]);
    const again = await runSession({ spec, seed: SEED, dir: copy, resume: true });
    expect(again.rows.map((row) => row.frame)).toEqual(readSessionRows(whole).map((row) => row.frame));
    expect(readdirSync(copy, { recursive: true }).map((f) => [String(f), statSync(join(copy, String(f))).mtimeMs])).toEqual(before);
  }, 120_000);

  it('REINFORCE: a checkpoint between an episode end and its next-step reset resumes to the same numbers', async () => {
    await expectCrashResumes(reinforce(), 1000, 706, (dir) => {
      expect(JSON.stringify(readResumeCheckpoint(dir)?.session.env)).toContain('"pendingReset":[1,1]');
    });
  }, 120_000);
});
