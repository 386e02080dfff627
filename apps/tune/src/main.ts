/**
 * The `gymlab-tune` command: hyperparameter search over a spec's search block.
 *   gymlab-tune run SPEC_FILE SPEC_NAME [-s key=value]... [--dry-run] [--redis URL] [--concurrency N] [--metric NAME]
 *   gymlab-tune resume RUN_FOLDER [--redis URL]
 *   gymlab-tune worker --redis URL [--concurrency N] [--sessions N] [--lock-ms MS]
 * Exit codes: 0 done, 1 internal error (or every trial failed), 2 bad input (nothing written),
 * 130 interrupted (SIGINT/SIGTERM; `resume` continues).
 */
import yargs from 'yargs';
import type { Argv } from 'yargs';
import { SpecError } from '@gymlab/spec';

export const EXIT = { ok: 0, internal: 1, usage: 2, interrupted: 130 } as const;

export interface Io {
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
}

/** Bad command-line usage: one line, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

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

const asStrings = (v: unknown): string[] => (v === undefined ? [] : (Array.isArray(v) ? v : [v]).map(String));
const optString = (v: unknown): string | undefined => (v === undefined ? undefined : String(v));
const optNumber = (v: unknown): number | undefined => (v === undefined ? undefined : Number(v));
const firstLine = (err: unknown): string => (err instanceof Error ? err.message : String(err)).split('\n')[0];

type Lab = typeof import('@gymlab/lab');
type Search = typeof import('@gymlab/lab');
type Protocol = typeof import('@gymlab/lab');
/** The lab (and TensorFlow.js) load only for commands that need them, so `--help` starts fast. */
let labModule: Lab | null = null;
let protocolModule: Protocol | null = null;
async function modules(): Promise<{ lab: Lab; search: Search; protocol: Protocol }> {
  labModule ??= await import('@gymlab/lab');
  protocolModule ??= await import('@gymlab/lab');
  return { lab: labModule, search: await import('@gymlab/lab'), protocol: protocolModule };
}

function isBadInput(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (err instanceof UsageError || err instanceof SpecError || code === 'ENOENT' || code === 'EISDIR') return true;
  if (protocolModule !== null && err instanceof protocolModule.RedisAddressError) return true;
  return labModule !== null && labModule.isInputError(err);
}

