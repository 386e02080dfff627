/**
 * A Trial: several Sessions of one spec that differ only in seed, run in parallel in child
 * processes (TensorFlow.js keeps one backend per process) on a bounded pool of workers, or one
 * after another in this process (`inProcess`, for unit tests). With `meta.distributed` the sessions
 * train one set of global nets, all at once in worker threads (see `distributed.ts`).
 */
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { distributedModeOf } from '@gymlab/agents';
import { Rng } from '@gymlab/random';
import type { TrialMetrics } from '@gymlab/analysis';
import type { Spec } from '@gymlab/spec';
import { analysisSeed, analyzeTrial } from '../analyze-trial.js';
import type { TrialMetricsRecord } from '../analyze-trial.js';
import { analyzeTrialFolder } from '../analyze-write.js';
import type { RunContext } from '../run/context.js';
import { sessionDir, trialDir } from '../run/run-folder.js';
import { runSession } from '../session/session.js';
import { planSharedParams, runSharedSessions } from './distributed.js';
import type { RunStatus, SessionProgress, SessionResult } from '../session/session.js';
import { isWorkerMessage } from '../session/worker-protocol.js';
import type { RunSessionRequest } from '../session/worker-protocol.js';

/** Seeds of `count` sessions, derived deterministically from the trial's base seed. */
export function sessionSeeds(baseSeed: number, count: number): number[] {
  const rng = new Rng(baseSeed);
  return Array.from({ length: count }, () => rng.deriveSeed());
}

/**
 * The session worker entry, `dist/session/session-worker.js` of this package: the same file whether
 * this module runs from dist or from its sources (tests, which build the workspace first).
 */
export function defaultWorkerPath(): string {
  return fileURLToPath(new URL('../../dist/session/session-worker.js', import.meta.url));
}

export interface TrialOptions {
  readonly spec: Spec;
  readonly trial?: number;
  /** One seed per session (see `sessionSeeds`). */
  readonly seeds: readonly number[];
  readonly devChecks?: boolean;
  /** Pool size; default `min(sessions, ctx.cores)`. */
  readonly maxWorkers?: number;
  /** Continue each session from its folder's resume checkpoint (`SessionOptions.resume`); ended sessions are left as they are. */
  readonly resume?: boolean;
}

export interface TrialResult {
  readonly trial: number;
  readonly dir: string | null;
  readonly status: RunStatus;
  /** Sessions that reported back, in session order (an interrupted one may be missing). */
  readonly sessions: readonly SessionResult[];
  /**
   * SLM Lab's trial metrics plus gymlab's statistics (as trial_metrics.json); null when no session
   * produced a row.
   */
  readonly metrics: TrialMetricsRecord | null;
  /** The same over the sessions' eval rows; null without evaluation. */
  readonly evalMetrics: TrialMetrics | null;
}

/**
 * A session worker failed: names the session and the worker's own message. A dev-mode check that
 * failed (the agent's `AgentCheckError`: a loss or gradient not finite, a gradient norm above 1e5,
 * parameters that did not move) says so and which session: a finding about the spec's run, not a
 * fault of the lab (`isDevCheckFailure`).
 */
export class SessionFailedError extends Error {
  override readonly name = 'SessionFailedError';
  constructor(
    readonly session: number,
    message: string,
    readonly workerName: string = 'Error',
  ) {
    super(workerName === 'AgentCheckError' ? `dev check failed in session ${session}: ${message}` : message);
  }
}

/** Whether `err` is a failed dev-mode check of the agent (in a session worker or in this process). */
export function isDevCheckFailure(err: unknown): boolean {
  return err instanceof Error && (err.name === 'AgentCheckError' || (err instanceof SessionFailedError && err.workerName === 'AgentCheckError'));
}

interface ChildRun {
  readonly request: RunSessionRequest;
  readonly workerPath: string;
  readonly signal: AbortSignal;
  readonly killGraceMs: number;
  readonly onProgress?: (progress: SessionProgress) => void;
}

/** Runs one session in a child process; resolves null when it was stopped before reporting. */
function runChild(run: ChildRun): Promise<SessionResult | null> {
  return new Promise((resolve, reject) => {
    const child = fork(run.workerPath, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'advanced' });
    let result: SessionResult | null = null;
    let failure: SessionFailedError | null = null;
    let stderr = '';
    let killTimer: NodeJS.Timeout | null = null;
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    const onAbort = (): void => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), run.killGraceMs);
    };
    run.signal.addEventListener('abort', onAbort, { once: true });
    child.on('message', (m: unknown) => {
      if (!isWorkerMessage(m)) return;
      if (m.type === 'progress') run.onProgress?.(m.progress);
      else if (m.type === 'result') result = m.result;
      else failure = new SessionFailedError(run.request.session, m.message, m.name);
    });
    child.on('error', (err) => {
      failure ??= new SessionFailedError(run.request.session, `session ${run.request.session}: ${err.message}`);
    });
    child.on('exit', (code, sig) => {
      run.signal.removeEventListener('abort', onAbort);
      if (killTimer) clearTimeout(killTimer);
      if (result !== null) resolve(result);
      else if (failure !== null) reject(failure);
      else if (run.signal.aborted) resolve(null);
      else {
        const tail = stderr.trim().split('\n').slice(-3).join(' | ');
        reject(new SessionFailedError(run.request.session, `session ${run.request.session} worker exited (${sig ?? `code ${code}`}) without a result${tail ? `: ${tail}` : ''}`));
      }
    });
    child.send(run.request);
    if (run.signal.aborted) onAbort();
  });
}

