/**
 * The trial table (trial_metrics.csv): one row per metrics row index across sessions (sessions
 * share the row schedule, so row i of every session is at the same frame), with the mean, min and
 * max over sessions of `return_ma`, and the mean of `return`. Pure: rows in, rows or CSV text out.
 */
import type { SessionRow } from './columns.js';
import { toCsv } from './csv.js';
import { finiteValues, meanOrNull } from './stats/summary.js';

export const TRIAL_COLUMNS = ['frame', 'sessions', 'return_mean', 'return_ma_mean', 'return_ma_min', 'return_ma_max'] as const;
export type TrialColumn = (typeof TRIAL_COLUMNS)[number];
export type TrialRow = Record<TrialColumn, number | null>;

/** Aggregated rows over sessions; a row exists while at least one session has it. */
export function aggregateTrialRows(sessions: readonly (readonly SessionRow[])[]): TrialRow[] {
  const n = Math.max(0, ...sessions.map((s) => s.length));
  const out: TrialRow[] = [];
  for (let i = 0; i < n; i++) {
    const rows = sessions.filter((s) => i < s.length).map((s) => s[i]);
    const ma = finiteValues(rows.map((r) => r.return_ma));
    out.push({
      frame: rows[0].frame,
      sessions: rows.length,
      return_mean: meanOrNull(finiteValues(rows.map((r) => r.return))),
      return_ma_mean: meanOrNull(ma),
      return_ma_min: ma.length ? Math.min(...ma) : null,
      return_ma_max: ma.length ? Math.max(...ma) : null,
    });
  }
  return out;
}

/** trial_metrics.csv of the sessions' rows: `toCsv` of {@link aggregateTrialRows} with {@link TRIAL_COLUMNS}. */
export function aggregateTrialCsv(sessions: readonly (readonly SessionRow[])[]): string {
  return toCsv(aggregateTrialRows(sessions), TRIAL_COLUMNS);
}
