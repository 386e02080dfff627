/** Small runs for the analysis tests: real envs, the fake agent and backend, in this process. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

/** The 8-byte PNG signature. */
export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export const isPng = (file: string): boolean => readFileSync(file).subarray(0, 8).equals(PNG_SIGNATURE);
