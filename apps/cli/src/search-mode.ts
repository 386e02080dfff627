/**
 * `gymlab run SPEC_FILE SPEC_NAME search`: the search runs in the gymlab-tune app (apps never
 * import apps), started here as a child process with the same spec, `-s` overrides and data
 * folder; its output, and its exit code, are this command's. The child runs in a process group of
 * its own, so a Ctrl-C reaches it once, through this process.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The workspace's gymlab-tune command (apps/tune/bin), resolved from this package's location. */
export function tuneBin(): string {
  return fileURLToPath(new URL('../../tune/bin/gymlab-tune.js', import.meta.url));
}

export interface SearchArgs {
  readonly specFile: string;
  readonly specName: string;
  readonly sets: readonly string[];
  readonly dataDir: string;
  readonly tensorboard: boolean;
}

/** The gymlab-tune arguments for a search. */
export function tuneArgs(a: SearchArgs): string[] {
  return ['run', a.specFile, a.specName, ...a.sets.flatMap((s) => ['-s', s]), '--data-dir', a.dataDir, ...(a.tensorboard ? [] : ['--no-tensorboard'])];
}

/** Runs the search in a gymlab-tune child process; resolves to its exit code (SIGINT/SIGTERM are passed on). */
export function runSearchMode(a: SearchArgs, bin: string = tuneBin()): Promise<number> {
  if (!existsSync(bin) || !existsSync(join(dirname(bin), '..', 'dist', 'main.js'))) {
    throw new Error(`gymlab-tune is not built (${bin}): run npm run build`);
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...tuneArgs(a)], { stdio: 'inherit', detached: true });
    const forward = (sig: NodeJS.Signals): void => void child.kill(sig);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    const done = (): void => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
    };
    child.on('error', (err) => {
      done();
      reject(err);
    });
    child.on('exit', (code, signal) => {
      done();
      resolve(code ?? (signal === 'SIGINT' || signal === 'SIGTERM' ? 130 : 1));
    });
  });
}
