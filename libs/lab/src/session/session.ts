/**
 * A Session: one agent, one vector env, one seed. The step loop lives here and only here:
 * `agent.act(obs, 'train')` -> `vec.step` (Box actions clipped to the space by an `ActionClipper`;
 * the agent gets back its own raw actions) -> `agent.update(transitions, frame)`, with a metrics
 * row every `meta.log_frequency` frames, a deterministic evaluation every `meta.eval_frequency`
 * frames when `meta.rigorous_eval` > 0, and checkpoints (latest, best) written as data. With a
 * folder, TensorBoard events go to `<dir>/tensorboard/` (see tb-log.ts) unless `tensorboard: false`.
 */
import { join } from 'node:path';
import type { Agent, ParamSharing } from '@gymlab/agents';
import { EVAL_COLUMNS, SESSION_COLUMNS, evalSessionMetrics, randomBaseline, sessionMetrics, toCsv } from '@gymlab/analysis';
import type { EvalRow, SessionMetrics, SessionRow } from '@gymlab/analysis';
import { ActionClipper, NormalizedVectorEnv, toFloat32, type Env } from '@gymlab/envs';
import { Rng } from '@gymlab/random';
import type { Spec } from '@gymlab/spec';
import { saveCheckpoint } from '../run/checkpoint.js';
import { Clock, ReturnTracker } from './clock.js';
import { envOptionsOf, resolveDeps } from './deps.js';
import { checkpointEnvStats, normalizationOptions } from './env-normalization.js';
import type { SessionDeps } from './deps.js';
import { writeFileAtomic, writeJsonAtomic } from '../run/fs-utils.js';
import { EVAL_CSV, EVAL_METRICS, SESSION_CSV, SESSION_METRICS, checkpointDir } from '../run/run-folder.js';
import { SessionTensorBoard } from './tb-log.js';

/** A live view of a running session, sent at every metrics row. */
export interface SessionProgress {
  readonly trial: number;
  readonly session: number;
  readonly frame: number;
  readonly maxFrame: number;
  readonly wallTime: number;
  readonly fps: number | null;
  readonly returnMa: number | null;
  readonly evalReturn: number | null;
}

export interface SessionOptions {
  /** The resolved spec (seed already decided). */
  readonly spec: Spec;
  /** This session's seed; env, eval env and agent seeds are derived from it. */
  readonly seed: number;
  /** Folder for metrics and checkpoints; null: write nothing. */
  readonly dir: string | null;
  readonly trial?: number;
  readonly session?: number;
  /** dev mode: the agent checks its updates. */
  readonly devChecks?: boolean;
  /** Stops the loop at the next yield; what is complete is written. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: SessionProgress) => void;
  /**
   * Write TensorBoard events into `<dir>/tensorboard/` (default true; nothing without `dir`):
   * metrics rows, loss terms, gradient norm, weight and action histograms, eval returns, HParams.
   */
  readonly tensorboard?: boolean;
  /** Replacements for the real env/agent/backend factories (tests). */
  readonly deps?: Partial<SessionDeps>;
  /** `meta.distributed`: this worker's view of the trial's shared parameters (trial/distributed.ts). */
  readonly sharing?: ParamSharing;
}

export type RunStatus = 'completed' | 'interrupted';

/** Everything a session reports back: typed values, JSON-safe (it crosses process boundaries). */
export interface SessionResult {
  readonly trial: number;
  readonly session: number;
  readonly seed: number;
  readonly dir: string | null;
  readonly status: RunStatus;
  readonly backend: string;
  readonly backendVersions: Readonly<Record<string, string>>;
  readonly frames: number;
  readonly episodes: number;
  readonly optSteps: number;
  readonly wallTime: number;
  readonly rows: readonly SessionRow[];
  readonly evalRows: readonly EvalRow[];
  /** SLM Lab's session metrics of the training rows. */
  readonly metrics: SessionMetrics;
  /** The same metrics of the eval rows; null without evaluation. */
  readonly evalMetrics: SessionMetrics | null;
}

/** Seeds of a session's parts, derived from the session seed. */
export interface SessionSeeds {
  readonly env: number;
  readonly agent: number;
  readonly evalEnv: number;
}

export function deriveSessionSeeds(seed: number): SessionSeeds {
  const rng = new Rng(seed);
  return { env: rng.deriveSeed(), agent: rng.deriveSeed(), evalEnv: rng.deriveSeed() };
}

