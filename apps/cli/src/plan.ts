/**
 * What `gymlab run` was asked to do, from its positional arguments (SLM Lab's
 * `SPEC_FILE SPEC_NAME MODE` plus `enjoy RUN_FOLDER` and `enjoy@PATH`).
 */
import { fileURLToPath } from 'node:url';
import { UsageError } from '@gymlab/cli-kit';

export const RUN_MODES = ['dev', 'train', 'search', 'enjoy', 'resume'] as const;

/** The workspace's demo spec (specs/demo.json), resolved from this package's location (not the cwd). */
export function demoSpecFile(): string {
  return fileURLToPath(new URL('../../../specs/demo.json', import.meta.url));
}
export const DEMO_SPEC_NAME = 'ppo_cartpole';

export type RunPlan =
  | { readonly kind: 'train' | 'dev' | 'search'; readonly specFile: string; readonly specName: string }
  | { readonly kind: 'enjoy'; readonly path: string }
  | { readonly kind: 'resume'; readonly path: string };

/** Bad command-line usage: one line, exit code 2. */
export { UsageError };

const modesLine = 'available modes: dev, train, search, enjoy RUN_FOLDER (or enjoy@RUN_FOLDER); gymlab run resume RUN_FOLDER continues a stopped run';

function enjoyPlan(mode: string, rest: readonly string[]): RunPlan {
  const inline = mode.startsWith('enjoy@') ? mode.slice('enjoy@'.length) : null;
  if (inline !== null) {
    if (inline === '') throw new UsageError('enjoy@ needs a path: enjoy@RUN_FOLDER');
    if (rest.length > 0) throw new UsageError(`unexpected argument after ${mode}: ${rest[0]}`);
    return { kind: 'enjoy', path: inline };
  }
  if (rest.length === 0) throw new UsageError('enjoy needs a run folder: gymlab run enjoy RUN_FOLDER');
  if (rest.length > 1) throw new UsageError(`unexpected argument after the run folder: ${rest[1]}`);
  return { kind: 'enjoy', path: rest[0] };
}

const isEnjoy = (s: string): boolean => s === 'enjoy' || s.startsWith('enjoy@');

/** Parses `[SPEC_FILE SPEC_NAME [MODE [RUN_FOLDER]]]`, or `enjoy RUN_FOLDER` / `enjoy@PATH` / `resume RUN_FOLDER` alone. */
export function planRun(positionals: readonly string[]): RunPlan {
  if (positionals.length === 0) return { kind: 'train', specFile: demoSpecFile(), specName: DEMO_SPEC_NAME };
  if (positionals[0] === 'resume') {
    if (positionals.length === 1) throw new UsageError('resume needs a run folder: gymlab run resume RUN_FOLDER');
    if (positionals.length > 2) throw new UsageError(`unexpected argument after the run folder: ${positionals[2]}`);
    return { kind: 'resume', path: positionals[1] };
  }
  if (isEnjoy(positionals[0])) return enjoyPlan(positionals[0], positionals.slice(1));
  const [specFile, specName, mode = 'train', ...rest] = positionals;
  if (specName === undefined) throw new UsageError(`missing SPEC_NAME after ${specFile}: gymlab run SPEC_FILE SPEC_NAME [MODE]`);
  if (isEnjoy(mode)) return enjoyPlan(mode, rest);
  if (mode !== 'dev' && mode !== 'train' && mode !== 'search') throw new UsageError(`unknown mode '${mode}'; ${modesLine}`);
  if (rest.length > 0) throw new UsageError(`unexpected argument after mode ${mode}: ${rest[0]}`);
  return { kind: mode, specFile, specName };
}
