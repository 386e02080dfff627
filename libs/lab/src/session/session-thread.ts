/**
 * Entry point of a session worker thread (`dist/session/session-thread.js`), for `meta.distributed`
 * trials: unlike the worker processes of ordinary trials, threads can share the trial's parameters
 * (SharedArrayBuffers). It runs one session with its view of the shared parameters, posts progress
 * and the result (or the error) to the trial, and then marks itself finished so that no other worker
 * waits for its turn. The message 'stop' stops the session at its next yield.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { WorkerSharing } from '@gymlab/agents';
import type { SharedParams } from '@gymlab/agents';
import { runSession } from './session.js';
import type { RunSessionRequest, WorkerMessage } from './worker-protocol.js';

/** What a session thread is started with. */
export interface SessionThreadData {
  readonly request: RunSessionRequest;
  readonly shared: SharedParams;
  /** This worker's index in the shared parameters (its session index). */
  readonly worker: number;
}

const port = parentPort;
if (port === null) throw new Error('session-thread: not started as a worker thread');
const data = workerData as SessionThreadData;
const controller = new AbortController();
port.on('message', (m: unknown) => {
  if (m === 'stop') controller.abort();
});
const send = (message: WorkerMessage): void => port.postMessage(message);
const sharing = new WorkerSharing(data.shared, data.worker);

void (async () => {
  try {
    // the request carries the session's options (spec, seed, dir, trial, session, devChecks, tensorboard)
    const result = await runSession({ ...data.request, signal: controller.signal, onProgress: (progress) => send({ type: 'progress', progress }), sharing });
    sharing.finish();
    send({ type: 'result', result });
  } catch (err) {
    sharing.finish();
    const e = err instanceof Error ? err : new Error(String(err));
    send({ type: 'error', name: e.name, message: e.message, stack: e.stack ?? null });
  }
})();
