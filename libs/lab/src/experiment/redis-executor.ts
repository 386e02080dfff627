/**
 * The BullMQ executor (`--redis redis://HOST:PORT`): each trial becomes a job with the id
 * `<experiment>-t<trial>-r<resumes>` on the queue; `gymlab-tune worker` processes on any machine
 * take jobs, run them and stream each checkpoint back with `job.updateProgress`, which reaches this
 * process through `QueueEvents`. A scheduler stop is published on the queue's stop channel; the
 * worker stops the trial and returns normally (the job completes, it is not retried). A worker
 * that dies mid-trial loses its lock: BullMQ's stalled-job check puts the job back in the queue and
 * another worker runs it from the start (same seeds, same result); the job completes once, so the
 * trial is counted once. Its rows come back as the job's return value and are written into the
 * experiment's run folder here (the driver then analyses the trial folder).
 */
import { Queue, QueueEvents } from 'bullmq';
import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { writeRemoteSessions } from './trial-run.js';
import type { TrialCheckpoint } from './trial-run.js';
import type { TrialExecutor, TrialJob, TrialRun, TrialRunResult } from './executor.js';
import { DEFAULT_QUEUE, JOB_FORMAT, connectRedis, isTrialCheckpoint, isTrialJobResult, stopChannel, trialJobId } from './redis-protocol.js';
import type { TrialJobData, TrialJobResult } from './redis-protocol.js';

export interface RedisExecutorOptions {
  readonly url: string;
  readonly queue?: string;
  readonly runDir: string;
  /** The experiment's id (experiment.json). */
  readonly experiment: string;
}

/** After an interrupt, how long to wait for a running trial's worker to stop it and answer. */
const INTERRUPT_WAIT_MS = 15_000;
const INTERRUPTED: TrialRunResult = { finished: false, frame: 0, lastValue: null, framesUsed: 0 };

export class RedisExecutor implements TrialExecutor {
  readonly kind = 'redis' as const;
  private readonly progress = new Map<string, (c: TrialCheckpoint) => void>();
  private runDir: string;

  private constructor(
    private readonly opts: RedisExecutorOptions,
    private readonly queueName: string,
    private readonly queue: Queue<TrialJobData, TrialJobResult>,
    private readonly events: QueueEvents,
    private readonly publisher: Redis,
    private readonly clients: readonly Redis[],
  ) {
    this.runDir = opts.runDir;
    events.on('progress', ({ jobId, data }) => {
      if (isTrialCheckpoint(data)) this.progress.get(jobId)?.(data);
    });
  }

  /** Connects (a `RedisAddressError` when the server does not answer) and waits until events flow. */
  static async connect(opts: RedisExecutorOptions): Promise<RedisExecutor> {
    const queueName = opts.queue ?? DEFAULT_QUEUE;
    const [a, b, c] = [await connectRedis(opts.url), await connectRedis(opts.url), await connectRedis(opts.url)];
    const queue = new Queue<TrialJobData, TrialJobResult>(queueName, { connection: a });
    const events = new QueueEvents(queueName, { connection: b });
    await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
    return new RedisExecutor(opts, queueName, queue, events, c, [a, b, c]);
  }

  /** The experiment's run folder, once it exists (trial folders are written there). */
  setRunDir(runDir: string): void {
    this.runDir = runDir;
  }

  start(job: TrialJob, onCheckpoint: (c: TrialCheckpoint) => void, interrupt: AbortSignal): TrialRun {
    const jobId = trialJobId(this.opts.experiment, job.trial, job.attempt);
    const stop = (): void => void this.publisher.publish(stopChannel(this.queueName), JSON.stringify({ jobId })).catch(() => {});
    this.progress.set(jobId, onCheckpoint);
    const done = (async (): Promise<TrialRunResult> => {
      const data: TrialJobData = { format: JOB_FORMAT, version: 1, experiment: this.opts.experiment, trial: job.trial, spec: job.spec };
      const queued: Job<TrialJobData, TrialJobResult> = await this.queue.add('trial', data, {
        jobId,
        attempts: 1,
        removeOnComplete: { age: 7 * 24 * 3600 },
        removeOnFail: { age: 7 * 24 * 3600 },
      });
      let onInterrupt: (() => void) | null = null;
      const interrupted = new Promise<'interrupted'>((resolve) => {
        onInterrupt = (): void => {
          void (async () => {
            // not started yet: take it off the queue; running: ask its worker to stop it
            const removed = await queued.remove().then(
              () => true,
              () => false,
            );
            if (removed) resolve('interrupted');
            else {
              stop();
              // a worker that does not answer (none left, or dead) must not hold the search: give up waiting
              setTimeout(() => resolve('interrupted'), INTERRUPT_WAIT_MS).unref();
            }
          })();
        };
        interrupt.addEventListener('abort', onInterrupt, { once: true });
        if (interrupt.aborted) onInterrupt();
      });
      try {
        const outcome = await Promise.race([queued.waitUntilFinished(this.events), interrupted]);
        if (outcome === 'interrupted') return INTERRUPTED;
        if (!isTrialJobResult(outcome)) throw new Error(`job ${jobId}: malformed result from the worker`);
        writeRemoteSessions(this.runDir, job.trial, job.spec.meta.rigorous_eval > 0, outcome.sessions);
        return { finished: outcome.finished, frame: outcome.frame, lastValue: outcome.lastValue, framesUsed: outcome.framesUsed };
      } finally {
        if (onInterrupt !== null) interrupt.removeEventListener('abort', onInterrupt);
        this.progress.delete(jobId);
      }
    })();
    return { stop, done };
  }

  async close(): Promise<void> {
    await this.events.close();
    await this.queue.close();
    for (const c of this.clients) c.disconnect();
  }
}
