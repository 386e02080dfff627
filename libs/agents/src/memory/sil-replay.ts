/**
 * Self-imitation learning's replay (Oh et al. 2018; SLM Lab's `memory.sil_replay_name: Replay`): a
 * ring buffer of (s, a, R) where R is the transition's discounted Monte-Carlo return within its
 * episode. Transitions wait per sub-env until their episode ends (terminated or truncated; a
 * truncated episode's returns count only the rewards seen, a lower bound, no bootstrap), then the
 * returns are computed backwards in float64 and the episode's transitions enter the ring. Sampled
 * uniformly with replacement; with `use_cer` the last row of a batch is the newest transition.
 *
 * SLM Lab instead stores raw transitions and computes returns over each randomly sampled batch as
 * if it were one trajectory; this store gives every transition its true return.
 *
 * Actions are stored as floats (`actionSize` per row: 1 for a discrete index, the box size for
 * continuous actions). A pending episode longer than `maxSize` keeps only its newest `maxSize`
 * steps (the older ones could never fit the ring with their returns).
 *
 * `getState(prefix)` / `setState(prefix, state)`: the ring (every row, as checkpoint tensors), its
 * counters and the pending episodes (rewards as float64 numbers), so a resumed run samples the
 * same batches.
 */
import type { Rng } from '@gymlab/random';
import type { TensorData } from '../net/types.js';

export interface SilReplayConfig {
  readonly obsSize: number;
  readonly actionSize: number;
  readonly numEnvs: number;
  readonly maxSize: number;
  readonly batchSize: number;
  readonly useCer: boolean;
  readonly gamma: number;
}

/** One sampled batch: the memory's own buffers, overwritten by the next `sample`. */
export interface SilBatch {
  readonly size: number;
  /** [B * obsSize] */
  readonly obs: Float32Array;
  /** [B * actionSize] */
  readonly actions: Float32Array;
  /** [B] discounted returns. */
  readonly returns: Float32Array;
}

/** The episodes waiting for their end, sub-env after sub-env, as plain numbers (JSON-safe). */
export interface SilPendingState {
  /** Steps waiting per sub-env ([numEnvs]). */
  readonly lens: readonly number[];
  readonly obs: readonly number[];
  readonly actions: readonly number[];
  readonly rewards: readonly number[];
}

/** The ring's counters (size, newest row) and the pending episodes of a `SilReplay.getState`. */
export type SilReplayCounters = { readonly size: number; readonly head: number; readonly pending: SilPendingState };

/** One sub-env's unfinished episode, grown by doubling up to maxSize rows. */
class PendingEpisode {
  len = 0;
  obs = new Float32Array(0);
  actions = new Float32Array(0);
  rewards = new Float64Array(0);

  constructor(
    private readonly obsSize: number,
    private readonly actionSize: number,
    private readonly maxSize: number,
  ) {}

  push(obs: ArrayLike<number>, obsAt: number, actions: ArrayLike<number>, actAt: number, reward: number): void {
    const d = this.obsSize;
    const w = this.actionSize;
    if (this.len === this.maxSize) {
      // keep the newest maxSize - 1 steps: drop the oldest
      this.obs.copyWithin(0, d);
      this.actions.copyWithin(0, w);
      this.rewards.copyWithin(0, 1);
      this.len--;
    } else if (this.len === this.rewards.length) {
      const cap = Math.min(this.maxSize, Math.max(16, 2 * this.len));
      const grow = <T extends Float32Array | Float64Array>(a: T, make: (n: number) => T, width: number): T => {
        const b = make(cap * width);
        b.set(a);
        return b;
      };
      this.obs = grow(this.obs, (n) => new Float32Array(n), d);
      this.actions = grow(this.actions, (n) => new Float32Array(n), w);
      this.rewards = grow(this.rewards, (n) => new Float64Array(n), 1);
    }
    const t = this.len;
    for (let c = 0; c < d; c++) this.obs[t * d + c] = obs[obsAt + c];
    for (let c = 0; c < w; c++) this.actions[t * w + c] = actions[actAt + c];
    this.rewards[t] = reward;
    this.len++;
  }
}

