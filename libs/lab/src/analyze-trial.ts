/**
 * A trial's analysis from its sessions' rows, as pure functions: SLM Lab's session and trial
 * metrics, and gymlab's statistics of the final returns (mean, median, IQM with bootstrap
 * intervals) and time to the env's target. The run's end and `gymlab analyze` both call these
 * on rows read back from the files, so their outputs cannot differ.
 */
import {
  envTarget,
  evalSessionMetrics,
  evalTrialMetrics,
  framesToTarget,
  randomBaseline,
  secondsToTarget,
  sessionMetrics,
  trialMetrics,
  trialReturnStats,
} from '@gymlab/analysis';
import type { EvalRow, SessionMetrics, SessionRow, TrialMetrics, TrialReturnStats } from '@gymlab/analysis';
import { Rng } from '@gymlab/random';
import { aggregateTrialCsv } from './trial-table.js';

/** Bootstrap resamples and confidence of every interval the lab writes. */
export const BOOTSTRAP_REPS = 2000;
export const BOOTSTRAP_CONFIDENCE = 0.95;
const ANALYSIS_SALT = 0x5eed_a11a;

/**
 * The seed of a run's bootstrap intervals, derived from its base seed (`meta.random_seed`): the
 * first `deriveSeed()` of `Rng((baseSeed XOR 0x5eeda11a) >>> 0)` (low 32 bits of the base seed).
 * A stream of its own, so it never equals a session seed by construction.
 */
export function analysisSeed(baseSeed: number): number {
  return new Rng((baseSeed ^ ANALYSIS_SALT) >>> 0).deriveSeed();
}

/** One session's rows, as read back from its folder. */
export interface SessionData {
  readonly session: number;
  readonly rows: readonly SessionRow[];
  /** null: the session has no eval.csv (or the run does not evaluate). */
  readonly evalRows: readonly EvalRow[] | null;
}

/** When one session first reached the target (`return_ma` >= target); null: never. */
export interface SessionAtTarget {
  readonly session: number;
  readonly frames: number | null;
  readonly seconds: number | null;
}

/** gymlab's statistics added to SLM Lab's trial metrics in trial_metrics.json. */
export interface TrialStatistics {
  /**
   * Mean, median and IQM over sessions of each session's final `return_ma` (its last finite
   * value), each with a percentile-bootstrap interval; null when no session has a `return_ma`.
   */
  readonly final_return_ma: TrialReturnStats | null;
  readonly bootstrap: { readonly seed: number; readonly reps: number; readonly confidence: number };
  /** Gymnasium's reward_threshold of the env (`envTarget`); null when it has none. */
  readonly target_return: number | null;
  /**
   * First checkpoint i at which the trial's mean curve m_i (see {@link trialMeanCurve}) is >= the
   * target: its frame, and the mean over sessions of their `wall_time` there. null: never reached
   * or no target.
   */
  readonly frames_to_target: number | null;
  readonly seconds_to_target: number | null;
  /** Sessions whose own `return_ma` reached the target; null when there is no target. */
  readonly sessions_reached_target: number | null;
  /** Per session, `framesToTarget` / `secondsToTarget` of its rows; empty when there is no target. */
  readonly sessions_to_target: readonly SessionAtTarget[];
}

/** trial_metrics.json: SLM Lab's names first (unchanged), then {@link TrialStatistics}. */
export type TrialMetricsRecord = TrialMetrics & TrialStatistics;

/** The trial's mean curve: checkpoint frames, mean `return_ma` and mean `wall_time` across sessions. */
export interface TrialMeanCurve {
  readonly frames: readonly number[];
  readonly returnMa: readonly (number | null)[];
  readonly wallTime: readonly (number | null)[];
}

const finiteValues = (xs: readonly (number | null | undefined)[]): number[] => xs.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
const meanOrNull = (xs: readonly number[]): number | null => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);

/**
 * Across sessions j (each with at least one row), at each checkpoint index i < min_j N_j (sessions
 * truncated to the shortest, as the trial plot): frame_i = the first session's frame;
 * m_i = mean_j return_ma_ij and w_i = mean_j wall_time_ij over the finite values (null if none).
 */
