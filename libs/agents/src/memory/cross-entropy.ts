/**
 * SLM Lab's `OnPolicyCrossEntropy` memory (memory/onpolicy.py; the cross-entropy method, Kroese et
 * al. 2013, section 2): an `OnPolicyReplay` whose batch keeps only the elite episodes. With
 * `cross_entropy` c < 1, the episodes' total rewards R_i set the bound
 *   b = percentile(R, 100 c)   (numpy's default, linear interpolation between order statistics)
 * and the batch holds the episodes with R_i >= b, in order, whole; c = 1 trains on the memory as
 * `OnPolicyReplay` does (SLM Lab filters only when c < 1). So c = 0.5 keeps the better half:
 * SLM Lab's docstring says "the top c percent", its code (and this) keeps R_i >= the c-quantile.
 *
 * Episodes are the rows of one sub-env up to and including an episode end (terminated or
 * truncated). With num_envs 1 (where SLM Lab trains `OnPolicyReplay` memories at all: its vector
 * envs never report a scalar `done`) the memory is ready exactly at an episode end, so the batch is
 * whole episodes, as SLM Lab's. With num_envs > 1 a sub-env's first episode may have begun in the
 * previous batch (the memory trains once `training_frequency` episodes have ended, summed over
 * sub-envs): it counts with the rewards of its rows in this batch; the unfinished tails are left
 * out (SLM Lab drops its unfinished episode data at each sample). The elite episodes are laid out
 * as one column (`numEnvs` 1), sub-env by sub-env, each sub-env's in time order.
 */
import type { OnPolicyBatch } from './on-policy.js';

/**
 * numpy's `percentile(values, q)` with its default `linear` method: the (n-1) q/100-th order
 * statistic, interpolated as numpy's `_lerp` does (from below for t < 0.5, from above otherwise).
 */
export function percentileLinear(values: readonly number[], q: number): number {
  if (values.length === 0) throw new RangeError('percentileLinear: no values');
  if (!(q >= 0 && q <= 100)) throw new RangeError(`percentileLinear: q must be in [0, 100], got ${q}`);
  const x = [...values].sort((a, b) => a - b);
  const h = (x.length - 1) * (q / 100);
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, x.length - 1);
  const t = h - lo;
  const a = x[lo];
  const diff = x[hi] - a;
  return t >= 0.5 ? x[hi] - diff * (1 - t) : a + diff * t;
}

/** One episode: sub-env `env`'s rows `start..end` (vector steps, inclusive); `total` is their summed reward. */
export interface EpisodeSpan {
  readonly env: number;
  readonly start: number;
  readonly end: number;
  readonly total: number;
}

/** The episodes of a time-major on-policy batch that end in it, sub-env by sub-env (unfinished tails left out). */
export function finishedEpisodes(b: OnPolicyBatch): EpisodeSpan[] {
  const out: EpisodeSpan[] = [];
  for (let e = 0; e < b.numEnvs; e++) {
    let start = 0;
    let total = 0;
    for (let t = 0; t < b.steps; t++) {
      const i = t * b.numEnvs + e;
      total += b.rewards[i];
      if (b.terminated[i] !== 0 || b.truncated[i] !== 0) {
        out.push({ env: e, start, end: t, total });
        start = t + 1;
        total = 0;
      }
    }
  }
  return out;
}

/** The batch of the elite episodes of `b` (see the module comment), as one column; `b` itself when `crossEntropy` >= 1. */
export function eliteEpisodes(b: OnPolicyBatch, crossEntropy: number): OnPolicyBatch {
  if (crossEntropy >= 1) return b;
  const episodes = finishedEpisodes(b);
  if (episodes.length === 0) throw new RangeError('OnPolicyCrossEntropy: the batch holds no finished episode');
  const bound = percentileLinear(
    episodes.map((s) => s.total),
    crossEntropy * 100,
  );
  const kept = episodes.filter((s) => s.total >= bound);
  const rows = kept.reduce((n, s) => n + s.end - s.start + 1, 0);
  const obsSize = b.obs.length / b.size;
  const actionSize = b.actions.length / b.size;
  const out = {
    steps: rows,
    numEnvs: 1,
    size: rows,
    obs: new Float32Array(rows * obsSize),
    nextObs: new Float32Array(rows * obsSize),
    actions: new Float32Array(rows * actionSize),
    rewards: new Float64Array(rows),
    terminated: new Uint8Array(rows),
    truncated: new Uint8Array(rows),
  };
  let r = 0;
  for (const s of kept) {
    for (let t = s.start; t <= s.end; t++, r++) {
      const i = t * b.numEnvs + s.env;
      out.obs.set(b.obs.subarray(i * obsSize, (i + 1) * obsSize), r * obsSize);
      out.nextObs.set(b.nextObs.subarray(i * obsSize, (i + 1) * obsSize), r * obsSize);
      out.actions.set(b.actions.subarray(i * actionSize, (i + 1) * actionSize), r * actionSize);
      out.rewards[r] = b.rewards[i];
      out.terminated[r] = b.terminated[i];
      out.truncated[r] = b.truncated[i];
    }
  }
  return out;
}
