/**
 * Resuming one trial of a search (`gymlab run resume SEARCH/trial_<t>`): a 2-trial search of the
 * demo on CartPole (fast backend, sessions in this process) whose second trial dies mid-run as
 * under kill -9 (a progress callback throws: rows after its last checkpoint stay on disk; then
 * experiment.json and provenance.json are left as a killed search leaves them). The resumed trial
 * ends with the session CSVs of an uninterrupted search, the first trial is not run again, and
 * experiment.json/experiment.csv end as the uninterrupted search's.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { resumeRun } from '../run/resume.js';
import { PreflightError } from '../run/run.js';
import { currentOwner } from '../run/provenance.js';
import type { SessionProgress } from '../session/session.js';
import { testContext } from '../test-utils/context.js';
import { withoutTimeColumns } from '../test-utils/paths.js';
import { demoSearchFile, tempDir } from '../test-utils/search-specs.js';
import type { ExperimentState } from './folder.js';
import { searchTrialOf } from './trial-resume.js';
import { resumeSearch, startSearch } from './search.js';

const SETS = ['agent.net.backend=fast', 'env.num_envs=2', 'env.max_frame=1200', 'meta.log_frequency=200', 'meta.checkpoint_frequency=400', 'agent.algorithm.time_horizon=64', 'agent.algorithm.minibatch_size=32', 'agent.algorithm.training_epoch=2'];
const SEARCH = { 'agent.algorithm.gamma__uniform': [0.95, 0.999] };
/** A pid that is not running (above pid_max's default). */
const DEAD = { pid: 4_000_000, hostname: hostname(), started: 1 };

const file = demoSearchFile(SEARCH, { max_trial: 2, max_session: 1, random_seed: 4, search_sampler: 'random' });
const search = async (onProgress?: (p: SessionProgress) => void): Promise<string> => {
  const ctx = testContext({ dataDir: tempDir('trial-resume'), inProcess: true, cores: 1, tensorboard: false, onProgress });
  return (await startSearch({ specFile: file, specName: 'ppo_cartpole', sets: SETS, report: false }, ctx).catch((e: unknown) => e as never)).runDir;
};
const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;
const csv = (runDir: string, trial: number): string[] => withoutTimeColumns(readFileSync(join(runDir, `trial_${trial}`, 'session_0', 'metrics.csv'), 'utf8'));
const ctx = () => testContext({ dataDir: tmpdir(), inProcess: true, cores: 1 });

/**
 * The search with trial 1 dying at frame 1000 (its last checkpoint was at 800): the search records
 * it failed, then the folder is put back as kill -9 leaves it (the trial and the search running,
 * their owner gone).
 */
const killedSearch = async (): Promise<string> => {
  const killed = await search((p) => {
    if (p.trial === 1 && p.frame >= 1000) throw new Error('simulated kill');
  });
  const statePath = join(killed, 'experiment.json');
  const state = readJson<ExperimentState>(statePath);
  expect(state.trials[1].status).toBe('failed');
  writeFileSync(statePath, JSON.stringify({ ...state, status: 'running', trials: [state.trials[0], { ...state.trials[1], status: 'running', error: null }] }));
  const provPath = join(killed, 'provenance.json');
  writeFileSync(provPath, JSON.stringify({ ...readJson<object>(provPath), status: 'running', owner: DEAD, ended_at: null }));
  return killed;
};
/** The parts of experiment.json an interruption must not change. */
const core = (s: ExperimentState) => s.trials.map((t) => [t.status, t.frame, t.last_value, t.frames_used, t.metrics?.total_reward_ma, t.metrics?.final_return_ma?.iqm.value, t.error]);

