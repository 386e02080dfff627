/**
 * `gymlab analyze RUN_FOLDER` (SLM Lab's retro-analysis) and `gymlab plot RUN_FOLDER...`
 * (SLM Lab's `plot -f`): thin wrappers over `analyzeRun` and `plotRuns` of `@gymlab/lab`.
 */
import { relative } from 'node:path';
import type { AnalyzeResult, PlotRunsResult } from '@gymlab/lab';
import { formatMetrics, formatStatistics } from './format.js';

/** What `gymlab analyze` prints to stdout. */
export function analyzeSummary(r: AnalyzeResult, status: string | null = null): string {
  const changed = r.files.filter((f) => f.changed).length;
  const lines = [`analyzed: ${r.runDir}`, ...(status === null ? [] : [`status: ${status}`]), `files: ${changed} written, ${r.files.length - changed} already up to date`, `report: ${r.report.path}`];
  for (const t of r.trials) {
    lines.push(`trial ${t.trial} (${t.sessions.length} session(s)):`, ...formatMetrics(t.metrics), ...formatStatistics(t.metrics));
  }
  return `${lines.join('\n')}\n`;
}

/** Warnings of `gymlab analyze` for stderr (session folders without a metrics.csv). */
export function analyzeWarnings(r: AnalyzeResult): string {
  return r.skipped.map((d) => `gymlab: warning: ${d} has no metrics.csv; left out\n`).join('');
}

/** What `gymlab plot` prints to stdout. */
export function plotSummary(r: PlotRunsResult): string {
  const lines = [`plot: ${r.outDir}`];
  for (const l of r.lines) lines.push(`  ${l.label}: trial ${l.trial}, mean of ${l.sessions} session(s), ${l.points} points`);
  for (const f of Object.values(r.files)) lines.push(`  wrote ${relative(r.outDir, f)}`);
  return `${lines.join('\n')}\n`;
}
