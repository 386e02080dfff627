/**
 * A search as a command runs it (`gymlab run SPEC NAME search`, `gymlab-tune run` and `resume`):
 * one run context, event lines and a throttled progress view on the error stream, then the final
 * summary on the output stream. The commands only parse their arguments and map the final status
 * to an exit code.
 */
import { createRunContext } from '../run/context.js';
import type { RunContextOptions } from '../run/context.js';
import type { ProvenanceStatus } from '../run/provenance.js';
import { readExperimentState } from './folder.js';
import type { ExperimentState } from './folder.js';
import { formatSummary } from './format.js';
import { formatExperimentProgress } from './progress.js';
import type { ExperimentProgress } from './progress.js';
import { resumeSearch, startSearch } from './search.js';
import type { CommonOptions, SearchOptions, SearchResult } from './search.js';

/** Where a search command prints: `line` one event or progress line (the command adds its name), `out` the summary. */
export interface SearchPrinter {
  readonly line: (text: string) => void;
  readonly out: (text: string) => void;
}

/** Event lines as they happen; the progress view when a trial ends, else at most every `everyMs`. */
export function searchReporter(line: (text: string) => void, maxFrame: () => number, everyMs = 15_000, now: () => number = Date.now): { log: (text: string) => void; onProgress: (p: ExperimentProgress) => void } {
  let last = now();
  let lastDone = -1;
  return {
    log: line,
    onProgress: (p) => {
      const done = p.completed + p.stopped + p.failed;
      const t = now();
      if (done === lastDone && t - last < everyMs) return;
      line(formatExperimentProgress(p, maxFrame()));
      last = t;
      lastDone = done;
    },
  };
}

export type SearchCommand =
  | { readonly kind: 'start'; readonly search: SearchOptions }
  | { readonly kind: 'resume'; readonly runDir: string; readonly search?: CommonOptions };

/**
 * Runs (or resumes) a search as a command (see the module comment); `ctxOptions` make its run
 * context (signal, data folder, TensorBoard...). Resolves to the search's final status; resuming
 * a complete search prints so and resolves to 'completed' without running anything.
 */
export async function searchCommand(cmd: SearchCommand, print: SearchPrinter, ctxOptions: Omit<RunContextOptions, 'log'>): Promise<ProvenanceStatus> {
  if (cmd.kind === 'resume') {
    const prior = readExperimentState(cmd.runDir);
    if (prior.status === 'completed') {
      print.out(`${cmd.runDir}: the search is already complete (${prior.trials.length} trials); nothing to resume\n`);
      return 'completed';
    }
  }
  let maxFrame = 0;
  const rep = searchReporter(print.line, () => maxFrame);
  const ctx = createRunContext({ ...ctxOptions, log: rep.log });
  let r: SearchResult;
  if (cmd.kind === 'start') {
    r = await startSearch(
      {
        ...cmd.search,
        onProgress: rep.onProgress,
        onStart: ({ runDir, plan, state }) => {
          maxFrame = plan.spec.env.max_frame;
          for (const n of plan.notices) print.line(n);
          print.line(
            `search ${plan.spec.name}: sampler ${plan.sampler}, ${plan.trialCount} trial(s) x ${plan.spec.meta.max_session} session(s), ${plan.scheduler === null ? 'no scheduler' : 'ASHA'}, ${state.concurrency} at once on ${state.executor}, seed ${state.base_seed} -> ${runDir}`,
          );
        },
      },
      ctx,
    );
  } else {
    r = await resumeSearch(
      cmd.runDir,
      {
        ...cmd.search,
        onProgress: rep.onProgress,
        onStart: ({ plan, state }) => {
          maxFrame = plan.spec.env.max_frame;
          print.line(`resuming ${cmd.runDir}: ${finishedCount(state)}/${state.trial_count} trials finished, the rest run now`);
        },
      },
      ctx,
    );
  }
  print.out(formatSummary(r.runDir, r.state));
  return r.state.status;
}

const finishedCount = (state: ExperimentState): number => state.trials.filter((t) => t.status === 'completed' || t.status === 'stopped' || t.status === 'failed').length;
