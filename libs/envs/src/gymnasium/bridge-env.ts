/**
 * Any Gymnasium env, run by Python Gymnasium in a child process (`python/gymlab_bridge.py`), as a
 * gymlab `VectorEnv` (N sub-envs, one message per vector step) or `Env` (one sub-env). Seeds go
 * to Gymnasium's `reset(seed=...)`, so a bridged run is as reproducible as the Python env.
 *
 * Snapshots are restart snapshots (see snapshot.ts): the Python envs' state and generators stay in
 * the child, so a snapshot records a restart seed, derived from the last seed given and the steps
 * taken since, and a restore resets every sub-env with it (sub-env i with `seed + i`): a fresh
 * episode everywhere, the same for every restore of one snapshot.
 */
import { existsSync } from 'node:fs';
import { delimiter } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Action, ActionBatch, BoxSpace, Env, EnvInfo, EpisodeStat, Info, Space, StepResult, VectorEnv, VectorStep } from '../core.js';
import { Box, Discrete, MultiBinary, MultiDiscrete } from '../spaces.js';
import { EpisodeTracker } from '../wrappers/record-episode-statistics.js';
import { Rng } from '@gymlab/random';
import { EnvSnapshotError, snapshotFlag, snapshotNumber, type EnvSnapshot, type RestartedEnv, type SnapshotEnv } from '../snapshot.js';
import { ChildFaultError, SyncChild, lastLine } from './child.js';
import { MSG, ProtocolError, frame, jsonBody, parseJson, readArray, readStepped, resetBody, stepBody } from './protocol.js';

/** The seed of a vector env's first reset when none is given (as `SyncVectorEnv`). */
const FIRST_SEED = 0;

/**
 * Counts a bridged env's resets and steps since its last seeded reset, for its restart snapshots:
 * the seed of a restart follows from those alone, so the same moment of a run gives the same seed.
 */
class RestartSeeds {
  private seed = FIRST_SEED;
  private steps = 0;

  seeded(seed: number | undefined): void {
    if (seed !== undefined) [this.seed, this.steps] = [seed, 0];
  }

  stepped(): void {
    this.steps++;
  }

  /** A restart snapshot: `{ restart: true, seed, ready }` (ready: the env had been reset). */
  snapshot(ready: boolean): EnvSnapshot {
    // a seed of its own (not one a sub-env of the run was given): PCG64 from (last seed, steps since)
    return { restart: true, seed: new Rng([this.seed, this.steps]).deriveSeed() % 2 ** 31, ready };
  }

  /** The restart seed and ready flag of a `snapshot()`; `EnvSnapshotError` naming `where` when it is not one. */
  static read(s: EnvSnapshot, where: string): { seed: number; ready: boolean } {
    if (s.restart !== true) throw new EnvSnapshotError(`${where} is not a restart snapshot (restart: true)`);
    const seed = snapshotNumber(s, 'seed', where);
    if (!Number.isInteger(seed) || seed < 0) throw new EnvSnapshotError(`${where}.seed must be a non-negative integer`);
    return { seed, ready: snapshotFlag(s, 'ready', where) };
  }
}

/** The Python script the child runs. */
export const BRIDGE_SCRIPT = fileURLToPath(new URL('../../python/gymlab_bridge.py', import.meta.url));

/** SLM Lab's Atari preprocessing (see the script's `PixelPipeline`). */
export interface PixelOptions {
  readonly noop_max: number;
  readonly screen_size: number;
  readonly frame_stack: number;
  readonly clip_reward: boolean;
}

/** SLM Lab v5.3's Atari pipeline: 30 no-op starts, 84x84 grayscale, a stack of 4, rewards clipped to [-1, 1]. */
export const SLM_LAB_ATARI: PixelOptions = Object.freeze({ noop_max: 30, screen_size: 84, frame_stack: 4, clip_reward: true });

export interface GymnasiumOptions {
  /** The Python interpreter (spec key `env.python`); default `python3`. */
  readonly python?: string;
  /** Folders put before `PYTHONPATH` for the child (e.g. a vendored Gymnasium). */
  readonly pythonPath?: readonly string[];
  /** `gym.make` keyword arguments. */
  readonly kwargs?: Readonly<Record<string, unknown>>;
  /** Time limit overriding the registered one; null or absent: Gymnasium's registered limit. */
  readonly maxEpisodeSteps?: number | null;
  /**
   * The pixel pipeline; default SLM Lab's Atari pipeline for `ALE/` ids, none otherwise. The kwarg
   * `life_loss_info: true` (AtariVectorEnv's) makes a lost life end the learner's episode.
   */
  readonly pixels?: PixelOptions | null;
  /** Longest wait for one reset or step, ms (default 60000). */
  readonly timeoutMs?: number;
  /** Longest wait for Python to import Gymnasium and make the envs, ms (default 120000). */
  readonly startTimeoutMs?: number;
}

