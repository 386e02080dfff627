/**
 * `gymlab run resume RUN_FOLDER`: continues a train or dev run that was stopped (kill -9, a
 * reboot, Ctrl-C), or a trial folder of a search (`SEARCH/trial_<t>`, experiment/trial-resume.ts),
 * from each unfinished session's resume checkpoint (`checkpoints/latest`,
 * written every `meta.checkpoint_frequency` frames), so its CSVs end up as an uninterrupted run's
 * (time columns aside). Sessions that ended are left as they are; a session with no checkpoint yet
 * starts again from frame 0. The trial's analysis and report.html are written at the end. The
 * folder is appended to: spec.json and git.diff are never written; provenance.json gets the new
 * owner, status and `resumed_at`.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeRun } from '../analyze.js';
import { writeRunReport } from '../report-write.js';
import type { RunContext } from './context.js';
import { writeJsonAtomic } from './fs-utils.js';
import { currentOwner, currentStatus, type Provenance } from './provenance.js';
import { PROVENANCE_FILE, SPEC_FILE, sessionDir } from './run-folder.js';
import { readResumeCheckpoint } from '../session/resume-state.js';
import { PreflightError, preflight, runTrialToEnd, type RunMode, type RunResult } from './run.js';
import { sessionSeeds } from '../trial/trial.js';
import { resumeSearchTrial, searchTrialOf, type SearchTrialResult } from '../experiment/trial-resume.js';

export interface ResumeOptions {
  readonly runDir: string;
  /** Sessions at once; default `min(sessions, ctx.cores)`. */
  readonly maxWorkers?: number;
  /** Called once the folder is checked and reopened, before the sessions go on. */
  readonly onStart?: (info: { readonly runDir: string; readonly spec: RunResult['spec']; readonly status: string }) => void;
}

/**
 * What resume found: a run it continued, a trial of a search it continued (`resumeSearchTrial`),
 * or one that had completed (only its analysis was rebuilt).
 */
export type ResumeResult = ({ readonly kind: 'resumed' } & RunResult) | Extract<SearchTrialResult, { kind: 'trial' }> | { readonly kind: 'completed'; readonly runDir: string; readonly reportFile: string };

/** provenance.json of `runDir`, checked enough to resume from; PreflightError (one line) otherwise. */
function readProvenance(runDir: string): Provenance {
  const refuse = (what: string): never => {
    throw new PreflightError(`${runDir}: ${what}`);
  };
  if (!existsSync(runDir) || !statSync(runDir).isDirectory()) refuse('is not a folder');
  const path = join(runDir, PROVENANCE_FILE);
  if (!existsSync(path) || !existsSync(join(runDir, SPEC_FILE))) refuse(`is not a run folder (needs ${SPEC_FILE} and ${PROVENANCE_FILE})`);
  let p: unknown;
  try {
    p = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return refuse(`${PROVENANCE_FILE} is not valid JSON`);
  }
  const rec = p as Partial<Provenance> | null;
  if (typeof rec !== 'object' || rec === null || Array.isArray(rec)) return refuse(`${PROVENANCE_FILE} must hold an object`);
  if (typeof rec.spec_name !== 'string' || typeof rec.mode !== 'string' || typeof rec.status !== 'string' || !Array.isArray(rec.command_line)) {
    refuse(`${PROVENANCE_FILE} lacks spec_name, mode, status or command_line`);
  }
  const seeds = rec.seeds;
  if (typeof seeds !== 'object' || seeds === null || !Number.isInteger(seeds.base) || !Array.isArray(seeds.sessions) || !seeds.sessions.every(Number.isInteger)) {
    refuse(`${PROVENANCE_FILE}: seeds.base and seeds.sessions must be integers`);
  }
  return rec as Provenance;
}

/**
 * Continues the run in `runDir` (see the module comment). Refuses with a `PreflightError` (one
 * line naming the folder) a folder that is not a train/dev run, one whose owner still runs, or one
 * whose spec or seeds no longer check, and with a `CheckpointError` one whose session checkpoint
 * does not load or cannot be resumed (Box2D, MuJoCo, ...), before writing anything; a completed
 * run only gets its analysis rebuilt.
 */
export async function resumeRun(opts: ResumeOptions, ctx: RunContext): Promise<ResumeResult> {
  const { runDir } = opts;
  const ref = searchTrialOf(runDir);
  if (ref !== null) {
    // a trial folder of a search: the search folder's provenance says whether it may be resumed
    const search = readProvenance(ref.searchDir);
    if (search.mode !== 'search') throw new PreflightError(`${ref.searchDir}: provenance.json says mode ${search.mode}, but the folder holds experiment.json (allowed: a search folder)`);
    const status = currentStatus(search);
    if (status === 'running') {
      const who = search.owner === undefined ? 'another process' : `pid ${search.owner.pid} on ${search.owner.hostname}`;
      throw new PreflightError(`${ref.searchDir}: the search is still running (${who}); stop it first`);
    }
    return resumeSearchTrial(ref, search, { dir: runDir, maxWorkers: opts.maxWorkers, onStart: opts.onStart }, ctx);
  }
  const recorded = readProvenance(runDir);
  if (recorded.mode !== 'train' && recorded.mode !== 'dev') {
    throw new PreflightError(`${runDir}: a ${recorded.mode} folder; resume continues train and dev runs (a search continues with gymlab-tune resume)`);
  }
  const mode: RunMode = recorded.mode;
  const status = currentStatus(recorded);
  if (status === 'running') {
    const who = recorded.owner === undefined ? 'another process' : `pid ${recorded.owner.pid} on ${recorded.owner.hostname}`;
    throw new PreflightError(`${runDir}: still running (${who}); stop it first`);
  }
  if (status === 'completed') {
    analyzeRun(runDir); // a kill during the final analysis: rebuild what it writes
    return { kind: 'completed', runDir, reportFile: writeRunReport(runDir).path };
  }
  const pre = await preflight({ specFile: join(runDir, SPEC_FILE), specName: recorded.spec_name, mode, deps: ctx.sessions.deps });
  const { spec } = pre;
  const seeds = sessionSeeds(spec.meta.random_seed ?? 0, spec.meta.max_session);
  if (spec.meta.random_seed !== recorded.seeds.base || seeds.length !== recorded.seeds.sessions.length || seeds.some((s, i) => s !== recorded.seeds.sessions[i])) {
    throw new PreflightError(`${runDir}: the seeds in ${PROVENANCE_FILE} do not follow from ${SPEC_FILE}'s meta.random_seed`);
  }
  // every session's checkpoint must load and be resumable before anything is written
  for (let i = 0; i < seeds.length; i++) readResumeCheckpoint(sessionDir(runDir, 0, i));
  const base: Provenance = {
    ...recorded,
    status: 'running',
    owner: currentOwner(),
    ended_at: null,
    resumed_at: [...(recorded.resumed_at ?? []), ctx.now().toISOString()],
  };
  const { error: _error, ...clean } = base;
  writeJsonAtomic(join(runDir, PROVENANCE_FILE), clean);
  opts.onStart?.({ runDir, spec, status });
  // a run started with --no-tensorboard goes on without it
  const tensorboard = ctx.tensorboard && !recorded.command_line.includes('--no-tensorboard');
  const result = await runTrialToEnd({ runDir, spec, seeds, mode, maxWorkers: opts.maxWorkers, base: clean, resume: true }, { ...ctx, tensorboard });
  return { kind: 'resumed', ...result, reportFile: writeRunReport(runDir).path };
}
