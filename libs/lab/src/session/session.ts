/**
 * A Session: one agent, one vector env, one seed. The step loop lives here and only here:
 * `agent.act(obs, 'train')` -> `vec.step` (Box actions clipped to the space by an `ActionClipper`;
 * the agent gets back its own raw actions) -> `agent.update(transitions, frame)`, with a metrics
 * row every `meta.log_frequency` frames, a deterministic evaluation every `meta.eval_frequency`
 * frames when `meta.rigorous_eval` > 0, and checkpoints written as data: `best` when the metric
 * improves, `latest` every `meta.checkpoint_frequency` frames, at the end and when stopped — a
 * resume checkpoint from which `resume: true` continues to exactly the numbers of a run that never
 * stopped (see resume-state.ts), or, for a sub-env whose physics cannot be saved (Box2D), from a
 * fresh episode at the checkpoint (the episode-boundary restart, see libs/lab/README.md). With a folder, TensorBoard events go to `<dir>/tensorboard/`
 * (see tb-log.ts) unless `tensorboard: false`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { autoresetFor, type Agent, type ParamSharing } from '@gymlab/agents';
import type { ComputeBackend } from '@gymlab/backends';
import { EVAL_COLUMNS, SESSION_COLUMNS, evalSessionMetrics, randomBaseline, sessionMetrics, toCsv } from '@gymlab/analysis';
import type { EvalRow, SessionMetrics, SessionRow } from '@gymlab/analysis';
import { ActionClipper, NormalizedVectorEnv, snapshotOf, toFloat32, type Env, type EnvSnapshot } from '@gymlab/envs';
import { Rng } from '@gymlab/random';
import type { Spec } from '@gymlab/spec';
import { saveCheckpoint } from '../run/checkpoint.js';
import { Clock, ReturnTracker } from './clock.js';
import { envOptionsOf, resolveDeps } from './deps.js';
import { computeRequest, describeCompute } from './compute.js';
import { checkpointEnvStats, normalizationOptions } from './env-normalization.js';
import type { SessionDeps } from './deps.js';
import { writeErrorOf, writeFileAtomic, writeJsonAtomic } from '../run/fs-utils.js';
import { EVAL_CSV, EVAL_METRICS, SESSION_CSV, SESSION_METRICS, checkpointDir } from '../run/run-folder.js';
import { SessionTensorBoard, dropEventsAfter } from './tb-log.js';
import { RESUME_VERSION, readResumeCheckpoint, writeResumeCheckpoint, type ResumeCheckpoint, type SessionResumeState } from './resume-state.js';
import { CheckpointError } from '../run/checkpoint.js';
import { readCsvFile } from '../analyze-read.js';
import { writeSessionPlots } from '../analyze-write.js';

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
  /**
   * Continue from `<dir>/checkpoints/latest` (a resume checkpoint) when there is one; without one
   * the session starts afresh (dropping TensorBoard events of an earlier start). Needs `dir`.
   */
  readonly resume?: boolean;
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
  /** The compute path and why it was chosen (`fast (PPO)`, see compute.ts). */
  readonly compute: string;
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

/** `restore(snapshot)` of an env that has one; `CheckpointError` naming the checkpoint otherwise. */
function restoreEnv(env: object, snapshot: EnvSnapshot, where: string): void {
  const e = env as { restore?: (s: EnvSnapshot) => void };
  if (typeof e.restore !== 'function') throw new CheckpointError(`${where}: the env cannot take back a snapshot`);
  e.restore(snapshot);
}

/** A session whose resume checkpoint says it ended and whose metrics were written: its result, from the files, touching nothing. */
function finishedResult(ckpt: ResumeCheckpoint, base: Omit<SessionResult, 'status' | 'frames' | 'episodes' | 'optSteps' | 'wallTime' | 'rows' | 'evalRows' | 'metrics' | 'evalMetrics'>, spec: Spec): SessionResult {
  const r = ckpt.session;
  const metricsOptions = { randomBaseline: randomBaseline(spec.env.name) ?? 0 };
  return {
    ...base,
    status: 'completed',
    frames: r.clock.frame,
    episodes: r.clock.episodes,
    optSteps: r.clock.optSteps,
    wallTime: r.clock.wallTime,
    rows: r.rows,
    evalRows: r.evalRows,
    metrics: sessionMetrics(r.rows, metricsOptions),
    evalMetrics: spec.meta.rigorous_eval > 0 ? evalSessionMetrics(r.evalRows, metricsOptions) : null,
  };
}

/**
 * Runs one session to `env.max_frame` frames (or until aborted) and writes its folder; with
 * `resume`, continues from the folder's resume checkpoint (a session that had ended is returned
 * as it is, nothing written).
 */
