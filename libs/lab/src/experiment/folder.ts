/**
 * An Experiment's run folder (search mode). Besides the run files of every run (spec.json: the
 * experiment's spec with its search block and base seed; provenance.json; git.diff):
 *
 * ```
 * experiment.json      the search's state: settings, every trial's record, the scheduler's state
 *                      (written whole after every change; `gymlab-tune resume` reads it)
 * experiment.csv       the experiment table, best first (see experiment-table.ts)
 * best_spec.json       the best trial's spec, standalone: gymlab run best_spec.json <name> train
 * plots/experiment_<hyperparameter>.{svg,png}   each hyperparameter vs the rank metric
 * report.html          the run report with the experiment table and plots
 * trial_<t>/spec.json  the trial's own spec; trial_<t>/session_<s>/... as in a train run; the trial's
 *                      analysis files are written with the experiment's spec (`analyzeTrialFolder`
 *                      with spec.json's spec), so `gymlab analyze` rebuilds them identically
 * trial_<t>.attempt_<k>/  what an interrupted attempt of trial t had written, kept aside on resume
 * ```
 */
import { existsSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { experimentPlots, renderReport } from '@gymlab/analysis';
import type { ExperimentRow, ReportInput, ReportTrial } from '@gymlab/analysis';
import type { Spec } from '@gymlab/spec';
import { RunFolderError, readRunFiles, readTrialFiles, runLabel } from '../analyze-read.js';
import { analysisSeed, analyzeTrial } from '../analyze-trial.js';
import { writeIfChanged, writePlot } from '../analyze-write.js';
import type { WrittenFile } from '../analyze-write.js';
import { buildTrialSpec } from './trial-spec.js';
import { bestTrial, experimentColumns, experimentCsv, experimentRows, isRankMetric } from './table.js';
import type { ExperimentTrialRecord, RankMetric } from './table.js';
import { writeJsonAtomic } from '../run/fs-utils.js';
import type { Provenance, ProvenanceStatus } from '../run/provenance.js';
import { REPORT_FILE } from '../report-write.js';
import { PROVENANCE_FILE, SPEC_FILE, trialDir } from '../run/run-folder.js';
import { openRunFolder } from '../run/open-run.js';
import type { OpenRunOptions } from '../run/open-run.js';
import { specFileContent } from '../run/spec-file.js';

export const EXPERIMENT_FILE = 'experiment.json';
export const EXPERIMENT_CSV = 'experiment.csv';
export const BEST_SPEC_FILE = 'best_spec.json';
export const EXPERIMENT_FORMAT = 'gymlab-experiment';

/** experiment.json. */
export interface ExperimentState {
  readonly format: typeof EXPERIMENT_FORMAT;
  readonly version: 1;
  /** Unique id of the experiment (names its BullMQ jobs). */
  readonly id: string;
  readonly spec_name: string;
  readonly spec_file: string;
  readonly base_seed: number;
  /** Sampler name (tpe, random, grid). */
  readonly sampler: string;
  /** ASHA settings in frames; null: every trial runs to env.max_frame. */
  readonly scheduler: { readonly grace_period: number; readonly reduction_factor: number; readonly max_t: number } | null;
  /** The scheduler's own state (ASHA rungs), as its owner writes it. */
  readonly scheduler_state: unknown;
  readonly metric: RankMetric;
  /** Trials run at once; a proposal that reads the history sees the trials numbered <= k - concurrency. */
  readonly concurrency: number;
  readonly trial_count: number;
  /** Dotted keys of the searched hyperparameters (the table's value columns). */
  readonly hyperparameters: readonly string[];
  readonly executor: 'local' | 'redis';
  readonly status: ProvenanceStatus;
  readonly started_at: string;
  readonly updated_at: string;
  /** Seconds the search has run, summed over its runs (first run and resumes). */
  readonly wall_time: number;
  readonly resumes: number;
  readonly trials: readonly ExperimentTrialRecord[];
}

/** A folder that is not an experiment's, or a malformed experiment.json: one line. */
export class ExperimentFolderError extends RunFolderError {}

/** What a search's folder records: a run's options (the spec with its base seed filled in) less what a search fixes itself. */
export interface ExperimentFolderOptions extends Omit<OpenRunOptions, 'mode' | 'seeds' | 'startedAt'> {
  readonly seedDrawn: boolean;
  /** Trial seeds and their session seeds, recorded in provenance. */
  readonly trialSeeds: readonly { readonly trial: number; readonly seed: number; readonly sessions: readonly number[] }[];
}

/** Provenance of a search: a run's provenance plus every trial's seed and session seeds. */
export type ExperimentProvenance = Provenance & {
  readonly trial_seeds: ExperimentFolderOptions['trialSeeds'];
};

/** Creates the run folder (exclusively) with spec.json, provenance.json (mode search) and git.diff. */
export function createExperimentFolder(opts: ExperimentFolderOptions, startedAt: Date = new Date()): { runDir: string; provenance: ExperimentProvenance } {
  return openRunFolder(
    {
      dataDir: opts.dataDir,
      spec: opts.spec,
      specFile: opts.specFile,
      mode: 'search',
      backend: opts.backend,
      compute: opts.compute,
      backendVersions: opts.backendVersions,
      commandLine: opts.commandLine,
      seeds: { base: opts.spec.meta.random_seed ?? 0, drawn: opts.seedDrawn, sessions: [] },
      startedAt,
    },
    { trial_seeds: opts.trialSeeds },
  );
}

/** Sets provenance.json's status and end time (and error), keeping the rest. */
export function finishExperimentProvenance(runDir: string, status: ProvenanceStatus, error?: string): void {
  const file = join(runDir, PROVENANCE_FILE);
  const prior = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const { error: _old, ...rest } = prior;
  writeJsonAtomic(file, { ...rest, status, ended_at: new Date().toISOString(), ...(error === undefined ? {} : { error }) });
}

export function writeExperimentState(runDir: string, state: ExperimentState): void {
  writeJsonAtomic(join(runDir, EXPERIMENT_FILE), state);
}

/** Whether `dir` is a search's run folder (it holds experiment.json). */
export function isSearchFolder(dir: string): boolean {
  return existsSync(join(dir, EXPERIMENT_FILE));
}

/** Reads experiment.json back; `ExperimentFolderError` when the folder is not an experiment's. */
export function readExperimentState(runDir: string): ExperimentState {
  const file = join(runDir, EXPERIMENT_FILE);
  if (!existsSync(file)) throw new ExperimentFolderError(`${runDir}: not a search run folder (no ${EXPERIMENT_FILE}; allowed: a folder made by gymlab-tune)`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ExperimentFolderError(`${file}: not valid JSON (${(err as Error).message.split('\n')[0]})`);
  }
  const s = parsed as Partial<ExperimentState> | null;
  if (typeof s !== 'object' || s === null || s.format !== EXPERIMENT_FORMAT || s.version !== 1 || !Array.isArray(s.trials)) {
    throw new ExperimentFolderError(`${file}: not an experiment state (allowed: format "${EXPERIMENT_FORMAT}", version 1, as gymlab-tune writes it)`);
  }
  if (typeof s.id !== 'string' || s.id === '') throw new ExperimentFolderError(`${file}: missing experiment id`);
  if (typeof s.metric !== 'string' || !isRankMetric(s.metric)) throw new ExperimentFolderError(`${file}: unknown metric ${JSON.stringify(s.metric)}`);
  return s as ExperimentState;
}

/** Writes trial_<t>/spec.json: the trial's spec as a spec file. */
export function writeTrialSpec(runDir: string, trial: number, spec: Spec): void {
  writeJsonAtomic(join(trialDir(runDir, trial), SPEC_FILE), specFileContent(spec));
}

/**
 * Before a trial runs again (resume, or a retry): moves what an earlier attempt wrote to
 * `trial_<t>.attempt_<k>` (the first free k >= 1), so nothing is overwritten. Returns the new path,
 * or null when there was nothing (no folder, or only the trial's spec.json: it never ran).
 */
export function setTrialFolderAside(runDir: string, trial: number): string | null {
  const dir = trialDir(runDir, trial);
  if (!existsSync(dir)) return null;
  const entries = readdirSync(dir);
  if (entries.length === 1 && entries[0] === SPEC_FILE) return null; // queued, never ran: only its spec, written again alike
  for (let k = 1; ; k++) {
    const aside = `${dir}.attempt_${k}`;
    if (existsSync(aside)) continue;
    renameSync(dir, aside);
    return aside;
  }
}

export interface ExperimentOutputs {
  readonly csv: string;
  /** null while no trial has a value. */
  readonly bestSpec: string | null;
  readonly bestTrial: number | null;
  readonly plots: readonly WrittenFile[];
  readonly report: WrittenFile | null;
}

/**
 * Writes experiment.csv, best_spec.json and the experiment plots from the state (and, with
 * `report`, report.html: the run report plus the experiment table and its plots).
 */
export function writeExperimentOutputs(runDir: string, spec: Spec, state: ExperimentState, opts: { readonly report?: boolean } = {}): ExperimentOutputs {
  const rows = experimentRows(state.trials, state.hyperparameters, state.metric);
  const csv = join(runDir, EXPERIMENT_CSV);
  writeIfChanged(csv, experimentCsv(rows, experimentColumns(state.hyperparameters)));
  const best = bestTrial(state.trials, state.metric);
  let bestSpec: string | null = null;
  if (best !== null) {
    bestSpec = join(runDir, BEST_SPEC_FILE);
    writeIfChanged(bestSpec, `${JSON.stringify(specFileContent(buildTrialSpec(spec, best.values, best.seed)), null, 2)}\n`);
  }
  const plotRows: ExperimentRow[] = rows.filter((r) => r.rank_value !== null).map((r) => ({ ...r, [state.metric]: r.rank_value }));
  const plots: WrittenFile[] = [];
  if (plotRows.length > 0 && state.hyperparameters.length > 0) {
    const svgs = experimentPlots(plotRows, { hyperparameters: state.hyperparameters, metric: state.metric, title: spec.name });
    for (const [hp, svg] of Object.entries(svgs)) plots.push(...writePlot(runDir, `experiment_${hp}`, svg));
  }
  let report: WrittenFile | null = null;
  if (opts.report) {
    const experiment = plotRows.length > 0 ? { rows: plotRows, hyperparameters: state.hyperparameters, metric: state.metric } : undefined;
    report = writeIfChanged(join(runDir, REPORT_FILE), renderReport({ ...experimentReportInput(runDir, state), experiment }));
  }
  return { csv, bestSpec, bestTrial: best?.trial ?? null, plots, report };
}

/**
 * The report's input: the run's spec and provenance, and one report trial `t<t>` per finished trial
 * (completed or stopped) with a session row, its statistics computed as its trial_metrics.json
 * (bootstrap seed `analysisSeed` of the experiment's base seed, as `gymlab analyze` computes them).
 */
export function experimentReportInput(runDir: string, state: ExperimentState): ReportInput {
  const run = readRunFiles(runDir);
  const evaluating = run.spec.meta.rigorous_eval > 0;
  const trials: ReportTrial[] = [];
  for (const r of [...state.trials].sort((a, b) => a.trial - b.trial)) {
    if (r.status !== 'completed' && r.status !== 'stopped') continue;
    const files = readTrialFiles(trialDir(runDir, r.trial), r.trial, evaluating);
    const a = analyzeTrial(files.sessions, { envId: run.spec.env.name, seed: analysisSeed(state.base_seed), evaluating });
    if (a.metrics === null) continue;
    const sessions = files.sessions
      .map((s, k) => ({ name: `s${s.session}`, metrics: a.sessionMetrics[k], rows: s.rows }))
      .filter((s) => s.rows.length > 0);
    trials.push({ name: `t${r.trial}`, metrics: a.metrics, sessions });
  }
  return { title: runLabel(runDir), envId: run.spec.env.name, spec: run.spec, provenance: run.provenance, trials, seed: analysisSeed(state.base_seed) };
}
