/**
 * The sessions of a `meta.distributed` trial (SLM Lab's A3C, DPPO, async SAC): `meta.max_session`
 * workers, all at once, each a session with its own env, seed and folder, training one set of global
 * nets whose parameters and optimizer state live in SharedArrayBuffers (see
 * @gymlab/agents distributed/param-sharing.ts). As in SLM Lab, the global nets are made once, by
 * building the agent of session 0 here, and every worker runs `env.max_frame` frames of its own.
 * Workers are threads (`session-thread.ts`), since processes cannot share memory.
 */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { PlanRecorder, allocateSharedParams, stopSharedParams, WorkerSharing } from '@gymlab/agents';
import type { DistributedMode, SharedParams } from '@gymlab/agents';
import type { Spec } from '@gymlab/spec';
import type { RunContext } from '../run/context.js';
import { envOptionsOf } from '../session/deps.js';
import type { SessionDeps } from '../session/deps.js';
import { deriveSessionSeeds, runSession } from '../session/session.js';
import type { SessionResult } from '../session/session.js';
import type { SessionThreadData } from '../session/session-thread.js';
import type { RunSessionRequest } from '../session/worker-protocol.js';
import { isWorkerMessage } from '../session/worker-protocol.js';
import { SessionFailedError } from './trial.js';

/** The session thread entry, `dist/session/session-thread.js` of this package (from dist or from the sources). */
export function defaultThreadPath(): string {
  return fileURLToPath(new URL('../../dist/session/session-thread.js', import.meta.url));
}

/**
 * The shared buffers for `seeds.length` workers: the agent of session 0 is built once here (as
 * SLM Lab builds its global nets), its optimizers' sizes, slots and parameters recorded.
 */
export async function planSharedParams(spec: Spec, mode: DistributedMode, seeds: readonly number[], deps: SessionDeps): Promise<SharedParams> {
  const backend = await deps.initBackend({ gpu: spec.agent.net.gpu, backend: spec.agent.net.backend });
  await deps.prepareEnv(spec.env.name, envOptionsOf(spec.env));
  const env = deps.makeEnv(spec.env.name, envOptionsOf(spec.env));
  try {
    const recorder = new PlanRecorder();
    const agent = deps.createAgent({
      spec,
      observationSpace: env.observationSpace,
      actionSpace: env.actionSpace,
      numEnvs: spec.env.num_envs,
      seed: deriveSessionSeeds(seeds[0]).agent,
      backend,
      devChecks: false,
      sharing: recorder,
    });
    agent.dispose();
    return allocateSharedParams(mode, seeds.length, recorder.regions);
  } finally {
    env.close();
  }
}

export interface SharedSessionsOptions {
  readonly shared: SharedParams;
  /** One request per session, in session order. */
  readonly requests: readonly RunSessionRequest[];
  readonly ctx: RunContext;
  readonly signal: AbortSignal;
  readonly threadPath?: string;
}

/**
 * Runs every session at once, each in a worker thread with its view of `shared` (one session in
 * process when the context runs sessions in process). Resolves with the results in session order
 * (null: stopped before reporting); rejects with the first failure, after stopping the others.
 */
export async function runSharedSessions(o: SharedSessionsOptions): Promise<(SessionResult | null)[]> {
  const { shared, requests, ctx, signal } = o;
  const runner = ctx.sessions;
  if (runner.inProcess) {
    if (requests.length !== 1) throw new Error('meta.distributed with several sessions runs in worker threads, not in process');
    const r = requests[0];
    const sharing = new WorkerSharing(shared, 0);
    try {
      return [await runSession({ ...r, signal, onProgress: ctx.onProgress, deps: runner.deps, sharing })];
    } finally {
      sharing.finish();
    }
  }
  const path = o.threadPath ?? defaultThreadPath();
  const results: (SessionResult | null)[] = requests.map(() => null);
  let failure: SessionFailedError | null = null;
  const workers: Worker[] = [];
  const stopAll = (): void => {
    stopSharedParams(shared);
    for (const w of workers) w.postMessage('stop');
  };
  const onAbort = (): void => {
    stopAll();
    setTimeout(() => {
      for (const w of workers) void w.terminate();
    }, runner.killGraceMs).unref();
  };
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    await Promise.all(
      requests.map(
        (request, s) =>
          new Promise<void>((resolve) => {
            const data: SessionThreadData = { request, shared, worker: s };
            const w = new Worker(path, { workerData: data });
            workers.push(w);
            const fail = (message: string, name: string): void => {
              failure ??= new SessionFailedError(request.session, message, name);
              stopAll();
            };
            w.on('message', (m: unknown) => {
              if (!isWorkerMessage(m)) return;
              if (m.type === 'progress') ctx.onProgress(m.progress);
              else {
                if (m.type === 'result') results[s] = m.result;
                else fail(m.message, m.name);
                void w.terminate();
              }
            });
            w.on('error', (err) => fail(`session ${request.session}: ${err.message}`, err.name));
            w.on('exit', () => resolve());
          }),
      ),
    );
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
  if (failure !== null) throw failure;
  return results;
}
