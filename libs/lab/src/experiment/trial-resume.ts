/**
 * `gymlab run resume SEARCH_FOLDER/trial_<t>`: continues one trial of a search that was stopped
 * (kill -9, a reboot, Ctrl-C): each unfinished session from its `checkpoints/latest` (a session
 * without one starts again from frame 0, an ended one is left as it is), with ASHA judging it
 * against the rungs recorded in experiment.json, as the search would have. Then the trial folder
 * is analysed with the experiment's spec (as the search analyses its trials), its record in
 * experiment.json is updated, and experiment.csv, best_spec.json, the experiment plots and
 * report.html are rewritten. Other trials are not touched; a search with trials still to run stays
 * `interrupted` (`gymlab run resume SEARCH_FOLDER` runs them).
 *
 * While it runs, the search folder's provenance names this process as its owner, so neither a
 * second resume of a trial nor a resume of the search starts beside it.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Spec } from '@gymlab/spec';
import { analyzeTrialFolder } from '../analyze-write.js';
import { withRun, type RunContext } from '../run/context.js';
import { isWriteFailure, writeJsonAtomic } from '../run/fs-utils.js';
import { currentOwner, type Provenance, type ProvenanceStatus } from '../run/provenance.js';
import { PROVENANCE_FILE, SPEC_FILE, sessionDir, trialDir } from '../run/run-folder.js';
import { PreflightError, preflight, type RunResult } from '../run/run.js';
import { readResumeCheckpoint } from '../session/resume-state.js';
import { runTrial, type TrialResult } from '../trial/trial.js';
import { Asha, type Rung } from './asha.js';
import { EXPERIMENT_FILE, readExperimentState, writeExperimentOutputs, writeExperimentState, type ExperimentState } from './folder.js';
import { planSearch } from './search-plan.js';
import type { ExperimentTrialRecord, TrialState } from './table.js';
import { CheckpointMeans, lastCommonFrame, trialSessionSeeds } from './trial-run.js';
import { buildTrialSpec } from './trial-spec.js';

/** A trial folder of a search: the search's folder and the trial's number. */
export interface SearchTrialRef {
  readonly searchDir: string;
  readonly trial: number;
}

/** `dir` as a trial folder of a search (`<search>/trial_<t>` beside an experiment.json); null when it is not one. */
export function searchTrialOf(dir: string): SearchTrialRef | null {
  const trimmed = dir.replace(/[\\/]+$/, '');
  const m = /^trial_(0|[1-9]\d{0,8})$/.exec(basename(trimmed));
  if (m === null) return null;
  const searchDir = dirname(trimmed);
  return existsSync(join(searchDir, EXPERIMENT_FILE)) ? { searchDir, trial: Number(m[1]) } : null;
}

/** What resuming a trial of a search did. */
export type SearchTrialResult =
  | { readonly kind: 'completed'; readonly runDir: string; readonly reportFile: string }
  | ({ readonly kind: 'trial'; readonly searchDir: string; readonly trialStatus: TrialState; readonly searchStatus: ProvenanceStatus } & RunResult);

const finished = (r: ExperimentTrialRecord): boolean => r.status === 'completed' || r.status === 'stopped' || r.status === 'failed';

/** The search's status once this trial is done: completed when every planned trial has finished. */
function searchStatusOf(state: ExperimentState): ProvenanceStatus {
  if (state.trials.length < state.trial_count || !state.trials.every(finished)) return 'interrupted';
  return state.trials.every((r) => r.status === 'failed') ? 'failed' : 'completed';
}

export interface SearchTrialOptions {
  /** The folder as the user named it (`<search>/trial_<t>`), for messages and the result. */
  readonly dir: string;
  readonly maxWorkers?: number;
  readonly onStart?: (info: { readonly runDir: string; readonly spec: Spec; readonly status: string }) => void;
}

/**
 * Continues trial `ref.trial` of the search in `ref.searchDir` (see the module comment).
 * `recorded` is the search folder's provenance, already checked not to be running. Refuses with a
 * `PreflightError` (one line naming the folder) a trial with no record, a failed trial, or one
 * whose spec or seeds no longer check, and with a `CheckpointError` a session checkpoint that does
 * not load, before writing anything.
 */
