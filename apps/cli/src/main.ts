/**
 * The `gymlab` command (run, enjoy, validate, analyze, plot, env, reproduce): parse arguments, call the libs, print.
 * Exit codes: 0 done, 1 internal error, a file that could not be written (full disk) or a failed dev check, 2 bad input (nothing written),
 * 130 interrupted (SIGINT or SIGTERM alike).
 */
import type { Argv } from 'yargs';
import { EXIT, ProgressReporter, SPEC_RUN_OPTIONS, UsageError, commandParser, firstLine, isBadInput, lazyModule, optNumber, optString, runCommand, strings, withInterrupt } from '@gymlab/cli-kit';
import type { Io } from '@gymlab/cli-kit';
import type { RunResult } from '@gymlab/lab';
import { SpecError } from '@gymlab/spec';
import { analyzeSummary, analyzeWarnings, plotSummary } from './analyze-commands.js';
import { formatMetrics, formatStatistics } from './format.js';
import { RUN_MODES, planRun } from './plan.js';
import { searchMode, searchResumeMode } from './search-mode.js';
import { validateCommand, type ValidateArgs } from './validate.js';
import { envCommand, type EnvArgs } from './env-commands.js';
import { REPRODUCE_OPTIONS, reproduceCommand, type ReproduceArgs } from './reproduce-command.js';
import { ENJOY_OPTIONS, enjoyCommand, type EnjoyArgs } from './enjoy-command.js';
import { resumeCommand } from './resume-command.js';

export { EXIT, type Io } from '@gymlab/cli-kit';

const NAME = 'gymlab';

interface RunArgs {
  readonly args: readonly string[];
  readonly set: readonly string[];
  readonly dataDir: string;
  readonly episodes: number;
  readonly tensorboard: boolean;
  readonly record?: string;
  readonly recordBest: boolean;
}

interface PlotArgs {
  readonly runDirs: readonly string[];
  readonly title?: string;
  readonly out?: string;
  readonly dataDir: string;
}

type Action =
  | { readonly kind: 'run'; readonly run: RunArgs }
  | { readonly kind: 'validate'; readonly validate: ValidateArgs }
  | { readonly kind: 'analyze'; readonly runDir: string }
  | { readonly kind: 'plot'; readonly plot: PlotArgs }
  | { readonly kind: 'env'; readonly env: EnvArgs }
  | { readonly kind: 'reproduce'; readonly reproduce: ReproduceArgs }
  | { readonly kind: 'enjoy'; readonly enjoy: EnjoyArgs };

/** The lab (and with it TensorFlow.js) loads only for the commands that need it, so `validate` and `--help` start fast. */
const labModule = lazyModule(() => import('@gymlab/lab'));
const lab = labModule.get;
/** The spec checks of the lab without the rest of it (no TensorFlow.js), for `validate`. */
const checkSpecModule = lazyModule(() => import('@gymlab/lab/check-spec'));
/** `reproduce` without TensorFlow.js: the rerun happens in the recorded tree's own process. */
const reproduceModule = lazyModule(() => import('@gymlab/lab/reproduce'));

const badInput = (err: unknown): boolean =>
  isBadInput(err, (e) => {
    const l = labModule.loaded();
    const c = checkSpecModule.loaded();
    const r = reproduceModule.loaded();
    return e instanceof SpecError || (c !== null && e instanceof c.PreflightError) || (r !== null && e instanceof r.PreflightError) || (l !== null && (l.isInputError(e) || e instanceof l.CheckpointError));
  });

/**
 * Failures that are no fault of the lab, one line, exit 1: a file that could not be written (a full
 * disk, a quota, a read-only file system), naming it; a failed dev-mode check, naming the session.
 */
const knownFailure = (err: unknown): boolean => {
  const l = labModule.loaded();
  return l !== null && (l.isWriteFailure(err) || l.isDevCheckFailure(err));
};