/** An ALE id (`ALE/Pong-v5`, also after a `module:` prefix), which gets SLM Lab's Atari pipeline. */
export function isAtariId(id: string): boolean {
  return id.slice(id.lastIndexOf(':') + 1).startsWith('ALE/');
}

/** Gymnasium spaces as gymlab maps them. */
export type BridgedSpace = Box | Discrete | MultiDiscrete | MultiBinary;

export type BridgeFaultKind =
  | 'no-python'
  | 'no-gymnasium'
  | 'no-ale'
  | 'unknown-id'
  | 'dependency'
  | 'kwargs'
  | 'space'
  | 'exception'
  | 'crashed'
  | 'timeout'
  | 'protocol';

/** A bridged env that failed; the message is one line (with the child's last stderr line when it has one). */
export class GymnasiumBridgeError extends Error {
  override readonly name = 'GymnasiumBridgeError';
  constructor(
    readonly id: string,
    readonly kind: BridgeFaultKind,
    message: string,
  ) {
    super(message);
  }
}

/** What the child reports after MAKE. */
export interface BridgedEnvFacts {
  readonly observationSpace: BridgedSpace;
  readonly actionSpace: BridgedSpace;
  readonly info: EnvInfo;
  readonly gymnasiumVersion: string;
  readonly pythonVersion: string;
}

interface WireSpace {
  readonly type: string;
  readonly shape?: readonly number[];
  readonly low?: readonly (number | string)[];
  readonly high?: readonly (number | string)[];
  readonly n?: number;
  readonly start?: number;
  readonly nvec?: readonly number[];
}

function bound(x: number | string): number {
  return typeof x === 'number' ? x : x === 'inf' ? Infinity : x === '-inf' ? -Infinity : NaN;
}

function spaceFromWire(w: WireSpace): BridgedSpace {
  switch (w.type) {
    case 'Box':
      return new Box((w.low ?? []).map(bound), (w.high ?? []).map(bound), w.shape ?? []);
    case 'Discrete':
      return new Discrete(w.n ?? 0, w.start ?? 0);
    case 'MultiDiscrete':
      return new MultiDiscrete(w.nvec ?? [], w.shape);
    default:
      return new MultiBinary(w.shape ?? []);
  }
}

/** One Python child running `numEnvs` copies of env `id`. */
class BridgeProcess {
  readonly facts: BridgedEnvFacts;
  private readonly child: SyncChild;
  private readonly python: string;
  private readonly timeoutMs: number;
  private closed = false;

  constructor(
    readonly id: string,
    readonly numEnvs: number,
    opts: GymnasiumOptions,
  ) {
    this.python = opts.python ?? 'python3';
    this.timeoutMs = opts.timeoutMs ?? 60_000;
    const env = childEnv(opts.pythonPath);
    if (!existsSync(BRIDGE_SCRIPT)) throw new GymnasiumBridgeError(id, 'protocol', `env ${id}: the bridge script ${BRIDGE_SCRIPT} is missing`);
    const startTimeoutMs = opts.startTimeoutMs ?? 120_000;
    try {
      this.child = new SyncChild({ command: this.python, args: ['-u', BRIDGE_SCRIPT], env, startTimeoutMs });
    } catch (err) {
      if (!(err instanceof ChildFaultError)) throw err;
      throw new GymnasiumBridgeError(id, 'no-python', `env ${id} (Gymnasium bridge, ${this.python}): ${err.message}`);
    }
    const pixels = opts.pixels === undefined ? (isAtariId(id) ? SLM_LAB_ATARI : null) : opts.pixels;
    const request = { id, num_envs: numEnvs, kwargs: opts.kwargs ?? {}, max_episode_steps: opts.maxEpisodeSteps ?? null, pixels };
    try {
      const reply = this.request(frame(MSG.make, jsonBody(request)), startTimeoutMs, MSG.spaces);
      this.facts = this.factsOf(parseJson(reply) as Record<string, unknown>);
    } catch (err) {
      this.close();
      throw err;
    }
  }

