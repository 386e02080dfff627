/**
 * Every SLM Lab v5.3 spec in ../shared/slm_lab_specs and ../shared/slm_lab_specs_next, enumerated
 * (no list of names kept here): each file validates (exit 0), each spec gets the lab's verdict
 * (the test names below are the status table), and every runnable spec runs to completion in dev
 * mode, shrunk to a couple of its algorithm's updates. A spec needing only `${max_frame}` is checked
 * with it filled; `${env}` templates are not guessed. As branches build more, more specs run here.
 * `gymlab run` on a spec needing what is not built exits 2 with one line and no run folder.
 * The dev runs are `gymlab run` answered by the command's main in this process (its sessions in
 * their worker processes, as always): one Node start and one load of the lab for all of them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkRunnable, type Runnability } from '@gymlab/lab/check-spec';
import type { Spec } from '@gymlab/spec';
import { specNamesIn } from '@gymlab/spec';
import { REPO_ROOT, ensureBuilt, runCli, runCliHere, tempDir } from './test-utils/cli.js';
import { specFilesAt } from './validate.js';

const SHARED = join(REPO_ROOT, '..', 'shared');
const FOLDERS = [join(SHARED, 'slm_lab_specs'), join(SHARED, 'slm_lab_specs_next')];

interface Case {
  readonly file: string;
  readonly name: string;
  readonly label: string;
  readonly sets: readonly string[];
  readonly verdict: Runnability;
}

/** The verdict, with `${max_frame}` filled when it is the only variable missing (it does not change what runs). */
async function verdictOf(file: string, name: string): Promise<{ verdict: Runnability; sets: readonly string[] }> {
  const first = await checkRunnable(file, name);
  if (first.kind !== 'needs-variables' || first.variables.join() !== 'max_frame') return { verdict: first, sets: [] };
  const sets = ['max_frame=100000'];
  return { verdict: await checkRunnable(file, name, sets), sets };
}

const cases: Case[] = [];
for (const file of FOLDERS.flatMap((folder) => specFilesAt(folder))) {
  for (const name of specNamesIn(file)) cases.push({ file, name, label: `${relative(SHARED, file)} ${name}`, ...(await verdictOf(file, name)) });
}

/** The most frames a dev run takes here, so the test stays inside CI's time (see devFrames). */
const MAX_DEV_FRAMES = 8192;

/**
 * Frames for a dev run of about two updates: PPO trains every time_horizon steps per sub-env; the
 * off-policy algorithms (DQN family, SAC) once training_start_step frames (and a batch) are in
 * memory, then every training_frequency steps (each training step is training_iter updates, so two
 * training steps past the start: SAC's 256-unit nets cost ~90 ms of CPU per update on wasm). At least 200 frames, at most MAX_DEV_FRAMES (a spec whose first
 * update comes later, e.g. ppo_bipedalwalker's 65,536-sample batches, is run for its acting and
 * env stepping only), a multiple of num_envs.
 */
function devFrames(spec: Spec): number {
  const a = spec.agent.algorithm;
  const n = spec.env.num_envs;
  const twoUpdates =
    a.time_horizon !== null && a.name.startsWith('PPO')
      ? 2 * a.time_horizon * n
      : Math.max(a.training_start_step, spec.agent.memory.batch_size ?? 0) + 2 * Math.max(1, a.training_frequency) * n;
  const frames = Math.min(MAX_DEV_FRAMES, Math.max(200, twoUpdates));
  return Math.ceil(frames / n) * n;
}

interface DevRun {
  readonly code: number | null;
  readonly stderr: string;
  readonly dataDir: string;
  readonly frames: number;
}

/** Runs `jobs` with at most `width` at a time. */
async function pool<T>(jobs: readonly (() => Promise<T>)[], width: number): Promise<T[]> {
  const out: T[] = new Array<T>(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await jobs[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, jobs.length) }, worker));
  return out;
}

const runnable = cases.filter((c): c is Case & { verdict: Extract<Runnability, { kind: 'runnable' }> } => c.verdict.kind === 'runnable');
const devRuns = new Map<string, DevRun>();