describe('gymlab run resume SEARCH/trial_<t>', () => {
  let whole = '';
  let killed = '';
  beforeAll(async () => {
    whole = await search();
    killed = await killedSearch();
  }, 60_000);

  it('continues the trial from its checkpoint to the CSVs of an uninterrupted search; the other trial is not run again', async () => {
    expect(csv(killed, 1).at(-1)).toMatch(/^1000,/); // rows after the checkpoint at 800 are on disk
    const trial0 = join(killed, 'trial_0', 'session_0', 'metrics.csv');
    const before = statSync(trial0).mtimeMs;
    const frames: number[] = [];
    const r = await resumeRun({ runDir: join(killed, 'trial_1') }, testContext({ dataDir: tmpdir(), inProcess: true, cores: 1, onProgress: (p) => frames.push(p.frame) }));
    if (r.kind !== 'trial') throw new Error(`resumed as ${r.kind}`);
    expect([r.trialStatus, r.searchStatus, r.status]).toEqual(['completed', 'completed', 'completed']);
    expect(csv(killed, 1)).toEqual(csv(whole, 1));
    expect(frames[0]).toBe(1000); // it went on from the checkpoint at 800, not from frame 0
    expect(statSync(trial0).mtimeMs).toBe(before);
    const got = readJson<ExperimentState>(join(killed, 'experiment.json'));
    const want = readJson<ExperimentState>(join(whole, 'experiment.json'));
    expect(got.status).toBe('completed');
    expect(core(got)).toEqual(core(want));
    expect(readFileSync(join(killed, 'experiment.csv'), 'utf8')).toBe(readFileSync(join(whole, 'experiment.csv'), 'utf8'));
    expect(readJson<{ status: string; resumed_at: string[] }>(join(killed, 'provenance.json'))).toMatchObject({ status: 'completed', resumed_at: [expect.any(String)] });
    // done: a second resume only rebuilds the analysis
    expect((await resumeRun({ runDir: join(killed, 'trial_1') }, ctx())).kind).toBe('completed');
  }, 60_000);

  it('refuses, in one line naming the folder, a trial that does not exist and a search still running (the trial or the whole search)', async () => {
    const refusal = (dir: string) => resumeRun({ runDir: dir }, ctx()).then(() => null, (e: unknown) => e as Error);
    expect(searchTrialOf(join(whole, 'trial_1/'))).toEqual({ searchDir: whole, trial: 1 });
    expect(searchTrialOf(join(tmpdir(), 'trial_1'))).toBeNull();
    const missing = join(whole, 'trial_7');
    const e1 = await refusal(missing);
    expect(e1).toBeInstanceOf(PreflightError);
    expect(e1?.message).toBe(`${missing}: is not a folder`);
    const provPath = join(whole, 'provenance.json');
    writeFileSync(provPath, JSON.stringify({ ...readJson<object>(provPath), status: 'running', owner: currentOwner() }));
    const e2 = await refusal(join(whole, 'trial_0'));
    expect(e2?.message).toBe(`${whole}: the search is still running (pid ${process.pid} on ${hostname()}); stop it first`);
    // the search folder itself: the same refusal (before, a second resume ran beside the first)
    await expect(resumeSearch(whole, {}, ctx())).rejects.toThrow(new PreflightError(`${whole}: the search is still running (pid ${process.pid} on ${hostname()}); stop it first`));
  });
});

describe('gymlab-tune resume SEARCH (gymlab run resume SEARCH): an interrupted trial continues from its checkpoints', () => {
  it('goes on from the checkpoint at 800 to the CSVs and records of an uninterrupted search, in the same trial folder', async () => {
    const whole = await search();
    const killed = await killedSearch();
    const trial0 = join(killed, 'trial_0', 'session_0', 'metrics.csv');
    const before = statSync(trial0).mtimeMs;
    const frames: number[] = [];
    const lines: string[] = [];
    const c = testContext({ dataDir: tmpdir(), inProcess: true, cores: 1, tensorboard: false, onProgress: (p) => p.trial === 1 && frames.push(p.frame), log: (l) => lines.push(l) });
    await resumeSearch(killed, { report: false }, c);
    expect(frames[0]).toBe(1000); // not frame 0: the sessions went on from their checkpoint
    expect(lines.some((l) => l.startsWith('trial 1 continues from its checkpoints'))).toBe(true);
    expect(existsSync(join(killed, 'trial_1.attempt_1'))).toBe(false); // nothing set aside: the same folder
    expect(csv(killed, 1)).toEqual(csv(whole, 1));
    expect(statSync(trial0).mtimeMs).toBe(before); // the finished trial is not run again
    const got = readJson<ExperimentState>(join(killed, 'experiment.json'));
    expect(got.status).toBe('completed');
    expect(core(got)).toEqual(core(readJson<ExperimentState>(join(whole, 'experiment.json'))));
  }, 60_000);
});
