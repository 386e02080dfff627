/**
 * `gymlab-tune worker --redis redis://HOST:PORT`: takes trial jobs from the queue, runs each with
 * the lab's `runExperimentTrial` (sessions in child processes, so this process's event loop stays
 * free to renew the job's lock), streams every checkpoint with `job.updateProgress`, stops a trial
 * when its job id arrives on the stop channel, and returns the sessions' rows. Workers write no
 * files. On SIGINT/SIGTERM the worker stops its trials and puts their jobs back in the queue for
 * another worker (`moveToWait`), so a trial is never lost nor counted for a worker that left.
 */
import { WaitingError, Worker } from 'bullmq';
import type { Job } from 'bullmq';
import { runExperimentTrial } from './trial-run.js';
import { resolveSpec } from '@gymlab/spec';
import { withRun } from '../run/context.js';
import type { RunContext } from '../run/context.js';
import { DEFAULT_QUEUE, connectRedis, isTrialJobData, parseStopRequest, stopChannel } from './redis-protocol.js';
import type { TrialJobData, TrialJobResult } from './redis-protocol.js';

export interface WorkerOptions {
  readonly url: string;
  readonly queue?: string;
  /** Trials run at once by this worker (default 1). */
  readonly concurrency?: number;
  /** Sessions of one trial run at once (default: all, bounded by the cores). */
  readonly sessionsPerTrial?: number;
  /** BullMQ lock duration in ms (default 30000); a dead worker's trial is taken over after about twice this. */
  readonly lockMs?: number;
}

/**
 * Runs a worker until `ctx.signal` aborts (it finishes by putting its running jobs back); resolves
 * once it has closed. Trials run with `ctx` (sessions as it says; no run folder: workers write no files).
 */
export async function runWorker(opts: WorkerOptions, ctx: RunContext): Promise<void> {
  const queueName = opts.queue ?? DEFAULT_QUEUE;
  const log = ctx.log;
  const lockMs = opts.lockMs ?? 30_000;
  const connection = await connectRedis(opts.url);
  const subscriber = await connectRedis(opts.url);
  const running = new Map<string, AbortController>();
  let closing = false;

  await subscriber.subscribe(stopChannel(queueName));
  subscriber.on('message', (_channel: string, message: string) => {
    const req = parseStopRequest(message);
    if (req !== null) running.get(req.jobId)?.abort();
  });

  const processor = async (job: Job<TrialJobData, TrialJobResult>, token?: string): Promise<TrialJobResult> => {
    const data: unknown = job.data;
    if (!isTrialJobData(data)) throw new Error(`job ${job.id}: not a gymlab trial job`);
    const { name, ...body } = data.spec;
    const spec = resolveSpec(body, name, { file: `job ${job.id}` });
    const jobId = job.id ?? '';
    const controller = new AbortController();
    running.set(jobId, controller);
    log(`worker ${process.pid}: trial ${data.trial} started (job ${jobId})`);
    try {
      const o = await runExperimentTrial(
        { spec, trial: data.trial, maxWorkers: opts.sessionsPerTrial, onCheckpoint: (c) => void job.updateProgress({ ...c }).catch(() => {}) },
        withRun(ctx, { runDir: null, signal: controller.signal }),
      );
      if (closing && o.result.status !== 'completed') {
        await job.moveToWait(token);
        log(`worker ${process.pid}: trial ${data.trial} put back in the queue (job ${jobId})`);
        throw new WaitingError();
      }
      log(`worker ${process.pid}: trial ${data.trial} ${o.result.status === 'completed' ? 'finished' : 'stopped'} at frame ${o.frame} (job ${jobId})`);
      return {
        finished: o.result.status === 'completed',
        frame: o.frame,
        lastValue: o.lastValue,
        framesUsed: o.framesUsed,
        sessions: o.result.sessions.map((s) => ({ session: s.session, rows: s.rows, evalRows: s.evalRows })),
      };
    } finally {
      running.delete(jobId);
    }
  };

  const worker = new Worker<TrialJobData, TrialJobResult>(queueName, processor, {
    connection,
    concurrency: opts.concurrency ?? 1,
    lockDuration: lockMs,
    stalledInterval: lockMs,
    maxStalledCount: 1,
  });
  worker.on('error', (err) => log(`worker ${process.pid}: ${err.message.split('\n')[0]}`));
  await worker.waitUntilReady();
  log(`worker ${process.pid}: waiting for trials on ${opts.url} queue ${queueName}`);

  await new Promise<void>((resolve) => {
    if (ctx.signal.aborted) resolve();
    ctx.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  closing = true;
  for (const c of running.values()) c.abort();
  await worker.close();
  await subscriber.quit().catch(() => {});
  connection.disconnect();
  log(`worker ${process.pid}: closed`);
}