  /** Sends `msg`, returns the reply's body (its type must be `want`); faults become `GymnasiumBridgeError`. */
  request(msg: Uint8Array, timeoutMs: number, want: number): Uint8Array {
    if (this.closed) throw new GymnasiumBridgeError(this.id, 'protocol', `env ${this.id}: the Gymnasium bridge is closed`);
    try {
      this.child.send(msg);
      const reply = this.child.receive(timeoutMs);
      const type = reply[0];
      const body = reply.subarray(1);
      if (type === MSG.error) {
        const e = parseJson(body) as { kind?: string; message?: string };
        throw new GymnasiumBridgeError(this.id, (e.kind ?? 'exception') as BridgeFaultKind, `env ${this.id} (Gymnasium bridge, ${this.python}): ${e.message ?? 'failed'}`);
      }
      if (type !== want) throw new ProtocolError(`bridge: expected message 0x${want.toString(16)}, got 0x${(type ?? 0).toString(16)}`);
      return body;
    } catch (err) {
      if (err instanceof GymnasiumBridgeError) throw err;
      if (err instanceof ChildFaultError) {
        const f = err.fault;
        const where = `env ${this.id} (Gymnasium bridge, ${this.python})`;
        if (f.kind === 'no-python') {
          throw new GymnasiumBridgeError(this.id, 'no-python', `${where}: cannot start ${this.python} (${f.message}); install Python 3 with Gymnasium or set env.python`);
        }
        const line = lastLine(f.stderr);
        this.close();
        throw new GymnasiumBridgeError(this.id, f.kind, `${where}: the Python child ${f.message}${line ? `: ${line}` : ''}`);
      }
      if (err instanceof ProtocolError) throw new GymnasiumBridgeError(this.id, 'protocol', `env ${this.id}: ${err.message}`);
      throw err;
    }
  }

  reset(seed: number | undefined): Float32Array {
    const body = this.request(frame(MSG.reset, resetBody(seed)), this.timeoutMs, MSG.obs);
    return readArray(body, 0)[0].data;
  }

  step(actions: ArrayLike<number>): ReturnType<typeof readStepped> {
    const body = this.request(frame(MSG.step, stepBody(actions, this.facts.actionSpace.kind === 'box')), this.timeoutMs, MSG.stepped);
    return readStepped(body, this.numEnvs);
  }

  /** Ends the child (CLOSE, then the pipes close; killed if it lingers). Safe to call again. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.child.send(frame(MSG.close));
    this.child.close();
  }

  /** The child's process id (tests check it is gone after a fault). */
  get pid(): number | null {
    return this.child.processId;
  }

  private factsOf(r: Record<string, unknown>): BridgedEnvFacts {
    const observationSpace = spaceFromWire(r['observation_space'] as WireSpace);
    const actionSpace = spaceFromWire(r['action_space'] as WireSpace);
    const num = (x: unknown): number | null => (typeof x === 'number' ? x : null);
    return {
      observationSpace,
      actionSpace,
      info: Object.freeze({ id: this.id, maxEpisodeSteps: num(r['max_episode_steps']), rewardThreshold: num(r['reward_threshold']) }),
      gymnasiumVersion: String(r['gymnasium_version']),
      pythonVersion: String(r['python']),
    };
  }
}

/** Spaces gymlab's envs and agents take: Box observations; Box or Discrete actions. */
function agentSpaces(id: string, facts: BridgedEnvFacts, close: () => void): { obs: BoxSpace; act: Space } {
  const { observationSpace: o, actionSpace: a } = facts;
  if (o.kind !== 'box') {
    close();
    throw new GymnasiumBridgeError(id, 'space', `env ${id}: observation space ${String(o)} is not a Box; gymlab's agents take Box observations`);
  }
  if (a.kind !== 'box' && a.kind !== 'discrete') {
    close();
    throw new GymnasiumBridgeError(id, 'space', `env ${id}: action space ${String(a)} maps to gymlab's ${a.constructor.name}, which no gymlab agent takes yet`);
  }
  return { obs: o, act: a };
}

/** A Gymnasium id as the bridge lists it: its spaces, or why it cannot be made here. */
export interface GymnasiumListing {
  readonly id: string;
  readonly observationSpace: string | null;
  readonly actionSpace: string | null;
  readonly unavailable: string | null;
}

