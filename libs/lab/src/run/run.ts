/**
 * A run: preflight (load the spec, build the env once, check the agent fits it, check the
 * backend), then the run folder (spec.json, provenance.json, git.diff), then one Trial, then the
 * analysis of the saved files (metrics JSON, plots, report.html; see `analyze.ts`).
 * Bad input fails in preflight with a `PreflightError`, before any folder exists.
 */
import { randomInt } from 'node:crypto';
import { join } from 'node:path';
import { AgentConfigError, distributedModeOf, isDeterministicMode } from '@gymlab/agents';
import type { DistributedMode } from '@gymlab/agents';
import { BackendUnavailableError } from '@gymlab/backends';
import { GymnasiumBridgeError, RENDERABLE_ENVS, UnknownEnvError } from '@gymlab/envs';
import { SpecError } from '@gymlab/spec';
import type { Spec } from '@gymlab/spec';
import { PreflightError, checkSpec } from './check-spec.js';
import { RunFolderError } from '../analyze-read.js';
import { analyzeRun } from '../analyze.js';
import { openRunFolder } from './open-run.js';
import { resolveDeps } from '../session/deps.js';
import { describeCompute } from '../session/compute.js';
import type { SessionDeps } from '../session/deps.js';
import { writeJsonAtomic } from './fs-utils.js';
import type { Provenance, ProvenanceStatus } from './provenance.js';
import { DataDirError, PROVENANCE_FILE, RECORDING_FILE } from './run-folder.js';
import { enjoy } from '../session/enjoy.js';
import { withRun } from './context.js';
import type { RunContext } from './context.js';
import { writeRunReport } from '../report-write.js';
import { SessionFailedError, runTrial, sessionSeeds } from '../trial/trial.js';
import type { TrialResult } from '../trial/trial.js';

export type RunMode = 'dev' | 'train';

export { NotBuiltYetError, PreflightError, checkRunnable, checkSpec, envOptionsOf, type Runnability } from './check-spec.js';

/** Error classes that mean "the input is wrong", not "the lab is broken". */
export function isInputError(err: unknown): boolean {
  return (
    err instanceof PreflightError ||
    err instanceof RunFolderError ||
    err instanceof DataDirError ||
    err instanceof SpecError ||
    err instanceof UnknownEnvError ||
    err instanceof AgentConfigError ||
    err instanceof BackendUnavailableError ||
    // a bridged env's Python child failed (in this process, or in a session worker)
    err instanceof GymnasiumBridgeError ||
    (err instanceof SessionFailedError && err.workerName === 'GymnasiumBridgeError')
  );
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0];
}

export interface PreflightOptions {
  readonly specFile: string;
  readonly specName: string;
  readonly mode: RunMode;
  /** `-s key=value` overrides. */
  readonly sets?: readonly string[];
  readonly deps?: Partial<SessionDeps>;
}

export interface Preflight {
  /** The spec as it will run: dev mode's single session and the base seed filled in. */
  readonly spec: Spec;
  /** The seed was drawn (the spec had `random_seed: null`). */
  readonly seedDrawn: boolean;
  /** The backend that will compute, and the tfjs package versions. */
  readonly backend: string;
  readonly backendVersions: Readonly<Record<string, string>>;
  /** The compute path and why, for the run header and provenance: `fast (PPO)`, `tfjs-wasm (the fast path does not run ...)`. */
  readonly compute: string;
  /** Lines for stderr: `-s` values the spec does not use, settings that do nothing. */
  readonly warnings: readonly string[];
}

/** Draws a base seed with crypto (recorded in spec.json and provenance). */
export function drawSeed(): number {
  return randomInt(0, 2 ** 31 - 1);
}

/**
 * Checks everything that can be wrong with the input without writing anything: `checkSpec` (the
 * spec loads and validates, the env exists, the algorithm fits its spaces; what is not built yet is
 * a `NotBuiltYetError`), then the backend initialises.
 */
export async function preflight(opts: PreflightOptions): Promise<Preflight> {
  const deps = resolveDeps(opts.deps);
  try {
    const { spec: loaded, fastFit, warnings } = await checkSpec({ specFile: opts.specFile, specName: opts.specName, sets: opts.sets, makeEnv: deps.makeEnv });
    const backend = await deps.initBackend({ gpu: loaded.agent.net.gpu, backend: loaded.agent.net.backend, fastFits: fastFit.fits });
    const seedDrawn = loaded.meta.random_seed === null;
    const meta = Object.freeze({
      ...loaded.meta,
      max_session: opts.mode === 'dev' ? 1 : loaded.meta.max_session,
      random_seed: loaded.meta.random_seed ?? drawSeed(),
    });
    const compute = describeCompute(loaded, fastFit, backend.name);
    return { spec: Object.freeze({ ...loaded, meta }), seedDrawn, backend: backend.name, backendVersions: backend.versions, compute, warnings };
  } catch (err) {
    if (err instanceof PreflightError) throw err;
    if (isInputError(err)) throw new PreflightError(firstLine(err));
    const code = (err as NodeJS.ErrnoException | null)?.code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES') throw new PreflightError(firstLine(err));
    throw err;
  }
}

export { specFileContent } from './spec-file.js';

/** What to run; where and how (data folder, signal, progress, sessions, TensorBoard) is the run context's. */
export interface RunOptions extends Omit<PreflightOptions, 'deps'> {
  /** Called once the run folder exists, before the sessions start. */
  readonly onStart?: (info: { readonly runDir: string; readonly spec: Spec; readonly seeds: readonly number[]; readonly compute: string; readonly warnings: readonly string[] }) => void;
  /** Sessions at once; default `min(sessions, ctx.cores)`. */
  readonly maxWorkers?: number;
  /** After the trial, record one episode of session 0's best checkpoint to `recording.gif` (report.html shows it). */
  readonly recordBest?: boolean;
}

