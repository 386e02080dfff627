/**
 * SLM Lab's `Replay` memory: a ring buffer of single transitions (s, a, r, s', terminated) in flat
 * typed arrays, sampled uniformly with replacement. One vector-env step adds one transition per
 * sub-env. Only `terminated` is stored as "done": a time-limit truncation keeps its bootstrap
 * (s' is the true final observation, which the vector env hands over as `nextObs`).
 *
 * Actions are discrete indices (`Int32Array`, one per transition; the default) or continuous
 * vectors (`continuousActions(d)`: a `Float32Array` of d numbers per transition).
 *
 * `use_cer` (combined experience replay, Zhang & Sutton 2017): the last row of every batch is the
 * newest transition.
 *
 * `getState(prefix)` / `setState(prefix, state)`: the whole buffer (every row, fixed shapes) and its
 * counters as checkpoint tensors and metadata, so a resumed run continues with the same memory.
 */
import type { Rng } from '@gymlab/random';
import type { TensorData } from '../net/types.js';

/** How actions are stored: `size` numbers per transition in an array made by `alloc`. */
export interface ActionLayout<A extends Int32Array | Float32Array> {
  readonly size: number;
  alloc(n: number): A;
}

/** Discrete actions: one index per transition. */
export const DISCRETE_ACTIONS: ActionLayout<Int32Array> = { size: 1, alloc: (n) => new Int32Array(n) };

/** Continuous actions: `d` numbers per transition. */
export function continuousActions(d: number): ActionLayout<Float32Array> {
  if (!Number.isInteger(d) || d < 1) throw new RangeError(`continuous actions need a positive integer size, got ${d}`);
  return { size: d, alloc: (n) => new Float32Array(n) };
}

export interface ReplayConfig {
  readonly obsSize: number;
  readonly maxSize: number;
  readonly batchSize: number;
  readonly useCer: boolean;
}

/** Counters of a replay memory as checkpoint metadata. */
export interface ReplayCounters {
  readonly size: number;
  readonly seenSize: number;
  readonly head: number;
}

/** One sampled batch. The arrays are the memory's own buffers, overwritten by the next `sample`. */
export interface ReplayBatch<A extends Int32Array | Float32Array = Int32Array> {
  readonly size: number;
  /** Memory rows sampled, [B]. */
  readonly idx: Int32Array;
  /** [B * obsSize] */
  readonly obs: Float32Array;
  /** [B * actionSize]: indices (discrete) or action vectors (continuous). */
  readonly action: A;
  /** [B] */
  readonly reward: Float32Array;
  /** [B * obsSize] */
  readonly nextObs: Float32Array;
  /** [B], 1 where the episode terminated at this transition (no bootstrap). */
  readonly terminated: Float32Array;
}

export class Replay<A extends Int32Array | Float32Array = Int32Array> {
  readonly obsSize: number;
  /** Numbers per stored action (1 for discrete indices). */
  readonly actionSize: number;
  readonly maxSize: number;
  readonly batchSize: number;
  readonly useCer: boolean;
  /** Transitions held, <= maxSize. */
  size = 0;
  /** Transitions ever added (SLM Lab's `seen_size`). */
  seenSize = 0;
  /** Row of the newest transition; -1 while empty (SLM Lab's `head`). */
  head = -1;

  protected readonly obs: Float32Array;
  protected readonly action: A;
  protected readonly reward: Float32Array;
  protected readonly nextObs: Float32Array;
  protected readonly terminated: Uint8Array;
  private readonly batch: { idx: Int32Array; obs: Float32Array; action: A; reward: Float32Array; nextObs: Float32Array; terminated: Float32Array };

  /** `actions`: how actions are stored; discrete indices when omitted (then A must be Int32Array). */
  constructor(cfg: ReplayConfig, actions?: ActionLayout<A>) {
    if (!Number.isInteger(cfg.maxSize) || cfg.maxSize < 1) throw new RangeError(`memory.max_size must be a positive integer, got ${cfg.maxSize}`);
    if (!Number.isInteger(cfg.batchSize) || cfg.batchSize < 1) throw new RangeError(`memory.batch_size must be a positive integer, got ${cfg.batchSize}`);
    const layout = actions ?? (DISCRETE_ACTIONS as unknown as ActionLayout<A>);
    this.obsSize = cfg.obsSize;
    this.actionSize = layout.size;
    this.maxSize = cfg.maxSize;
    this.batchSize = cfg.batchSize;
    this.useCer = cfg.useCer;
    const n = cfg.maxSize;
    this.obs = new Float32Array(n * cfg.obsSize);
    this.action = layout.alloc(n * layout.size);
    this.reward = new Float32Array(n);
    this.nextObs = new Float32Array(n * cfg.obsSize);
    this.terminated = new Uint8Array(n);
    const b = cfg.batchSize;
    this.batch = {
      idx: new Int32Array(b),
      obs: new Float32Array(b * cfg.obsSize),
      action: layout.alloc(b * layout.size),
      reward: new Float32Array(b),
      nextObs: new Float32Array(b * cfg.obsSize),
      terminated: new Float32Array(b),
    };
  }

