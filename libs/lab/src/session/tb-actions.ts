/**
 * The distribution of the actions a session took between two metrics rows, for TensorBoard:
 * counts per action for a Discrete space (one histogram, tag `actions`), the values of each
 * dimension for a Box space (one histogram per dimension, tags `actions/<d>`).
 */
import type { ActionBatch, Space } from '@gymlab/envs';
import { discreteHistogram } from '@gymlab/tensorboard';
import type { EventWriter, Histogram } from '@gymlab/tensorboard';

/** Tag of the discrete action histogram; Box dimensions are `${ACTIONS_TAG}/<d>`. */
export const ACTIONS_TAG = 'actions';

/**
 * `h` moved by `offset` along x: every value a becomes a + offset, so
 * limits, min and max move by offset, sum' = sum + offset·num and
 * sumSquares' = Σ (a + offset)² c_a = sumSquares + 2·offset·sum + offset²·num.
 */
export function shiftHistogram(h: Histogram, offset: number): Histogram {
  if (offset === 0 || h.num === 0) return h;
  return {
    min: h.min + offset,
    max: h.max + offset,
    num: h.num,
    sum: h.sum + offset * h.num,
    sumSquares: h.sumSquares + 2 * offset * h.sum + offset * offset * h.num,
    bucketLimit: h.bucketLimit.map((l) => l + offset),
    bucket: h.bucket,
  };
}

/** Records the actions of every vector step; `write` emits their histograms and starts afresh. */
export interface ActionRecorder {
  /** Actions recorded since the last `write` (sub-env steps, i.e. frames). */
  readonly recorded: number;
  /** One vector step's actions: one per sub-env (Discrete) or rows × size values (Box). */
  record(action: ActionBatch): void;
  write(writer: EventWriter, step: number): void;
  /** What was recorded since the last `write`, as numbers (a checkpoint keeps them). */
  getState(): number[];
  /** Restores `getState()` of a recorder of the same space. */
  setState(state: readonly number[]): void;
}

/** Counts of `Discrete(n, start)` actions; values outside the space are counted in `recorded` only. */
export class DiscreteActionRecorder implements ActionRecorder {
  private readonly counts: Float64Array;
  private total = 0;

  constructor(
    readonly n: number,
    readonly start = 0,
  ) {
    this.counts = new Float64Array(n);
  }

  get recorded(): number {
    return this.total;
  }

  record(action: ActionBatch): void {
    for (let i = 0; i < action.length; i++) {
      const k = action[i] - this.start;
      if (k >= 0 && k < this.n && Number.isInteger(k)) this.counts[k]++;
    }
    this.total += action.length;
  }

  /** The histogram of the counts so far, bars centred on the action values. */
  histogram(): Histogram {
    return shiftHistogram(discreteHistogram(this.counts, ACTIONS_TAG), this.start);
  }

  write(writer: EventWriter, step: number): void {
    writer.histogramFromCounts(ACTIONS_TAG, this.histogram(), step);
    this.counts.fill(0);
    this.total = 0;
  }

  /** `[total, ...counts]`. */
  getState(): number[] {
    return [this.total, ...this.counts];
  }

  setState(state: readonly number[]): void {
    if (state.length !== this.n + 1) throw new RangeError(`action recorder state needs ${this.n + 1} numbers, got ${state.length}`);
    this.total = state[0];
    this.counts.set(state.slice(1));
  }
}

/** Values of each dimension of a Box action; NaN/±Infinity are left out of the histograms. */
export class BoxActionRecorder implements ActionRecorder {
  private buffers: Float32Array[];
  private rows = 0;

  constructor(readonly size: number) {
    this.buffers = Array.from({ length: size }, () => new Float32Array(256));
  }

  get recorded(): number {
    return this.rows;
  }

  record(action: ActionBatch): void {
    const size = this.size;
    if (size === 0) return;
    const rows = Math.floor(action.length / size);
    if (this.rows + rows > this.buffers[0].length) {
      let cap = this.buffers[0].length * 2;
      while (cap < this.rows + rows) cap *= 2;
      this.buffers = this.buffers.map((b) => {
        const grown = new Float32Array(cap);
        grown.set(b.subarray(0, this.rows));
        return grown;
      });
    }
    for (let d = 0; d < size; d++) {
      const buf = this.buffers[d];
      for (let r = 0; r < rows; r++) buf[this.rows + r] = action[r * size + d];
    }
    this.rows += rows;
  }

  /** Dimension d's values since the last write. */
  values(d: number): Float32Array {
    return this.buffers[d].subarray(0, this.rows);
  }

  write(writer: EventWriter, step: number): void {
    for (let d = 0; d < this.size; d++) writer.histogram(`${ACTIONS_TAG}/${d}`, this.values(d), step, { nonFinite: 'drop' });
    this.rows = 0;
  }

  /** The recorded actions, row-major (rows x size), as `record` took them. */
  getState(): number[] {
    const out: number[] = [];
    for (let r = 0; r < this.rows; r++) for (let d = 0; d < this.size; d++) out.push(this.buffers[d][r]);
    return out;
  }

  setState(state: readonly number[]): void {
    if (this.size > 0 && state.length % this.size !== 0) throw new RangeError(`action recorder state: ${state.length} numbers are not rows of ${this.size}`);
    this.rows = 0;
    this.record(Float32Array.from(state));
  }
}

export function actionRecorder(space: Space): ActionRecorder {
  return space.kind === 'discrete' ? new DiscreteActionRecorder(space.n, space.start) : new BoxActionRecorder(space.size);
}
