/**
 * Enjoy: load a run's checkpoint (best by default) into a fresh agent and play deterministic
 * episodes on a fresh env. Reads the run folder; writes nothing into it.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { observationStatistics, wrapEvalEnv } from '@gymlab/envs';
import { loadSpec } from '@gymlab/spec';
import type { Env } from '@gymlab/envs';
import type { Spec } from '@gymlab/spec';
import { checkEnvStatsFit, checkStateFits, loadCheckpoint } from '../run/checkpoint.js';
import type { CheckpointInfo } from '../run/checkpoint.js';
import { envOptionsOf, resolveDeps } from './deps.js';
import { normalizationOptions } from './env-normalization.js';
import { computeRequest } from './compute.js';
import type { ComputeBackend } from '@gymlab/backends';
import type { SessionDeps } from './deps.js';
import { PreflightError } from '../run/check-spec.js';
import { CHECKPOINTS_DIR, SPEC_FILE, checkpointDir, sessionDir } from '../run/run-folder.js';
import { deriveSessionSeeds, evaluateEpisodes } from './session.js';
import { MAX_ENJOY_EPISODES, Recorder, recordTarget } from './record.js';
import type { RecorderInfo } from './record.js';

export interface EnjoyOptions {
  /** A run folder (session 0 of trial 0 is used) or one of its session folders. */
  readonly path: string;
  readonly episodes?: number;
  /** Which checkpoint; `best` falls back to `latest` when a session never saved a best one. */
  readonly checkpoint?: 'best' | 'latest';
  /** Env seed of the first episode; default the run's base seed. */
  readonly seed?: number;
  readonly deps?: Partial<SessionDeps>;
  /** Record the episodes to this file (.gif; .mp4/.webm with ffmpeg), see `record.ts`. */
  readonly record?: string;
  /** After each episode (progress on long plays). */
  readonly onEpisode?: (index: number, ret: number) => void;
}

export interface EnjoyResult {
  readonly runDir: string;
  readonly sessionDir: string;
  readonly checkpointDir: string;
  readonly checkpoint: CheckpointInfo;
  readonly spec: Spec;
  readonly returns: readonly number[];
  /** What was recorded; null without `record`. */
  readonly recording: RecorderInfo | null;
}

/** Finds the run folder and session folder `path` names. */
export function locateSession(path: string): { runDir: string; sessionDir: string } {
  const p = resolve(path);
  if (!existsSync(p) || !statSync(p).isDirectory()) throw new PreflightError(`enjoy: ${path} is not a folder`);
  if (existsSync(join(p, SPEC_FILE))) return { runDir: p, sessionDir: sessionDir(p, 0, 0) };
  if (existsSync(join(p, CHECKPOINTS_DIR))) {
    const runDir = dirname(dirname(p));
    if (existsSync(join(runDir, SPEC_FILE))) return { runDir, sessionDir: p };
  }
  throw new PreflightError(`enjoy: ${path} is neither a run folder (with ${SPEC_FILE}) nor a session folder (with ${CHECKPOINTS_DIR}/)`);
}

/** The spec a run folder recorded (validated again by the spec loader). */
export function loadRunSpec(runDir: string): Spec {
  const file = join(runDir, SPEC_FILE);
  let top: unknown;
  try {
    top = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new PreflightError(`${file}: unreadable or malformed JSON (${(err as Error).message.split('\n')[0]}); expected the spec.json gymlab wrote`);
  }
  if (typeof top !== 'object' || top === null || Array.isArray(top)) throw new PreflightError(`${file}: expected a map of spec name -> spec (the spec.json gymlab wrote)`);
  const names = Object.keys(top);
  if (names.length !== 1) throw new PreflightError(`${file} must hold exactly one spec (found ${names.length})`);
  return loadSpec(file, names[0]);
}

export async function enjoy(opts: EnjoyOptions): Promise<EnjoyResult> {
  const episodes = opts.episodes ?? 5;
  if (!Number.isInteger(episodes) || episodes < 1 || episodes > MAX_ENJOY_EPISODES) {
    throw new PreflightError(`enjoy: episodes must be an integer from 1 to ${MAX_ENJOY_EPISODES} (got ${episodes})`);
  }
  const target = opts.record === undefined ? null : recordTarget(opts.record);
  const deps = resolveDeps(opts.deps);
  const { runDir, sessionDir: sdir } = locateSession(opts.path);
  const spec = loadRunSpec(runDir);
  const which = opts.checkpoint ?? 'best';
  let cdir = checkpointDir(sdir, which);
  if (which === 'best' && !existsSync(cdir)) cdir = checkpointDir(sdir, 'latest');
  const { state, info, envStats } = loadCheckpoint(cdir, { root: runDir });

  await deps.prepareEnv(spec.env.name, envOptionsOf(spec.env));
  const raw = deps.makeEnv(spec.env.name, envOptionsOf(spec.env));
  // the observation transform of training, on the saved statistics, frozen
  const norm = normalizationOptions(spec);
  let env: Env = raw;
  let backend: ComputeBackend;
  try {
    // the compute path training chose: the same request from the same spec and spaces
    backend = await deps.initBackend(computeRequest(spec, raw.observationSpace, raw.actionSpace).request);
    checkEnvStatsFit(envStats, { obsSize: norm.normalizeObs ? raw.observationSpace.size : null, return: norm.normalizeReward }, cdir);
    env = wrapEvalEnv(raw, norm, envStats?.obs ? observationStatistics(envStats.obs) : null);
  } catch (err) {
    raw.close();
    throw err;
  }
  const seed = opts.seed ?? spec.meta.random_seed ?? 0;
  const agent = deps.createAgent({
    spec,
    observationSpace: env.observationSpace,
    actionSpace: env.actionSpace,
    numEnvs: 1,
    seed: deriveSessionSeeds(seed).agent,
    backend,
    devChecks: false,
  });
  try {
    checkStateFits(agent.getState(), state, cdir);
    agent.setState(state);
    const recorder = target === null ? null : new Recorder(target, env);
    const returns = evaluateEpisodes(agent, env, episodes, seed, { onFrame: recorder === null ? undefined : () => recorder.capture(), onEpisode: opts.onEpisode });
    const recording = recorder === null ? null : await recorder.finish();
    return { runDir, sessionDir: sdir, checkpointDir: cdir, checkpoint: info, spec, returns, recording };
  } finally {
    agent.dispose();
    env.close();
  }
}

/** What `gymlab enjoy` prints after the episodes' own lines: where from, the mean return, the recording. */
export function formatEnjoy(r: EnjoyResult): string {
  const mean = r.returns.reduce((x, y) => x + y, 0) / r.returns.length;
  const lines = [`enjoy: ${r.spec.name} from ${r.checkpointDir} (frame ${r.checkpoint.frame})`, `mean return over ${r.returns.length} episodes: ${mean}`];
  const rec = r.recording;
  if (rec !== null) lines.push(`recorded: ${rec.file} (${rec.frames} frames, ${rec.width}x${rec.height}${rec.truncated ? `, the first ${rec.frames} frames only` : ''})`);
  return `${lines.join('\n')}\n`;
}
