/** Text the tune command prints: the dry-run listing, the final summary with the experiment table's top rows. */
import { join } from 'node:path';
import { BEST_SPEC_FILE, EXPERIMENT_CSV } from './folder.js';
import { REPORT_FILE } from '../report-write.js';
import { bestTrial, experimentRows, rankValue } from './table.js';
import type { ExperimentState } from './folder.js';
import type { DryRunResult } from './search.js';

/** A value for a table cell: numbers to 6 significant digits, the rest as JSON. */
export function cell(v: unknown): string {
  if (v === null || v === undefined) return '-';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : Number(v.toPrecision(6)).toString();
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

/** Aligned columns (two spaces apart), header first. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: readonly string[]): string => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [line(header), ...rows.map(line)];
}

/** The dry-run listing: the plan in one line, notices, then one row per known trial. */
export function formatDryRun(d: DryRunResult): string {
  const p = d.plan;
  const sched = p.scheduler === null ? 'none' : `ASHA (grace_period ${p.scheduler.gracePeriod}, reduction_factor ${p.scheduler.reductionFactor}, max_t ${p.scheduler.maxT} frames)`;
  const lines = [
    `dry run: ${p.spec.name} from ${p.specFile}: sampler ${p.sampler}, ${p.trialCount} trial(s) x ${p.spec.meta.max_session} session(s), scheduler ${sched}, ${d.concurrency} trial(s) at once`,
    `base seed ${d.baseSeed}${d.seedDrawn ? ` (drawn: pass -s meta.random_seed=${d.baseSeed} to get these values again)` : ''}`,
    ...p.notices,
    ...table(
      ['trial', 'seed', ...p.hyperparameters],
      d.trials.map((t) => [String(t.trial), String(t.seed), ...p.hyperparameters.map((h) => cell(t.values[h]))]),
    ),
  ];
  if (d.trials.length < p.trialCount) {
    lines.push(`(trials ${d.trials.length}..${p.trialCount - 1} are proposed by ${p.sampler} from the results of earlier trials; nothing was run)`);
  } else {
    lines.push('(nothing was run)');
  }
  return `${lines.join('\n')}\n`;
}

/** The final summary: folder, status, counts, wall clock, the best trial and the top of the table. */
export function formatSummary(runDir: string, state: ExperimentState, top = 10): string {
  const count = (s: string): number => state.trials.filter((t) => t.status === s).length;
  const lines = [
    `run folder: ${runDir}`,
    `status: ${state.status} (${state.trials.length}/${state.trial_count} trials: ${count('completed')} completed, ${count('stopped')} stopped early, ${count('failed')} failed, ${count('interrupted') + count('pending')} to run; wall clock ${state.wall_time.toFixed(1)} s)`,
  ];
  const best = bestTrial(state.trials, state.metric);
  if (best !== null) {
    lines.push(`best: trial ${best.trial} (seed ${best.seed}), ${state.metric} ${cell(rankValue(best.metrics, state.metric))}, total_reward_ma ${cell(best.metrics?.total_reward_ma)}`);
    for (const h of state.hyperparameters) lines.push(`  ${h} = ${cell(best.values[h])}`);
    lines.push(`best spec: ${join(runDir, BEST_SPEC_FILE)} (gymlab run ${join(runDir, BEST_SPEC_FILE)} ${state.spec_name} train)`);
  }
  const rows = experimentRows(state.trials, state.hyperparameters, state.metric).slice(0, top);
  const cols = ['rank', 'trial', 'status', 'rank_value', 'frame', 'frames_used', ...state.hyperparameters];
  lines.push(`experiment table (${EXPERIMENT_CSV}, ranked by ${state.metric}; top ${rows.length} of ${state.trials.length}):`);
  lines.push(...table(cols, rows.map((r) => cols.map((c) => cell(r[c])))).map((l) => `  ${l}`));
  failedLines(state).forEach((l) => lines.push(l));
  if (state.status !== 'running') lines.push(`report: ${join(runDir, REPORT_FILE)}`);
  if (state.status === 'interrupted') lines.push(`resume with: gymlab-tune resume ${runDir}`);
  return `${lines.join('\n')}\n`;
}

function failedLines(state: ExperimentState): string[] {
  return state.trials.filter((t) => t.status === 'failed').map((t) => `trial ${t.trial} failed: ${t.error ?? 'unknown error'}`);
}
