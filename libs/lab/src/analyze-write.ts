/**
 * A trial folder's analysis files, written from its saved CSVs: each session's metrics.json
 * (and eval_metrics.json), trial_metrics.json (and trial_eval_metrics.json), trial_metrics.csv,
 * and the plots (SVG and PNG) of every session and of the trial. Called by the Trial at its end
 * and by `analyzeRun`; every file is written whole, and only when its content changes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeTrial, envTarget, sessionPlots, svgToPng, trialPlots } from '@gymlab/analysis';
import type { SessionMetrics, TrialMetrics, TrialMetricsRecord } from '@gymlab/analysis';
import type { Spec } from '@gymlab/spec';
import { readTrialFiles } from './analyze-read.js';
import type { SessionFiles } from './analyze-read.js';
import { analysisSeed } from './analyze-trial.js';
import { writeFileAtomic } from './run/fs-utils.js';
import { EVAL_METRICS, SESSION_METRICS, TRIAL_CSV, TRIAL_EVAL_METRICS, TRIAL_METRICS, trialDir } from './run/run-folder.js';

/** Folder of the plots, in each session folder and each trial folder. */
export const PLOTS_DIR = 'plots';
/** The trial plots (`trialPlots` of `@gymlab/analysis`): the mean across sessions with its bootstrap band, of `return_ma` and of `return`. */
export { TRIAL_PLOT_NAMES } from '@gymlab/analysis';
/** Width in pixels of the PNG copies of the plots. */
export const PNG_WIDTH = 1000;

/** What a write did: the file's path and whether its content changed. */
export interface WrittenFile {
  readonly path: string;
  readonly changed: boolean;
}

/** Writes `data` to `path` whole (temp file + rename) unless the file already holds exactly it. */
export function writeIfChanged(path: string, data: string | Uint8Array): WrittenFile {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  if (existsSync(path) && Buffer.compare(readFileSync(path), bytes) === 0) return { path, changed: false };
  writeFileAtomic(path, bytes);
  return { path, changed: true };
}

/** JSON as the lab writes it: two-space indent and a final newline. */
export const jsonText = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/**
 * Writes `<dir>/plots/<name>.svg` and its PNG copy `<name>.png`. The PNG is rendered from the SVG
 * and written first, so an SVG already on disk with its PNG beside it has that PNG: when the SVG
 * is unchanged nothing is rendered again (a session's plots, written by the session, are not
 * rendered a second time by its trial's analysis).
 */
export function writePlot(dir: string, name: string, svg: string): WrittenFile[] {
  const base = join(dir, PLOTS_DIR, name);
  const svgPath = `${base}.svg`;
  const pngPath = `${base}.png`;
  if (existsSync(pngPath) && existsSync(svgPath) && readFileSync(svgPath, 'utf8') === svg) {
    return [
      { path: svgPath, changed: false },
      { path: pngPath, changed: false },
    ];
  }
  const png = writeIfChanged(pngPath, svgToPng(svg, { width: PNG_WIDTH }));
  return [writeIfChanged(svgPath, svg), png];
}

/** A session's plots (`sessionPlots`: return, loss, entropy... vs frame) in `<sessionDir>/plots/`, from its rows as read from its CSV. */
export function writeSessionPlots(sessionDir: string, spec: Spec, trial: number, session: number, rows: SessionFiles['rows']): WrittenFile[] {
  if (rows.length === 0) return [];
  const files: WrittenFile[] = [];
  const plots = sessionPlots(rows, { title: `${spec.name} t${trial} s${session}`, target: envTarget(spec.env.name) });
  for (const [name, svg] of Object.entries(plots)) if (svg !== undefined) files.push(...writePlot(sessionDir, name, svg));
  return files;
}

/** The result of analysing one trial folder. */
export interface TrialFolderAnalysis {
  readonly trial: number;
  readonly dir: string;
  readonly sessions: readonly SessionFiles[];
  readonly sessionMetrics: readonly SessionMetrics[];
  /** null when no session has a row (trial_metrics.json is then not written). */
  readonly metrics: TrialMetricsRecord | null;
  readonly evalMetrics: TrialMetrics | null;
  /** Every file written or confirmed, with whether it changed. */
  readonly files: readonly WrittenFile[];
  /** Session folders without a metrics.csv. */
  readonly skipped: readonly string[];
}

/**
 * Analyses `trial_<trial>` of `runDir` from its session CSVs (see the module comment). The
 * bootstrap seed is `analysisSeed(spec.meta.random_seed)`; targets come from `envTarget`.
 */
export function analyzeTrialFolder(runDir: string, trial: number, spec: Spec): TrialFolderAnalysis {
  const dir = trialDir(runDir, trial);
  const evaluating = spec.meta.rigorous_eval > 0;
  const read = readTrialFiles(dir, trial, evaluating);
  const seed = analysisSeed(spec.meta.random_seed ?? 0);
  const a = analyzeTrial(read.sessions, { envId: spec.env.name, seed, evaluating });
  const target = envTarget(spec.env.name);
  const files: WrittenFile[] = [];
  read.sessions.forEach((s, k) => {
    files.push(writeIfChanged(join(s.dir, SESSION_METRICS), jsonText(a.sessionMetrics[k])));
    const ev = a.sessionEvalMetrics[k];
    if (ev !== null) files.push(writeIfChanged(join(s.dir, EVAL_METRICS), jsonText(ev)));
    files.push(...writeSessionPlots(s.dir, spec, trial, s.session, s.rows));
  });
  if (a.metrics !== null) files.push(writeIfChanged(join(dir, TRIAL_METRICS), jsonText(a.metrics)));
  if (a.evalMetrics !== null) files.push(writeIfChanged(join(dir, TRIAL_EVAL_METRICS), jsonText(a.evalMetrics)));
  files.push(writeIfChanged(join(dir, TRIAL_CSV), a.csv));
  const withRows = read.sessions.filter((s) => s.rows.length > 0).map((s) => s.rows);
  if (withRows.length > 0) {
    const plots = trialPlots(withRows, { title: `${spec.name} t${trial}`, target, seed });
    for (const [name, svg] of Object.entries(plots)) files.push(...writePlot(dir, name, svg));
  }
  return { trial, dir, sessions: read.sessions, sessionMetrics: a.sessionMetrics, metrics: a.metrics, evalMetrics: a.evalMetrics, files, skipped: read.skipped };
}
