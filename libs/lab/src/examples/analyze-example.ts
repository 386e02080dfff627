import { analyzeRun, plotRuns } from '../index.js';
import type { Estimate } from '@gymlab/analysis';

/** Rebuilds a finished run's analysis from its files, then draws it and another run on one chart. */
export function analyzeExample(runDir: string, otherRunDir: string, outDir: string): { iqm: Estimate | null; report: string; chart: readonly string[] } {
  const analysis = analyzeRun(runDir); // metrics JSON, plots/ (SVG + PNG), report.html, from the CSVs alone
  const metrics = analysis.trials[0].metrics; // trial_0/trial_metrics.json: SLM Lab's metrics + statistics
  const iqm = metrics?.final_return_ma?.iqm ?? null; // IQM of the sessions' final return_ma, with its 95% CI
  const chart = plotRuns({ runDirs: [runDir, otherRunDir], title: 'seed 1 vs seed 2', outDir }); // never overwrites
  return { iqm, report: analysis.report.path, chart: Object.values(chart.files) };
}