export async function runSession(opts: SessionOptions): Promise<SessionResult> {
  const { spec, seed, dir, signal } = opts;
  const trial = opts.trial ?? 0;
  const session = opts.session ?? 0;
  const deps = resolveDeps(opts.deps);
  const seeds = deriveSessionSeeds(seed);
  const { log_frequency: logFrequency, eval_frequency: evalFrequency, rigorous_eval: evalEpisodes, checkpoint_frequency: checkpointFrequency } = spec.meta;
  const maxFrame = spec.env.max_frame;
  const evaluating = evalEpisodes > 0;
  const files = { io: deps.writeIo };
  const resumeFrom = opts.resume === true && dir !== null ? readResumeCheckpoint(dir) : null;

  await deps.prepareEnv(spec.env.name, envOptionsOf(spec.env)); // e.g. MuJoCo's wasm module, loaded on demand
  // SLM Lab's env normalisation wraps the training env; evaluation sees its statistics, frozen
  // the algorithm's autoreset mode: REINFORCE trains on SLM Lab's batches (next-step, Gymnasium's default, when num_envs > 1)
  const vecOptions = { ...envOptionsOf(spec.env), autoreset: autoresetFor(spec) };
  const norm = new NormalizedVectorEnv(deps.makeVectorEnv(spec.env.name, spec.env.num_envs, vecOptions), normalizationOptions(spec));
  const vec = norm.env;
  let evalEnv: Env | null = null;
  let agent: Agent;
  let backend: ComputeBackend;
  let compute: string;
  try {
    // the compute path follows from the spec and the env's spaces (fast on CPU where it fits)
    const { request, fit } = computeRequest(spec, vec.singleObservationSpace, vec.singleActionSpace);
    backend = await deps.initBackend(request);
    compute = describeCompute(spec, fit, backend.name);
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
  if (resumeFrom !== null && resumeFrom.session.done && dir !== null && existsSync(join(dir, SESSION_METRICS))) {
    agent.dispose();
    vec.close();
    evalEnv?.close();
    return finishedResult(resumeFrom, { trial, session, seed, dir, backend: backend.name, backendVersions: backend.versions, compute }, spec);
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
  let nextCheckpoint = checkpointFrequency;
  let best = -Infinity;
  let status: RunStatus = 'completed';
  let tb: SessionTensorBoard | null = null;
  let obs: Float32Array;

  const saveBest = (metric: string, value: number | null): void => {
    if (dir === null || value === null || !(value > best)) return;
    best = value;
    saveCheckpoint(checkpointDir(dir, 'best'), agent.getState(), { frame: clock.frame, metric, value }, checkpointEnvStats(norm), files);
  };

  /** `latest`: a resume checkpoint when the agent and envs can be saved whole, else the agent's plain state. */
  const saveLatest = (done: boolean): void => {
    if (dir === null) return;
    const info = { frame: clock.frame, metric: 'return_ma', value: rows.length > 0 ? rows[rows.length - 1].return_ma : null };
    const agentState = agent.resumeState?.() ?? null;
    const env = norm.snapshot();
    const evalSnap = evalEnv === null ? null : snapshotOf(evalEnv);
    if (agentState === null || env === null || (evalEnv !== null && evalSnap === null)) {
      const why =
        agentState === null
          ? `${agent.algorithmName} (as configured) cannot save what resuming needs yet`
          : env === null
            ? `the state of ${spec.env.name} cannot be saved exactly yet`
            : 'the evaluation env (with its observation wrappers) cannot be saved yet';
      saveCheckpoint(checkpointDir(dir, 'latest'), agent.getState(), info, checkpointEnvStats(norm), { ...files, resume: { unsupported: why } });
      return;
    }
    const record: SessionResumeState = {
      version: RESUME_VERSION,
      clock: clock.getState(),
      returns: returns.getState(),
      rows,
      evalRows,
      evalHistory,
      lastLoss,
      lastRowFrame,
      lastRowTime,
      nextLog,
      nextEval,
      nextCheckpoint,
      best: best === -Infinity ? null : best,
      obs: Array.from(obs),
      env,
      evalEnv: evalSnap,
      tensorboard: tb?.position() ?? null,
      done,
    };
    writeResumeCheckpoint(dir, agentState, info, checkpointEnvStats(norm), record, files);
  };

  const writeTables = (): void => {
    if (dir === null) return;
    writeFileAtomic(join(dir, SESSION_CSV), toCsv(rows, SESSION_COLUMNS), files);
    if (evaluating) writeFileAtomic(join(dir, EVAL_CSV), toCsv(evalRows, EVAL_COLUMNS), files);
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
    if (dir !== null && !evaluating) saveBest('return_ma', row.return_ma);
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

  /** Puts the session back where `ckpt` left it (agent, env statistics and snapshots, counters, rows, TensorBoard). */
  const restore = (ckpt: ResumeCheckpoint): Float32Array => {
    const r = ckpt.session;
    try {
      agent.setState(ckpt.state);
      if (ckpt.envStats !== null) norm.setState(ckpt.envStats);
      norm.restore(r.env);
      if (evalEnv !== null) {
        if (r.evalEnv === null) throw new CheckpointError(`${ckpt.dir}: the checkpoint has no evaluation env snapshot`);
        restoreEnv(evalEnv, r.evalEnv, ckpt.dir);
      }
      returns.setState(r.returns);
    } catch (err) {
      if (err instanceof CheckpointError) throw err;
      throw new CheckpointError(`${ckpt.dir}: does not fit this session (${(err as Error).message.split('\n')[0]})`);
    }
    if (r.obs.length !== vec.numEnvs * vec.singleObservationSpace.size) throw new CheckpointError(`${ckpt.dir}: resume.obs has ${r.obs.length} numbers, the env needs ${vec.numEnvs * vec.singleObservationSpace.size}`);
    clock.continueFrom(r.clock);
    rows.push(...r.rows);
    evalRows.push(...r.evalRows);
    evalHistory.push(...r.evalHistory);
    lastLoss = r.lastLoss;
    lastRowFrame = r.lastRowFrame;
    lastRowTime = r.lastRowTime;
    nextLog = r.nextLog;
    nextEval = r.nextEval;
    nextCheckpoint = r.nextCheckpoint;
    best = r.best ?? -Infinity;
    writeTables(); // rows written after the checkpoint are dropped
    // a sub-env saved at an episode boundary only (Box2D) starts a fresh episode: its observation replaces the saved one
    return norm.resumeObservations(Float32Array.from(r.obs));
  };

  try {
    const tbInit = dir !== null && opts.tensorboard !== false ? { sessionFolder: dir, spec, trial, actionSpace: vec.singleActionSpace } : null;
    if (resumeFrom !== null) {
      obs = restore(resumeFrom);
      const at = resumeFrom.session.tensorboard;
      if (tbInit !== null) tb = at === null ? SessionTensorBoard.open(tbInit) : SessionTensorBoard.continue(tbInit, at);
    } else {
      if (opts.resume === true && dir !== null) dropEventsAfter(dir, null); // a start that never reached a checkpoint
      if (tbInit !== null) tb = SessionTensorBoard.open(tbInit);
      obs = vec.reset({ seed: seeds.env });
    }
    const clipper = new ActionClipper(vec.singleActionSpace);
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
      if (clock.frame >= nextCheckpoint && clock.frame < maxFrame) {
        while (nextCheckpoint <= clock.frame) nextCheckpoint += checkpointFrequency;
        saveLatest(false);
      }
    }
    // stopped between steps: a resume goes on from here (the partial row below is dropped then)
    if (status === 'interrupted') saveLatest(false);
    if (clock.frame > 0 && (rows.length === 0 || rows[rows.length - 1].frame !== clock.frame)) {
      if (evaluating && status === 'completed' && (evalRows.length === 0 || evalRows[evalRows.length - 1].frame !== clock.frame)) runEval();
      logRow();
    }
    if (status === 'completed') saveLatest(true);
    writeTables();
    const metricsOptions = { randomBaseline: randomBaseline(spec.env.name) ?? 0 };
    const metrics = sessionMetrics(rows, metricsOptions);
    const evalMetrics = evaluating ? evalSessionMetrics(evalRows, metricsOptions) : null;
    if (dir !== null) {
      writeJsonAtomic(join(dir, SESSION_METRICS), metrics, files);
      if (evalMetrics !== null) writeJsonAtomic(join(dir, EVAL_METRICS), evalMetrics, files);
      // the session's plots here, in parallel with the other sessions, from its CSV as the trial's analysis reads it
      writeSessionPlots(dir, spec, trial, session, readCsvFile(join(dir, SESSION_CSV), SESSION_COLUMNS));
    }
    tb?.finish(status === 'completed' ? 'success' : 'running', clock.frame, metrics, evalMetrics);
    return {
      trial,
      session,
      seed,
      dir,
      status,
      backend: backend.name,
      compute,
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
    // a full disk met by a writer that does not name its file (TensorBoard's) is named by the folder
    const code = (err as NodeJS.ErrnoException | null)?.code;
    throw dir !== null && (code === 'ENOSPC' || code === 'EDQUOT') ? writeErrorOf(dir, err) : err;
  } finally {
    agent.dispose();
    vec.close();
    evalEnv?.close();
  }
}