export function summary(result: RunResult): string {
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

async function runSpecCommand(run: RunArgs, io: Io): Promise<number> {
  const plan = planRun(run.args);
  if (run.record !== undefined && plan.kind !== 'enjoy') throw new UsageError('--record FILE is for enjoy; train and dev runs record with --record-best');
  if (run.recordBest && plan.kind !== 'train' && plan.kind !== 'dev') throw new UsageError('--record-best is for train and dev runs; enjoy records with --record FILE');
  if (plan.kind === 'search') return searchMode({ specFile: plan.specFile, specName: plan.specName, sets: run.set, dataDir: run.dataDir, tensorboard: run.tensorboard }, io, await lab(), badInput, knownFailure);
  if (plan.kind === 'enjoy') return enjoyCommand({ path: plan.path, episodes: run.episodes, record: run.record }, io, await lab());
  if (plan.kind === 'resume' && (await lab()).isSearchFolder(plan.path)) return searchResumeMode(plan.path, run.tensorboard, io, await lab(), badInput, knownFailure);
  if (plan.kind === 'resume') return resumeCommand({ runDir: plan.path, tensorboard: run.tensorboard }, io, await lab(), { name: NAME, summary, badInput });
  const { createRunContext, runSpec } = await lab();
  const { specFile, specName, kind: mode } = plan;
  return withInterrupt(io, { name: NAME, stopping: 'stopping workers and writing what is complete', again: 'exiting without waiting for the workers' }, async ({ signal, received }) => {
    let reporter: ProgressReporter | null = null;
    try {
      const ctx = createRunContext({ dataDir: run.dataDir, tensorboard: run.tensorboard, signal, onProgress: (p) => reporter?.update(p) });
      const onStart = ({ runDir, spec, compute, warnings }: { readonly runDir: string; readonly spec: import('@gymlab/spec').Spec; readonly compute: string; readonly warnings: readonly string[] }): void => {
        for (const w of warnings) io.stderr.write(`${NAME}: ${w}\n`);
        io.stderr.write(`${NAME}: ${mode} ${spec.name} (${spec.meta.max_session} session(s) x ${spec.env.max_frame} frames) -> ${runDir}\n`);
        io.stderr.write(`${NAME}: compute: ${compute}\n`);
        reporter = new ProgressReporter({ sessions: spec.meta.max_session, maxFrame: spec.env.max_frame, stream: io.stderr });
      };
      const result = await runSpec({ specFile, specName, mode, sets: run.set, onStart, recordBest: run.recordBest }, ctx);
      (reporter as ProgressReporter | null)?.finish();
      io.stdout.write(summary(result));
      return received() !== null || result.status !== 'completed' ? EXIT.interrupted : EXIT.ok;
    } catch (err) {
      (reporter as ProgressReporter | null)?.finish();
      if (knownFailure(err)) {
        // a full disk (or quota, read-only...) or a failed dev check: not a bug of gymlab's, one line naming the file or session
        io.stderr.write(`${NAME}: ${firstLine(err)}\n`);
        return EXIT.internal;
      }
      if (received() !== null && !badInput(err)) {
        io.stderr.write(`${NAME}: interrupted (${firstLine(err)})\n`);
        return EXIT.interrupted;
      }
      throw err;
    }
  });
}

async function analyzeCommand(runDir: string, io: Io): Promise<number> {
  const l = await lab();
  const result = l.analyzeRun(runDir);
  io.stderr.write(analyzeWarnings(result));
  io.stdout.write(analyzeSummary(result, l.runStatusLine(runDir)));
  return EXIT.ok;
}

async function plotCommand(plot: PlotArgs, io: Io): Promise<number> {
  const result = (await lab()).plotRuns({ runDirs: plot.runDirs, title: plot.title, outDir: plot.out, dataDir: plot.dataDir });
  io.stdout.write(plotSummary(result));
  return EXIT.ok;
}

/** Options that take one value (only `-s` repeats). */
const ONE_VALUE = ['data-dir', 'episodes', 'record', 'session', 'tree-cache', 'title', 'out', 'python'];

function parser(argv: readonly string[], io: Io, onAction: (a: Action) => void): Argv {
  return commandParser(argv, io, { name: NAME, description: 'A deep reinforcement learning lab that runs SLM Lab v5 spec files.' })
    .command(
      'run [args..]',
      'run a spec: SPEC_FILE SPEC_NAME [MODE] (no arguments: the bundled demo, ppo_cartpole, train)',
      (y) =>
        y
          .positional('args', { describe: `SPEC_FILE SPEC_NAME [MODE]; MODE: ${RUN_MODES.join(', ')} RUN_FOLDER, enjoy@PATH`, type: 'string', array: true })
          .options(SPEC_RUN_OPTIONS)
          .option('episodes', { type: 'number', default: 5, describe: 'enjoy: episodes to play' })
          .option('tensorboard', { type: 'boolean', default: true, describe: 'write TensorBoard event files per session (--no-tensorboard: off)' })
          .option('record', { type: 'string', requiresArg: true, describe: 'enjoy: record the episodes to FILE (.gif; .mp4/.webm with ffmpeg)' })
          .option('record-best', { type: 'boolean', default: false, describe: 'train/dev: at the end, record an episode of the best checkpoint to recording.gif (shown in report.html)' })
          .example('$0 run', 'train the bundled demo spec')
          .example('$0 run specs/demo.json ppo_cartpole dev -s env.max_frame=2000', 'a quick dev run')
          .example('$0 run specs/demo.json ppo_cartpole train --data-dir runs', 'train, folders under runs/')
          .example('$0 run specs/ppo_cartpole_search.json ppo_cartpole_search search', 'hyperparameter search (the Experiment level, in this process)')
          .example('$0 run enjoy data/ppo_cartpole_2025_01_01_120000', "play the run's best checkpoint")
          .example('$0 run resume data/ppo_cartpole_2025_01_01_120000', 'continue a stopped train/dev run from its last checkpoints')
          .example('$0 run specs/demo.json ppo_cartpole enjoy@data/ppo_cartpole_2025_01_01_120000/trial_0/session_1', 'SLM Lab form, a given session'),
      (a) =>
        onAction({
          kind: 'run',
          run: { args: strings(a.args), set: strings(a.s), dataDir: String(a['data-dir']), episodes: Number(a.episodes), tensorboard: a.tensorboard !== false, record: optString(a.record), recordBest: a['record-best'] === true },
        }),
    )
    .command(
      'validate <PATH..>',
      'check spec files and folders (searched for .json/.yaml/.yml), or FILE SPEC_NAME: one line per spec (runnable, not built yet, needs -s variables, wrong) and the count of runnable specs; exit 2 only for wrong specs',
      (y) =>
        y
          .positional('PATH', { type: 'string', array: true, describe: 'spec files or folders; or SPEC_FILE SPEC_NAME' })
          .option('s', { alias: 'set', type: 'string', describe: 'fill a ${var} or override a key: -s key.path=value (repeatable)', requiresArg: true })
          .example('$0 validate ../shared/slm_lab_specs ../shared/slm_lab_specs_next', 'what of SLM Lab\'s spec folders runs')
          .example('$0 validate specs/demo.json ppo_cartpole', 'one spec')
          .example('$0 validate ppo_mujoco.json -s env=Hopper-v5 -s max_frame=1000000', 'a template spec with its variables'),
      (a) => onAction({ kind: 'validate', validate: { paths: strings(a.PATH), set: strings(a.s) } }),
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
          plot: { runDirs: strings(a.RUN_FOLDER), title: optString(a.title), out: optString(a.out), dataDir: String(a['data-dir']) },
        }),
    )
    .command(
      'env <ACTION> [FIXTURE..]',
      'list: every env id (native ports, and what Python Gymnasium runs here) with its spaces; check FIXTURE...: replay Gymnasium-recorded trajectories against the ports',
      (y) =>
        y
          .positional('ACTION', { type: 'string', choices: ['list', 'check'], describe: 'list or check' })
          .positional('FIXTURE', { type: 'string', array: true, describe: 'check: trajectory files in the ../shared/fixtures format' })
          .option('python', { type: 'string', describe: "list: the Python interpreter with Gymnasium (default python3)", requiresArg: true })
          .example('$0 env list', 'every env id with its spaces')
          .example('$0 env check ../shared/fixtures/gymnasium/*.json', 'steps compared and largest deviations, per fixture; exit 1 if one is outside its tolerance'),
      (a) =>
        onAction({
          kind: 'env',
          env: a.ACTION === 'list' ? { kind: 'list', python: a.python === undefined ? undefined : String(a.python) } : { kind: 'check', fixtures: strings(a.FIXTURE) },
        }),
    )
    .command(
      'enjoy <RUN_FOLDER>',
      "play a run's best checkpoint (deterministic), printing each episode's return; --record FILE draws it (.gif; .mp4/.webm with ffmpeg)",
      (y) =>
        y
          .positional('RUN_FOLDER', { type: 'string', describe: 'a run folder or one of its session folders' })
          .options(ENJOY_OPTIONS)
          .example('$0 enjoy data/ppo_cartpole_2025_01_01_120000 --episodes 1 --record cartpole.gif', 'an animated GIF of one episode'),
      (a) => onAction({ kind: 'enjoy', enjoy: { path: String(a.RUN_FOLDER), episodes: Number(a.episodes), record: optString(a.record) } }),
    )
    .command(
      'reproduce <RUN_FOLDER>',
      "rerun a run from its recorded git SHA, git.diff, lockfile, spec and seeds in a temporary worktree; compare the session CSVs (time columns aside): exit 0 identical, 1 the first differing file, row and column",
      (y) =>
        y
          .positional('RUN_FOLDER', { type: 'string', describe: 'a completed dev or train run folder' })
          .options(REPRODUCE_OPTIONS),
      (a) => onAction({ kind: 'reproduce', reproduce: { runDir: String(a.RUN_FOLDER), session: optNumber(a.session), reuseInstall: a['reuse-install'] === true, treeCache: optString(a['tree-cache']) } }),
    )
    .check((a) => {
      // yargs joins a repeated option into a list, which String() makes 'a,b' (a folder named so)
      const twice = ONE_VALUE.find((k) => Array.isArray(a[k]));
      if (twice !== undefined) throw new UsageError(`--${twice} given more than once (it takes one value)`);
      return true;
    }, true)
    .demandCommand(1, 'give a command: run, enjoy, validate, analyze, plot, env or reproduce (see --help)');
}

/** Runs the command line `argv` (without node and script); resolves to the exit code. */
export function main(argv: readonly string[], io: Io = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  return runCommand<Action>(NAME, io, (onAction) => parser(argv, io, onAction), (a) => act(a, io), badInput, knownFailure);
}

function act(a: Action, io: Io): Promise<number> | number {
  if (a.kind === 'validate') return validateCommand(a.validate, io, checkSpecModule.get);
  if (a.kind === 'analyze') return analyzeCommand(a.runDir, io);
  if (a.kind === 'plot') return plotCommand(a.plot, io);
  if (a.kind === 'env') return envCommand(a.env, io);
  if (a.kind === 'enjoy') return lab().then((l) => enjoyCommand(a.enjoy, io, l));
  if (a.kind === 'reproduce') return reproduceModule.get().then((m) => reproduceCommand(a.reproduce, io, m));
  return runSpecCommand(a.run, io);
}
