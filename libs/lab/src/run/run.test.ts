import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { enjoy } from '../session/enjoy.js';
import { PreflightError, preflight, runSpec } from './run.js';
import { testContext } from '../test-utils/context.js';
import { DIST_WORKER, REPO_ROOT, SHARED_DEMO, SHARED_SPECS, ensureLabBuilt, withoutTimeColumns } from '../test-utils/paths.js';

const dataDir = (): string => mkdtempSync(join(tmpdir(), 'lab-data-'));
const small = ['agent.net.backend=cpu', 'env.num_envs=2', 'env.max_frame=300', 'meta.log_frequency=100', 'agent.algorithm.time_horizon=32', 'agent.algorithm.minibatch_size=16'];

describe('preflight: bad input throws one line and writes nothing', () => {
  const cases: [string, string, string, string[], RegExp][] = [
    ['unknown env', SHARED_DEMO, 'ppo_cartpole', ['env.name=CartPole-v9'], /CartPole-v9/],
    ['DQN on a continuous action space', join(SHARED_SPECS, 'benchmark/dqn/dqn_cartpole.json'), 'dqn_boltzmann_cartpole', ['env.name=Pendulum-v1'], /^(?!.*not implemented).*(continuous|discrete|box)/i],
    ['misspelt key', SHARED_DEMO, 'ppo_cartpole', ['agent.algorithm.gama=0.9'], /gama/],
    ['missing file', '/nonexistent/spec.json', 'x', [], /nonexistent/],
    ['unavailable backend', SHARED_DEMO, 'ppo_cartpole', ['agent.net.backend=tensorflow-gpu'], /tensorflow-gpu/],
  ];
  for (const [name, file, specName, sets, message] of cases) {
    it(name, async () => {
      const data = dataDir();
      const err = await runSpec({ specFile: file, specName, mode: 'train', sets }, testContext({ dataDir: data, inProcess: true })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PreflightError);
      expect((err as Error).message).toMatch(message);
      expect((err as Error).message).not.toContain('\n');
      expect(readdirSync(data)).toEqual([]);
    });
  }

  it('dev mode runs one session and a null seed is drawn', async () => {
    const pre = await preflight({ specFile: SHARED_DEMO, specName: 'ppo_cartpole', mode: 'dev', sets: ['agent.net.backend=cpu'] });
    expect(pre.spec.meta.max_session).toBe(1);
    expect(pre.seedDrawn).toBe(true);
    expect(Number.isInteger(pre.spec.meta.random_seed)).toBe(true);
    expect(Object.isFrozen(pre.spec.meta)).toBe(true);
  });
});

describe('runSpec', () => {
  beforeAll(() => ensureLabBuilt(), 300_000);

  it('writes the run folder; rerunning its spec.json reproduces the sessions; enjoy writes nothing', async () => {
    const data = dataDir();
    const first = await runSpec({ specFile: SHARED_DEMO, specName: 'ppo_cartpole', mode: 'train', sets: [...small, 'meta.random_seed=9'] }, testContext({ dataDir: data, inProcess: true }));
    expect(first.status).toBe('completed');
    const dir = first.runDir;
    for (const f of ['spec.json', 'provenance.json', 'trial_0/trial_metrics.json', 'trial_0/trial_metrics.csv', 'trial_0/session_0/metrics.csv', 'trial_0/session_1/checkpoints/best/manifest.json']) {
      expect(existsSync(join(dir, f)), f).toBe(true);
    }
    const prov = JSON.parse(readFileSync(join(dir, 'provenance.json'), 'utf8'));
    expect(prov).toMatchObject({ status: 'completed', spec_name: 'ppo_cartpole', mode: 'train', backend: 'cpu', seeds: { base: 9, drawn: false } });
    expect(prov.seeds.sessions).toEqual(first.trial.sessions.map((s) => s.seed));
    expect(prov.versions.node).toBe(process.versions.node);
    expect(prov.lockfile_sha256).toBe(createHash('sha256').update(readFileSync(join(REPO_ROOT, 'package-lock.json'))).digest('hex'));
    expect(prov.git.sha).toMatch(/^[0-9a-f]{40}$/);
    expect(prov.cpu_count).toBeGreaterThan(0);
    expect(Date.parse(prov.ended_at)).toBeGreaterThanOrEqual(Date.parse(prov.started_at));
    expect(existsSync(join(dir, 'git.diff'))).toBe(prov.git.dirty === true);

    const again = await runSpec({ specFile: join(dir, 'spec.json'), specName: 'ppo_cartpole', mode: 'train' }, testContext({ dataDir: data, inProcess: true }));
    expect(again.runDir).not.toBe(dir);
    for (const s of [0, 1]) {
      const csv = (d: string): string[] => withoutTimeColumns(readFileSync(join(d, 'trial_0', `session_${s}`, 'metrics.csv'), 'utf8'));
      expect(csv(again.runDir)).toEqual(csv(dir));
    }

    const before = readdirSync(join(dir, 'trial_0', 'session_0'), { recursive: true }).sort();
    const played = await enjoy({ path: dir, episodes: 2 });
    expect(played.returns.length).toBe(2);
    expect(played.checkpointDir).toBe(join(dir, 'trial_0', 'session_0', 'checkpoints', 'best'));
    const replay = await enjoy({ path: dir, episodes: 2 });
    expect(replay.returns).toEqual(played.returns); // deterministic
    expect(readdirSync(join(dir, 'trial_0', 'session_0'), { recursive: true }).sort()).toEqual(before);
  });

  it('sessions in worker processes match the same seeds run in process', async () => {
    const data = dataDir();
    const sets = [...small, 'meta.random_seed=5'];
    const child = await runSpec({ specFile: SHARED_DEMO, specName: 'ppo_cartpole', mode: 'train', sets }, testContext({ dataDir: data, workerPath: DIST_WORKER }));
    const inProc = await runSpec({ specFile: SHARED_DEMO, specName: 'ppo_cartpole', mode: 'train', sets }, testContext({ dataDir: data, inProcess: true }));
    expect(child.trial.sessions.length).toBe(2);
    for (const s of [0, 1]) {
      expect(child.trial.sessions[s].rows.map((r) => [r.frame, r.return_ma, r.loss])).toEqual(inProc.trial.sessions[s].rows.map((r) => [r.frame, r.return_ma, r.loss]));
    }
    expect(child.trial.metrics).toEqual(inProc.trial.metrics);
  });

  it('an abort kills the workers and marks provenance interrupted', async () => {
    const data = dataDir();
    const controller = new AbortController();
    const sets = ['agent.net.backend=cpu', 'env.max_frame=100000000', 'meta.log_frequency=100', 'meta.random_seed=1'];
    const started = Date.now();
    const r = await runSpec(
      { specFile: SHARED_DEMO, specName: 'ppo_cartpole', mode: 'train', sets },
      testContext({ dataDir: data, workerPath: DIST_WORKER, signal: controller.signal, onProgress: (p) => void (p.frame >= 300 && controller.abort()) }),
    );
    expect(r.status).toBe('interrupted');
    expect(Date.now() - started).toBeLessThan(60_000);
    const prov = JSON.parse(readFileSync(join(r.runDir, 'provenance.json'), 'utf8'));
    expect(prov.status).toBe('interrupted');
    expect(existsSync(join(r.runDir, 'trial_0', 'trial_metrics.csv'))).toBe(true);
  });
});