export function trialMeanCurve(sessions: readonly (readonly SessionRow[])[]): TrialMeanCurve {
  const withRows = sessions.filter((s) => s.length > 0);
  const n = withRows.length === 0 ? 0 : Math.min(...withRows.map((s) => s.length));
  const frames: number[] = [];
  const returnMa: (number | null)[] = [];
  const wallTime: (number | null)[] = [];
  for (let i = 0; i < n; i++) {
    frames.push(withRows[0][i].frame ?? NaN);
    returnMa.push(meanOrNull(finiteValues(withRows.map((s) => s[i].return_ma))));
    wallTime.push(meanOrNull(finiteValues(withRows.map((s) => s[i].wall_time))));
  }
  return { frames, returnMa, wallTime };
}

/** The last finite `return_ma` of a session's rows; null if it has none. */
export function finalReturnMa(rows: readonly SessionRow[]): number | null {
  for (let i = rows.length - 1; i >= 0; i--) {
    const v = rows[i].return_ma;
    if (v !== null && Number.isFinite(v)) return v;
  }
  return null;
}

/** {@link TrialStatistics} of sessions' rows (sessions without rows are left out). */
export function trialStatistics(sessions: readonly SessionData[], opts: { readonly envId: string; readonly seed: number }): TrialStatistics {
  const withRows = sessions.filter((s) => s.rows.length > 0);
  const finals = finiteValues(withRows.map((s) => finalReturnMa(s.rows)));
  const bootstrap = { seed: opts.seed, reps: BOOTSTRAP_REPS, confidence: BOOTSTRAP_CONFIDENCE };
  const target = envTarget(opts.envId);
  let framesAt: number | null = null;
  let secondsAt: number | null = null;
  let perSession: SessionAtTarget[] = [];
  if (target !== null) {
    const curve = trialMeanCurve(withRows.map((s) => s.rows));
    const i = curve.returnMa.findIndex((m) => m !== null && m >= target);
    if (i >= 0) {
      framesAt = curve.frames[i];
      secondsAt = curve.wallTime[i];
    }
    perSession = withRows.map((s) => ({ session: s.session, frames: framesToTarget(s.rows, target), seconds: secondsToTarget(s.rows, target) }));
  }
  return {
    final_return_ma: finals.length === 0 ? null : trialReturnStats(finals, bootstrap),
    bootstrap,
    target_return: target,
    frames_to_target: framesAt,
    seconds_to_target: secondsAt,
    sessions_reached_target: target === null ? null : perSession.filter((s) => s.frames !== null).length,
    sessions_to_target: perSession,
  };
}

/** Everything a trial folder's analysis writes, computed (no I/O). */
export interface TrialAnalysis {
  /** Per session (same order as the input): SLM Lab's session metrics of its rows. */
  readonly sessionMetrics: readonly SessionMetrics[];
  /** Per session: metrics of its eval rows; null when the run does not evaluate or the session has no eval.csv. */
  readonly sessionEvalMetrics: readonly (SessionMetrics | null)[];
  /** null when no session has a row. */
  readonly metrics: TrialMetricsRecord | null;
  /** null unless the run evaluates and a session has eval rows. */
  readonly evalMetrics: TrialMetrics | null;
  /** trial_metrics.csv (see `aggregateTrialRows`). */
  readonly csv: string;
}

export interface TrialAnalysisOptions {
  readonly envId: string;
  /** Bootstrap seed ({@link analysisSeed} of the base seed). */
  readonly seed: number;
  /** The run evaluates (`meta.rigorous_eval` > 0). */
  readonly evaluating: boolean;
}

/** Session and trial metrics, statistics and the trial table of a trial's sessions. */
export function analyzeTrial(sessions: readonly SessionData[], opts: TrialAnalysisOptions): TrialAnalysis {
  const metricsOptions = { randomBaseline: randomBaseline(opts.envId) ?? 0 };
  const withRows = sessions.filter((s) => s.rows.length > 0);
  const withEval = sessions.filter((s): s is SessionData & { evalRows: readonly EvalRow[] } => s.evalRows !== null && s.evalRows.length > 0);
  const slm = withRows.length > 0 ? trialMetrics(withRows.map((s) => s.rows), metricsOptions) : null;
  return {
    sessionMetrics: sessions.map((s) => sessionMetrics(s.rows, metricsOptions)),
    sessionEvalMetrics: sessions.map((s) => (opts.evaluating && s.evalRows !== null ? evalSessionMetrics(s.evalRows, metricsOptions) : null)),
    metrics: slm === null ? null : { ...slm, ...trialStatistics(sessions, opts) },
    evalMetrics: opts.evaluating && withEval.length > 0 ? evalTrialMetrics(withEval.map((s) => s.evalRows), metricsOptions) : null,
    csv: aggregateTrialCsv(sessions.map((s) => s.rows)),
  };
}
