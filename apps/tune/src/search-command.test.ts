/**
 * The gymlab-tune command end to end on the built app: SLM Lab's HPO spec unmodified (shrunk
 * with -s), the best spec rerun in train mode, dry runs, bad input, Ctrl-C and resume.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ExperimentState } from '@gymlab/lab';
import { collect, descendants, ensureBuilt, isAlive, loadTuneHere, pollFor, runGymlab, runTune, runTuneHere, snapshot, spawnTune, withoutTimeColumns } from './test-utils/bin.js';
import { DEMO, HPO, HPO_NAME, LAM_SEARCH, demoSearchFile, gammaLamSearchFile, tempDir } from './test-utils/specs.js';

beforeAll(async () => {
  ensureBuilt();
  await loadTuneHere();
}, 300_000);

const only = (dir: string): string => {
  const entries = readdirSync(dir);
  expect(entries.length).toBe(1);
  return join(dir, entries[0]);
};
const readState = (runDir: string): ExperimentState => JSON.parse(readFileSync(join(runDir, 'experiment.json'), 'utf8')) as ExperimentState;

describe("SLM Lab's dqn_cartpole_hpo.json in search mode (unmodified, shrunk with -s)", () => {
  it('runs every trial, writes the experiment files, and its best spec reruns the best trial exactly', () => {
    const data = tempDir('data');
    const sets = ['-s', 'env.max_frame=1000', '-s', 'meta.max_trial=3', '-s', 'meta.max_session=2', '-s', 'meta.random_seed=5'];
    const r = runTune(['run', HPO, HPO_NAME, ...sets, '--data-dir', data]);
    expect(r.code, r.stderr).toBe(0);
    const runDir = only(data);
    const state = readState(runDir);
    expect(state.trials.map((t) => t.status)).toEqual(['completed', 'completed', 'completed']);
    expect(state.sampler).toBe('tpe');
    expect(state.base_seed).toBe(5);
    const csv = readFileSync(join(runDir, 'experiment.csv'), 'utf8').trim().split('\n');
    expect(csv.length).toBe(4);
    expect(csv[0]).toContain('agent.net.optim_spec.lr');
    for (const f of ['best_spec.json', 'report.html', 'spec.json', 'provenance.json', 'plots/experiment_agent.net.hid_layers.png']) expect(existsSync(join(runDir, f)), f).toBe(true);
    expect(r.stdout).toMatch(/status: completed \(3\/3 trials/);
    expect(r.stdout).toMatch(/wall clock \d+\.\d s/);

    // gymlab analyze rebuilds the trial folders' metrics identically (they are analysed with the experiment's spec)
    const metricsFiles = [0, 1, 2].map((t) => join(runDir, `trial_${t}`, 'trial_metrics.json'));
    const before = metricsFiles.map((f) => readFileSync(f, 'utf8'));
    const reportBefore = readFileSync(join(runDir, 'report.html'), 'utf8');
    expect(reportBefore).toContain('agent.net.hid_layers');
    rmSync(join(runDir, 'report.html'));
    const analyzed = runGymlab(['analyze', runDir]);
    expect(analyzed.code, analyzed.stderr).toBe(0);
    expect(metricsFiles.map((f) => readFileSync(f, 'utf8'))).toEqual(before);
    // and the experiment's report (with its plots) comes back as the search wrote it
    expect(readFileSync(join(runDir, 'report.html'), 'utf8')).toEqual(reportBefore);

    const best = Number(csv[1].split(',')[0]);
    const data2 = tempDir('data2');
    const rerun = runGymlab(['run', join(runDir, 'best_spec.json'), HPO_NAME, 'train', '--data-dir', data2]);
    expect(rerun.code, rerun.stderr).toBe(0);
    const trainDir = only(data2);
    for (const s of [0, 1]) {
      const a = readFileSync(join(runDir, `trial_${best}`, `session_${s}`, 'metrics.csv'), 'utf8');
      const b = readFileSync(join(trainDir, 'trial_0', `session_${s}`, 'metrics.csv'), 'utf8');
      expect(withoutTimeColumns(b)).toEqual(withoutTimeColumns(a));
    }
    const tm = (dir: string) => JSON.parse(readFileSync(join(dir, 'trial_metrics.json'), 'utf8'));
    const [x, y] = [tm(join(runDir, `trial_${best}`)), tm(join(trainDir, 'trial_0'))];
    expect(y.total_reward_ma).toBe(x.total_reward_ma);
    // same statistics; their bootstrap intervals differ (the experiment's trial folders use the experiment's seed, as gymlab analyze does)
    for (const k of ['mean', 'median', 'iqm']) expect(y.final_return_ma[k].value).toBe(x.final_return_ma[k].value);
  }, 600_000); // three bins run one after another: minutes on a loaded 2-core machine
});

describe('dry run', () => {
  // answered by main in this process (what it prints is the point)
  it("ppo_lam_search.json (nested search block, Atari): validates, and lists six sampled trials without running anything", async () => {
    expect(runGymlab(['validate', LAM_SEARCH]).code).toBe(0);
    const data = tempDir('data');
    const r = await runTuneHere(['run', LAM_SEARCH, 'ppo_pong', '--dry-run', '-s', 'meta.max_trial=6', '--data-dir', data]);
    expect(r.code, r.stderr).toBe(0);
    const rows = r.stdout.split('\n').filter((l) => /^\d+\s+\d+\s+\S+$/.test(l));
    expect(rows.length).toBe(6);
    const choices = [0.5, 0.7, 0.9, 0.95, 0.97, 0.99];
    for (const row of rows) expect(choices).toContain(Number(row.split(/\s+/)[2]));
    expect(readdirSync(data)).toEqual([]);
    // the same seed gives the same values
    const again = await runTuneHere(['run', LAM_SEARCH, 'ppo_pong', '--dry-run', '-s', 'meta.max_trial=6', '-s', 'meta.random_seed=3']);
    expect((await runTuneHere(['run', LAM_SEARCH, 'ppo_pong', '--dry-run', '-s', 'meta.max_trial=6', '-s', 'meta.random_seed=3'])).stdout).toBe(again.stdout);
  });

  it('TPE lists its startup trials only; random lists all', async () => {
    const tpe = await runTuneHere(['run', HPO, HPO_NAME, '--dry-run', '-s', 'meta.random_seed=1']);
    expect(tpe.stdout).toMatch(/trials 10\.\.24 are proposed by tpe from the results of earlier trials/);
    const random = await runTuneHere(['run', HPO, HPO_NAME, '--dry-run', '-s', 'meta.random_seed=1', '-s', 'meta.search_sampler=random']);
    expect(random.stdout.split('\n').filter((l) => /^\d+\s+\d+\s/.test(l)).length).toBe(25);
  });
});

describe('bad input: exit 2, one line, no run folder', () => {
  const cases: [string, () => string[], RegExp][] = [
    ['no search block', () => ['run', DEMO, 'ppo_cartpole'], /search mode needs a search block/],
    ['a range the key refuses', () => ['run', demoSearchFile({ 'agent.algorithm.gamma__uniform': [0.9, 1.2] }), 'ppo_cartpole'], /gamma__uniform: its value 1.2 is refused/],
    ['unknown distribution', () => ['run', demoSearchFile({ 'agent.algorithm.gamma__unifrom': [0.9, 0.99] }), 'ppo_cartpole'], /unknown search distribution 'unifrom'/],
    ['Atari env (not available)', () => ['run', LAM_SEARCH, 'ppo_pong'], /ALE\/Pong-v5/],
    ['unknown metric', () => ['run', HPO, HPO_NAME, '--metric', 'speed'], /--metric speed: unknown metric \(allowed: final_return_ma_iqm/],
    ['bad redis address', () => ['run', HPO, HPO_NAME, '--redis', 'http://x'], /--redis http:\/\/x: scheme http:/],
    ['unreachable redis', () => ['run', HPO, HPO_NAME, '--redis', 'redis://127.0.0.1:1'], /--redis redis:\/\/127\.0\.0\.1:1: cannot connect/],
    ['resume of a folder that is not a search', () => ['resume', tempDir('notrun')], /not a search run folder/],
    ['missing spec name', () => ['run', HPO], /SPEC_NAME|Not enough/],
  ];
  // the first case through the bin (its exit code and stderr), the others answered by main in this process
  cases.forEach(([name, args, message], i) => {
    it(name, async () => {
      const data = tempDir('data');
      const a = args();
      const argv = a[0] === 'resume' ? a : [...a, '--data-dir', data];
      const r = i === 0 ? runTune(argv) : await runTuneHere(argv);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n').filter((l) => l.startsWith('gymlab-tune')).length).toBe(1);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(readdirSync(data)).toEqual([]);
    });
  });
});

describe('Ctrl-C and resume', () => {
  it('SIGINT stops the trials and leaves no process behind; resume finishes without re-running completed trials', async () => {
    const file = gammaLamSearchFile(16000);
    const data = tempDir('data');
    const child = spawnTune(['run', file, 'ppo_cartpole', '--data-dir', data]);
    const out = collect(child);
    await out.waitFor(/trial \d completed/);
    await out.waitFor(/trial [23] started/);
    // well into the next trial: it has reported a checkpoint (its frame in experiment.json)
    await pollFor('a checkpoint of trial 2 or 3', () => (readState(join(data, readdirSync(data)[0]!)).trials.some((t) => t.trial >= 2 && t.status === 'running' && t.frame > 0) ? true : undefined));
    const workers = descendants(child.pid!);
    expect(workers.length).toBeGreaterThan(0);
    child.kill('SIGINT');
    expect(await out.exit).toBe(130);
    // its session processes end with it (they stop when their IPC channel closes)
    await pollFor('the session processes to end', () => (workers.some(isAlive) ? undefined : true), 5_000).catch(() => undefined);
    expect(workers.filter(isAlive)).toEqual([]);

    const runDir = only(data);
    const first = readState(runDir);
    expect(first.status).toBe('interrupted');
    const done = first.trials.filter((t) => t.status === 'completed');
    const cut = first.trials.filter((t) => t.status === 'interrupted');
    expect(done.length).toBeGreaterThan(0);
    expect(cut.length).toBeGreaterThan(0);
    expect(JSON.parse(readFileSync(join(runDir, 'provenance.json'), 'utf8')).status).toBe('interrupted');
    expect(out.text()).toMatch(/resume with: gymlab-tune resume/);
    const kept = Object.fromEntries(done.map((t) => [t.trial, snapshot(join(runDir, `trial_${t.trial}`))]));

    const r = runTune(['resume', runDir]);
    expect(r.code, r.stderr).toBe(0);
    const started = [...r.stderr.matchAll(/trial (\d+) started/g)].map((m) => Number(m[1]));
    // a cut trial with a resume checkpoint (every 10k frames) goes on from it in its folder; one without starts again, its folder set aside
    const continued = [...r.stderr.matchAll(/trial (\d+) continues from its checkpoints/g)].map((m) => Number(m[1]));
    for (const t of done) expect([...started, ...continued]).not.toContain(t.trial);
    for (const t of cut) expect(started.includes(t.trial) !== continued.includes(t.trial)).toBe(true);
    for (const t of done) expect(snapshot(join(runDir, `trial_${t.trial}`))).toEqual(kept[t.trial]);
    for (const t of cut) expect(existsSync(join(runDir, `trial_${t.trial}.attempt_1`))).toBe(started.includes(t.trial));
    const final = readState(runDir);
    expect(final.status).toBe('completed');
    expect(final.resumes).toBe(1);
    expect(final.trials.length).toBe(4);
    expect(final.trials.every((t) => t.status === 'completed')).toBe(true);
    for (const t of cut) expect(final.trials[t.trial].values).toEqual(t.values);
    expect(readFileSync(join(runDir, 'experiment.csv'), 'utf8').trim().split('\n').length).toBe(5);
    // resuming a complete search is a no-op
    const again = runTune(['resume', runDir]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/already complete/);
  }, 600_000);
});
