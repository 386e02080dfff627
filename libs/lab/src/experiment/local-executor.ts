/**
 * The local executor (default, no server): each trial runs in this process through the lab's
 * `runExperimentTrial`, its sessions in session-worker child processes (at most
 * `sessionsPerTrial` at once), writing straight into the experiment's run folder. Stopping or
 * interrupting a trial SIGTERMs its session workers (SIGKILL after the grace period), so no
 * process outlives the search.
 */
import { runExperimentTrial } from './trial-run.js';
import type { SessionDeps } from '../session/deps.js';
import type { TrialCheckpoint } from './trial-run.js';
import type { TrialExecutor, TrialJob, TrialRun } from './executor.js';

export interface LocalExecutorOptions {
  readonly runDir: string;
  readonly sessionsPerTrial: number;
  /** Run sessions in this process, one after another (tests). */
  readonly inProcess?: boolean;
  readonly deps?: Partial<SessionDeps>;
  readonly workerPath?: string;
  readonly killGraceMs?: number;
  /** Sessions write TensorBoard events (default true). */
  readonly tensorboard?: boolean;
}

export class LocalExecutor implements TrialExecutor {
  readonly kind = 'local' as const;

  constructor(private readonly opts: LocalExecutorOptions) {}

  start(job: TrialJob, onCheckpoint: (c: TrialCheckpoint) => void, interrupt: AbortSignal): TrialRun {
    const controller = new AbortController();
    const forward = (): void => controller.abort();
    interrupt.addEventListener('abort', forward, { once: true });
    if (interrupt.aborted) controller.abort();
    const done = runExperimentTrial({
      spec: job.spec,
      runDir: this.opts.runDir,
      trial: job.trial,
      signal: controller.signal,
      onCheckpoint,
      maxWorkers: this.opts.sessionsPerTrial,
      inProcess: this.opts.inProcess,
      deps: this.opts.deps,
      workerPath: this.opts.workerPath,
      killGraceMs: this.opts.killGraceMs,
      tensorboard: this.opts.tensorboard,
    })
      .then((o) => ({
        finished: o.result.status === 'completed',
        frame: o.frame,
        lastValue: o.lastValue,
        framesUsed: o.framesUsed,
      }))
      .finally(() => interrupt.removeEventListener('abort', forward));
    return { stop: () => controller.abort(), done };
  }

  async close(): Promise<void> {}
}
