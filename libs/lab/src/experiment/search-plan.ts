/**
 * A search's plan, from a loaded spec: its params, the grid, the sampler (`meta.search_sampler`,
 * default tpe as SLM Lab), the number of trials, the scheduler (`meta.search_scheduler`, ASHA)
 * and how many trials run at once. Everything wrong with the input is refused here, before
 * anything runs, with a one-line `SpecError`.
 *
 * Trials: with the random or tpe sampler, `meta.max_trial` x (grid size) trials; trial k takes grid
 * point k mod G (Ray Tune's `num_samples` with `grid_search`) and draws the other params. With the
 * grid sampler, choice lists are gridded too, numeric distributions are refused, and the search
 * runs each grid point once (G trials; `meta.max_trial` is not used, and a notice says so).
 */
import { buildTrialSpec } from './trial-spec.js';
import { SpecError, parseSearchSpace } from '@gymlab/spec';
import type { Spec } from '@gymlab/spec';
import { ashaProblem } from './asha.js';
import type { AshaConfig } from './asha.js';
import { GridSampler, RandomSampler } from './samplers/random.js';
import type { Sampler, SamplerName, Values } from './samplers/sampler.js';
import { TpeSampler } from './samplers/tpe.js';
import { edgeValues, gridPoints, toParams } from './space.js';
import type { OptionsParam, Param } from './space.js';

export interface SearchPlan {
  readonly spec: Spec;
  readonly specFile: string;
  readonly params: readonly Param[];
  /** Params placed by the grid (grid_search; with the grid sampler also choice). */
  readonly gridParams: readonly OptionsParam[];
  /** Params the sampler draws. */
  readonly drawnParams: readonly Param[];
  readonly grid: readonly Values[];
  readonly sampler: SamplerName;
  readonly trialCount: number;
  readonly scheduler: AshaConfig | null;
  /** Dotted keys in search-block order (the experiment table's columns). */
  readonly hyperparameters: readonly string[];
  /** One line each: things the user should know (e.g. max_trial unused by the grid sampler). */
  readonly notices: readonly string[];
}

const keyPath = (spec: Spec, ...rest: string[]): string => [spec.name, ...rest].join('.');

/**
 * Checks that the spec accepts `value` at the param's key: builds the trial spec with it and
 * turns a refusal into a `SpecError` at the search key (`why` replaces the generic reason).
 */
function checkValue(spec: Spec, p: Param, value: unknown, file: string, why?: string): void {
  try {
    buildTrialSpec(spec, { [p.key]: value }, 0, file);
  } catch (err) {
    if (!(err instanceof SpecError)) throw err;
    const reason = why ?? `its value ${JSON.stringify(value)} is refused`;
    throw new SpecError({ file, keyPath: keyPath(spec, 'search', p.label), problem: `${reason}: ${err.problem}` });
  }
}

/** Plans the search of a validated spec (see the module comment). */
export function planSearch(spec: Spec, specFile: string): SearchPlan {
  const fail = (path: string, problem: string): never => {
    throw new SpecError({ file: specFile, keyPath: path, problem });
  };
  if (spec.search === null || Object.keys(spec.search).length === 0) {
    fail(keyPath(spec, 'search'), "search mode needs a search block (allowed: keys like 'agent.algorithm.gamma__uniform': [0.9, 0.999])");
  }
  const dims = parseSearchSpace(spec.search, { file: specFile, prefix: [spec.name] });
  const params = toParams(dims, { file: specFile, specName: spec.name });
  const sampler: SamplerName = spec.meta.search_sampler ?? 'tpe';
  const notices: string[] = [];
  const gridded = (p: Param): p is OptionsParam => p.kind === 'grid' || (sampler === 'grid' && p.kind === 'choice');
  if (sampler === 'grid') {
    const numeric = params.find((p) => !gridded(p));
    if (numeric !== undefined) {
      fail(keyPath(spec, 'search', numeric.label), `the grid sampler runs listed values only; ${numeric.dist} is not a list (allowed: choice, grid_search; or meta.search_sampler random or tpe)`);
    }
  }
  const gridParams = params.filter(gridded);
  const drawnParams = params.filter((p) => !gridded(p));
  const grid = gridPoints(gridParams);
  const trialCount = sampler === 'grid' ? grid.length : spec.meta.max_trial * grid.length;
  if (sampler === 'grid' && spec.meta.max_trial !== grid.length) {
    notices.push(`grid sampler: ${grid.length} grid points -> ${grid.length} trials (meta.max_trial ${spec.meta.max_trial} is not used)`);
  }
  let scheduler: AshaConfig | null = null;
  const s = spec.meta.search_scheduler;
  if (s !== null) {
    scheduler = { gracePeriod: s.grace_period, reductionFactor: s.reduction_factor, maxT: spec.env.max_frame };
    const problem = ashaProblem(scheduler);
    if (problem !== null) fail(keyPath(spec, 'meta', 'search_scheduler'), problem);
    if (scheduler.gracePeriod >= scheduler.maxT) {
      notices.push(`ASHA: grace_period ${scheduler.gracePeriod} >= env.max_frame ${scheduler.maxT}: no rung, every trial runs to the end`);
    }
  }
  const cpu = spec.meta.search_resources?.cpu;
  if (cpu !== undefined && !(cpu > 0)) fail(keyPath(spec, 'meta', 'search_resources', 'cpu'), `must be > 0, got ${cpu}`);
  for (const p of params) for (const v of edgeValues(p)) checkValue(spec, p, v, specFile);
  for (const p of params) {
    if (p.kind !== 'normal') continue;
    const why = `${p.dist} draws any real number, so '${p.key}' must accept every number (use uniform or quniform for a bounded key)`;
    for (const v of [p.mean - 1e6 * p.sd, p.mean + 1e6 * p.sd]) checkValue(spec, p, v, specFile, why);
  }
  return { spec, specFile, params, gridParams, drawnParams, grid, sampler, trialCount, scheduler, hyperparameters: params.map((p) => p.key), notices };
}

/** The plan's sampler over its drawn params. */
export function makeSampler(plan: SearchPlan, baseSeed: number): Sampler {
  if (plan.sampler === 'grid') return new GridSampler();
  if (plan.sampler === 'random') return new RandomSampler(plan.drawnParams, baseSeed);
  return new TpeSampler(plan.drawnParams, baseSeed);
}

/** Trial k's values in search-block order: its grid point and the sampler's draws. */
export function orderValues(plan: SearchPlan, trial: number, drawn: Values): Record<string, unknown> {
  const point = plan.grid[trial % plan.grid.length];
  const out: Record<string, unknown> = {};
  for (const key of plan.hyperparameters) out[key] = key in point ? point[key] : drawn[key];
  return out;
}

export interface Resources {
  /** Trials run at once. */
  readonly trials: number;
  /** Sessions of one trial run at once. */
  readonly sessionsPerTrial: number;
}

/**
 * Local concurrency: a trial needs `meta.search_resources.cpu` cores (default: one per session);
 * trials at once = max(1, floor(cores / cpu)), at most the trial count (and `limit`); sessions of
 * a trial at once = max(1, min(max_session, floor(cpu), cores)).
 */
export function localResources(spec: Spec, cores: number, trialCount: number, limit?: number): Resources {
  const cpu = spec.meta.search_resources?.cpu ?? spec.meta.max_session;
  const trials = Math.max(1, Math.min(trialCount, limit ?? Infinity, Math.floor(cores / cpu)));
  const sessionsPerTrial = Math.max(1, Math.min(spec.meta.max_session, Math.floor(cpu), cores));
  return { trials, sessionsPerTrial };
}
