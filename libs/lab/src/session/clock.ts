/**
 * The session's clock: frames (env steps summed over sub-envs), finished episodes, optimizer
 * steps, and wall time. The Session loop is the only writer.
 */
export class Clock {
  frame = 0;
  episodes = 0;
  optSteps = 0;
  private readonly start: number;

  constructor(private readonly now: () => number = () => performance.now()) {
    this.start = now();
  }

  /** Seconds since the clock started. */
  wallTime(): number {
    return (this.now() - this.start) / 1000;
  }
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

  /** Mean of the last `window` finished episodes; null before any ended. */
  movingAverage(): number | null {
    if (this.count === 0) return null;
    let s = 0;
    for (let i = 0; i < this.count; i++) s += this.ring[i];
    return s / this.count;
  }
}
