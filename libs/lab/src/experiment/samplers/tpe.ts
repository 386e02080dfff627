/**
 * TPE as Optuna's `TPESampler()` does it by default (univariate; REFERENCE.md section 2):
 * - the first `nStartup` (10) trials are random (`randomValues`, the random sampler's stream);
 * - then the finished trials plus the pending ones (constant liar: ranked worst) are split:
 *   the best n_l = min(ceil(0.1 n), 25) form l ("good"), the rest g; ranking: completed trials by
 *   value (maximized, null last), then stopped-early ones by frame reached then last value, then
 *   pending ones;
 * - within each group, observation weights in trial order are 1 when n < 25, else
 *   linspace(1/n, 1, n - 25) followed by 25 ones; the prior kernel gets weight 1;
 * - per param, 24 candidates are drawn from l and the one maximizing log l(x) - log g(x) is kept.
 *
 * Domains (where the kernels live): uniform [low, high]; loguniform [ln low, ln high]; lattices
 * (quantized and integer) the index m in [m_low, m_high] with step 1, or for log lattices
 * ln v on [ln((m_low - 1/2) q), ln((m_high + 1/2) q)] then rounded to the nearest lattice value;
 * randn [mean - 3 sd, mean + 3 sd] (a draw outside is clamped for the kernels); choice: categorical.
 */
import { STREAM, searchStream } from '../rng.js';
import type { SearchRng } from '../rng.js';
import { latticeValue, sameValue } from '../space.js';
import type { Param } from '../space.js';
import { categoricalMixture, mixtureLogPdf, numericMixture, sampleMixture } from './parzen.js';
import type { Mixture, NumericRange } from './parzen.js';
import { randomValues } from './random.js';
import type { Observation, Proposal, Sampler, Values } from './sampler.js';

export interface TpeOptions {
  readonly nStartup?: number;
  readonly nCandidates?: number;
  readonly priorWeight?: number;
}

/** Optuna's `default_weights(n)`: n ones when n < 25, else linspace(1/n, 1, n - 25) then 25 ones. */
export function defaultWeights(n: number): number[] {
  if (n < 25) return new Array<number>(n).fill(1);
  const ramp = n - 25;
  const lin = Array.from({ length: ramp }, (_, i) => (ramp === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (ramp - 1)));
  return [...lin, ...new Array<number>(25).fill(1)];
}

/** n_l = min(ceil(0.1 n), 25). */
export const nBelow = (n: number): number => Math.min(Math.ceil(0.1 * n), 25);

interface Ranked {
  readonly trial: number;
  readonly values: Values;
}

/** History and pending trials in TPE's order, best first (see the module comment). */
export function rankForSplit(history: readonly Observation[], pending: readonly Values[], firstPendingTrial: number): Ranked[] {
  const val = (v: number | null): number => (v === null || !Number.isFinite(v) ? -Infinity : v);
  const completed = history.filter((o) => o.state === 'completed').sort((a, b) => val(b.value) - val(a.value) || a.trial - b.trial);
  const stopped = history.filter((o) => o.state === 'stopped').sort((a, b) => b.frame - a.frame || val(b.lastValue) - val(a.lastValue) || a.trial - b.trial);
  return [...completed, ...stopped, ...pending.map((values, i) => ({ trial: firstPendingTrial + i, values }))];
}

interface Domain extends NumericRange {
  /** null: the value does not belong to the domain (left out of the kernels). */
  toInternal(v: unknown): number | null;
  fromInternal(x: number): unknown;
}

