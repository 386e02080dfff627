/**
 * The search space as the samplers see it: each `SearchDimension` of `@gymlab/spec` (syntax
 * already checked there) becomes a typed `Param` with its random draw defined exactly.
 *
 * Random draws (u ~ U(a, b) uniform, z ~ N(0, 1); "lattice" = the multiples m q of q with
 * m_low = ceil(low / q) <= m <= m_high = floor(high / q)):
 * - uniform [low, high]:           low + u (high - low)
 * - loguniform [low, high]:        exp(U(ln low, ln high))
 * - quniform [low, high, q]:       m = round(U(low, high) / q), clamped to [m_low, m_high]; value m q
 * - qloguniform [low, high, q]:    m = round(exp(U(ln low, ln high)) / q), clamped; value m q
 * - randn [mean, sd]:              mean + sd z
 * - qrandn [mean, sd, q]:          round((mean + sd z) / q) q
 * - randint [low, high]:           floor(U(low, high)): an integer in low..high-1 (high exclusive, as Ray Tune)
 * - lograndint [low, high]:        floor(exp(U(ln low, ln high))): low..high-1 (high exclusive)
 * - qrandint [low, high, q]:       as quniform (high inclusive, as Ray Tune); q must be an integer
 * - qlograndint [low, high, q]:    as qloguniform (high inclusive); q must be an integer
 * - choice [v0, v1, ...]:          v_floor(u n) (values may be lists or objects)
 * - grid_search [v0, v1, ...]:     not drawn: every value is run (see `gridPoints`)
 * A product m q of a float lattice is rounded to 12 significant digits (0.1 * 3 gives 0.3).
 */
import { SpecError } from '@gymlab/spec';
import type { SearchDimension, SearchDistribution } from '@gymlab/spec';
import type { SearchRng } from './rng.js';

interface ParamBase {
  /** Dotted spec path, e.g. `agent.algorithm.gamma` (the experiment table's column). */
  readonly key: string;
  readonly path: readonly string[];
  readonly dist: SearchDistribution;
  /** The search key as written: `agent.algorithm.gamma__uniform`. */
  readonly label: string;
}

/** uniform and loguniform: a continuous interval. */
export interface FloatParam extends ParamBase {
  readonly kind: 'float';
  readonly low: number;
  readonly high: number;
  readonly log: boolean;
}

/** The quantized and integer distributions: values m q for integer m in [mLow, mHigh]. */
export interface LatticeParam extends ParamBase {
  readonly kind: 'lattice';
  readonly q: number;
  readonly mLow: number;
  readonly mHigh: number;
  readonly log: boolean;
  /** Integer distribution (values are exact integers). */
  readonly integer: boolean;
  /** The interval of the continuous draw before rounding. */
  readonly drawLow: number;
  readonly drawHigh: number;
  /** randint/lograndint round down (high exclusive); the q-variants round to the nearest multiple. */
  readonly rounding: 'floor' | 'nearest';
}

/** randn and qrandn: unbounded. */
export interface NormalParam extends ParamBase {
  readonly kind: 'normal';
  readonly mean: number;
  readonly sd: number;
  readonly q: number | null;
}

/** choice (drawn) and grid_search (every value run). */
export interface OptionsParam extends ParamBase {
  readonly kind: 'choice' | 'grid';
  readonly options: readonly unknown[];
}

export type Param = FloatParam | LatticeParam | NormalParam | OptionsParam;

/** Where errors point: the spec file and the spec name. */
export interface SpaceContext {
  readonly file: string;
  readonly specName: string;
}

const EPS = 1e-9;

function spaceError(ctx: SpaceContext, label: string, problem: string): SpecError {
  return new SpecError({ file: ctx.file, keyPath: `${ctx.specName}.search.${label}`, problem });
}

/** m q, exact for integer lattices and rounded to 12 significant digits otherwise. */
export function latticeValue(p: LatticeParam, m: number): number {
  const v = m * p.q;
  return p.integer ? v : Number(v.toPrecision(12));
}

