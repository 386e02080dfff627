/**
 * The local executor (default, no server): each trial runs in this process through the lab's
 * `runExperimentTrial`, its sessions in session-worker child processes (at most
 * `sessionsPerTrial` at once), writing straight into the experiment's run folder. Stopping or
 * interrupting a trial SIGTERMs its session workers (SIGKILL after the grace period), so no
 * process outlives the search.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runExperimentTrial } from '@gymlab/lab';
import type { SessionDeps, TrialCheckpoint } from '@gymlab/lab';
import type { TrialExecutor, TrialJob, TrialRun } from './executor.js';

/**
 * The lab's built session worker, `dist/session-worker.js` of the installed @gymlab/lab package
 * (the nearest `node_modules/@gymlab/lab` above this file, as Node resolves it), so that code run
 * from sources (tests) forks the built worker too.
 */
export function labWorkerPath(): string {
  for (let d = dirname(fileURLToPath(import.meta.url)); ; d = dirname(d)) {
    const pkg = join(d, 'node_modules', '@gymlab', 'lab');
    if (existsSync(join(pkg, 'package.json'))) return join(pkg, 'dist', 'session-worker.js');
    if (dirname(d) === d) throw new Error('@gymlab/lab is not installed (run npm install)');
  }
}

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
      workerPath: this.opts.inProcess ? undefined : (this.opts.workerPath ?? labWorkerPath()),
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