/** Every id registered in the child's Gymnasium (ALE's too when ale-py imports), each made once to read its spaces. */
export function listGymnasiumEnvs(opts: Pick<GymnasiumOptions, 'python' | 'pythonPath' | 'startTimeoutMs'> = {}): GymnasiumListing[] {
  const python = opts.python ?? 'python3';
  const where = `Gymnasium bridge (${python})`;
  let child: SyncChild;
  try {
    child = new SyncChild({ command: python, args: ['-u', BRIDGE_SCRIPT], env: childEnv(opts.pythonPath), startTimeoutMs: opts.startTimeoutMs ?? 300_000 });
  } catch (err) {
    if (err instanceof ChildFaultError) throw new GymnasiumBridgeError('*', 'no-python', `${where}: ${err.message}`);
    throw err;
  }
  try {
    child.send(frame(MSG.list));
    const reply = child.receive(opts.startTimeoutMs ?? 300_000);
    const body = reply.subarray(1);
    if (reply[0] === MSG.error) {
      const e = parseJson(body) as { kind?: string; message?: string };
      throw new GymnasiumBridgeError('*', (e.kind ?? 'exception') as BridgeFaultKind, `${where}: ${e.message ?? 'failed'}`);
    }
    const entries = parseJson(body) as { id: string; observation_space?: WireSpace; action_space?: WireSpace; unavailable?: string }[];
    return entries.map((e) => ({
      id: e.id,
      observationSpace: e.observation_space ? String(spaceFromWire(e.observation_space)) : null,
      actionSpace: e.action_space ? String(spaceFromWire(e.action_space)) : null,
      unavailable: e.unavailable ?? null,
    }));
  } catch (err) {
    if (err instanceof ChildFaultError) {
      const f = err.fault;
      throw new GymnasiumBridgeError('*', f.kind, f.kind === 'no-python' ? `${where}: cannot start ${python} (${f.message})` : `${where}: the Python child ${f.message}${lastLine('stderr' in f ? f.stderr : '') ? `: ${lastLine('stderr' in f ? f.stderr : '')}` : ''}`);
    }
    throw err;
  } finally {
    child.close();
  }
}

/** The child's environment: this process's, with `pythonPath` before `PYTHONPATH`. */
function childEnv(extra: readonly string[] = []): Record<string, string> {
  const pythonPath = [...extra, ...(process.env['PYTHONPATH'] ?? '').split(delimiter).filter((p) => p !== '')];
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  if (pythonPath.length > 0) env['PYTHONPATH'] = pythonPath.join(delimiter);
  env['PYTHONUNBUFFERED'] = '1';
  return env;
}

/** The spaces and registration facts of a Gymnasium env, asked of a short-lived child. */
export function describeGymnasiumEnv(id: string, opts: GymnasiumOptions = {}): BridgedEnvFacts {
  const p = new BridgeProcess(id, 1, opts);
  p.close();
  return p.facts;
}

/** `numEnvs` copies of a Gymnasium env in one Python child, stepped in lockstep with explicit auto-reset (see `VectorStep`). */
export class GymnasiumVectorEnv implements VectorEnv, SnapshotEnv {
  readonly numEnvs: number;
  readonly singleObservationSpace: BoxSpace;
  readonly singleActionSpace: Space;
  readonly info: EnvInfo;
  private readonly proc: BridgeProcess;
  private readonly trackers: EpisodeTracker[];
  private everReset = false;
  private readonly seeds = new RestartSeeds();
  private lastRestarts: readonly RestartedEnv[] = [];

  constructor(id: string, numEnvs: number, opts: GymnasiumOptions = {}) {
    if (!Number.isInteger(numEnvs) || numEnvs < 1) throw new RangeError(`GymnasiumVectorEnv: numEnvs must be a positive integer, got ${numEnvs}`);
    this.numEnvs = numEnvs;
    this.proc = new BridgeProcess(id, numEnvs, opts);
    const { obs, act } = agentSpaces(id, this.proc.facts, () => this.proc.close());
    this.singleObservationSpace = obs;
    this.singleActionSpace = act;
    this.info = this.proc.facts.info;
    this.trackers = Array.from({ length: numEnvs }, () => new EpisodeTracker());
  }

  /** Resets every sub-env, sub-env i with `seed + i`; the first reset without a seed uses seed 0 (as `SyncVectorEnv`). */
  reset(options?: { seed?: number }): Float32Array {
    const seed = options?.seed ?? (this.everReset ? undefined : FIRST_SEED);
    this.everReset = true;
    for (const t of this.trackers) t.reset();
    this.seeds.seeded(seed);
    return this.proc.reset(seed);
  }

