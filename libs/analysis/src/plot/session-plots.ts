/**
 * Plots of one session and of a trial (its sessions together), from the checkpoint rows of the
 * sessions' `metrics.csv` (column names from `columns.ts`). Pure: rows in, SVG text out.
 */
import type { SessionColumn, SessionRow } from '../columns.js';
import { AnalysisError } from '../errors.js';
import { bootstrapCis } from '../stats/bootstrap.js';
import { mean, sampleStd } from '../stats/summary.js';
import { envTarget } from '../stats/targets.js';
import { renderChart } from './chart.js';
import type { LineSeries } from './chart-types.js';

/** The columns the plots read. */
export const SESSION_PLOT_COLUMNS = ['frame', 'wall_time', 'return', 'return_ma', 'loss', 'entropy', 'explore_var'] as const satisfies readonly SessionColumn[];
export type SessionPlotColumn = (typeof SESSION_PLOT_COLUMNS)[number];
/** One checkpoint row as the plots need it (a full `SessionRow` fits). */
export type SessionPlotRow = Pick<SessionRow, SessionPlotColumn>;

/** Names of the session plots, in the order they are produced. */
export const SESSION_PLOT_NAMES = ['return_vs_frame', 'return_vs_wall_time', 'loss', 'entropy', 'explore_var'] as const;
export type SessionPlotName = (typeof SESSION_PLOT_NAMES)[number];
/** SVG text per plot name; `loss`, `entropy`, `explore_var` only when the column has a value. */
export type SessionPlots = Partial<Record<SessionPlotName, string>>;

export interface SessionPlotOptions {
  /** Prefix of every plot title, e.g. "ppo_cartpole t0 s1". Default "session". */
  readonly title?: string;
  /** Target return drawn as a dashed line on the return plots (e.g. `envTarget(envId)`). */
  readonly target?: number | null;
}

const AXIS_LABEL: Readonly<Record<SessionPlotColumn, string>> = {
  frame: 'frames',
  wall_time: 'wall-clock time (s)',
  return: 'return',
  return_ma: 'return (mean of last 100 episodes)',
  loss: 'loss',
  entropy: 'policy entropy',
  explore_var: 'exploration variable',
};

const column = (rows: readonly SessionPlotRow[], c: SessionPlotColumn): (number | null)[] => rows.map((r) => r[c] ?? null);
const hasValue = (ys: readonly (number | null)[]): boolean => ys.some((y) => y !== null && Number.isFinite(y));
const asX = (ys: readonly (number | null)[]): number[] => ys.map((y) => (y === null ? NaN : y));

function returnChart(rows: readonly SessionPlotRow[], x: 'frame' | 'wall_time', opts: SessionPlotOptions): string {
  const xs = asX(column(rows, x));
  return renderChart({
    title: `${opts.title ?? 'session'}: return vs ${AXIS_LABEL[x]}`,
    xLabel: AXIS_LABEL[x],
    yLabel: 'return',
    lines: [
      { name: 'return', x: xs, y: column(rows, 'return'), color: '#9ecae1' },
      { name: 'return_ma', x: xs, y: column(rows, 'return_ma'), color: '#08519c' },
    ],
    reference: opts.target === null || opts.target === undefined ? undefined : { y: opts.target, label: `target ${opts.target}` },
    legend: true,
  });
}

/**
 * The plots of one session: return and its moving average (`return`, `return_ma`) vs frames and
 * vs wall-clock time; `loss`, `entropy` and `explore_var` vs frames when they have values.
 */
export function sessionPlots(rows: readonly SessionPlotRow[], opts: SessionPlotOptions = {}): SessionPlots {
  const out: SessionPlots = {
    return_vs_frame: returnChart(rows, 'frame', opts),
    return_vs_wall_time: returnChart(rows, 'wall_time', opts),
  };
  const frames = asX(column(rows, 'frame'));
  for (const c of ['loss', 'entropy', 'explore_var'] as const) {
    const ys = column(rows, c);
    if (!hasValue(ys)) continue;
    out[c] = renderChart({
      title: `${opts.title ?? 'session'}: ${AXIS_LABEL[c]}`,
      xLabel: AXIS_LABEL.frame,
      yLabel: AXIS_LABEL[c],
      lines: [{ name: c, x: frames, y: ys }],
    });
  }
  return out;
}

