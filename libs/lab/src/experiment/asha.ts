/**
 * ASHA (asynchronous successive halving) as Ray Tune's `AsyncHyperBandScheduler` with one bracket
 * (REFERENCE.md section 3), with frames as the time attribute. SLM Lab specs write it as
 * `meta.search_scheduler: { grace_period, reduction_factor }`; max_t is `env.max_frame`.
 *
 * Rungs: n = floor(ln(max_t / grace) / ln(rf) + 1) milestones grace * rf^k, k = 0..n-1.
 * On a result (t, r) of a trial: if t >= max_t the trial is done (stop, not early). Otherwise
 * take the largest milestone <= t at which this trial has no record; if there is none, continue.
 * The cutoff is the (1 - 1/rf) quantile, linearly interpolated, of the values recorded at that
 * rung before this one (NaN-free; an empty rung has no cutoff). Stop if r < cutoff. Record r
 * there either way (a null r is not recorded and the rung is tried again at the next result).
 * One rung per result; nothing waits: a trial is judged only against those that reached the rung
 * before it. This is Ray's rule, not Optuna's successive-halving pruner.
 */
import { quantileSorted } from '@gymlab/analysis';

export interface AshaConfig {
  readonly gracePeriod: number;
  readonly reductionFactor: number;
  /** The time budget of a trial (env.max_frame). */
  readonly maxT: number;
}

/** One rung: its milestone and the value each trial recorded there. */
export interface Rung {
  readonly milestone: number;
  readonly recorded: Readonly<Record<string, number>>;
}

/** What to do with a trial after one of its results. */
export type AshaDecision = 'continue' | 'stop' | 'done';

/**
 * Milestones grace * rf^k, k = 0..n-1 (ascending), below max_t; none when grace >= max_t (as in Ray,
 * the search then runs every trial to the end). A 1e-12 slack keeps exact powers (max_t = grace rf^k)
 * from losing a rung to rounding.
 */
export function ashaMilestones(c: AshaConfig): number[] {
  if (c.gracePeriod >= c.maxT) return [];
  const n = Math.floor(Math.log(c.maxT / c.gracePeriod) / Math.log(c.reductionFactor) + 1 + 1e-12);
  return Array.from({ length: n }, (_, k) => c.gracePeriod * c.reductionFactor ** k).filter((m) => m < c.maxT);
}

/** Checks the scheduler's settings; returns what is wrong (one line) or null. */
export function ashaProblem(c: AshaConfig): string | null {
  if (!(Number.isFinite(c.gracePeriod) && c.gracePeriod > 0)) return `grace_period must be > 0 frames, got ${c.gracePeriod}`;
  if (!(Number.isFinite(c.reductionFactor) && c.reductionFactor > 1)) return `reduction_factor must be > 1, got ${c.reductionFactor}`;
  return null;
}

export class Asha {
  private readonly rungs: { milestone: number; recorded: Map<string, number> }[];

  constructor(
    readonly config: AshaConfig,
    saved: readonly Rung[] = [],
  ) {
    this.rungs = ashaMilestones(config)
      .reverse()
      .map((milestone) => {
        const prior = saved.find((r) => r.milestone === milestone);
        return { milestone, recorded: new Map(Object.entries(prior?.recorded ?? {})) };
      });
  }

  /** The cutoff of a rung: the (1 - 1/rf) quantile of its recorded values; null when empty. */
  cutoff(values: readonly number[]): number | null {
    if (values.length === 0) return null;
    return quantileSorted([...values].sort((a, b) => a - b), 1 - 1 / this.config.reductionFactor);
  }

  /** Judges result (t, r) of `trial` (see the module comment) and records it. */
  onResult(trial: string, t: number, r: number | null): AshaDecision {
    if (t >= this.config.maxT) return 'done';
    for (const rung of this.rungs) {
      if (t < rung.milestone || rung.recorded.has(trial)) continue;
      const cutoff = this.cutoff([...rung.recorded.values()]);
      if (r === null || !Number.isFinite(r)) return 'continue';
      rung.recorded.set(trial, r);
      return cutoff !== null && r < cutoff ? 'stop' : 'continue';
    }
    return 'continue';
  }

  /** The rungs with their records (ascending milestones), for saving and resuming. */
  state(): Rung[] {
    return [...this.rungs].reverse().map((r) => ({ milestone: r.milestone, recorded: Object.fromEntries(r.recorded) }));
  }
}
