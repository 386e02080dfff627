/**
 * Starting, resuming and dry-running a search. Every check of the input (spec, search block,
 * env, agent, backend, Redis address) runs before the run folder exists, so bad input leaves
 * nothing behind.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { withRun } from '../run/context.js';
import type { RunContext } from '../run/context.js';
import { join } from 'node:path';
import { DEFAULT_RANK_METRIC } from './table.js';
import { PreflightError, preflight } from '../run/run.js';
import { isWriteFailure, writeJsonAtomic } from '../run/fs-utils.js';
import { currentOwner, currentStatus, type Provenance } from '../run/provenance.js';
import { PROVENANCE_FILE } from '../run/run-folder.js';
import { createExperimentFolder, finishExperimentProvenance, writeExperimentOutputs, readExperimentState } from './folder.js';
import { experimentTrialSeed } from './trial-spec.js';
import { readRunFiles } from '../analyze-read.js';
import { sessionSeeds } from '../trial/trial.js';
import type { ExperimentProgress } from './progress.js';
import type { ExperimentState } from './folder.js';
import type { RankMetric } from './table.js';
import { checkTrialSpec } from './trial-run.js';
import { loadSpec } from '@gymlab/spec';
import type { Spec } from '@gymlab/spec';
import { runSearch } from './driver.js';
import type { TrialExecutor } from './executor.js';
import { LocalExecutor } from './local-executor.js';
import { RedisExecutor } from './redis-executor.js';
import { localResources, makeSampler, orderValues, planSearch } from './search-plan.js';
import type { SearchPlan } from './search-plan.js';

/** Trials queued at once on Redis when `concurrency` is not given (TPE: its startup trial count). */
export const DEFAULT_REDIS_CONCURRENCY = 10;

export interface ExecutorChoice {
  /** `redis://HOST:PORT`: queue trials in BullMQ for `gymlab-tune worker` processes. */
  readonly redis?: string;
  readonly queue?: string;
}

/**
 * What a search takes besides its run context (which carries the stop signal, the log, the data
 * folder, the command line, TensorBoard on/off and how sessions run).
 */
export interface CommonOptions extends ExecutorChoice {
  readonly onProgress?: (p: ExperimentProgress, state: ExperimentState) => void;
  /** Called once the run folder and the plan exist, before any trial starts. */
  readonly onStart?: (info: { readonly runDir: string; readonly plan: SearchPlan; readonly state: ExperimentState }) => void;
  readonly checkSpec?: (spec: Spec) => void;
  readonly report?: boolean;
}

export interface SearchOptions extends CommonOptions {
  readonly specFile: string;
  readonly specName: string;
  readonly sets?: readonly string[];
  /** At most this many trials at once (local: also bounded by resources and cores). */
  readonly concurrency?: number;
  readonly metric?: RankMetric;
}

export interface SearchResult {
  readonly runDir: string;
  readonly plan: SearchPlan;
  readonly state: ExperimentState;
}

function concurrencyFor(plan: SearchPlan, spec: Spec, opts: { readonly concurrency?: number; readonly redis?: string; readonly cores?: number }): number {
  if (opts.concurrency !== undefined && !(Number.isInteger(opts.concurrency) && opts.concurrency >= 1)) {
    throw new PreflightError(`--concurrency must be a positive integer (got ${opts.concurrency})`);
  }
  if (opts.redis !== undefined) return Math.max(1, Math.min(plan.trialCount, opts.concurrency ?? DEFAULT_REDIS_CONCURRENCY));
  return localResources(spec, opts.cores ?? availableParallelism(), plan.trialCount, opts.concurrency).trials;
}

