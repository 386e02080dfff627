/**
 * A trial executor for driver tests: no sessions, no processes. A trial's value at frame f is
 * `objective(values) * f / max_frame`, reported every `log_frequency` frames, one checkpoint per
 * event-loop turn (after `delay(trial)` turns, to shuffle the order in which trials finish).
 */
import type { TrialCheckpoint } from '../experiment/trial-run.js';
import type { TrialMetricsRecord } from '../analyze-trial.js';
import type { TrialExecutor, TrialJob, TrialRun, TrialRunResult } from '../experiment/executor.js';

export type Objective = (values: Readonly<Record<string, unknown>>) => number;

/** Trial metrics whose only value is total_reward_ma (the default rank metric falls back to it). */
export function fakeMetrics(value: number | null): TrialMetricsRecord {
  return {
    frame: 0,
    total_reward_ma: value,
    strength: null,
    max_strength: null,
    final_strength: null,
    sample_efficiency: null,
    training_efficiency: null,
    stability: null,
    consistency: null,
    final_return_ma: null,
    bootstrap: { seed: 0, reps: 1, confidence: 0.95 },
    target_return: null,
    frames_to_target: null,
    seconds_to_target: null,
    sessions_reached_target: null,
    sessions_to_target: [],
  };
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class FakeExecutor implements TrialExecutor {
  readonly kind = 'local' as const;
  /** Every start, in order. */
  readonly started: { trial: number; values: Readonly<Record<string, unknown>> }[] = [];
  /** Trials whose stop() was called. */
  readonly stopped: number[] = [];
  /** The last value each trial reported, by trial. */
  readonly last = new Map<number, number | null>();
  closed = false;

  constructor(
    private readonly objective: Objective,
    private readonly opts: { readonly delay?: (trial: number) => number; readonly valuesOf: (job: TrialJob) => Readonly<Record<string, unknown>>; readonly fail?: (trial: number) => boolean; readonly failure?: (trial: number) => Error },
  ) {}

  start(job: TrialJob, onCheckpoint: (c: TrialCheckpoint) => void, interrupt: AbortSignal): TrialRun {
    const values = this.opts.valuesOf(job);
    this.started.push({ trial: job.trial, values });
    let stop = false;
    const maxFrame = job.spec.env.max_frame;
    const every = job.spec.meta.log_frequency;
    const final = this.objective(values);
    const done = (async (): Promise<TrialRunResult> => {
      for (let i = 0; i < (this.opts.delay?.(job.trial) ?? 0); i++) await turn();
      if (this.opts.fail?.(job.trial)) throw this.opts.failure?.(job.trial) ?? new Error(`session 0 worker exited (code 1) without a result: trial ${job.trial}`);
      let frame = 0;
      let last: number | null = null;
      while (frame < maxFrame && !stop && !interrupt.aborted) {
        await turn();
        frame += every;
        last = (final * frame) / maxFrame;
        onCheckpoint({ trial: job.trial, frame, value: last });
      }
      await turn();
      this.last.set(job.trial, last);
      return { finished: frame >= maxFrame, frame, lastValue: last, framesUsed: frame * job.spec.meta.max_session };
    })();
    return {
      stop: () => {
        stop = true;
        this.stopped.push(job.trial);
      },
      done,
    };
  }

  /** The driver's `analyzeTrial` for this executor: total_reward_ma = the trial's last value. */
  readonly analyze = (_runDir: string, trial: number): TrialMetricsRecord => fakeMetrics(this.last.get(trial) ?? null);

  async close(): Promise<void> {
    this.closed = true;
  }
}