export interface TrialSeriesOptions {
  /** The column averaged across sessions. Default `return_ma`. */
  readonly metric?: 'return' | 'return_ma';
  /**
   * The band around the mean: `bootstrap` (default) is the percentile-bootstrap interval of the
   * mean across sessions at each checkpoint; `std` is mean -/+ one sample standard deviation.
   */
  readonly band?: 'bootstrap' | 'std';
  /** Bootstrap confidence (default 0.95), resamples (default 2000) and seed (default 0). */
  readonly confidence?: number;
  readonly reps?: number;
  readonly seed?: number;
}

/** The mean across sessions at each checkpoint index and its band. */
export interface TrialSeries {
  /** Frames of the first session, truncated to the shortest session. */
  readonly frames: readonly number[];
  readonly mean: readonly (number | null)[];
  readonly low: readonly (number | null)[];
  readonly high: readonly (number | null)[];
  /** Number of sessions with a value at each index. */
  readonly count: readonly number[];
}

/**
 * Across sessions j, at each checkpoint index i < min_j N_j (sessions truncated to the shortest,
 * as SLM Lab's trial metrics): m_i = mean_j v_ij over the sessions with a finite value; band per
 * `opts.band` (with one value the band is [m_i, m_i]); null where no session has a value.
 */
export function trialSeries(sessions: readonly (readonly SessionPlotRow[])[], opts: TrialSeriesOptions = {}): TrialSeries {
  if (sessions.length === 0) throw new AnalysisError('trialSeries: no sessions (allowed: at least one session of rows)');
  const metric = opts.metric ?? 'return_ma';
  const n = Math.min(...sessions.map((s) => s.length));
  const frames: number[] = [];
  const m: (number | null)[] = [];
  const low: (number | null)[] = [];
  const high: (number | null)[] = [];
  const count: number[] = [];
  const bootstrapped: { readonly at: number; readonly values: readonly number[] }[] = [];
  for (let i = 0; i < n; i++) {
    frames.push(sessions[0][i].frame ?? NaN);
    const vs: number[] = [];
    for (const s of sessions) {
      const v = s[i][metric];
      if (v !== null && v !== undefined && Number.isFinite(v)) vs.push(v);
    }
    count.push(vs.length);
    if (vs.length === 0) {
      m.push(null);
      low.push(null);
      high.push(null);
      continue;
    }
    const mu = mean(vs);
    m.push(mu);
    if ((opts.band ?? 'bootstrap') === 'std') {
      const sd = sampleStd(vs);
      low.push(mu - sd);
      high.push(mu + sd);
    } else {
      bootstrapped.push({ at: i, values: vs });
      low.push(null);
      high.push(null);
    }
  }
  // every row's interval with the same seed and options: one set of resample indices per session count
  const cis = bootstrapCis(
    bootstrapped.map((b) => b.values),
    mean,
    { seed: opts.seed ?? 0, reps: opts.reps, confidence: opts.confidence },
  );
  cis.forEach((ci, k) => {
    low[bootstrapped[k].at] = ci.low;
    high[bootstrapped[k].at] = ci.high;
  });
  return { frames, mean: m, low, high, count };
}

export interface TrialPlotOptions extends TrialSeriesOptions {
  readonly title?: string;
  readonly target?: number | null;
}

/**
 * A trial on one chart vs frames: each session's metric as a faint line behind, and the mean
 * across sessions with its band (see {@link trialSeries}; the legend says which band).
 */
