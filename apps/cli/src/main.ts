/**
 * The `gymlab` command (run, validate, analyze, plot): parse arguments, call the libs, print.
 * Exit codes: 0 done, 1 internal error, 2 bad input (nothing written), 130 interrupted (SIGINT/SIGTERM).
 */
import yargs from 'yargs';
import type { Argv } from 'yargs';
import type { RunResult } from '@gymlab/lab';
import { SpecError, loadSpec, loadSpecFile } from '@gymlab/spec';
import { analyzeSummary, analyzeWarnings, plotSummary } from './analyze-commands.js';
import { formatMetrics, formatStatistics } from './format.js';
import { RUN_MODES, UsageError, planRun } from './plan.js';
import { ProgressReporter } from './progress.js';
import { runSearchMode } from './search-mode.js';

export const EXIT = { ok: 0, internal: 1, usage: 2, interrupted: 130 } as const;

export interface Io {
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
}

interface RunArgs {
  readonly args: readonly string[];
  readonly set: readonly string[];
  readonly dataDir: string;
  readonly episodes: number;
  readonly tensorboard: boolean;
}

interface PlotArgs {
  readonly runDirs: readonly string[];
  readonly title?: string;
  readonly out?: string;
  readonly dataDir: string;
}

type Action =
  | { readonly kind: 'run'; readonly run: RunArgs }
  | { readonly kind: 'validate'; readonly file: string; readonly name?: string }
  | { readonly kind: 'analyze'; readonly runDir: string }
  | { readonly kind: 'plot'; readonly plot: PlotArgs };

const asStrings = (v: unknown): string[] => (v === undefined ? [] : (Array.isArray(v) ? v : [v]).map(String));

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0];
}

type Lab = typeof import('@gymlab/lab');
/** The lab (and with it TensorFlow.js) loads only for the commands that need it, so `validate` and `--help` start fast. */
let labModule: Lab | null = null;
async function lab(): Promise<Lab> {
  labModule ??= await import('@gymlab/lab');
  return labModule;
}

function isBadInput(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (err instanceof UsageError || err instanceof SpecError || code === 'ENOENT' || code === 'EISDIR') return true;
  return labModule !== null && (labModule.isInputError(err) || err instanceof labModule.CheckpointError);
}

function summary(result: RunResult): string {
  const t = result.trial;
  const frames = t.sessions.reduce((a, s) => a + s.frames, 0);
  const lines = [
    `run folder: ${result.runDir}`,
    `status: ${result.status} (${t.sessions.length}/${result.spec.meta.max_session} sessions reported, ${frames} frames, backend ${result.provenance.backend ?? '?'}, seed ${result.spec.meta.random_seed})`,
    `report: ${result.reportFile}`,
    'trial metrics:',
    ...formatMetrics(t.metrics),
    ...formatStatistics(t.metrics),
  ];
  if (t.evalMetrics !== null) lines.push('trial eval metrics:', ...formatMetrics(t.evalMetrics));
  return `${lines.join('\n')}\n`;
}

