/**
 * What a sampler is given and what it returns. A sampler proposes the drawn params of one trial
 * (grid_search params are placed by the plan, see `search-plan.ts`); it is a pure function of
 * the experiment's base seed, the trial number and the history it is shown.
 */
import type { Param } from '../space.js';

export const SAMPLER_NAMES = ['tpe', 'random', 'grid'] as const;
export type SamplerName = (typeof SAMPLER_NAMES)[number];

/** Sampled values by dotted spec key. */
export type Values = Readonly<Record<string, unknown>>;

/** A finished trial as the sampler sees it (failed trials are not shown). */
export interface Observation {
  readonly trial: number;
  readonly values: Values;
  /** completed: ran to env.max_frame; stopped: stopped early by the scheduler. */
  readonly state: 'completed' | 'stopped';
  /** The ranking value (maximized); null when the trial produced none. */
  readonly value: number | null;
  /** The last checkpoint frame the trial reported, and the value it reported there. */
  readonly frame: number;
  readonly lastValue: number | null;
}

export interface Proposal {
  readonly trial: number;
  /** Finished trials shown to the sampler (see `Sampler.historyNeeded`). */
  readonly history: readonly Observation[];
  /** Values of trials proposed earlier that are not in the history (still running, or treated so). */
  readonly pending: readonly Values[];
}

export interface Sampler {
  readonly name: SamplerName;
  /** The params this sampler draws (every non-grid param). */
  readonly params: readonly Param[];
  /**
   * Whether trial k's proposal reads the history. When true the search waits until every trial
   * numbered <= k - c (c = trials run at once) has finished and shows exactly those: the
   * proposal then does not depend on which trials happened to finish first.
   */
  historyNeeded(trial: number, concurrency: number): boolean;
  propose(p: Proposal): Record<string, unknown>;
}
