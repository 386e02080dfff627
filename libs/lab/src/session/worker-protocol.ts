/** Messages between a Trial and its session workers (child processes), JSON over IPC. */
import type { Spec } from '@gymlab/spec';
import type { SessionProgress, SessionResult } from './session.js';

/** Parent -> worker: run one session. */
export interface RunSessionRequest {
  readonly type: 'run';
  readonly spec: Spec;
  readonly seed: number;
  readonly dir: string | null;
  readonly trial: number;
  readonly session: number;
  readonly devChecks: boolean;
  /** `SessionOptions.tensorboard`; absent = true (TensorBoard events in `<dir>/tensorboard/`). */
  readonly tensorboard?: boolean;
  /** `SessionOptions.resume`: continue from the session folder's resume checkpoint. */
  readonly resume?: boolean;
}

/** Worker -> parent. */
export type WorkerMessage =
  | { readonly type: 'progress'; readonly progress: SessionProgress }
  | { readonly type: 'result'; readonly result: SessionResult }
  | { readonly type: 'error'; readonly name: string; readonly message: string; readonly stack: string | null };

export function isRunSessionRequest(x: unknown): x is RunSessionRequest {
  return typeof x === 'object' && x !== null && (x as { type?: unknown }).type === 'run';
}

export function isWorkerMessage(x: unknown): x is WorkerMessage {
  const t = typeof x === 'object' && x !== null ? (x as { type?: unknown }).type : undefined;
  return t === 'progress' || t === 'result' || t === 'error';
}
