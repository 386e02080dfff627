/** The top of a command: parse, run the chosen action, turn errors into one line and an exit code. */
import type { Argv } from 'yargs';
import { EXIT, firstLine } from './exit.js';
import type { Io } from './exit.js';

/**
 * Parses with `parser` (whose command handlers record an action), runs `act` on it, and resolves
 * to the exit code: `act`'s, 0 when no action was chosen (`--help`), 2 with one line
 * `<name>: <message>` when `isBadInput(err)`, 1 with the same one line when `isWriteFailure(err)`
 * (a file that could not be written: `cannot write PATH: no space left on device (ENOSPC)`, not a
 * bug of the command's), else 1 with `<name>: internal error: <message>`.
 */
export async function runCommand<A>(
  name: string,
  io: Io,
  parser: (onAction: (a: A) => void) => Argv,
  act: (a: A) => Promise<number> | number,
  isBadInput: (err: unknown) => boolean,
  isWriteFailure: (err: unknown) => boolean = () => false,
): Promise<number> {
  try {
    let action: { readonly a: A } | null = null;
    await parser((a) => {
      action = { a };
    }).parseAsync();
    const chosen = action as { readonly a: A } | null;
    return chosen === null ? EXIT.ok : await act(chosen.a);
  } catch (err) {
    if (isBadInput(err)) {
      io.stderr.write(`${name}: ${firstLine(err)}\n`);
      return EXIT.usage;
    }
    if (isWriteFailure(err)) {
      io.stderr.write(`${name}: ${firstLine(err)}\n`);
      return EXIT.internal;
    }
    io.stderr.write(`${name}: internal error: ${firstLine(err)}\n`);
    return EXIT.internal;
  }
}
