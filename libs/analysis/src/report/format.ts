/** Number and value formatting for the report's tables. */
import type { Estimate } from '../stats/bootstrap.js';

/**
 * A number for a table cell: null/undefined/non-finite -> "—" (or "NaN"/"∞" for those); integers
 * as is; |v| >= 1000 with one decimal; |v| >= 0.001 with 4 significant digits; smaller in
 * exponent form with 4 significant digits.
 */
export function formatNumber(v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '-∞';
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 1000) return v.toFixed(1);
  if (a >= 1e-3) return String(Number(v.toPrecision(4)));
  return v.toExponential(3);
}

/** "value [low, high]" */
export function formatEstimate(e: Estimate): string {
  return `${formatNumber(e.value)} [${formatNumber(e.ci.low)}, ${formatNumber(e.ci.high)}]`;
}

/**
 * A provenance value for a table cell: strings as they are, everything else as compact JSON
 * (undefined and functions as ""), never throwing.
 */
export function formatValue(v: unknown): string {
  if (typeof v === 'string') return v;
  try {
    return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x)) ?? '';
  } catch {
    return String(v);
  }
}
