/**
 * @gymlab/cli-kit: what gymlab's command-line apps (`gymlab`, `gymlab-tune`) share: exit codes,
 * the usage error, the yargs setup, the top-level error handling, and Ctrl-C handling. Depends on
 * no other gymlab lib. Helpers to test a command's bin are in `@gymlab/cli-kit/testing`.
 */
export { EXIT, UsageError, exitForStatus, firstLine, isBadInput, type ExitCode, type Io } from './exit.js';
export { lazyModule, type Lazy } from './lazy.js';
export { SPEC_RUN_OPTIONS, commandParser, optNumber, optString, strings, type ParserOptions } from './parser.js';
export { runCommand } from './run-command.js';
export { withInterrupt, type Interrupt, type InterruptOptions } from './signals.js';
export { ProgressReporter, formatDuration, type ProgressOptions, type ProgressSample } from './progress.js';
