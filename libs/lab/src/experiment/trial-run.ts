/**
 * One trial of an Experiment: `runTrial` on the trial's spec with its session seeds, reporting the
 * trial's value at every checkpoint — the mean over its sessions of `return_ma` at that frame,
 * emitted once every session has logged the frame — so a scheduler can stop it early (abort its
 * signal) with several seeds per trial. Also: writing a trial folder from sessions that ran
 * elsewhere (BullMQ workers send only their rows).
 */
import { join } from 'node:path';
import { EVAL_COLUMNS, SESSION_COLUMNS, toCsv } from '@gymlab/analysis';
import type { EvalRow, SessionRow } from '@gymlab/analysis';
import type { Spec } from '@gymlab/spec';
import { analyzeTrialFolder } from '../analyze-write.js';
import type { TrialFolderAnalysis } from '../analyze-write.js';
import { checkAgentSpec } from '@gymlab/agents';
import { envOptionsOf, resolveDeps } from '../session/deps.js';
import type { SessionDeps } from '../session/deps.js';
import { withRun } from '../run/context.js';
import type { RunContext } from '../run/context.js';
import { writeFileAtomic } from '../run/fs-utils.js';
import { readTrialFiles } from '../analyze-read.js';
import { EVAL_CSV, SESSION_CSV, sessionDir, trialDir } from '../run/run-folder.js';
import type { SessionProgress } from '../session/session.js';
import { runTrial, sessionSeeds } from '../trial/trial.js';
import type { TrialResult } from '../trial/trial.js';

/** The trial's value at one checkpoint frame. */
export interface TrialCheckpoint {
  readonly trial: number;
  readonly frame: number;
  /** Mean over sessions of their finite return_ma at `frame`; null when none has one yet. */
  readonly value: number | null;
}

/**
 * Collects sessions' progress reports and emits a `TrialCheckpoint` when the `sessions`-th session
 * reports a frame (sessions share their checkpoint schedule). Frames reported by fewer sessions
 * (a stopped session's last partial row) are never emitted.
 */
export class CheckpointMeans {
  private readonly pending = new Map<number, Map<number, number | null>>();

  constructor(
    private readonly trial: number,
    private readonly sessions: number,
    private readonly emit: (c: TrialCheckpoint) => void,
  ) {}

  add(p: Pick<SessionProgress, 'session' | 'frame' | 'returnMa'>): void {
    let at = this.pending.get(p.frame);
    if (at === undefined) {
      at = new Map();
      this.pending.set(p.frame, at);
    }
    at.set(p.session, p.returnMa);
    if (at.size < this.sessions) return;
    this.pending.delete(p.frame);
    const finite = [...at.values()].filter((v): v is number => v !== null && Number.isFinite(v));
    const value = finite.length === 0 ? null : finite.reduce((a, b) => a + b, 0) / finite.length;
    this.emit({ trial: this.trial, frame: p.frame, value });
  }
}

export interface ExperimentTrialOptions {
  /** The trial's spec (`buildTrialSpec`): its meta.random_seed is the trial's seed. */
  readonly spec: Spec;
  readonly trial: number;
  readonly onCheckpoint?: (c: TrialCheckpoint) => void;
  /** Sessions run at once (default: all of them, bounded by the cores). */
  readonly maxWorkers?: number;
  /** Continue each session from its folder's checkpoint (`runTrial`'s `resume`). */
  readonly resume?: boolean;
}

export interface ExperimentTrialOutcome {
  readonly result: TrialResult;
  /** The last checkpoint every session reached, with its value; frame 0 / null before any. */
  readonly frame: number;
  readonly lastValue: number | null;
  /** Env frames run, summed over sessions. */
  readonly framesUsed: number;
}

/**
 * Checks that a trial's spec can run before it is started: builds its env once and runs the
 * agent's `checkAgentSpec` against the env's spaces (a sampled combination of values may not fit,
 * e.g. a minibatch larger than the batch). Throws the agent's `AgentConfigError` or the env's error.
 */
export function checkTrialSpec(spec: Spec, deps?: Partial<SessionDeps>): void {
  const d = resolveDeps(deps);
  const env = d.makeEnv(spec.env.name, envOptionsOf(spec.env));
  try {
    checkAgentSpec(spec, env.observationSpace, env.actionSpace);
  } finally {
    env.close();
  }
}