/** Runs the search in `runDir` on its executor (local unless `redis` is given), then finishes provenance and the report. */
async function drive(runDir: string, plan: SearchPlan, spec: Spec, state: ExperimentState, opts: CommonOptions, ctx: RunContext, redis: RedisExecutor | null): Promise<ExperimentState> {
  const runCtx = withRun(ctx, { runDir });
  const executor: TrialExecutor = redis ?? new LocalExecutor(localResources(spec, ctx.cores, state.trial_count).sessionsPerTrial, runCtx);
  opts.onStart?.({ runDir, plan, state });
  try {
    const final = await runSearch({ plan, spec, runDir, state, executor, signal: ctx.signal, log: ctx.log, onProgress: opts.onProgress, checkSpec: opts.checkSpec ?? ((s) => checkTrialSpec(s, ctx.sessions.deps)), report: false });
    finishExperimentProvenance(runDir, final.status);
    // report.html last, so that it shows the provenance's final status and end time
    if (opts.report ?? true) writeExperimentOutputs(runDir, spec, final, { report: true });
    return final;
  } catch (err) {
    try {
      // a full disk leaves a search that resume continues, as an interrupt does
      finishExperimentProvenance(runDir, ctx.signal.aborted || isWriteFailure(err) ? 'interrupted' : 'failed', (err instanceof Error ? err.message : String(err)).split('\n')[0]);
    } catch {
      // the disk may refuse provenance.json too: the search's own error is the one reported
    }
    throw err;
  } finally {
    await executor.close();
  }
}

/** The state of a search that has not run a trial yet. */
export function newExperimentState(o: {
  readonly id: string;
  readonly plan: SearchPlan;
  readonly specFile: string;
  readonly concurrency: number;
  readonly metric: RankMetric;
  readonly executor: 'local' | 'redis';
}): ExperimentState {
  const { plan } = o;
  const now = new Date().toISOString();
  return {
    format: 'gymlab-experiment',
    version: 1,
    id: o.id,
    spec_name: plan.spec.name,
    spec_file: o.specFile,
    base_seed: plan.spec.meta.random_seed ?? 0,
    sampler: plan.sampler,
    scheduler: plan.scheduler === null ? null : { grace_period: plan.scheduler.gracePeriod, reduction_factor: plan.scheduler.reductionFactor, max_t: plan.scheduler.maxT },
    scheduler_state: null,
    metric: o.metric,
    concurrency: o.concurrency,
    trial_count: plan.trialCount,
    hyperparameters: plan.hyperparameters,
    executor: o.executor,
    status: 'running',
    started_at: now,
    updated_at: now,
    wall_time: 0,
    resumes: 0,
    trials: [],
  };
}

/** Runs a search: checks everything, creates the run folder, runs the trials (see `runSearch`). */
export async function startSearch(opts: SearchOptions, ctx: RunContext): Promise<SearchResult> {
  const pre = await preflight({ specFile: opts.specFile, specName: opts.specName, mode: 'train', sets: opts.sets, deps: ctx.sessions.deps });
  const spec = pre.spec;
  const plan = planSearch(spec, opts.specFile);
  const concurrency = concurrencyFor(plan, spec, { ...opts, cores: ctx.cores });
  const baseSeed = spec.meta.random_seed ?? 0;
  const id = `${spec.name}-${randomBytes(4).toString('hex')}`;
  const redis = opts.redis === undefined ? null : await RedisExecutor.connect({ url: opts.redis, queue: opts.queue, runDir: '', experiment: id });
  const trialSeeds = Array.from({ length: plan.trialCount }, (_, t) => {
    const seed = experimentTrialSeed(baseSeed, t);
    return { trial: t, seed, sessions: sessionSeeds(seed, spec.meta.max_session) };
  });
  let runDir: string;
  try {
    runDir = createExperimentFolder({
      dataDir: ctx.dataDir,
      spec,
      specFile: opts.specFile,
      seedDrawn: pre.seedDrawn,
      backend: pre.backend,
      compute: pre.compute,
      backendVersions: pre.backendVersions,
      commandLine: ctx.commandLine,
      trialSeeds,
    }, ctx.now()).runDir;
  } catch (err) {
    await redis?.close();
    throw err;
  }
  redis?.setRunDir(runDir);
  const state = newExperimentState({ id, plan, specFile: opts.specFile, concurrency, metric: opts.metric ?? DEFAULT_RANK_METRIC, executor: redis === null ? 'local' : 'redis' });
  const final = await drive(runDir, plan, spec, state, opts, ctx, redis);
  return { runDir, plan, state: final };
}

