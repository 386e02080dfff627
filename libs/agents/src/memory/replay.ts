/**
 * SLM Lab's `Replay` memory: a ring buffer of single transitions (s, a, r, s', terminated) in flat
 * typed arrays, sampled uniformly with replacement. One vector-env step adds one transition per
 * sub-env. Only `terminated` is stored as "done": a time-limit truncation keeps its bootstrap
 * (s' is the true final observation, which the vector env hands over as `nextObs`).
 *
 * `use_cer` (combined experience replay, Zhang & Sutton 2017): the last row of every batch is the
 * newest transition.
 */
import type { Rng } from '@gymlab/random';

export interface ReplayConfig {
  readonly obsSize: number;
  readonly maxSize: number;
  readonly batchSize: number;
  readonly useCer: boolean;
}

/** One sampled batch. The arrays are the memory's own buffers, overwritten by the next `sample`. */
export interface ReplayBatch {
  readonly size: number;
  /** Memory rows sampled, [B]. */
  readonly idx: Int32Array;
  /** [B * obsSize] */
  readonly obs: Float32Array;
  /** [B] */
  readonly action: Int32Array;
  /** [B] */
  readonly reward: Float32Array;
  /** [B * obsSize] */
  readonly nextObs: Float32Array;
  /** [B], 1 where the episode terminated at this transition (no bootstrap). */
  readonly terminated: Float32Array;
}

export class Replay {
  readonly obsSize: number;
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
  protected readonly action: Int32Array;
  protected readonly reward: Float32Array;
  protected readonly nextObs: Float32Array;
  protected readonly terminated: Uint8Array;
  private readonly batch: { idx: Int32Array; obs: Float32Array; action: Int32Array; reward: Float32Array; nextObs: Float32Array; terminated: Float32Array };

  constructor(cfg: ReplayConfig) {
    if (!Number.isInteger(cfg.maxSize) || cfg.maxSize < 1) throw new RangeError(`memory.max_size must be a positive integer, got ${cfg.maxSize}`);
    if (!Number.isInteger(cfg.batchSize) || cfg.batchSize < 1) throw new RangeError(`memory.batch_size must be a positive integer, got ${cfg.batchSize}`);
    this.obsSize = cfg.obsSize;
    this.maxSize = cfg.maxSize;
    this.batchSize = cfg.batchSize;
    this.useCer = cfg.useCer;
    const n = cfg.maxSize;
    this.obs = new Float32Array(n * cfg.obsSize);
    this.action = new Int32Array(n);
    this.reward = new Float32Array(n);
    this.nextObs = new Float32Array(n * cfg.obsSize);
    this.terminated = new Uint8Array(n);
    const b = cfg.batchSize;
    this.batch = {
      idx: new Int32Array(b),
      obs: new Float32Array(b * cfg.obsSize),
      action: new Int32Array(b),
      reward: new Float32Array(b),
      nextObs: new Float32Array(b * cfg.obsSize),
      terminated: new Float32Array(b),
    };
  }

  /**
   * Adds one transition read from row `row` of flat batch arrays (as in `Transitions`).
   * Returns the row it was written to.
   */
  add(obs: Float32Array, action: number, reward: number, nextObs: Float32Array, terminated: boolean, row = 0): number {
    const d = this.obsSize;
    this.head = (this.head + 1) % this.maxSize;
    const h = this.head;
    this.obs.set(obs.subarray(row * d, row * d + d), h * d);
    this.nextObs.set(nextObs.subarray(row * d, row * d + d), h * d);
    this.action[h] = action;
    this.reward[h] = reward;
    this.terminated[h] = terminated ? 1 : 0;
    if (this.size < this.maxSize) this.size++;
    this.seenSize++;
    this.onAdd(h);
    return h;
  }

  /** Hook for subclasses (priorities). */
  protected onAdd(_row: number): void {}

  /** Rows to sample: uniform with replacement over the held transitions. */
  protected sampleIdx(rng: Rng, out: Int32Array): void {
    for (let i = 0; i < out.length; i++) out[i] = rng.int(this.size);
  }

  /** Samples `batchSize` transitions (with `use_cer`, the last one is the newest). */
  sample(rng: Rng): ReplayBatch {
    if (this.size === 0) throw new Error('cannot sample an empty replay memory');
    const bt = this.batch;
    this.sampleIdx(rng, bt.idx);
    if (this.useCer) bt.idx[bt.idx.length - 1] = this.head;
    const d = this.obsSize;
    for (let i = 0; i < bt.idx.length; i++) {
      const j = bt.idx[i];
      bt.obs.set(this.obs.subarray(j * d, j * d + d), i * d);
      bt.nextObs.set(this.nextObs.subarray(j * d, j * d + d), i * d);
      bt.action[i] = this.action[j];
      bt.reward[i] = this.reward[j];
      bt.terminated[i] = this.terminated[j];
    }
    return { size: bt.idx.length, ...bt };
  }

  /** Plain replay keeps no priorities; PrioritizedReplay overrides this. */
  updatePriorities(_absTdErrors: ArrayLike<number>): void {}

  /** Whether `updatePriorities` has an effect (the algorithm reads TD errors back only then). */
  get prioritized(): boolean {
    return false;
  }
}
