/**
 * report.html of a run folder: spec, provenance, metrics tables and interactive plots of every
 * trial, rendered by `@gymlab/analysis`'s `renderReport` from the saved files alone.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeTrial, renderReport, reportTrial } from '@gymlab/analysis';
import type { ReportInput, ReportTrial } from '@gymlab/analysis';
import { readRunFiles, readTrialFiles, runLabel } from './analyze-read.js';
import type { RunFiles } from './analyze-read.js';
import { analysisSeed } from './analyze-trial.js';
import { writeIfChanged } from './analyze-write.js';
import type { WrittenFile } from './analyze-write.js';
import { RECORDING_FILE, trialDir } from './run/run-folder.js';

export const REPORT_FILE = 'report.html';

/**
 * The report's input from a run folder's files: one report trial `t<t>` per trial folder with a
 * session row, one report session `s<s>` per session with rows; bootstrap seed
 * `analysisSeed(meta.random_seed)`, the same as trial_metrics.json's intervals.
 */
export function runReportInput(run: RunFiles): ReportInput {
  const seed = analysisSeed(run.spec.meta.random_seed ?? 0);
  const evaluating = run.spec.meta.rigorous_eval > 0;
  const trials: ReportTrial[] = [];
  for (const t of run.trials) {
    const files = readTrialFiles(trialDir(run.dir, t), t, evaluating);
    const entry = reportTrial(`t${t}`, files.sessions, analyzeTrial(files.sessions, { envId: run.spec.env.name, seed, evaluating }));
    if (entry !== null) trials.push(entry);
  }
  const gif = join(run.dir, RECORDING_FILE);
  const recording = existsSync(gif) ? { gif: new Uint8Array(readFileSync(gif)), caption: `${RECORDING_FILE}: an episode of session 0's best checkpoint` } : undefined;
  return { title: runLabel(run.dir), envId: run.spec.env.name, spec: run.spec, provenance: run.provenance, trials, seed, ...(recording === undefined ? {} : { recording }) };
}

/** Writes `<runDir>/report.html` (whole; untouched when its content is the same). */
export function writeRunReport(runDir: string): WrittenFile {
  const input = runReportInput(readRunFiles(runDir));
  return writeIfChanged(join(runDir, REPORT_FILE), renderReport(input));
}
