/**
 * Entry point of a session worker process (`dist/session-worker.js`, forked by the Trial). It
 * receives one `RunSessionRequest`, runs the session, reports progress and the result over IPC,
 * and exits. SIGTERM or SIGINT (Ctrl-C, the trial's stop) stops the session at its next yield;
 * what is complete is written (CSVs, metrics, and the TensorBoard event file, closed with the
 * HParams status `running`) before the process exits. Losing the parent (killed with -9, crashed)
 * exits at the next yield without writing anything more: what a resume needs is in the last
 * checkpoint (rows after it are dropped on resume), and an orphan writing on would race the resume.
 */
import { runSession } from './session.js';
import { isRunSessionRequest } from './worker-protocol.js';
import type { WorkerMessage } from './worker-protocol.js';

const controller = new AbortController();
const stop = (): void => controller.abort();
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
/** Exit code of a worker whose parent is gone. */
const EXIT_ORPHANED = 3;
process.on('disconnect', () => process.exit(EXIT_ORPHANED));

function send(message: WorkerMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.connected || !process.send) {
      resolve();
      return;
    }
    process.send(message, undefined, {}, () => resolve());
  });
}

process.once('message', (request: unknown) => {
  void (async () => {
    let code = 0;
    try {
      if (!isRunSessionRequest(request)) throw new Error('session worker: expected a run request');
      const result = await runSession({
        spec: request.spec,
        seed: request.seed,
        dir: request.dir,
        trial: request.trial,
        session: request.session,
        devChecks: request.devChecks,
        tensorboard: request.tensorboard,
        resume: request.resume,
        signal: controller.signal,
        onProgress: (progress) => void send({ type: 'progress', progress }),
      });
      await send({ type: 'result', result });
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      await send({ type: 'error', name: e.name, message: e.message, stack: e.stack ?? null });
      code = 1;
    }
    process.exit(code);
  })();
});