const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function domainOf(p: Param): Domain | null {
  switch (p.kind) {
    case 'float':
      if (!p.log) return { low: p.low, high: p.high, step: null, toInternal: (v) => (num(v) === null ? null : clamp(num(v)!, p.low, p.high)), fromInternal: (x) => x };
      return {
        low: Math.log(p.low),
        high: Math.log(p.high),
        step: null,
        toInternal: (v) => (num(v) === null || num(v)! <= 0 ? null : clamp(Math.log(num(v)!), Math.log(p.low), Math.log(p.high))),
        fromInternal: (x) => clamp(Math.exp(x), p.low, p.high),
      };
    case 'lattice': {
      const index = (v: number): number => clamp(Math.round(v / p.q), p.mLow, p.mHigh);
      if (!p.log) return { low: p.mLow, high: p.mHigh, step: 1, toInternal: (v) => (num(v) === null ? null : index(num(v)!)), fromInternal: (m) => latticeValue(p, m) };
      const low = Math.log((p.mLow - 0.5) * p.q);
      const high = Math.log((p.mHigh + 0.5) * p.q);
      return {
        low,
        high,
        step: null,
        toInternal: (v) => (num(v) === null || num(v)! <= 0 ? null : clamp(Math.log(num(v)!), low, high)),
        fromInternal: (x) => latticeValue(p, index(Math.exp(x))),
      };
    }
    case 'normal': {
      const low = p.mean - 3 * p.sd;
      const high = p.mean + 3 * p.sd;
      const q = p.q;
      return {
        low,
        high,
        step: null,
        toInternal: (v) => (num(v) === null ? null : clamp(num(v)!, low, high)),
        fromInternal: (x) => (q === null ? x : Number((Math.round(x / q) * q).toPrecision(12))),
      };
    }
    default:
      return null;
  }
}

export class TpeSampler implements Sampler {
  readonly name = 'tpe' as const;
  readonly nStartup: number;
  private readonly nCandidates: number;
  private readonly priorWeight: number;

  constructor(
    readonly params: readonly Param[],
    private readonly baseSeed: number,
    opts: TpeOptions = {},
  ) {
    this.nStartup = opts.nStartup ?? 10;
    this.nCandidates = opts.nCandidates ?? 24;
    this.priorWeight = opts.priorWeight ?? 1;
  }

  /** Trial k sees trials 0..k-c; it needs them once that is at least `nStartup` trials. */
  historyNeeded(trial: number, concurrency: number): boolean {
    return trial - concurrency + 1 >= this.nStartup;
  }

  propose(p: Proposal): Record<string, unknown> {
    if (p.history.length < this.nStartup) return randomValues(this.params, this.baseSeed, p.trial);
    const firstPending = p.history.reduce((m, o) => Math.max(m, o.trial + 1), 0);
    const ranked = rankForSplit(p.history, p.pending, firstPending);
    const cut = nBelow(ranked.length);
    const byTrial = (xs: Ranked[]): Ranked[] => [...xs].sort((a, b) => a.trial - b.trial);
    const below = byTrial(ranked.slice(0, cut));
    const above = byTrial(ranked.slice(cut));
    const rng = searchStream(this.baseSeed, STREAM.tpe, p.trial);
    const out: Record<string, unknown> = {};
    for (const param of this.params) out[param.key] = this.proposeOne(param, below, above, rng);
    return out;
  }

  private proposeOne(param: Param, below: readonly Ranked[], above: readonly Ranked[], rng: SearchRng): unknown {
    const domain = domainOf(param);
    const options = param.kind === 'choice' || param.kind === 'grid' ? param.options : null;
    const internal = (group: readonly Ranked[]): number[] => {
      const xs: number[] = [];
      for (const r of group) {
        const v = r.values[param.key];
        if (options !== null) {
          const i = options.findIndex((o) => sameValue(o, v));
          if (i >= 0) xs.push(i);
        } else {
          const x = domain!.toInternal(v);
          if (x !== null) xs.push(x);
        }
      }
      return xs;
    };
    const mixture = (xs: number[]): Mixture =>
      options !== null
        ? categoricalMixture(xs, defaultWeights(xs.length), options.length, this.priorWeight)
        : numericMixture(xs, defaultWeights(xs.length), domain!, this.priorWeight);
    const l = mixture(internal(below));
    const g = mixture(internal(above));
    let best = NaN;
    let bestScore = -Infinity;
    for (let i = 0; i < this.nCandidates; i++) {
      const x = sampleMixture(l, rng);
      const score = mixtureLogPdf(l, x) - mixtureLogPdf(g, x);
      if (Number.isNaN(best) || score > bestScore) {
        best = x;
        bestScore = score;
      }
    }
    return options !== null ? options[best] : domain!.fromInternal(best);
  }
}
