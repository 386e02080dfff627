/**
 * Session and trial metrics from metric rows, as SLM Lab v5's `calc_session_metrics` and
 * `calc_trial_metrics` (kengz/SLM-Lab, `slm_lab/experiment/analysis.py`). Pure functions.
 */
import type { EvalRow, SessionMetrics, SessionRow, TrialMetrics } from './columns.js';
import { SESSION_METRIC_NAMES } from './columns.js';
import { calcConsistency, calcEfficiency, calcStability, calcStrength, nanMax, nanMean } from './slm-metrics.js';

/** The per-checkpoint inputs of the metrics (NaN marks a missing value). */
export interface SessionSeries {
  /** Frame at each checkpoint, [N]. */
  readonly frames: readonly number[];
  /** Optimizer steps at each checkpoint, [N]. */
  readonly optSteps: readonly number[];
  /** Return at each checkpoint (SLM Lab's `total_reward`), [N]. */
  readonly returns: readonly number[];
  /** The session's final moving-average return (last non-missing `return_ma`), NaN if none. */
  readonly finalReturnMa: number;
}

/** Raw metrics of one session, with the local (per-checkpoint) series for plots and consistency. */
export interface SessionAnalysis {
  /** Scalars; NaN/±Infinity where SLM Lab's would be. */
  readonly scalar: Readonly<Record<(typeof SESSION_METRIC_NAMES)[number], number>>;
  readonly local: {
    readonly frames: readonly number[];
    readonly optSteps: readonly number[];
    readonly returns: readonly number[];
    readonly strengths: readonly number[];
    readonly sampleEfficiencies: readonly number[];
    readonly trainingEfficiencies: readonly number[];
    readonly stabilities: readonly number[];
  };
}

export interface MetricsOptions {
  /**
   * Mean return of a random agent on the env (see `randomBaseline(envId)`); strength is measured
   * above it. Default 0, as SLM Lab when it knows no baseline.
   */
  readonly randomBaseline?: number;
}

const num = (v: number | null | undefined): number => (v === null || v === undefined ? NaN : v);

function lastPresent(xs: readonly number[]): number {
  for (let i = xs.length - 1; i >= 0; i--) if (!Number.isNaN(xs[i])) return xs[i];
  return NaN;
}

/** The series of rows whose return and moving average are the columns `ret` and `ma` (the frame and opt-step columns are shared). */
function seriesOf<R extends Readonly<Record<'frame' | 'opt_steps', number | null>>>(rows: readonly R[], ret: (r: R) => number | null, ma: (r: R) => number | null): SessionSeries {
  return {
    frames: rows.map((r) => num(r.frame)),
    optSteps: rows.map((r) => num(r.opt_steps)),
    returns: rows.map((r) => num(ret(r))),
    finalReturnMa: lastPresent(rows.map((r) => num(ma(r)))),
  };
}

/** The series of a training CSV's rows: returns from `return`, moving average from `return_ma`. */
export function sessionSeries(rows: readonly SessionRow[]): SessionSeries {
  return seriesOf(rows, (r) => r.return, (r) => r.return_ma);
}

/** The series of an eval CSV's rows: returns from `eval_return`, moving average from `eval_return_ma`. */
export function evalSessionSeries(rows: readonly EvalRow[]): SessionSeries {
  return seriesOf(rows, (r) => r.eval_return, (r) => r.eval_return_ma);
}

/**
 * All session metrics with their local series (see `slm-metrics.ts` for each formula):
 * - `frame`: the last checkpoint's frame (NaN with no rows).
 * - `total_reward_ma`: the session's final moving-average return, i.e. the mean return of its last
 *   100 episodes (gymlab's definition; SLM Lab instead averages the `total_reward` of the last
 *   min(N, 100) checkpoint rows).
 * - `strength` = mean_i (R_i - R_rand); `max_strength` = max_i (R_i - R_rand);
 *   `final_strength` = R_{N-1} - R_rand (NaN when the last return is missing).
 * - `sample_efficiency` = efficiency with t = frames; `training_efficiency` with t = opt steps.
 * - `stability` as `calcStability`.
 */
