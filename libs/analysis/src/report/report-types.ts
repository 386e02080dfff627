/**
 * The input of `renderReport`: everything comes from the run folder's files (spec.json,
 * provenance.json, each trial's metrics and each session's metrics.csv), so a report can be
 * written again from the files alone.
 */
import type { SessionMetrics, TrialMetrics } from '../columns.js';
import type { ExperimentRow } from '../plot/experiment-plots.js';
import type { SessionPlotRow } from '../plot/session-plots.js';

/** One session: its metrics and its checkpoint rows (the columns of `SESSION_PLOT_COLUMNS`). */
export interface ReportSession {
  /** Label shown in tables and plot titles, e.g. "s0" or "trial 0 session 1". */
  readonly name: string;
  /** Session metrics (SLM Lab names), as written by the session. */
  readonly metrics: SessionMetrics;
  /** The rows of the session's metrics.csv: frame, wall_time, return, return_ma, loss, entropy, explore_var. */
  readonly rows: readonly SessionPlotRow[];
}

/** One trial: its metrics and its sessions. */
export interface ReportTrial {
  /** Label, e.g. "t0". */
  readonly name: string;
  readonly metrics: TrialMetrics;
  readonly sessions: readonly ReportSession[];
}

/** The experiment table of a search, plotted per hyperparameter (see `experimentPlots`). */
export interface ReportExperiment {
  readonly rows: readonly ExperimentRow[];
  readonly hyperparameters: readonly string[];
  readonly metric: string;
}

export interface ReportInput {
  /** Page title, e.g. the spec name and run timestamp. */
  readonly title: string;
  /** Env id; when Gymnasium registers a target return for it, tables show the time to reach it. */
  readonly envId?: string;
  /** The resolved spec as run (spec.json), shown as pretty JSON. */
  readonly spec: unknown;
  /** provenance.json: one table row per top-level key. */
  readonly provenance: Readonly<Record<string, unknown>>;
  /** One trial for a train run; one per sampled hyperparameter set for a search. */
  readonly trials: readonly ReportTrial[];
  readonly experiment?: ReportExperiment;
  /**
   * Per-session plots (return vs frames and wall time, loss, entropy/exploration). Default: only
   * when there is a single trial (a search would make the page very large).
   */
  readonly sessionPlots?: boolean;
  /** Seed of the bootstrap intervals (default 0). */
  readonly seed?: number;
  /** An animated GIF of the agent (e.g. the best checkpoint), shown under its own heading. */
  readonly recording?: ReportRecording;
}

export interface ReportRecording {
  /** The GIF file's bytes, embedded as a data: URL (the report stays one file). */
  readonly gif: Uint8Array;
  readonly caption: string;
}
