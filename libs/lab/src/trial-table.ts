/**
 * The trial CSV: one row per metrics row index across sessions (sessions share the row schedule,
 * so row i of every session is at the same frame), with the mean, min and max over sessions of
 * `return_ma`, and the mean of `return`.
 */
import { toCsv } from '@gymlab/analysis';
import type { SessionRow } from '@gymlab/analysis';

export const TRIAL_COLUMNS = ['frame', 'sessions', 'return_mean', 'return_ma_mean', 'return_ma_min', 'return_ma_max'] as const;
export type TrialColumn = (typeof TRIAL_COLUMNS)[number];
export type TrialRow = Record<TrialColumn, number | null>;

const finite = (xs: readonly (number | null)[]): number[] => xs.filter((x): x is number => x !== null && Number.isFinite(x));
const meanOrNull = (xs: readonly number[]): number | null => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

/** Aggregated rows over sessions; a row exists while at least one session has it. */
export function aggregateTrialRows(sessions: readonly (readonly SessionRow[])[]): TrialRow[] {
  const n = Math.max(0, ...sessions.map((s) => s.length));
  const out: TrialRow[] = [];
  for (let i = 0; i < n; i++) {
    const rows = sessions.filter((s) => i < s.length).map((s) => s[i]);
    const ma = finite(rows.map((r) => r.return_ma));
    out.push({
      frame: rows[0].frame,
      sessions: rows.length,
      return_mean: meanOrNull(finite(rows.map((r) => r.return))),
      return_ma_mean: meanOrNull(ma),
      return_ma_min: ma.length ? Math.min(...ma) : null,
      return_ma_max: ma.length ? Math.max(...ma) : null,
    });
  }
  return out;
}

export function aggregateTrialCsv(sessions: readonly (readonly SessionRow[])[]): string {
  return toCsv(aggregateTrialRows(sessions), TRIAL_COLUMNS);
}
