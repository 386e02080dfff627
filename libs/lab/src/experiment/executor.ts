/**
 * Trial executors: where a trial runs. The search driver hands one trial at a time to an executor,
 * hears its checkpoints (the mean over its sessions, for the scheduler), may stop it early, and gets
 * back what the trial's folder holds. `local-executor.ts` runs trials in this process's pool;
 * `redis-executor.ts` queues them in BullMQ for `gymlab-tune worker` processes.
 */
import type { TrialCheckpoint } from './trial-run.js';
import type { Spec } from '@gymlab/spec';

export interface TrialJob {
  readonly trial: number;
  /** The trial's spec (its meta.random_seed is the trial's seed). */
  readonly spec: Spec;
  /** Runs of this trial so far in this experiment (0 on the first run; resumes add one). */
  readonly attempt: number;
  /**
   * Continue the trial's sessions from the checkpoints in its folder (an interrupted trial of a
   * resumed search) instead of starting them at frame 0. Only the local executor is given this:
   * BullMQ workers keep their checkpoints on their own machines.
   */
  readonly resume?: boolean;
}

/**
 * How a trial's run ended. Its sessions' files are in trial_<t> of the experiment's run folder;
 * the driver analyses that folder (metrics, plots) with the experiment's spec.
 */
export interface TrialRunResult {
  /** Every session ran to env.max_frame. */
  readonly finished: boolean;
  /** The last checkpoint every session reached, and the trial's value there. */
  readonly frame: number;
  readonly lastValue: number | null;
  readonly framesUsed: number;
}

export interface TrialRun {
  /** Stop the trial early (scheduler): its sessions stop at their next yield; `done` resolves. */
  stop(): void;
  /** Resolves when the trial has ended and its folder is written; rejects when it failed. */
  readonly done: Promise<TrialRunResult>;
}

export interface TrialExecutor {
  readonly kind: 'local' | 'redis';
  /**
   * Starts a trial. `interrupt` (the search being stopped) ends it too; its result then has
   * `finished: false` and the driver records it as interrupted.
   */
  start(job: TrialJob, onCheckpoint: (c: TrialCheckpoint) => void, interrupt: AbortSignal): TrialRun;
  /** Releases what the executor holds (connections); trials must have ended. */
  close(): Promise<void>;
}
