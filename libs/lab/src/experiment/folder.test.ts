import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '@gymlab/spec';
import type { Spec } from '@gymlab/spec';
import {
  EXPERIMENT_FORMAT,
  ExperimentFolderError,
  createExperimentFolder,
  finishExperimentProvenance,
  readExperimentState,
  setTrialFolderAside,
  writeExperimentOutputs,
  writeExperimentState,
} from './folder.js';
import type { ExperimentState } from './folder.js';
import { buildTrialSpec } from './trial-spec.js';
import type { ExperimentTrialRecord } from './table.js';
import { runExperimentTrial, writeRemoteTrial } from './trial-run.js';
import { RunFolderError } from '../analyze-read.js';
import { fakeDeps } from '../test-utils/fakes.js';
import { testContext } from '../test-utils/context.js';
import { SHARED_SPECS } from '../test-utils/paths.js';

const tempDir = (): string => mkdtempSync(join(tmpdir(), 'lab-expfolder-'));
const HPO = join(SHARED_SPECS, 'benchmark/dqn/dqn_cartpole_hpo.json');

/** The HPO spec, small, with its base seed. */
const hpoSpec = (): Spec => loadSpec(HPO, 'dqn_epsilon_greedy_cartpole_hpo', { sets: ['meta.random_seed=21', 'env.max_frame=600', 'meta.log_frequency=200', 'meta.max_session=2'] });

function folder(spec: Spec): string {
  return createExperimentFolder({
    dataDir: tempDir(),
    spec,
    specFile: HPO,
    seedDrawn: false,
    backend: 'cpu',
    compute: 'tfjs-cpu (agent.net.backend: cpu)',
    backendVersions: {},
    commandLine: ['test'],
    trialSeeds: [{ trial: 0, seed: 5, sessions: [6, 7] }],
  }).runDir;
}

function state(spec: Spec, trials: ExperimentTrialRecord[]): ExperimentState {
  return {
    format: EXPERIMENT_FORMAT,
    version: 1,
    id: 'x-1',
    spec_name: spec.name,
    spec_file: HPO,
    base_seed: 21,
    sampler: 'random',
    scheduler: null,
    scheduler_state: null,
    metric: 'final_return_ma_iqm',
    concurrency: 1,
    trial_count: 2,
    hyperparameters: ['agent.algorithm.gamma', 'agent.net.hid_layers'],
    executor: 'local',
    status: 'running',
    started_at: 'a',
    updated_at: 'b',
    wall_time: 0,
    resumes: 0,
    trials,
  };
}