async function runCommand(run: RunArgs, io: Io): Promise<number> {
  const plan = planRun(run.args);
  if (plan.kind === 'search') return runSearchMode({ specFile: plan.specFile, specName: plan.specName, sets: run.set, dataDir: run.dataDir, tensorboard: run.tensorboard });
  if (plan.kind === 'enjoy') {
    if (!Number.isInteger(run.episodes) || run.episodes < 1) throw new UsageError(`--episodes must be a positive integer (got ${run.episodes})`);
    const r = await (await lab()).enjoy({ path: plan.path, episodes: run.episodes });
    const mean = r.returns.reduce((a, b) => a + b, 0) / r.returns.length;
    io.stdout.write(
      [
        `enjoy: ${r.spec.name} from ${r.checkpointDir} (frame ${r.checkpoint.frame})`,
        ...r.returns.map((x, i) => `episode ${i + 1}: return ${x}`),
        `mean return over ${r.returns.length} episodes: ${mean}`,
      ].join('\n') + '\n',
    );
    return EXIT.ok;
  }

  const controller = new AbortController();
  let signalName: string | null = null;
  const onSignal = (sig: NodeJS.Signals): void => {
    if (controller.signal.aborted) {
      // a second Ctrl-C: leave now; workers see their IPC channel close and stop on their own
      io.stderr.write(`gymlab: ${sig} again: exiting without waiting for the workers\n`);
      process.exit(EXIT.interrupted);
    }
    signalName = sig;
    io.stderr.write(`\ngymlab: ${sig}: stopping workers and writing what is complete...\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let reporter: ProgressReporter | null = null;
  try {
    const { runSpec } = await lab();
    const result = await runSpec({
      specFile: plan.specFile,
      specName: plan.specName,
      mode: plan.kind,
      sets: run.set,
      dataDir: run.dataDir,
      tensorboard: run.tensorboard,
      signal: controller.signal,
      commandLine: process.argv,
      onStart: ({ runDir, spec }) => {
        io.stderr.write(`gymlab: ${plan.kind} ${spec.name} (${spec.meta.max_session} session(s) x ${spec.env.max_frame} frames) -> ${runDir}\n`);
        reporter = new ProgressReporter({ sessions: spec.meta.max_session, maxFrame: spec.env.max_frame, stream: io.stderr });
      },
      onProgress: (p) => reporter?.update(p),
    });
    (reporter as ProgressReporter | null)?.finish();
    io.stdout.write(summary(result));
    return signalName !== null || result.status !== 'completed' ? EXIT.interrupted : EXIT.ok;
  } catch (err) {
    (reporter as ProgressReporter | null)?.finish();
    if (signalName !== null && !isBadInput(err)) {
      io.stderr.write(`gymlab: interrupted (${firstLine(err)})\n`);
      return EXIT.interrupted;
    }
    throw err;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function validateCommand(file: string, name: string | undefined, io: Io): number {
  if (name !== undefined) {
    loadSpec(file, name);
    io.stdout.write(`OK ${file} ${name}\n`);
    return EXIT.ok;
  }
  const { names } = loadSpecFile(file);
  for (const n of names) io.stdout.write(`OK ${file} ${n}\n`);
  return EXIT.ok;
}

async function analyzeCommand(runDir: string, io: Io): Promise<number> {
  const result = (await lab()).analyzeRun(runDir);
  io.stderr.write(analyzeWarnings(result));
  io.stdout.write(analyzeSummary(result));
  return EXIT.ok;
}

async function plotCommand(plot: PlotArgs, io: Io): Promise<number> {
  const result = (await lab()).plotRuns({ runDirs: plot.runDirs, title: plot.title, outDir: plot.out, dataDir: plot.dataDir });
  io.stdout.write(plotSummary(result));
  return EXIT.ok;
}

function parser(argv: readonly string[], io: Io, onAction: (a: Action) => void): Argv {
  return yargs([...argv])
    .scriptName('gymlab')
    .parserConfiguration({ 'parse-positional-numbers': false })
    .usage('$0 <command> [options]\n\nA deep reinforcement learning lab that runs SLM Lab v5 spec files.')
    .command(
      'run [args..]',
      'run a spec: SPEC_FILE SPEC_NAME [MODE] (no arguments: the bundled demo, ppo_cartpole, train)',
      (y) =>
        y
          .positional('args', { describe: `SPEC_FILE SPEC_NAME [MODE]; MODE: ${RUN_MODES.join(', ')} RUN_FOLDER, enjoy@PATH`, type: 'string', array: true })
          .option('s', { alias: 'set', type: 'string', describe: 'override a spec key: -s key.path=value (repeatable)', requiresArg: true })
          .option('data-dir', { type: 'string', default: 'data', describe: 'where run folders are created' })
          .option('episodes', { type: 'number', default: 5, describe: 'enjoy: episodes to play' })
          .option('tensorboard', { type: 'boolean', default: true, describe: 'write TensorBoard event files per session (--no-tensorboard: off)' })
          .example('$0 run', 'train the bundled demo spec')
          .example('$0 run specs/demo.json ppo_cartpole dev -s env.max_frame=2000', 'a quick dev run')
          .example('$0 run specs/demo.json ppo_cartpole train --data-dir runs', 'train, folders under runs/')
          .example('$0 run specs/ppo_cartpole_search.json ppo_cartpole_search search', 'hyperparameter search (run by gymlab-tune)')
          .example('$0 run enjoy data/ppo_cartpole_2025_01_01_120000', "play the run's best checkpoint")
          .example('$0 run specs/demo.json ppo_cartpole enjoy@data/ppo_cartpole_2025_01_01_120000/trial_0/session_1', 'SLM Lab form, a given session'),
      (a) =>
        onAction({
          kind: 'run',
          run: { args: asStrings(a.args), set: asStrings(a.s), dataDir: String(a['data-dir']), episodes: Number(a.episodes), tensorboard: a.tensorboard !== false },
        }),
    )
    .command(
      'validate <SPEC_FILE> [SPEC_NAME]',
      'check a spec file (every spec in it, or one): prints OK per spec, or the error',
      (y) =>
        y
          .positional('SPEC_FILE', { type: 'string', describe: 'a JSON or YAML spec file' })
          .positional('SPEC_NAME', { type: 'string', describe: 'one spec in the file' }),
      (a) => onAction({ kind: 'validate', file: String(a.SPEC_FILE), name: a.SPEC_NAME === undefined ? undefined : String(a.SPEC_NAME) }),
    )
    .command(
      'analyze <RUN_FOLDER>',
      "rebuild a run's metrics JSON, plots (SVG, PNG) and report.html from its saved files (SLM Lab's retro-analysis)",
      (y) =>
        y
          .positional('RUN_FOLDER', { type: 'string', describe: 'a run folder made by gymlab run (with spec.json and provenance.json)' })
          .example('$0 analyze data/ppo_cartpole_2025_01_01_120000', 'rewrite the metrics, plots and report of a run')
          .epilog('Writes only derived files (metrics.json, eval_metrics.json, trial_metrics.json/.csv, plots/, report.html); spec, provenance, session CSVs and checkpoints are never changed.'),
      (a) => onAction({ kind: 'analyze', runDir: String(a.RUN_FOLDER) }),
    )
    .command(
      'plot <RUN_FOLDER..>',
      "draw runs on one chart: each trial's mean return_ma vs frames, SVG and PNG (SLM Lab's plot -f)",
      (y) =>
        y
          .positional('RUN_FOLDER', { type: 'string', array: true, describe: 'one or more run folders' })
          .option('title', { type: 'string', describe: 'chart title (default: the run folder names)', requiresArg: true })
          .option('out', { type: 'string', describe: 'output folder (default: DATA_DIR/plot_<timestamp>); existing plot files are never overwritten', requiresArg: true })
          .option('data-dir', { type: 'string', default: 'data', describe: 'where the default output folder is created' })
          .example('$0 plot data/run_a data/run_b --title "PPO vs DQN"', 'two runs on one chart, in data/plot_<timestamp>/'),
      (a) =>
        onAction({
          kind: 'plot',
          plot: {
            runDirs: asStrings(a.RUN_FOLDER),
            title: a.title === undefined ? undefined : String(a.title),
            out: a.out === undefined ? undefined : String(a.out),
            dataDir: String(a['data-dir']),
          },
        }),
    )
    .demandCommand(1, 'give a command: run, validate, analyze or plot (see --help)')
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
    if (chosen.kind === 'validate') return validateCommand(chosen.file, chosen.name, io);
    if (chosen.kind === 'analyze') return await analyzeCommand(chosen.runDir, io);
    if (chosen.kind === 'plot') return await plotCommand(chosen.plot, io);
    return await runCommand(chosen.run, io);
  } catch (err) {
    if (isBadInput(err)) {
      io.stderr.write(`gymlab: ${firstLine(err)}\n`);
      return EXIT.usage;
    }
    io.stderr.write(`gymlab: internal error: ${firstLine(err)}\n`);
    return EXIT.internal;
  }
}