/** Steps between yields to the event loop (so an abort signal can be seen). */
const YIELD_EVERY = 64;
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** What `evaluateEpisodes` tells as it plays (enjoy's recorder and progress lines). */
export interface EpisodeHooks {
  /** After each reset and each step: the env shows a new frame. */
  readonly onFrame?: () => void;
  /** After each episode, with its index (from 0) and return. */
  readonly onEpisode?: (index: number, ret: number) => void;
}

/**
 * Runs `episodes` deterministic episodes (`act(obs, 'eval')`) on `env`; returns their returns.
 * The first reset is seeded with `seed` when given; later resets continue the env's generator.
 */
export function evaluateEpisodes(agent: Agent, env: Env, episodes: number, seed?: number, hooks: EpisodeHooks = {}): number[] {
  const returns: number[] = [];
  const discrete = env.actionSpace.kind === 'discrete';
  const clipper = new ActionClipper(env.actionSpace);
  for (let e = 0; e < episodes; e++) {
    let [obs] = env.reset(e === 0 && seed !== undefined ? { seed } : undefined);
    hooks.onFrame?.();
    let total = 0;
    for (;;) {
      const batch = clipper.apply(agent.act(toFloat32(obs), 'eval'));
      const [next, reward, terminated, truncated] = env.step(discrete ? batch[0] : (batch as Float32Array));
      hooks.onFrame?.();
      total += reward;
      obs = next;
      if (terminated || truncated) break;
    }
    returns.push(total);
    hooks.onEpisode?.(e, total);
  }
  return returns;
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Runs one session to `env.max_frame` frames (or until aborted) and writes its folder. */
export async function runSession(opts: SessionOptions): Promise<SessionResult> {
  const { spec, seed, dir, signal } = opts;
  const trial = opts.trial ?? 0;
  const session = opts.session ?? 0;
  const deps = resolveDeps(opts.deps);
  const seeds = deriveSessionSeeds(seed);
  const { log_frequency: logFrequency, eval_frequency: evalFrequency, rigorous_eval: evalEpisodes } = spec.meta;
  const maxFrame = spec.env.max_frame;
  const evaluating = evalEpisodes > 0;

  const backend = await deps.initBackend({ gpu: spec.agent.net.gpu, backend: spec.agent.net.backend });
  // SLM Lab's env normalisation wraps the training env; evaluation sees its statistics, frozen
  const norm = new NormalizedVectorEnv(deps.makeVectorEnv(spec.env.name, spec.env.num_envs, envOptionsOf(spec.env)), normalizationOptions(spec));
  const vec = norm.env;
  let evalEnv: Env | null = null;
  let agent: Agent;
  try {
    evalEnv = evaluating ? norm.wrapEval(deps.makeEnv(spec.env.name, envOptionsOf(spec.env))) : null;
    agent = deps.createAgent({
      spec,
      observationSpace: vec.singleObservationSpace,
      actionSpace: vec.singleActionSpace,
      numEnvs: vec.numEnvs,
      seed: seeds.agent,
      backend,
      devChecks: opts.devChecks ?? false,
      ...(opts.sharing === undefined ? {} : { sharing: opts.sharing }),
    });
  } catch (err) {
    vec.close();
    evalEnv?.close();
    throw err;
  }

  const clock = new Clock();
  const returns = new ReturnTracker(100);
  const rows: SessionRow[] = [];
  const evalRows: EvalRow[] = [];
  const evalHistory: number[] = [];
  let lastLoss: number | null = null;
  let lastRowFrame = 0;
  let lastRowTime = 0;
  let nextLog = logFrequency;
  let nextEval = evalFrequency;
  let best = -Infinity;
  let status: RunStatus = 'completed';
  let tb: SessionTensorBoard | null = null;

  const saveBest = (metric: string, value: number | null): void => {
    if (dir === null || value === null || !(value > best)) return;
    best = value;
    saveCheckpoint(checkpointDir(dir, 'best'), agent.getState(), { frame: clock.frame, metric, value }, checkpointEnvStats(norm));
  };

  const writeTables = (): void => {
    if (dir === null) return;
    writeFileAtomic(join(dir, SESSION_CSV), toCsv(rows, SESSION_COLUMNS));
    if (evaluating) writeFileAtomic(join(dir, EVAL_CSV), toCsv(evalRows, EVAL_COLUMNS));
  };

  const logRow = (): void => {
    const wallTime = clock.wallTime();
    const dt = wallTime - lastRowTime;
    const scalars = agent.scalars();
    const row: SessionRow = {
      frame: clock.frame,
      wall_time: wallTime,
      episodes: clock.episodes,
      opt_steps: clock.optSteps,
      return: returns.takeRowReturn(),
      return_ma: returns.movingAverage(),
      loss: lastLoss,
      lr: scalars.lr,
      entropy: scalars.entropy,
      explore_var: scalars.exploreVar,
      fps: dt > 0 ? (clock.frame - lastRowFrame) / dt : null,
    };
    rows.push(row);
    lastRowFrame = clock.frame;
    lastRowTime = wallTime;
    writeTables();
    tb?.writeRow(row, agent);
    if (dir !== null) {
      saveCheckpoint(checkpointDir(dir, 'latest'), agent.getState(), { frame: clock.frame, metric: 'return_ma', value: row.return_ma }, checkpointEnvStats(norm));
      if (!evaluating) saveBest('return_ma', row.return_ma);
    }
    tb?.flush();
    opts.onProgress?.({
      trial,
      session,
      frame: clock.frame,
      maxFrame,
      wallTime,
      fps: row.fps,
      returnMa: row.return_ma,
      evalReturn: evalHistory.length > 0 ? evalHistory[evalHistory.length - 1] : null,
    });
  };

  const runEval = (): void => {
    if (evalEnv === null) return;
    const value = mean(evaluateEpisodes(agent, evalEnv, evalEpisodes, evalRows.length === 0 ? seeds.evalEnv : undefined));
    evalHistory.push(value);
    const recent = evalHistory.slice(-100);
    const evalRow: EvalRow = { frame: clock.frame, wall_time: clock.wallTime(), eval_return: value, eval_return_ma: mean(recent), opt_steps: clock.optSteps };
    evalRows.push(evalRow);
    tb?.writeEval(evalRow);
    saveBest('eval_return', value);
    tb?.flush();
  };

  try {
    if (dir !== null && opts.tensorboard !== false) {
      tb = SessionTensorBoard.open({ sessionFolder: dir, spec, trial, actionSpace: vec.singleActionSpace });
    }
    const clipper = new ActionClipper(vec.singleActionSpace);
    let obs = vec.reset({ seed: seeds.env });
    let steps = 0;
    while (clock.frame < maxFrame) {
      if (++steps % YIELD_EVERY === 0) await yieldToEventLoop();
      if (signal?.aborted) {
        status = 'interrupted';
        break;
      }
      const action = agent.act(obs, 'train');
      const applied = clipper.apply(action);
      tb?.recordActions(applied);
      const step = vec.step(applied);
      clock.frame += vec.numEnvs;
      for (const ep of step.finished) {
        returns.add(ep.return);
        clock.episodes++;
      }
      const stats = agent.update(
        { obs, action, reward: step.reward, nextObs: step.nextObs, terminated: step.terminated, truncated: step.truncated },
        clock.frame,
      );
      if (stats !== null) {
        clock.optSteps += stats.optSteps;
        lastLoss = stats.loss;
        tb?.recordTrain(stats);
      }
      obs = step.obs;
      if (evaluating && clock.frame >= nextEval) {
        while (nextEval <= clock.frame) nextEval += evalFrequency;
        runEval();
      }
      if (clock.frame >= nextLog) {
        while (nextLog <= clock.frame) nextLog += logFrequency;
        logRow();
      }
    }
    if (clock.frame > 0 && (rows.length === 0 || rows[rows.length - 1].frame !== clock.frame)) {
      if (evaluating && status === 'completed' && (evalRows.length === 0 || evalRows[evalRows.length - 1].frame !== clock.frame)) runEval();
      logRow();
    }
    writeTables();
    const metricsOptions = { randomBaseline: randomBaseline(spec.env.name) ?? 0 };
    const metrics = sessionMetrics(rows, metricsOptions);
    const evalMetrics = evaluating ? evalSessionMetrics(evalRows, metricsOptions) : null;
    if (dir !== null) {
      writeJsonAtomic(join(dir, SESSION_METRICS), metrics);
      if (evalMetrics !== null) writeJsonAtomic(join(dir, EVAL_METRICS), evalMetrics);
    }
    tb?.finish(status === 'completed' ? 'success' : 'running', clock.frame, metrics, evalMetrics);
    return {
      trial,
      session,
      seed,
      dir,
      status,
      backend: backend.name,
      backendVersions: backend.versions,
      frames: clock.frame,
      episodes: clock.episodes,
      optSteps: clock.optSteps,
      wallTime: clock.wallTime(),
      rows,
      evalRows,
      metrics,
      evalMetrics,
    };
  } catch (err) {
    tb?.abandon();
    throw err;
  } finally {
    agent.dispose();
    vec.close();
    evalEnv?.close();
  }
}
