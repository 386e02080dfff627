/**
 * SLM Lab's `PrioritizedReplay` (Schaul et al. 2015, proportional variant): transitions are sampled
 * with probability p_i / sum_j p_j, where p_i = (|td_i| + epsilon)^alpha.
 *
 * As in SLM Lab:
 * - a new transition enters with the priority of a TD error of 100000, (1e5 + epsilon)^alpha, so it
 *   is almost surely sampled soon (SLM Lab's `add_experience(..., error=100000)`);
 * - each of the `batch_size` draws is an independent uniform draw in [0, total) (no stratification);
 * - `update_priorities` after each optimizer step sets the sampled rows' priorities from the batch's
 *   |Q(s,a) - target|;
 * - there are NO importance-sampling weights (no beta): SLM Lab's loss is unweighted.
 * One deliberate difference: with `use_cer` SLM Lab writes the newest transition's priority into
 * the tree leaf of the draw it replaced; here the newest transition's own leaf gets it.
 */
import type { Rng } from '@gymlab/random';
import { Replay, type ActionLayout, type ReplayBatch, type ReplayConfig } from './replay.js';
import type { TensorData } from '../net/types.js';
import { SumTree } from './sum-tree.js';

export interface PrioritizedReplayConfig extends ReplayConfig {
  /** Priority exponent (0: uniform). */
  readonly alpha: number;
  /** Added to |TD error| so no transition has zero probability. */
  readonly epsilon: number;
}

/** The TD error new transitions are given (SLM Lab's default `error=100000`). */
export const NEW_TRANSITION_ERROR = 100000;

/** Priority of a transition with absolute TD error `absTd`: (|td| + epsilon)^alpha. */
export function priorityOf(absTd: number, alpha: number, epsilon: number): number {
  return Math.pow(Math.abs(absTd) + epsilon, alpha);
}

export class PrioritizedReplay<A extends Int32Array | Float32Array = Int32Array> extends Replay<A> {
  readonly alpha: number;
  readonly epsilon: number;
  readonly tree: SumTree;
  private readonly newPriority: number;
  /** Rows of the last sampled batch, for `updatePriorities`. */
  private lastIdx: Int32Array | null = null;

  constructor(cfg: PrioritizedReplayConfig, actions?: ActionLayout<A>) {
    super(cfg, actions);
    if (!(cfg.alpha >= 0)) throw new RangeError(`memory.alpha must be >= 0, got ${cfg.alpha}`);
    if (!(cfg.epsilon >= 0)) throw new RangeError(`memory.epsilon must be >= 0, got ${cfg.epsilon}`);
    this.alpha = cfg.alpha;
    this.epsilon = cfg.epsilon;
    this.tree = new SumTree(cfg.maxSize);
    this.newPriority = priorityOf(NEW_TRANSITION_ERROR, cfg.alpha, cfg.epsilon);
  }

  protected override onAdd(row: number): void {
    this.tree.set(row, this.newPriority);
  }

  protected override sampleIdx(rng: Rng, out: Int32Array): void {
    const total = this.tree.total();
    for (let i = 0; i < out.length; i++) out[i] = this.tree.find(rng.random() * total);
  }

  override sample(rng: Rng): ReplayBatch<A> {
    const batch = super.sample(rng);
    this.lastIdx = batch.idx;
    return batch;
  }

  /** Sets the priorities of the last sampled batch's rows from their |TD errors| ([B], batch order). */
  override updatePriorities(absTdErrors: ArrayLike<number>): void {
    const idx = this.lastIdx;
    if (idx === null) throw new Error('updatePriorities called before sample');
    if (absTdErrors.length !== idx.length) throw new RangeError(`updatePriorities needs ${idx.length} errors, got ${absTdErrors.length}`);
    for (let i = 0; i < idx.length; i++) this.tree.set(idx[i], priorityOf(absTdErrors[i], this.alpha, this.epsilon));
  }

  /**
   * The buffer (Replay's) plus every leaf priority as `${prefix}/priority` [maxSize, 3]: each float64
   * priority split into three float32 parts whose sum restores it exactly.
   */
  override getState(prefix: string): ReturnType<Replay['getState']> {
    const s = super.getState(prefix);
    const n = this.maxSize;
    const parts = new Float32Array(n * 3);
    for (let i = 0; i < n; i++) {
      const p = this.tree.get(i);
      const hi = Math.fround(p);
      const mid = Math.fround(p - hi);
      parts[3 * i] = hi;
      parts[3 * i + 1] = mid;
      parts[3 * i + 2] = Math.fround(p - hi - mid);
    }
    return { ...s, tensors: { ...s.tensors, [`${prefix}/priority`]: { shape: [n, 3], data: parts } } };
  }

  override setState(prefix: string, tensors: Readonly<Record<string, TensorData>>, counters: Parameters<Replay['setState']>[2]): void {
    const t = tensors[`${prefix}/priority`];
    if (t === undefined || t.data.length !== this.maxSize * 3) throw new Error(`replay state lacks tensor '${prefix}/priority' [${this.maxSize}, 3]`);
    super.setState(prefix, tensors, counters);
    for (let i = 0; i < this.maxSize; i++) this.tree.set(i, t.data[3 * i] + t.data[3 * i + 1] + t.data[3 * i + 2]);
    this.lastIdx = null;
  }

  override get prioritized(): boolean {
    return true;
  }
}
