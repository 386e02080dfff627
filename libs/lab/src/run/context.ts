/**
 * The run context: one typed object made once per command (`createRunContext`) and handed down
 * Experiment -> Trial -> Session. It carries what every level shares and none of them decides:
 * the command line, where run folders go and the run folder being written, the stop signal, the
 * clock, the log and progress sinks, TensorBoard on or off, and how sessions are run (worker
 * processes or in this process, with which env/agent/backend factories). Each level reads what it
 * needs; a level that narrows it (its own run folder, a stop signal of its own, a progress sink
 * that also feeds a scheduler) makes a child context with `withRun`, never a copy of options.
 */
import { availableParallelism } from 'node:os';
import { resolveDeps } from '../session/deps.js';
import type { SessionDeps } from '../session/deps.js';
import type { SessionProgress } from '../session/session.js';
import { defaultWorkerPath } from '../trial/trial.js';

/** How a Trial runs its sessions. */
export interface SessionRunner {
  /** One after another in this process (unit tests) instead of in session worker processes. */
  readonly inProcess: boolean;
  /** The worker entry forked per session (default: the lab's built `session/session-worker.js`). */
  readonly workerPath: string;
  /** Milliseconds a worker gets to write what it has after SIGTERM, before SIGKILL. */
  readonly killGraceMs: number;
  /** Env, agent and backend factories: in-process sessions and the checks before a run use them. */
  readonly deps: SessionDeps;
}

export interface RunContext {
  /** Recorded in provenance.json. */
  readonly commandLine: readonly string[];
  /** Where new run folders are created. */
  readonly dataDir: string;
  /** The run folder being written; null: write nothing (before it exists, or a remote worker). */
  readonly runDir: string | null;
  /** Stops everything below: sessions stop at their next yield and write what is complete. */
  readonly signal: AbortSignal;
  /** Wall-clock time, for the run folder's name and provenance's start and end times. */
  readonly now: () => Date;
  /** One line per event (trial started, stopped early, ...). */
  readonly log: (line: string) => void;
  /** Every session's progress, at each metrics row. */
  readonly onProgress: (progress: SessionProgress) => void;
  /** Sessions write TensorBoard event files into their folders. */
  readonly tensorboard: boolean;
  /** Cores to plan pools for. */
  readonly cores: number;
  readonly sessions: SessionRunner;
}

export interface RunContextOptions {
  readonly commandLine?: readonly string[];
  readonly dataDir?: string;
  readonly signal?: AbortSignal;
  readonly now?: () => Date;
  readonly log?: (line: string) => void;
  readonly onProgress?: (progress: SessionProgress) => void;
  readonly tensorboard?: boolean;
  readonly cores?: number;
  readonly inProcess?: boolean;
  readonly workerPath?: string;
  readonly killGraceMs?: number;
  readonly deps?: Partial<SessionDeps>;
}

const nothing = (): void => {};

/** The context of one command; every option has the default a plain `gymlab run` uses. */
export function createRunContext(o: RunContextOptions = {}): RunContext {
  return {
    commandLine: [...(o.commandLine ?? process.argv)],
    dataDir: o.dataDir ?? 'data',
    runDir: null,
    signal: o.signal ?? new AbortController().signal,
    now: o.now ?? (() => new Date()),
    log: o.log ?? nothing,
    onProgress: o.onProgress ?? nothing,
    tensorboard: o.tensorboard ?? true,
    cores: o.cores ?? availableParallelism(),
    sessions: {
      inProcess: o.inProcess ?? false,
      workerPath: o.workerPath ?? defaultWorkerPath(),
      killGraceMs: o.killGraceMs ?? 5000,
      deps: resolveDeps(o.deps),
    },
  };
}

export interface RunPart {
  /** The run folder this part writes into (null: nothing). */
  readonly runDir?: string | null;
  /** A stop signal of its own; the child stops when either it or the parent's signal aborts. */
  readonly signal?: AbortSignal;
  /** Also called with every session's progress (before the parent's sink). */
  readonly onProgress?: (progress: SessionProgress) => void;
}

/** A child context for one part of the run (see `RunPart`); everything else is the parent's. */
export function withRun(ctx: RunContext, part: RunPart): RunContext {
  const own = part.onProgress;
  return {
    ...ctx,
    runDir: part.runDir === undefined ? ctx.runDir : part.runDir,
    signal: part.signal === undefined ? ctx.signal : AbortSignal.any([ctx.signal, part.signal]),
    onProgress:
      own === undefined
        ? ctx.onProgress
        : (p) => {
            own(p);
            ctx.onProgress(p);
          },
  };
}
