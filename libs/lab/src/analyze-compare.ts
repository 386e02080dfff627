/**
 * Several runs on one chart (SLM Lab's `plot -f`): each trial's mean `return_ma` across its
 * sessions vs frames, read from the sessions' metrics.csv, as SVG and PNG in a new folder.
 * Every input is checked before anything is written.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { comparisonChart, svgToPng, trialMeanCurve } from '@gymlab/analysis';
import type { ComparisonLine } from '@gymlab/analysis';
import { RunFolderError, readRunFiles, readTrialFiles, runLabel } from './analyze-read.js';
import { PNG_WIDTH, jsonText } from './analyze-write.js';
import { createExclusiveDir, writeFileAtomic } from './run/fs-utils.js';
import { timestamp, trialDir } from './run/run-folder.js';

/** Names of the files a comparison writes into its folder. */
export const COMPARISON_FILES = { svg: 'return_ma_vs_frame.svg', png: 'return_ma_vs_frame.png', index: 'plot.json' } as const;

export interface PlotRunsOptions {
  /** Run folders, in legend order (at least one). */
  readonly runDirs: readonly string[];
  /** Chart title; default the run labels joined by " vs " (or "<n> runs" for more than 3 lines). */
  readonly title?: string;
  /** Output folder (created; must not already hold the output files). Default `<dataDir>/plot_<timestamp>`. */
  readonly outDir?: string;
  /** Where the default output folder goes; default `data`. */
  readonly dataDir?: string;
  /** Time of the default folder's name; default now. */
  readonly date?: Date;
}

/** One line of the chart: a trial of a run. */
export interface PlottedTrial {
  readonly label: string;
  readonly runDir: string;
  readonly trial: number;
  /** Sessions with rows that the mean is taken over. */
  readonly sessions: number;
  readonly points: number;
}

export interface PlotRunsResult {
  readonly outDir: string;
  /** Path of each file written, by the name of its kind in `COMPARISON_FILES`. */
  readonly files: Readonly<Record<keyof typeof COMPARISON_FILES, string>>;
  readonly lines: readonly PlottedTrial[];
}

type Line = PlottedTrial & ComparisonLine;

/** The lines of one run folder (one per trial), or a `RunFolderError` naming what is missing. */
function runLines(runDir: string): Line[] {
  const run = readRunFiles(runDir);
  if (run.trials.length === 0) throw new RunFolderError(`${runDir}: no trial_<t> folder (nothing to plot)`);
  return run.trials.map((t) => {
    const dir = trialDir(runDir, t);
    const files = readTrialFiles(dir, t, false);
    const withRows = files.sessions.filter((s) => s.rows.length > 0);
    if (withRows.length === 0) {
      const what = files.sessions.length === 0 ? 'no session_<s>/metrics.csv' : 'every session metrics.csv is empty';
      throw new RunFolderError(`${dir}: ${what} (missing CSV: nothing to plot)`);
    }
    const curve = trialMeanCurve(withRows.map((s) => s.rows));
    const label = run.trials.length === 1 ? runLabel(runDir) : `${runLabel(runDir)} t${t}`;
    return { label, runDir, trial: t, sessions: withRows.length, points: curve.frames.length, frames: curve.frames, values: curve.returnMa, envId: run.spec.env.name };
  });
}

/** Labels made distinct: a repeated label becomes the run folder's path as given (plus ` t<t>`). */
function distinctLabels(lines: readonly Line[]): Line[] {
  const counts = new Map<string, number>();
  for (const l of lines) counts.set(l.label, (counts.get(l.label) ?? 0) + 1);
  const out = lines.map((l) => ((counts.get(l.label) ?? 0) > 1 ? { ...l, label: l.label.replace(runLabel(l.runDir), l.runDir) } : l));
  const seen = new Set<string>();
  for (const l of out) {
    if (seen.has(l.label)) throw new RunFolderError(`${l.runDir}: given twice (allowed: each run folder once)`);
    seen.add(l.label);
  }
  return out;
}

/** Draws the runs on one chart (see the module comment) and writes it; returns where. */
export function plotRuns(opts: PlotRunsOptions): PlotRunsResult {
  if (opts.runDirs.length === 0) throw new RunFolderError('plot: no run folder given (allowed: one or more run folders)');
  const lines = distinctLabels(opts.runDirs.flatMap(runLines));
  if (opts.outDir !== undefined) {
    if (existsSync(opts.outDir) && !statSync(opts.outDir).isDirectory()) throw new RunFolderError(`${opts.outDir}: exists and is not a folder (allowed: a new or existing folder)`);
    for (const f of Object.values(COMPARISON_FILES)) {
      if (existsSync(join(opts.outDir, f))) throw new RunFolderError(`${opts.outDir}: already holds ${f} (never overwritten; allowed: a folder without it)`);
    }
  }
  const { title, target, svg } = comparisonChart(lines, { title: opts.title });
  const png = svgToPng(svg, { width: PNG_WIDTH });

  const outDir = opts.outDir ?? createExclusiveDir(opts.dataDir ?? 'data', `plot_${timestamp(opts.date ?? new Date())}`);
  const index = { title, metric: 'return_ma', x: 'frame', target, runs: lines.map(({ label, runDir, trial, sessions, points }) => ({ label, runDir, trial, sessions, points })) };
  const files = { svg: join(outDir, COMPARISON_FILES.svg), png: join(outDir, COMPARISON_FILES.png), index: join(outDir, COMPARISON_FILES.index) };
  writeFileAtomic(files.svg, svg);
  writeFileAtomic(files.png, png);
  writeFileAtomic(files.index, jsonText(index));
  return { outDir, files, lines: index.runs };
}