/**
 * The trial's metrics. With a run folder they are computed from the saved files by
 * `analyzeTrialFolder` (which also writes the metrics JSON, trial_metrics.csv and the plots), the
 * same function `gymlab analyze` runs; without one, from the sessions' rows in memory.
 */
function trialOutcome(opts: TrialOptions, runDir: string | null, trial: number, sessions: readonly SessionResult[]): { metrics: TrialMetricsRecord | null; evalMetrics: TrialMetrics | null } {
  if (runDir !== null) return analyzeTrialFolder(runDir, trial, opts.spec);
  const evaluating = opts.spec.meta.rigorous_eval > 0;
  const data = sessions.map((s) => ({ session: s.session, rows: s.rows, evalRows: evaluating ? s.evalRows : null }));
  return analyzeTrial(data, { envId: opts.spec.env.name, seed: analysisSeed(opts.spec.meta.random_seed ?? 0), evaluating });
}

/**
 * Runs the trial's sessions into the context's run folder (`ctx.runDir`; null: write nothing), as
 * `ctx.sessions` says (worker processes or in this process), then analyses them (with a run
 * folder: writes the trial's files, see `trialOutcome`). `ctx.signal` stops them.
 */
export async function runTrial(opts: TrialOptions, ctx: RunContext): Promise<TrialResult> {
  const trial = opts.trial ?? 0;
  const count = opts.seeds.length;
  const { runDir, sessions: runner } = ctx;
  const tdir = runDir === null ? null : trialDir(runDir, trial);
  const results: (SessionResult | null)[] = new Array(count).fill(null);
  const stop = new AbortController();
  const signal = AbortSignal.any([ctx.signal, stop.signal]);
  if (!runner.inProcess && !existsSync(runner.workerPath)) {
    throw new Error(`session worker ${runner.workerPath} not found: build the lab first (npm run build)`);
  }
  const mode = distributedModeOf(opts.spec.meta.distributed);
  if (mode !== null) {
    const requests = opts.seeds.map((seed, s) => ({ type: 'run' as const, spec: opts.spec, seed, dir: runDir === null ? null : sessionDir(runDir, trial, s), trial, session: s, devChecks: opts.devChecks ?? false, tensorboard: ctx.tensorboard }));
    const shared = await planSharedParams(opts.spec, mode, opts.seeds, runner.deps);
    const done = await runSharedSessions({ shared, requests, ctx, signal });
    return finishTrial(opts, runDir, trial, tdir, done);
  }
  let firstError: unknown = null;
  let next = 0;

  const runOne = async (s: number): Promise<SessionResult | null> => {
    const session = { spec: opts.spec, seed: opts.seeds[s], dir: runDir === null ? null : sessionDir(runDir, trial, s), trial, session: s, devChecks: opts.devChecks ?? false, tensorboard: ctx.tensorboard, resume: opts.resume === true };
    if (runner.inProcess) return runSession({ ...session, signal, onProgress: ctx.onProgress, deps: runner.deps });
    return runChild({ request: { type: 'run', ...session }, workerPath: runner.workerPath, signal, killGraceMs: runner.killGraceMs, onProgress: ctx.onProgress });
  };

  const worker = async (): Promise<void> => {
    while (next < count && !signal.aborted) {
      const s = next++;
      try {
        results[s] = await runOne(s);
      } catch (err) {
        firstError ??= err;
        stop.abort();
      }
    }
  };

  const poolSize = runner.inProcess ? 1 : Math.max(1, Math.min(count, opts.maxWorkers ?? ctx.cores));
  await Promise.all(Array.from({ length: poolSize }, () => worker()));
  if (firstError !== null) throw firstError;
  return finishTrial(opts, runDir, trial, tdir, results);
}

/** The trial's status and metrics from its sessions' results (null: a session that did not report). */
function finishTrial(opts: TrialOptions, runDir: string | null, trial: number, tdir: string | null, results: readonly (SessionResult | null)[]): TrialResult {
  const sessions = results.filter((r): r is SessionResult => r !== null);
  const complete = sessions.length === results.length && sessions.every((s) => s.status === 'completed');
  const { metrics, evalMetrics } = trialOutcome(opts, runDir, trial, sessions);
  return { trial, dir: tdir, status: complete ? 'completed' : 'interrupted', sessions, metrics, evalMetrics };
}