export interface RunResult {
  readonly runDir: string;
  /** The run's report.html. */
  readonly reportFile: string;
  readonly spec: Spec;
  readonly status: ProvenanceStatus;
  readonly trial: TrialResult;
  readonly provenance: Provenance;
}

/**
 * After a failed run: the analysis of whatever the sessions saved (`analyzeRun`), best effort —
 * the run's own error is the one reported, so an analysis error here is dropped.
 */
function analyzeWhatExists(runDir: string): void {
  try {
    analyzeRun(runDir);
  } catch {
    // the failure being reported is the run's, not this one
  }
}

/**
 * provenance.json's `distributed` field for a `meta.distributed` run: the mode, the workers, and
 * whether the same seed gives the same numbers (not in `shared`, Hogwild, mode).
 */
export function distributedProvenance(spec: Spec): { distributed?: { mode: DistributedMode; workers: number; deterministic: boolean } } {
  const mode = distributedModeOf(spec.meta.distributed);
  return mode === null ? {} : { distributed: { mode, workers: spec.meta.max_session, deterministic: isDeterministicMode(mode) } };
}

/**
 * Runs a spec: preflight, run folder, one trial (which analyses its folder at its end), then
 * report.html; returns where it went and what it measured.
 */
export async function runSpec(opts: RunOptions, ctx: RunContext): Promise<RunResult> {
  const pre = await preflight({ ...opts, deps: ctx.sessions.deps });
  const { spec } = pre;
  if (opts.recordBest === true && !RENDERABLE_ENVS.includes(spec.env.name)) {
    throw new PreflightError(`--record-best: ${spec.env.name} cannot be drawn (recording draws ${RENDERABLE_ENVS.join(', ')})`);
  }
  const baseSeed = spec.meta.random_seed ?? 0;
  const seeds = sessionSeeds(baseSeed, spec.meta.max_session);
  const startedAt = ctx.now();
  const { runDir, provenance: base } = openRunFolder(
    {
      dataDir: ctx.dataDir,
      spec,
      specFile: opts.specFile,
      mode: opts.mode,
      backend: pre.backend,
      compute: pre.compute,
      backendVersions: pre.backendVersions,
      commandLine: ctx.commandLine,
      seeds: { base: baseSeed, drawn: pre.seedDrawn, sessions: seeds },
      startedAt,
    },
    distributedProvenance(spec),
  );
  opts.onStart?.({ runDir, spec, seeds, compute: pre.compute, warnings: pre.warnings });

  const result = await runTrialToEnd({ runDir, spec, seeds, mode: opts.mode, maxWorkers: opts.maxWorkers, base, resume: false }, ctx);
  if (opts.recordBest === true && result.status === 'completed') {
    await enjoy({ path: runDir, episodes: 1, record: join(runDir, RECORDING_FILE), deps: ctx.sessions.deps });
  }
  const report = writeRunReport(runDir); // the trial's files were written by runTrial (analyzeTrialFolder)
  return { ...result, reportFile: report.path };
}

/** What `runTrialToEnd` runs: an opened (or reopened) run folder, its spec and seeds. */
export interface TrialRunPlan {
  readonly runDir: string;
  readonly spec: Spec;
  readonly seeds: readonly number[];
  readonly mode: RunMode;
  readonly maxWorkers?: number;
  /** provenance.json as written at the (re)start, status `running`. */
  readonly base: Provenance;
  /** Continue the sessions from their resume checkpoints (`gymlab run resume`). */
  readonly resume: boolean;
}

/**
 * Runs the folder's trial (which analyses it at its end), then writes the final provenance.json
 * (status completed, interrupted or failed; backend and end time); on an error, analyses what
 * exists and rethrows.
 */
export async function runTrialToEnd(plan: TrialRunPlan, ctx: RunContext): Promise<Omit<RunResult, 'reportFile'>> {
  const { runDir, spec, seeds, base } = plan;
  const finish = (status: ProvenanceStatus, trial: TrialResult | null, error?: string): Provenance => {
    const first = trial?.sessions[0];
    const provenance: Provenance = {
      ...base,
      status,
      backend: first?.backend ?? base.backend,
      compute: first?.compute ?? base.compute,
      versions: { ...base.versions, tfjs: first?.backendVersions ?? base.versions.tfjs },
      ended_at: ctx.now().toISOString(),
      ...(error === undefined ? {} : { error }),
    };
    writeJsonAtomic(join(runDir, PROVENANCE_FILE), provenance);
    return provenance;
  };

  let trial: TrialResult;
  try {
    trial = await runTrial({ spec, trial: 0, seeds, devChecks: plan.mode === 'dev', maxWorkers: plan.maxWorkers, resume: plan.resume }, withRun(ctx, { runDir }));
  } catch (err) {
    try {
      finish(ctx.signal.aborted ? 'interrupted' : 'failed', null, firstLine(err));
    } catch {
      // a full disk may refuse provenance.json too: the run's own error is the one reported
    }
    analyzeWhatExists(runDir);
    throw err;
  }
  const status: ProvenanceStatus = trial.status === 'completed' && !ctx.signal.aborted ? 'completed' : 'interrupted';
  return { runDir, spec, status, trial, provenance: finish(status, trial) };
}
