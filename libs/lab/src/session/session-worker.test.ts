import { fork } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSpec } from '@gymlab/spec';
import { DIST_WORKER, SHARED_DEMO, ensureLabBuilt } from '../test-utils/paths.js';
import { expectScalarsMatchRows, readSessionRows, readSessionTb } from '../test-utils/tb-read.js';
import { isWorkerMessage } from './worker-protocol.js';
import type { RunSessionRequest, WorkerMessage } from './worker-protocol.js';

/** Runs one request in a forked worker; sends `signal` once a progress message reaches `stopAt` frames. */
function runWorker(request: RunSessionRequest, stopAt: number | null, signal: NodeJS.Signals = 'SIGINT'): Promise<{ messages: WorkerMessage[]; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = fork(DIST_WORKER, [], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'], serialization: 'advanced' });
    const messages: WorkerMessage[] = [];
    let sent = false;
    child.on('message', (m: unknown) => {
      if (!isWorkerMessage(m)) return;
      messages.push(m);
      if (m.type === 'progress' && stopAt !== null && m.progress.frame >= stopAt && !sent) {
        sent = true;
        child.kill(signal);
      }
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ messages, code }));
    child.send(request);
  });
}

const spec = (maxFrame: number) =>
  loadSpec(SHARED_DEMO, 'ppo_cartpole', {
    sets: ['agent.net.backend=cpu', 'env.num_envs=2', `env.max_frame=${maxFrame}`, 'meta.log_frequency=200', 'agent.algorithm.time_horizon=32', 'agent.algorithm.minibatch_size=16'],
  });

describe('session worker and TensorBoard', () => {
  beforeAll(() => ensureLabBuilt(), 300_000);

  it('SIGINT: the worker closes the event file (HParams status running) before it exits; every row is readable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tb-worker-'));
    const request: RunSessionRequest = { type: 'run', spec: spec(1_000_000), seed: 4, dir, trial: 1, session: 0, devChecks: false };
    const { messages, code } = await runWorker(request, 400);
    expect(code).toBe(0);
    const result = messages.find((m) => m.type === 'result');
    expect(result?.type === 'result' && result.result.status).toBe('interrupted');
    const tb = readSessionTb(dir); // throws on a torn or corrupt record
    expect(tb.end).toEqual([expect.objectContaining({ status: 'running' })]);
    expect(tb.start[0].groupName).toBe('trial_1');
    const rows = readSessionRows(dir);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expectScalarsMatchRows(tb, rows);
  }, 120_000);

  it('passes tensorboard: false from the request to the session', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tb-worker-off-'));
    const request: RunSessionRequest = { type: 'run', spec: spec(400), seed: 4, dir, trial: 0, session: 0, devChecks: false, tensorboard: false };
    const { messages, code } = await runWorker(request, null);
    expect(code).toBe(0);
    expect(messages.some((m) => m.type === 'result')).toBe(true);
    expect(existsSync(join(dir, 'metrics.csv'))).toBe(true);
    expect(existsSync(join(dir, 'tensorboard'))).toBe(false);
  }, 120_000);
});

describe('session worker without its parent', () => {
  beforeAll(() => ensureLabBuilt(), 300_000);

  it('exits at its next yield, writing nothing more, when the IPC channel to its parent closes (the parent killed with -9)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'worker-orphan-'));
    const request: RunSessionRequest = { type: 'run', spec: spec(1_000_000), seed: 4, dir, trial: 0, session: 0, devChecks: false, tensorboard: false };
    const child = fork(DIST_WORKER, [], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'], serialization: 'advanced' });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    let frames = 0;
    child.on('message', (m: unknown) => {
      if (!isWorkerMessage(m) || m.type !== 'progress') return;
      frames = m.progress.frame;
      if (frames >= 400 && child.connected) child.disconnect(); // what the worker sees when its parent dies
    });
    child.send(request);
    const t0 = Date.now();
    const code = await exited;
    expect(code).toBe(3);
    expect(Date.now() - t0).toBeLessThan(60_000);
    // stopped by the lost channel, not by reaching max_frame; the CSV and metrics of a graceful stop were not written
    expect(frames).toBeLessThan(1_000_000);
    expect(existsSync(join(dir, 'metrics.json'))).toBe(false);
    expect(existsSync(join(dir, 'plots'))).toBe(false);
  }, 120_000);
});
