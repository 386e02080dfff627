/** What the kill -9 / resume fault tests share: killing a train run at a moment, reading its sessions' CSVs and checkpoints, resuming. */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { main } from '../main.js';
import { childPids, spawnCli } from './cli.js';

/** The session folders of a run. */
export const sessions = (runDir: string): string[] =>
  readdirSync(join(runDir, 'trial_0')).filter((f) => f.startsWith('session_')).sort().map((f) => join(runDir, 'trial_0', f));

/** metrics.csv of every session without its time columns (wall_time, fps). */
export const csvs = (runDir: string): string[][] =>
  sessions(runDir).map((d) => readFileSync(join(d, 'metrics.csv'), 'utf8').trim().split('\n').map((line) => line.split(',').filter((_, i) => i !== 1 && i !== 10).join(',')));

export const provenance = (runDir: string): { status: string; resumed_at?: string[] } => JSON.parse(readFileSync(join(runDir, 'provenance.json'), 'utf8'));

/** The frame of a session's `latest` checkpoint; null when it has none (yet). */
export const latestFrame = (session: string): number | null => {
  try {
    return (JSON.parse(readFileSync(join(session, 'checkpoints', 'latest', 'manifest.json'), 'utf8')) as { info: { frame: number } }).info.frame;
  } catch {
    return null;
  }
};

/** Starts `gymlab ARGV` (a train run writing into `data`) and SIGKILLs it with its workers as soon as `when(runDir)` holds; returns the run folder. */
export async function killWhen(argv: readonly string[], data: string, when: (runDir: string) => boolean): Promise<string> {
  const child = spawnCli(argv);
  let out = '';
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const deadline = Date.now() + 120_000;
  for (;;) {
    const [folder] = existsSync(data) ? readdirSync(data) : [];
    if (folder !== undefined && existsSync(join(data, folder, 'trial_0')) && when(join(data, folder))) break;
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the run ended before the moment to kill it: ${out}`);
    await new Promise((r) => setTimeout(r, 5));
  }
  for (const pid of [...childPids(child.pid ?? -1), child.pid ?? -1]) process.kill(pid, 'SIGKILL');
  await exited;
  return join(data, readdirSync(data)[0]);
}

/** `gymlab ARGS...` in this process (the session workers are still child processes): exit code and output. */
export async function gymlab(argv: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const stream = (write: (s: string) => void): NodeJS.WriteStream => ({ write: (s: string) => (write(s), true), columns: 80 }) as unknown as NodeJS.WriteStream;
  const code = await main(argv, { stdout: stream((x) => (stdout += x)), stderr: stream((x) => (stderr += x)) });
  return { code, stdout, stderr };
}

/** `gymlab run resume RUNDIR`, expected to exit 0; its output. */
export async function resume(runDir: string): Promise<string> {
  const r = await gymlab(['run', 'resume', runDir]);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}
