/**
 * The `gymlab-tune` command: hyperparameter search over a spec's search block (the search itself
 * is `@gymlab/lab`'s Experiment level; this parses arguments and prints).
 *   gymlab-tune run SPEC_FILE SPEC_NAME [-s key=value]... [--dry-run] [--redis URL] [--concurrency N] [--metric NAME]
 *   gymlab-tune resume RUN_FOLDER [--redis URL]
 *   gymlab-tune worker --redis URL [--concurrency N] [--sessions N] [--lock-ms MS]
 * Exit codes: 0 done, 1 internal error (or every trial failed, or a file that could not be
 * written: `cannot write PATH: no space left on device (ENOSPC)`), 2 bad input (nothing written),
 * 130 interrupted (SIGINT/SIGTERM; `resume` continues).
 */
import type { Argv } from 'yargs';
import { EXIT, SPEC_RUN_OPTIONS, UsageError, commandParser, exitForStatus, isBadInput, lazyModule, optNumber, optString, runCommand, strings, withInterrupt } from '@gymlab/cli-kit';
import type { Io } from '@gymlab/cli-kit';

export { EXIT, UsageError, type Io } from '@gymlab/cli-kit';

const NAME = 'gymlab-tune';

interface RunArgs {
  readonly specFile: string;
  readonly specName: string;
  readonly set: readonly string[];
  readonly dataDir: string;
  readonly dryRun: boolean;
  readonly redis?: string;
  readonly queue?: string;
  readonly concurrency?: number;
  readonly metric?: string;
  readonly tensorboard: boolean;
}

type Action =
  | { readonly kind: 'run'; readonly run: RunArgs }
  | { readonly kind: 'resume'; readonly runDir: string; readonly redis?: string; readonly queue?: string; readonly tensorboard: boolean }
  | { readonly kind: 'worker'; readonly redis: string; readonly queue?: string; readonly concurrency: number; readonly sessions?: number; readonly lockMs: number };

/** The lab (and TensorFlow.js) load only for commands that need them, so `--help` starts fast. */
const labModule = lazyModule(() => import('@gymlab/lab'));
const lab = labModule.get;

/** Bad input: also the lab's input errors (spec, env, agent, backend, run folder) and a Redis address that does not answer. */
const badInput = (err: unknown): boolean =>
  isBadInput(err, (e) => {
    const l = labModule.loaded();
    return l !== null && (l.isInputError(e) || e instanceof l.RedisAddressError);
  });

/** A file that could not be written (a full disk, a quota, a read-only file system): one line naming it, exit 1. */
const writeFailure = (err: unknown): boolean => labModule.loaded()?.isWriteFailure(err) === true;

const STOPPING = 'stopping the trials and writing what is complete';


function printer(io: Io): { line: (text: string) => void; out: (text: string) => void } {
  return { line: (text) => io.stderr.write(`${NAME}: ${text}\n`), out: (text) => io.stdout.write(text) };
}

async function runSearch(a: RunArgs, io: Io): Promise<number> {
  const l = await lab();
  if (a.metric !== undefined && !l.isRankMetric(a.metric)) throw new UsageError(`--metric ${a.metric}: unknown metric (allowed: ${l.RANK_METRICS.join(', ')})`);
  const metric = a.metric as import('@gymlab/lab').RankMetric | undefined;
  if (a.dryRun) {
    io.stdout.write(l.formatDryRun(l.dryRunSearch({ specFile: a.specFile, specName: a.specName, sets: a.set, concurrency: a.concurrency, redis: a.redis })));
    return EXIT.ok;
  }
  const search = { specFile: a.specFile, specName: a.specName, sets: a.set, redis: a.redis, queue: a.queue, concurrency: a.concurrency, metric };
  return withInterrupt(io, { name: NAME, stopping: STOPPING }, async ({ signal }) =>
    exitForStatus(await l.searchCommand({ kind: 'start', search }, printer(io), { dataDir: a.dataDir, tensorboard: a.tensorboard, signal })),
  );
}

async function resume(a: Extract<Action, { kind: 'resume' }>, io: Io): Promise<number> {
  const l = await lab();
  return withInterrupt(io, { name: NAME, stopping: STOPPING }, async ({ signal }) =>
    exitForStatus(await l.searchCommand({ kind: 'resume', runDir: a.runDir, search: { redis: a.redis, queue: a.queue } }, printer(io), { tensorboard: a.tensorboard, signal })),
  );
}

async function worker(w: Extract<Action, { kind: 'worker' }>, io: Io): Promise<number> {
  if (!(Number.isInteger(w.concurrency) && w.concurrency >= 1)) throw new UsageError(`--concurrency must be a positive integer (got ${w.concurrency})`);
  if (w.sessions !== undefined && !(Number.isInteger(w.sessions) && w.sessions >= 1)) throw new UsageError(`--sessions must be a positive integer (got ${w.sessions})`);
  if (!(Number.isInteger(w.lockMs) && w.lockMs >= 1000)) throw new UsageError(`--lock-ms must be an integer >= 1000 (got ${w.lockMs})`);
  const l = await lab();
  await withInterrupt(io, { name: NAME, stopping: 'stopping the running trials and putting them back in the queue' }, ({ signal }) =>
    l.runWorker(
      { url: w.redis, queue: w.queue, concurrency: w.concurrency, sessionsPerTrial: w.sessions, lockMs: w.lockMs },
      l.createRunContext({ signal, log: (line) => io.stdout.write(`${line}\n`) }),
    ),
  );
  return EXIT.ok;
}