describe('every SLM Lab v5.3 spec in ../shared: verdict, and a dev run of each runnable one', () => {
  ensureBuilt();

  beforeAll(async () => {
    // each run is one session in a forked worker (its own process): the pool is the parallelism
    const jobs = runnable.map((c) => async (): Promise<void> => {
      const frames = devFrames(c.verdict.spec);
      const dataDir = tempDir('shared');
      const half = String(Math.max(c.verdict.spec.env.num_envs, Math.floor(frames / 2)));
      const r = await runCliHere(['run', c.file, c.name, 'dev', ...c.sets.flatMap((s) => ['-s', s]), '-s', `env.max_frame=${frames}`, '-s', `meta.log_frequency=${half}`, '--no-tensorboard', '--data-dir', dataDir]);
      devRuns.set(c.label, { ...r, dataDir, frames });
    });
    await pool(jobs, Math.max(1, Math.min(2, availableParallelism())));
  }, 1_800_000); // 77 dev runs: ~6 min on two free cores, far more on a loaded machine

  it('finds the spec files of both folders', () => {
    expect(cases.length).toBeGreaterThanOrEqual(100);
    expect(runnable.length).toBeGreaterThanOrEqual(11);
  });

  for (const c of cases) {
    const v = c.verdict;
    const status = v.kind === 'runnable' ? 'runnable: dev run completes' : v.kind === 'not-built' ? `not built: ${v.what}` : v.kind === 'needs-variables' ? `needs -s ${v.variables.join(', ')}` : 'WRONG';
    it(`${c.label}: ${status}`, () => {
      expect(v.kind, v.kind === 'wrong' ? v.message : '').not.toBe('wrong');
      if (v.kind !== 'runnable') return;
      const r = devRuns.get(c.label);
      expect(r, 'dev run').toBeDefined();
      if (r === undefined) return;
      expect(r.code, r.stderr).toBe(0);
      const [folder] = readdirSync(r.dataDir);
      const runDir = join(r.dataDir, folder!);
      expect(JSON.parse(readFileSync(join(runDir, 'provenance.json'), 'utf8')).status).toBe('completed');
      const rows = readFileSync(join(runDir, 'trial_0/session_0/metrics.csv'), 'utf8').trim().split('\n');
      expect(Number(rows[rows.length - 1]!.split(',')[0])).toBe(r.frames);
    });
  }
});

describe('validate over both folders', () => {
  it('exits 0 (no spec is wrong) and counts the runnable ones', async () => {
    const r = runCli(['validate', ...FOLDERS], { timeout: 300_000 });
    expect(r.code, r.stderr).toBe(0);
    const total = r.stdout.trim().split('\n').pop() ?? '';
    const kinds: Runnability['kind'][] = [];
    for (const c of cases) kinds.push((await checkRunnable(c.file, c.name)).kind); // as validate sees them: no -s
    const count = (k: Runnability['kind']): number => kinds.filter((x) => x === k).length;
    expect(total).toBe(`${count('runnable')} of ${cases.length} specs runnable (${count('not-built')} need what is not built yet, ${count('needs-variables')} need -s variables, 0 wrong)`);
    console.log(`gymlab validate ../shared/slm_lab_specs ../shared/slm_lab_specs_next: ${total}`);
  }, 300_000);
});

describe('gymlab run on a spec needing what is not built', () => {
  // an algorithm, an env family, a net type: whichever still has a shared spec needing it
  const picks = [/algorithm not built yet/, /^env .* not built yet/, /^net .*not built yet/].flatMap((what) => cases.filter((x) => x.verdict.kind === 'not-built' && what.test(x.verdict.what)).slice(0, 1));
  it('has specs to refuse', () => expect(picks.length).toBeGreaterThan(0));
  for (const c of picks) {
    it(`${c.label}: one line naming it, exit 2, no run folder`, () => {
      const dataDir = tempDir('notbuilt');
      const r = runCli(['run', c.file, c.name, 'dev', ...c.sets.flatMap((s) => ['-s', s]), '--data-dir', dataDir], { timeout: 180_000 });
      expect(r.code).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(c.verdict.kind === 'not-built' ? c.verdict.what : '?');
      expect(readdirSync(dataDir)).toEqual([]);
    }, 180_000);
  }
});
