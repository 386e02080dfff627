/**
 * Retro-analysis of a run folder (SLM Lab's `retro_analysis`): rebuilds every session's and
 * trial's metrics JSON, trial_metrics.csv, every plot and report.html from spec.json,
 * provenance.json and the sessions' metrics.csv / eval.csv. The same functions run at the end
 * of every run (`runTrial` calls `analyzeTrialFolder`, `runSpec` calls `writeRunReport`), so a
 * finished run analysed again gives byte-identical metrics files.
 *
 * It writes only derived files: spec.json, provenance.json, git.diff, the sessions' CSVs,
 * checkpoints and tensorboard files are read, never written or deleted. In a search folder
 * (experiment.json), report.html is the experiment's (with its plots), experiment.csv,
 * best_spec.json and the experiment plots are rebuilt from experiment.json.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readRunFiles, readTrialFiles } from './analyze-read.js';
import { analyzeTrialFolder } from './analyze-write.js';
import type { TrialFolderAnalysis, WrittenFile } from './analyze-write.js';
import { trialDir } from './run/run-folder.js';
import { writeRunReport } from './report-write.js';
import { EXPERIMENT_FILE, readExperimentState, writeExperimentOutputs } from './experiment/folder.js';

export interface AnalyzeResult {
  readonly runDir: string;
  readonly trials: readonly TrialFolderAnalysis[];
  readonly report: WrittenFile;
  /** Every file written or confirmed (report included), with whether its content changed. */
  readonly files: readonly WrittenFile[];
  /** Session folders without a metrics.csv (nothing could be computed for them). */
  readonly skipped: readonly string[];
}

/**
 * Analyses the run folder `runDir` (see the module comment). Throws `RunFolderError` (one line,
 * naming the folder or file), before writing anything, when it is not a run folder or a saved
 * file is malformed.
 */
export function analyzeRun(runDir: string): AnalyzeResult {
  const run = readRunFiles(runDir);
  // every saved file is read (and checked) before the first write
  for (const t of run.trials) readTrialFiles(trialDir(runDir, t), t, run.spec.meta.rigorous_eval > 0);
  const trials = run.trials.map((t) => analyzeTrialFolder(runDir, t, run.spec));
  // a search folder's report also holds the experiment's plots: rebuild it as the search wrote it
  const report = existsSync(join(runDir, EXPERIMENT_FILE))
    ? (writeExperimentOutputs(runDir, run.spec, readExperimentState(runDir), { report: true }).report as WrittenFile)
    : writeRunReport(runDir);
  return {
    runDir,
    trials,
    report,
    files: [...trials.flatMap((t) => t.files), report],
    skipped: trials.flatMap((t) => t.skipped),
  };
}