function lattice(base: ParamBase, args: readonly number[], ctx: SpaceContext): LatticeParam {
  const [low, high] = args;
  const integer = base.dist.includes('int');
  const log = base.dist.includes('log');
  if (base.dist === 'randint' || base.dist === 'lograndint') {
    return { ...base, kind: 'lattice', q: 1, mLow: low, mHigh: high - 1, log, integer, drawLow: low, drawHigh: high, rounding: 'floor' };
  }
  const q = args[2];
  if (integer && !Number.isInteger(q)) throw spaceError(ctx, base.label, `${base.dist}: q must be an integer, got ${q}`);
  const mLow = Math.ceil(low / q - EPS);
  const mHigh = Math.floor(high / q + EPS);
  if (mLow > mHigh) throw spaceError(ctx, base.label, `${base.dist}: no multiple of q = ${q} lies in [${low}, ${high}]`);
  return { ...base, kind: 'lattice', q, mLow, mHigh, log, integer, drawLow: low, drawHigh: high, rounding: 'nearest' };
}

/** The typed params of a parsed search space, in the order of the search block. */
export function toParams(dims: readonly SearchDimension[], ctx: SpaceContext): Param[] {
  return dims.map((d) => {
    const key = d.path.join('.');
    const base: ParamBase = { key, path: d.path, dist: d.dist, label: `${key}__${d.dist}` };
    const nums = d.args as readonly number[];
    switch (d.dist) {
      case 'uniform':
      case 'loguniform':
        return { ...base, kind: 'float', low: nums[0], high: nums[1], log: d.dist === 'loguniform' };
      case 'randn':
      case 'qrandn':
        return { ...base, kind: 'normal', mean: nums[0], sd: nums[1], q: d.dist === 'qrandn' ? nums[2] : null };
      case 'choice':
      case 'grid_search':
        return { ...base, kind: d.dist === 'choice' ? 'choice' : 'grid', options: d.args };
      default:
        return lattice(base, nums, ctx);
    }
  });
}

const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

/** The lattice index of a continuous draw x (see the module comment). */
export function latticeIndex(p: LatticeParam, x: number): number {
  const m = p.rounding === 'floor' ? Math.floor(x) : Math.round(x / p.q);
  return clamp(m, p.mLow, p.mHigh);
}

/** One random draw of a param (grid params are not drawn: they throw). */
export function drawRandom(p: Param, rng: SearchRng): unknown {
  switch (p.kind) {
    case 'float':
      return p.log ? clamp(Math.exp(rng.uniform(Math.log(p.low), Math.log(p.high))), p.low, p.high) : rng.uniform(p.low, p.high);
    case 'lattice': {
      const x = p.log ? Math.exp(rng.uniform(Math.log(p.drawLow), Math.log(p.drawHigh))) : rng.uniform(p.drawLow, p.drawHigh);
      return latticeValue(p, latticeIndex(p, x));
    }
    case 'normal': {
      const x = p.mean + p.sd * rng.normal();
      return p.q === null ? x : Number((Math.round(x / p.q) * p.q).toPrecision(12));
    }
    case 'choice':
      return p.options[rng.int(p.options.length)];
    case 'grid':
      throw new Error(`drawRandom: ${p.label} is a grid_search dimension (not drawn)`);
  }
}

/**
 * The values a param can take at the edges of its range, for checking them against the spec's
 * schema before anything runs: [low, high] of floats, the first and last lattice value, every
 * option. Normals have no edge (their key must accept any number; see `checkSpaceAgainstSpec`).
 */
export function edgeValues(p: Param): readonly unknown[] {
  switch (p.kind) {
    case 'float':
      return [p.low, p.high];
    case 'lattice':
      return [latticeValue(p, p.mLow), latticeValue(p, p.mHigh)];
    case 'normal':
      return [p.mean];
    case 'choice':
    case 'grid':
      return p.options;
  }
}

/** Deep equality of two JSON-like values (options may be lists). */
export const sameValue = (a: unknown, b: unknown): boolean => a === b || JSON.stringify(a) === JSON.stringify(b);

/**
 * The grid: the cross product of the option lists, the first list varying slowest (nested loops
 * in search-block order). One empty point when there are no lists.
 */
export function gridPoints(params: readonly OptionsParam[]): Record<string, unknown>[] {
  let points: Record<string, unknown>[] = [{}];
  for (const p of params) {
    const next: Record<string, unknown>[] = [];
    for (const point of points) for (const v of p.options) next.push({ ...point, [p.key]: v });
    points = next;
  }
  return points;
}
