/**
 * The experiment table: one row per trial (sampled values, trial metrics, stopped-early flag,
 * frames used), ranked by one metric. Every cell comes from the trial records, which come from the
 * saved files, so a search run locally and one run on BullMQ workers with the same seeds give the
 * same table (nothing in it depends on wall time).
 */
import { TRIAL_METRIC_NAMES, tableToCsv } from '@gymlab/analysis';
import type { ExperimentRow } from '@gymlab/analysis';
import type { TrialMetricsRecord } from '../analyze-trial.js';
import { valueCell } from './trial-spec.js';
import type { TrialValues } from './trial-spec.js';

/**
 * A trial's state in the experiment: pending (not started), running, completed (ran to
 * env.max_frame), stopped (stopped early by the scheduler), interrupted (the search was stopped;
 * `resume` runs it again), failed (its spec was refused or a session failed; `error` says why).
 */
export type TrialState = 'pending' | 'running' | 'completed' | 'stopped' | 'interrupted' | 'failed';

export interface ExperimentTrialRecord {
  readonly trial: number;
  /** The trial's base seed (its spec's meta.random_seed). */
  readonly seed: number;
  readonly values: TrialValues;
  readonly status: TrialState;
  /** The last checkpoint frame at which every session had reported (the scheduler's time); 0 before. */
  readonly frame: number;
  /** The trial's value there: mean over sessions of return_ma (null before any). */
  readonly last_value: number | null;
  /** Env frames run, summed over the trial's sessions. */
  readonly frames_used: number;
  /** trial_metrics.json of the trial (null before it finishes, or when no session logged a row). */
  readonly metrics: TrialMetricsRecord | null;
  readonly error: string | null;
}

/** Metrics a search can be ranked by (all larger-is-better). */
export const RANK_METRICS = [
  'final_return_ma_iqm',
  'final_return_ma_mean',
  'final_return_ma_median',
  ...TRIAL_METRIC_NAMES.filter((n) => n !== 'frame'),
] as const;
export type RankMetric = (typeof RANK_METRICS)[number];
/** IQM over sessions of each session's final return_ma (`trialReturnStats`), else total_reward_ma. */
export const DEFAULT_RANK_METRIC: RankMetric = 'final_return_ma_iqm';

export const isRankMetric = (s: string): s is RankMetric => (RANK_METRICS as readonly string[]).includes(s);

const finiteOrNull = (v: number | null | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * A trial's value of a rank metric: `final_return_ma_<stat>` is that statistic of the sessions'
 * final return_ma, falling back to SLM Lab's total_reward_ma when it is missing; the others are
 * trial_metrics.json's values. null when there is none.
 */
export function rankValue(metrics: TrialMetricsRecord | null, metric: RankMetric): number | null {
  if (metrics === null) return null;
  switch (metric) {
    case 'final_return_ma_iqm':
      return finiteOrNull(metrics.final_return_ma?.iqm.value) ?? finiteOrNull(metrics.total_reward_ma);
    case 'final_return_ma_mean':
      return finiteOrNull(metrics.final_return_ma?.mean.value) ?? finiteOrNull(metrics.total_reward_ma);
    case 'final_return_ma_median':
      return finiteOrNull(metrics.final_return_ma?.median.value) ?? finiteOrNull(metrics.total_reward_ma);
    default:
      return finiteOrNull(metrics[metric]);
  }
}

/** Trials that count in a ranking: completed or stopped early. */
const ranked = (r: ExperimentTrialRecord): boolean => r.status === 'completed' || r.status === 'stopped';

/**
 * The records best first: ranked trials with a value by value (descending; ties by trial number),
 * then the others by trial number.
 */
export function rankTrials(records: readonly ExperimentTrialRecord[], metric: RankMetric): ExperimentTrialRecord[] {
  const key = (r: ExperimentTrialRecord): number | null => (ranked(r) ? rankValue(r.metrics, metric) : null);
  return [...records].sort((a, b) => {
    const va = key(a);
    const vb = key(b);
    if (va !== null && vb !== null && va !== vb) return vb - va;
    if ((va === null) !== (vb === null)) return va === null ? 1 : -1;
    return a.trial - b.trial;
  });
}

/** The best trial (rank 1); null when no trial has a value. */
export function bestTrial(records: readonly ExperimentTrialRecord[], metric: RankMetric): ExperimentTrialRecord | null {
  const first = rankTrials(records, metric)[0];
  return first !== undefined && ranked(first) && rankValue(first.metrics, metric) !== null ? first : null;
}

/** The statistic columns added after SLM Lab's trial metrics. */
const STAT_COLUMNS = ['final_return_ma_mean', 'final_return_ma_median', 'final_return_ma_iqm'] as const;

/**
 * The table's columns: trial, rank, status, stopped_early, seed, frame, frames_used, the rank
 * metric's value (`rank_value`), the hyperparameters (dotted keys), SLM Lab's trial metrics
 * (without frame) and the final-return statistics.
 */
export function experimentColumns(hyperparameters: readonly string[]): string[] {
  return ['trial', 'rank', 'status', 'stopped_early', 'seed', 'frame', 'frames_used', 'rank_value', ...hyperparameters, ...TRIAL_METRIC_NAMES.filter((n) => n !== 'frame'), ...STAT_COLUMNS];
}

/** The experiment table rows, best first (see `rankTrials`); rank is 1-based, null for unranked trials. */
export function experimentRows(records: readonly ExperimentTrialRecord[], hyperparameters: readonly string[], metric: RankMetric): ExperimentRow[] {
  let rank = 0;
  return rankTrials(records, metric).map((r) => {
    const value = ranked(r) ? rankValue(r.metrics, metric) : null;
    const row: Record<string, number | string | boolean | null> = {
      trial: r.trial,
      rank: value === null ? null : ++rank,
      status: r.status,
      stopped_early: r.status === 'stopped',
      seed: r.seed,
      frame: r.frame,
      frames_used: r.frames_used,
      rank_value: value,
    };
    for (const hp of hyperparameters) row[hp] = valueCell(r.values[hp]);
    for (const n of TRIAL_METRIC_NAMES) if (n !== 'frame') row[n] = finiteOrNull(r.metrics?.[n]);
    row.final_return_ma_mean = finiteOrNull(r.metrics?.final_return_ma?.mean.value);
    row.final_return_ma_median = finiteOrNull(r.metrics?.final_return_ma?.median.value);
    row.final_return_ma_iqm = finiteOrNull(r.metrics?.final_return_ma?.iqm.value);
    return row;
  });
}

/** experiment.csv: a header of `columns`, one line per row; every line ends with a newline (`tableToCsv`). */
export function experimentCsv(rows: readonly ExperimentRow[], columns: readonly string[]): string {
  return tableToCsv(rows, columns);
}