function parser(argv: readonly string[], io: Io, onAction: (a: Action) => void): Argv {
  return commandParser(argv, io, { name: NAME, description: "Hyperparameter search over a spec's search block: samplers tpe (default), random, grid; ASHA early stopping; local or BullMQ workers." })
    .command(
      'run <SPEC_FILE> <SPEC_NAME>',
      'run a search (the spec needs a search block)',
      (y) =>
        y
          .positional('SPEC_FILE', { type: 'string', describe: 'a JSON or YAML spec file' })
          .positional('SPEC_NAME', { type: 'string', describe: 'the spec in the file' })
          .options(SPEC_RUN_OPTIONS)
          .option('dry-run', { type: 'boolean', default: false, describe: 'print the planned trials and their values; run nothing' })
          .option('redis', { type: 'string', describe: 'queue trials in BullMQ at redis://HOST:PORT for gymlab-tune worker processes', requiresArg: true })
          .option('queue', { type: 'string', describe: 'BullMQ queue name (default gymlab-tune)', requiresArg: true })
          .option('concurrency', { type: 'number', describe: 'at most this many trials at once (local default: cores / meta.search_resources.cpu)', requiresArg: true })
          .option('metric', { type: 'string', describe: 'rank trials by this metric (default final_return_ma_iqm)', requiresArg: true })
          .option('tensorboard', { type: 'boolean', default: true, describe: 'sessions write TensorBoard events (--no-tensorboard: none)' })
          .example('$0 run specs/ppo_cartpole_search.json ppo_cartpole_search', 'TPE + ASHA on the local pool')
          .example('$0 run spec.json name --dry-run -s meta.max_trial=6', 'list the sampled trials')
          .example('$0 run spec.json name --redis redis://127.0.0.1:6379', 'trials run by gymlab-tune worker processes'),
      (x) =>
        onAction({
          kind: 'run',
          run: {
            specFile: String(x.SPEC_FILE),
            specName: String(x.SPEC_NAME),
            set: strings(x.s),
            dataDir: String(x['data-dir']),
            dryRun: Boolean(x['dry-run']),
            redis: optString(x.redis),
            queue: optString(x.queue),
            concurrency: optNumber(x.concurrency),
            metric: optString(x.metric),
            tensorboard: x.tensorboard !== false,
          },
        }),
    )
    .command(
      'resume <RUN_FOLDER>',
      'continue an interrupted search (finished trials are not run again)',
      (y) =>
        y
          .positional('RUN_FOLDER', { type: 'string', describe: 'the search run folder (with experiment.json)' })
          .option('redis', { type: 'string', describe: 'run the remaining trials on BullMQ workers', requiresArg: true })
          .option('queue', { type: 'string', describe: 'BullMQ queue name (default gymlab-tune)', requiresArg: true })
          .option('tensorboard', { type: 'boolean', default: true, describe: 'sessions write TensorBoard events (--no-tensorboard: none)' }),
      (x) => onAction({ kind: 'resume', runDir: String(x.RUN_FOLDER), redis: optString(x.redis), queue: optString(x.queue), tensorboard: x.tensorboard !== false }),
    )
    .command(
      'worker',
      'take trials from a BullMQ queue and run them (any machine with this checkout)',
      (y) =>
        y
          .option('redis', { type: 'string', demandOption: true, describe: 'redis://HOST:PORT', requiresArg: true })
          .option('queue', { type: 'string', describe: 'BullMQ queue name (default gymlab-tune)', requiresArg: true })
          .option('concurrency', { type: 'number', default: 1, describe: 'trials at once' })
          .option('sessions', { type: 'number', describe: "a trial's sessions at once (default: all, bounded by the cores)", requiresArg: true })
          .option('lock-ms', { type: 'number', default: 30_000, describe: "job lock duration; a dead worker's trial moves to another after about twice this" }),
      (x) =>
        onAction({ kind: 'worker', redis: String(x.redis), queue: optString(x.queue), concurrency: Number(x.concurrency), sessions: optNumber(x.sessions), lockMs: Number(x['lock-ms']) }),
    )
    .demandCommand(1, 'give a command: run, resume or worker (see --help)');
}

/** Runs the command line `argv` (without node and script); resolves to the exit code. */
export function main(argv: readonly string[], io: Io = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  return runCommand<Action>(
    NAME,
    io,
    (onAction) => parser(argv, io, onAction),
    (a) => (a.kind === 'run' ? runSearch(a.run, io) : a.kind === 'resume' ? resume(a, io) : worker(a, io)),
    badInput,
    writeFailure,
  );
}
