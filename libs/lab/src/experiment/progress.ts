/**
 * The progress view of a search: trials done (completed, stopped early, failed), running (with
 * the frame each has reached), pending, and the best trial so far by the rank metric.
 */
import { bestTrial, rankValue } from './table.js';
import type { ExperimentTrialRecord, RankMetric } from './table.js';

export interface ExperimentProgress {
  readonly total: number;
  readonly completed: number;
  readonly stopped: number;
  readonly failed: number;
  readonly running: readonly { readonly trial: number; readonly frame: number }[];
  /** Not started yet (including interrupted trials waiting to run again). */
  readonly pending: number;
  readonly best: { readonly trial: number; readonly value: number } | null;
  readonly metric: RankMetric;
}

/** The counts of `records` (one per trial; trials without a record yet count as pending). */
export function experimentProgress(records: readonly ExperimentTrialRecord[], total: number, metric: RankMetric): ExperimentProgress {
  const count = (s: ExperimentTrialRecord['status']): number => records.filter((r) => r.status === s).length;
  const running = records.filter((r) => r.status === 'running').map((r) => ({ trial: r.trial, frame: r.frame }));
  const completed = count('completed');
  const stopped = count('stopped');
  const failed = count('failed');
  const best = bestTrial(records, metric);
  return {
    total,
    completed,
    stopped,
    failed,
    running,
    pending: total - completed - stopped - failed - running.length,
    best: best === null ? null : { trial: best.trial, value: rankValue(best.metrics, metric)! },
    metric,
  };
}

const short = (v: number): string => (Number.isInteger(v) ? String(v) : v.toPrecision(4));

/**
 * One line, e.g. `trials 7/16 done (5 completed, 2 stopped early, 0 failed), 2 running [t7 12000/100000
 * t8 4000/100000], 7 pending; best t3 final_return_ma_iqm 482.1`.
 */
export function formatExperimentProgress(p: ExperimentProgress, maxFrame: number): string {
  const done = p.completed + p.stopped + p.failed;
  const running = p.running.length === 0 ? '' : ` [${p.running.map((r) => `t${r.trial} ${r.frame}/${maxFrame}`).join(' ')}]`;
  const best = p.best === null ? 'no best yet' : `best t${p.best.trial} ${p.metric} ${short(p.best.value)}`;
  return `trials ${done}/${p.total} done (${p.completed} completed, ${p.stopped} stopped early, ${p.failed} failed), ${p.running.length} running${running}, ${p.pending} pending; ${best}`;
}
