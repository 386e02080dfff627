/** Text for the terminal: SLM Lab's trial metrics and gymlab's final-return statistics. */
import { TRIAL_METRIC_NAMES } from '@gymlab/analysis';
import type { Estimate, TrialMetrics } from '@gymlab/analysis';
import type { TrialMetricsRecord } from '@gymlab/lab';

const num = (v: number | null): string => (v === null ? 'n/a' : Number.isInteger(v) ? String(v) : v.toPrecision(6));

/** One `name  value` line per SLM Lab trial metric. */
export function formatMetrics(metrics: TrialMetrics | null, indent = '  '): string[] {
  if (metrics === null) return [`${indent}(no metrics: no session logged a row)`];
  const width = Math.max(...TRIAL_METRIC_NAMES.map((n) => n.length));
  return TRIAL_METRIC_NAMES.map((n) => `${indent}${n.padEnd(width)}  ${num(metrics[n])}`);
}

const estimate = (e: Estimate): string => `${num(e.value)} [${num(e.ci.low)}, ${num(e.ci.high)}]`;

/** The final-return statistics and time to target of a trial_metrics.json record. */
export function formatStatistics(m: TrialMetricsRecord | null, indent = '  '): string[] {
  if (m === null) return [];
  const lines: string[] = [];
  const f = m.final_return_ma;
  if (f !== null) {
    const pct = Math.round(m.bootstrap.confidence * 100);
    lines.push(`${indent}final return_ma over ${f.n} session(s), ${pct}% CI: mean ${estimate(f.mean)}  median ${estimate(f.median)}  IQM ${estimate(f.iqm)}`);
  }
  if (m.target_return !== null) {
    const reached = m.frames_to_target === null ? 'not reached by the trial mean' : `trial mean reached it at frame ${m.frames_to_target} (${num(m.seconds_to_target)} s)`;
    lines.push(`${indent}target ${m.target_return}: ${reached}; ${m.sessions_reached_target}/${m.sessions_to_target.length} session(s) reached it`);
  }
  return lines;
}
