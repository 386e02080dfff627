/**
 * `gymlab reproduce RUN_FOLDER [--session N] [--reuse-install] [--tree-cache DIR]`: libs/lab's
 * `reproduce`; exit 0 identical, 1 different, 130 interrupted (Ctrl-C or SIGTERM: the rerun or the
 * install in the worktree is stopped and the temporary worktree removed).
 */
import { EXIT, firstLine, withInterrupt } from '@gymlab/cli-kit';
import type { Io } from '@gymlab/cli-kit';
import type { ReproduceOptions } from '@gymlab/lab';

export const REPRODUCE_OPTIONS = {
  session: { type: 'number', requiresArg: true, describe: 'only this session (default all)' },
  'reuse-install': { type: 'boolean', default: false, describe: 'use the current node_modules instead of npm ci when the lockfile is the same (the tree is still built)' },
  'tree-cache': { type: 'string', requiresArg: true, describe: 'keep the built tree in this folder for later runs of the same commit and diff' },
} as const;

export type ReproduceArgs = Pick<ReproduceOptions, 'runDir' | 'session' | 'reuseInstall' | 'treeCache'>;

export function reproduceCommand(a: ReproduceArgs, io: Io, m: typeof import('@gymlab/lab/reproduce')): Promise<number> {
  return withInterrupt(io, { name: 'gymlab', stopping: 'stopping the rerun and removing the worktree' }, async ({ signal, received }) => {
    let r: Awaited<ReturnType<typeof m.reproduce>>;
    try {
      r = await m.reproduce({ ...a, signal, log: (l) => io.stderr.write(`reproduce: ${l}\n`) });
    } catch (err) {
      if (received() === null || err instanceof m.PreflightError) throw err;
      // the stopped child's failure is the interrupt's doing, not an error of its own
      io.stderr.write(`gymlab: reproduce interrupted (${received()}; ${firstLine(err)}); the temporary worktree was removed\n`);
      return EXIT.interrupted;
    }
    if (received() !== null) {
      io.stderr.write(`gymlab: reproduce interrupted (${received()})\n`);
      return EXIT.interrupted;
    }
    for (const n of r.notes) io.stderr.write(`gymlab: note: ${n}\n`);
    io.stdout.write(m.formatReproduce(r));
    return r.difference === null ? EXIT.ok : 1;
  });
}
