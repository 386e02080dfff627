/** `gymlab reproduce RUN_FOLDER [--session N] [--reuse-install] [--tree-cache DIR]`: libs/lab's `reproduce`; exit 0 identical, 1 different. */
import { EXIT, withInterrupt } from '@gymlab/cli-kit';
import type { Io } from '@gymlab/cli-kit';
import type { ReproduceOptions } from '@gymlab/lab';

export const REPRODUCE_OPTIONS = {
  session: { type: 'number', requiresArg: true, describe: 'only this session (default all)' },
  'reuse-install': { type: 'boolean', default: false, describe: 'use the current node_modules instead of npm ci when the lockfile is the same (the tree is still built)' },
  'tree-cache': { type: 'string', requiresArg: true, describe: 'keep the built tree in this folder for later runs of the same commit and diff' },
} as const;

export type ReproduceArgs = Pick<ReproduceOptions, 'runDir' | 'session' | 'reuseInstall' | 'treeCache'>;

export function reproduceCommand(a: ReproduceArgs, io: Io, m: typeof import('@gymlab/lab/reproduce')): Promise<number> {
  return withInterrupt(io, { name: 'gymlab', stopping: 'stopping the rerun and removing the worktree' }, async ({ signal }) => {
    const r = await m.reproduce({ ...a, signal, log: (l) => io.stderr.write(`reproduce: ${l}\n`) });
    for (const n of r.notes) io.stderr.write(`gymlab: note: ${n}\n`);
    io.stdout.write(m.formatReproduce(r));
    return r.difference === null ? EXIT.ok : 1;
  });
}
