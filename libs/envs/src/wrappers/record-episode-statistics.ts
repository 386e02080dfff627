/**
 * Episode return and length tracking, as Gymnasium's `RecordEpisodeStatistics`: the
 * `EpisodeTracker` holds the counters (used by the vector env); the wrapper puts
 * `info.episode = { r, l }` on the step that ends an episode.
 */
import type { Action, Env, Info, Observation, StepResult } from '../core.js';
import { Wrapper } from './wrapper.js';

/** Running return and length of the current episode. */
export class EpisodeTracker {
  private ret = 0;
  private len = 0;

  get return(): number {
    return this.ret;
  }

  get length(): number {
    return this.len;
  }

  add(reward: number): void {
    this.ret += reward;
    this.len += 1;
  }

  reset(): void {
    this.ret = 0;
    this.len = 0;
  }

  /** Continues a saved episode (`return` and `length` so far). */
  restore(ret: number, len: number): void {
    this.ret = ret;
    this.len = len;
  }
}

export interface EpisodeInfo {
  /** Sum of the episode's rewards. */
  readonly r: number;
  /** Number of steps of the episode. */
  readonly l: number;
}

export class RecordEpisodeStatistics extends Wrapper {
  private readonly tracker = new EpisodeTracker();
  /** Finished episodes, oldest first (up to `historySize`). */
  readonly returnHistory: number[] = [];
  readonly lengthHistory: number[] = [];

  constructor(
    env: Env,
    readonly historySize = 100,
  ) {
    super(env);
  }

  override reset(options?: { seed?: number }): [obs: Observation, info: Info] {
    this.tracker.reset();
    return this.env.reset(options);
  }

  override step(action: Action): StepResult {
    const result = this.env.step(action);
    this.tracker.add(result[1]);
    if (result[2] || result[3]) {
      const episode: EpisodeInfo = { r: this.tracker.return, l: this.tracker.length };
      result[4] = { ...result[4], episode };
      this.returnHistory.push(episode.r);
      this.lengthHistory.push(episode.l);
      if (this.returnHistory.length > this.historySize) {
        this.returnHistory.shift();
        this.lengthHistory.shift();
      }
      this.tracker.reset();
    }
    return result;
  }
}
