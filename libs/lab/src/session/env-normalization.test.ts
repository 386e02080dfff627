import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AgentContext } from '@gymlab/agents';
import { makeEnv } from '@gymlab/envs';
import { loadSpec } from '@gymlab/spec';
import { CheckpointError, MANIFEST_FILE, loadCheckpoint } from '../run/checkpoint.js';
import { rewriteManifest } from '../test-utils/checkpoint-files.js';
import { SESSION_CSV, SPEC_FILE, checkpointDir } from '../run/run-folder.js';
import { fakeRun, tempDir } from '../test-utils/analyze-fixtures.js';
import { FakeAgent, fakeDeps, fakeSpec } from '../test-utils/fakes.js';
import type { FakeAgentLog } from '../test-utils/fakes.js';
import { SHARED_DEMO, withoutTimeColumns } from '../test-utils/paths.js';
import { enjoy } from './enjoy.js';
import { normalizationOptions } from './env-normalization.js';
import { runSession } from './session.js';

const f = Math.fround;

/** Fake deps whose agent also records what it is given: train observations and rewards, eval observations. */
function recordingDeps() {
  const seen = { trainObs: [] as number[], rewards: [] as number[], evalObs: [] as Float32Array[] };
  const { deps, log } = fakeDeps();
  const createAgent = (ctx: AgentContext) => {
    const agent = new FakeAgent(ctx, log as FakeAgentLog);
    const act = agent.act.bind(agent);
    const update = agent.update.bind(agent);
    agent.act = (obs, mode) => {
      if (mode === 'train') seen.trainObs.push(...obs);
      else seen.evalObs.push(Float32Array.from(obs));
      return act(obs, mode);
    };
    agent.update = (...args: Parameters<FakeAgent['update']>) => {
      const [batch] = args as unknown as [{ reward: Float64Array }];
      seen.rewards.push(...batch.reward);
      return update();
    };
    return agent;
  };
  return { deps: { ...deps, createAgent }, log, seen };
}

const normalized = { normalize_obs: true, normalize_reward: true, clip_obs: 10, clip_reward: 10 };

describe('normalizationOptions', () => {
  it("maps the spec's env keys and the algorithm's gamma", () => {
    const spec = fakeSpec({ env: { ...normalized, clip_reward: 5 } });
    expect(normalizationOptions(spec)).toEqual({ normalizeObs: true, clipObs: 10, normalizeReward: true, clipReward: [-5, 5], gamma: spec.agent.algorithm.gamma });
    const pair = fakeSpec({ env: { clip_reward: [-1, 2] } });
    expect(normalizationOptions(pair)).toMatchObject({ normalizeObs: false, clipObs: null, normalizeReward: false, clipReward: [-1, 2] });
  });
});

describe('a session with env.normalize_obs and normalize_reward', () => {
  it('trains on normalised, clipped values, saves the statistics, and evaluation leaves them untouched', async () => {
    const { deps, log, seen } = recordingDeps();
    const dir = tempDir('norm-session');
    const spec = fakeSpec({ env: { ...normalized, num_envs: 2, max_frame: 600 }, meta: { log_frequency: 200, eval_frequency: 200, rigorous_eval: 2 } });
    const r = await runSession({ spec, seed: 5, dir, deps });
    expect(log.evalActs).toBeGreaterThan(0);
    // CartPole's raw reward is always 1; the agent sees it divided by the running return std
    expect(new Set(seen.rewards).size).toBeGreaterThan(10);
    expect(seen.rewards.every((x) => x > 0 && x <= 10)).toBe(true);
    expect(seen.trainObs.every((x) => Math.abs(x) <= 10)).toBe(true);
    // returns reported stay raw: the fake agent trains with actions independent of what it
    // sees, so the same session without normalisation reports the same returns
    const plain = await runSession({ spec: fakeSpec({ env: { num_envs: 2, max_frame: 600 }, meta: { log_frequency: 200 } }), seed: 5, dir: null, deps: fakeDeps().deps });
    expect(r.rows.map((row) => [row.return, row.return_ma])).toEqual(plain.rows.map((row) => [row.return, row.return_ma]));

    const { envStats, info } = loadCheckpoint(checkpointDir(dir, 'latest'));
    expect(info.frame).toBe(r.frames);
    if (envStats?.obs == null || envStats.return === null) throw new Error('statistics expected in the checkpoint');
    // observations merged: the first 2, every next observation, every new episode's first one;
    // none of the evaluation episodes'
    expect(envStats.obs.count).toBeCloseTo(1e-4 + 2 + r.frames + r.episodes, 8);
    expect(envStats.return.count).toBeCloseTo(1e-4 + r.frames, 8);
    expect(envStats.obs.mean).toHaveLength(4);
    // best (by eval return) carries statistics too
    expect(loadCheckpoint(checkpointDir(dir, 'best')).envStats?.obs).not.toBeNull();
  });

  it('without normalisation a checkpoint carries no statistics', async () => {
    const { deps } = fakeDeps();
    const dir = tempDir('plain-session');
    await runSession({ spec: fakeSpec({ env: { max_frame: 200 }, meta: { log_frequency: 200 } }), seed: 5, dir, deps });
    expect(loadCheckpoint(checkpointDir(dir, 'latest')).envStats).toBeNull();
    expect('env_stats' in JSON.parse(readFileSync(join(checkpointDir(dir, 'latest'), MANIFEST_FILE), 'utf8'))).toBe(false);
  });

  it('the same seed gives the same rows and statistics', async () => {
    const spec = fakeSpec({ env: { ...normalized, num_envs: 2, max_frame: 400 }, meta: { log_frequency: 100 } });
    const run = async () => {
      const { deps, seen } = recordingDeps();
      const dir = tempDir('norm-det');
      const r = await runSession({ spec, seed: 9, dir, deps });
      return { rows: r.rows.map(({ wall_time: _w, fps: _f, ...rest }) => rest), stats: loadCheckpoint(checkpointDir(dir, 'latest')).envStats, seen };
    };
    const a = await run();
    const b = await run();
    expect(b.rows).toEqual(a.rows);
    expect(b.stats).toEqual(a.stats);
    expect(b.seen.rewards).toEqual(a.seen.rewards);
  });
});