export async function resumeSearchTrial(ref: SearchTrialRef, recorded: Provenance, opts: SearchTrialOptions, ctx: RunContext): Promise<SearchTrialResult> {
  const { searchDir, trial } = ref;
  const dir = opts.dir;
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new PreflightError(`${dir}: is not a folder`);
  const state0 = readExperimentState(searchDir);
  const record = state0.trials.find((r) => r.trial === trial);
  if (record === undefined) throw new PreflightError(`${dir}: experiment.json has no record of trial ${trial} (allowed: a trial the search started: ${state0.trials.length === 0 ? 'none yet' : `0..${state0.trials.length - 1}`})`);
  if (record.status === 'failed') throw new PreflightError(`${dir}: trial ${trial} failed (${record.error ?? 'no error recorded'}); resume continues interrupted trials only`);
  const specFile = join(searchDir, SPEC_FILE);
  const pre = await preflight({ specFile, specName: state0.spec_name, mode: 'train', deps: ctx.sessions.deps });
  const spec = pre.spec;
  const plan = planSearch(spec, specFile);
  if (plan.trialCount !== state0.trial_count) throw new PreflightError(`${searchDir}: the spec plans ${plan.trialCount} trials but experiment.json has ${state0.trial_count} (was spec.json edited?)`);

  if (record.status === 'completed' || record.status === 'stopped') {
    analyzeTrialFolder(searchDir, trial, spec); // a kill during the trial's analysis: rebuild what it writes
    const report = writeExperimentOutputs(searchDir, spec, state0, { report: true }).report;
    return { kind: 'completed', runDir: dir, reportFile: report?.path ?? join(searchDir, 'report.html') };
  }

  const trialSpec = buildTrialSpec(spec, record.values, record.seed, plan.specFile);
  const seeds = trialSessionSeeds(trialSpec);
  const planned = (recorded as Provenance & { trial_seeds?: readonly { trial: number; sessions: readonly number[] }[] }).trial_seeds?.find((t) => t.trial === trial);
  if (planned !== undefined && (planned.sessions.length !== seeds.length || planned.sessions.some((s, i) => s !== seeds[i]))) {
    throw new PreflightError(`${searchDir}: the session seeds of trial ${trial} in ${PROVENANCE_FILE} do not follow from experiment.json's trial seed`);
  }
  // every session's checkpoint must load and be resumable before anything is written
  for (let s = 0; s < seeds.length; s++) readResumeCheckpoint(sessionDir(searchDir, trial, s));

  // the search folder is ours while the trial runs
  const { error: _error, ...base } = recorded;
  const owned: Provenance = { ...base, status: 'running', owner: currentOwner(), ended_at: null, resumed_at: [...(recorded.resumed_at ?? []), ctx.now().toISOString()] };
  writeJsonAtomic(join(searchDir, PROVENANCE_FILE), owned);
  const records = new Map(state0.trials.map((r) => [r.trial, r]));
  let state: ExperimentState = state0;
  const save = (status: ProvenanceStatus, patch: Partial<ExperimentTrialRecord>): void => {
    records.set(trial, { ...records.get(trial)!, ...patch });
    state = { ...state, status, trials: [...records.values()].sort((a, b) => a.trial - b.trial), updated_at: new Date().toISOString() };
    writeExperimentState(searchDir, state);
  };
  save('running', { status: 'running', error: null });
  opts.onStart?.({ runDir: dir, spec: trialSpec, status: record.status });

  // ASHA judges the trial against the rungs the search recorded
  const asha = plan.scheduler === null ? null : new Asha(plan.scheduler, (state0.scheduler_state as Rung[] | null) ?? []);
  const stop = new AbortController();
  let stoppedEarly = false;
  const means = new CheckpointMeans(trial, seeds.length, (c) => {
    if (asha === null || stoppedEarly) return;
    if (asha.onResult(String(trial), c.frame, c.value) === 'stop') {
      stoppedEarly = true;
      ctx.log(`trial ${trial} stopped early by ASHA at frame ${c.frame} (value ${c.value})`);
      stop.abort();
    }
  });
  const tensorboard = ctx.tensorboard && !recorded.command_line.includes('--no-tensorboard');
  const trialCtx = { ...withRun(ctx, { runDir: searchDir, signal: stop.signal, onProgress: (p) => means.add(p) }), tensorboard };
  const finishProvenance = (status: ProvenanceStatus, error?: string): Provenance => {
    const p: Provenance = { ...owned, status, ended_at: ctx.now().toISOString(), ...(error === undefined ? {} : { error }) };
    writeJsonAtomic(join(searchDir, PROVENANCE_FILE), p);
    return p;
  };

  let result: TrialResult;
  try {
    result = await runTrial({ spec: trialSpec, trial, seeds, maxWorkers: opts.maxWorkers, resume: true }, trialCtx);
  } catch (err) {
    const line = (err instanceof Error ? err.message : String(err)).split('\n')[0];
    const again = ctx.signal.aborted || isWriteFailure(err);
    try {
      save(again ? 'interrupted' : searchStatusOf({ ...state, trials: state.trials.map((r) => (r.trial === trial ? { ...r, status: 'failed' } : r)) }), { status: again ? 'interrupted' : 'failed', error: line });
      finishProvenance(state.status, line);
    } catch {
      // a full disk may refuse these too: the trial's own error is the one reported
    }
    throw err;
  }
  const ended = result.status === 'completed' || stoppedEarly;
  const trialStatus: TrialState = !ended || ctx.signal.aborted ? 'interrupted' : stoppedEarly ? 'stopped' : 'completed';
  // the trial folder's analysis with the experiment's spec, as the search writes it
  const analysis = analyzeTrialFolder(searchDir, trial, spec);
  const last = lastCommonFrame(analysis.sessions);
  const framesUsed = result.sessions.reduce((a, s) => a + s.frames, 0);
  records.set(trial, { ...records.get(trial)!, status: trialStatus, frame: last.frame, last_value: last.value, frames_used: framesUsed, metrics: trialStatus === 'interrupted' ? null : analysis.metrics });
  state = { ...state, scheduler_state: asha?.state() ?? state.scheduler_state, trials: [...records.values()].sort((a, b) => a.trial - b.trial) };
  const searchStatus = searchStatusOf(state);
  save(searchStatus, {});
  const provenance = finishProvenance(searchStatus);
  const report = writeExperimentOutputs(searchDir, spec, state, { report: true }).report;
  return {
    kind: 'trial',
    searchDir,
    trialStatus,
    searchStatus,
    runDir: dir,
    reportFile: report?.path ?? join(searchDir, 'report.html'),
    spec: trialSpec,
    status: trialStatus === 'interrupted' ? 'interrupted' : 'completed',
    trial: { ...result, dir: trialDir(searchDir, trial), metrics: analysis.metrics, evalMetrics: analysis.evalMetrics },
    provenance,
  };
}
