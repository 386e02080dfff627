/** Small runs for the analysis tests: real envs, the fake agent and backend, in this process. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createRunContext } from '../run/context.js';
import { runSpec } from '../run/run.js';
import type { RunResult } from '../run/run.js';
import { fakeDeps } from './fakes.js';
import { SHARED_DEMO } from './paths.js';

export const tempDir = (prefix: string): string => mkdtempSync(join(tmpdir(), `lab-${prefix}-`));

/** A finished run of the demo spec with the fake agent: `sessions` x `frames`, a row every 200 frames. */
export async function fakeRun(opts: { sessions?: number; frames?: number; seed?: number; sets?: readonly string[]; signal?: AbortSignal; onProgress?: (frame: number) => void } = {}): Promise<RunResult> {
  const { deps } = fakeDeps();
  return runSpec({
    specFile: SHARED_DEMO,
    specName: 'ppo_cartpole',
    mode: 'train',
    sets: [
      'agent.net.backend=cpu',
      `meta.max_session=${opts.sessions ?? 3}`,
      `env.max_frame=${opts.frames ?? 2000}`,
      'meta.log_frequency=200',
      `meta.random_seed=${opts.seed ?? 11}`,
      ...(opts.sets ?? []),
    ],
  }, createRunContext({ dataDir: tempDir('data'), inProcess: true, deps, signal: opts.signal, onProgress: (p) => opts.onProgress?.(p.frame), commandLine: ['test'] }));
}

/** Every file under `dir` (relative path -> "size:mtime:base64 content"), to prove files did not change. */
export function snapshot(dir: string, keep: (rel: string) => boolean = () => true): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (keep(relative(dir, p))) out[relative(dir, p)] = `${st.size}:${st.mtimeMs}:${readFileSync(p).toString('base64')}`;
    }
  };
  walk(dir);
  return out;
}

/** The 8-byte PNG signature. */
export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export const isPng = (file: string): boolean => readFileSync(file).subarray(0, 8).equals(PNG_SIGNATURE);
