/**
 * Gymnasium's `TimeLimit`: `truncated` becomes true on the step that reaches `maxEpisodeSteps`
 * (counted since the last reset).
 */
import type { Action, Env, EnvInfo, Info, Observation, StepResult } from '../core.js';
import { Wrapper } from './wrapper.js';
import { innerSnapshot, restoreInner, snapshotNumber, type EnvSnapshot, type SnapshotEnv } from '../snapshot.js';

export class TimeLimit extends Wrapper implements SnapshotEnv {
  readonly maxEpisodeSteps: number;
  private readonly wrappedInfo: EnvInfo;
  private elapsed = 0;

  constructor(env: Env, maxEpisodeSteps: number) {
    super(env);
    if (!Number.isInteger(maxEpisodeSteps) || maxEpisodeSteps < 1) {
      throw new RangeError(`TimeLimit: maxEpisodeSteps must be a positive integer, got ${maxEpisodeSteps}`);
    }
    this.maxEpisodeSteps = maxEpisodeSteps;
    this.wrappedInfo = Object.freeze({ ...env.info, maxEpisodeSteps });
  }

  override get info(): EnvInfo {
    return this.wrappedInfo;
  }

  /** Steps taken since the last reset. */
  get elapsedSteps(): number {
    return this.elapsed;
  }

  override reset(options?: { seed?: number }): [obs: Observation, info: Info] {
    this.elapsed = 0;
    return this.env.reset(options);
  }

  override step(action: Action): StepResult {
    const result = this.env.step(action);
    this.elapsed += 1;
    if (this.elapsed >= this.maxEpisodeSteps) result[3] = true;
    return result;
  }

  /** The steps taken in this episode and the wrapped env's snapshot (`EnvSnapshotUnsupported` when it has none). */
  snapshot(): EnvSnapshot {
    return { elapsed: this.elapsed, env: innerSnapshot(this.env) };
  }

  restore(s: EnvSnapshot): void {
    const elapsed = snapshotNumber(s, 'elapsed', 'TimeLimit snapshot');
    restoreInner(this.env, s.env, 'TimeLimit snapshot.env');
    this.elapsed = elapsed;
  }
}