/** SIGINT/SIGTERM abort `controller`; a second one exits at once (child processes stop on their own when their IPC channel closes). */
function trapSignals(io: Io, controller: AbortController, what: string): () => void {
  const onSignal = (sig: NodeJS.Signals): void => {
    if (controller.signal.aborted) {
      io.stderr.write(`gymlab-tune: ${sig} again: exiting without waiting\n`);
      process.exit(EXIT.interrupted);
    }
    io.stderr.write(`\ngymlab-tune: ${sig}: ${what}...\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}

/** Progress: event lines as they happen; the progress view when a trial ends, else at most every `everyMs`. */
function reporter(io: Io, maxFrame: () => number, everyMs = 15_000): { log: (line: string) => void; onProgress: (p: import('@gymlab/lab').ExperimentProgress) => void } {
  let last = Date.now();
  let lastDone = -1;
  return {
    log: (line) => io.stderr.write(`gymlab-tune: ${line}\n`),
    onProgress: (p) => {
      const done = p.completed + p.stopped + p.failed;
      const now = Date.now();
      if (done === lastDone && now - last < everyMs) return;
      io.stderr.write(`gymlab-tune: ${labModule!.formatExperimentProgress(p, maxFrame())}\n`);
      last = now;
      lastDone = done;
    },
  };
}

async function runCommand(a: RunArgs, io: Io): Promise<number> {
  const { lab, search } = await modules();
  if (a.metric !== undefined && !lab.isRankMetric(a.metric)) throw new UsageError(`--metric ${a.metric}: unknown metric (allowed: ${lab.RANK_METRICS.join(', ')})`);
  const metric = a.metric as import('@gymlab/lab').RankMetric | undefined;
  if (a.dryRun) {
    const { formatDryRun } = await import('@gymlab/lab');
    const d = search.dryRunSearch({ specFile: a.specFile, specName: a.specName, sets: a.set, concurrency: a.concurrency, redis: a.redis });
    io.stdout.write(formatDryRun(d));
    return EXIT.ok;
  }
  const controller = new AbortController();
  const untrap = trapSignals(io, controller, 'stopping the trials and writing what is complete');
  let maxFrame = 0;
  const rep = reporter(io, () => maxFrame);
  try {
    const r = await search.startSearch({
      specFile: a.specFile,
      specName: a.specName,
      sets: a.set,
      dataDir: a.dataDir,
      redis: a.redis,
      queue: a.queue,
      concurrency: a.concurrency,
      metric,
      tensorboard: a.tensorboard,
      signal: controller.signal,
      commandLine: process.argv,
      log: rep.log,
      onProgress: rep.onProgress,
      onStart: ({ runDir, plan, state }) => {
        maxFrame = plan.spec.env.max_frame;
        for (const n of plan.notices) io.stderr.write(`gymlab-tune: ${n}\n`);
        io.stderr.write(
          `gymlab-tune: search ${plan.spec.name}: sampler ${plan.sampler}, ${plan.trialCount} trial(s) x ${plan.spec.meta.max_session} session(s), ${plan.scheduler === null ? 'no scheduler' : 'ASHA'}, ${state.concurrency} at once on ${state.executor}, seed ${state.base_seed} -> ${runDir}\n`,
        );
      },
    });
    return await finish(r.runDir, r.state, io);
  } finally {
    untrap();
  }
}

async function finish(runDir: string, state: import('@gymlab/lab').ExperimentState, io: Io): Promise<number> {
  const { formatSummary } = await import('@gymlab/lab');
  io.stdout.write(formatSummary(runDir, state));
  if (state.status === 'interrupted') return EXIT.interrupted;
  return state.status === 'completed' ? EXIT.ok : EXIT.internal;
}

async function resumeCommand(a: Extract<Action, { kind: 'resume' }>, io: Io): Promise<number> {
  const { runDir, redis, queue } = a;
  const { lab, search } = await modules();
  const state0 = lab.readExperimentState(runDir);
  if (state0.status === 'completed') {
    io.stdout.write(`${runDir}: the search is already complete (${state0.trials.length} trials); nothing to resume\n`);
    return EXIT.ok;
  }
  const controller = new AbortController();
  const untrap = trapSignals(io, controller, 'stopping the trials and writing what is complete');
  let maxFrame = 0;
  const rep = reporter(io, () => maxFrame);
  try {
    const r = await search.resumeSearch(runDir, {
      redis,
      queue,
      tensorboard: a.tensorboard,
      signal: controller.signal,
      commandLine: process.argv,
      log: rep.log,
      onProgress: rep.onProgress,
      onStart: ({ plan, state }) => {
        maxFrame = plan.spec.env.max_frame;
        const done = state.trials.filter((t) => t.status === 'completed' || t.status === 'stopped' || t.status === 'failed').length;
        io.stderr.write(`gymlab-tune: resuming ${runDir}: ${done}/${state.trial_count} trials finished, the rest run now\n`);
      },
    });
    return await finish(r.runDir, r.state, io);
  } finally {
    untrap();
  }
}

async function workerCommand(w: Extract<Action, { kind: 'worker' }>, io: Io): Promise<number> {
  if (!(Number.isInteger(w.concurrency) && w.concurrency >= 1)) throw new UsageError(`--concurrency must be a positive integer (got ${w.concurrency})`);
  if (w.sessions !== undefined && !(Number.isInteger(w.sessions) && w.sessions >= 1)) throw new UsageError(`--sessions must be a positive integer (got ${w.sessions})`);
  if (!(Number.isInteger(w.lockMs) && w.lockMs >= 1000)) throw new UsageError(`--lock-ms must be an integer >= 1000 (got ${w.lockMs})`);
  await modules();
  const { runWorker } = await import('@gymlab/lab');
  const controller = new AbortController();
  const untrap = trapSignals(io, controller, 'stopping the running trials and putting them back in the queue');
  try {
    await runWorker({
      url: w.redis,
      queue: w.queue,
      concurrency: w.concurrency,
      sessionsPerTrial: w.sessions,
      lockMs: w.lockMs,
      signal: controller.signal,
      log: (line) => io.stdout.write(`${line}\n`),
    });
    return EXIT.ok;
  } finally {
    untrap();
  }
}

function parser(argv: readonly string[], io: Io, onAction: (a: Action) => void): Argv {
  return yargs([...argv])
    .scriptName('gymlab-tune')
    .parserConfiguration({ 'parse-positional-numbers': false })
    .usage('$0 <command> [options]\n\nHyperparameter search over a spec\'s search block: samplers tpe (default), random, grid; ASHA early stopping; local or BullMQ workers.')
    .command(
      'run <SPEC_FILE> <SPEC_NAME>',
      'run a search (the spec needs a search block)',
      (y) =>
        y
          .positional('SPEC_FILE', { type: 'string', describe: 'a JSON or YAML spec file' })
          .positional('SPEC_NAME', { type: 'string', describe: 'the spec in the file' })
          .option('s', { alias: 'set', type: 'string', describe: 'override a spec key: -s key.path=value (repeatable)', requiresArg: true })
          .option('data-dir', { type: 'string', default: 'data', describe: 'where run folders are created' })
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
            set: asStrings(x.s),
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
    .demandCommand(1, 'give a command: run, resume or worker (see --help)')
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

/** Runs the command line `argv` (without node and script); resolves to the exit code. */
export async function main(argv: readonly string[], io: Io = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  let action: Action | null = null;
  try {
    await parser(argv, io, (a) => {
      action = a;
    }).parseAsync();
    const chosen = action as Action | null;
    if (chosen === null) return EXIT.ok; // --help was shown
    if (chosen.kind === 'run') return await runCommand(chosen.run, io);
    if (chosen.kind === 'resume') return await resumeCommand(chosen, io);
    return await workerCommand(chosen, io);
  } catch (err) {
    if (isBadInput(err)) {
      io.stderr.write(`gymlab-tune: ${firstLine(err)}\n`);
      return EXIT.usage;
    }
    io.stderr.write(`gymlab-tune: internal error: ${firstLine(err)}\n`);
    return EXIT.internal;
  }
}
