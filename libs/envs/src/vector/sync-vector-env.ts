/**
 * Gymnasium's `SyncVectorEnv` with explicit auto-reset: sub-envs step in turn, in one process.
 * An ended sub-env is reset within the same `step()`; its final observation goes to `nextObs`
 * and the new episode's first observation to `obs` (see `VectorStep` in core.ts). The batches are
 * float32 whatever the sub-envs' dtype: a float64 observation (MuJoCo's) is rounded to nearest as
 * it is copied in, once per step, as SLM Lab's `torch.from_numpy(obs).float()` does.
 */
import { DEFAULT_SEED } from '../classic-control/base.js';
import type { ActionBatch, BoxSpace, Env, EnvInfo, EpisodeStat, Space, VectorEnv, VectorStep } from '../core.js';
import { EpisodeTracker } from '../wrappers/record-episode-statistics.js';
import { EnvSnapshotError, innerSnapshot, isRestartSnapshot, restoreInner, snapshotFlag, snapshotNumbers, type EnvSnapshot, type RestartedEnv, type SnapshotEnv } from '../snapshot.js';

/**
 * When an ended sub-env starts its next episode (Gymnasium 1.x's `AutoresetMode`):
 * - `same-step`: in the step that ended it; that step's `obs` is the new episode's first observation.
 * - `next-step`: in the following step, which ignores the sub-env's action and returns reward 0,
 *   not terminated, not truncated, and the first observation as both `obs` and `nextObs`; the
 *   ending step's `obs` is its final observation. Gymnasium's default, the batches SLM Lab trains on
 *   (one extra row per episode: the final observation, an ignored action, reward 0).
 */
export type AutoresetMode = 'same-step' | 'next-step';

export interface SyncVectorEnvOptions {
  /** Default `same-step`. */
  readonly autoreset?: AutoresetMode;
}

export class SyncVectorEnv implements VectorEnv, SnapshotEnv {
  readonly numEnvs: number;
  readonly singleObservationSpace: BoxSpace;
  readonly singleActionSpace: Space;
  readonly info: EnvInfo;
  private readonly envs: readonly Env[];
  private readonly obsSize: number;
  private readonly actionSize: number;
  private readonly trackers: EpisodeTracker[];
  /** Per-env action buffers (box action spaces only). */
  private readonly actionBufs: Float32Array[];
  private everReset = false;
  private ready = false;
  private lastRestarts: readonly RestartedEnv[] = [];
  readonly autoreset: AutoresetMode;
  /** next-step: the sub-envs whose episode ended in the last step (reset in the next one). */
  private readonly pendingReset: Uint8Array;

  /** Steps `envs` in lockstep; they must share their spaces (e.g. built by one factory). */
  constructor(envs: readonly Env[], options: SyncVectorEnvOptions = {}) {
    if (envs.length < 1) throw new RangeError('SyncVectorEnv: needs at least one env');
    this.envs = [...envs];
    this.numEnvs = envs.length;
    const first = envs[0];
    this.singleObservationSpace = first.observationSpace;
    this.singleActionSpace = first.actionSpace;
    this.info = first.info;
    this.obsSize = first.observationSpace.size;
    this.actionSize = first.actionSpace.kind === 'box' ? first.actionSpace.size : 1;
    for (const e of envs) {
      if (e.observationSpace.size !== this.obsSize || e.actionSpace.kind !== first.actionSpace.kind) {
        throw new RangeError('SyncVectorEnv: all sub-envs must have the same spaces');
      }
    }
    this.trackers = envs.map(() => new EpisodeTracker());
    this.actionBufs = first.actionSpace.kind === 'box' ? envs.map(() => new Float32Array(this.actionSize)) : [];
    this.autoreset = options.autoreset ?? 'same-step';
    this.pendingReset = new Uint8Array(envs.length);
  }

  /**
   * Resets every sub-env, seeding sub-env i with `seed + i`. Without a seed the sub-envs continue
   * their own generators, except on the very first reset, which uses seed 0 (+ i).
   */
  reset(options?: { seed?: number }): Float32Array {
    const seed = options?.seed ?? (this.everReset ? undefined : DEFAULT_SEED);
    const out = new Float32Array(this.numEnvs * this.obsSize);
    for (let i = 0; i < this.numEnvs; i++) {
      const [o] = this.envs[i].reset(seed === undefined ? undefined : { seed: seed + i });
      out.set(o, i * this.obsSize);
      this.trackers[i].reset();
    }
    this.pendingReset.fill(0);
    this.everReset = true;
    this.ready = true;
    return out;
  }

