/**
 * Experiment (search) plots: each searched hyperparameter vs the ranking metric, one point per
 * trial, coloured by the metric.
 */
import { AnalysisError } from '../errors.js';
import { renderChart } from './chart.js';

/** One trial of an experiment table: hyperparameter values and metrics by column name. */
export type ExperimentRow = Readonly<Record<string, number | string | boolean | null>>;

export interface ExperimentPlotOptions {
  /** Columns of the searched hyperparameters, one plot each. */
  readonly hyperparameters: readonly string[];
  /** Column of the ranking metric (y axis and colour). */
  readonly metric: string;
  /**
   * x scale per hyperparameter. Default: `log` when every value is > 0 and max/min >= 100 (e.g. a
   * learning rate searched log-uniformly), else `linear`. String or boolean values make a
   * categorical axis (categories in order of first appearance).
   */
  readonly scale?: Readonly<Record<string, 'linear' | 'log'>>;
  /** Title prefix. Default "experiment". */
  readonly title?: string;
}

const has = (row: ExperimentRow, k: string): boolean => Object.prototype.hasOwnProperty.call(row, k);

function columns(rows: readonly ExperimentRow[]): string {
  const names = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) names.add(k);
  return [...names].join(', ');
}

/** One SVG per hyperparameter, keyed by its column name. Rows missing the value or metric are left out. */
export function experimentPlots(rows: readonly ExperimentRow[], opts: ExperimentPlotOptions): Record<string, string> {
  if (!rows.some((r) => has(r, opts.metric))) {
    throw new AnalysisError(`experimentPlots: metric "${opts.metric}" is in no row (columns: ${columns(rows)})`);
  }
  const out: Record<string, string> = {};
  for (const hp of opts.hyperparameters) {
    if (!rows.some((r) => has(r, hp))) {
      throw new AnalysisError(`experimentPlots: hyperparameter "${hp}" is in no row (columns: ${columns(rows)})`);
    }
    const kept = rows.filter((r) => {
      const v = r[hp];
      const y = r[opts.metric];
      return v !== null && v !== undefined && typeof y === 'number' && Number.isFinite(y) && (typeof v !== 'number' || Number.isFinite(v));
    });
    const categorical = kept.some((r) => typeof r[hp] !== 'number');
    let categories: string[] | undefined;
    let xs: number[];
    if (categorical) {
      categories = [];
      for (const r of kept) if (!categories.includes(String(r[hp]))) categories.push(String(r[hp]));
      const cats = categories;
      xs = kept.map((r) => cats.indexOf(String(r[hp])));
    } else {
      xs = kept.map((r) => r[hp] as number);
    }
    const ys = kept.map((r) => r[opts.metric] as number);
    let log = false;
    if (!categorical) {
      const pos = xs.length > 0 && xs.every((x) => x > 0);
      const wanted = opts.scale?.[hp];
      if (wanted === 'log' && !pos) throw new AnalysisError(`experimentPlots: scale of "${hp}" is log but it has values <= 0 (allowed: linear)`);
      log = wanted === 'log' || (wanted === undefined && pos && Math.max(...xs) / Math.min(...xs) >= 100);
    }
    out[hp] = renderChart({
      title: `${opts.title ?? 'experiment'}: ${hp} vs ${opts.metric}`,
      xLabel: hp + (log ? ' (log scale)' : ''),
      yLabel: opts.metric,
      logX: log,
      xCategories: categories,
      scatter: [{ name: 'trials', x: xs, y: ys, c: ys }],
      colorLabel: opts.metric,
      legend: false,
    });
  }
  return out;
}