describe('experiment run folder', () => {
  it('spec.json keeps the search block; provenance says search and lists trial seeds; finishing sets the status', () => {
    const spec = hpoSpec();
    const runDir = folder(spec);
    const written = JSON.parse(readFileSync(join(runDir, 'spec.json'), 'utf8'));
    expect(written[spec.name].search).toEqual(spec.search);
    const prov = JSON.parse(readFileSync(join(runDir, 'provenance.json'), 'utf8'));
    expect(prov).toMatchObject({ mode: 'search', status: 'running', seeds: { base: 21 }, trial_seeds: [{ trial: 0, seed: 5, sessions: [6, 7] }] });
    finishExperimentProvenance(runDir, 'interrupted', 'stopped by hand');
    expect(JSON.parse(readFileSync(join(runDir, 'provenance.json'), 'utf8'))).toMatchObject({ status: 'interrupted', error: 'stopped by hand', mode: 'search' });
    finishExperimentProvenance(runDir, 'completed');
    expect(JSON.parse(readFileSync(join(runDir, 'provenance.json'), 'utf8')).error).toBeUndefined();
  });

  it('experiment.json round-trips; a folder without one, or a malformed one, is refused in one line', () => {
    const spec = hpoSpec();
    const runDir = folder(spec);
    expect(() => readExperimentState(runDir)).toThrow(ExperimentFolderError);
    expect(() => readExperimentState(runDir)).toThrow(/not a search run folder \(no experiment.json/);
    const s = state(spec, []);
    writeExperimentState(runDir, s);
    expect(readExperimentState(runDir)).toEqual(s);
    writeFileSync(join(runDir, 'experiment.json'), '{"format": "other"}');
    const err = (() => {
      try {
        readExperimentState(runDir);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(RunFolderError); // the lab's input-error family
    expect(String(err)).toMatch(/not an experiment state/);
  });

  it('sets an earlier attempt of a trial aside instead of overwriting it', () => {
    const runDir = tempDir();
    expect(setTrialFolderAside(runDir, 2)).toBeNull();
    mkdirSync(join(runDir, 'trial_2'));
    writeFileSync(join(runDir, 'trial_2', 'spec.json'), '{}');
    expect(setTrialFolderAside(runDir, 2)).toBeNull(); // queued but never run: left in place
    writeFileSync(join(runDir, 'trial_2', 'x'), 'first');
    expect(setTrialFolderAside(runDir, 2)).toBe(join(runDir, 'trial_2.attempt_1'));
    mkdirSync(join(runDir, 'trial_2'));
    expect(setTrialFolderAside(runDir, 2)).toBe(join(runDir, 'trial_2.attempt_2'));
    expect(readFileSync(join(runDir, 'trial_2.attempt_1', 'x'), 'utf8')).toBe('first');
    expect(existsSync(join(runDir, 'trial_2'))).toBe(false);
  });

  it('writes experiment.csv, the best trial as a standalone spec, the plots and the report', async () => {
    const spec = hpoSpec();
    const runDir = folder(spec);
    const trials: ExperimentTrialRecord[] = [];
    const values = [
      { 'agent.algorithm.gamma': 0.97, 'agent.net.hid_layers': [128] },
      { 'agent.algorithm.gamma': 0.99, 'agent.net.hid_layers': [256, 128] },
    ];
    for (const [t, v] of values.entries()) {
      const trialSpec = buildTrialSpec(spec, v, 1000 + t);
      // rows from the fake agent, as a remote worker would send them
      const o = await runExperimentTrial({ spec: trialSpec, trial: t }, testContext({ runDir: null, inProcess: true, deps: fakeDeps().deps }));
      const a = writeRemoteTrial(runDir, t, trialSpec, o.result.sessions.map((s) => ({ session: s.session, rows: s.rows, evalRows: s.evalRows })));
      trials.push({ trial: t, seed: 1000 + t, values: v, status: 'completed', frame: o.frame, last_value: o.lastValue, frames_used: o.framesUsed, metrics: a.metrics, error: null });
    }
    const s = state(spec, trials);
    const out = writeExperimentOutputs(runDir, spec, s, { report: true });
    const best = trials.reduce((a, b) => ((b.metrics?.final_return_ma?.iqm.value ?? -1) > (a.metrics?.final_return_ma?.iqm.value ?? -1) ? b : a));
    expect(out.bestTrial).toBe(best.trial);
    const lines = readFileSync(join(runDir, 'experiment.csv'), 'utf8').trim().split('\n');
    expect(lines.length).toBe(3);
    expect(lines[1].startsWith(`${best.trial},1,completed,false,${best.seed},`)).toBe(true);
    // best_spec.json: the best trial's spec, loadable alone, with its seed and values
    const bestSpec = loadSpec(join(runDir, 'best_spec.json'), spec.name);
    expect(bestSpec.meta.random_seed).toBe(best.seed);
    expect(bestSpec.search).toBeNull();
    expect(bestSpec.agent.algorithm.gamma).toBe(best.values['agent.algorithm.gamma']);
    expect(bestSpec.agent.net.hid_layers).toEqual(best.values['agent.net.hid_layers']);
    for (const hp of s.hyperparameters) {
      expect(existsSync(join(runDir, 'plots', `experiment_${hp}.svg`))).toBe(true);
      expect(existsSync(join(runDir, 'plots', `experiment_${hp}.png`))).toBe(true);
    }
    const html = readFileSync(join(runDir, 'report.html'), 'utf8');
    expect(html).toContain('<h3>Experiment</h3>');
    for (const hp of s.hyperparameters) expect(html).toContain(`experiment ${hp}`);
  });
});
