/**
 * The local executor (default, no server): each trial runs in this process through the lab's
 * `runExperimentTrial`, its sessions as the run context says (session-worker child processes, at
 * most `sessionsPerTrial` at once), writing straight into the experiment's run folder
 * (`ctx.runDir`). Stopping or interrupting a trial SIGTERMs its session workers (SIGKILL after the
 * grace period), so no process outlives the search.
 */
import { withRun } from '../run/context.js';
import type { RunContext } from '../run/context.js';
import { runExperimentTrial } from './trial-run.js';
import type { TrialCheckpoint } from './trial-run.js';
import type { TrialExecutor, TrialJob, TrialRun } from './executor.js';

export class LocalExecutor implements TrialExecutor {
  readonly kind = 'local' as const;

  /** `ctx`: the experiment's context, its run folder set. */
  constructor(
    private readonly sessionsPerTrial: number,
    private readonly ctx: RunContext,
  ) {}

  start(job: TrialJob, onCheckpoint: (c: TrialCheckpoint) => void, interrupt: AbortSignal): TrialRun {
    const stop = new AbortController();
    const ctx = withRun(this.ctx, { signal: AbortSignal.any([interrupt, stop.signal]) });
    const done = runExperimentTrial({ spec: job.spec, trial: job.trial, onCheckpoint, maxWorkers: this.sessionsPerTrial, resume: job.resume }, ctx).then((o) => ({
      finished: o.result.status === 'completed',
      frame: o.frame,
      lastValue: o.lastValue,
      framesUsed: o.framesUsed,
    }));
    return { stop: () => stop.abort(), done };
  }

  async close(): Promise<void> {}
}