export function analyzeSession(series: SessionSeries, opts: MetricsOptions = {}): SessionAnalysis {
  const { frames, optSteps, returns } = series;
  if (frames.length !== returns.length || optSteps.length !== returns.length) {
    throw new RangeError(`analyzeSession: series lengths differ (frames ${frames.length}, opt steps ${optSteps.length}, returns ${returns.length})`);
  }
  const { strength, localStrengths } = calcStrength(returns, opts.randomBaseline ?? 0);
  const sample = calcEfficiency(localStrengths, frames);
  const training = calcEfficiency(localStrengths, optSteps);
  const stab = calcStability(localStrengths);
  const n = returns.length;
  return {
    scalar: {
      frame: n > 0 ? frames[n - 1] : NaN,
      total_reward_ma: series.finalReturnMa,
      strength,
      max_strength: nanMax(localStrengths),
      final_strength: n > 0 ? localStrengths[n - 1] : NaN,
      sample_efficiency: sample.efficiency,
      training_efficiency: training.efficiency,
      stability: stab.stability,
    },
    local: {
      frames,
      optSteps,
      returns,
      strengths: localStrengths,
      sampleEfficiencies: sample.localEfficiencies,
      trainingEfficiencies: training.localEfficiencies,
      stabilities: stab.localStabilities,
    },
  };
}

function finite(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

function publicSession(a: SessionAnalysis): SessionMetrics {
  const out = {} as SessionMetrics;
  for (const k of SESSION_METRIC_NAMES) out[k] = finite(a.scalar[k]);
  return out;
}

/**
 * Trial metrics from its sessions' analyses (`calc_trial_metrics`):
 * - `frame`: the first session's last frame.
 * - every other session metric: the mean over sessions of that metric, skipping sessions where it
 *   is NaN (so `total_reward_ma` = mean over sessions of each session's final `return_ma`).
 * - `consistency`: `calcConsistency` of the sessions' local strengths.
 * Throws on an empty list.
 */
export function trialFromSessions(sessions: readonly SessionAnalysis[]): TrialMetrics {
  if (sessions.length === 0) throw new RangeError('trialMetrics: a trial needs at least one session');
  const out = {} as TrialMetrics;
  for (const k of SESSION_METRIC_NAMES) out[k] = finite(nanMean(sessions.map((s) => s.scalar[k])));
  const frames = sessions[0].local.frames;
  out.frame = frames.length > 0 ? finite(frames[frames.length - 1]) : 0;
  out.consistency = finite(calcConsistency(sessions.map((s) => s.local.strengths)).consistency);
  return out;
}

/** Session metrics of a training CSV's rows; null where SLM Lab's value would be NaN or infinite. */
export function sessionMetrics(rows: readonly SessionRow[], opts: MetricsOptions = {}): SessionMetrics {
  return publicSession(analyzeSession(sessionSeries(rows), opts));
}

/** Session metrics of an eval CSV's rows (SLM Lab's `eval` df mode). */
export function evalSessionMetrics(rows: readonly EvalRow[], opts: MetricsOptions = {}): SessionMetrics {
  return publicSession(analyzeSession(evalSessionSeries(rows), opts));
}

/** Trial metrics of its sessions' training rows (one array of rows per session). */
export function trialMetrics(sessionsRows: readonly (readonly SessionRow[])[], opts: MetricsOptions = {}): TrialMetrics {
  return trialFromSessions(sessionsRows.map((rows) => analyzeSession(sessionSeries(rows), opts)));
}

/** Trial metrics of its sessions' eval rows. */
export function evalTrialMetrics(sessionsRows: readonly (readonly EvalRow[])[], opts: MetricsOptions = {}): TrialMetrics {
  return trialFromSessions(sessionsRows.map((rows) => analyzeSession(evalSessionSeries(rows), opts)));
}