/** The session seeds of a trial spec: `sessionSeeds(meta.random_seed, meta.max_session)`. */
export function trialSessionSeeds(spec: Spec): number[] {
  if (spec.meta.random_seed === null) throw new Error(`trial spec ${spec.name} has no meta.random_seed`);
  return sessionSeeds(spec.meta.random_seed, spec.meta.max_session);
}

/**
 * Runs one trial of an experiment (see the module comment) into `ctx.runDir` (the experiment's
 * run folder: sessions go to trial_<t>/session_<s>; null: write nothing); `ctx.signal` stops it
 * at its sessions' next yield (scheduler stop or interrupt).
 */
export async function runExperimentTrial(opts: ExperimentTrialOptions, ctx: RunContext): Promise<ExperimentTrialOutcome> {
  const seeds = trialSessionSeeds(opts.spec);
  let frame = 0;
  let lastValue: number | null = null;
  const means = new CheckpointMeans(opts.trial, seeds.length, (c) => {
    frame = c.frame;
    lastValue = c.value;
    opts.onCheckpoint?.(c);
  });
  const result = await runTrial({ spec: opts.spec, trial: opts.trial, seeds, maxWorkers: opts.maxWorkers, resume: opts.resume }, withRun(ctx, { onProgress: (p) => means.add(p) }));
  const framesUsed = result.sessions.reduce((a, s) => a + s.frames, 0);
  const runDir = ctx.runDir;
  if (opts.resume === true && runDir !== null) {
    // sessions that had ended before the interruption report nothing now: the folder's rows say where the trial is
    const last = lastCommonFrame(readTrialFiles(trialDir(runDir, opts.trial), opts.trial, opts.spec.meta.rigorous_eval > 0).sessions);
    return { result, frame: last.frame, lastValue: last.value, framesUsed };
  }
  return { result, frame, lastValue, framesUsed };
}

/**
 * The last frame every session logged, and the mean of the sessions' finite return_ma there (what
 * the search records as the trial's `frame` and `last_value`), from the trial folder's rows.
 */
export function lastCommonFrame(sessions: readonly { readonly rows: readonly { readonly frame: number | null; readonly return_ma: number | null }[] }[]): { frame: number; value: number | null } {
  if (sessions.length === 0) return { frame: 0, value: null };
  const frames = sessions.map((s) => new Set(s.rows.map((r) => r.frame)));
  const common = [...frames[0]].filter((f): f is number => f !== null && frames.every((set) => set.has(f)));
  if (common.length === 0) return { frame: 0, value: null };
  const frame = Math.max(...common);
  const values = sessions.map((s) => s.rows.find((r) => r.frame === frame)?.return_ma ?? null).filter((v): v is number => v !== null && Number.isFinite(v));
  return { frame, value: values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length };
}

/** A session that ran elsewhere: only its rows travel. */
export interface RemoteSessionRows {
  readonly session: number;
  readonly rows: readonly SessionRow[];
  readonly evalRows: readonly EvalRow[];
}

/**
 * Writes the sessions' metrics.csv (and eval.csv when `evaluating`) into trial_<t> of `runDir`
 * exactly as a local session writes them.
 */
export function writeRemoteSessions(runDir: string, trial: number, evaluating: boolean, sessions: readonly RemoteSessionRows[]): void {
  for (const s of sessions) {
    const dir = sessionDir(runDir, trial, s.session);
    writeFileAtomic(join(dir, SESSION_CSV), toCsv(s.rows, SESSION_COLUMNS));
    if (evaluating) writeFileAtomic(join(dir, EVAL_CSV), toCsv(s.evalRows, EVAL_COLUMNS));
  }
}

/**
 * `writeRemoteSessions` (evaluating as `spec` says), then the trial folder's analysis
 * (`analyzeTrialFolder` with `spec`: metrics JSON, trial_metrics.csv, plots).
 */
export function writeRemoteTrial(runDir: string, trial: number, spec: Spec, sessions: readonly RemoteSessionRows[]): TrialFolderAnalysis {
  writeRemoteSessions(runDir, trial, spec.meta.rigorous_eval > 0, sessions);
  return analyzeTrialFolder(runDir, trial, spec);
}
