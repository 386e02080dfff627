/**
 * The search loop (the Experiment level): proposes trials in order, runs up to `concurrency` at
 * once on an executor, feeds their checkpoints to ASHA and stops the ones it cuts, and records
 * every trial in experiment.json (written whole after every change), experiment.csv, best_spec.json
 * and the experiment plots. On interrupt it stops the running trials, records them as
 * interrupted and writes what is complete; `resume` continues the unfinished trials with the
 * values they were given (from their checkpoints when it can, else from frame 0) and proposes the
 * rest from the recorded history. A trial that fails
 * because a file could not be written (a full disk) is not the trial's fault: the search stops as
 * if interrupted (the trial recorded as interrupted, so `resume` runs it again once there is room)
 * and `runSearch` rejects with that one-line `WriteError`.
 *
 * Determinism: trial k's seed is `experimentTrialSeed(baseSeed, k)`; a sampler that reads the
 * history is shown exactly the trials numbered <= k - concurrency (the search waits for them), so
 * the values do not depend on which trial happened to finish first. ASHA's decisions do depend
 * on the order in which trials reach a rung when several run at once (as in Ray Tune).
 */
import { analyzeTrialFolder } from '../analyze-write.js';
import { isWriteFailure } from '../run/fs-utils.js';
import { sessionDir } from '../run/run-folder.js';
import { readResumeCheckpoint } from '../session/resume-state.js';
import { buildTrialSpec, experimentTrialSeed } from './trial-spec.js';
import { checkTrialSpec } from './trial-run.js';
import { envOptionsOf } from '../run/check-spec.js';
import { prepareAllEnvs, prepareEnv } from '@gymlab/envs';
import { experimentProgress } from './progress.js';
import { rankValue } from './table.js';
import { setTrialFolderAside, writeExperimentOutputs, writeExperimentState, writeTrialSpec } from './folder.js';
import type { ExperimentState } from './folder.js';
import type { ExperimentTrialRecord } from './table.js';
import type { ExperimentProgress } from './progress.js';
import type { TrialCheckpoint } from './trial-run.js';
import type { TrialMetricsRecord } from '../analyze-trial.js';
import type { Spec } from '@gymlab/spec';
import { Asha } from './asha.js';
import type { Rung } from './asha.js';
import type { TrialExecutor, TrialRun, TrialRunResult } from './executor.js';
import { makeSampler, orderValues } from './search-plan.js';
import type { SearchPlan } from './search-plan.js';
import type { Observation, Values } from './samplers/sampler.js';

export interface DriverOptions {
  readonly plan: SearchPlan;
  /** The experiment's spec with its base seed (spec.json). */
  readonly spec: Spec;
  readonly runDir: string;
  /** The state to start from: fresh (no trials) or read back for a resume. */
  readonly state: ExperimentState;
  readonly executor: TrialExecutor;
  /** Stops the search (Ctrl-C). */
  readonly signal?: AbortSignal;
  /** Called after every change of a trial's state. */
  readonly onProgress?: (p: ExperimentProgress, state: ExperimentState) => void;
  /** One line per event (trial started, stopped early, finished, failed). */
  readonly log?: (line: string) => void;
  /** Checks a trial's spec before it starts (default `checkTrialSpec`: env and agent fit). */
  readonly checkSpec?: (spec: Spec) => void;
  /** Write report.html at the end (default true). */
  readonly report?: boolean;
  /**
   * The metrics of a finished trial from its folder (default: `analyzeTrialFolder` with the
   * experiment's spec, which also writes the trial's metrics JSON and plots).
   */
  readonly analyzeTrial?: (runDir: string, trial: number, spec: Spec) => TrialMetricsRecord | null;
}

const firstLine = (err: unknown): string => (err instanceof Error ? err.message : String(err)).split('\n')[0];
const finished = (r: ExperimentTrialRecord | undefined): boolean => r !== undefined && (r.status === 'completed' || r.status === 'stopped' || r.status === 'failed');

/** What the sampler sees of a finished trial (failed trials are left out). */
function observation(r: ExperimentTrialRecord, state: ExperimentState): Observation | null {
  if (r.status !== 'completed' && r.status !== 'stopped') return null;
  return { trial: r.trial, values: r.values, state: r.status, value: rankValue(r.metrics, state.metric), frame: r.frame, lastValue: r.last_value };
}

/**
 * Whether an interrupted trial can continue in its folder: at least one session has a checkpoint
 * and every checkpoint there loads (a session without one starts at frame 0 in the same trial).
 * A checkpoint that does not load sends the trial back to frame 0, said in one log line.
 */
