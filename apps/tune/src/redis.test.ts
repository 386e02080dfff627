/**
 * The BullMQ executor against a real redis-server (Debian package redis-server; see
 * tools/install-test-deps.sh) started here on 127.0.0.1 on a free port: a search queued on Redis,
 * two `gymlab-tune worker` processes, one SIGKILLed in the middle of a trial.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExperimentState } from '@gymlab/lab';
import { collect, descendants, ensureBuilt, isAlive, pollFor, runTune, spawnTune } from './test-utils/bin.js';
import { gammaLamSearchFile, tempDir } from './test-utils/specs.js';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

let redis: ChildProcess | null = null;
let url = '';
const workers: ChildProcess[] = [];

beforeAll(async () => {
  ensureBuilt();
  const port = await freePort();
  redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', tempDir('redis')], { stdio: ['ignore', 'pipe', 'pipe'] });
  await collect(redis).waitFor(/Ready to accept connections/, 20_000);
  url = `redis://127.0.0.1:${port}`;
}, 300_000);

afterAll(async () => {
  for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
  if (redis !== null) {
    const exited = new Promise((resolve) => redis!.once('exit', resolve));
    redis.kill('SIGTERM');
    await exited;
  }
});

const state = (runDir: string): ExperimentState => JSON.parse(readFileSync(join(runDir, 'experiment.json'), 'utf8')) as ExperimentState;
const onlyDir = (dir: string): string => join(dir, readdirSync(dir)[0]);

describe('BullMQ executor', () => {
  it('a worker killed mid-trial: its trial runs again on the other worker; every trial completes exactly once; the table equals a local run', async () => {
    const file = gammaLamSearchFile(16000);
    const queue = `tune-test-${process.pid}`;
    const a = spawnTune(['worker', '--redis', url, '--queue', queue, '--lock-ms', '5000']);
    const b = spawnTune(['worker', '--redis', url, '--queue', queue, '--lock-ms', '5000']);
    workers.push(a, b);
    const [outA, outB] = [collect(a), collect(b)];
    await Promise.all([outA.waitFor(/waiting for trials/), outB.waitFor(/waiting for trials/)]);

    const data = tempDir('data');
    const driver = spawnTune(['run', file, 'ppo_cartpole', '--redis', url, '--queue', queue, '--concurrency', '4', '--data-dir', data]);
    const outD = collect(driver);
    await outA.waitFor(/trial (\d+) started/);
    const killed = Number(/trial (\d+) started/.exec(outA.text())![1]);
    // mid-trial: A's session has reported a checkpoint (the driver records its frame), and is still running
    const runDir = await pollFor('a checkpoint of the first trial', () => {
      const dir = onlyDir(data);
      return (state(dir).trials.find((t) => t.trial === killed)?.frame ?? 0) > 0 ? dir : undefined;
    });
    expect(outA.text()).not.toMatch(new RegExp(`trial ${killed} finished`));
    const sessionsOfA = descendants(a.pid!);
    expect(sessionsOfA.length).toBeGreaterThan(0);
    a.kill('SIGKILL');
    expect(await outD.exit, outD.text()).toBe(0);
    // the dead worker's session processes saw their IPC channel close and stopped
    expect(sessionsOfA.filter(isAlive)).toEqual([]);

    const finished = [...outA.text().matchAll(/trial (\d+) finished/g), ...outB.text().matchAll(/trial (\d+) finished/g)].map((m) => Number(m[1]));
    expect([...finished].sort()).toEqual([0, 1, 2, 3]); // each exactly once
    expect(outB.text()).toMatch(new RegExp(`trial ${killed} started`)); // taken over after the stall
    const remote = state(runDir);
    expect(remote.executor).toBe('redis');
    expect(remote.trials.map((t) => [t.trial, t.status])).toEqual([0, 1, 2, 3].map((t) => [t, 'completed']));

    const local = tempDir('local');
    const r = runTune(['run', file, 'ppo_cartpole', '--data-dir', local]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(runDir, 'experiment.csv'), 'utf8')).toBe(readFileSync(join(onlyDir(local), 'experiment.csv'), 'utf8'));

    b.kill('SIGTERM');
    await outB.exit;
    expect(outB.text()).toMatch(/closed/);
  }, 600_000);
});
