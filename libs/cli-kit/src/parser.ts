/** The yargs setup both commands use, and readers of optional argument values. */
import yargs from 'yargs';
import type { Argv } from 'yargs';
import { UsageError, firstLine } from './exit.js';
import type { Io } from './exit.js';

export interface ParserOptions {
  /** The command's name (`gymlab`). */
  readonly name: string;
  /** The usage text under the first line. */
  readonly description: string;
}

/**
 * A yargs parser for `argv`: positionals stay strings, unknown options and commands are errors,
 * `-h`/`--help`, no `--version`, wrapped to the terminal, never exits the process; a parse error
 * throws a `UsageError` (exit 2). The caller adds its commands and `demandCommand`.
 */
export function commandParser(argv: readonly string[], io: Io, o: ParserOptions): Argv {
  return yargs([...argv])
    .scriptName(o.name)
    .parserConfiguration({ 'parse-positional-numbers': false })
    .usage(`$0 <command> [options]\n\n${o.description}`)
    .strict()
    .help()
    .alias('h', 'help')
    .version(false)
    .wrap(Math.min(110, io.stdout.columns ?? 100))
    .exitProcess(false)
    .fail((msg, err) => {
      throw new UsageError(msg ?? firstLine(err));
    });
}

/** The options of a command that runs a spec, the same in both apps: `.options(SPEC_RUN_OPTIONS)`. */
export const SPEC_RUN_OPTIONS = {
  s: { alias: 'set', type: 'string', describe: 'override a spec key: -s key.path=value (repeatable)', requiresArg: true },
  'data-dir': { type: 'string', default: 'data', describe: 'where run folders are created' },
} as const;

/** A repeatable option's values (absent: none). */
export const strings = (v: unknown): string[] => (v === undefined ? [] : (Array.isArray(v) ? v : [v]).map(String));
export const optString = (v: unknown): string | undefined => (v === undefined ? undefined : String(v));
export const optNumber = (v: unknown): number | undefined => (v === undefined ? undefined : Number(v));