export class SilReplay {
  /** Transitions held in the ring, <= maxSize. */
  size = 0;
  /** Row of the newest transition; -1 while empty. */
  head = -1;
  private readonly obs: Float32Array;
  private readonly actions: Float32Array;
  private readonly returns: Float32Array;
  private readonly pending: PendingEpisode[];
  private readonly batch: { obs: Float32Array; actions: Float32Array; returns: Float32Array; idx: Int32Array };

  constructor(private readonly cfg: SilReplayConfig) {
    if (!Number.isInteger(cfg.maxSize) || cfg.maxSize < 1) throw new RangeError(`memory.max_size must be a positive integer, got ${cfg.maxSize}`);
    if (!Number.isInteger(cfg.batchSize) || cfg.batchSize < 1) throw new RangeError(`memory.batch_size must be a positive integer, got ${cfg.batchSize}`);
    const { obsSize: d, actionSize: w, maxSize: n, batchSize: b } = cfg;
    this.obs = new Float32Array(n * d);
    this.actions = new Float32Array(n * w);
    this.returns = new Float32Array(n);
    this.pending = Array.from({ length: cfg.numEnvs }, () => new PendingEpisode(d, w, n));
    this.batch = { obs: new Float32Array(b * d), actions: new Float32Array(b * w), returns: new Float32Array(b), idx: new Int32Array(b) };
  }

  /** Steps waiting for their episode to end, over all sub-envs. */
  get pendingSize(): number {
    return this.pending.reduce((s, p) => s + p.len, 0);
  }

  /**
   * Adds `rows` transitions in time-major order (row i is sub-env i % numEnvs), e.g. an on-policy
   * batch; an episode that ends (terminated or truncated) moves into the ring with its returns.
   */
  addSteps(s: { obs: Float32Array; actions: ArrayLike<number>; rewards: ArrayLike<number>; terminated: ArrayLike<number>; truncated: ArrayLike<number> }, rows: number): void {
    const { obsSize: d, actionSize: w, numEnvs } = this.cfg;
    for (let i = 0; i < rows; i++) {
      const p = this.pending[i % numEnvs];
      p.push(s.obs, i * d, s.actions, i * w, s.rewards[i]);
      if (s.terminated[i] || s.truncated[i]) this.finish(p);
    }
  }

  /** Discounted returns of the pending episode, backwards; its steps enter the ring oldest first. */
  private finish(p: PendingEpisode): void {
    const { obsSize: d, actionSize: w, maxSize, gamma } = this.cfg;
    const ret = new Float64Array(p.len);
    let g = 0;
    for (let t = p.len - 1; t >= 0; t--) {
      g = p.rewards[t] + gamma * g;
      ret[t] = g;
    }
    for (let t = 0; t < p.len; t++) {
      this.head = (this.head + 1) % maxSize;
      const h = this.head;
      this.obs.set(p.obs.subarray(t * d, t * d + d), h * d);
      this.actions.set(p.actions.subarray(t * w, t * w + w), h * w);
      this.returns[h] = ret[t];
      if (this.size < maxSize) this.size++;
    }
    p.len = 0;
  }

  /** Samples `batchSize` rows uniformly with replacement (with `use_cer`, the last is the newest). */
  sample(rng: Rng): SilBatch {
    if (this.size === 0) throw new Error('cannot sample an empty SIL replay memory');
    const { obsSize: d, actionSize: w } = this.cfg;
    const bt = this.batch;
    const B = bt.idx.length;
    for (let i = 0; i < B; i++) bt.idx[i] = rng.int(this.size);
    if (this.cfg.useCer) bt.idx[B - 1] = this.head;
    for (let i = 0; i < B; i++) {
      const j = bt.idx[i];
      bt.obs.set(this.obs.subarray(j * d, j * d + d), i * d);
      bt.actions.set(this.actions.subarray(j * w, j * w + w), i * w);
      bt.returns[i] = this.returns[j];
    }
    return { size: B, obs: bt.obs, actions: bt.actions, returns: bt.returns };
  }