  /** A restart snapshot (see the module comment). */
  snapshot(): EnvSnapshot {
    return this.seeds.snapshot(this.everReset);
  }

  /** Resets every sub-env with the snapshot's restart seed (when it had been reset); `restarted()` lists them. */
  restore(s: EnvSnapshot): void {
    const { seed, ready } = RestartSeeds.read(s, `${this.info.id} bridge snapshot`);
    this.lastRestarts = [];
    if (!ready) return;
    const obs = this.reset({ seed });
    const size = this.singleObservationSpace.size;
    this.lastRestarts = this.trackers.map((_, i) => ({ envIndex: i, obs: obs.slice(i * size, (i + 1) * size) }));
  }

  /** The sub-envs the last `restore` started afresh (all of them) with their first observations. */
  restarted(): readonly RestartedEnv[] {
    return this.lastRestarts;
  }

  step(actions: ActionBatch): VectorStep {
    const size = this.singleActionSpace.kind === 'box' ? this.singleActionSpace.size : 1;
    if (actions.length !== this.numEnvs * size) {
      throw new RangeError(`${this.info.id}: vector step needs ${this.numEnvs * size} action values, got ${actions.length}`);
    }
    const m = this.proc.step(actions);
    this.seeds.stepped();
    const finished: EpisodeStat[] = [];
    for (let i = 0; i < this.numEnvs; i++) {
      const t = this.trackers[i];
      t.add(m.reward[i]);
      if (m.terminated[i] || m.truncated[i]) {
        finished.push({ envIndex: i, return: t.return, length: t.length, terminated: m.terminated[i] === 1 });
        t.reset();
      }
    }
    return { nextObs: m.nextObs.data, obs: m.obs.data, reward: m.reward, terminated: m.terminated, truncated: m.truncated, finished };
  }

  close(): void {
    this.proc.close();
  }

  /** The Python child's process id. */
  get pid(): number | null {
    return this.proc.pid;
  }
}

/**
 * One Gymnasium env in a Python child. After an episode ends the child has already reset it
 * (unseeded, as Gymnasium's `reset()`), so an unseeded `reset()` then costs no message.
 */
export class GymnasiumEnv implements Env, SnapshotEnv {
  readonly observationSpace: BoxSpace;
  readonly actionSpace: Space;
  readonly info: EnvInfo;
  private readonly proc: BridgeProcess;
  private pending: Float32Array | null = null;
  private readonly actionBuf: Float32Array;
  private readonly seeds = new RestartSeeds();
  private everReset = false;

  constructor(id: string, opts: GymnasiumOptions = {}) {
    this.proc = new BridgeProcess(id, 1, opts);
    const { obs, act } = agentSpaces(id, this.proc.facts, () => this.proc.close());
    this.observationSpace = obs;
    this.actionSpace = act;
    this.info = this.proc.facts.info;
    this.actionBuf = new Float32Array(act.kind === 'box' ? act.size : 1);
  }

  reset(options?: { seed?: number }): [obs: Float32Array, info: Info] {
    if (options?.seed === undefined && this.pending !== null) {
      const obs = this.pending;
      this.pending = null;
      return [obs, {}];
    }
    this.pending = null;
    this.everReset = true;
    this.seeds.seeded(options?.seed);
    return [this.proc.reset(options?.seed), {}];
  }

  /** A restart snapshot (see the module comment). */
  snapshot(): EnvSnapshot {
    return this.seeds.snapshot(this.everReset);
  }

  /** Resets the env with the snapshot's restart seed (when it had been reset); the next unseeded `reset()` returns that episode's start. */
  restore(s: EnvSnapshot): void {
    const { seed, ready } = RestartSeeds.read(s, `${this.info.id} bridge snapshot`);
    if (!ready) return;
    const [obs] = this.reset({ seed });
    this.pending = obs;
  }

  step(action: Action): StepResult {
    if (typeof action === 'number') this.actionBuf[0] = action;
    else this.actionBuf.set(action);
    const m = this.proc.step(this.actionBuf);
    this.seeds.stepped();
    const terminated = m.terminated[0] === 1;
    const truncated = m.truncated[0] === 1;
    this.pending = terminated || truncated ? m.obs.data : null;
    return [m.nextObs.data, m.reward[0], terminated, truncated, {}];
  }

  close(): void {
    this.proc.close();
  }

  /** The Python child's process id. */
  get pid(): number | null {
    return this.proc.pid;
  }
}