  /**
   * Adds one transition read from row `row` of flat batch arrays (as in `Transitions`); `action` is
   * the index of a discrete action (memories with `actionSize` 1).
   * Returns the row it was written to.
   */
  add(obs: Float32Array, action: number, reward: number, nextObs: Float32Array, terminated: boolean, row = 0): number {
    if (this.actionSize !== 1) throw new Error(`Replay.add takes one number per action; this memory stores ${this.actionSize}: use addRow`);
    const h = this.write(obs, reward, nextObs, terminated, row);
    this.action[h] = action;
    this.onAdd(h);
    return h;
  }

  /**
   * Adds row `row` of a vector step's flat arrays: `actions` holds `actionSize` numbers per row
   * (indices or vectors), `reward` and `terminated` one per row. Returns the memory row written.
   */
  addRow(obs: Float32Array, actions: ArrayLike<number>, reward: ArrayLike<number>, nextObs: Float32Array, terminated: ArrayLike<number>, row: number): number {
    const h = this.write(obs, reward[row], nextObs, terminated[row] === 1, row);
    const k = this.actionSize;
    for (let i = 0; i < k; i++) this.action[h * k + i] = actions[row * k + i];
    this.onAdd(h);
    return h;
  }

  /** Advances the head and writes everything but the action; counts the transition. */
  private write(obs: Float32Array, reward: number, nextObs: Float32Array, terminated: boolean, row: number): number {
    const d = this.obsSize;
    this.head = (this.head + 1) % this.maxSize;
    const h = this.head;
    this.obs.set(obs.subarray(row * d, row * d + d), h * d);
    this.nextObs.set(nextObs.subarray(row * d, row * d + d), h * d);
    this.reward[h] = reward;
    this.terminated[h] = terminated ? 1 : 0;
    if (this.size < this.maxSize) this.size++;
    this.seenSize++;
    return h;
  }

  /** Hook for subclasses (priorities). */
  protected onAdd(_row: number): void {}

  /** Rows to sample: uniform with replacement over the held transitions. */
  protected sampleIdx(rng: Rng, out: Int32Array): void {
    for (let i = 0; i < out.length; i++) out[i] = rng.int(this.size);
  }

  /** Samples `batchSize` transitions (with `use_cer`, the last one is the newest). */
  sample(rng: Rng): ReplayBatch<A> {
    if (this.size === 0) throw new Error('cannot sample an empty replay memory');
    const bt = this.batch;
    this.sampleIdx(rng, bt.idx);
    if (this.useCer) bt.idx[bt.idx.length - 1] = this.head;
    const d = this.obsSize;
    const k = this.actionSize;
    for (let i = 0; i < bt.idx.length; i++) {
      const j = bt.idx[i];
      bt.obs.set(this.obs.subarray(j * d, j * d + d), i * d);
      bt.nextObs.set(this.nextObs.subarray(j * d, j * d + d), i * d);
      if (k === 1) bt.action[i] = this.action[j];
      else bt.action.set(this.action.subarray(j * k, j * k + k), i * k);
      bt.reward[i] = this.reward[j];
      bt.terminated[i] = this.terminated[j];
    }
    return { size: bt.idx.length, ...bt };
  }

  /** The buffer as checkpoint tensors `${prefix}/obs|next_obs|action|reward|terminated` (every row) and its counters. */
  getState(prefix: string): { tensors: Record<string, TensorData>; counters: ReplayCounters } {
    const n = this.maxSize;
    return {
      tensors: {
        [`${prefix}/obs`]: { shape: [n, this.obsSize], data: this.obs.slice() },
        [`${prefix}/next_obs`]: { shape: [n, this.obsSize], data: this.nextObs.slice() },
        [`${prefix}/action`]: { shape: [n, this.actionSize], data: Float32Array.from(this.action) },
        [`${prefix}/reward`]: { shape: [n], data: this.reward.slice() },
        [`${prefix}/terminated`]: { shape: [n], data: Float32Array.from(this.terminated) },
      },
      counters: { size: this.size, seenSize: this.seenSize, head: this.head },
    };
  }

  /** Restores `getState(prefix)`; throws naming the first missing or mis-shaped tensor or a bad counter. */
  setState(prefix: string, tensors: Readonly<Record<string, TensorData>>, counters: ReplayCounters): void {
    const n = this.maxSize;
    const { size, seenSize, head } = counters;
    if (!Number.isInteger(size) || size < 0 || size > n || !Number.isInteger(seenSize) || seenSize < size || !Number.isInteger(head) || head < -1 || head >= n) {
      throw new Error(`replay state: counters size ${size}, seen ${seenSize}, head ${head} do not fit a memory of ${n}`);
    }
    const take = (key: string, len: number): Float32Array => {
      const t = tensors[`${prefix}/${key}`];
      if (t === undefined) throw new Error(`replay state lacks tensor '${prefix}/${key}'`);
      if (t.data.length !== len) throw new Error(`replay state tensor '${prefix}/${key}' has ${t.data.length} numbers, the memory needs ${len}`);
      return t.data;
    };
    this.obs.set(take('obs', n * this.obsSize));
    this.nextObs.set(take('next_obs', n * this.obsSize));
    this.action.set(take('action', n * this.actionSize));
    this.reward.set(take('reward', n));
    this.terminated.set(take('terminated', n));
    this.size = size;
    this.seenSize = seenSize;
    this.head = head;
  }

  /** Plain replay keeps no priorities; PrioritizedReplay overrides this. */
  updatePriorities(_absTdErrors: ArrayLike<number>): void {}

  /** Whether `updatePriorities` has an effect (the algorithm reads TD errors back only then). */
  get prioritized(): boolean {
    return false;
  }
}