  /** The ring as checkpoint tensors `${prefix}/obs|actions|returns` (every row) and its counters and pending episodes. */
  getState(prefix: string): { tensors: Record<string, TensorData>; counters: SilReplayCounters } {
    const { obsSize: d, actionSize: w, maxSize: n } = this.cfg;
    const pendingObs: number[] = [];
    const pendingActions: number[] = [];
    const pendingRewards: number[] = [];
    const append = (to: number[], from: ArrayLike<number>, len: number): void => {
      for (let i = 0; i < len; i++) to.push(from[i]);
    };
    for (const p of this.pending) {
      append(pendingObs, p.obs, p.len * d);
      append(pendingActions, p.actions, p.len * w);
      append(pendingRewards, p.rewards, p.len);
    }
    return {
      tensors: {
        [`${prefix}/obs`]: { shape: [n, d], data: this.obs.slice() },
        [`${prefix}/actions`]: { shape: [n, w], data: this.actions.slice() },
        [`${prefix}/returns`]: { shape: [n], data: this.returns.slice() },
      },
      counters: { size: this.size, head: this.head, pending: { lens: this.pending.map((p) => p.len), obs: pendingObs, actions: pendingActions, rewards: pendingRewards } },
    };
  }

  /** Restores `getState(prefix)`; throws naming the first missing or mis-shaped part. */
  setState(prefix: string, tensors: Readonly<Record<string, TensorData>>, c: SilReplayCounters): void {
    const { obsSize: d, actionSize: w, maxSize: n, numEnvs } = this.cfg;
    const p = c.pending;
    if (!Number.isInteger(c.size) || c.size < 0 || c.size > n || !Number.isInteger(c.head) || c.head < -1 || c.head >= n || (c.size === 0) !== (c.head === -1)) {
      throw new Error(`SIL replay state: size ${c.size}, head ${c.head} do not fit a memory of ${n}`);
    }
    if (p.lens.length !== numEnvs || !p.lens.every((x) => Number.isInteger(x) && x >= 0 && x <= n)) {
      throw new Error(`SIL replay state: pending lengths must be ${numEnvs} integers in [0, ${n}]`);
    }
    const total = p.lens.reduce((s, x) => s + x, 0);
    const lists: [string, readonly number[], number][] = [['obs', p.obs, d], ['actions', p.actions, w], ['rewards', p.rewards, 1]];
    for (const [name, list, width] of lists) {
      if (list.length !== total * width) throw new Error(`SIL replay state: pending ${name} has ${list.length} numbers, ${total} steps need ${total * width}`);
    }
    const take = (key: string, len: number): Float32Array => {
      const t = tensors[`${prefix}/${key}`];
      if (t === undefined) throw new Error(`SIL replay state lacks tensor '${prefix}/${key}'`);
      if (t.data.length !== len) throw new Error(`SIL replay state tensor '${prefix}/${key}' has ${t.data.length} numbers, the memory needs ${len}`);
      return t.data;
    };
    this.obs.set(take('obs', n * d));
    this.actions.set(take('actions', n * w));
    this.returns.set(take('returns', n));
    this.size = c.size;
    this.head = c.head;
    let at = 0;
    this.pending.forEach((ep, e) => {
      const len = p.lens[e];
      ep.len = len;
      ep.obs = Float32Array.from(p.obs.slice(at * d, (at + len) * d));
      ep.actions = Float32Array.from(p.actions.slice(at * w, (at + len) * w));
      ep.rewards = Float64Array.from(p.rewards.slice(at, at + len));
      at += len;
    });
  }

  /** Empties the ring and the pending episodes (a plain checkpoint, without the replay, starts with an empty one). */
  reset(): void {
    this.size = 0;
    this.head = -1;
    for (const p of this.pending) p.len = 0;
  }
}
