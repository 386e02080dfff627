/**
 * Ctrl-C: the first SIGINT or SIGTERM aborts the command's signal (the command stops its work and
 * writes what is complete); a second one exits at once with code 130 (child processes stop on
 * their own when their IPC channel closes).
 */
import { EXIT } from './exit.js';
import type { Io } from './exit.js';

export interface InterruptOptions {
  /** The command's name, first on each line. */
  readonly name: string;
  /** What the first signal does, e.g. `stopping the trials and writing what is complete`. */
  readonly stopping: string;
  /** What the second one says, default `exiting without waiting`. */
  readonly again?: string;
}

export interface Interrupt {
  readonly signal: AbortSignal;
  /** The signal received, or null. */
  readonly received: () => NodeJS.Signals | null;
}

/** Runs `body` with SIGINT/SIGTERM trapped as described above; the handlers are removed afterwards. */
export async function withInterrupt<T>(io: Io, o: InterruptOptions, body: (i: Interrupt) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let received: NodeJS.Signals | null = null;
  const onSignal = (sig: NodeJS.Signals): void => {
    if (controller.signal.aborted) {
      io.stderr.write(`${o.name}: ${sig} again: ${o.again ?? 'exiting without waiting'}\n`);
      process.exit(EXIT.interrupted);
    }
    received = sig;
    io.stderr.write(`\n${o.name}: ${sig}: ${o.stopping}...\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await body({ signal: controller.signal, received: () => received });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
