/**
 * When an off-policy agent trains (SLM Lab's Replay counting, shared by the DQN family and SAC):
 * every sub-env transition is one memory add; after an add, training is due when
 * seen_size > `training_start_step` and head % `training_frequency` == 0. A due round runs
 * `training_iter` batches before the agent's next action (at most one round per vector step).
 */

export interface OffPolicyScheduleConfig {
  /** Transitions added before the first round (SLM Lab's `training_start_step`). */
  readonly trainingStartStep: number;
  /** A round is due when the memory head is a multiple of this (SLM Lab's `training_frequency`). */
  readonly trainingFrequency: number;
  /** Batches (gradient steps of each net) per round (SLM Lab's `training_iter`). */
  readonly trainingIter: number;
  /** Sub-envs: transitions added per vector step. */
  readonly numEnvs: number;
}

export class OffPolicySchedule {
  readonly trainingStartStep: number;
  readonly trainingFrequency: number;
  readonly trainingIter: number;
  readonly numEnvs: number;

  constructor(cfg: OffPolicyScheduleConfig) {
    for (const [key, v, min] of [
      ['training_start_step', cfg.trainingStartStep, 0],
      ['training_frequency', cfg.trainingFrequency, 1],
      ['training_iter', cfg.trainingIter, 1],
      ['num_envs', cfg.numEnvs, 1],
    ] as const) {
      if (!Number.isInteger(v) || v < min) throw new RangeError(`${key} must be an integer >= ${min}, got ${v}`);
    }
    this.trainingStartStep = cfg.trainingStartStep;
    this.trainingFrequency = cfg.trainingFrequency;
    this.trainingIter = cfg.trainingIter;
    this.numEnvs = cfg.numEnvs;
  }

  /** Whether the add that left the memory at (`seenSize`, `head`) makes a round due. */
  dueAfterAdd(seenSize: number, head: number): boolean {
    return seenSize > this.trainingStartStep && head % this.trainingFrequency === 0;
  }

  /**
   * Gradient steps per env transition once training has started, averaged over many steps: a
   * vector step adds `numEnvs` transitions and holds at most one round, so rounds come every
   * max(training_frequency, num_envs) transitions, each of `training_iter` steps.
   */
  get updateToDataRatio(): number {
    return this.trainingIter / Math.max(this.trainingFrequency, this.numEnvs);
  }
}