function continuable(runDir: string, trial: number, trialSpec: Spec, log: (line: string) => void): boolean {
  let found = false;
  for (let s = 0; s < trialSpec.meta.max_session; s++) {
    try {
      found = readResumeCheckpoint(sessionDir(runDir, trial, s)) !== null || found;
    } catch (err) {
      log(`trial ${trial} starts again at frame 0: ${firstLine(err)}`);
      return false;
    }
  }
  return found;
}

/** Runs (or resumes) a search to its end or until interrupted; returns the final state. */
export async function runSearch(opts: DriverOptions): Promise<ExperimentState> {
  const { plan, spec, runDir, executor } = opts;
  const log = opts.log ?? ((): void => {});
  const checkSpec = opts.checkSpec ?? ((s: Spec): void => checkTrialSpec(s));
  // trials are checked synchronously: load what their envs need first (a search over env.name: all)
  await (plan.hyperparameters.includes('env.name') ? prepareAllEnvs() : prepareEnv(spec.env.name, envOptionsOf(spec.env)));
  const analyzeTrial = opts.analyzeTrial ?? ((dir: string, trial: number, s: Spec) => analyzeTrialFolder(dir, trial, s).metrics);
  const interrupt = new AbortController();
  const onAbort = (): void => interrupt.abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  if (opts.signal?.aborted) interrupt.abort();

  const started = Date.now();
  const priorWall = opts.state.wall_time;
  let state: ExperimentState = { ...opts.state, status: 'running' };
  const records = new Map<number, ExperimentTrialRecord>(state.trials.map((r) => [r.trial, r]));
  const asha = plan.scheduler === null ? null : new Asha(plan.scheduler, (state.scheduler_state as Rung[] | null) ?? []);
  const sampler = makeSampler(plan, state.base_seed);
  const c = state.concurrency;

  const save = (): void => {
    state = {
      ...state,
      trials: [...records.values()].sort((a, b) => a.trial - b.trial),
      scheduler_state: asha?.state() ?? null,
      updated_at: new Date().toISOString(),
      wall_time: priorWall + (Date.now() - started) / 1000,
    };
    writeExperimentState(runDir, state);
    opts.onProgress?.(experimentProgress(state.trials, state.trial_count, state.metric), state);
  };
  const update = (trial: number, patch: Partial<ExperimentTrialRecord>): void => {
    const prior = records.get(trial)!;
    records.set(trial, { ...prior, ...patch });
  };

  // A resumed search runs its unfinished trials first, with their recorded values: a trial that had
  // started continues from its sessions' checkpoints when the trials run here (`continuable`),
  // otherwise (BullMQ workers, no checkpoint yet, one that does not load) it starts again at frame 0.
  const again = new Set<number>();
  for (const r of records.values()) {
    if (finished(r)) continue;
    if (executor.kind === 'local' && r.status !== 'pending') {
      again.add(r.trial);
      update(r.trial, { status: 'pending', error: null });
    } else {
      update(r.trial, { status: 'pending', frame: 0, last_value: null, frames_used: 0, metrics: null, error: null });
    }
  }
  save();

  const running = new Map<number, TrialRun>();
  const events: (() => void)[] = [];
  let wake: (() => void) | null = null;
  const post = (e: () => void): void => {
    events.push(e);
    wake?.();
  };
  const stopRequested = new Set<number>();
  interrupt.signal.addEventListener('abort', () => post(() => {}), { once: true });

  /** The next trial to start, or null when it must wait (history not finished) or none is left. */
  const nextTrial = (): { trial: number; values: Values } | 'wait' | null => {
    const again = [...records.values()].filter((r) => r.status === 'pending').sort((a, b) => a.trial - b.trial)[0];
    if (again !== undefined) return { trial: again.trial, values: again.values };
    const k = records.size;
    if (k >= state.trial_count) return null;
    let history: Observation[] = [];
    const pending: Values[] = [];
    if (sampler.historyNeeded(k, c)) {
      for (let j = 0; j <= k - c; j++) if (!finished(records.get(j))) return 'wait';
      history = [];
      for (let j = 0; j <= k - c; j++) {
        const o = observation(records.get(j)!, state);
        if (o !== null) history.push(o);
      }
      for (let j = Math.max(0, k - c + 1); j < k; j++) pending.push(records.get(j)!.values);
    }
    const drawn = sampler.propose({ trial: k, history, pending });
    const seed = experimentTrialSeed(state.base_seed, k);
    records.set(k, { trial: k, seed, values: orderValues(plan, k, drawn), status: 'pending', frame: 0, last_value: null, frames_used: 0, metrics: null, error: null });
    return { trial: k, values: records.get(k)!.values };
  };

  let writeFailure: unknown = null;
  const onDone = (trial: number, result: TrialRunResult | null, error: unknown): void => {
    running.delete(trial);
    if (result === null && isWriteFailure(error)) {
      // a full disk: stop the search; the trial runs again on resume
      update(trial, { status: 'interrupted', error: firstLine(error) });
      log(`trial ${trial} interrupted: ${firstLine(error)}`);
      writeFailure ??= error;
      interrupt.abort();
    } else if (result === null) {
      update(trial, { status: 'failed', error: firstLine(error) });
      log(`trial ${trial} failed: ${firstLine(error)}`);
    } else {
      const status = result.finished ? 'completed' : stopRequested.has(trial) ? 'stopped' : 'interrupted';
      // the trial folder's analysis with the experiment's spec (as gymlab analyze does it); an interrupted trial runs again
      const metrics = status === 'interrupted' ? null : analyzeTrial(runDir, trial, spec);
      update(trial, { status, frame: result.frame, last_value: result.lastValue, frames_used: result.framesUsed, metrics });
      const value = rankValue(metrics, state.metric);
      log(`trial ${trial} ${status} at frame ${result.frame}${value === null ? '' : `, ${state.metric} ${value}`}`);
    }
    save();
    writeExperimentOutputs(runDir, spec, state);
  };

  const onCheckpoint = (c: TrialCheckpoint): void => {
    const r = records.get(c.trial);
    if (r === undefined || r.status !== 'running') return;
    update(c.trial, { frame: c.frame, last_value: c.value });
    if (asha !== null) {
      const decision = asha.onResult(String(c.trial), c.frame, c.value);
      if (decision === 'stop' || (stopRequested.has(c.trial) && decision !== 'done')) {
        if (!stopRequested.has(c.trial)) log(`trial ${c.trial} stopped early by ASHA at frame ${c.frame} (value ${c.value})`);
        stopRequested.add(c.trial);
        running.get(c.trial)?.stop();
      }
    }
    save();
  };

  const start = (trial: number, values: Values): void => {
    const r = records.get(trial)!;
    let trialSpec: Spec;
    try {
      trialSpec = buildTrialSpec(spec, values, r.seed, plan.specFile);
      checkSpec(trialSpec);
    } catch (err) {
      update(trial, { status: 'failed', error: firstLine(err) });
      log(`trial ${trial} refused: ${firstLine(err)}`);
      save();
      return;
    }
    const resume = again.delete(trial) && continuable(runDir, trial, trialSpec, log);
    if (!resume) {
      setTrialFolderAside(runDir, trial);
      writeTrialSpec(runDir, trial, trialSpec);
      update(trial, { frame: 0, last_value: null, frames_used: 0, metrics: null });
    }
    update(trial, { status: 'running' });
    save();
    log(`trial ${trial} ${resume ? 'continues from its checkpoints' : executor.kind === 'redis' ? 'queued' : 'started'}: ${JSON.stringify(values)}`);
    const run = executor.start({ trial, spec: trialSpec, attempt: state.resumes, resume }, (cp) => post(() => onCheckpoint(cp)), interrupt.signal);
    running.set(trial, run);
    run.done.then(
      (result) => post(() => onDone(trial, result, null)),
      (err: unknown) => post(() => onDone(trial, null, err)),
    );
  };

  try {
    for (;;) {
      while (events.length > 0) events.shift()!();
      if (!interrupt.signal.aborted) {
        while (running.size < c) {
          const next = nextTrial();
          if (next === null || next === 'wait') break;
          start(next.trial, next.values);
        }
      }
      if (running.size === 0) break; // nothing left to start (a waiting proposal always has a running trial to wait for)
      if (events.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
    }
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }

  const unfinished = [...records.values()].some((r) => !finished(r)) || records.size < state.trial_count;
  const allFailed = records.size > 0 && [...records.values()].every((r) => r.status === 'failed');
  state = { ...state, status: interrupt.signal.aborted && unfinished ? 'interrupted' : allFailed ? 'failed' : 'completed' };
  save();
  if (writeFailure !== null) throw writeFailure;
  writeExperimentOutputs(runDir, spec, state, { report: opts.report ?? true });
  return state;
}
