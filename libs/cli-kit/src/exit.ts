/** Exit codes and the one-line errors of gymlab's commands. */

/** 0 done, 1 internal error, 2 bad input (nothing written), 130 interrupted (SIGINT/SIGTERM). */
export const EXIT = { ok: 0, internal: 1, usage: 2, interrupted: 130 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Where a command writes. */
export interface Io {
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
}

/** Bad command-line usage: one line, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A run's final status as an exit code: completed 0, interrupted 130, anything else (failed) 1. */
export function exitForStatus(status: string): ExitCode {
  return status === 'completed' ? EXIT.ok : status === 'interrupted' ? EXIT.interrupted : EXIT.internal;
}

/**
 * Whether `err` is the user's input being wrong (exit 2) rather than the command failing: a
 * `UsageError`, a file that does not exist or is a folder, or what `more` accepts.
 */
export function isBadInput(err: unknown, more: (err: unknown) => boolean = () => false): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return err instanceof UsageError || code === 'ENOENT' || code === 'EISDIR' || more(err);
}

/** The first line of an error's message (a command prints one line, never a stack trace). */
export function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0];
}