export function trialPlot(sessions: readonly (readonly SessionPlotRow[])[], opts: TrialPlotOptions = {}): string {
  const metric = opts.metric ?? 'return_ma';
  const ts = trialSeries(sessions, opts);
  const bandLabel = (opts.band ?? 'bootstrap') === 'std' ? 'mean ± 1 std' : `mean, ${Math.round((opts.confidence ?? 0.95) * 100)}% bootstrap CI`;
  const faint: LineSeries[] = sessions.map((rows, j) => ({
    name: `session ${j}`,
    legend: 'sessions',
    faint: true,
    color: '#7f7f7f',
    x: asX(column(rows, 'frame')),
    y: column(rows, metric),
  }));
  return renderChart({
    title: `${opts.title ?? 'trial'}: ${metric} over ${sessions.length} session${sessions.length === 1 ? '' : 's'}`,
    xLabel: AXIS_LABEL.frame,
    yLabel: AXIS_LABEL[metric],
    lines: [...faint, { name: bandLabel, x: ts.frames, y: ts.mean, color: '#1f77b4', band: { low: ts.low, high: ts.high } }],
    reference: opts.target === null || opts.target === undefined ? undefined : { y: opts.target, label: `target ${opts.target}` },
    legend: true,
  });
}

/** Names of a trial's plots: the mean across sessions with its bootstrap band, of `return_ma` and of `return`. */
export const TRIAL_PLOT_NAMES = ['return_ma_vs_frame', 'return_vs_frame'] as const;
export type TrialPlotName = (typeof TRIAL_PLOT_NAMES)[number];

/**
 * A trial's plots (see {@link TRIAL_PLOT_NAMES}), in that order: {@link trialPlot} of `return_ma`
 * with the target line, and of `return` without it; both with the bootstrap band of `seed`.
 */
export function trialPlots(
  sessions: readonly (readonly SessionPlotRow[])[],
  opts: { readonly title: string; readonly target: number | null; readonly seed: number },
): Record<TrialPlotName, string> {
  const { title, target, seed } = opts;
  return {
    return_ma_vs_frame: trialPlot(sessions, { title, metric: 'return_ma', target, seed }),
    return_vs_frame: trialPlot(sessions, { title, metric: 'return', target: null, seed }),
  };
}

/** One run of a comparison: a label and its (frame, value) series. */
export interface ComparisonRun {
  readonly label: string;
  readonly frames: readonly number[];
  readonly values: readonly (number | null)[];
}

export interface ComparisonOptions {
  readonly title: string;
  /** Default "frames" and "return (mean of last 100 episodes)". */
  readonly xLabel?: string;
  readonly yLabel?: string;
  readonly logX?: boolean;
  readonly target?: number | null;
}

/** Several trials or runs on one chart, one line each (labels must be distinct). */
export function comparisonPlot(runs: readonly ComparisonRun[], opts: ComparisonOptions): string {
  const seen = new Set<string>();
  for (const r of runs) {
    if (seen.has(r.label)) throw new AnalysisError(`comparisonPlot: duplicate run label "${r.label}" (allowed: distinct labels)`);
    seen.add(r.label);
  }
  return renderChart({
    title: opts.title,
    xLabel: opts.xLabel ?? AXIS_LABEL.frame,
    yLabel: opts.yLabel ?? AXIS_LABEL.return_ma,
    logX: opts.logX,
    lines: runs.map((r) => ({ name: r.label, x: r.frames, y: r.values })),
    reference: opts.target === null || opts.target === undefined ? undefined : { y: opts.target, label: `target ${opts.target}` },
    legend: true,
  });
}

/** One line of `gymlab plot`: a comparison run and the env it ran on. */
export interface ComparisonLine extends ComparisonRun {
  readonly envId: string;
}

/** The comparison chart of several runs' lines, with the title and target it was drawn with. */
export interface ComparisonChart {
  readonly title: string;
  /** The env target when every line's env has the same one (`envTarget`), else null. */
  readonly target: number | null;
  readonly svg: string;
}

/**
 * {@link comparisonPlot} of `lines`: title `opts.title`, by default the labels joined by " vs "
 * (or "<n> runs" for more than 3 lines); the target line when all envs share one target.
 */
export function comparisonChart(lines: readonly ComparisonLine[], opts: { readonly title?: string } = {}): ComparisonChart {
  const targets = new Set(lines.map((l) => envTarget(l.envId)));
  const target = targets.size === 1 ? [...targets][0] : null;
  const title = opts.title ?? (lines.length <= 3 ? lines.map((l) => l.label).join(' vs ') : `${lines.length} runs`);
  const runs: ComparisonRun[] = lines.map((l) => ({ label: l.label, frames: l.frames, values: l.values }));
  return { title, target, svg: comparisonPlot(runs, { title, target }) };
}
