/**
 * The session's clock: frames (env steps summed over sub-envs), finished episodes, optimizer
 * steps, and wall time. The Session loop is the only writer.
 */
/** A clock's counters and wall time (seconds), as a checkpoint keeps them. */
export interface ClockState {
  readonly frame: number;
  readonly episodes: number;
  readonly optSteps: number;
  readonly wallTime: number;
}

export class Clock {
  frame = 0;
  episodes = 0;
  optSteps = 0;
  private start: number;

  constructor(private readonly now: () => number = () => performance.now()) {
    this.start = now();
  }

  /** Continues a saved clock: its counters, and wall time going on from `wallTime` seconds. */
  continueFrom(saved: ClockState): void {
    this.frame = saved.frame;
    this.episodes = saved.episodes;
    this.optSteps = saved.optSteps;
    this.start = this.now() - saved.wallTime * 1000;
  }

  getState(): ClockState {
    return { frame: this.frame, episodes: this.episodes, optSteps: this.optSteps, wallTime: this.wallTime() };
  }

  /** Seconds since the clock started. */
  wallTime(): number {
    return (this.now() - this.start) / 1000;
  }
}

/** A `ReturnTracker`'s whole state (float64 numbers, exact through JSON). */
export interface ReturnTrackerState {
  readonly ring: readonly number[];
  readonly count: number;
  readonly next: number;
  readonly sinceSum: number;
  readonly sinceCount: number;
  readonly last: number | null;
}

/**
 * Episode returns, for the metrics row: the mean of the episodes finished since the last row
 * (or the last finished episode's return when none finished since), and the mean of the last
 * `window` (100) finished episodes.
 */
export class ReturnTracker {
  private readonly ring: Float64Array;
  private count = 0;
  private next = 0;
  private sinceSum = 0;
  private sinceCount = 0;
  private last: number | null = null;

  constructor(readonly window = 100) {
    this.ring = new Float64Array(window);
  }

  add(ret: number): void {
    this.ring[this.next] = ret;
    this.next = (this.next + 1) % this.window;
    if (this.count < this.window) this.count++;
    this.sinceSum += ret;
    this.sinceCount++;
    this.last = ret;
  }

  /** The row's return; resets the "since last row" window. Null before any episode ended. */
  takeRowReturn(): number | null {
    const value = this.sinceCount > 0 ? this.sinceSum / this.sinceCount : this.last;
    this.sinceSum = 0;
    this.sinceCount = 0;
    return value;
  }

  getState(): ReturnTrackerState {
    return { ring: Array.from(this.ring), count: this.count, next: this.next, sinceSum: this.sinceSum, sinceCount: this.sinceCount, last: this.last };
  }

  /** Restores `getState()` of a tracker with the same window; RangeError naming the part that does not fit. */
  setState(s: ReturnTrackerState): void {
    const index = (v: number, max: number): boolean => Number.isInteger(v) && v >= 0 && v <= max;
    if (s.ring.length !== this.window || !index(s.count, this.window) || !index(s.next, this.window - 1) || !index(s.sinceCount, Number.MAX_SAFE_INTEGER)) {
      throw new RangeError(`return tracker state does not fit a window of ${this.window}`);
    }
    this.ring.set(s.ring);
    this.count = s.count;
    this.next = s.next;
    this.sinceSum = s.sinceSum;
    this.sinceCount = s.sinceCount;
    this.last = s.last;
  }

  /** Mean of the last `window` finished episodes; null before any ended. */
  movingAverage(): number | null {
    if (this.count === 0) return null;
    let s = 0;
    for (let i = 0; i < this.count; i++) s += this.ring[i];
    return s / this.count;
  }
}