describe('enjoy with normalisation', () => {
  it('plays on the saved statistics, frozen; a checkpoint without them is refused in one line', async () => {
    const run = await fakeRun({ sessions: 1, frames: 400, sets: ['env.normalize_obs=true', 'env.normalize_reward=true'] });
    const sdir = join(run.runDir, 'trial_0', 'session_0');
    const cdir = checkpointDir(sdir, 'best');
    const saved = loadCheckpoint(cdir).envStats?.obs;
    if (!saved) throw new Error('statistics expected');
    const { deps, seen } = recordingDeps();
    const r = await enjoy({ path: run.runDir, episodes: 2, deps });
    expect(r.returns).toHaveLength(2);
    // the first observation the agent saw: the env's reset observation normalised by the saved statistics
    const seed = run.spec.meta.random_seed ?? 0;
    const [raw] = makeEnv('CartPole-v1').reset({ seed });
    const expected = Array.from(raw, (x, j) => Math.min(10, Math.max(-10, f(f(x - saved.mean[j]) / f(Math.sqrt(f(saved.var[j] + f(1e-8))))))));
    expect(Array.from(seen.evalObs[0])).toEqual(expected);
    expect(loadCheckpoint(cdir).envStats?.obs).toEqual(saved); // enjoy changed nothing

    // a checkpoint saved without statistics (signed again: a whole checkpoint, only lacking them)
    rewriteManifest(cdir, (t) => {
      const { env_stats: _, ...manifest } = JSON.parse(t) as Record<string, unknown>;
      return JSON.stringify(manifest);
    });
    const err = await enjoy({ path: run.runDir, episodes: 1, deps: fakeDeps().deps }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CheckpointError);
    expect((err as Error).message).toMatch(/best: the spec sets env\.normalize_obs: true but the checkpoint holds no observation statistics/);
    expect((err as Error).message).not.toContain('\n');
  });
});

describe('PPO (real agent, cpu) with env.normalize_obs and normalize_reward', () => {
  const run = async () => {
    const dir = tempDir('norm-ppo');
    const result = await runSession({
      spec: loadSpec(SHARED_DEMO, 'ppo_cartpole', {
        sets: ['env.max_frame=1200', 'meta.log_frequency=400', 'agent.net.backend=cpu', 'env.normalize_obs=true', 'env.normalize_reward=true'],
      }),
      seed: 13,
      dir,
      devChecks: true,
    });
    return { dir, result };
  };

  it('trains (dev checks on), saves the statistics, replays with enjoy, and is the same run twice from one seed', async () => {
    const a = await run();
    expect(a.result.status).toBe('completed');
    expect(a.result.optSteps).toBeGreaterThan(0);
    const stats = loadCheckpoint(checkpointDir(a.dir, 'latest')).envStats;
    expect(stats?.obs?.count).toBeCloseTo(1e-4 + a.result.frames + a.result.episodes + loadSpec(SHARED_DEMO, 'ppo_cartpole').env.num_envs, 8);

    // enjoy wants a run folder around the session folder: give it one
    const runDir = tempDir('norm-ppo-run');
    const sdir = join(runDir, 'trial_0', 'session_0');
    cpSync(a.dir, sdir, { recursive: true });
    writeFileSync(join(runDir, SPEC_FILE), JSON.stringify({ ppo_cartpole: loadSpec(SHARED_DEMO, 'ppo_cartpole', { sets: ['agent.net.backend=cpu', 'env.normalize_obs=true', 'env.normalize_reward=true', 'meta.random_seed=13'] }) }));
    const played = await enjoy({ path: runDir, episodes: 2 });
    expect(played.returns).toHaveLength(2);
    expect(played.returns.every((x) => x >= 8)).toBe(true);

    const b = await run();
    expect(withoutTimeColumns(readFileSync(join(b.dir, SESSION_CSV), 'utf8'))).toEqual(withoutTimeColumns(readFileSync(join(a.dir, SESSION_CSV), 'utf8')));
    expect(loadCheckpoint(checkpointDir(b.dir, 'latest')).envStats).toEqual(stats);
  });
});
