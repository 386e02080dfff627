/**
 * `gymlab run SPEC_FILE SPEC_NAME search`: the search (the lab's Experiment level) runs in this
 * process, as `gymlab-tune run` runs it, with the same spec, `-s` overrides and data folder; it
 * prints the same lines as gymlab-tune (prefixed `gymlab-tune:`, as when this mode started
 * gymlab-tune as a child process) and exits with the same codes.
 */
import { EXIT, exitForStatus, firstLine, withInterrupt } from '@gymlab/cli-kit';
import type { Io } from '@gymlab/cli-kit';
import type { ProvenanceStatus, RunContextOptions, SearchCommand, SearchPrinter } from '@gymlab/lab';

/** The search's lines name the search command, as they always have. */
const PREFIX = 'gymlab-tune';

export interface SearchArgs {
  readonly specFile: string;
  readonly specName: string;
  readonly sets: readonly string[];
  readonly dataDir: string;
  readonly tensorboard: boolean;
}

/** What the search is given: the command, and the options of its run context. */
export function searchRequest(a: SearchArgs): { readonly command: SearchCommand; readonly ctx: Omit<RunContextOptions, 'log' | 'signal'> } {
  return { command: { kind: 'start', search: { specFile: a.specFile, specName: a.specName, sets: a.sets } }, ctx: { dataDir: a.dataDir, tensorboard: a.tensorboard } };
}

type SearchLab = { readonly searchCommand: (cmd: SearchCommand, print: SearchPrinter, ctx: Omit<RunContextOptions, 'log'>) => Promise<ProvenanceStatus> };

/**
 * Runs the search; resolves to the exit code (0 done, 1 every trial failed, a file that could not
 * be written (one line naming it, as `isWriteFailure` says) or an internal error,
 * 2 bad input as `isBadInput` says, 130 interrupted), errors in one line as gymlab-tune prints them.
 */
export function searchMode(a: SearchArgs, io: Io, lab: SearchLab, isBadInput: (err: unknown) => boolean, isWriteFailure: (err: unknown) => boolean = () => false): Promise<number> {
  const { command, ctx } = searchRequest(a);
  return searchCommandMode(command, ctx, io, lab, isBadInput, isWriteFailure);
}

/**
 * `gymlab run resume SEARCH_FOLDER`: the search continues as `gymlab-tune resume` continues it
 * (finished trials kept, the others run), with the same lines and exit codes as `searchMode`.
 */
export function searchResumeMode(runDir: string, tensorboard: boolean, io: Io, lab: SearchLab, isBadInput: (err: unknown) => boolean, isWriteFailure: (err: unknown) => boolean = () => false): Promise<number> {
  return searchCommandMode({ kind: 'resume', runDir }, { tensorboard }, io, lab, isBadInput, isWriteFailure);
}

async function searchCommandMode(
  command: SearchCommand,
  ctx: Omit<RunContextOptions, 'log' | 'signal'>,
  io: Io,
  lab: SearchLab,
  isBadInput: (err: unknown) => boolean,
  isWriteFailure: (err: unknown) => boolean,
): Promise<number> {
  const print: SearchPrinter = { line: (text) => io.stderr.write(`${PREFIX}: ${text}\n`), out: (text) => io.stdout.write(text) };
  try {
    const status = await withInterrupt(io, { name: PREFIX, stopping: 'stopping the trials and writing what is complete' }, ({ signal }) => lab.searchCommand(command, print, { ...ctx, signal }));
    return exitForStatus(status);
  } catch (err) {
    const bad = isBadInput(err);
    // a full disk names the file it could not write, as gymlab run does (exit 1)
    print.line(bad || isWriteFailure(err) ? firstLine(err) : `internal error: ${firstLine(err)}`);
    return bad ? EXIT.usage : EXIT.internal;
  }
}