  /** Returns fresh arrays the caller may keep. */
  step(actions: ActionBatch): VectorStep {
    if (!this.ready) throw new Error(`${this.info.id}: call reset() before step() on the vector env`);
    const n = this.numEnvs;
    const obsSize = this.obsSize;
    const box = this.actionBufs.length > 0;
    const expected = box ? n * this.actionSize : n;
    if (actions.length !== expected) {
      throw new RangeError(`${this.info.id}: vector step needs ${expected} action values, got ${actions.length}`);
    }
    const nextObs = new Float32Array(n * obsSize);
    const obs = new Float32Array(n * obsSize);
    const reward = new Float64Array(n);
    const terminated = new Uint8Array(n);
    const truncated = new Uint8Array(n);
    const finished: EpisodeStat[] = [];
    for (let i = 0; i < n; i++) {
      const env = this.envs[i];
      const off = i * obsSize;
      if (this.pendingReset[i] !== 0) {
        // next-step autoreset: this step only resets the sub-env (reward 0, flags false)
        this.pendingReset[i] = 0;
        const o = env.reset()[0];
        nextObs.set(o, off);
        obs.set(o, off);
        continue;
      }
      let result;
      if (box) {
        const buf = this.actionBufs[i];
        const off = i * this.actionSize;
        for (let j = 0; j < buf.length; j++) buf[j] = actions[off + j];
        result = env.step(buf);
      } else {
        result = env.step(actions[i]);
      }
      const [o, r, te, tr] = result;
      nextObs.set(o, off);
      reward[i] = r;
      terminated[i] = te ? 1 : 0;
      truncated[i] = tr ? 1 : 0;
      const tracker = this.trackers[i];
      tracker.add(r);
      if (te || tr) {
        finished.push({ envIndex: i, return: tracker.return, length: tracker.length, terminated: te });
        tracker.reset();
        if (this.autoreset === 'next-step') {
          this.pendingReset[i] = 1;
          obs.set(o, off);
        } else {
          obs.set(env.reset()[0], off);
        }
      } else {
        obs.set(o, off);
      }
    }
    return { nextObs, obs, reward, terminated, truncated, finished };
  }

  /**
   * Every sub-env's snapshot, the running episode returns and lengths, and the reset flags
   * (`EnvSnapshotUnsupported` when a sub-env has none). A sub-env that gives a restart snapshot
   * (Box2D) starts a fresh episode when restored: see `restarted()`.
   */
  snapshot(): EnvSnapshot {
    return {
      envs: this.envs.map((e) => innerSnapshot(e)),
      returns: this.trackers.map((t) => t.return),
      lengths: this.trackers.map((t) => t.length),
      everReset: this.everReset,
      ready: this.ready,
      ...(this.autoreset === 'next-step' ? { pendingReset: Array.from(this.pendingReset) } : {}),
    };
  }

  restore(s: EnvSnapshot): void {
    const where = `${this.info.id} vector snapshot`;
    const envs = s.envs;
    if (!Array.isArray(envs) || envs.length !== this.numEnvs) throw new EnvSnapshotError(`${where}.envs must hold ${this.numEnvs} sub-env snapshots`);
    const returns = snapshotNumbers(s, 'returns', where, this.numEnvs);
    const lengths = snapshotNumbers(s, 'lengths', where, this.numEnvs);
    const everReset = snapshotFlag(s, 'everReset', where);
    const ready = snapshotFlag(s, 'ready', where);
    const pending = this.autoreset === 'next-step' ? snapshotNumbers(s, 'pendingReset', where, this.numEnvs) : null;
    const subs = envs as readonly EnvSnapshot[];
    this.envs.forEach((e, i) => restoreInner(e, subs[i], `${where}.envs[${i}]`));
    this.trackers.forEach((t, i) => t.restore(returns[i], lengths[i]));
    this.everReset = everReset;
    this.ready = ready;
    this.pendingReset.set(pending ?? []);
    // a sub-env saved by a restart snapshot starts a fresh episode now, from its saved generator
    const restarts: RestartedEnv[] = [];
    if (ready) {
      subs.forEach((sub, i) => {
        if (!isRestartSnapshot(sub)) return;
        restarts.push({ envIndex: i, obs: Float32Array.from(this.envs[i].reset()[0]) });
        this.pendingReset[i] = 0;
        this.trackers[i].reset();
      });
    }
    this.lastRestarts = restarts;
  }

  /** The sub-envs the last `restore` started afresh (restart snapshots) with their first observations; empty when it restored all exactly. */
  restarted(): readonly RestartedEnv[] {
    return this.lastRestarts;
  }

  close(): void {
    for (const e of this.envs) e.close();
    this.ready = false;
  }
}
