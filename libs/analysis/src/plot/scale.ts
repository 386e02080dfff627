/**
 * Axis scales with "nice" ticks. A linear domain [lo, hi] is widened to whole multiples of a step
 * s = m 10^e, m in {1, 2, 5, 10}, that is the raw step r = (hi - lo) / (target tick count) rounded
 * to the nearest such value on a log scale (see {@link niceStep}: d3-array's `tickStep`). A log
 * domain is widened to whole powers of ten.
 *
 * The widening, the tick values and their labels stay written here: d3-array's `ticks` gives
 * only the ticks inside [lo, hi] (the plots frame the data with a tick at each end), and
 * d3-scale's `nice()` may pick a coarser step after widening, so either would move the axes of
 * every saved plot; the log ticks (2x and 5x within two decades) and the k/M/G labels have no
 * d3 equivalent with the same output.
 */
import { tickStep } from 'd3-array';
import { AnalysisError } from '../errors.js';

export interface Scale {
  /** Widened data domain [min, max] (min > 0 for a log scale). */
  readonly domain: readonly [number, number];
  readonly log: boolean;
  /** Tick values inside the domain, ascending. */
  readonly ticks: readonly number[];
  /** Tick labels, one per tick. */
  readonly labels: readonly string[];
  /** Pixel position of a data value: range[0] + (range[1] - range[0]) (t(v) - t(min)) / (t(max) - t(min)), t = identity or log10. */
  map(v: number): number;
}

/**
 * The nice step for a raw step r > 0 (d3-array's `tickStep` of [0, r] with one tick): with
 * p = 10^floor(log10 r) and f = r / p, the step is 10p if f >= sqrt(50), 5p if f >= sqrt(10),
 * 2p if f >= sqrt(2), else p (the geometric midpoints between 1, 2, 5 and 10, so the tick count
 * stays near the target). For p < 1 it is computed as 1 / (10^-e / m), the double nearest m p.
 */
export function niceStep(raw: number): number {
  return tickStep(0, raw, 1);
}

/** Decimal places that show multiples of `step` exactly (0..12). */
export function decimalsFor(step: number): number {
  for (let d = 0; d <= 12; d++) {
    const s = step * 10 ** d;
    if (Math.abs(s - Math.round(s)) <= 1e-9 * Math.max(1, Math.abs(s))) return d;
  }
  return 12;
}

const SI: readonly [number, string][] = [[1e9, 'G'], [1e6, 'M'], [1e3, 'k']];

/**
 * Label of a linear tick: values with max |tick| >= 10^4 are shown in k/M/G units; otherwise with
 * the decimals of the step. Zero is never signed, and with a unit it is a plain "0".
 */
export function formatTick(v: number, step: number, maxAbs: number): string {
  let unit = 1;
  let suffix = '';
  if (maxAbs >= 1e4) {
    for (const [u, s] of SI) {
      if (maxAbs >= u) {
        unit = u;
        suffix = s;
        break;
      }
    }
  }
  const d = decimalsFor(step / unit);
  const text = (v / unit).toFixed(d);
  if (/^-?0(\.0*)?$/.test(text)) return suffix ? '0' : text.replace('-', '');
  return text + suffix;
}

/** Label of a log tick: plain for 10^-3 <= v < 10^5, otherwise mantissa and exponent ("1e-5", "2e6"). */
export function formatLogTick(v: number): string {
  if (v >= 1e-3 && v < 1e5) return String(Number(v.toPrecision(6)));
  const e = Math.floor(Math.log10(v) + 1e-9);
  const m = Number((v / 10 ** e).toPrecision(3));
  return `${m}e${e}`;
}

function linearScale(lo: number, hi: number, range: readonly [number, number], count: number): Scale {
  if (lo === hi) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  const step = niceStep((hi - lo) / count);
  const i0 = Math.floor(lo / step + 1e-9);
  const i1 = Math.ceil(hi / step - 1e-9);
  const ticks: number[] = [];
  for (let i = i0; i <= i1; i++) ticks.push(Number((i * step).toPrecision(12)));
  const domain: [number, number] = [ticks[0], ticks[ticks.length - 1]];
  const maxAbs = Math.max(Math.abs(domain[0]), Math.abs(domain[1]));
  return {
    domain,
    log: false,
    ticks,
    labels: ticks.map((t) => formatTick(t, step, maxAbs)),
    map: (v) => range[0] + ((range[1] - range[0]) * (v - domain[0])) / (domain[1] - domain[0]),
  };
}

function logScale(lo: number, hi: number, range: readonly [number, number]): Scale {
  let e0 = Math.floor(Math.log10(lo) + 1e-9);
  let e1 = Math.ceil(Math.log10(hi) - 1e-9);
  if (e1 <= e0) e1 = e0 + 1;
  if (e1 - e0 > 12) e0 = e1 - 12; // keep the axis readable; smaller values map off-plot left
  const ticks: number[] = [];
  for (let e = e0; e <= e1; e++) {
    ticks.push(Number((10 ** e).toPrecision(12)));
    if (e1 - e0 <= 2 && e < e1) for (const m of [2, 5]) ticks.push(Number((m * 10 ** e).toPrecision(12)));
  }
  const domain: [number, number] = [10 ** e0, 10 ** e1];
  const t0 = e0;
  const t1 = e1;
  return {
    domain,
    log: true,
    ticks,
    labels: ticks.map(formatLogTick),
    map: (v) => range[0] + ((range[1] - range[0]) * (Math.log10(v) - t0)) / (t1 - t0),
  };
}

/**
 * A scale over the finite values of `data` mapped to the pixel `range` (a log scale needs every
 * value > 0). With no finite value the domain is [0, 1] (log: [1, 10]).
 */
export function makeScale(data: readonly number[], range: readonly [number, number], opts: { log?: boolean; ticks?: number } = {}): Scale {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of data) {
    if (!Number.isFinite(v)) continue;
    if (opts.log && v <= 0) throw new AnalysisError(`makeScale: log scale needs values > 0, got ${v}`);
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (opts.log) return lo > hi ? logScale(1, 10, range) : logScale(lo, hi, range);
  return lo > hi ? linearScale(0, 1, range, opts.ticks ?? 5) : linearScale(lo, hi, range, opts.ticks ?? 5);
}

/** A categorical scale: category i (0-based) at the centre of the i-th of k equal slots. */
export function categoryScale(categories: readonly string[], range: readonly [number, number]): Scale {
  const k = Math.max(1, categories.length);
  const domain: [number, number] = [-0.5, k - 0.5];
  return {
    domain,
    log: false,
    ticks: categories.map((_, i) => i),
    labels: [...categories],
    map: (v) => range[0] + ((range[1] - range[0]) * (v + 0.5)) / k,
  };
}