/** Continues an interrupted search from its run folder: finished trials are kept, the rest run. */
export async function resumeSearch(runDir: string, opts: CommonOptions, ctx: RunContext): Promise<SearchResult> {
  const state0 = readExperimentState(runDir);
  const run = readRunFiles(runDir);
  const prior = run.provenance as Partial<Provenance> | null;
  if (prior !== null && typeof prior === 'object' && currentStatus({ status: prior.status ?? 'interrupted', owner: prior.owner }) === 'running') {
    const who = prior.owner === undefined ? 'another process' : `pid ${prior.owner.pid} on ${prior.owner.hostname}`;
    throw new PreflightError(`${runDir}: the search is still running (${who}); stop it first`);
  }
  const specFile = join(runDir, 'spec.json');
  const pre = await preflight({ specFile, specName: run.spec.name, mode: 'train', deps: ctx.sessions.deps });
  const spec = pre.spec;
  const plan = planSearch(spec, specFile);
  if (plan.trialCount !== state0.trial_count) throw new PreflightError(`${runDir}: the spec plans ${plan.trialCount} trials but experiment.json has ${state0.trial_count} (was spec.json edited?)`);
  const redis = opts.redis === undefined ? null : await RedisExecutor.connect({ url: opts.redis, queue: opts.queue, runDir, experiment: state0.id });
  const state: ExperimentState = { ...state0, resumes: state0.resumes + 1, executor: redis === null ? 'local' : 'redis' };
  // the folder is this process's while the search runs: a later command sees it running, or interrupted if this one dies
  const { error: _error, ...kept } = (prior ?? {}) as Record<string, unknown>;
  writeJsonAtomic(join(runDir, PROVENANCE_FILE), { ...kept, status: 'running', owner: currentOwner(), ended_at: null, resumed_at: [...((prior?.resumed_at as string[] | undefined) ?? []), ctx.now().toISOString()] });
  const final = await drive(runDir, plan, spec, state, opts, ctx, redis);
  return { runDir, plan, state: final };
}

export interface DryRunResult {
  readonly plan: SearchPlan;
  readonly baseSeed: number;
  readonly seedDrawn: boolean;
  readonly concurrency: number;
  /** The trials whose values are known before anything runs, in order. */
  readonly trials: readonly { readonly trial: number; readonly seed: number; readonly values: Readonly<Record<string, unknown>> }[];
}

/**
 * What a search would run, without running anything (no env or backend is built): the plan and
 * the values of the trials that do not depend on results (all of them for random and grid; TPE's
 * startup trials).
 */
export interface DryRunOptions {
  readonly specFile: string;
  readonly specName: string;
  readonly sets?: readonly string[];
  readonly concurrency?: number;
  readonly redis?: string;
  readonly cores?: number;
}

export function dryRunSearch(opts: DryRunOptions): DryRunResult {
  const spec = loadSpec(opts.specFile, opts.specName, { sets: opts.sets ?? [] });
  const plan = planSearch(spec, opts.specFile);
  const concurrency = concurrencyFor(plan, spec, opts);
  const seedDrawn = spec.meta.random_seed === null;
  const baseSeed = spec.meta.random_seed ?? randomInt(0, 2 ** 31 - 1);
  const sampler = makeSampler(plan, baseSeed);
  const trials: DryRunResult['trials'][number][] = [];
  for (let k = 0; k < plan.trialCount; k++) {
    if (sampler.historyNeeded(k, concurrency)) break;
    const values = orderValues(plan, k, sampler.propose({ trial: k, history: [], pending: [] }));
    trials.push({ trial: k, seed: experimentTrialSeed(baseSeed, k), values });
  }
  return { plan, baseSeed, seedDrawn, concurrency, trials };
}
