/**
 * `gymlab run resume RUN_FOLDER`: continues a stopped train/dev run, or one trial folder of a
 * search (`SEARCH/trial_<t>`), from its sessions' resume checkpoints (see `resumeRun` of
 * @gymlab/lab), with the same progress, summary and exit codes as `gymlab run` (0 completed or
 * stopped early by ASHA, 2 a folder that cannot be resumed, 130 interrupted again). A search folder
 * itself goes to the search's resume (search-mode.ts).
 */
import { EXIT, ProgressReporter, firstLine, withInterrupt } from '@gymlab/cli-kit';
import type { Io } from '@gymlab/cli-kit';
import type { RunResult } from '@gymlab/lab';

export interface ResumeArgs {
  readonly runDir: string;
  readonly tensorboard: boolean;
}

/** What the command shares with `gymlab run`: its name in messages, its summary, and what counts as bad input. */
export interface ResumeCommandParts {
  readonly name: string;
  readonly summary: (result: RunResult) => string;
  readonly badInput: (err: unknown) => boolean;
}

export async function resumeCommand(a: ResumeArgs, io: Io, lab: typeof import('@gymlab/lab'), parts: ResumeCommandParts): Promise<number> {
  const { name } = parts;
  return withInterrupt(io, { name, stopping: 'stopping workers and writing a checkpoint to resume from', again: 'exiting without waiting for the workers' }, async ({ signal, received }) => {
    let reporter: ProgressReporter | null = null;
    try {
      const ctx = lab.createRunContext({ dataDir: '.', tensorboard: a.tensorboard, signal, onProgress: (p) => reporter?.update(p) });
      const result = await lab.resumeRun(
        {
          runDir: a.runDir,
          onStart: ({ runDir, spec, status }) => {
            io.stderr.write(`${name}: resume ${spec.name} (${status}; ${spec.meta.max_session} session(s) x ${spec.env.max_frame} frames) -> ${runDir}\n`);
            reporter = new ProgressReporter({ sessions: spec.meta.max_session, maxFrame: spec.env.max_frame, stream: io.stderr });
          },
        },
        ctx,
      );
      (reporter as ProgressReporter | null)?.finish();
      if (result.kind === 'completed') {
        io.stdout.write(`run folder: ${result.runDir}\nstatus: completed already; nothing to resume (analysis rebuilt)\nreport: ${result.reportFile}\n`);
        return EXIT.ok;
      }
      io.stdout.write(parts.summary(result));
      if (result.kind === 'trial') {
        const rest = result.searchStatus === 'interrupted' ? `; the search has trials left: gymlab run resume ${result.searchDir}` : '';
        io.stdout.write(`search: trial ${result.trial.trial} ${result.trialStatus}; experiment.csv and report.html of ${result.searchDir} updated (search ${result.searchStatus}${rest})\n`);
      }
      return received() !== null || result.status !== 'completed' ? EXIT.interrupted : EXIT.ok;
    } catch (err) {
      (reporter as ProgressReporter | null)?.finish();
      if (received() !== null && !parts.badInput(err)) {
        io.stderr.write(`${name}: interrupted (${firstLine(err)})\n`);
        return EXIT.interrupted;
      }
      throw err;
    }
  });
}
